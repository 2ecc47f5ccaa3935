"""Break-even chart placeholder; replaced by the real chart in this change set."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static


class BreakEvenChart(Static):
    def show(self, data: dict[str, Any]) -> None:
        be = data["break_even"]
        self.update(f"Break-even: {be['requests_per_day']}")
