"""The one place that knows what day it is (tests set ADVISOR_TODAY=YYYY-MM-DD)."""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    """Today's date, or the date in ADVISOR_TODAY when set (reproducible outputs)."""
    fixed = os.environ.get("ADVISOR_TODAY")
    if fixed:
        return date.fromisoformat(fixed)
    return date.today()
