"""The questionnaire: one step per concern, one question per profile field, results kept live.

Every answer is checked as it is typed (a Textual validator whose range comes from the profile
model), written to the session's profile (pydantic checks it again) and the decision is
recomputed at once; the line at the bottom shows the verdict and both monthly costs.
While a field's text is refused, the answer from before the edit applies (the field's value
when it got the focus or was taken with Enter), not a valid prefix typed on the way.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Header, Input, Select, Static, Switch

from advisor.core.catalog.load import default_catalog
from advisor.tui.messages import AnswersChanged, ViewChanged
from advisor.tui.questions import (
    NUMERIC_KINDS,
    Step,
    answer_of,
    empty_hint,
    from_text,
    owner,
    precisions_value,
    same_value,
    to_text,
)
from advisor.tui.session import Session
from advisor.tui.steps import STEPS
from advisor.tui.widgets.live_bar import LiveBar
from advisor.tui.widgets.question_box import QuestionBox, question_control

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision

__all__ = ["QuestionBox", "QuestionnaireScreen"]


ADVANCED = "Advanced: leave empty to use the catalog or default value."


def pydantic_message(exc: ValidationError) -> str:
    """The first error in plain words (no URL, no 'Value error,' prefix)."""
    errors = exc.errors()
    if not errors:
        return "This answer is not allowed."
    message = str(errors[0].get("msg", "not allowed"))
    return message.removeprefix("Value error, ").rstrip(".") + "."


def assign(section: BaseModel, key: str, value: Any) -> None:
    """Set one answer; pydantic checks it (validate_assignment) on a copy first: a failing
    model validator (mode="after") would leave the bad value in the profile. Raises
    ValidationError when the answer is refused (the profile is then unchanged)."""
    setattr(section.model_copy(), key, value)
    setattr(section, key, value)


class StepScroll(VerticalScroll, can_focus=False, inherit_bindings=False):
    """One step's questions. Page keys belong to the screen (next / previous step)."""


class QuestionnaireScreen(Screen[None]):
    """Step k of n; each answer goes straight into the profile and the decision."""

    BINDINGS = [
        Binding("ctrl+n", "next_step", "Next step"),
        Binding("pagedown", "next_step", "Next step", show=False),
        Binding("ctrl+b", "previous_step", "Back"),
        Binding("pageup", "previous_step", "Back", show=False),
        Binding("f3", "results", "Results"),
        Binding("ctrl+r", "results", "Results", show=False),
        # ctrl+l (logs): a focused number field keeps ctrl+u (clear the field) for itself;
        # in help and the palette, not the footer (Save must fit there at 80 columns)
        Binding("ctrl+l", "app.import_usage", "Import usage", show=False),
    ]

    step = 0

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._ready = asyncio.Event()  # the first step is up (a room's view waits for it)

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
        profile = self.session.profile
        decision = self.session.decision
        catalog = default_catalog()
        widgets: list[Widget] = []
        heading = not step.advanced
        for q in step.questions:
            if q.advanced and heading:
                heading = False
                widgets.append(Static(ADVANCED, classes="q-heading"))
            value = answer_of(profile, q)
            widgets.append(QuestionBox(q, question_control(q, value, catalog, decision), value))
        return widgets

    async def on_mount(self) -> None:
        self.set_following(self.session.locked)
        self.watch(self.app, "decision", self._decision_changed, init=True)
        self.watch(self.app, "working", self.query_one(LiveBar).working)
        await self.show_step(0)
        self._ready.set()

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
        if not self.is_attached or not self.query("#intro"):
            return  # closed while the step was being mounted (a room moved on)
        self.query_one(ContentSwitcher).current = f"step-{self.step + 1}"
        scroll.scroll_home(animate=False)
        self.query_one("#intro", Static).update(Text(self.current.intro))
        self._show_progress()
        controls = scroll.query(".q-control")
        if controls:
            controls.first().focus(scroll_visible=False)
        if was_first != (self.step == 0):
            self.refresh_bindings()  # "Back" is dimmed on the first step only
        self.post_message(ViewChanged())

    # -- in a room (tui/room/presence.py) -------------------------------------------------------
    def shared_view(self) -> dict[str, Any]:
        """The step and the focused question, as a room shares them."""
        focused = self.app.focused
        focus = focused.id if focused is not None and focused.has_class("q-control") else None
        return {"step": self.step, "focus": focus}

    async def show_view(self, step: object, focus: object) -> None:
        """The presenter's step, and their question marked (a follower's screen)."""
        await self._ready.wait()
        if not self.is_attached:
            return  # closed meanwhile (the room moved on)
        if isinstance(step, int) and 0 <= step < len(STEPS) and step != self.step:
            await self.show_step(step)
        for box in self.query(QuestionBox):
            here = focus == box.field_widget.id
            box.set_class(here, "-presenter-here")
            if here:
                box.scroll_visible(animate=False)

    def set_following(self, following: bool) -> None:
        """Following a room: the answers are shown, not edited."""
        self.set_class(following, "-following")
        for scroll in self.query(StepScroll):
            scroll.disabled = following
        if not following:
            for box in self.query(QuestionBox):
                box.remove_class("-presenter-here")

    def refresh_answers(self) -> None:
        """The profile was replaced (the room's newest): every field shows its answer."""
        profile = self.session.profile
        if profile is None:
            return
        for box in self.query(QuestionBox):
            q = box.question
            box.set_answer(answer_of(profile, q))

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
            await self.action_results()

    async def action_previous_step(self) -> None:
        if self.step > 0:
            await self.show_step(self.step - 1)

    async def action_results(self) -> None:
        await self.app.run_action("show_results")

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
        box = self._box(event.input)
        if box is not None:
            event.stop()
            if not box.has_class("-invalid"):
                box.committed = self._answer(box)  # taken: the next refusal falls back to it
            self.focus_next()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """An edit begins: a refused entry will fall back to the answer in effect now."""
        box = self._box(event.widget)
        if box is not None:
            box.committed = self._answer(box)
            self.post_message(ViewChanged())

    def on_select_changed(self, event: Select.Changed) -> None:
        box = self._box(event.select)
        if box is None:
            return
        event.stop()
        value: Any = None if event.value is Select.NULL else event.value
        if box.question.kind == "precisions":
            value = precisions_value(value if isinstance(value, str) else None)
        self._apply(box, value)

    def on_switch_changed(self, event: Switch.Changed) -> None:
        box = self._box(event.switch)
        if box is None:
            return
        event.stop()
        box.side("yes" if event.value else "no")
        self._apply(box, bool(event.value))

    def _answer(self, box: QuestionBox) -> Any:
        """The question's value in the session's profile."""
        profile = self.session.profile
        if profile is None:
            return box.committed
        return answer_of(profile, box.question)

    def _not_taken(self, box: QuestionBox, why: str) -> None:
        """Refused: the answer from before this edit applies again (not a half-typed prefix:
        typing "1e30", "1e3" was taken on the way), and the message says which it is."""
        q = box.question
        profile = self.session.profile
        if profile is not None and not self.session.locked:
            section = owner(profile, q)
            before = box.committed
            if not same_value(getattr(section, q.key), before):
                with contextlib.suppress(ValidationError):  # it was taken before: it should be
                    assign(section, q.key, before)
                    self.post_message(AnswersChanged())
        current = self._answer(box)
        kept = to_text(q, current) or "empty"
        if q.kind == "share" and current is not None:
            kept += "%"
        box.say(f"Not taken (still {kept}): {why}")
        self._show_progress()

    def _apply(self, box: QuestionBox, value: Any) -> None:
        q = box.question
        profile = self.session.profile
        if profile is None or self.session.locked:  # following a room: not ours to change
            return
        section = owner(profile, q)
        was_invalid = box.has_class("-invalid")
        if same_value(getattr(section, q.key), value):
            box.say("")
        else:
            try:
                assign(section, q.key, value)
            except ValidationError as exc:
                self._not_taken(box, pydantic_message(exc))
                return
            box.say("")
            self.post_message(AnswersChanged())
        if was_invalid:
            self._show_progress()

    # -- the decision --------------------------------------------------------------------------
    def _decision_changed(self, decision: Decision | None) -> None:
        session = self.session
        error = session.error
        if error:  # the file name means nothing to the room: keep "field: what is wrong"
            error = error.removeprefix(f"{session.path or 'profile'}: ")
        self.query_one(LiveBar).show(decision, error)
        if decision is None or error:
            return
        for box in self.query(QuestionBox):
            q = box.question
            if q.kind in NUMERIC_KINDS and q.optional:
                box.query_one(Input).placeholder = empty_hint(q, decision)
