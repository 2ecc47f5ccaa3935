"""What an app knows of its room, from the server's `room` message. No Textual."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MODES = {"following", "own"}


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    mode: str  # "following" or "own" (looking around on their own)


@dataclass(frozen=True)
class RoomView:
    code: str
    join: str  # the command the others type: ssh -t -p PORT join-CODE@HOST
    you: int
    presenter: int
    driver: int  # whose keyboard drives the room
    approval: bool  # the presenter lets each newcomer in
    members: tuple[Member, ...]

    @classmethod
    def parse(cls, message: dict[str, Any]) -> RoomView | None:
        """The view in a `room` message, or None if the message is not one."""
        try:
            members = tuple(
                Member(int(m["id"]), str(m["name"]), str(m.get("mode", "following")))
                for m in message["members"]
            )
            return cls(
                str(message["code"]),
                str(message["join"]),
                int(message["you"]),
                int(message["presenter"]),
                int(message["driver"]),
                bool(message.get("approval")),
                members,
            )
        except (KeyError, TypeError, ValueError):
            return None

    @property
    def presenting(self) -> bool:
        return self.you == self.presenter

    @property
    def driving(self) -> bool:
        return self.you == self.driver

    def name(self, member: int) -> str:
        return next((m.name for m in self.members if m.id == member), "someone")

    @property
    def presenter_name(self) -> str:
        return self.name(self.presenter)

    @property
    def driver_name(self) -> str:
        return self.name(self.driver)

    def role(self, member: Member) -> str:
        """How a member is shown: 'presenting', 'has the keyboard', 'looking around'."""
        if member.id == self.presenter and member.id == self.driver:
            return "presenting"
        if member.id == self.presenter:
            return "presenting, handed the keyboard over"
        if member.id == self.driver:
            return "has the keyboard"
        return "looking around" if member.mode == "own" else "following"

    def names(self) -> list[str]:
        """Everyone, in the order they came: 'alice (presenting)', 'bob (you)', 'carol
        (looking around)'; following is what members do, so it goes without saying, and
        what you do yourself the line says before the names."""
        shown = []
        for member in self.members:
            role = self.role(member)
            note = "you" if member.id == self.you else None if role == "following" else role
            shown.append(f"{member.name} ({note})" if note else member.name)
        return shown

    def who(self) -> str:
        """Everyone, in the order they came: 'alice (presenting), bob, carol (looking
        around)'; following is what members do, so it goes without saying."""
        parts = []
        for member in self.members:
            role = self.role(member)
            notes = (["you"] if member.id == self.you else []) + (
                [] if role == "following" else [role]
            )
            parts.append(f"{member.name} ({', '.join(notes)})" if notes else member.name)
        return ", ".join(parts)
