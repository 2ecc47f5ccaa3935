"""The room on screen: a line under the header of every screen (who is here, who drives),
and the room's panel (F8): the command the others type, who is in, and the presenter's keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from advisor.tui.room.model import RoomView

if TYPE_CHECKING:
    from advisor.tui.room.presence import Presence


def bar_text(view: RoomView, on_own: bool, width: int = 1000) -> Text:
    """'Room K7QX2M · following alice (F9: look around) · in: alice, bob (you), carol', as
    many names as fit in `width` (then '+3 more, F8'): the room's panel lists everyone."""
    text = Text()
    text.append(f"Room {view.code}", style="bold")
    if view.presenting and view.driving:
        doing = "you present (F8: the room)"
    elif view.driving:
        doing = "you have the keyboard"
    elif on_own:
        doing = f"on your own (F9: follow {view.driver_name})"
    else:
        doing = f"following {view.driver_name} (F9: look around)"
    text.append(f" · {doing} · in: ")
    names = view.names()
    for count in range(len(names), 0, -1):  # as many as fit, with how many more there are
        shown = ", ".join(names[:count])
        if count < len(names):
            shown += f" +{len(names) - count} more (F8)"
        if text.cell_len + len(shown) <= width or count == 1:
            text.append(shown)
            break
    return text


class RoomBar(Widget):
    """Who is in the room and who drives: on every screen of every member, under the header,
    one line at any width."""

    DEFAULT_CSS = """
    RoomBar {
        height: 1;
        padding: 0 1;
        background: $boost;
        color: $text;
    }
    """

    view: RoomView | None = None
    on_own = False

    def show(self, view: RoomView | None, on_own: bool) -> None:
        self.view, self.on_own = view, on_own
        self.display = view is not None
        self.refresh()

    def render(self) -> Text:
        if self.view is None:
            return Text()
        return bar_text(self.view, self.on_own, self.size.width - 2)


class RoomScreen(ModalScreen[None]):
    """The room: the command to join, the members, and (presenting) hand the keyboard over,
    take it back, ask before anyone joins, end the room."""

    BINDINGS = [
        Binding("escape,f8", "dismiss", "Close"),
        Binding("h", "hand", "Hand the keyboard"),
        Binding("t", "take", "Take it back"),
        Binding("a", "approval", "Ask before joining"),
        Binding("e", "end", "End the room"),
    ]

    def __init__(self, presence: Presence) -> None:
        super().__init__()
        self.presence = presence

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="room-dialog"):
            yield Label("Room", classes="dialog-title", id="room-title")
            yield Static(id="room-join", markup=False)
            yield OptionList(id="room-members")
            yield Static(id="room-keys", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.refresh_view()

    @property
    def view(self) -> RoomView | None:
        return self.presence.view

    def refresh_view(self) -> None:
        view = self.view
        if not self.is_attached or self not in self.app.screen_stack:
            return  # closed meanwhile
        if view is None:
            self.dismiss()
            return
        self.query_one("#room-title", Label).update(f"Room {view.code}")
        join = Text("The others join from their own terminal with:\n")
        join.append(view.join, style="bold reverse")
        join.append(
            "\nEveryone sees your profile and screen at their own size; "
            + (
                "you are asked before anyone comes in."
                if view.approval
                else "anyone with a key to this server and the code comes straight in."
            )
        )
        self.query_one("#room-join", Static).update(join)
        members = self.query_one("#room-members", OptionList)
        chosen = self._highlighted()
        members.clear_options()
        members.add_options(
            Option(f"{m.name}{' (you)' if m.id == view.you else ''}: {view.role(m)}", id=str(m.id))
            for m in view.members
        )
        # The same person as before; else the first one but you (the one to hand over to).
        ids = [m.id for m in view.members]
        others = [i for i, m in enumerate(ids) if m != view.you]
        if chosen in ids and chosen != view.you:
            members.highlighted = ids.index(chosen)
        elif ids:
            members.highlighted = others[0] if others else 0
        if view.presenting:
            keys = "h hands the keyboard to the highlighted person, t takes it back; a: ask "
            keys += f"before anyone joins ({'on' if view.approval else 'off'}); e ends the room."
        else:
            keys = "F9 looks around on your own, and follows again. Only the presenter can "
            keys += "hand the keyboard over."
        self.query_one("#room-keys", Static).update(keys + " Esc closes.")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        if action in ("hand", "take", "approval", "end"):
            if view is None or not view.presenting:
                return False
            if action == "take":
                return None if view.driving else True  # dimmed while you have it
        return True

    def _highlighted(self) -> int | None:
        members = self.query_one("#room-members", OptionList)
        if members.highlighted is None:
            return None
        option = members.get_option_at_index(members.highlighted)
        return int(option.id) if option.id else None

    def action_hand(self) -> None:
        view, member = self.view, self._highlighted()
        if view is None or member is None or member == view.you:
            self.notify("Highlight someone else in the list first (arrow keys).")
            return
        chosen = next(m for m in view.members if m.id == member)
        if chosen.mode == "own":
            self.notify(
                f"{chosen.name} is looking around on their own: ask them to press F9 to "
                "follow again first.",
                severity="warning",
            )
            return
        self.presence.send("hand", to=member)

    def action_take(self) -> None:
        self.presence.send("take")

    def action_approval(self) -> None:
        if self.view is not None:
            self.presence.send("approval", required=not self.view.approval)

    def action_end(self) -> None:
        self.presence.send("end")
