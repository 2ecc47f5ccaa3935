"""One question on screen: its box (label, control, unit, why, message) and its control.

The control is an input for numbers (checked as typed against the profile field's own range),
a switch for yes/no, a select for choices and catalog entries. The box also keeps the answer
that was in effect before the current edit, for the screen to fall back on when it is refused.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.validation import Failure, Number, ValidationResult
from textual.widget import Widget
from textual.widgets import Input, Select, Static, Switch

from advisor.tui.catalog_choices import catalog_default, catalog_options, shown
from advisor.tui.questions import (
    CATALOG_KINDS,
    NUMERIC_KINDS,
    PRECISION_SETS,
    Question,
    empty_hint,
    from_text,
    precisions_choice,
    same_value,
    to_text,
)
from advisor.tui.widgets.fields import InOrderInput


def from_text_or_none(question: Question, text: str) -> Any:
    try:
        return from_text(question, text)
    except ValueError:
        return object()  # equal to no answer


class AnswerRange(Number):
    """A number (whole for integer questions) within the profile field's own range."""

    def __init__(self, question: Question) -> None:
        bounds = question.bounds
        super().__init__(bounds.minimum, bounds.maximum)
        self.question = question
        self.bounds = bounds

    def validate(self, value: str) -> ValidationResult:
        try:
            x = from_text(self.question, value)
        except ValueError:
            return ValidationResult.failure([Number.NotANumber(self, value)])
        if x is None:  # empty, and the question is optional
            return self.success()
        if not self.bounds.allows(float(x) * (100.0 if self.question.kind == "share" else 1.0)):
            return ValidationResult.failure([Number.NotInRange(self, value)])
        return self.success()

    def describe_failure(self, failure: Failure) -> str | None:
        return f"Enter {self.bounds.describe(self.question.kind)}."


class NumberInput(InOrderInput):
    """A number field: a key that cannot make a number is left out, and that is said."""

    class Refused(Message):
        """A key (or a paste) was left out: the text would not have been a number."""

    def restricted(self) -> None:
        super().restricted()  # the bell, as any Input
        self.post_message(self.Refused())


NAME_MAX = 200  # characters: the profile's own limit on a name


def control_id(question: Question) -> str:
    return f"{question.section or 'profile'}--{question.key}"


def question_control(q: Question, value: Any, catalog: Any, decision: Any) -> Widget:
    """The control of one question, prefilled with the profile's value."""
    ident = control_id(q)
    if q.kind == "text":
        return InOrderInput(
            to_text(q, value),
            placeholder=str(q.field.default),
            max_length=NAME_MAX,
            compact=True,
            id=ident,
            classes="q-control q-text",
        )
    if q.kind in NUMERIC_KINDS:
        return NumberInput(
            to_text(q, value),
            placeholder=empty_hint(q, decision),
            type="integer" if q.kind == "integer" else "number",
            validators=[AnswerRange(q)],
            valid_empty=q.optional,
            compact=True,
            id=ident,
            classes="q-control",
        )
    if q.kind == "bool":
        return Switch(bool(value), id=ident, classes="q-control")
    if q.kind == "choice":
        labels = dict(q.choices)
        return Select(
            [(Text(labels.get(v, v)), v) for v in q.allowed_values()],
            value=Select.NULL if value is None else value,
            allow_blank=q.optional,
            prompt=q.blank,
            compact=True,
            id=ident,
            classes="q-control",
        )
    if q.kind == "precisions":
        chosen = precisions_choice(value)
        options = list(PRECISION_SETS)
        if chosen is not None and chosen not in dict(options):
            options.append((chosen, chosen.upper().replace(",", ", ")))
        return Select(
            [(Text(label), v) for v, label in options],
            value=Select.NULL if chosen is None else chosen,
            allow_blank=True,
            prompt=q.blank,
            compact=True,
            id=ident,
            classes="q-control",
        )
    assert q.kind in CATALOG_KINDS, q.kind
    options = catalog_options(q.kind, catalog)
    if q.kind == "precision":  # the catalog's precisions that the profile accepts
        allowed = q.allowed_values()
        options = [o for o in options if o[1] in allowed]
    if value is not None and value not in {v for _, v in options}:
        options.append((f"{shown(str(value))} (not in the catalog)", value))
    return Select(
        [(Text(label), v) for label, v in options],
        value=Select.NULL if value is None else value,
        prompt=catalog_default(q.kind, catalog),
        allow_blank=q.optional,
        compact=True,
        id=ident,
        classes="q-control",
    )


REFUSED = {
    "integer": "Only whole numbers can be typed here: that key was left out.",
    "number": "Only numbers can be typed here (like 2.5 or 1e6): that key was left out.",
}


class QuestionBox(Vertical):
    """One question: label, input, unit; the article's 'why'; a message when not taken."""

    DEFAULT_CLASSES = "question"

    def __init__(self, question: Question, control: Widget, value: Any) -> None:
        super().__init__(id=f"q--{control_id(question)}")
        self.question = question
        self.field_widget = control
        # The answer in effect before the current edit: what a refused entry falls back to.
        # The screen sets it again when the field gets the focus and when Enter takes it.
        self.committed = value
        if question.advanced:
            self.add_class("advanced")

    def compose(self) -> ComposeResult:
        q = self.question
        with Horizontal(classes="q-row"):
            yield Static(Text(q.label), classes="q-label")
            yield self.field_widget
            if q.kind == "bool":  # the switch's state in words, not by colour only
                on = isinstance(self.field_widget, Switch) and self.field_widget.value
                yield Static("yes" if on else "no", classes="q-side")
            elif q.unit:
                yield Static(Text(q.unit), classes="q-side")
        yield Static(Text(q.why), classes="q-why")
        yield Static("", classes="q-message")
        yield Static("", classes="q-note")

    def set_answer(self, value: Any) -> None:
        """Show an answer that came from elsewhere (the room's presenter): the control is
        set to it, and it is the answer in effect."""
        q, control = self.question, self.field_widget
        self.committed = value
        if isinstance(control, Input):
            text = to_text(q, value)
            if not same_value(from_text_or_none(q, control.value), value):
                control.value = text
        elif isinstance(control, Switch):
            if control.value != bool(value):
                control.value = bool(value)
        elif isinstance(control, Select):
            wanted = Select.NULL if value is None else value
            if control.value != wanted:
                control.value = wanted
        self.say("")

    @property
    def message(self) -> str:
        return str(self.query_one(".q-message", Static).content)

    def say(self, message: str) -> None:
        """Show (or clear, with '') the message next to the field (CSS shows it on -invalid)."""
        if message or self.has_class("-invalid"):
            self.query_one(".q-message", Static).update(Text(message))
            self.set_class(bool(message), "-invalid")

    def side(self, text: str) -> None:
        self.query_one(".q-side", Static).update(Text(text))

    def note(self, text: str) -> None:
        """A passing remark under the field (a key left out), not a refused answer."""
        if text or self.has_class("-noted"):
            self.query_one(".q-note", Static).update(Text(text))
            self.set_class(bool(text), "-noted")

    def on_number_input_refused(self, event: NumberInput.Refused) -> None:
        event.stop()
        self.note(REFUSED["integer" if self.question.kind == "integer" else "number"])

    def on_input_changed(self, event: Input.Changed) -> None:
        self.note("")  # not stopped: the screen takes the answer

    def on_input_blurred(self, event: Input.Blurred) -> None:
        self.note("")
