"""Memory fit: a replica's weights plus the KV cache of the sequences it serves at once, in
the usable share of its GPUs' memory (DESIGN.md §2 "Memory fit", §6 "Choosing the deployment")."""

from __future__ import annotations

import math
from typing import NamedTuple

from advisor.core.catalog.model import Gpu, OpenModel, PrecisionSpec


class Memory(NamedTuple):
    weights_gb: float
    kv_per_token_bytes: float
    kv_per_sequence_gb: float  # one request's context (input + output) in the KV cache
    usable_gb: float  # memory_fraction x GPUs x memory
    room_gb: float  # what the weights leave for the KV cache (negative: they do not fit)
    sequences: int  # requests of this context that fit at once (0: not even one)

    @property
    def holds_weights(self) -> bool:
        return self.sequences >= 1


def weights_gb(model: OpenModel, spec: PrecisionSpec) -> float:
    return model.parameters_b * spec.weight_bytes


def kv_per_token_bytes(model: OpenModel, spec: PrecisionSpec) -> float:
    """2 (K and V) x layers x KV heads x head dim x bytes per element."""
    return 2.0 * model.layers * model.kv_heads * model.head_dim * spec.kv_bytes


def fit(
    model: OpenModel,
    spec: PrecisionSpec,
    gpu: Gpu,
    gpus: int,
    context_tokens: float,
    memory_fraction: float,
) -> Memory:
    weights = weights_gb(model, spec)
    per_token = kv_per_token_bytes(model, spec)
    per_sequence = per_token * max(context_tokens, 1.0) / 1e9
    usable = memory_fraction * gpus * gpu.memory_gb
    room = usable - weights
    sequences = max(0, math.floor(room / per_sequence + 1e-9)) if room > 0 else 0
    return Memory(weights, per_token, per_sequence, usable, room, sequences)
