"""`advisor catalog refresh`: the user catalog's API prices from genai-prices, online where the
network allows (here: a local HTTP server, or a fetch that fails), and it says which."""

from __future__ import annotations

import http.server
import json
import threading
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.core.catalog.load import load_catalog
from advisor.prices import data as price_data

TODAY = date(2026, 11, 26)  # conftest sets ADVISOR_TODAY

# genai-prices' online format (prices/new_data/v2/data.json): a list of providers. GPT-4o at a
# price the package data does not have, so the test sees which data was used.
ONLINE = [
    {
        "id": "openai",
        "name": "OpenAI",
        "api_pattern": "https://api\\.openai\\.com",
        "models": [
            {
                "id": "gpt-4o",
                "match": {"equals": "gpt-4o"},
                "name": "GPT-4o",
                "prices": {"input_mtok": 2.0, "output_mtok": 8.0, "cache_read_mtok": 1.0},
                "price_variants": [
                    {
                        "when": {"processing": "batch"},
                        "prices": {"input_mtok": 1.0, "output_mtok": 4.0},
                    }
                ],
            }
        ],
    }
]


class _Handler(http.server.BaseHTTPRequestHandler):
    payload = b""
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"payload": json.dumps(ONLINE).encode()})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/data.json", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["catalog", "refresh", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_offline_the_package_data_is_used_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "catalog.toml"
    code, out, err = run(capsys, "--into", str(target), "--offline")
    assert code == 0, err
    assert f"Created {target}: 70 API models (23 closed, 47 hosted open models" in out
    assert f"prices in force on {TODAY} from the genai-prices 0.2.3 package data (offline)" in out
    entries = tomllib.loads(target.read_text())["api_models"]
    assert entries["gpt-4o"]["source"] == "pydantic/genai-prices 0.2.3 data"
    assert entries["gpt-4o"]["as_of"] == TODAY
    assert entries["claude-3.5-sonnet"]["retired"] == date(2025, 10, 22)
    assert len(entries["openrouter-llama-3.3-70b"]["history"]) == 4
    catalog = load_catalog(target)
    assert catalog.api_models["gpt-5.4"].tiers[0].above_input_tokens == 272_000
    assert catalog.api_models["gpt-4o"].as_of == TODAY


def test_other_entries_and_comments_of_the_user_catalog_are_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "catalog.toml"
    target.write_text(
        "# my own prices\n"
        '[api_models."my-finetune"]  # negotiated\n'
        'name = "My fine-tune"\nprovider = "Us"\ninput_per_mtok = 1.0\n'
        'output_per_mtok = 2.0\nsource = "contract"\nas_of = 2026-11-01\n'
        '[api_models."gpt-4o"]\nname = "GPT-4o"\nprovider = "OpenAI"\ninput_per_mtok = 9.0\n'
        'output_per_mtok = 9.0\nsource = "old"\nas_of = 2025-01-01\n'
    )
    code, out, _ = run(capsys, "--into", str(target), "--offline")
    assert code == 0 and f"Updated {target}" in out and "69 added, 1 updated" in out
    text = target.read_text()
    assert "# my own prices" in text and "# negotiated" in text
    catalog = load_catalog(target)
    assert catalog.api_models["my-finetune"].input_per_mtok == 1.0
    assert catalog.api_models["gpt-4o"].input_per_mtok == 2.5  # refreshed


def test_online_the_update_is_used_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], server: tuple[str, type[_Handler]]
) -> None:
    url, _ = server
    target = tmp_path / "catalog.toml"
    code, out, err = run(capsys, "--into", str(target), "--url", url, "--timeout", "5")
    assert code == 0, err
    assert f"from genai-prices' online update of {TODAY} ({url})" in out
    assert "(offline)" not in out
    assert "1 API model (1 closed, 0 hosted open models" in out
    assert "Not in the data: gpt-4o-mini" in out  # the update lacks the rest: said
    gpt = load_catalog(target).api_models["gpt-4o"]
    assert (gpt.input_per_mtok, gpt.output_per_mtok, gpt.cached_input_per_mtok) == (2, 8, 1)
    assert gpt.batch_discount == 0.5
    assert gpt.source == f"pydantic/genai-prices online data fetched {TODAY}"


@pytest.mark.parametrize(
    ("payload", "status", "why"),
    [
        (b"<html>maintenance</html>", 200, "JSONDecodeError"),
        (b"{}", 200, "ValueError: Expected fetched prices payload to be a provider array"),
        (b"[]", 404, "HTTPStatusError"),
    ],
)
def test_a_bad_online_update_falls_back_to_the_package_data(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    server: tuple[str, type[_Handler]],
    payload: bytes,
    status: int,
    why: str,
) -> None:
    url, handler = server
    handler.payload, handler.status = payload, status
    target = tmp_path / "catalog.toml"
    code, out, err = run(capsys, "--into", str(target), "--url", url)
    assert code == 0, err
    assert "from the genai-prices 0.2.3 package data (offline): the online update could not" in out
    assert why in out
    assert load_catalog(target).api_models["gpt-4o"].input_per_mtok == 2.5


def test_no_network_falls_back_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: object, **kwargs: object) -> price_data.PriceData:
        raise OSError("[Errno -2] Name or service not known\n(and more on a second line)")

    monkeypatch.setattr(price_data, "online_data", unreachable)
    monkeypatch.setattr("advisor.prices.refresh.online_data", unreachable)
    target = tmp_path / "catalog.toml"
    code, out, _ = run(capsys, "--into", str(target))
    assert code == 0
    assert out.count("\n") == 1
    assert "(OSError: [Errno -2] Name or service not known (and more on a second line))" in out


def test_the_default_target_is_the_user_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    code, out, _ = run(capsys, "--offline")
    assert code == 0
    assert (tmp_path / "advisor" / "catalog.toml").is_file()
    assert str(tmp_path / "advisor" / "catalog.toml") in out


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("api_models = 3\n", "api_models is not a table"),
        ("[api_models.x]\nname = 1\n", "catalog.toml"),
        ("not toml at all [\n", "catalog.toml"),
    ],
)
def test_a_broken_user_catalog_is_one_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, says: str
) -> None:
    target = tmp_path / "catalog.toml"
    target.write_text(content)
    code, out, err = run(capsys, "--into", str(target), "--offline")
    assert code == 2 and out == ""
    assert err.startswith("advisor: ") and says in err and "Traceback" not in err
    assert target.read_text() == content  # nothing written


def test_an_unwritable_place_is_one_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, err = run(capsys, "--into", str(blocker / "catalog.toml"), "--offline")
    assert code == 2 and err.startswith("advisor: ") and "Traceback" not in err


def test_a_timeout_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--into", str(tmp_path / "c.toml"), "--timeout", "0")
    assert code == 2 and "--timeout" in err


def test_an_update_that_lists_none_of_the_models_falls_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], server: tuple[str, type[_Handler]]
) -> None:
    url, handler = server
    other = [{**ONLINE[0], "id": "acme", "name": "Acme"}]
    handler.payload = json.dumps(other).encode()
    code, out, _ = run(capsys, "--into", str(tmp_path / "c.toml"), "--url", url)
    assert code == 0
    assert "package data (offline): the online update lists none of the catalog's models" in out
