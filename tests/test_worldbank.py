"""The World Bank source: the page parser against every recorded sample, paging, aggregates, and a live check."""

from __future__ import annotations

import json

import pytest

from claimcheck.reference import catalogue
from claimcheck.reference.http import HttpClient, SourceError
from claimcheck.reference.snapshots import load_snapshot
from claimcheck.reference.sources import get_source
from claimcheck.reference.sources.base import TIDY_COLUMNS, SnapshotSpec
from claimcheck.reference.sources.worldbank import AGGREGATE_CODES, error_message, parse_country_page, parse_indicator_page
from conftest import REPO, Reply

INDICATOR_PATH = "/v2/country/all/indicator/NY.GDP.MKTP.CD"


def test_every_recorded_world_bank_sample_is_parsed_or_recognised_as_an_error(api_samples, replay_server):
    samples = sorted((api_samples / "worldbank").iterdir())
    assert samples, "no World Bank samples recorded"
    for sample in samples:
        if sample.suffix == ".json":
            body = json.loads(sample.read_text(encoding="utf-8"))
            if error_message(body):
                with pytest.raises(SourceError, match="World Bank API error"):
                    parse_indicator_page(body)
                continue
            frame, page, pages = parse_indicator_page(body)
            assert (page, pages) == (body[0]["page"], body[0]["pages"]), sample.name
            assert len(frame) == sum(row["value"] is not None for row in body[1]), sample.name
            assert list(frame.columns[: len(TIDY_COLUMNS)]) == TIDY_COLUMNS
            assert frame["value"].dtype == float and (frame["unit"] == "USD").all()
        else:  # the HTML "Request Error" page, served with its recorded status
            replay_server.script("/page", Reply.file(sample, 400, "text/html"))
            with pytest.raises(SourceError, match="Request Error"):
                HttpClient(max_retries=0).get_json(f"{replay_server.url}/page", check=error_message)


def test_the_jpn_usa_sample_gives_the_recorded_values(api_samples):
    body = json.loads((api_samples / "worldbank/indicator_JPN-USA_NY.GDP.MKTP.CD_2018-2019_per_page2.json").read_text())
    frame, page, pages = parse_indicator_page(body)
    assert (page, pages) == (1, 2)
    assert frame[["entity", "period", "value"]].values.tolist() == [
        ["JPN", "2019", 5081769542379.77],
        ["JPN", "2018", 4954806619995.19],
    ]
    assert frame["entity_name"].tolist() == ["Japan", "Japan"] and not frame["aggregate"].any()


def test_the_all_countries_sample_starts_with_an_aggregate_and_drops_null_years(api_samples):
    body = json.loads((api_samples / "worldbank/indicator_all_NY.GDP.MKTP.CD_page1.json").read_text())
    frame, _, pages = parse_indicator_page(body)
    assert pages == 323
    assert set(frame["entity"]) == {"ARB"} and frame["aggregate"].all()
    assert "2020" not in set(frame["period"])  # recorded as value: null


def test_fetch_follows_the_pages_the_first_page_announces(api_samples, replay_server, monkeypatch):
    """Page 2 of the JPN-USA query was never recorded, so the replay answers 404 and the fetch must fail."""
    monkeypatch.setenv("CLAIMCHECK_WORLDBANK_URL", f"{replay_server.url}/v2")
    path = "/v2/country/JPN;USA/indicator/NY.GDP.MKTP.CD"
    replay_server.script(
        f"{path}?format=json&per_page=2&date=2018%3A2019&page=1",
        Reply.file(api_samples / "worldbank/indicator_JPN-USA_NY.GDP.MKTP.CD_2018-2019_per_page2.json"),
    )
    spec = SnapshotSpec("jpn_usa", "NY.GDP.MKTP.CD", "test", {"countries": "JPN;USA", "indicator": "NY.GDP.MKTP.CD",
                                                              "per_page": 2, "date": "2018:2019"})  # fmt: skip
    with pytest.raises(SourceError) as caught:
        get_source("worldbank").fetch(spec, HttpClient(max_retries=0))
    assert caught.value.status == 404
    assert [r.query.rsplit("page=", 1)[-1] for r in replay_server.requests_to(path)] == ["1", "2"]


def test_the_seeded_snapshot_flags_exactly_the_48_aggregates():
    frame = load_snapshot("worldbank", "gdp_current_usd", version="2024-10-21").frame
    assert len(AGGREGATE_CODES) == 48
    assert set(frame.loc[frame["aggregate"], "entity"]) == AGGREGATE_CODES
    assert frame["entity"].nunique() == 262


def test_the_seeded_snapshot_holds_the_rows_the_shared_readme_quotes():
    frame = load_snapshot("worldbank", "gdp_current_usd", version="2024-10-21").frame.set_index(["entity", "period"])["value"]
    assert frame[("CHN", "2021")] == 17820459508852.184
    assert frame[("USA", "2022")] == 25744108000000.0
    assert frame[("BEL", "2022")] == 583613982019.263


@pytest.mark.network
def test_live_world_bank_api_returns_gdp_for_china_and_the_united_states():
    spec = SnapshotSpec("live", "NY.GDP.MKTP.CD", "live check",
                        {**catalogue.entry("worldbank", "gdp_current_usd").query, "countries": "CHN;USA", "date": "2021:2022"})  # fmt: skip
    with HttpClient() as http:
        frame, url = get_source("worldbank").fetch(spec, http)
    assert url.startswith("https://api.worldbank.org/v2/country/CHN;USA/indicator/NY.GDP.MKTP.CD")
    assert set(frame["entity"]) == {"CHN", "USA"} and set(frame["period"]) == {"2021", "2022"}
    assert (frame["value"] > 1e13).all()


# A real /v2/countries page recorded by wbdata-go (tests/recordings/README.md): Africa (AFR), Andean
# Region (ANR) and Arab World (ARB) with region.id "NA"; Aruba, Afghanistan and others with a region.
COUNTRIES = REPO / "tests/recordings/worldbank/countries_per_page10_page1.json"


def test_aggregates_come_from_the_country_metadata_region_na():
    aggregates, economies, page, pages = parse_country_page(json.loads(COUNTRIES.read_text()))
    assert aggregates == {"AFR", "ANR", "ARB"}
    assert {"ABW", "AFG", "AGO", "ALB", "AND", "ARE", "ARG"} == economies
    assert (page, pages) == (1, 31)


def test_a_country_list_is_fetched_and_aggregates_flagged_from_the_metadata(api_samples, replay_server, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_WORLDBANK_URL", f"{replay_server.url}/v2")
    replay_server.script("/v2/country", Reply.file(COUNTRIES))
    path = "/v2/country/ARB;JPN/indicator/NY.GDP.MKTP.CD"
    samples = api_samples / "worldbank"
    replay_server.script(path + "?format=json&per_page=2&page=1",
                         Reply.file(samples / "indicator_JPN-USA_NY.GDP.MKTP.CD_2018-2019_per_page2.json"))
    replay_server.script(path + "?format=json&per_page=2&page=2", Reply.file(samples / "indicator_all_NY.GDP.MKTP.CD_page1.json"))
    spec = SnapshotSpec("gdp", "x", "test", {"indicator": "NY.GDP.MKTP.CD", "countries": ["ARB", "JPN"], "per_page": 2},
                        unit="USD")
    frame, url = get_source("worldbank").fetch(spec, HttpClient(max_retries=0))
    assert url == f"{replay_server.url}{path}?format=json&per_page=2&page=1"
    assert set(frame["entity"]) == {"ARB", "JPN"}
    assert set(frame.loc[frame["aggregate"], "entity"]) == {"ARB"}  # from region.id "NA", not a list
    assert replay_server.requests_to("/v2/country")[0].query == "format=json&per_page=1000&page=1"


def test_each_indicator_of_a_list_is_its_own_request(api_samples, replay_server, monkeypatch):
    """The second indicator answers with the recorded HTTP-200 error body: the fetch fails naming it."""
    monkeypatch.setenv("CLAIMCHECK_WORLDBANK_URL", f"{replay_server.url}/v2")
    samples = api_samples / "worldbank"
    first, second = "/v2/country/all/indicator/NY.GDP.MKTP.CD", "/v2/country/all/indicator/SP.POP.TOTL"
    replay_server.script(first, Reply.file(samples / "indicator_JPN-USA_NY.GDP.MKTP.CD_2018-2019_per_page2.json"))
    replay_server.script(second, Reply.file(samples / "error_120_invalid_value_http200.json"))
    spec = SnapshotSpec("two", "x", "test", {"indicator": ["NY.GDP.MKTP.CD", "SP.POP.TOTL"]}, unit="USD")
    with pytest.raises(SourceError, match="World Bank API error 120 Invalid value") as caught:
        get_source("worldbank").fetch(spec, HttpClient(max_retries=0))
    assert "SP.POP.TOTL" in caught.value.url
    assert len(replay_server.requests_to(first)) == 2 and len(replay_server.requests_to(second)) == 1


def test_a_query_without_an_indicator_is_a_catalogue_problem():
    from claimcheck.reference.sources.worldbank import WorldBank

    assert WorldBank.check_query({"countries": "all"}) == ["indicator: required"]
    assert WorldBank.check_query({"indicator": "SP.POP.TOTL", "country": "all"})[0].startswith("country: unknown query key")
