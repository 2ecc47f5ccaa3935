"""Serving throughput per replica: simple mode, catalog presets, or an estimate from bounds."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from advisor.core.catalog.model import Catalog
from advisor.core.costs.inputs import DeploymentInputs


class Throughput(NamedTuple):
    """Per replica. Simple mode has one aggregate figure; batched modes prefill and decode."""

    mode: str  # "simple" | "preset" | "estimated"
    aggregate_tokens_per_s: float | None
    prefill_tokens_per_s: float | None
    decode_tokens_per_s: float | None
    batch_size: int | None
    source: str
    as_of: date | None
    notes: str = ""

    def busy(self, in_rate: float, out_rate: float) -> float:
        """Replicas' worth of busy time for a load of in/out tokens per second."""
        if self.aggregate_tokens_per_s is not None:
            return (in_rate + out_rate) / self.aggregate_tokens_per_s
        assert self.prefill_tokens_per_s and self.decode_tokens_per_s
        return in_rate / self.prefill_tokens_per_s + out_rate / self.decode_tokens_per_s

    def tokens_per_s(self, in_share: float) -> float:
        """Tokens per second one replica serves at 100% busy, for this in/out mix."""
        if self.aggregate_tokens_per_s is not None:
            return self.aggregate_tokens_per_s
        assert self.prefill_tokens_per_s and self.decode_tokens_per_s
        seconds = in_share / self.prefill_tokens_per_s + (1 - in_share) / self.decode_tokens_per_s
        return 1.0 / seconds


def simple(tokens_per_s: float) -> Throughput:
    return Throughput(
        mode="simple",
        aggregate_tokens_per_s=tokens_per_s,
        prefill_tokens_per_s=None,
        decode_tokens_per_s=None,
        batch_size=None,
        source="profile: self_host.throughput_tokens_per_s (aggregate, all tokens)",
        as_of=None,
    )


def batch_for(d: DeploymentInputs, catalog: Catalog, gpus: int) -> int:
    preset = catalog.preset(d.model_id, d.gpu_id, gpus, d.precision)
    return preset.batch_size if preset else catalog.defaults.batch_size


def batched(d: DeploymentInputs, catalog: Catalog, gpus: int, concurrency: int) -> Throughput:
    """The preset for this replica shape, or an estimate from the physical bounds."""
    preset = catalog.preset(d.model_id, d.gpu_id, gpus, d.precision)
    if preset is not None:
        prefill, decode, batch = (
            preset.prefill_tokens_per_s,
            preset.decode_tokens_per_s,
            preset.batch_size,
        )
        mode, source, as_of = "preset", f"{preset.source} ({preset.engine})", preset.as_of
        notes = preset.notes
    else:
        defaults = catalog.defaults
        batch = defaults.batch_size
        params = d.model.parameters_b * 1e9
        compute = gpus * d.gpu.tflops(d.precision) * 1e12 / (2 * params)
        memory = batch * gpus * d.gpu.bandwidth_tb_s * 1e12 / (params * d.spec.weight_bytes)
        prefill = defaults.prefill_efficiency * compute
        decode = defaults.decode_efficiency * min(memory, compute)
        mode, source, as_of = "estimated", "estimated from physical bounds (figures.md)", None
        notes = (
            f"no catalog preset for {d.model_id} on {gpus} x {d.gpu_id} at {d.precision}: "
            f"prefill {defaults.prefill_efficiency:.0%} of the compute bound, decode "
            f"{defaults.decode_efficiency:.0%} of the batch-{batch} bound"
        )
    scale = d.throughput_scale
    if concurrency < batch:
        decode *= concurrency / batch
    return Throughput(
        mode=mode,
        aggregate_tokens_per_s=None,
        prefill_tokens_per_s=prefill * scale,
        decode_tokens_per_s=decode * scale,
        batch_size=batch,
        source=source,
        as_of=as_of,
        notes=notes,
    )
