"""Small modal dialogs: open, save as, unsaved changes, a yes-or-no question, a message, the
notes editor."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from advisor.core.text import printable
from advisor.tui.widgets.fields import InOrderInput, InOrderTextArea

# Every text these dialogs show may come from a file (a profile's name or notes, a message
# quoting a value): escaped with advisor.core.text.printable, never written to the terminal raw.


class MessageScreen(ModalScreen[None]):
    """A message to read (an error names file, field and line); any of the keys closes it."""

    BINDINGS = [Binding("escape,enter,space", "dismiss", "Close")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text, self.message = printable(title), printable(message, "\n")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.message, id="message", markup=False)
            yield Button("OK", id="ok", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()


class OpenScreen(ModalScreen[str | None]):
    """Pick a saved profile, a team profile or an example; returns 'saved:NAME',
    'team:NAME', 'example:NAME' or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self, saved: list[str], examples: list[str], folder: str, team: list[str] | None = None
    ) -> None:
        super().__init__()
        self.saved, self.examples, self.folder = saved, examples, folder
        self.team = team or []

    def compose(self) -> ComposeResult:
        options: list[Option | None] = [
            Option(Text(printable(name)), id=f"saved:{name}") for name in self.saved
        ]
        if not self.saved:
            options.append(Option(f"(nothing saved yet in {self.folder})", disabled=True))
        options.append(None)
        if self.team:
            options += [
                Option(Text(printable(f"team: {n} (read-only)")), id=f"team:{n}") for n in self.team
            ]
            options.append(None)
        options += [Option(f"example: {n} (read-only)", id=f"example:{n}") for n in self.examples]
        with Vertical(classes="dialog"):
            yield Label(f"Open a profile  ·  {self.folder}", classes="dialog-title")
            yield OptionList(*options, id="open-list")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_button_pressed(self) -> None:
        self.dismiss(None)


class AskScreen(ModalScreen[str | None]):
    """Ask for one line of text; returns it (stripped), or None when cancelled or empty."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self, title: str, value: str, placeholder: str, hint: str, ok: str, input_id: str
    ) -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder = title, printable(value), placeholder
        self.hint, self.ok, self.input_id = hint, ok, input_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield InOrderInput(
                self.value,
                placeholder=self.placeholder,
                id=self.input_id,
                select_on_focus=False,  # a late selection would eat fast typing over SSH
            )
            yield Static(self.hint, classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(self.ok, id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False  # over SSH every blink is a screen update

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        value = self.query_one(Input).value.strip()
        self.dismiss(value or None if event.button.id == "ok" else None)


class SaveAsScreen(AskScreen):
    """Ask for a file name (sanitised and kept inside the profiles folder by the store)."""

    def __init__(self, suggestion: str, folder: str, copy: bool = False) -> None:
        super().__init__(
            f"{'Save a copy' if copy else 'Save as'}  ·  in {folder}",
            suggestion,
            "a name, e.g. support-assistant",
            "Letters, digits, spaces, '.', '-' and '_'; saved as NAME.toml.",
            "Save",
            "name",
        )


class UnsavedScreen(ModalScreen[str]):
    """Unsaved changes: 'save', 'discard' or 'cancel'."""

    BINDINGS = [
        Binding("s", "dismiss('save')", "Save"),
        Binding("d", "dismiss('discard')", "Discard"),
        Binding("escape,c", "dismiss('cancel')", "Cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Unsaved changes", classes="dialog-title")
            yield Static("This profile has changes that are not saved.")
            with Horizontal(classes="buttons"):
                yield Button("Save (s)", id="save", variant="primary")
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Cancel (c)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")


class ChangedOnDiskScreen(ModalScreen[str]):
    """The file was changed on disk since it was opened: 'replace', 'save_as' or 'cancel'."""

    BINDINGS = [
        Binding("r", "dismiss('replace')", "Replace it"),
        Binding("a", "dismiss('save_as')", "Save as"),
        Binding("escape,c", "dismiss('cancel')", "Cancel"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name_shown = printable(name)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Changed on disk", classes="dialog-title")
            yield Static(
                f"{self.name_shown} changed on disk since you opened it (another session or "
                "an editor saved it). Replace it with your answers, save yours under another "
                "name, or cancel?",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Replace (r)", id="replace", variant="error")
                yield Button("Save as (a)", id="save_as", variant="primary")
                yield Button("Cancel (c)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")


class DraftScreen(ModalScreen[bool]):
    """Unsaved answers kept from a session that ended: True to restore them, False to drop."""

    BINDINGS = [
        Binding("r", "dismiss(True)", "Restore"),
        Binding("d", "dismiss(False)", "Discard"),
    ]

    def __init__(self, described: str) -> None:
        super().__init__()
        self.described = described

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Unsaved changes from your last session", classes="dialog-title")
            yield Static(
                f"Your last session ended before these answers were saved: {self.described}. "
                "Restore them to go on where you left off?",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Restore (r)", id="restore", variant="primary")
                yield Button("Discard (d)", id="discard", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "restore")


class ConfirmScreen(ModalScreen[bool]):
    """A yes-or-no question: True for the action named on the first button. `settle`: for a
    question that comes unasked (someone knocks), keys pressed in its first moments were
    meant for something else and answer nothing."""

    BINDINGS = [
        Binding("y", "dismiss(True)", "Yes"),
        Binding("escape,n", "dismiss(False)", "No"),
    ]

    def __init__(
        self,
        title: str,
        question: str,
        action: str,
        no: str = "Cancel",
        risky: bool = True,
        settle: float = 0.0,
    ) -> None:
        super().__init__()
        self.title_text, self.question = title, printable(question, "\n")
        self.action, self.no = action, no
        self.risky = risky
        self.settle = settle
        self._shown = float("inf")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(
                    f"{self.action} (y)", id="yes", variant="error" if self.risky else "primary"
                )
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self._shown = time.monotonic()

    @property
    def settled(self) -> bool:
        return time.monotonic() - self._shown >= self.settle

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "dismiss" or self.settled

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if self.settled:
            self.dismiss(event.button.id == "yes")


class NotesScreen(ModalScreen[str | None]):
    """Edit the profile's notes: why we looked, what finance asked, what we decided."""

    BINDINGS = [
        Binding("ctrl+s,f2", "done", "Keep notes"),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, notes: str) -> None:
        super().__init__()
        self.notes = printable(notes, "\n\t")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Notes: they lead the decision memo", classes="dialog-title")
            yield InOrderTextArea(self.notes, id="notes", soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button("Keep notes (F2)", id="done", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).cursor_blink = False  # over SSH every blink is an update

    def action_done(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "done":
            self.action_done()
        else:
            self.dismiss(None)


class TextScreen(ModalScreen[None]):
    """A text to take home: shown for copying, and `c` puts it on the clipboard (OSC 52)."""

    BINDINGS = [
        Binding("c", "copy", "Copy to clipboard"),
        Binding("escape,q", "dismiss", "Close"),
    ]

    HINT = (
        "c copies it through your terminal (OSC 52, where the terminal allows it); "
        "or select it with the mouse."
    )

    def __init__(self, title: str, text: str, hint: str | None = None) -> None:
        super().__init__()
        self.title_text, self.text = title, printable(text, "\n\t")
        self.hint = hint or self.HINT

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            yield TextArea(self.text, read_only=True, soft_wrap=False, id="text")
            yield Static(self.hint, classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(TextArea).cursor_blink = False  # over SSH every blink is an update

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Sent to your terminal's clipboard.")


class ImportUsageScreen(AskScreen):
    """Ask for request logs to measure the workload from (CSV, JSON Lines, LiteLLM, OpenAI)."""

    def __init__(self) -> None:
        super().__init__(
            "Import usage: measure instead of guess",
            "",
            "path to a log file, e.g. logs/november.csv",
            "Request logs: CSV or JSON Lines with timestamp, model, input_tokens, "
            "output_tokens; LiteLLM spend logs; OpenAI responses. The measured volume, "
            "token counts, traffic shape and model replace the guesses.",
            "Import",
            "logs",
        )
