"""The chosen deployment in sentences, for every face: what runs and how it is sized, its
throughput and where it comes from, what the memory holds, how fast it answers."""

from __future__ import annotations

from advisor.core.decision.model import Decision
from advisor.core.decision.options import commitment_words, deployment_words
from advisor.core.fmt import money, plural, share

SHORT = {
    "on_demand": "on demand",
    "spot": "spot",
    "reserved_1y": "1y reserved",
    "reserved_3y": "3y reserved",
    "owned": "owned",
}


def deployment_sentences(decision: Decision) -> list[str]:
    choice, inp = decision.choice, decision.inputs
    d = choice.deployment
    how = "as you pinned it" if choice.pinned else "the cheapest that qualifies"
    out = [
        f"{deployment_words(d)} ({how}): {money(d.monthly_cost)}/month, "
        f"{share(d.utilization)} busy."
    ]
    if not d.qualifies and d.reason:
        out.append(f"Does not qualify: {d.reason}.")
    locked = commitment_words(d)
    if locked:
        out.append(locked)
    thr, mem = d.throughput, d.memory
    if thr.aggregate is not None:
        out.append(f"Throughput: {thr.aggregate:,.0f} tokens/s per copy (your figure).")
    else:
        out.append(
            f"Throughput: prefill {thr.prefill or 0:,.0f}, decode {thr.decode or 0:,.0f} "
            f"tokens/s per copy ({thr.mode}: {thr.engine or thr.source})."
        )
    out.append(
        f"Memory: {mem.weights_gb:,.1f} GB of weights in {mem.usable_gb:,.0f} GB usable leave "
        f"{max(mem.room_gb, 0):,.1f} GB for the KV cache: "
        f"{plural(mem.sequences, 'request')} of {inp.context_tokens:,.0f} tokens at once."
    )
    out.append(
        f"Time to first token at the busiest hour: about {d.first_token_ms:,.0f} ms "
        f"(target {inp.p95_ms:,.0f} ms)."
    )
    if choice.too_small:
        out.append(
            f"{plural(choice.too_small, 'configuration')} cannot hold the model and are not listed."
        )
    return out


def candidate_rows(decision: Decision) -> list[tuple[str, str, str, str, str, str]]:
    """(mark, configuration, sizing, copies, monthly, why) for each listed candidate."""
    rows = []
    for c in decision.choice.candidates:
        sizing = {"autoscale": "autoscaled", "peak": "for the peak"}.get(c.sizing, c.sizing)
        sizing += f", {SHORT[c.purchase]}"
        mark = ">" if c.chosen else "" if c.qualifies else "no"
        rows.append(
            (
                mark,
                f"{c.gpus_per_replica}x {c.gpu} {c.precision}",
                sizing,
                str(c.replicas),
                money(c.monthly_cost),
                "chosen" if c.chosen else c.reason,
            )
        )
    return rows
