"""Loading the catalog: the bundled file, with a user catalog's entries laid over it (and
checked against every bound, with errors naming the file, field and line)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from advisor.core import paths
from advisor.core.catalog.model import (
    ApiModel,
    Catalog,
    Defaults,
    Gpu,
    Meta,
    Offer,
    OpenModel,
    Owned,
    PrecisionSpec,
    Preset,
    PriceChange,
    PriceTier,
    Purchase,
    PurchaseOffer,
)
from advisor.core.files.read import MIB
from advisor.core.files.toml import read_toml

# A user catalog: its own entries, or thousands imported from LiteLLM (about 0.5 MB); what
# tomllib builds from 2 MiB of the most expensive TOML stays under 200 MB.
CATALOG_LIMIT = 2 * MIB
CATALOG_TABLES = 20_000  # table headers: LiteLLM's chat models are about 2,500
CATALOG_VALUES = 200_000  # keys, tables and values (LiteLLM's thousands of models: ~25,000)


def user_catalog_path() -> Path | None:
    """ADVISOR_CATALOG, else $XDG_CONFIG_HOME/advisor/catalog.toml when it exists."""
    if os.environ.get("ADVISOR_CATALOG"):
        return paths.user_catalog()
    candidate = paths.user_catalog()
    return candidate if candidate.is_file() else None


def _merge_raw(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if key == "presets" and isinstance(value, list):

            def ident(p: Any) -> Any:
                return tuple(p.get(k) for k in ("model", "gpu", "gpus", "precision"))

            keep = {ident(p): p for p in base.get("presets", [])}
            keep.update({ident(p): p for p in value if isinstance(p, dict)})
            merged[key] = list(keep.values())
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
    return merged


def bundled_catalog_text() -> str:
    return paths.read_bundled("catalog.toml")


def construct(raw: dict[str, Any]) -> Catalog:
    """Build a catalog from trusted, already-valid data (the bundled file), without checks."""

    def table(kind: Any, entries: dict[str, Any]) -> dict[str, Any]:
        return {key: kind(**value) for key, value in entries.items()}

    gpus = {
        key: Gpu(**{**value, "offers": [Offer(**o) for o in value.get("offers", [])]})
        for key, value in raw["gpus"].items()
    }

    def api_model(value: dict[str, Any]) -> ApiModel:
        tiers = [PriceTier(**t) for t in value.get("tiers", [])]
        history = [PriceChange(**c) for c in value.get("history", [])]
        return ApiModel(**{**value, "tiers": tiers, "history": history})

    purchase = {
        key: Purchase(**{**value, "offers": [PurchaseOffer(**o) for o in value.get("offers", [])]})
        for key, value in raw.get("purchase", {}).items()
    }
    return Catalog(
        purchase=purchase,
        owned=Owned(**raw["owned"]) if "owned" in raw else None,
        meta=Meta(**raw["meta"]),
        defaults=Defaults(**raw["defaults"]),
        precisions=table(PrecisionSpec, raw["precisions"]),
        api_models={key: api_model(value) for key, value in raw["api_models"].items()},
        gpus=gpus,
        models=table(OpenModel, raw["models"]),
        presets=[Preset(**p) for p in raw["presets"]],
    )


ENTRY_TABLES: dict[str, Any] = {
    "precisions": PrecisionSpec,
    "api_models": ApiModel,
    "gpus": Gpu,
    "models": OpenModel,
    "purchase": Purchase,
}


def _entry_errors(raw: dict[str, Any], config: Any) -> list[Any]:
    """Pydantic's errors for the catalog's keys and entries, each entry checked on its own,
    stopping past MAX_ERRORS: a catalog of 100,000 broken entries is refused in a moment,
    instead of a gigabyte of errors nobody reads."""
    from pydantic import TypeAdapter, ValidationError

    from advisor.core.profile.validation import MAX_ERRORS

    found: list[Any] = [
        {"type": "unexpected_keyword_argument", "loc": (key,), "msg": "", "input": None}
        for key in list(raw)[: MAX_ERRORS + 1]
        if key not in Catalog._fields
    ]
    groups: list[tuple[str, Any, list[tuple[str | int, Any]]]] = [
        (name, kind, list(raw[name].items()))
        for name, kind in ENTRY_TABLES.items()
        if isinstance(raw.get(name), dict)
    ]
    if isinstance(raw.get("presets"), list):
        groups.append(("presets", Preset, list(enumerate(raw["presets"]))))
    for name, kind, entries in groups:
        adapter = TypeAdapter(kind, config=config)
        for key, value in entries:
            if len(found) > MAX_ERRORS:
                return found
            try:
                adapter.validate_python(value)
            except ValidationError as exc:
                for error in exc.errors(include_url=False)[: MAX_ERRORS + 1]:
                    found.append({**error, "loc": (name, key, *error["loc"])})
    return found


def validate_catalog(raw: dict[str, Any], file: str, text: str | None = None) -> Catalog:
    """Check catalog data against every constraint; errors name the file, field and line."""
    from pydantic import ConfigDict, TypeAdapter, ValidationError

    from advisor.core.files.toml import refuse_oversized
    from advisor.core.profile.validation import MAX_ERRORS, input_errors, to_input_errors

    refuse_oversized(raw, file, CATALOG_VALUES, "a catalog")
    config = ConfigDict(strict=True, allow_inf_nan=False)
    found = _entry_errors(raw, config)
    if found:
        total = None if len(found) > MAX_ERRORS else len(found)
        raise input_errors(found, total, file, text, Catalog)
    adapter = TypeAdapter(Catalog, config=config)
    try:
        return adapter.validate_python(raw)
    except ValidationError as exc:
        raise to_input_errors(exc, file, text, Catalog) from None


def bundled_raw() -> dict[str, Any]:
    """The bundled catalog's data: catalog.toml and api_models.toml with presets.toml (the
    measured throughput presets) laid over them, as bundled_data.py holds them parsed
    (generated from the TOML files by scripts/build_bundled_catalog.py; a test holds the two
    to the same data). A fresh copy each call."""
    from advisor.core.catalog.bundled_data import raw

    return raw()


@cache
def load_catalog(user_path: Path | None = None) -> Catalog:
    """The bundled catalog, with the user catalog's entries laid over it (and checked)."""
    raw = bundled_raw()
    if user_path is None:
        return construct(raw)
    extra, text = read_toml(
        user_path, "a catalog file", CATALOG_LIMIT, CATALOG_TABLES, inline_tables=True
    )
    return validate_catalog(_merge_raw(raw, extra), str(user_path), text)


def default_catalog() -> Catalog:
    """The catalog the program uses: bundled plus the user's, if any."""
    return load_catalog(user_catalog_path())
