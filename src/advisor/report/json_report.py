"""The JSON report: the contract of DESIGN.md section 4, one object on stdout."""

from __future__ import annotations

import json

from advisor.core.decision.model import Decision
from advisor.core.decision.serialize import to_dict


def render(decision: Decision) -> str:
    return json.dumps(to_dict(decision), indent=2, allow_nan=False) + "\n"
