"""Tables of one decision: costs (annotated), rule trace, assumptions with sources."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from advisor.report.rows import cost_rows


class CostTable(DataTable[Text]):
    """API, self-hosted and each hybrid; the chosen one marked with '>' as well as bold."""

    HEADERS = ("", "Option", "Monthly", "xFriction", "/request", "/1K tok", "GPUs", "Util")
    RIGHT = frozenset({2, 3, 4, 5, 6, 7})

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.notes: dict[str, str] = {}
        for index, header in enumerate(self.HEADERS):
            self.add_column(Text(header, justify="right" if index in self.RIGHT else "left"))

    def show(self, data: dict[str, Any]) -> None:
        self.clear()
        rows = cost_rows(data)
        cells = [
            (
                ">" if row.chosen else "",
                row.option.replace("Hybrid: ", "hybrid "),
                row.monthly,
                row.compared,
                row.per_request,
                row.per_1k,
                row.gpus.split(" ")[0],
                row.utilization,
            )
            for row in rows
        ]
        widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(self.HEADERS)]
        for row, values in zip(rows, cells, strict=True):
            style = "bold" if row.chosen else "dim" if not row.applicable else ""
            self.add_row(
                *(
                    Text(v.rjust(widths[i]) if i in self.RIGHT else v, style=style)
                    for i, v in enumerate(values)
                ),
                key=row.option,
            )
            where = f" ({row.gpus})" if row.gpus != "-" else ""
            self.notes[row.option] = f"{row.option}{where}: {row.note}"


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
