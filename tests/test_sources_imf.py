"""IMF source: SDMX-ML 3.0, SDMX-JSON and legacy CompactData parsers on the real recordings, errors, fetch."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import Reply

from claimcheck.reference import catalogue
from claimcheck.reference.http import SourceError, redact
from claimcheck.reference.sources import get_source
from claimcheck.reference.sources.base import TIDY_COLUMNS, SnapshotSpec
from claimcheck.reference.sources.imf import (
    IMF,
    check_imf_json,
    check_imf_text,
    normalise_period,
    parse_compactdata,
    parse_sdmx_json,
    parse_sdmx_xml,
)

IMTS_XML = "sdmx3_data_IMTS_USA.XG_FOB_USD.G001+G998.A_2023-2024.xml"
WHDREO_JSON = "sdmx3_data_WHDREO_GX1213.BCA_GDP_BP6.A.json"
LEGACY_DOT = "legacy_compactdata_DOT_A.US.TXG_FOB_USD.W00+B0_2020-2023.json"
LEGACY_ERROR = "legacy_error_500_DataStructure_not_a_real_database.xml"

# The recorded IMTS request: USA exports to the world (G001) and the EU (G998), annual, from 2023.
RECORDED_SPEC = SnapshotSpec(
    name="recorded",
    dataset="IMF.STA/IMTS",
    description="the query of the recorded response",
    query={"key": "USA.XG_FOB_USD.G001+G998.A", "start": "2023", "end": "2025"},
)
DATA_PATH = "/external/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/"


@pytest.fixture
def samples(api_samples):
    return api_samples / "imf"


@pytest.fixture
def replay(replay_server, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_IMF_URL", replay_server.url + "/external/sdmx/3.0")
    return replay_server


def test_imts_xml_values_are_plain_dollars_despite_scale_6(samples):
    frame = parse_sdmx_xml((samples / IMTS_XML).read_bytes())
    assert list(frame.columns[: len(TIDY_COLUMNS)]) == TIDY_COLUMNS
    assert len(frame) == 4
    world = frame[frame.partner == "WLD"].set_index("period")
    assert world.loc["2023", "value"] == 2019551635133.0
    assert world.loc["2024", "value"] == 2065411250609.0
    eu = frame[frame.partner == "EUU"].set_index("period")
    assert eu.loc["2023", "value"] == 369756760426.0
    assert set(frame.entity) == {"USA"} and set(frame.measure) == {"exports_fob"}
    assert set(frame.unit) == {"USD"} and set(frame.basis) == {"reporter-reported (IMF IMTS)"}


def test_legacy_dot_millions_times_a_million_equal_the_imts_dollars(samples):
    legacy = parse_compactdata(json.loads((samples / LEGACY_DOT).read_text()))
    imts = parse_sdmx_xml((samples / IMTS_XML).read_bytes())
    assert len(legacy) == 8
    key = ["entity", "partner", "period", "measure"]
    both = legacy.merge(imts, on=key, suffixes=("_dot", "_imts"))
    assert sorted(both.partner) == ["EUU", "WLD"]  # 2023, the one year in both recordings
    assert both.value_dot.tolist() == pytest.approx(both.value_imts.tolist(), rel=1e-12)
    assert legacy.set_index(["partner", "period"]).loc[("WLD", "2020"), "value"] == pytest.approx(1429995404019.0)


def test_legacy_series_and_obs_given_as_single_objects(samples):
    # Derived from the real DOT body: reduced to its first series, whose Obs is reduced to its
    # first observation, each written as a bare object as the legacy service does for one item.
    body = json.loads((samples / LEGACY_DOT).read_text())
    dataset = body["CompactData"]["DataSet"]
    series = copy.deepcopy(dataset["Series"][0])
    series["Obs"] = series["Obs"][0]
    dataset["Series"] = series
    frame = parse_compactdata(body)
    assert frame[["entity", "partner", "period", "measure"]].values.tolist() == [["USA", "EUU", "2020", "exports_fob"]]
    assert frame.value.item() == pytest.approx(233754.7771e6)


def test_legacy_dataset_without_series_gives_no_rows(samples):
    # Derived from the real DOT body with its Series removed (what the service sends for no data).
    body = json.loads((samples / LEGACY_DOT).read_text())
    del body["CompactData"]["DataSet"]["Series"]
    assert parse_compactdata(body).empty


def test_sdmx_json_whdreo_message_is_read_by_positions(samples):
    frame = parse_sdmx_json(json.loads((samples / WHDREO_JSON).read_text()))
    assert len(frame) == 55
    assert frame.period.iloc[0] == "1976" and frame.period.iloc[-1] == "2030"
    by_year = frame.set_index("period")["value"]
    assert by_year["1976"] == -7.436 and by_year["2030"] == -1.802
    assert set(frame.entity) == {"GX1213"} and set(frame.measure) == {"bca_gdp_bp6"}
    assert set(frame.unit) == {"PT"} and set(frame.partner) == {""} and set(frame.basis) == {None}


def test_legacy_500_string_body_is_an_error_with_its_sentence(samples):
    reason = check_imf_text((samples / LEGACY_ERROR).read_text())
    assert reason.startswith("IMF service error: There is an issue while retrieving the data")
    assert "GKey = 1588cb4a-1c43-4829-85c0-5804af9f4fe6" in reason
    with pytest.raises(ValueError, match="There is an issue"):
        parse_sdmx_xml((samples / LEGACY_ERROR).read_bytes())


def test_the_empty_204_answer_is_an_error():
    # The samples README records this answer as status 204 with an empty body (no file).
    reason = check_imf_text(b"", 204)
    assert reason.startswith("empty response (HTTP 204)")


def test_data_messages_are_not_errors(samples):
    assert check_imf_text((samples / IMTS_XML).read_bytes()) is None
    assert check_imf_json(json.loads((samples / WHDREO_JSON).read_text())) is None
    assert check_imf_json(json.loads((samples / LEGACY_DOT).read_text())) is None


@pytest.mark.parametrize(
    "text, period", [("2023", "2023"), ("2021-M01", "2021-01"), ("2021M12", "2021-12"), ("2021-01", "2021-01")]
)
def test_periods_are_normalised_to_year_or_year_month(text, period):
    assert normalise_period(text) == period


def test_the_catalogue_declares_the_transcribed_dots_entry_without_a_query():
    assert catalogue.entry("imf", "imts_china_belgium_monthly").query["key"] == "CHN.XG_FOB_USD+MG_CIF_USD.BEL.M"
    assert catalogue.entry("imf", "imts_china_belgium_annual").dataset == "IMF.STA/IMTS"
    dots = catalogue.entry("imf", "dots_china_belgium_annual")
    assert not dots.refreshable  # the transcription is never overwritten


def test_fetch_replays_the_recorded_request_and_reads_plain_dollars(samples, replay, http):
    path = DATA_PATH + "USA.XG_FOB_USD.G001+G998.A"
    replay.script(path, Reply.file(samples / IMTS_XML, content_type="application/xml"))
    frame, url = IMF().fetch(RECORDED_SPEC, http)
    (request,) = replay.requests_to(path)
    assert request.headers["Accept"] == "application/xml"
    assert request.query.startswith("c%5BTIME_PERIOD%5D=ge:2023-01-01+le:2025-12-31&")
    assert "dimensionAtObservation=TIME_PERIOD" in request.query
    assert url == replay.url + path + "?" + request.query
    assert frame.set_index(["partner", "period"]).loc[("WLD", "2023"), "value"] == 2019551635133.0


def test_fetch_of_the_monthly_snapshot_turns_the_empty_204_into_an_error(replay, http):
    path = DATA_PATH + "CHN.XG_FOB_USD+MG_CIF_USD.BEL.M"
    replay.script(path, Reply(204, b""))
    with pytest.raises(SourceError) as caught:
        IMF().fetch(catalogue.entry("imf", "imts_china_belgium_monthly"), http)
    assert "empty response (HTTP 204)" in str(caught.value)
    (request,) = replay.requests_to(path)
    assert "ge:2021-01-01+le:2022-12-31" in request.query


def test_fetch_reports_the_legacy_500_body(samples, replay, http):
    path = DATA_PATH + "USA.XG_FOB_USD.G001+G998.A"
    replay.script(path, Reply.file(samples / LEGACY_ERROR, status=500, content_type="application/xml"))
    with pytest.raises(SourceError) as caught:
        IMF().fetch(RECORDED_SPEC, http)
    assert caught.value.status == 500
    assert "There is an issue while retrieving the data" in str(caught.value)


def test_fetch_of_the_annual_snapshot_asks_for_both_reporters_in_one_request(samples, replay, http):
    path = DATA_PATH + "CHN+BEL.XG_FOB_USD+MG_CIF_USD.BEL+CHN+G001.A"
    replay.script(path, Reply.file(samples / IMTS_XML, content_type="application/xml"))
    frame, url = IMF().fetch(catalogue.entry("imf", "imts_china_belgium_annual"), http)
    (request,) = replay.requests
    assert request.path == path
    assert request.query.startswith("c%5BTIME_PERIOD%5D=ge:1997-01-01&")  # no upper bound: up to the latest year
    assert frame.attrs["request_urls"] == [url]
    assert redact(url) == url  # the snapshot store keeps it as it is


def test_a_refresh_through_the_snapshot_store_keeps_values_and_url(samples, replay, data_copy, http):
    # The real IMTS body (USA) stands in for the monthly China-Belgium answer: this checks the path
    # from fetch to a stored, checksummed snapshot, not the China-Belgium figures.
    from claimcheck.reference import snapshots

    path = DATA_PATH + "CHN.XG_FOB_USD+MG_CIF_USD.BEL.M"
    replay.script(path, Reply.file(samples / IMTS_XML, content_type="application/xml"))
    stored = snapshots.refresh("imf", "imts_china_belgium_monthly", http=http)
    assert stored.frame.set_index(["partner", "period"]).loc[("WLD", "2023"), "value"] == 2019551635133.0
    assert stored.provenance.url == replay.url + path + "?" + replay.requests[0].query
    assert stored.provenance.method == "api"


def test_any_dataflow_key_and_range_make_the_sdmx_url():
    url = IMF.data_url("GX1213.BCA_GDP_BP6.A", "2020", None, dataflow="IMF.WHD/WHDREO")
    assert "/data/dataflow/IMF.WHD/WHDREO/+/GX1213.BCA_GDP_BP6.A?" in url
    assert "c%5BTIME_PERIOD%5D=ge:2020-01-01&" in url  # no end: up to the latest period
    monthly = IMF.data_url("USA.XG_FOB_USD.G001.M", "2024-02", "2024-02")
    assert "ge:2024-02-01+le:2024-02-29" in monthly and "/IMF.STA/IMTS/+/" in monthly
    assert IMF.check_query({"key": "USA.XG_FOB_USD.G001.A"}) == ["start: required"]
