"""Tables of one decision: costs (annotated), rule trace, assumptions with sources."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from advisor.report.rows import cost_rows


class CostTable(DataTable[Text]):
    """API, self-hosted and each hybrid; the chosen one marked with '>' as well as bold."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_columns("Option", "Monthly", "xFriction", "/request", "/1K tok", "GPUs", "Util")
        self.notes: dict[str, str] = {}

    def show(self, data: dict[str, Any]) -> None:
        self.clear()
        for row in cost_rows(data):
            style = "bold" if row.chosen else "dim" if not row.applicable else ""
            mark = "> " if row.chosen else "  "
            self.add_row(
                *(
                    Text(cell, style=style, justify=just)
                    for cell, just in (
                        (mark + row.option.replace("Hybrid: ", "hybrid "), "left"),
                        (row.monthly, "right"),
                        (row.compared, "right"),
                        (row.per_request, "right"),
                        (row.per_1k, "right"),
                        (row.gpus.split(" ")[0], "right"),
                        (row.utilization, "right"),
                    )
                ),
                key=row.option,
            )
            self.notes[row.option] = f"{row.option} ({row.gpus}): {row.note}"


class RuleTable(DataTable[Text]):
    """Every rule: fired or not, its effect, why (with the numbers), the article section."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns("Rule", "Fired", "Effect", "Why")
        self.notes: dict[str, str] = {}

    def show(self, data: dict[str, Any]) -> None:
        self.clear()
        for r in data["rules"]:
            effect = r["effect"]
            what = effect["kind"] + (f" -> {effect['toward']}" if effect["toward"] else "")
            if effect["weight"]:
                what += f" {effect['weight']:.3g}"
            style = "" if r["fired"] else "dim"
            self.add_row(
                Text(r["id"], style=style),
                Text("yes" if r["fired"] else "no", style="bold" if r["fired"] else "dim"),
                Text(what, style=style),
                Text(r["explanation"], style=style),
                key=r["id"],
            )
            self.notes[r["id"]] = f"{r['id']}: {r['explanation']} (article: {r['source']})"


class AssumptionTable(DataTable[Text]):
    """Every input the decision used; catalog values with source and as-of date."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns("Input", "Value", "From", "As of", "Source")
        self.notes: dict[str, str] = {}

    def show(self, data: dict[str, Any]) -> None:
        self.clear()
        for a in data["assumptions"]:
            value = a["value"]
            shown = f"{value:,.6g}" if isinstance(value, float) else str(value)
            self.add_row(
                Text(a["name"]),
                Text(shown),
                Text(a["origin"]),
                Text(a["as_of"] or ""),
                Text(a["source"] or ""),
                key=a["name"],
            )
            where = f", {a['source']}, as of {a['as_of']}" if a["source"] else ""
            self.notes[a["name"]] = f"{a['name']} = {shown} (from {a['origin']}{where})"
