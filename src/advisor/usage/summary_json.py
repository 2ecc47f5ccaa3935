"""The usage summary as JSON-ready data: every figure under the README's name, the window, the
definitions, the warnings, the reconciliation and what an import writes into a profile."""

from __future__ import annotations

from datetime import UTC, datetime

from advisor.usage.definitions import DEFINITIONS, describe_window
from advisor.usage.reconcile import TOLERANCE, Reconciliation
from advisor.usage.summary import TokenFigures, UsageSummary


def _iso(moment: datetime | float) -> str:
    if not isinstance(moment, datetime):
        moment = datetime.fromtimestamp(moment, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _rounded(values: list[float] | None, digits: int = 4) -> list[float] | None:
    return None if values is None else [round(v, digits) for v in values]


def _reconciliation(r: Reconciliation | None) -> dict[str, object] | None:
    if r is None:
        return None
    return {
        "computed": r.computed,
        "paid": r.paid,
        "gap": r.gap,
        "gap_share": r.share,
        "over_tolerance": r.flagged,
        "tolerance": TOLERANCE,
        "explanations": [
            {"amount": e.amount, "reason": e.reason, "from_the_logs": e.known}
            for e in r.explanations
        ],
        "unexplained": r.unexplained if r.flagged else None,
        "described": r.described(),
    }


def summary_json(summary: UsageSummary) -> dict[str, object]:
    """The summary as JSON-ready data: every figure, the window, the definitions, the warnings
    and what an import writes into a profile. Names are the README's."""
    s = summary
    w = s.window

    def tokens(t: TokenFigures) -> dict[str, object]:
        return {"mean": t.mean, "p50": t.p50, "p95": t.p95, "total": t.total}

    return {
        "files": [
            {
                "path": f.path,
                "format": f.format,
                "requests": f.requests,
                "bad_rows": f.bad,
                "bad_examples": [{"line": line, "reason": why} for line, why in f.examples],
            }
            for f in s.files
        ],
        "requests": s.requests,
        "first_request": _iso(s.first),
        "last_request": _iso(s.last),
        "window": {
            "kind": w.kind,
            "start": _iso(w.start),
            "end": _iso(w.end),
            "seconds": w.seconds,
            "days": w.days,
            "span_seconds": w.span,
            "calendar_days": w.calendar_days,
            "quiet_share": w.quiet_share,
            "too_short": w.too_short,
            "described": describe_window(w),
        },
        "requests_per_day": s.requests_per_day,
        "input_tokens": tokens(s.inputs),
        "output_tokens": tokens(s.outputs),
        "token_percentiles_approximate": s.approximate,
        "peak_resolution": s.resolution,
        "requests_per_period": {"mean": s.mean_per_period, "p95": s.p95_per_period},
        "peak_to_average": s.peak_to_average,
        "variability": s.variability,
        "minute_peak_to_average": s.minute_peak_to_average,
        "burst_to_average": s.burst_to_average,
        "busiest_period": {"start": _iso(s.busiest_start), "requests": s.busiest_count},
        "busiest_minute": {
            "start": _iso(s.busiest_minute_start),
            "requests": s.busiest_minute_count,
        },
        "hour_of_day": _rounded(s.hour_of_day),
        "hourly_load": _rounded(s.hourly_load),
        "models": [
            {
                "name": u.name,
                "requests": u.requests,
                "share": u.share,
                "input_tokens": u.input_tokens,
                "output_tokens": u.output_tokens,
                "catalog_id": u.catalog_id,
                "matched": u.how,
                "bill": u.cost,
                "paid": u.paid,
                "cached_tokens": u.cached_tokens,
                "cache_write_tokens": u.written_tokens,
                "batch_requests": u.batch_requests,
                "proxy_cache_hits": u.proxy_hits,
            }
            for u in s.models
        ],
        "multi_model": s.multi_model,
        "api_model": s.api_model,
        "cache": {
            "cached_input_share": s.cached_input_share,
            "cached_tokens": s.cached_tokens,
            "cache_write_tokens": s.written_tokens,
            "requests_that_say": s.cache_rows,
        },
        "batch_share": s.batch_share,
        "api_bill": {
            "total": s.bill,
            "per_month": s.monthly_bill,
            "days_per_month": s.days_per_month,
            "unpriced_requests": s.unpriced_requests,
            "price_changes": {
                model: [d.isoformat() for d in days] for model, days in s.price_changes.items()
            },
        },
        "logged_spend": None
        if s.logged_spend is None
        else {
            "total": s.logged_spend,
            "per_month": s.monthly_logged_spend,
            "requests_that_say": s.spend_rows,
        },
        "reconciliation": _reconciliation(s.reconciliation),
        "warnings": s.warnings,
        "definitions": dict(DEFINITIONS),
        "profile_values": s.profile_values(),
    }
