"""The options' names and the cost table's marks, in every face: no other import, so the
app's first frame can use them without loading the cost model."""

from __future__ import annotations

NOT_APPLICABLE = "n/a"  # the cost table's mark, in every face, for an option that does not apply
COST_LEGEND = (
    f"> marks the recommendation, {NOT_APPLICABLE} an option that does not apply to these "
    "answers (priced for comparison, never chosen); GPUs: replicas × GPUs per replica."
)


def option_mark(chosen: bool, applicable: bool) -> str:
    """'>' the recommended option, 'n/a' one that does not apply, '' the others."""
    return ">" if chosen else "" if applicable else NOT_APPLICABLE


# Each option as a table row names it.
LABELS = {
    "api": "API",
    "hosted_open": "Hosted open model",
    "self_host": "Self-hosted",
    "volume": "+ API for peaks",
    "complexity": "hybrid complexity",
    "sensitivity": "hybrid sensitivity",
    "latency": "hybrid latency",
}
