"""What screens ask of the app: small dataclass messages, handled by AdvisorApp."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenListed(Message):
    """Open a listed profile, 'example:NAME' or 'team:NAME' (asking first about unsaved
    changes)."""

    choice: str


@dataclass
class AnswersChanged(Message):
    """The questionnaire changed the profile: decide again."""


@dataclass
class ShowMessage(Message):
    """Show a message to read (an error or a summary)."""

    title: str
    text: str


@dataclass
class ViewChanged(Message):
    """What a screen shows changed (a step, the focused question): a room may follow it."""
