"""What screens ask of the app: small dataclass messages, handled by AdvisorApp."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenExample(Message):
    """Open a bundled example by name (asking first about unsaved changes)."""

    name: str


@dataclass
class AnswersChanged(Message):
    """The questionnaire changed the profile: decide again."""


@dataclass
class ShowMessage(Message):
    """Show a message to read (an error or a summary)."""

    title: str
    text: str
