"""Wikidata source: SPARQL 1.1 JSON parsing on the real recordings, tidy mapping, queries, fetch against a replay."""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import parse_qs

import pytest
from conftest import Reply

from claimcheck.reference import catalogue
from claimcheck.reference.http import SourceError
from claimcheck.reference.sources import get_source
from claimcheck.reference.snapshots import validate_frame
from claimcheck.reference.sources.base import TIDY_COLUMNS, SnapshotSpec
from claimcheck.reference.sources.wikidata import (
    Wikidata,
    check_sparql,
    check_sparql_rows,
    parse_sparql_json,
    sparql_tidy,
)

MULTI = "sparql_select_multi_vars.json"
OPTIONAL = "sparql_select_optional_values.json"


@pytest.fixture
def samples(api_samples):
    return api_samples / "wikidata"


def load(samples, name):
    return json.loads((samples / name).read_text(encoding="utf-8"))


@pytest.fixture
def replay(replay_server, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_WIKIDATA_URL", replay_server.url + "/sparql")
    return replay_server


def test_typed_integer_literals_become_ints_and_labels_keep_their_text(samples):
    frame = parse_sparql_json(load(samples, MULTI))
    assert list(frame.columns) == ["entity", "entityLabel", "year"]
    assert frame.year.tolist() == [1903, 1970, 1937]
    assert frame.entityLabel.tolist()[1] == "Jean-Claude Lalumière"
    assert frame.entity.iloc[0] == "http://www.wikidata.org/entity/Q3731207"


def test_unbound_optional_variables_are_none_and_dates_decimals_are_typed(samples):
    row = parse_sparql_json(load(samples, OPTIONAL)).iloc[0]
    assert row["genre"] is None and row["musicBrainzRGId"] is None
    assert row["publicationDate"] == date(2013, 1, 1)
    assert row["duration"] == 94.0 and isinstance(row["duration"], float)
    assert row["imdbId"] == "tt1705952"
    assert row["countryOfOrigin"] == "http://www.wikidata.org/entity/Q183"


def test_tidy_rows_of_numbers_use_the_qid_as_entity(samples):
    frame = sparql_tidy(load(samples, MULTI), entity="entity", measures=["year"], as_of="2016-06-06")
    assert list(frame.columns[: len(TIDY_COLUMNS)]) == TIDY_COLUMNS
    first = frame.set_index("entity").loc["Q3731207"]
    assert first["value"] == 1903.0 and first["measure"] == "year" and first["unit"] == "unspecified"
    assert first["entity_name"] == "Ercole Patti" and first["period"] == "2016-06-06"


def test_tidy_rows_of_dates_and_items(samples):
    frame = sparql_tidy(
        load(samples, OPTIONAL),
        entity="director",
        measures=["publicationDate", "countryOfOrigin", "genre"],
        partner="countryOfOrigin",
        as_of="2017-01-13",
    ).set_index("measure")
    assert "genre" not in frame.index  # unbound: no row
    published = frame.loc["publicationDate"]
    assert (published["value"], published["unit"], published["period"]) == ("2013-01-01", "date", "2013-01-01")
    country = frame.loc["countryOfOrigin"]
    assert (country["value"], country["unit"], country["period"]) == (183.0, "wikidata-item", "2017-01-13")
    assert (country["partner"], country["partner_name"]) == ("Q183", "Allemagne")
    assert country["entity"] == "Q13704719" and country["entity_name"] == "Reinhard Klooss"


def test_a_body_without_results_is_not_a_result_set(samples):
    # Derived from a real result with its "results" member removed.
    body = load(samples, MULTI)
    del body["results"]
    assert check_sparql(body) == "not a SPARQL JSON result: no 'results.bindings' list"
    with pytest.raises(ValueError, match="results.bindings"):
        parse_sparql_json(body)


def test_no_bindings_is_an_error_for_a_refresh(samples):
    # Derived from a real result with its bindings emptied.
    body = load(samples, MULTI)
    body["results"]["bindings"] = []
    assert check_sparql(body) is None
    assert check_sparql_rows(body) == "no rows: the SPARQL query matched nothing"


BELGIUM_CHINA_RELATIONS = catalogue.entry("wikidata", "belgium_china_relations").query["sparql_text"]
CITY_COUNTRIES = catalogue.entry("wikidata", "city_countries").query["sparql_text"]


def test_the_relations_query_asks_for_belgium_china_start_dates():
    for needle in ("wd:Q31", "wd:Q148", "p:P530", "pqv:P580", "psv:P571", "wikibase:timePrecision", "wd:Q15221623", "DeprecatedRank"):
        assert needle in BELGIUM_CHINA_RELATIONS
    assert catalogue.entry("wikidata", "belgium_china_relations").query["sparql"] == "wikidata/belgium_china_relations.rq"


def test_the_cities_query_asks_for_the_country_of_three_cities():
    for needle in ('"Tilburg"@en', '"Lyon"@en', '"Duisburg"@en', "wdt:P17", "wdt:P1082"):
        assert needle in CITY_COUNTRIES


def test_fetch_sends_the_query_as_json_request_and_maps_the_replayed_result(samples, replay, http):
    spec = SnapshotSpec(
        name="films",
        dataset="test",
        description="the recorded film result mapped like city_countries",
        query={"sparql_text": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "columns": {"entity": "director",
               "partner": "countryOfOrigin", "measures": ["countryOfOrigin", "publicationDate"]}},
    )
    replay.script("/sparql", Reply.file(samples / OPTIONAL, content_type="application/sparql-results+json"))
    frame, url = Wikidata().fetch(spec, http)
    (request,) = replay.requests_to("/sparql")
    query = parse_qs(request.query)
    assert query["query"] == ["SELECT * WHERE { ?s ?p ?o } LIMIT 1"] and query["format"] == ["json"]
    assert request.headers["Accept"] == "application/sparql-results+json"
    assert url == replay.url + "/sparql?" + request.query
    assert frame[["entity", "partner", "measure", "value", "unit"]].values.tolist() == [
        ["Q13704719", "Q183", "countryOfOrigin", 183.0, "wikidata-item"],
        ["Q13704719", "Q183", "publicationDate", "2013-01-01", "date"],
    ]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", frame.period.iloc[0])  # the day the query ran
    assert frame.period.iloc[1] == "2013-01-01"
    validate_frame(frame, "wikidata fetch")  # what a refresh stores must pass the snapshot store


def test_fetch_of_relations_refuses_a_result_without_its_variables(samples, replay, http):
    replay.script("/sparql", Reply.file(samples / MULTI))
    with pytest.raises(SourceError, match="none had a value"):
        Wikidata().fetch(catalogue.entry("wikidata", "belgium_china_relations"), http)
    (request,) = replay.requests_to("/sparql")
    assert parse_qs(request.query)["query"] == [BELGIUM_CHINA_RELATIONS]


def test_fetch_of_cities_names_the_cities_it_did_not_find(samples, replay, http):
    replay.script("/sparql", Reply.file(samples / MULTI))
    with pytest.raises(SourceError, match="no result for name Tilburg, Lyon, Duisburg"):
        Wikidata().fetch(catalogue.entry("wikidata", "city_countries"), http)


def test_fetch_of_an_empty_result_says_no_rows(samples, replay, http):
    body = load(samples, MULTI)
    body["results"]["bindings"] = []  # derived from the real result
    replay.script("/sparql", Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"}))
    with pytest.raises(SourceError, match="no rows"):
        Wikidata().fetch(catalogue.entry("wikidata", "city_countries"), http)


# ------------------------------------------------------------------------------------ date precision

from claimcheck.reference.sources.wikidata import cut_to_precision  # noqa: E402


@pytest.mark.parametrize(
    "precision, expected", [(9, "1971"), ("9", "1971"), (10, "1971-10"), (11, "1971-10-25"), (8, "1970s"), (None, "1971-10-25")]
)
def test_a_date_keeps_the_precision_wikidata_records(precision, expected):
    assert cut_to_precision("1971-10-25", precision) == expected


def test_a_year_precision_date_stays_a_year_not_the_first_of_january(samples, replay, http):
    """The real film result (publicationDate 2013-01-01T00:00:00Z) with the precision variable a
    psv:/wikibase:timePrecision query binds beside it: 9, a year (derived from the recording)."""
    body = load(samples, OPTIONAL)
    body["head"]["vars"].append("publicationDatePrecision")
    body["results"]["bindings"][0]["publicationDatePrecision"] = {
        "datatype": "http://www.w3.org/2001/XMLSchema#integer", "type": "literal", "value": "9"}
    replay.script("/sparql", Reply(200, json.dumps(body).encode(), {"Content-Type": "application/sparql-results+json"}))
    spec = SnapshotSpec("films", "test", "test", {"sparql_text": "SELECT ...", "columns": {
        "entity": "director", "measures": ["publicationDate"]}})
    frame, _ = Wikidata().fetch(spec, http)
    assert frame[["measure", "value", "unit", "period"]].values.tolist() == [["publicationDate", "2013", "date", "2013"]]
    validate_frame(frame, "wikidata fetch")
