"""`advisor serve --status`: who is connected to a running server, and in which room.

A running server keeps a small status file next to its host key (`serve-PORT.status.json`,
mode 0600, rewritten at most once a second when something changed, removed when it stops):
its sessions (person, address, since when, room and role) and its rooms (presenter, members,
the join command). `advisor serve --status` reads the files of the servers that are still
running (same --host-key folder, or one --port) and prints them. Nothing is asked of the
server itself, so a busy or stuck server can still be looked at.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from advisor.core.files.atomic import atomic_write_text

EVERY = 1.0  # seconds between looks for a change to write


def status_file(folder: Path, port: int) -> Path:
    return folder / f"serve-{port}.status.json"


def write_status(path: Path, status: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        atomic_write_text(path, json.dumps(status, indent=1, ensure_ascii=False), mode=0o600)


def remove_status(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _running(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_statuses(folder: Path, port: int | None = None) -> list[dict[str, Any]]:
    """The status of each server still running whose file is in `folder`."""
    paths = [status_file(folder, port)] if port else sorted(folder.glob("serve-*.status.json"))
    found = []
    for path in paths:
        try:
            status = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(status, dict) and _running(status.get("pid")):
            found.append(status)
    return found


def _clock(seconds: float) -> str:
    return time.strftime("%H:%M", time.localtime(seconds))


def _took(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def render(status: dict[str, Any], now: float | None = None) -> str:
    now = time.time() if now is None else now
    sessions, rooms = status.get("sessions", []), status.get("rooms", [])
    lines = [
        f"advisor serve on {status.get('listen', '?')} (pid {status.get('pid')}), up "
        f"{_took(now - float(status.get('started', now)))}: {len(sessions)} session(s), "
        f"{len(rooms)} room(s)"
    ]
    if sessions:
        lines.append(f"  {'#':>4}  {'person':<20} {'from':<22} {'since':<6} room")
        for s in sessions:
            room = f"{s['room']} {s['role']}" if s.get("room") else "-"
            lines.append(
                f"  {s.get('session', '?'):>4}  {str(s.get('person', '?'))[:20]:<20} "
                f"{str(s.get('address', '?'))[:22]:<22} {_clock(float(s.get('since', now))):<6} "
                f"{room}"
            )
    for room in rooms:
        members = room.get("members", [])
        lines.append(
            f"  room {room.get('code')}: {room.get('presenter')} presenting, "
            f"{len(members)} in it ({', '.join(members)}); join with: {room.get('join')}"
        )
    return "\n".join(lines)


def show(folder: Path, port: int | None) -> int:
    """Print the status of the running servers; 1 (and a line) when there is none."""
    statuses = read_statuses(folder, port)
    if not statuses:
        where = f"on port {port} " if port else ""
        print(f"advisor serve: no server {where}is running with its host key in {folder}")
        return 1
    print("\n\n".join(render(status) for status in statuses))
    return 0
