"""The catalog's API entries, built from genai-prices data: the curated closed models, the
newest Claude of each family, and every provider's offer of the hosted open models.

`build(providers, as_of)` gives the entries in the order the bundled file lists them. Each entry
is shaped like `advisor.core.catalog.model.ApiModel`: prices in force on `as_of`, the cached
input price, long-context tiers, the batch discount, the price history, retirement (the data's,
or a dated one from `curated.RETIREMENTS`) and the successor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from genai_prices.data_snapshot import DataSnapshot
from genai_prices.types import ModelInfo, ModelPrice, Provider

from advisor.prices import curated
from advisor.prices.genai import (
    PricePoint,
    at_tier,
    base,
    batch_data_start,
    batch_discount,
    batch_prices,
    history,
    inferred_retirement,
    resolve_prices,
    retirement,
    tier_starts,
)


@dataclass
class Tier:
    above_input_tokens: int
    input: Decimal | None
    output: Decimal | None
    cached: Decimal | None


@dataclass
class Entry:
    id: str
    name: str
    provider: str
    input: Decimal
    output: Decimal
    cached: Decimal | None = None
    batch_discount: Decimal | float | None = None
    batch_comment: str = ""  # where a hand-kept discount comes from
    open_model: str | None = None
    retired: bool | date = False
    retired_comment: str = ""
    successor: str | None = None
    notes: str = ""
    tiers: list[Tier] = field(default_factory=list)
    history: list[tuple[date, PricePoint]] = field(default_factory=list)


@dataclass
class Built:
    entries: list[Entry]
    missing: list[str]  # curated models the data lacks, and why
    hosted_log: list[str]  # which provider model each hosted entry is


def fmt(value: Decimal | float | None) -> str:
    """A price as a TOML float, binary-float noise in the data rounded away (1.0399999999999998
    is 1.04)."""
    if value is None:
        return "nan"
    number = Decimal(str(value)).quantize(Decimal("1e-10")).normalize()
    text = format(number, "f")
    return text if "." in text else text + ".0"


def make_entry(
    our_id: str,
    name: str,
    provider: Provider,
    model: ModelInfo,
    as_of: date,
    open_model: str | None = None,
    extra_notes: str = "",
) -> Entry | None:
    """One entry, or None when the data has no token prices for the model."""
    resolved = resolve_prices(model, as_of)
    standard = resolved.prices
    price_in, price_out = base(standard.input_mtok), base(standard.output_mtok)
    if price_in is None or price_out is None:
        return None
    flagged, flagged_date = retirement(model)
    entry = Entry(
        id=our_id,
        name=name,
        provider=curated.provider_display(provider.id, provider.name)
        if open_model
        else provider.name,
        input=price_in,
        output=price_out,
        cached=base(standard.cache_read_mtok),
        open_model=open_model,
        retired=flagged_date or flagged,
        history=history(model, as_of),
    )
    if not flagged_date and flagged:
        entry.retired_comment = "deprecated/retired per the data; no date given"
    for start in tier_starts(standard):
        entry.tiers.append(
            Tier(
                start,
                at_tier(standard.input_mtok, start),
                at_tier(standard.output_mtok, start),
                at_tier(standard.cache_read_mtok, start),
            )
        )
    notes = [f"genai-prices {provider.id}/{model.id}"]
    _batch(entry, provider, model, standard, as_of, notes)
    if open_model is None and not flagged:
        why = inferred_retirement(provider, model, as_of)
        if why:
            entry.retired, entry.retired_comment = True, why
    override = curated.RETIREMENTS.get(our_id)
    if override is not None:
        entry.retired, entry.retired_comment = override.when, override.source
    if resolved.since is not None:
        notes.append(f"price in force since {resolved.since.isoformat()}")
    earlier = sorted(d for d in resolved.starts if d != resolved.since and d <= as_of)
    later = sorted(d for d in resolved.starts if d > as_of)
    if earlier:
        notes.append("earlier price changes " + ", ".join(d.isoformat() for d in earlier))
    if later:
        notes.append("SCHEDULED price change " + ", ".join(d.isoformat() for d in later))
    if standard.cache_write_mtok is not None:
        notes.append(f"cache write {fmt(base(standard.cache_write_mtok))}/MTok")
    if extra_notes:
        notes.append(extra_notes)
    entry.notes = "; ".join(notes)
    return entry


def _batch(
    entry: Entry,
    provider: Provider,
    model: ModelInfo,
    standard: ModelPrice,
    as_of: date,
    notes: list[str],
) -> None:
    """The batch discount from the data's batch price; the hand-kept one only for a closed
    model before the provider's batch data starts."""
    batch = batch_prices(model, as_of)
    if batch is not None:
        discount, why = batch_discount(standard, batch)
        if discount is None:
            notes.append(why)
            return
        entry.batch_discount = discount
        if standard.cache_read_mtok is not None and batch.cache_read_mtok is None:
            notes.append("batch: cached input at the standard rate")
        return
    starts = batch_data_start(provider)
    if (
        entry.open_model is None
        and entry.retired is False
        and provider.id in curated.BATCH_FALLBACK
        and (starts is None or as_of < starts)
    ):
        entry.batch_discount, entry.batch_comment = curated.BATCH_FALLBACK[provider.id]


def claude_newest(anthropic: Provider) -> list[tuple[str, str, str]]:
    """(our id, name, model id) of the newest Claude of each family (and the newest Opus 4.x)."""
    pattern = re.compile(r"^claude-(sonnet|opus|haiku)-(\d+)(?:-(\d+))?$")
    found: dict[tuple[str, int | None], tuple[tuple[int, int], str]] = {}
    for model in anthropic.models:
        match = pattern.match(model.id)
        if not match or model.deprecated:
            continue
        family, major, minor = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        keys: list[tuple[str, int | None]] = [(family, None)]
        if (family, major) in curated.CLAUDE_NEWEST_WITHIN_MAJOR:
            keys.append((family, major))
        for key in keys:
            if family in curated.CLAUDE_NEWEST_FAMILIES and (
                key not in found or (major, minor) > found[key][0]
            ):
                found[key] = ((major, minor), model.id)
    newest = []
    for (family, _), ((major, minor), model_id) in sorted(
        found.items(), key=lambda kv: (kv[0][0], kv[1][0])
    ):
        version = f"{major}.{minor}" if minor else f"{major}"
        newest.append(
            (f"claude-{family}-{version}", f"Claude {family.capitalize()} {version}", model_id)
        )
    return newest


Candidate = tuple[tuple[bool, bool, int, str], Provider, ModelInfo, ModelPrice]


def _offers(providers: list[Provider], open_id: str, as_of: date) -> dict[str, list[Candidate]]:
    """Each provider's models that serve the open model, best-ranked first."""
    definition = curated.OPEN_MODELS[open_id]
    per_provider: dict[str, list[Candidate]] = {}
    for provider in providers:
        for model in provider.models:
            match = definition.pattern.match(curated.canonical_name(model.id))
            if not match or curated.DERIVATIVE.search(model.id.lower()):
                continue
            suffix = match.group("suffix").strip("-")
            label = model.name or ""
            if ":free" in model.id or "(base)" in label or "(free)" in label:
                continue
            if open_id == "llama-3.1-405b" and suffix == "" and provider.id == "openrouter":
                continue  # OpenRouter's bare 'llama-3.1-405b' is the base, not instruct, model
            standard = resolve_prices(model, as_of).prices
            if standard.input_mtok is None or standard.output_mtok is None:
                continue
            rank = (bool(model.deprecated), suffix not in curated.PLAIN_SUFFIXES, len(model.id))
            per_provider.setdefault(provider.id, []).append(
                ((*rank, model.id), provider, model, standard)
            )
    for candidates in per_provider.values():
        candidates.sort(key=lambda c: c[0])
    return per_provider


def hosted_entries(
    providers: list[Provider], open_ids: list[str], as_of: date
) -> tuple[list[Entry], list[str]]:
    """Every provider's offer of each open model: the plain variant, the others in notes."""
    entries: list[Entry] = []
    log: list[str] = []
    for open_id in open_ids:
        definition = curated.OPEN_MODELS[open_id]
        offers = _offers(providers, open_id, as_of)

        def display(item: tuple[str, list[Candidate]]) -> str:
            provider = item[1][0][1]
            return curated.provider_display(provider.id, provider.name).lower()

        for _, candidates in sorted(offers.items(), key=display):
            _, provider, model, _ = candidates[0]
            others = [
                f"also {c[2].id} ${fmt(base(c[3].input_mtok))}/${fmt(base(c[3].output_mtok))} "
                "in/out" + (" (deprecated)" if c[2].deprecated else "")
                for c in candidates[1:]
            ]
            shown = curated.provider_display(provider.id, provider.name)
            entry = make_entry(
                f"{curated.provider_slug(provider.id)}-{open_id}",
                f"{definition.name} ({shown})",
                provider,
                model,
                as_of,
                open_model=open_id,
                extra_notes="; ".join(others),
            )
            if entry:
                entries.append(entry)
                more = f" [+{len(others)} variants]" if others else ""
                log.append(f"{open_id}: {provider.id}/{model.id} -> {entry.id}{more}")
    return entries, log


def build(
    providers: list[Provider],
    as_of: date,
    open_ids: list[str] | None = None,
) -> Built:
    """Every entry, curated closed models first, then the hosted open models."""
    open_ids = list(curated.DEFAULT_OPEN_MODELS) if open_ids is None else open_ids
    snapshot = DataSnapshot(providers=providers, from_auto_update=False)
    by_id = {p.id: p for p in providers}
    wanted = list(curated.CURATED)
    have = {c[0] for c in wanted}
    if "anthropic" in by_id:
        at = max(i for i, c in enumerate(wanted) if c[2] == "anthropic") + 1
        for our_id, name, model_id in claude_newest(by_id["anthropic"]):
            if our_id not in have:
                wanted.insert(at, (our_id, name, "anthropic", model_id))
                at += 1
                have.add(our_id)
    entries: list[Entry] = []
    missing: list[str] = []
    for our_id, name, provider_id, ref in wanted:
        try:
            provider, model = snapshot.find_provider_model(ref, None, provider_id, None)
        except LookupError:
            missing.append(f"{our_id} ({provider_id}/{ref})")
            continue
        if provider.id != provider_id or not any(m is model for m in provider.models):
            missing.append(f"{our_id} ({provider_id}/{ref}: only via fallback provider)")
            continue
        entry = make_entry(our_id, name, provider, model, as_of)
        if entry is None:
            missing.append(f"{our_id} ({provider_id}/{model.id}: no token prices)")
            continue
        entries.append(entry)
    hosted, hosted_log = hosted_entries(providers, open_ids, as_of)
    entries.extend(hosted)
    emitted = {e.id for e in entries}
    for entry in entries:
        successor = curated.SUCCESSORS.get(entry.id)
        if entry.retired is not False and successor in emitted:
            entry.successor = successor
    ids = [e.id for e in entries]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"the data gives these ids twice: {', '.join(twice)}")
    return Built(entries, missing, hosted_log)
