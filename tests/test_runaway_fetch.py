"""A source's answers cannot make a refresh run away: pages and rows are capped per source, and a JSON
body is parsed only within a memory budget."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest

from claimcheck.reference.http import HttpClient, SourceError, json_items
from claimcheck.reference.sources import get_source
from claimcheck.reference.sources.base import SnapshotSpec
from claimcheck.reference.sources.worldbank import WorldBank
from conftest import Reply

PATH = "/v2/country/all/indicator/NY.GDP.MKTP.CD"
SPEC = SnapshotSpec("gdp", "NY.GDP.MKTP.CD", "test", {"indicator": "NY.GDP.MKTP.CD"})


def page_announcing(pages: int, api_samples) -> bytes:
    body = json.loads((api_samples / "worldbank/indicator_all_NY.GDP.MKTP.CD_page1.json").read_text())
    body[0]["pages"] = pages
    return json.dumps(body).encode()


def test_a_world_bank_answer_announcing_ten_million_pages_fails_after_one_request(api_samples, replay_server,
                                                                                  monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_WORLDBANK_URL", f"{replay_server.url}/v2")
    replay_server.script(PATH, Reply(200, page_announcing(10_000_000, api_samples),
                                     {"Content-Type": "application/json"}))
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"announces 10,000,000 pages, over the World Bank source's limit of 100"):
        get_source("worldbank").fetch(SPEC, HttpClient(max_retries=0))
    assert len(replay_server.requests_to(PATH)) == 1 and time.monotonic() - started < 5


def test_a_page_count_that_is_no_number_is_one_line(api_samples, replay_server, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_WORLDBANK_URL", f"{replay_server.url}/v2")
    body = json.loads(page_announcing(2, api_samples))
    body[0]["pages"] = "lots"
    replay_server.script(PATH, Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"}))
    with pytest.raises(SourceError, match="the page count is not a number: 'lots'"):
        get_source("worldbank").fetch(SPEC, HttpClient(max_retries=0))


def test_the_rows_of_one_snapshot_are_capped_while_the_pages_come(api_samples, replay_server, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_WORLDBANK_URL", f"{replay_server.url}/v2")
    monkeypatch.setattr(WorldBank, "max_rows", 3)
    replay_server.script(PATH, Reply(200, page_announcing(50, api_samples), {"Content-Type": "application/json"}))
    with pytest.raises(SourceError, match="over 3 rows for one snapshot"):
        get_source("worldbank").fetch(SPEC, HttpClient(max_retries=0))
    assert len(replay_server.requests_to(PATH)) == 1  # stopped at the first page over the cap


def test_a_body_of_millions_of_empty_objects_is_refused_before_it_is_parsed(replay_server):
    body = b"[" + b",".join([b"{}"] * 4_000_000) + b"]"  # 12 MB; parsed, about 300 MB
    replay_server.script("/many", Reply(200, body, {"Content-Type": "application/json"}))
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match=r"with up to 8,000,001 values, over the limit of 4,000,000"):
            HttpClient(max_retries=0).get_json(f"{replay_server.url}/many")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 80 * 2**20, f"{peak / 2**20:.0f} MiB"


def test_the_value_count_bounds_what_json_parses_to():
    for text in ("[]", "{}", '{"a": [1, 2, {"b": null}]}', "[" + ",".join(["{}"] * 100) + "]", '"a,b:c"'):
        assert json_items(text.encode()) >= _values(json.loads(text))


def _values(value) -> int:
    if isinstance(value, dict):
        return 1 + sum(1 + _values(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_values(v) for v in value)
    return 1


def test_refresh_refuses_a_fetch_over_its_source_row_cap_and_stores_nothing(data_copy, monkeypatch):
    """The cap holds for every source, paged or not: checked once the fetch returns, before anything is stored."""
    import pandas as pd

    from claimcheck.reference.snapshots import refresh
    from claimcheck.reference.sources.owid import OWID

    rows = [{"entity": f"C{i:02d}", "partner": "", "period": "2021", "measure": "m", "value": 1.0, "unit": "year"}
            for i in range(5)]
    monkeypatch.setattr(OWID, "fetch", lambda self, spec, http: (pd.DataFrame(rows), "http://127.0.0.1/x"))
    monkeypatch.setattr(OWID, "max_rows", 3)
    folder = data_copy / "reference" / "owid"
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with pytest.raises(SourceError, match="owid/net_zero_targets: the fetch holds 5 rows, over the owid source's "
                                          "limit of 3 per snapshot"):
        refresh("owid", "net_zero_targets", http=HttpClient(max_retries=0))
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_a_chart_csv_of_more_lines_than_the_row_cap_is_refused_before_it_is_parsed(api_samples, replay_server,
                                                                                     monkeypatch):
    from claimcheck.reference.sources.owid import OWID

    monkeypatch.setenv("CLAIMCHECK_OWID_URL", replay_server.url)
    monkeypatch.setattr(OWID, "max_rows", 10)
    samples = api_samples / "owid"
    replay_server.script("/grapher/x.csv", Reply(200, (samples / "oil-production-by-country.csv").read_bytes(),
                                                 {"Content-Type": "text/csv"}))
    replay_server.script("/grapher/x.metadata.json", Reply.file(samples / "oil-production-by-country.metadata.json"))
    with pytest.raises(SourceError, match=r"the chart CSV has [\d,]+ lines, over the OWID source's limit of 10 rows"):
        OWID().fetch(SnapshotSpec("x", "x", "x", {"slug": "x"}), HttpClient(max_retries=0))
