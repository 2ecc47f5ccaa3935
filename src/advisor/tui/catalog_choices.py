"""The questionnaire's catalog choices (API model, open model, GPU, precision): names in
plain words and escaped, prices with their as-of date, and what an empty choice means."""

from __future__ import annotations

from typing import Any

from advisor.core.text import clip, printable


def _price(x: float) -> str:
    """$3, $2.50, $0.075."""
    if float(x).is_integer():
        return f"${x:.0f}"
    return f"${x:.2f}" if round(x, 2) == x else f"${x:g}"


def catalog_options(kind: str, catalog: Any) -> list[tuple[str, str]]:
    """(label, id) for a catalog choice: names in plain words, prices with their as-of date."""
    if kind == "api_model":  # on sale first; a retired model says so
        return [
            (
                f"{shown(m.name)} · {_price(m.input_per_mtok)}/{_price(m.output_per_mtok)} · "
                f"{m.as_of.isoformat()}" + (" · retired" if m.retired is not False else ""),
                key,
            )
            for key, m in sorted(
                catalog.api_models.items(), key=lambda item: item[1].retired is not False
            )
        ]
    if kind == "open_model":
        return [
            (f"{shown(m.name)} ({m.parameters_b:g}B)", key) for key, m in catalog.models.items()
        ]
    if kind == "gpu":
        return [
            (f"{shown(g.name)} · ${g.hourly_price:g}/h · {g.as_of.isoformat()}", key)
            for key, g in catalog.gpus.items()
        ]
    if kind == "precision":
        return [
            (f"{shown(key)} · {spec.weight_bytes:g} byte(s) a weight", key)
            for key, spec in catalog.precisions.items()
        ]
    raise ValueError(f"not a catalog kind: {kind}")


def shown(name: str) -> str:
    """A name from a (user) catalog as a choice shows it: escaped, at most 60 characters."""
    return clip(printable(name), 60)


def catalog_default(kind: str, catalog: Any) -> str:
    """What an empty catalog choice means, for its prompt."""
    return shown(_catalog_default(kind, catalog))


def _catalog_default(kind: str, catalog: Any) -> str:
    d = catalog.defaults
    if kind == "api_model":
        m = catalog.api_models.get(d.api_model)
        name = m.name if m else d.api_model
        return f"catalog default: {name}"
    if kind == "open_model":
        om = catalog.models.get(d.self_host_model)
        return f"catalog default: {om.name if om else d.self_host_model}"
    if kind == "gpu":
        g = catalog.gpus.get(d.gpu)
        return f"catalog default: {g.name if g else d.gpu}"
    if kind == "precision":
        return f"catalog default: {d.precision}"
    raise ValueError(f"not a catalog kind: {kind}")
