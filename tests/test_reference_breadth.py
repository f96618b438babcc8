"""Every WDI indicator, its releases and OWID's whole CO2 table: generated catalogue entries, compressed
snapshots read lazily, `claimcheck sources --search`, and claims on the new measures judged offline."""

from __future__ import annotations

import gzip
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml

from claimcheck import cli, paths
from claimcheck.judge.evidence import Loader
from claimcheck.judge.verdicts import judge_all
from claimcheck.reference import catalogue
from claimcheck.reference.errors import SnapshotInvalid
from claimcheck.reference.search import search
from claimcheck.reference.snapshots import load_snapshot, version_paths, versions
from claimcheck.registry.articles import load_article
from conftest import REPO

SHARED = Path(os.environ.get("CLAIMCHECK_SHARED", REPO.parent / "shared"))
ARTICLE = "public-finances-and-development-2026-12-07"
WDI_KEPT = ["co2_emissions", "co2_emissions_per_capita", "exports_share_of_gdp", "fdi_net_inflows", "gdp_current_usd",
            "gdp_growth", "gdp_per_capita_current_usd", "gdp_per_capita_growth", "gdp_per_capita_ppp",
            "gni_per_capita_atlas", "imports_share_of_gdp", "inflation_cpi", "life_expectancy", "merchandise_exports",
            "merchandise_imports", "merchandise_trade_share_of_gdp", "population", "renewable_energy_share",
            "unemployment"]  # fmt: skip

# what a reader types -> the entries that are right first (source, snapshot, measure)
SEARCHES = {
    "government debt": {("worldbank", "gc_dod_totl_gd_zs", "GC.DOD.TOTL.GD.ZS")},
    "military expenditure": {("worldbank", "ms_mil_xpnd_gd_zs", "MS.MIL.XPND.GD.ZS")},
    "defence spending": {("worldbank", "ms_mil_xpnd_gd_zs", "MS.MIL.XPND.GD.ZS")},
    "tax revenue": {("worldbank", "gc_tax_totl_gd_zs", "GC.TAX.TOTL.GD.ZS")},
    "access to electricity": {("worldbank", "eg_elc_accs_zs", "EG.ELC.ACCS.ZS")},
    "child mortality": {("worldbank", "sh_dyn_mort", "SH.DYN.MORT")},
    "CO2 per person": {("owid", "co2_data", "co2_per_capita"), ("worldbank", "co2_emissions_per_capita", "EN.ATM.CO2E.PC")},
    "renewables' share of electricity": {("worldbank", "eg_elc_rnew_zs", "EG.ELC.RNEW.ZS")},
    "school enrolment": {("worldbank", "se_prm_enrr", "SE.PRM.ENRR")},
    "consumption-based emissions": {("owid", "co2_data", "consumption_co2")},
    "share of global emissions": {("owid", "co2_data", "share_global_co2")},
    "inflation": {("worldbank", "inflation_cpi", "FP.CPI.TOTL.ZG")},
    "population": {("worldbank", "population", "SP.POP.TOTL")},
    "life expectancy": {("worldbank", "life_expectancy", "SP.DYN.LE00.IN")},
}


@pytest.mark.parametrize("query", sorted(SEARCHES))
def test_a_search_finds_the_right_entry_first(query):
    score, best = search(query, limit=1)[0]
    assert (best.spec.source, best.spec.name, best.measure) in SEARCHES[query] and score > 0


def test_sources_search_prints_codes_unit_years_economies_and_an_evidence_block(capsys):
    assert cli.main(["sources", "--search", "government debt", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "snapshot gc_dod_totl_gd_zs, measure GC.DOD.TOTL.GD.ZS, unit percent, grain annual" in out
    assert "years 1970-2024" in out and "economies" in out
    block = yaml.safe_load(out[out.index("evidence:"):].replace("\n   ", "\n"))
    assert block["evidence"][0]["snapshot"] == "gc_dod_totl_gd_zs" and block["evidence"][0]["select"]["measure"] == "GC.DOD.TOTL.GD.ZS"


def test_a_search_matching_nothing_says_how_to_add_an_entry(capsys):
    assert cli.main(["sources", "--search", "zzzq"]) == 1
    assert "catalog add" in capsys.readouterr().out


def test_every_wdi_indicator_is_an_entry_with_names_shape_grain_and_a_stored_snapshot():
    entries = {s.name: s for s in catalogue.entries("worldbank")}
    codes = {s.query["indicator"] for s in entries.values()}
    listed = SHARED / "reference/worldbank/wdi-all/indicators.csv"
    if listed.is_file():
        assert codes >= {line.split(",")[0] for line in listed.read_text().splitlines()[1:]}
    assert len(entries) >= 325 and set(WDI_KEPT) <= set(entries)
    for spec in entries.values():
        assert spec.names and spec.shape and spec.grain == "annual", spec.name
        assert versions("worldbank", spec.name), spec.name
    debt = entries["gc_dod_totl_gd_zs"]
    assert (debt.unit, debt.shape, debt.title) == ("percent", "share", "Central government debt, total (% of GDP)")
    assert "government debt" in debt.names and debt.about.startswith("Debt is the entire stock")
    assert entries["sh_dyn_mort"].unit == "per_1000" and entries["population"].shape == "count"


def test_a_kept_entry_keeps_its_fields_over_the_generated_ones():
    population = catalogue.entry("worldbank", "population")
    assert population.title == "Population, total, every economy and aggregate"  # the hand-kept title
    assert "population" in population.names and population.shape == "count"  # generated fields
    assert not catalogue.is_generated(population) and catalogue.is_generated(catalogue.entry("worldbank", "sh_dyn_mort"))


def test_a_persons_edit_survives_regeneration(data_copy):
    shared = SHARED
    if not (shared / "reference/worldbank/wdi-all").is_dir():
        pytest.skip("shared reference folder not found")
    kept = data_copy / "reference/catalogue/worldbank.yaml"
    kept.write_text(kept.read_text() + "  sh_dyn_mort:\n    names: [under-five deaths]\n    rankable: true\n")
    generated = data_copy / "reference/catalogue/generated/worldbank.yaml"
    before = generated.read_bytes()
    owid = data_copy / "reference/catalogue/generated/owid.yaml"
    owid_before = owid.read_bytes()
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_catalogue", REPO / "scripts/generate_catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([str(shared)]) == 0
    assert generated.read_bytes() == before  # the generator never writes the edit into its own file
    assert owid.read_bytes() == owid_before  # and the committed files are what it generates
    entry = catalogue.entry("worldbank", "sh_dyn_mort")
    assert entry.names == ("under-five deaths",) and entry.rankable is True and entry.unit == "per_1000"


def test_a_compressed_version_loads_with_its_checksum_and_a_damaged_one_is_refused(data_copy):
    path, _ = version_paths("worldbank", "gc_dod_totl_gd_zs", "2026-07-01")
    assert path.name == "2026-07-01.csv.gz"
    snap = load_snapshot("worldbank", "gc_dod_totl_gd_zs")
    assert snap.provenance.snapshot == "reference/worldbank/gc_dod_totl_gd_zs/2026-07-01.csv.gz"
    assert snap.meta["transcribed_from"]["files"][0]["path"] == "indicators/gc.dod.totl.gd.zs/data.csv"
    data = gzip.decompress(path.read_bytes()).replace(b"USA,2023,", b"USA,2023,1")
    path.unlink()  # a link to the committed file: replace it, never write through it
    path.write_bytes(gzip.compress(data))
    with pytest.raises(SnapshotInvalid, match="checksum mismatch"):
        load_snapshot("worldbank", "gc_dod_totl_gd_zs")


def test_the_releases_are_versions_and_as_of_reads_the_older_one():
    assert versions("worldbank", "gc_dod_totl_gd_zs") == ["2018-08-01", "2025-12-17", "2026-04-01", "2026-05-01", "2026-07-01"]
    assert versions("worldbank", "inflation_cpi") == ["2018-08-01", "2025-12-17", "2026-05-01", "2026-07-01"]
    thailand = {v: load_snapshot("worldbank", "inflation_cpi", version=v).frame.set_index(["entity", "period"])
                for v in ("2026-05-01", "2026-07-01")}
    assert thailand["2026-05-01"].loc[("THA", "2022"), "value"] == -1.61068030486688  # corrected in 2026-07
    assert thailand["2026-07-01"].loc[("THA", "2022"), "value"] == 6.07589952842433
    assert load_snapshot("worldbank", "inflation_cpi", as_of="2026-06-01").version == "2026-05-01"


def test_owids_whole_co2_table_is_one_snapshot_of_measures_with_regions_as_aggregates():
    snap = load_snapshot("owid", "co2_data")
    frame = snap.frame.set_index(["entity", "measure", "period"])
    assert frame.loc[("CHN", "co2", "2018"), "value"] == 10064.686 and frame.loc[("CHN", "co2", "2018"), "unit"] == "megatonnes"
    assert frame.loc[("OWID_WRL", "co2_per_capita", "2018"), "unit"] == "tonnes_per_person"
    assert frame.loc[("OWID_WRL", "co2", "2018"), "aggregate"] and frame.loc[("Africa", "co2", "2018"), "aggregate"]
    assert not frame.loc[("CHN", "co2", "2018"), "aggregate"] and not frame.loc[("Macao", "co2", "2018"), "aggregate"]
    spec = catalogue.entry("owid", "co2_data")
    assert {"co2", "co2_per_capita", "share_global_co2", "cumulative_co2", "consumption_co2", "co2_per_gdp"} <= set(spec.measures)
    assert spec.measures["co2_per_capita"]["description"].startswith("Average per capita CO2 emissions")
    spans = snap.meta["coverage"]["measures"]  # sources shows each measure's own years
    assert spans["co2"] == "1751-2018" and spans["consumption_co2"] != spans["co2"]


def test_claims_on_the_new_measures_are_supported_offline_with_provenance(data_copy):
    shutil.copytree(REPO / "tests/articles" / ARTICLE, paths.articles_dir() / ARTICLE)
    loader = Loader("offline")
    verdicts = judge_all(load_article(ARTICLE), loader=loader)
    assert {v.claim_id: v.verdict for v in verdicts} == {v.claim_id: "supported" for v in verdicts} and len(verdicts) == 10
    for verdict in verdicts:
        source = verdict.sources[0]
        assert source["method"] == "transcribed" and source["version"] and len(source["sha256"]) == 64
    read = {key[:2] for key in loader._snapshots}
    assert read == {("worldbank", n) for n in ("gc_dod_totl_gd_zs", "ms_mil_xpnd_gd_zs", "gc_tax_totl_gd_zs", "eg_elc_accs_zs",
                    "sh_dyn_mort", "co2_emissions_per_capita", "eg_elc_rnew_zs")} | {("owid", "co2_data")}  # fmt: skip
    assert cli.main(["coverage", "--article", ARTICLE]) == 0


def test_a_cold_read_of_one_indicator_is_quick():
    started = time.perf_counter()
    load_snapshot("worldbank", "sp_dyn_tfrt_in")
    assert time.perf_counter() - started < 2.0


# ------------------------------------------------------------------------- catalog add --from metadata

from conftest import Reply  # noqa: E402


def added(data_copy, source: str, name: str) -> dict:
    body = yaml.safe_load((data_copy / f"reference/catalogue/{source}.yaml").read_text())
    return body["snapshots"][name]


def test_catalog_add_from_a_world_bank_code_reads_the_title_the_api_answers_with(data_copy, replay_server, monkeypatch, api_samples, capsys):
    monkeypatch.setenv("CLAIMCHECK_WORLDBANK_URL", replay_server.url)
    page = api_samples / "worldbank/indicator_all_NY.GDP.MKTP.CD_page1.json"  # recorded 13 Jun 2021
    replay_server.script("/country/all/indicator/NY.GDP.MKTP.CD", Reply.file(page))
    assert cli.main(["catalog", "add", "worldbank", "--from", "NY.GDP.MKTP.CD"]) == 0
    entry = added(data_copy, "worldbank", "ny_gdp_mktp_cd")
    assert (entry["title"], entry["unit"], entry["shape"], entry["agreement_band"]) == ("GDP (current US$)", "USD", "level", "national_accounts")
    assert "gdp" in entry["names"] and entry["query"] == {"indicator": "NY.GDP.MKTP.CD", "countries": "all"}
    assert "World Development Indicators, last updated 2021-05-25" in entry["description"]
    assert "per_page=1" in replay_server.requests_to("/country/all/indicator/NY.GDP.MKTP.CD")[0].query
    assert catalogue.entry("worldbank", "ny_gdp_mktp_cd").refreshable


def test_catalog_add_from_an_unknown_world_bank_code_writes_nothing(data_copy, replay_server, monkeypatch, api_samples, capsys):
    monkeypatch.setenv("CLAIMCHECK_WORLDBANK_URL", replay_server.url)
    replay_server.script("/country/all/indicator/XX.NOPE", Reply.file(api_samples / "worldbank/error_120_invalid_value_http200.json"))
    before = (data_copy / "reference/catalogue/worldbank.yaml").read_bytes()
    assert cli.main(["catalog", "add", "worldbank", "--from", "XX.NOPE"]) == 1
    assert "nothing written" in capsys.readouterr().out
    assert (data_copy / "reference/catalogue/worldbank.yaml").read_bytes() == before


def test_catalog_add_from_an_owid_slug_reads_the_charts_metadata(data_copy, replay_server, monkeypatch, api_samples):
    monkeypatch.setenv("CLAIMCHECK_OWID_URL", replay_server.url)
    for slug in ("oil-production-by-country", "production-vs-consumption-energy"):
        replay_server.script(f"/grapher/{slug}.metadata.json", Reply.file(api_samples / f"owid/{slug}.metadata.json"))
        assert cli.main(["catalog", "add", "owid", "--from", slug]) == 0
    oil = added(data_copy, "owid", "oil_production_by_country")
    assert (oil["title"], oil["unit"], oil["query"]) == ("Oil production", "terawatt_hours", {"slug": "oil-production-by-country"})
    assert oil["description"].startswith("Measured in [terawatt-hours]") and "Energy Institute" in oil["description"]
    both = catalogue.entry("owid", "production_vs_consumption_energy")
    assert set(both.measures) == {"consumption_based_energy", "production_based_energy"}


def test_catalog_add_from_an_imf_key_builds_the_entry_from_the_key(data_copy):
    assert cli.main(["catalog", "add", "imf", "--from", "IMF.STA/IMTS:USA.XG_FOB_USD.G001.A", "start=2015"]) == 0
    entry = catalogue.entry("imf", "usa_xg_fob_usd_g001_a")
    assert (entry.unit, entry.grain, entry.query) == ("USD", "annual", {"dataflow": "IMF.STA/IMTS", "key": "USA.XG_FOB_USD.G001.A", "start": 2015})


def test_catalog_add_of_a_generated_entry_says_how_to_edit_it(data_copy, capsys):
    assert cli.main(["catalog", "add", "worldbank", "sh_dyn_mort", "--title", "t", "--unit", "per_1000", "--for", "f",
                     "indicator=SH.DYN.MORT", "countries=all"]) == 1
    assert "is a generated entry; to change it, give the fields to change under sh_dyn_mort:" in capsys.readouterr().out


@pytest.mark.parametrize("title, code, unit, shape", [
    ("Central government debt, total (% of GDP)", "GC.DOD.TOTL.GD.ZS", "percent", "share"),
    ("GDP (current US$)", "NY.GDP.MKTP.CD", "USD", "level"),
    ("Mortality rate, under-5 (per 1,000 live births)", "SH.DYN.MORT", "per_1000", "rate"),
    ("Mobile cellular subscriptions (per 100 people)", "IT.CEL.SETS.P2", "per_100", "rate"),
    ("GDP growth (annual %)", "NY.GDP.MKTP.KD.ZG", "percent", "growth"),
    ("Inflation, consumer prices (annual %)", "FP.CPI.TOTL.ZG", "percent", "rate"),
    ("CO2 emissions (metric tons per capita)", "EN.ATM.CO2E.PC", "tonnes_per_person", "per_person"),
    ("Population, total", "SP.POP.TOTL", "people", "count"),
    ("Life expectancy at birth, total (years)", "SP.DYN.LE00.IN", "years", "level"),
])  # fmt: skip
def test_a_title_gives_the_unit_and_shape_by_the_vocabularys_rules(title, code, unit, shape):
    from claimcheck.reference.vocabulary import describe

    described = describe(title, code)
    assert (described["unit"], described["shape"], described["grain"]) == (unit, shape, "annual")


def test_sources_lists_measure_codes_units_and_years(capsys):
    assert cli.main(["sources"]) == 0
    line = next(row for row in capsys.readouterr().out.splitlines() if row.startswith("worldbank  gc_dod_totl_gd_zs "))
    assert "GC.DOD.TOTL.GD.ZS" in line and "percent" in line and "1970-2024" in line


def test_the_draft_matches_reviewed_entries_and_a_generated_one_once_a_person_edits_it(data_copy):
    from claimcheck.draft.evidence import catalogue_entries

    names = {(e.source, e.name) for e in catalogue_entries()[0]}
    assert ("worldbank", "population") in names and ("worldbank", "sh_dyn_mort") not in names
    kept = data_copy / "reference/catalogue/worldbank.yaml"
    kept.write_text(kept.read_text() + "  sh_dyn_mort:\n    names: [child mortality]\n")
    assert ("worldbank", "sh_dyn_mort") in {(e.source, e.name) for e in catalogue_entries()[0]}


def test_a_broken_vocabulary_file_is_one_line_naming_it(data_copy, capsys):
    synonyms = data_copy / "reference/catalogue/vocabulary/synonyms.yaml"
    synonyms.write_text("words: [unclosed\n")
    assert cli.main(["sources", "--search", "government debt"]) == 2
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and str(synonyms) in out and "not valid YAML" in out


def test_an_entry_added_from_its_metadata_is_one_refresh_from_being_held(data_copy, replay_server, monkeypatch, api_samples):
    monkeypatch.setenv("CLAIMCHECK_WORLDBANK_URL", f"{replay_server.url}/v2")
    samples = api_samples / "worldbank"
    path = "/v2/country/all/indicator/NY.GDP.MKTP.CD"
    replay_server.script(path, Reply.file(samples / "indicator_all_NY.GDP.MKTP.CD_page1.json"))  # describe: per_page=1
    replay_server.script(f"{path}?format=json&per_page=1000&page=1",
                         Reply.file(samples / "indicator_JPN-USA_NY.GDP.MKTP.CD_2018-2019_per_page2.json"))
    replay_server.script(f"{path}?format=json&per_page=1000&page=2", Reply.file(samples / "indicator_all_NY.GDP.MKTP.CD_page1.json"))
    replay_server.script("/v2/country", Reply.file(REPO / "tests/recordings/worldbank/countries_per_page10_page1.json"))
    assert cli.main(["catalog", "add", "worldbank", "--from", "NY.GDP.MKTP.CD"]) == 0
    assert versions("worldbank", "ny_gdp_mktp_cd") == []
    assert cli.main(["refresh", "--source", "worldbank", "--snapshot", "ny_gdp_mktp_cd"]) == 0
    snap = load_snapshot("worldbank", "ny_gdp_mktp_cd")
    frame = snap.frame.set_index(["entity", "period"])
    assert snap.meta["method"] == "api" and frame.loc[("JPN", "2019"), "unit"] == "USD"
    assert snap.meta["coverage"]["first"] <= "2018" and snap.meta["coverage"]["aggregates"] >= 1


def test_a_bad_generated_entry_is_one_line_naming_the_generated_file(data_copy):
    generated = data_copy / "reference/catalogue/generated/worldbank.yaml"
    generated.write_text(generated.read_text().replace("    shape: share\n", "    shape: shares\n", 1))
    with pytest.raises(catalogue.CatalogueError) as caught:
        catalogue.load_catalogue()
    text = str(caught.value)
    assert text.startswith(str(generated)) and "field shape: 'shares' is not one of" in text and "\n" not in text
