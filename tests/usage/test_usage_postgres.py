"""`advisor import-usage postgresql://...`: LiteLLM's spend logs read where the proxy keeps them,
aggregated by the database, against a real PostgreSQL server the tests start (pg_server.py).
The import of a seeded table agrees with the import of the same rows exported as CSV."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cache_logs import cached_requests
from pg_server import Server, start
from usage_logs import START, Request, litellm_metadata, requests, write_litellm_csv

from advisor.cli import main
from advisor.core.catalog.load import default_catalog
from advisor.usage import postgres
from advisor.usage.summary import analyse
from advisor.usage.summary_json import summary_json

CATALOG = default_catalog()
READER, READER_PASSWORD = "reader", "pw-of-the-reader-9f2c"
NOBODY, NOBODY_PASSWORD = "nobody", "pw-of-nobody-77aa"

# LiteLLM's table, as its schema.prisma (model LiteLLM_SpendLogs) makes it in PostgreSQL.
SPEND_LOGS = """
CREATE TABLE "LiteLLM_SpendLogs" (
    request_id text PRIMARY KEY,
    call_type text NOT NULL,
    api_key text NOT NULL DEFAULT '',
    spend double precision NOT NULL DEFAULT 0.0,
    total_tokens integer NOT NULL DEFAULT 0,
    prompt_tokens integer NOT NULL DEFAULT 0,
    completion_tokens integer NOT NULL DEFAULT 0,
    "startTime" timestamp(3) NOT NULL,
    "endTime" timestamp(3) NOT NULL,
    request_duration_ms integer,
    "completionStartTime" timestamp(3),
    model text NOT NULL DEFAULT '',
    model_id text DEFAULT '',
    model_group text DEFAULT '',
    custom_llm_provider text DEFAULT '',
    api_base text DEFAULT '',
    "user" text DEFAULT '',
    metadata jsonb DEFAULT '{}',
    cache_hit text DEFAULT '',
    cache_key text DEFAULT '',
    request_tags jsonb DEFAULT '[]',
    team_id text,
    organization_id text,
    end_user text,
    requester_ip_address text,
    messages jsonb DEFAULT '{}',
    response jsonb DEFAULT '{}',
    session_id text,
    status text,
    mcp_namespaced_tool_name text,
    agent_id text,
    proxy_server_request jsonb DEFAULT '{}'
);
CREATE INDEX "LiteLLM_SpendLogs_startTime_idx" ON "LiteLLM_SpendLogs" ("startTime");
"""
COLUMNS = (
    "request_id",
    "call_type",
    "spend",
    "total_tokens",
    "prompt_tokens",
    "completion_tokens",
    '"startTime"',
    '"endTime"',
    "model",
    "metadata",
    "cache_hit",
)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    pg = start()
    try:
        with psycopg.connect(pg.url(), autocommit=True) as conn:
            for db in ("litellm", "bulk", "empty"):
                conn.execute(f"CREATE DATABASE {db}")
            conn.execute(f"CREATE ROLE {READER} LOGIN PASSWORD '{READER_PASSWORD}'")
            conn.execute(f"CREATE ROLE {NOBODY} LOGIN PASSWORD '{NOBODY_PASSWORD}'")
        for db in ("litellm", "bulk"):
            with psycopg.connect(pg.url(db=db), autocommit=True) as conn:
                conn.execute(SPEND_LOGS)
                conn.execute(f'GRANT SELECT ON "LiteLLM_SpendLogs" TO {READER}')
        yield pg
    finally:
        pg.stop()


def spend(r: Request) -> float:
    """What LiteLLM recorded: list prices with the cache (and a made-up fine-tune's price)."""
    prices = {
        "claude-sonnet-4-6": (3.0, 15.0, 0.3, 3.75),
        "gpt-4o-2024-08-06": (2.5, 10.0, 1.25, 2.5),
        "my-finetune-v7": (8.0, 8.0, 8.0, 8.0),
    }[r.model]
    if r.proxy_hit:
        return 0.0
    uncached = r.input_tokens - r.cached_tokens - r.cache_write_tokens
    total = (
        uncached * prices[0]
        + r.cached_tokens * prices[2]
        + r.cache_write_tokens * prices[3]
        + r.output_tokens * prices[1]
    ) / 1e6
    return float(f"{total:.8f}")  # as the CSV export writes it


def seeded_rows() -> list[Request]:
    """Claude with cache reads and writes, GPT-4o, a model the catalog lacks, LiteLLM cache hits,
    a blank model name, and one row that is not a request (20M output tokens)."""
    rows = cached_requests("claude-sonnet-4-6", days=3)
    rows += [
        r._replace(cache_write_tokens=0)
        for r in cached_requests("gpt-4o-2024-08-06", days=3, seed=5)
    ]
    rows += [
        r._replace(model="my-finetune-v7", cached_tokens=0, cache_write_tokens=0)
        for r in cached_requests("x", seed=9)[:200]
    ]
    rows = [r._replace(proxy_hit=i % 17 == 0) for i, r in enumerate(rows)]
    rows.append(rows[10]._replace(output_tokens=20_000_000))
    return rows


def insert(url: str, rows: list[Request]) -> None:
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute('TRUNCATE "LiteLLM_SpendLogs"')
        with cursor.copy(f'COPY "LiteLLM_SpendLogs" ({", ".join(COLUMNS)}) FROM STDIN') as copy:
            for i, r in enumerate(rows):
                start = r.at.replace(tzinfo=None)
                copy.write_row(
                    (
                        f"req-{i}",
                        "acompletion",
                        spend(r)
                        if r.model in ("claude-sonnet-4-6", "gpt-4o-2024-08-06", "my-finetune-v7")
                        else 0.0,
                        r.input_tokens + r.output_tokens,
                        r.input_tokens,
                        r.output_tokens,
                        start,
                        start + timedelta(seconds=1),
                        r.model,
                        json.dumps(litellm_metadata(i, r)),
                        str(r.proxy_hit),
                    )
                )


def same(a: Any, b: Any, path: str = "") -> None:
    """Equal JSON-like data, floats to 1e-9 relative."""
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, int | float) and isinstance(b, int | float), path
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {a} != {b}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), f"{path}: {a.keys()} != {b.keys()}"
        for key in a:
            same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def comparable(data: dict[str, Any], source: str) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k != "files"}
    out["warnings"] = [w for w in data["warnings"] if not w.startswith(source)]
    return out


def test_the_database_agrees_with_the_csv_export_of_the_same_rows(
    server: Server, tmp_path: Path
) -> None:
    rows = seeded_rows()
    url = server.url(READER, READER_PASSWORD, "litellm")
    insert(server.url(db="litellm"), rows)
    csv = write_litellm_csv(tmp_path / "export.csv", rows, spend=spend)
    from_db = analyse([url], CATALOG)
    from_csv = analyse([csv], CATALOG)
    assert from_db.files[0].format == "litellm-postgresql"
    assert from_db.files[0].path == f"postgresql://{READER}@127.0.0.1:{server.port}/litellm"
    assert from_db.requests == from_csv.requests == len(rows) - 1
    assert from_db.files[0].bad == from_csv.files[0].bad == 1
    assert from_db.cached_input_share is not None and from_db.written_tokens > 0
    assert from_db.proxy_hits > 0 and from_db.reconciliation is not None
    same(
        comparable(summary_json(from_db), from_db.files[0].path),
        comparable(summary_json(from_csv), str(csv)),
    )


def test_the_aggregation_is_done_in_the_database(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """30,000 requests over three days come back as a few thousand aggregated rows."""
    rng = random.Random(4)
    base = requests(days=1)[:1]
    rows = [
        base[0]._replace(
            at=START + timedelta(seconds=rng.randrange(3 * 86_400)),
            input_tokens=rng.choice(range(500, 4_000, 50)),
            output_tokens=rng.choice(range(20, 800, 20)),
        )
        for _ in range(30_000)
    ]
    insert(server.url(db="bulk"), rows)
    received = 0
    counted = postgres._count

    def counting(cursor: Any, acc: Any) -> Any:
        class Tally:
            description = cursor.description

            def __iter__(self) -> Iterator[Any]:
                nonlocal received
                for row in cursor:
                    received += 1
                    yield row

        return counted(Tally(), acc)

    monkeypatch.setattr(postgres, "_count", counting)
    s = analyse([server.url(READER, READER_PASSWORD, "bulk")], CATALOG)
    assert s.requests == 30_000
    assert 0 < received < 30_000 / 5, received


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["import-usage", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_reads_the_database_and_never_shows_the_password(
    server: Server,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    insert(server.url(db="litellm"), seeded_rows())
    url = server.url(READER, READER_PASSWORD, "litellm")
    profile = tmp_path / "measured.toml"
    code, out, err = run(capsys, url, "--output", str(profile))
    assert code == 0, err
    assert "litellm-postgresql" in out and "Computed against paid" in out
    assert READER_PASSWORD not in out + err + profile.read_text()
    assert f"postgresql://{READER}@127.0.0.1:{server.port}/litellm" in profile.read_text()


def test_a_wrong_port_is_one_message_and_exit_2(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    with __import__("socket").socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    url = f"postgresql://{READER}:{READER_PASSWORD}@127.0.0.1:{closed}/litellm"
    code, out, err = run(capsys, url)
    assert code == 2 and out == ""
    assert err.startswith(f"advisor: postgresql://{READER}@127.0.0.1:{closed}/litellm")
    assert "cannot connect" in err
    assert READER_PASSWORD not in err and "Traceback" not in err


def test_a_role_without_select_is_one_message_and_exit_2(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, server.url(NOBODY, NOBODY_PASSWORD, "litellm"))
    assert code == 2 and out == ""
    assert "permission denied" in err and '"LiteLLM_SpendLogs"' in err
    assert NOBODY_PASSWORD not in err and "Traceback" not in err


def test_a_wrong_password_and_a_database_without_the_table(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, server.url(READER, "not-the-password-123", "litellm"))
    assert code == 2 and "cannot connect" in err and "not-the-password-123" not in err
    code, _, err = run(capsys, server.url(READER, READER_PASSWORD, "empty"))
    assert code == 2 and "has no table" in err and READER_PASSWORD not in err


def test_a_database_is_litellm_or_nothing(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, server.url(READER, READER_PASSWORD, "litellm"), "--format", "csv")
    assert code == 2 and "is LiteLLM's database, not a csv log" in err
    assert READER_PASSWORD not in err


def test_missing_server_binaries_fail_the_tests_with_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Never a skip: a machine without PostgreSQL has not been set up as .ci/run sets it up."""
    import pg_server

    monkeypatch.setattr(pg_server.shutil, "which", lambda name: None)
    monkeypatch.setattr(pg_server.glob, "glob", lambda pattern: [])
    with pytest.raises(pytest.fail.Exception, match=r"initdb, pg_ctl.*apt-get install postgresql"):
        pg_server.start()


@pytest.mark.parametrize(
    ("url", "printed"),
    [
        ("postgresql://u:pw@db.internal:5432/litellm", "postgresql://u@db.internal:5432/litellm"),
        ("postgres://u@h/x?password=pw&sslmode=require", "postgres://u@h/x"),
        ("postgresql://:pw@[::1]:6543/x", "postgresql://[::1]:6543/x"),
        ("postgresql://", "postgresql://"),
    ],
)
def test_a_database_is_printed_without_its_password(url: str, printed: str) -> None:
    assert postgres.shown(url) == printed
