"""The questionnaire: one step per concern, one question per profile field, results kept live.

Every answer is checked as it is typed (a Textual validator whose range comes from the profile
model), written to the session's profile (pydantic checks it again) and the decision is
recomputed at once; the line at the bottom shows the verdict and both monthly costs.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.validation import Failure, Number, ValidationResult
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Header, Input, Select, Static, Switch

from advisor.core.catalog import default_catalog
from advisor.tui.questions import (
    CATALOG_KINDS,
    NUMERIC_KINDS,
    Question,
    Step,
    catalog_default,
    catalog_options,
    empty_hint,
    from_text,
    same_value,
    to_text,
)
from advisor.tui.steps import STEPS
from advisor.tui.widgets.live_bar import LiveBar


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


ADVANCED = "Advanced: leave empty to use the catalog or default value."


def control_id(question: Question) -> str:
    return f"{question.section}--{question.key}"


def pydantic_message(exc: ValidationError) -> str:
    """The first error in plain words (no URL, no 'Value error,' prefix)."""
    errors = exc.errors()
    if not errors:
        return "This answer is not allowed."
    message = str(errors[0].get("msg", "not allowed"))
    return message.removeprefix("Value error, ").rstrip(".") + "."


class StepScroll(VerticalScroll, can_focus=False, inherit_bindings=False):
    """One step's questions. Page keys belong to the screen (next / previous step)."""


class QuestionBox(Vertical):
    """One question: label, input, unit; the article's 'why'; a message when not taken."""

    DEFAULT_CLASSES = "question"

    def __init__(self, question: Question, control: Widget) -> None:
        super().__init__(id=f"q--{control_id(question)}")
        self.question = question
        self.field_widget = control
        if question.advanced:
            self.add_class("advanced")

    def compose(self) -> ComposeResult:
        q = self.question
        with Horizontal(classes="q-row"):
            yield Static(Text(q.label), classes="q-label")
            yield self.field_widget
            if q.kind == "bool":  # the switch's state in words, not by colour only
                yield Static("yes" if self.field_widget.value else "no", classes="q-side")
            elif q.unit:
                yield Static(Text(q.unit), classes="q-side")
        yield Static(Text(q.why), classes="q-why")
        yield Static("", classes="q-message")

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


class QuestionnaireScreen(Screen[None]):
    """Step k of n; each answer goes straight into the profile and the decision."""

    BINDINGS = [
        Binding("ctrl+n", "next_step", "Next step"),
        Binding("pagedown", "next_step", "Next step", show=False),
        Binding("ctrl+b", "previous_step", "Back"),
        Binding("pageup", "previous_step", "Back", show=False),
        Binding("f3", "results", "Results"),
        Binding("ctrl+r", "results", "Results", show=False),
        Binding("ctrl+u", "app.import_usage", "Import usage"),
    ]

    step = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="progress")
        yield Static(id="intro")
        # Each step's questions are mounted when the step is first shown (the first one now):
        # a few dozen widgets at a time keep every step change quick over a slow link.
        with ContentSwitcher(id="steps", initial="step-1"):
            for number in range(1, len(STEPS) + 1):
                with StepScroll(id=f"step-{number}"):
                    if number == 1:
                        yield from self._step_widgets(STEPS[0])
        yield LiveBar(id="live")
        yield Footer()

    def _step_widgets(self, step: Step) -> list[Widget]:
        """A step's questions, prefilled from the session's profile."""
        profile = self.app.session.profile  # type: ignore[attr-defined]
        data = self.app.data  # type: ignore[attr-defined]
        catalog = default_catalog()
        widgets: list[Widget] = []
        heading = not step.advanced
        for q in step.questions:
            if q.advanced and heading:
                heading = False
                widgets.append(Static(ADVANCED, classes="q-heading"))
            value = getattr(getattr(profile, q.section), q.key)
            widgets.append(QuestionBox(q, self._control(q, value, catalog, data)))
        return widgets

    def _control(self, q: Question, value: Any, catalog: Any, data: Any) -> Widget:
        ident = control_id(q)
        if q.kind in NUMERIC_KINDS:
            return Input(
                to_text(q, value),
                placeholder=empty_hint(q, data),
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
            options = [(Text(labels.get(v, v)), v) for v in q.allowed_values()]
            return Select(
                options,
                value=value,
                allow_blank=False,
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
            options.append((f"{value} (not in the catalog)", value))
        return Select(
            [(Text(label), v) for label, v in options],
            value=Select.NULL if value is None else value,
            prompt=catalog_default(q.kind, catalog),
            allow_blank=q.optional,
            compact=True,
            id=ident,
            classes="q-control",
        )

    async def on_mount(self) -> None:
        self.watch(self.app, "data", self._decision_changed, init=True)
        await self.show_step(0)

    # -- steps ---------------------------------------------------------------------------------
    @property
    def current(self) -> Step:
        return STEPS[self.step]

    async def show_step(self, index: int) -> None:
        was_first = self.step == 0
        self.step = max(0, min(index, len(STEPS) - 1))
        scroll = self.query_one(f"#step-{self.step + 1}", StepScroll)
        if not scroll.children:
            await scroll.mount_all(self._step_widgets(self.current))
        self.query_one(ContentSwitcher).current = f"step-{self.step + 1}"
        scroll.scroll_home(animate=False)
        self.query_one("#intro", Static).update(Text(self.current.intro))
        self._show_progress()
        controls = scroll.query(".q-control")
        if controls:
            controls.first().focus(scroll_visible=False)
        if was_first != (self.step == 0):
            self.refresh_bindings()  # "Back" is dimmed on the first step only

    def _show_progress(self) -> None:
        text = Text()
        text.append(f"Step {self.step + 1} of {len(STEPS)}: {self.current.title}", style="bold")
        text.append("  " + "".join("■" if i <= self.step else "□" for i in range(len(STEPS))))
        if self.step == len(STEPS) - 1:
            text.append("  next: the results")
        pending = [
            (number, box.question.label)
            for number, step in enumerate(STEPS, 1)
            for box in self.query_one(f"#step-{number}").query(QuestionBox)
            if box.has_class("-invalid") and number != self.step + 1
        ]
        if pending:
            number, label = pending[0]
            more = f" and {len(pending) - 1} more" if len(pending) > 1 else ""
            text.append(f"  ! not taken: {label} (step {number}){more}", style="bold")
        self.query_one("#progress", Static).update(text)

    async def action_next_step(self) -> None:
        if self.step < len(STEPS) - 1:
            await self.show_step(self.step + 1)
        else:
            self.action_results()

    async def action_previous_step(self) -> None:
        if self.step > 0:
            await self.show_step(self.step - 1)

    def action_results(self) -> None:
        self.app.action_show_results()  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "previous_step" and self.step == 0:
            return None  # shown dimmed in the footer: there is no step before the first
        return True

    # -- answers -------------------------------------------------------------------------------
    def _box(self, control: Widget) -> QuestionBox | None:
        for node in control.ancestors:
            if isinstance(node, QuestionBox):
                return node
        return None

    def on_input_changed(self, event: Input.Changed) -> None:
        box = self._box(event.input)
        if box is None:
            return
        event.stop()
        result = event.validation_result
        if result is not None and not result.is_valid:
            self._not_taken(box, result.failure_descriptions[0])
            return
        try:
            value = from_text(box.question, event.value)
        except ValueError:
            self._not_taken(box, f"Enter {box.question.bounds.describe(box.question.kind)}.")
            return
        self._apply(box, value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._box(event.input) is not None:
            event.stop()
            self.focus_next()

    def on_select_changed(self, event: Select.Changed) -> None:
        box = self._box(event.select)
        if box is None:
            return
        event.stop()
        self._apply(box, None if event.value is Select.NULL else event.value)

    def on_switch_changed(self, event: Switch.Changed) -> None:
        box = self._box(event.switch)
        if box is None:
            return
        event.stop()
        box.side("yes" if event.value else "no")
        self._apply(box, bool(event.value))

    def _not_taken(self, box: QuestionBox, why: str) -> None:
        q = box.question
        current = getattr(getattr(self.app.session.profile, q.section), q.key)  # type: ignore[attr-defined]
        kept = to_text(q, current) or "empty"
        if q.kind == "share" and current is not None:
            kept += "%"
        box.say(f"Not taken (still {kept}): {why}")
        self._show_progress()

    def _apply(self, box: QuestionBox, value: Any) -> None:
        q = box.question
        profile = self.app.session.profile  # type: ignore[attr-defined]
        if profile is None:
            return
        section = getattr(profile, q.section)
        was_invalid = box.has_class("-invalid")
        if same_value(getattr(section, q.key), value):
            box.say("")
        else:
            # pydantic checks the answer (validate_assignment), on a copy first: a failing
            # model validator (mode="after") would leave the bad value in the profile.
            try:
                setattr(section.model_copy(), q.key, value)
            except ValidationError as exc:
                self._not_taken(box, pydantic_message(exc))
                return
            setattr(section, q.key, value)
            box.say("")
            self.app.recompute()  # type: ignore[attr-defined]
        if was_invalid:
            self._show_progress()

    # -- the decision --------------------------------------------------------------------------
    def _decision_changed(self, data: dict[str, Any] | None) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        error = session.error
        if error:  # the file name means nothing to the room: keep "field: what is wrong"
            error = error.removeprefix(f"{session.path or 'profile'}: ")
        self.query_one(LiveBar).show(data, error)
        if data is None or error:
            return
        for box in self.query(QuestionBox):
            q = box.question
            if q.kind in NUMERIC_KINDS and q.optional:
                box.query_one(Input).placeholder = empty_hint(q, data)
