"""Tables of one decision: costs (annotated), rule trace, assumptions with sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from advisor.core.fmt import effect as fmt_effect
from advisor.core.fmt import money, money_fine, share
from advisor.core.marks import NOT_APPLICABLE, option_mark

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision

__all__ = ["NOT_APPLICABLE", "AssumptionTable", "CandidateTable", "CostTable", "RuleTable"]

Row = tuple[str, tuple[str | Text, ...], str, str]  # key, cells, style, note


def _width(cell: str | Text) -> int:
    """Cells across: the widest line of a header or a cell."""
    text = cell if isinstance(cell, Text) else Text(cell)
    return max((line.cell_len for line in text.split()), default=0)


class NotedTable(DataTable[Text]):
    """A table of rows with a note each (the full text, shown under the table for the
    highlighted row). Every `show` lays it out afresh: a DataTable's columns only ever
    widen, so refilling the old columns would keep the widths of every earlier decision.

    Each column is given its width when it is filled. Left to DataTable, the widths are
    measured when the table is next idle; a frame drawn before that caches each row at the
    headers' widths, and the cache is kept after the widths change (its keys do not include
    them): the table then stays truncated until its next change."""

    HEADERS: tuple[str, ...] = ()
    RIGHT: frozenset[int] = frozenset()  # columns of figures, right-aligned

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.notes: dict[str, str] = {}
        self._add_columns()

    def _add_columns(self, widths: list[int] | None = None) -> None:
        for index, header in enumerate(self.HEADERS):
            label = Text(header, justify="right" if index in self.RIGHT else "left")
            self.add_column(label, width=widths[index] if widths else None)

    def fill(self, rows: list[Row]) -> None:
        """Rows as (key, cells, style, note), a cell given as Text keeping its own style; the
        highlighted row stays highlighted if it is still there."""
        highlighted = self.highlighted_key
        texts = [
            [
                cell
                if isinstance(cell, Text)
                else Text(cell, style=style, justify="right" if i in self.RIGHT else "left")
                for i, cell in enumerate(cells)
            ]
            for _, cells, style, _ in rows
        ]
        self.clear(columns=True)
        columns = zip(self.HEADERS, *texts, strict=True)
        self._add_columns([max(map(_width, column)) for column in columns])
        self.notes = {}
        for (key, _, _, note), cells in zip(rows, texts, strict=True):
            self.add_row(*cells, key=key)
            self.notes[key] = note
        if highlighted in self.notes:
            self.move_cursor(row=self.get_row_index(highlighted), scroll=False)

    @property
    def highlighted_key(self) -> str | None:
        """The key of the row under the cursor (None while the table is empty)."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    @property
    def highlighted_note(self) -> str:
        return self.notes.get(self.highlighted_key or "", "")


class CostTable(NotedTable):
    """API, self-hosted and each hybrid. The first column says in marks what the styles
    show: '>' the chosen option (bold), 'n/a' an option that does not apply (dim)."""

    # "w/ friction", "/req": "With friction", "/request" in the reports (the legend under
    # the table says so); all eight columns fit 80 columns, also after a larger volume
    HEADERS = ("", "Option", "Monthly", "w/ friction", "/req", "/1K tok", "GPUs", "Util")
    RIGHT = frozenset({2, 3, 4, 5, 6, 7})

    def on_mount(self) -> None:
        super().on_mount()
        self.zebra_stripes = True

    def show(self, decision: Decision) -> None:
        rows: list[Row] = []
        for o in decision.options:
            mark = option_mark(o.chosen, o.applicable)
            cells = (
                mark,
                o.label,
                money(o.monthly_cost),
                money(o.with_friction),
                money_fine(o.per_request),
                money_fine(o.per_1k_tokens),
                o.gpu_grid,
                share(o.utilization) if o.deployment else "-",
            )
            style = "bold" if o.chosen else "dim" if not o.applicable else ""
            where = f" ({o.gpus})" if o.deployment else ""
            rows.append((o.id, cells, style, f"{o.label}{where}: {o.note}"))
        self.fill(rows)


class RuleTable(NotedTable):
    """Every rule: fired or not, its effect, why (with the numbers), the article section."""

    HEADERS = ("Rule", "Fired", "Effect", "Why")

    def show(self, decision: Decision) -> None:
        rows: list[Row] = []
        for r in decision.rules:
            effect = r.effect
            what = fmt_effect(effect.kind, effect.toward, effect.weight)
            fired = Text("yes", style="bold") if r.fired else Text("no", style="dim")
            cells = (r.id, fired, what, r.explanation)
            note = f"{r.id}: {r.explanation} (article: {r.source})"
            rows.append((r.id, cells, "" if r.fired else "dim", note))
        self.fill(rows)


class AssumptionTable(NotedTable):
    """Every input the decision used; catalog values with source and as-of date."""

    HEADERS = ("Input", "Value", "From", "As of", "Source")

    def show(self, decision: Decision) -> None:
        from advisor.core.decision.assumption_words import origin_words

        rows: list[Row] = []
        for a in decision.assumptions:
            as_of = a.as_of.isoformat() if a.as_of else ""
            origin = origin_words(a.origin)
            cells = (a.label, a.shown, origin, as_of, a.source or "")
            where = f"; {a.source}" if a.source else ""
            when = f", as of {as_of}" if as_of else ""
            note = f"{a.label}: {a.shown} (from {origin}{where}{when})"
            rows.append((a.name, cells, "", note))
        self.fill(rows)


class CandidateTable(NotedTable):
    """The deployment search: the chosen configuration and the next four, why each lost."""

    HEADERS = ("", "Configuration", "Sizing", "Copies", "Monthly", "Why not")
    RIGHT = frozenset({3, 4})

    def show(self, decision: Decision) -> None:
        from advisor.core.decision.deployment_words import candidate_rows

        rows: list[Row] = []
        candidates = decision.choice.candidates
        for i, (c, cells) in enumerate(zip(candidates, candidate_rows(decision), strict=True)):
            style = "bold" if c.chosen else "dim" if not c.qualifies else ""
            note = f"{cells[1]}, {cells[2]}: {c.reason}"
            rows.append((f"{i}", cells, style, note))
        self.fill(rows)
