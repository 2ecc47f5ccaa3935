"""Text fields whose editing keys act in the order they were typed.

Textual inserts a typed character in the field's own turn, but runs a field's bindings
(backspace, end, ctrl+w and the rest) only after the key has gone up to the app and back. A
burst of keys, as an SSH packet or a terminal multiplexer delivers a fast typist's, then
came out of order: "end, backspace x7, 20000" inserted 20000 first and deleted it after. Here
a field runs its own editing bindings in its turn, as it inserts characters; which key does
what is the widget's own table (its BINDINGS), and keys the app or the screen hold as
priority bindings never reach the field, as before.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, TextArea


def editing_keys(bindings: list[BindingType]) -> dict[str, str]:
    """Each key of a widget's bindings and the action it runs."""
    keys: dict[str, str] = {}
    for binding in bindings:
        if isinstance(binding, Binding):
            for key in binding.key.split(","):
                keys[key.strip()] = binding.action
    return keys


async def act_in_order(field: Widget, event: events.Key, keys: dict[str, str]) -> None:
    action = keys.get(event.key)
    if action is None:
        return  # a character: the widget's own handler inserts it, in this same turn
    event.stop()
    event.prevent_default()
    await field.run_action(action)


INPUT_KEYS = editing_keys(Input.BINDINGS)
TEXT_AREA_KEYS = editing_keys(TextArea.BINDINGS)


class InOrderInput(Input):
    async def on_key(self, event: events.Key) -> None:
        await act_in_order(self, event, INPUT_KEYS)


class InOrderTextArea(TextArea):
    async def on_key(self, event: events.Key) -> None:
        await act_in_order(self, event, TEXT_AREA_KEYS)
