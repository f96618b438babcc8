"""Eurostat Comext source: JSON-stat 2.0 decoding on the real recordings, error bodies, fetch against a replay."""

from __future__ import annotations

import copy
import json
from urllib.parse import parse_qs

import pytest
from conftest import Reply

from claimcheck.reference import catalogue
from claimcheck.reference.http import SourceError
from claimcheck.reference.sources import get_source
from claimcheck.reference.sources.base import TIDY_COLUMNS
from claimcheck.reference.sources.eurostat import (
    Eurostat,
    check_eurostat,
    check_eurostat_rows,
    decode_jsonstat,
    parse_comext,
)

DATA = "comext_DS-045409_EU27_2020-US_TOTAL_import_2024-01_2024-02.json"
TOO_BIG = "comext_error_413_EXTRACTION_TOO_BIG.json"
NOT_FOUND = "comext_error_404_ERR_NOT_FOUND_4_DS-999999.json"
API_PATH = "/eurostat/api/comext/dissemination/statistics/1.0"


@pytest.fixture
def samples(api_samples):
    return api_samples / "eurostat"


def load(samples, name):
    return json.loads((samples / name).read_text(encoding="utf-8"))


@pytest.fixture
def replay(replay_server, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_EUROSTAT_URL", replay_server.url + API_PATH)
    return replay_server


def test_the_recorded_eu_imports_from_the_us_in_january_2024(samples):
    frame = parse_comext(load(samples, DATA))
    assert list(frame.columns[: len(TIDY_COLUMNS)]) == TIDY_COLUMNS
    assert frame[["entity", "partner", "period", "measure", "unit"]].values.tolist() == [
        ["EUU", "USA", "2024-01", "imports", "EUR"],
        ["EUU", "USA", "2024-02", "imports", "EUR"],
    ]
    assert frame.value.tolist() == [28417786122.0, 27944902670.0]
    assert set(frame.basis) == {"CIF"}
    assert frame.partner_name.iloc[0].startswith("United States")


def test_sparse_flat_indexes_land_on_the_monthly_cells(samples):
    # Value keys "2" and "3" in a cube of size [2,1,1,1,1,1,2]: freq position 1 (M), both months.
    long = decode_jsonstat(load(samples, DATA))
    assert long.freq.tolist() == ["M", "M"]
    assert long.time.tolist() == ["2024-01", "2024-02"]
    assert long.flow_label.tolist() == ["IMPORT", "IMPORT"]


def test_category_index_given_as_a_list_decodes_the_same(samples):
    # Derived from the real body: every category.index object rewritten as the array form JSON-stat allows.
    body = load(samples, DATA)
    derived = copy.deepcopy(body)
    for dimension in derived["dimension"].values():
        index = dimension["category"]["index"]
        dimension["category"]["index"] = sorted(index, key=index.get)
    assert parse_comext(derived).equals(parse_comext(body))


def test_dense_value_array_decodes_the_same(samples):
    # Derived from the real body: the sparse value object written as the dense array, nulls for no data.
    body = load(samples, DATA)
    derived = copy.deepcopy(body)
    derived["value"] = [body["value"].get(str(i)) for i in range(4)]
    assert parse_comext(derived).equals(parse_comext(body))


def test_extraction_too_big_is_an_error_with_its_label(samples):
    reason = check_eurostat(load(samples, TOO_BIG))
    assert reason.startswith("Eurostat error 413 EXTRACTION_TOO_BIG")
    assert "max authorised is 5000000" in reason
    with pytest.raises(ValueError, match="EXTRACTION_TOO_BIG"):
        parse_comext(load(samples, TOO_BIG))


def test_unknown_dataset_is_an_error_with_its_label(samples):
    reason = check_eurostat(load(samples, NOT_FOUND))
    assert reason == (
        "Eurostat error 404 ERR_NOT_FOUND_4: DS-999999 (DATA_FLOW:ALL,1.0) is not available for dissemination."
    )


def test_a_dataset_without_values_is_an_error_for_a_refresh(samples):
    # Derived from the real body with its value object emptied.
    body = dict(load(samples, DATA), value={})
    assert check_eurostat(body) is None
    assert check_eurostat_rows(body).startswith("no rows")
    assert parse_comext(body).empty


def test_the_declared_snapshot_asks_for_belgium_china_monthly_values():
    url, params = Eurostat.request(catalogue.entry("eurostat", "belgium_china_monthly").query)
    assert url.endswith("/data/DS-045409")
    assert ("reporter", "BE") in params and ("partner", "CN") in params
    assert ("flow", "1") in params and ("flow", "2") in params


def test_fetch_sends_the_filters_and_parses_the_replayed_body(samples, replay, http):
    path = API_PATH + "/data/DS-045409"
    replay.script(path, Reply.file(samples / DATA))
    frame, url = Eurostat().fetch(catalogue.entry("eurostat", "belgium_china_monthly"), http)
    (request,) = replay.requests_to(path)
    query = parse_qs(request.query)
    assert query["reporter"] == ["BE"] and query["partner"] == ["CN"] and query["product"] == ["TOTAL"]
    assert query["flow"] == ["1", "2"] and query["indicators"] == ["VALUE_IN_EUROS"] and query["freq"] == ["M"]
    assert query["sinceTimePeriod"] == ["2021-01"] and query["untilTimePeriod"] == ["2022-12"]
    assert url == replay.url + path + "?" + request.query
    assert frame.value.tolist() == [28417786122.0, 27944902670.0]


def test_fetch_turns_a_413_into_an_error_that_says_what_to_do(samples, replay, http):
    replay.script(API_PATH + "/data/DS-045409", Reply.file(samples / TOO_BIG, status=413))
    with pytest.raises(SourceError) as caught:
        Eurostat().fetch(catalogue.entry("eurostat", "belgium_china_monthly"), http)
    assert caught.value.status == 413
    assert "EXTRACTION_TOO_BIG" in str(caught.value) and "narrow the filters" in str(caught.value)


def test_fetch_turns_a_404_into_an_error_naming_the_dataset(samples, replay, http):
    replay.script(API_PATH + "/data/DS-045409", Reply.file(samples / NOT_FOUND, status=404))
    with pytest.raises(SourceError, match="ERR_NOT_FOUND_4: DS-999999"):
        Eurostat().fetch(catalogue.entry("eurostat", "belgium_china_monthly"), http)


def test_any_dimension_filter_is_sent_as_given_for_the_recorded_query(samples, replay, http):
    """The recorded query (EU27_2020 imports from the US, 2024-01..02): filters in the catalogue's terms."""
    from claimcheck.reference.sources.base import SnapshotSpec

    path = API_PATH + "/data/DS-045409"
    replay.script(path, Reply.file(samples / DATA))
    query = {"dataset": "DS-045409", "start": "2024-01", "end": "2024-02",
             "filters": {"reporter": "EU27_2020", "partner": ["US"], "product": "TOTAL", "flow": 1,
                         "indicators": ["VALUE_IN_EUROS"]}}  # fmt: skip
    frame, _ = Eurostat().fetch(SnapshotSpec("eu_us", "DS-045409", "test", query), http)
    sent = parse_qs(replay.requests_to(path)[0].query)
    assert sent["reporter"] == ["EU27_2020"] and sent["flow"] == ["1"] and "freq" not in sent
    assert set(frame["entity"]) == {"EUU"} and set(frame["partner"]) == {"USA"}
    assert Eurostat.check_query({"dataset": "DS-045409", "filters": ["reporter"]}) == [
        "filters: a mapping of dimension to code or list of codes"]
