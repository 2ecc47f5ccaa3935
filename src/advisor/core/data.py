"""Where the bundled data files live (inside the installed package)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
PROFILES = DATA / "profiles"


def read_text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")
