"""Memory fit: weights plus KV cache in the usable share of a replica's GPU memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from advisor.core.costs.inputs import DeploymentInputs
from advisor.core.errors import InputError

GPU_SIZES = (1, 2, 4, 8)


class MemoryFit(NamedTuple):
    gpus: int  # GPUs per replica the figures use
    weights_gb: float
    kv_per_sequence_gb: float
    usable_gb: float  # memory_fraction x gpus x memory
    batch_size: int  # concurrency the throughput figure assumes
    concurrency: int  # sequences that fit, capped at batch_size
    smallest_fit: int | None  # smallest of 1, 2, 4, 8 GPUs holding the full batch
    warning: str | None


def weights_gb(d: DeploymentInputs) -> float:
    return d.model.parameters_b * d.spec.weight_bytes


def kv_per_token_bytes(d: DeploymentInputs) -> float:
    m = d.model
    return 2.0 * m.layers * m.kv_heads * m.head_dim * d.spec.kv_bytes


def fit_memory(
    d: DeploymentInputs,
    context_tokens: float,
    batch_for: Callable[[int], int],
    memory_fraction: float,
    simple_mode: bool = False,
) -> MemoryFit:
    """Choose or check GPUs per replica (DESIGN.md section 2, "Memory fit")."""
    if context_tokens > d.model.context_max:
        raise InputError(
            "profile",
            f"requests of {context_tokens:,.0f} tokens (input + output) exceed the context "
            f"window of {d.model_id} ({d.model.context_max:,} tokens).",
            field="workload.input_tokens",
            allowed=f"input + output tokens up to {d.model.context_max:,}, or another model",
        )
    weights = weights_gb(d)
    kv_seq = kv_per_token_bytes(d) * max(context_tokens, 1.0) / 1e9
    per_gpu = memory_fraction * d.gpu.memory_gb

    def holds(gpus: int, sequences: int) -> bool:
        return weights + kv_seq * sequences <= per_gpu * gpus + 1e-9

    smallest = next((g for g in GPU_SIZES if holds(g, batch_for(g))), None)
    what = f"{d.model_id} at {d.precision}"
    warning = None
    if d.gpus is not None and holds(d.gpus, 1):
        gpus = d.gpus
        if not holds(gpus, batch_for(gpus)):
            left = per_gpu * gpus - weights
            warning = (
                f"{gpus} x {d.gpu_id} is too small for {what} at batch {batch_for(gpus)}: "
                f"weights {weights:,.1f} GB leave {left:,.1f} GB of {per_gpu * gpus:,.1f} GB "
                f"usable "
                f"for a KV cache of {kv_seq:,.2f} GB per {context_tokens:,.0f}-token request, "
                f"so only {int(left // kv_seq)} run at once"
                + (
                    " (the throughput you gave is used as is: check it was measured this way). "
                    if simple_mode
                    else " and throughput drops to match. "
                )
                + (
                    f"The smallest size that fits is {smallest} GPUs."
                    if smallest
                    else "Even 8 GPUs do not hold the full batch."
                )
            )
    else:
        fallback = smallest or next((g for g in GPU_SIZES if holds(g, 1)), None)
        if fallback is None:
            raise InputError(
                "profile",
                f"{what} does not fit even on 8 x {d.gpu_id}: weights {weights:,.1f} GB plus "
                f"{kv_seq:,.2f} GB of KV cache per request of {context_tokens:,.0f} tokens "
                f"(workload input + output tokens) exceed {per_gpu * 8:,.1f} GB usable.",
                field="self_host.gpu",
                allowed="a GPU with more memory, a lower precision (fp8, int4) or a smaller model",
            )
        if d.gpus is not None:
            warning = (
                f"{d.gpus} x {d.gpu_id} cannot hold {what} (weights {weights:,.1f} GB, "
                f"{per_gpu * d.gpus:,.1f} GB usable): figures use {fallback} GPUs per replica."
            )
        elif smallest is None:
            warning = (
                f"{what}: even 8 GPUs do not hold a full batch of {batch_for(8)} requests of "
                f"{context_tokens:,.0f} tokens; figures use {fallback} GPUs with fewer at once."
            )
        gpus = fallback
    batch = batch_for(gpus)
    room = per_gpu * gpus - weights
    concurrency = max(1, min(batch, int(room // kv_seq) if kv_seq > 0 else batch))
    return MemoryFit(
        gpus=gpus,
        weights_gb=weights,
        kv_per_sequence_gb=kv_seq,
        usable_gb=per_gpu * gpus,
        batch_size=batch,
        concurrency=concurrency,
        smallest_fit=smallest,
        warning=warning,
    )
