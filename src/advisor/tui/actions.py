"""The app's actions as the command palette offers them, who may use them when, and the
small table an import of usage shows. No Textual."""

from __future__ import annotations

from typing import Any

ACTIONS = (
    ("new_profile", "New profile", "Start a new profile from defaults"),
    ("open", "Open profile", "Open a saved profile or an example"),
    ("save", "Save", "Save the profile (ctrl+s)"),
    ("save_as", "Save as", "Save the profile under a new name"),
    ("questionnaire", "Edit answers", "Walk through the questionnaire"),
    ("show_results", "Results", "Show the recommendation and the figures"),
    ("notes", "Notes", "Edit the notes that lead the decision memo"),
    ("export_memo", "Export memo", "Write the decision memo as Markdown"),
    ("import_usage", "Import usage", "Measure the workload from request logs, not guesses"),
    ("show_memo", "Show memo", "Show the decision memo to copy it (or send it to the clipboard)"),
    ("show_profile", "Show profile", "Show the profile as TOML to copy it"),
    ("help", "Help and glossary", "Keys, and what utilisation, friction, TCO mean"),
    ("welcome", "Welcome screen", "Back to the first screen"),
    ("room", "Present to a room", "Over SSH: the others follow your screen (F8: the room)"),
    ("look_around", "Look around on my own", "In a room: stop following for a while (F9)"),
    ("follow", "Follow the room again", "In a room: back to the presenter's screen (F9)"),
)
NEEDS_A_PROFILE = frozenset(
    {
        "save",
        "save_as",
        "export_memo",
        "notes",
        "show_memo",
        "show_profile",
        "questionnaire",
        "import_usage",
        "show_results",
    }
)


# What a follower may do while following (their keys on the shared screens go nowhere else):
# read, take the memo home, save a copy, look around, see the room, quit.
FOLLOWER_ACTIONS = frozenset(
    {
        "help",
        "room",
        "look_around",
        "show_memo",
        "show_profile",
        "export_memo",
        "save",
        "save_as",
        "quit",
        "command_palette",
    }
)
FOLLOWER_KEYS = frozenset({"f1", "f8", "f9", "ctrl+q", "ctrl+s", "ctrl+t", "ctrl+p", "m", "c"})


def comparison(before: Any, after: Any) -> str:
    """The answers a usage import changed, before and after, as a small table."""
    from advisor.core.fmt import number

    w, t, a = before.workload, before.traffic, before.api
    w2, t2, a2 = after.workload, after.traffic, after.api
    rows = [
        ("requests per day", number(w.requests_per_day), number(w2.requests_per_day)),
        ("input tokens", number(w.input_tokens), number(w2.input_tokens)),
        ("output tokens", number(w.output_tokens), number(w2.output_tokens)),
        (
            "peak-to-average",
            "-" if t.peak_to_average is None else number(t.peak_to_average),
            "-" if t2.peak_to_average is None else number(t2.peak_to_average),
        ),
        ("variability", t.variability, t2.variability),
        ("API model", a.model or "-", a2.model or "-"),
    ]
    lines = [f"{'':<22}{'your answer':>14}{'measured':>14}"]
    lines += [f"{label:<22}{old:>14}{new:>14}" for label, old, new in rows]
    lines += ["", "The measured figures are now the profile's answers (output lengths measured)."]
    return "\n".join(lines)
