"""UN Comtrade source: the parser on the real recorded responses, error shapes, and fetch against a local replay."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from claimcheck.reference import catalogue
from claimcheck.reference.http import SourceError, redact
from claimcheck.reference.sources import get_source
from claimcheck.reference.sources.base import TIDY_COLUMNS, SnapshotSpec
from claimcheck.reference.sources.comtrade import (
    KEY_HEADER,
    Comtrade,
    check_comtrade,
    check_comtrade_rows,
    monthly_periods,
    parse_comtrade,
)
from conftest import Reply

DATA = "get_C_A_HS_reporter156_partners32-280-276_2010.json"
EMPTY = "get_S_A_EB_empty_count0.json"
UNAUTHORISED = "error_401_missing_subscription_key.json"

# The query of the real recording (annual 2010, China with Argentina, West Germany and Germany).
RECORDED_SPEC = SnapshotSpec(
    name="recorded",
    dataset="C/A/HS",
    description="the query of the recorded response",
    query={
        "typeCode": "C",
        "freqCode": "A",
        "clCode": "HS",
        "reporterCode": "156",
        "partnerCode": "32,280,276",
        "flowCode": "M,X",
        "cmdCode": "TOTAL",
        "start": "2010",
        "end": "2010",
        "motCode": "0",
        "partner2Code": "0",
        "customsCode": "C00",
    },
)


@pytest.fixture
def samples(api_samples):
    return api_samples / "comtrade"


def load(samples, name):
    return json.loads((samples / name).read_text(encoding="utf-8"))


@pytest.fixture
def replay(replay_server, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_COMTRADE_URL", replay_server.url)
    monkeypatch.setattr(Comtrade, "PREVIEW_INTERVAL", 0.0)  # the pacing has its own test
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    return replay_server


def test_the_recorded_china_germany_2010_values_become_tidy_rows(samples):
    frame = parse_comtrade(load(samples, DATA))
    assert list(frame.columns[: len(TIDY_COLUMNS)]) == TIDY_COLUMNS
    assert len(frame) == 4  # partner 280 (old West Germany code) returned nothing
    germany = frame[frame.partner == "DEU"].set_index("measure")
    assert germany.loc["imports", "value"] == 74251272075.0
    assert germany.loc["imports", "basis"] == "CIF"
    assert germany.loc["exports", "basis"] == "FOB"
    assert set(frame.entity) == {"CHN"} and set(frame.period) == {"2010"} and set(frame.unit) == {"USD"}
    assert germany.loc["imports", "entity_name"] == "China"
    assert germany.loc["imports", "partner_name"] == "Germany"


def test_argentina_rows_carry_primary_value_as_plain_dollars(samples):
    frame = parse_comtrade(load(samples, DATA))
    argentina = frame[frame.partner == "ARG"].set_index("measure")["value"]
    assert argentina["imports"] == 6804128143.0
    assert argentina["exports"] == 6115764185.0


def test_an_empty_result_is_data_for_the_parser_but_an_error_for_a_refresh(samples):
    body = load(samples, EMPTY)
    assert check_comtrade(body) is None
    assert parse_comtrade(body).empty
    assert check_comtrade_rows(body).startswith("no rows")


def test_the_gateway_401_body_is_an_error_with_its_message(samples):
    body = load(samples, UNAUTHORISED)
    reason = check_comtrade(body)
    assert "401" in reason and "Access denied due to missing subscription key" in reason
    with pytest.raises(ValueError, match="Access denied"):
        parse_comtrade(body)


def test_a_non_empty_error_string_is_an_error(samples):
    # Derived from the real empty envelope: the same body with its "error" field filled in.
    body = dict(load(samples, EMPTY), error="Invalid period")
    assert check_comtrade(body) == "Comtrade error: Invalid period"


def test_monthly_periods_are_split_into_requests_of_at_most_twelve():
    periods = Comtrade.periods(catalogue.entry("comtrade", "china_belgium_monthly").query)
    assert periods == monthly_periods("2021-01", "2022-12")
    assert len(periods) == 24 and periods[0] == "202101" and periods[-1] == "202212"


def test_the_declared_snapshot_asks_for_china_belgium_monthly_totals():
    spec = catalogue.entry("comtrade", "china_belgium_monthly")
    params = Comtrade.request_params(spec.query, ["202101"])
    assert params["reporterCode"] == "156" and params["partnerCode"] == "56"
    assert params["flowCode"] == "M,X" and params["cmdCode"] == "TOTAL"


def test_fetch_without_key_uses_the_public_preview_and_sends_no_key(samples, replay, http):
    replay.script("/public/v1/preview/C/A/HS", Reply.file(samples / DATA))
    frame, url = Comtrade().fetch(RECORDED_SPEC, http)
    assert len(frame) == 4
    (request,) = replay.requests_to("/public/v1/preview/C/A/HS")
    query = parse_qs(request.query)
    assert query["reporterCode"] == ["156"] and query["period"] == ["2010"]
    assert query["partnerCode"] == ["32,280,276"] and query["includeDesc"] == ["TRUE"]
    assert KEY_HEADER not in request.headers
    assert url.startswith(replay.url + "/public/v1/preview/C/A/HS?")
    assert frame.attrs["request_urls"] == [url] and redact(url) == url


def test_fetch_with_key_sends_it_in_the_header_and_never_in_the_url(samples, replay, monkeypatch, http):
    monkeypatch.setenv("COMTRADE_API_KEY", "fake-key-123")
    replay.script("/data/v1/get/C/A/HS", Reply.file(samples / DATA))
    frame, url = Comtrade().fetch(RECORDED_SPEC, http)
    (request,) = replay.requests_to("/data/v1/get/C/A/HS")
    assert request.headers[KEY_HEADER] == "fake-key-123"
    assert "fake-key-123" not in request.query
    assert "fake-key-123" not in url
    assert frame.loc[(frame.partner == "DEU") & (frame.measure == "imports"), "value"].item() == 74251272075.0


def test_a_refused_key_raises_a_readable_error_without_the_key(samples, replay, monkeypatch, http):
    monkeypatch.setenv("COMTRADE_API_KEY", "fake-key-123")
    replay.script("/data/v1/get/C/A/HS", Reply.file(samples / UNAUTHORISED, status=401))
    with pytest.raises(SourceError) as caught:
        Comtrade().fetch(RECORDED_SPEC, http)
    error = caught.value
    assert error.status == 401
    assert "Access denied due to missing subscription key" in str(error)
    assert "COMTRADE_API_KEY" in str(error)
    assert "fake-key-123" not in str(error) and "fake-key-123" not in (error.url or "")


def test_the_keyed_api_gets_twelve_periods_a_request_and_an_empty_year_is_refused(samples, replay, monkeypatch, http):
    # The first year gets the real data body, the second the real empty one.
    monkeypatch.setenv("COMTRADE_API_KEY", "fake-key-123")
    replay.script("/data/v1/get/C/M/HS", Reply.file(samples / DATA), Reply.file(samples / EMPTY))
    with pytest.raises(SourceError, match="no rows"):
        Comtrade().fetch(catalogue.entry("comtrade", "china_belgium_monthly"), http)
    requests = replay.requests_to("/data/v1/get/C/M/HS")
    periods = [parse_qs(r.query)["period"][0] for r in requests]
    assert periods == [",".join(monthly_periods(f"{y}-01", f"{y}-12")) for y in (2021, 2022)]
    query = parse_qs(requests[0].query)
    assert query["reporterCode"] == ["156"] and query["partnerCode"] == ["56"]
    assert query["flowCode"] == ["M,X"] and query["cmdCode"] == ["TOTAL"]
    assert query["motCode"] == ["0"] and query["customsCode"] == ["C00"]


def test_the_keyless_preview_gets_one_period_a_call_paced_apart(samples, replay, monkeypatch, http):
    """The preview refuses more than one period a call and allows about one call a second."""
    monkeypatch.setattr(Comtrade, "PREVIEW_INTERVAL", 0.3)
    replay.script("/public/v1/preview/C/A/HS", Reply.file(samples / DATA), Reply.file(samples / EMPTY))
    spec = SnapshotSpec("three", "x", "test", {**RECORDED_SPEC.query, "start": "2010", "end": "2012"})
    with pytest.raises(SourceError, match="no rows"):  # 2011 answers with the real empty body
        Comtrade().fetch(spec, http)
    requests = replay.requests_to("/public/v1/preview/C/A/HS")
    assert [parse_qs(r.query)["period"] for r in requests] == [["2010"], ["2011"]]
    assert requests[1].at - requests[0].at >= 0.3


def test_a_period_list_and_code_lists_are_sent_as_the_api_reads_them(samples, replay, monkeypatch, http):
    monkeypatch.setenv("COMTRADE_API_KEY", "fake-key-123")
    replay.script("/data/v1/get/C/A/HS", Reply.file(samples / DATA))
    query = {**RECORDED_SPEC.query, "partnerCode": [32, 280, 276], "flowCode": ["M", "X"], "period": ["2010"]}
    del query["start"], query["end"]
    frame, _ = Comtrade().fetch(SnapshotSpec("listed", "x", "test", query), http)
    (request,) = replay.requests_to("/data/v1/get/C/A/HS")
    sent = parse_qs(request.query)
    assert sent["partnerCode"] == ["32,280,276"] and sent["flowCode"] == ["M,X"] and sent["period"] == ["2010"]
    assert len(frame) == 4


def test_fetch_refuses_duplicate_rows_across_requests_naming_the_whole_query(samples, replay, http):
    # The same real body served for both years gives the same rows twice.
    replay.script("/public/v1/preview/C/M/HS", Reply.file(samples / DATA))
    with pytest.raises(SourceError, match="duplicate") as caught:
        Comtrade().fetch(catalogue.entry("comtrade", "china_belgium_monthly"), http)
    query = parse_qs(caught.value.url.split("?", 1)[1])
    assert query["period"] == [",".join(monthly_periods("2021-01", "2022-12"))]
