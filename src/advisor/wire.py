"""The line between `advisor serve` and each app it runs: small JSON messages, one a line.

Every SSH session's app gets one end of a Unix socket pair from the server (the fd number is
in ADVISOR_ROOM_FD). Nothing on the file system, nothing to guess: only that app holds its
end, so the server knows which session each message comes from. Apps never talk to each
other; rooms live in the server, which passes the presenter's *state* (never a screen) to the
followers, and each follower's app decides and draws it at its own size.

A message is one line of UTF-8 JSON, an object with a "kind" and its fields, at most
MAX_MESSAGE bytes; anything else is dropped by whoever reads it. No Textual, no asyncssh.

From an app (the server checks who may send what):
  present   {approval}            open a room with this app presenting
  state     {state}               the shared state (from the app with the keyboard only)
  mode      {mode}                "following" or "own" (looking around on their own)
  hand      {to}                  presenter: give the keyboard to member `to`
  take      {}                    presenter: take the keyboard back
  approval  {required}            presenter: ask before anyone joins, or not
  admit     {member, yes}         presenter: the answer to a knock
  end       {}                    presenter: end the room
  drafted   {kept}                the draft is written (after "shutdown")
To an app:
  room      {code, join, you, presenter, driver, approval, members: [{id, name, mode}]}
  state     {state}               the room's newest state
  knock     {member, name}        presenter: someone asks to join
  knock-gone {member}             they gave up waiting
  ended     {name, why}           the room ended (its presenter left, or ended it)
  refused   {why}                 what the app asked for cannot be done
  shutdown  {}                    the server is stopping: keep a draft of unsaved changes

The state: {"profile": TOML text or null, "screen": "welcome" | "results" |
"questionnaire", "tab", "step", "table", "row", "focus", "seq"}.
"""

from __future__ import annotations

import json
from typing import Any

FD_ENV = "ADVISOR_ROOM_FD"  # the app's end of its socket pair with the server
JOINING_ENV = "ADVISOR_ROOM_JOINING"  # the code of the room an app is started to join
MAX_MESSAGE = 512 * 1024  # bytes in one message (a profile is a few kB)


def encode(kind: str, **fields: Any) -> bytes:
    """One message, as the line to write."""
    text = json.dumps({"kind": kind, **fields}, ensure_ascii=False, separators=(",", ":"))
    return text.encode() + b"\n"


def decode(line: bytes) -> dict[str, Any] | None:
    """A message read from a line, or None if it is not one (too long, not JSON, no kind)."""
    if len(line) > MAX_MESSAGE:
        return None
    try:
        message = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(message, dict) or not isinstance(message.get("kind"), str):
        return None
    return message
