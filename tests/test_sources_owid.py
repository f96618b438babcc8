"""Our World in Data source: grapher CSV and metadata parsers on the real downloads, fetch against a replay."""

from __future__ import annotations

import shutil

import json
from urllib.parse import parse_qs

import pytest
from conftest import Reply

from claimcheck.reference import catalogue
from claimcheck.reference.http import SourceError
from claimcheck.reference.sources import get_source
from claimcheck.reference.sources.base import TIDY_COLUMNS, SnapshotSpec
from claimcheck.reference.sources.owid import (
    OWID,
    check_grapher_csv,
    check_grapher_metadata,
    parse_grapher_csv,
    parse_metadata,
)

OIL = "oil-production-by-country"
ENERGY = "production-vs-consumption-energy"


@pytest.fixture
def samples(api_samples):
    return api_samples / "owid"


def csv_text(samples, slug):
    return (samples / f"{slug}.csv").read_text(encoding="utf-8")


def metadata(samples, slug):
    return parse_metadata(json.loads((samples / f"{slug}.metadata.json").read_text(encoding="utf-8")))


@pytest.fixture
def replay(replay_server, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_OWID_URL", replay_server.url)
    return replay_server


def test_oil_production_rows_with_units_from_the_metadata(samples):
    frame = parse_grapher_csv(csv_text(samples, OIL), metadata(samples, OIL))
    assert list(frame.columns[: len(TIDY_COLUMNS)]) == TIDY_COLUMNS
    assert len(frame) == 750
    world = frame[frame.entity == "WLD"].set_index("period")
    assert world.loc["2024", "value"] == 52831.05 and world.loc["2024", "unit"] == "terawatt-hours"
    assert world.loc["2024", "measure"] == "Oil production (TWh)"
    assert frame.value.dtype == float


def test_a_region_with_an_empty_code_is_named_by_its_entity(samples):
    frame = parse_grapher_csv(csv_text(samples, OIL))
    africa = frame[frame.entity_name == "Africa"]
    assert len(africa) == 125 and set(africa.entity) == {"Africa"}
    assert set(africa.period.str.len()) == {4}


def test_two_value_columns_with_short_names_and_empty_units(samples):
    frame = parse_grapher_csv(csv_text(samples, ENERGY), metadata(samples, ENERGY))
    belgium = frame[(frame.entity == "BEL") & (frame.period == "1995")].set_index("measure")
    assert belgium.loc["consumption_based_energy", "value"] == 421.604385
    assert belgium.loc["production_based_energy", "value"] == 422.716404
    china = frame[(frame.entity == "CHN") & (frame.period == "2020")].set_index("measure")
    assert china.loc["production_based_energy", "value"] == 42689.87976
    assert set(frame.unit) == {"unspecified"}  # the metadata gives an empty unit
    assert sorted(frame[frame.entity == "BEL"].period.unique())[::25] == ["1995", "2020"]


def test_metadata_gives_citation_and_last_update_for_provenance(samples):
    meta = metadata(samples, OIL)
    assert meta["last_updated"] == "2025-06-27"
    assert meta["citation"].startswith("Energy Institute - Statistical Review of World Energy (2025)")
    column = meta["columns"]["Oil production (TWh)"]
    assert column["variable_id"] == 1077533 and column["short_unit"] == "TWh"
    assert metadata(samples, ENERGY)["columns"]["consumption_based_energy"]["unit"] is None


def test_text_categories_are_kept_as_text(samples):
    # Derived from the real oil CSV: its first three data lines, with the value column renamed to a
    # status and the values replaced by category names like those of the net-zero-targets chart.
    lines = csv_text(samples, OIL).splitlines()[:4]
    lines[0] = "Entity,Code,Year,Net-zero target status"
    lines[1:] = [",".join(line.split(",")[:3] + [status]) for line, status in zip(lines[1:], ["In law", "", "2060"])]
    frame = parse_grapher_csv("\n".join(lines))
    assert frame[["period", "value", "unit"]].values.tolist() == [
        ["1900", "In law", "category"],
        ["1902", 2060.0, "unspecified"],
    ]
    assert frame.value.dtype == object


def test_an_html_page_is_not_a_grapher_csv(api_samples):
    # A real HTML error page (the World Bank's 400 page), standing in for any HTML answer.
    page = (api_samples / "worldbank" / "error_http400_invalid_source.html").read_text(encoding="utf-8-sig")
    assert check_grapher_csv(page) == "OWID sent an HTML page instead of a CSV (unknown chart, or a blocked download)"
    with pytest.raises(ValueError, match="HTML page"):
        parse_grapher_csv(page)


def test_metadata_without_columns_is_refused(samples):
    # Derived from the real metadata with its columns removed.
    body = json.loads((samples / f"{OIL}.metadata.json").read_text())
    del body["columns"]
    assert check_grapher_metadata(body) == "OWID metadata has no 'columns' object"


def test_the_declared_snapshot_is_the_net_zero_targets_chart():
    spec = catalogue.entry("owid", "net_zero_targets")
    csv_url, metadata_url = OWID.urls(spec.query["slug"])
    assert csv_url.endswith("/grapher/net-zero-targets.csv?v=1&csvType=full&useColumnShortNames=false")
    assert "/grapher/net-zero-targets.metadata.json?" in metadata_url


def test_fetch_downloads_csv_and_metadata_and_keeps_the_metadata(samples, replay, http):
    replay.script("/grapher/net-zero-targets.csv", Reply.file(samples / f"{ENERGY}.csv", content_type="text/csv"))
    replay.script("/grapher/net-zero-targets.metadata.json", Reply.file(samples / f"{ENERGY}.metadata.json"))
    spec = catalogue.entry("owid", "net_zero_targets")
    frame, url = OWID().fetch(SnapshotSpec(spec.name, spec.dataset, spec.description, {"slug": spec.query["slug"]}), http)
    (request,) = replay.requests_to("/grapher/net-zero-targets.csv")
    assert parse_qs(request.query) == {"v": ["1"], "csvType": ["full"], "useColumnShortNames": ["false"]}
    assert url == replay.url + "/grapher/net-zero-targets.csv?" + request.query
    assert len(frame) == 2226
    citation = "Calculated by Viktoras Kulionis, based on the EXIOBASE v3.8.2 database"
    assert frame.attrs["metadata"]["citation"] == citation


def test_fetch_refuses_an_html_answer(samples, api_samples, replay, http):
    page = api_samples / "worldbank" / "error_http400_invalid_source.html"
    replay.script("/grapher/net-zero-targets.csv", Reply.file(page, content_type="text/html"))
    replay.script("/grapher/net-zero-targets.metadata.json", Reply.file(samples / f"{OIL}.metadata.json"))
    with pytest.raises(SourceError, match="HTML page instead of a CSV"):
        OWID().fetch(catalogue.entry("owid", "net_zero_targets"), http)


def test_fetch_reports_a_missing_chart(replay, http):
    with pytest.raises(SourceError) as caught:  # the replay server answers unscripted paths with 404
        OWID().fetch(catalogue.entry("owid", "net_zero_targets"), http)
    assert caught.value.status == 404 and str(caught.value).startswith("OWID: ")


# ------------------------------------------------------------------------------ target-year charts

from conftest import REPO  # noqa: E402

from claimcheck.reference.sources.owid import TARGET_LAYOUTS, read_target_years  # noqa: E402


@pytest.fixture
def net_zero_2021():
    """The real third-party copy of the chart's 2021 CSV (tests/recordings/README.md gives the origin)."""
    return (REPO / "tests/recordings/owid/net-zero-targets_2021-layout.csv").read_text(encoding="utf-8")


def as_2023_layout(text_2021: str) -> str:
    """The 2021 rows rearranged into the 2023 layout (Year = target year, value = status), as the shared
    README describes it; no 2023 download was recorded, so this is derived, not a recording."""
    lines = ["Entity,Code,Year,Net-zero target status"]
    for line in text_2021.splitlines()[1:]:
        entity, code, _, value = line.rsplit(",", 3) if line.count(",") == 3 else line.split(",", 3)
        if value.endswith(")"):
            status, year = value[:-1].rsplit(" (", 1)
            lines.append(f"{entity},{code},{year},{status}")
    return "\n".join(lines)


def as_2026_layout(text_2021: str) -> str:
    """The 2021 rows with the target year as its own indicator column (the 2026 layout; derived, not recorded)."""
    lines = ["Entity,Code,Year,Net-zero target status,net_zero_target_year"]
    for line in text_2021.splitlines()[1:]:
        entity, code, year, value = line.rsplit(",", 3)
        status, target = (value[:-1].rsplit(" (", 1) + [""])[:2] if value.endswith(")") else (value, "")
        lines.append(f"{entity},{code},{year},{status},{target}")
    return "\n".join(lines)


@pytest.mark.parametrize("layout", ["2021", "2023", "2026"])
def test_each_net_zero_layout_gives_the_same_status_and_target_year(net_zero_2021, layout):
    text = {"2021": net_zero_2021, "2023": as_2023_layout(net_zero_2021), "2026": as_2026_layout(net_zero_2021)}[layout]
    frame, found = read_target_years(parse_grapher_csv(text))
    assert found == layout
    chn = frame[frame["entity"] == "CHN"].set_index("measure")
    assert chn.loc["target_year", "value"] == 2060.0 and chn.loc["target_year", "unit"] == "year"
    assert chn.loc["status", "value"] == "In policy document" and chn.loc["status", "unit"] == "category"
    if layout != "2023":  # the 2023 layout drops statuses without a year ("Achieved")
        assert frame.loc[(frame["entity"] == "BTN") & (frame["measure"] == "status"), "value"].tolist() == ["Achieved"]


def test_a_chart_of_numbers_is_no_target_year_layout(samples):
    with pytest.raises(ValueError, match="matches none of the target-year layouts"):
        read_target_years(parse_grapher_csv(csv_text(samples, OIL), metadata(samples, OIL)))


def test_fetch_of_the_catalogue_entry_reads_the_2021_layout_and_says_so(samples, net_zero_2021, replay, http, tmp_path):
    csv_file = tmp_path / "net-zero-targets.csv"
    csv_file.write_text(net_zero_2021, encoding="utf-8")
    replay.script("/grapher/net-zero-targets.csv", Reply.file(csv_file, content_type="text/csv"))
    replay.script("/grapher/net-zero-targets.metadata.json", Reply.file(samples / f"{OIL}.metadata.json"))
    spec = catalogue.entry("owid", "net_zero_targets")
    assert spec.query["target_years"] is True
    frame, _ = OWID().fetch(spec, http)
    assert frame.attrs["schema"] == TARGET_LAYOUTS["2021"]
    row = frame[(frame["entity"] == "CHN") & (frame["measure"] == "target_year")]
    assert row["value"].tolist() == [2060.0]


def test_a_column_picks_one_indicator_and_an_unknown_column_is_named(samples, replay, http):
    replay.script(f"/grapher/{ENERGY}.csv", Reply.file(samples / f"{ENERGY}.csv", content_type="text/csv"))
    replay.script(f"/grapher/{ENERGY}.metadata.json", Reply.file(samples / f"{ENERGY}.metadata.json"))
    spec = SnapshotSpec("energy", "x", "test", {"slug": ENERGY, "column": "production_based_energy"})
    frame, _ = OWID().fetch(spec, http)
    assert set(frame["measure"]) == {"production_based_energy"}
    wrong = SnapshotSpec("energy", "x", "test", {"slug": ENERGY, "column": "production_energy"})
    with pytest.raises(SourceError, match="no column 'production_energy'"):
        OWID().fetch(wrong, http)


def test_a_refreshed_net_zero_chart_records_its_layout_and_decides_the_seed_climate_claim(
    samples, net_zero_2021, replay, data_copy, tmp_path, capsys
):
    """The 2021 CSV (a real copy) served as the live chart: the sidecar says which layout was read, and
    the seed's "carbon neutrality by 2060" claim, decided by documents before, is decided by its target_year."""
    from claimcheck import cli
    from claimcheck.judge.verdicts import judge_all
    from claimcheck.reference.snapshots import load_snapshot
    from claimcheck.registry.articles import load_article

    csv_file = tmp_path / "net-zero-targets.csv"
    csv_file.write_text(net_zero_2021, encoding="utf-8")
    replay.script("/grapher/net-zero-targets.csv", Reply.file(csv_file, content_type="text/csv"))
    replay.script("/grapher/net-zero-targets.metadata.json", Reply.file(samples / f"{OIL}.metadata.json"))
    article = load_article("china-belgium-ties-2023-02-26")
    claim = "china-carbon-neutrality-2060"
    shutil.rmtree(data_copy / "reference/owid/net_zero_targets")  # as if the transcribed 2021 copy were not stored
    (before,) = judge_all(article, [claim])
    assert before.evidence[0].status == "missing" and before.verdict == "supported"  # decided by the documents
    assert cli.main(["refresh", "--source", "owid", "--snapshot", "net_zero_targets"]) == 0
    assert load_snapshot("owid", "net_zero_targets").meta["schema"] == TARGET_LAYOUTS["2021"]
    (after,) = judge_all(article, [claim])
    assert (after.evidence[0].status, after.evidence[0].value) == ("ok", 2060.0)
    assert after.verdict == "supported" and after.decided_by == after.evidence[0].label
