"""The transcribed reference data: WDI indicators, five GDP vintages, OWID CO2 and net-zero, FRED exchange rates."""

from __future__ import annotations

import hashlib
import importlib.util

import pandas as pd
import pytest
import yaml

from claimcheck.judge.evidence import Loader
from claimcheck.judge.verdicts import judge_all
from claimcheck.reference.errors import SnapshotInvalid
from claimcheck.reference.snapshots import load_snapshot, revision_changes, version_paths, versions
from claimcheck.registry.articles import load_article
from conftest import REPO

WDI_SNAPSHOTS = [
    "co2_emissions", "co2_emissions_per_capita", "exports_share_of_gdp", "fdi_net_inflows", "gdp_growth",
    "gdp_per_capita_current_usd", "gdp_per_capita_growth", "gdp_per_capita_ppp", "gni_per_capita_atlas",
    "imports_share_of_gdp", "inflation_cpi", "life_expectancy", "merchandise_exports", "merchandise_imports",
    "merchandise_trade_share_of_gdp", "population", "renewable_energy_share", "unemployment",
]  # fmt: skip


def sidecar(source: str, name: str, version: str) -> dict:
    return yaml.safe_load(version_paths(source, name, version)[1].read_text(encoding="utf-8"))


def seed_module():
    spec = importlib.util.spec_from_file_location("seed_snapshots", REPO / "scripts/seed_snapshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", WDI_SNAPSHOTS)
def test_each_wdi_indicator_loads_with_provenance_and_flags_the_listed_aggregates(name):
    snap = load_snapshot("worldbank", name)
    frame = snap.frame
    assert list(frame.columns[:6]) == ["entity", "partner", "period", "measure", "value", "unit"]
    assert frame["measure"].nunique() == 1 and frame["value"].dtype == float
    listed = set(pd.read_csv(REPO / "data/reference/worldbank/aggregates.csv")["entity"])
    flagged = set(frame.loc[frame["aggregate"], "entity"])
    assert flagged == listed & set(frame["entity"]) and "WLD" in flagged and "CHN" not in flagged
    assert frame.loc[frame["entity"] == "CHN", "entity_name"].iloc[0] == "China"
    meta = snap.meta
    assert meta["method"] == "transcribed" and meta["licence"] == "CC-BY-4.0"
    assert meta["transcribed_from"]["repository"] == "https://github.com/datasets/world-development-indicators"
    assert len(meta["transcribed_from"]["files"][0]["git_blob"]) == 40
    assert snap.version == meta["published"] and "not a World Bank release date" in meta["published_means"]


def test_population_is_in_people_and_co2_keeps_its_kilotonnes_and_its_meaning():
    pop = load_snapshot("worldbank", "population").frame.set_index(["entity", "period"])
    assert pop.loc[("ABW", "1960"), "value"] == 54922.0 and pop.loc[("ABW", "1960"), "unit"] == "people"
    co2 = load_snapshot("worldbank", "co2_emissions")
    assert set(co2.frame["unit"]) == {"kilotonnes"} and set(co2.frame["measure"]) == {"EN.ATM.CO2E.KT"}
    assert co2.version == "2018-08-01"  # the series was frozen in that commit


def test_gdp_has_five_vintages_dated_when_each_copy_was_taken_and_shows_the_us_2017_revision():
    assert versions("worldbank", "gdp_current_usd") == ["2018-08-01", "2024-10-21", "2025-12-17", "2026-05-01", "2026-07-01"]
    for version in versions("worldbank", "gdp_current_usd"):
        meta = sidecar("worldbank", "gdp_current_usd", version)
        assert meta["published"] == version and "when this copy" in meta["published_means"]
    assert load_snapshot("worldbank", "gdp_current_usd", version="2018-08-01").frame["period"].max() == "2016"
    changes = revision_changes("worldbank", "gdp_current_usd", "2026-05-01", "2026-07-01").set_index(["entity", "period"])
    us = changes.loc[("USA", "2017")]
    assert (us["old"], us["new"], us["change"]) == (19477336549000.0, 19612102000000.0, "revised")


def test_owid_co2_has_two_vintages_and_the_later_says_it_is_a_third_party_copy():
    assert versions("owid", "annual_co2_emissions") == ["2020-12-09", "2024-12-11"]
    old = load_snapshot("owid", "annual_co2_emissions", version="2020-12-09").frame.set_index(["entity", "period"])
    new = load_snapshot("owid", "annual_co2_emissions", version="2024-12-11").frame.set_index(["entity", "period"])
    assert old.loc[("CHN", "2018"), "value"] == 10064686000.0  # 10,064.686 Mt, in tonnes
    assert new.loc[("CHN", "2018"), "value"] == 10353934000.0
    assert old.loc[("WLD", "2018"), "aggregate"] and not old.loc[("CHN", "2018"), "aggregate"]
    assert "third-party copy of OWID data" in sidecar("owid", "annual_co2_emissions", "2024-12-11")["origin_notes"]
    assert "third-party" not in sidecar("owid", "annual_co2_emissions", "2020-12-09")["origin_notes"]


def test_the_2021_net_zero_table_reads_as_the_owid_client_reads_that_layout():
    frame = load_snapshot("owid", "net_zero_targets").frame.set_index(["entity", "measure"])
    assert frame.loc[("CHN", "target_year"), "value"] == 2060.0
    assert frame.loc[("CHN", "status"), "value"] == "In policy document"
    assert ("BTN", "target_year") not in frame.index and frame.loc[("BTN", "status"), "value"] == "Achieved"
    from claimcheck.reference.sources.owid import TARGET_LAYOUTS

    assert load_snapshot("owid", "net_zero_targets").meta["schema"] == TARGET_LAYOUTS["2021"]


def test_every_exchange_rate_is_currency_units_per_usd_the_euro_included():
    annual = load_snapshot("fred", "exchange_rates_annual").frame.set_index(["entity", "period"])
    eur = annual.loc[("EUR", "2021")]
    assert eur["value"] == 0.8453 and eur["unit"] == "EUR per USD" and eur["measure"] == "currency_units_per_usd"
    assert "VES" not in annual.index.get_level_values(0)  # Venezuela left out, and the sidecar says why
    assert "Left out: Venezuela" in load_snapshot("fred", "exchange_rates_annual").meta["origin_notes"]
    monthly = load_snapshot("fred", "exchange_rates_monthly").frame
    assert {"BEF", "DEM", "GBP"} <= set(monthly["entity"])


def test_the_direction_check_catches_a_currency_stored_the_other_way_round():
    seed = seed_module()
    checks = pd.read_csv(REPO / "data/reference/fred/currencies.csv", dtype=str)
    frame = load_snapshot("fred", "exchange_rates_annual").frame
    assert seed.fx_direction_problems(frame, checks) == []
    inverted = frame.assign(value=1 / frame["value"])
    problems = seed.fx_direction_problems(inverted, checks)
    assert len(problems) == len(set(checks["currency"]) & set(frame["entity"])) > 15
    assert any(p.startswith("EUR: 2021 average 1.18") for p in problems)


def test_a_compact_version_refuses_an_edited_labels_table(data_copy):
    labels = data_copy / "reference/worldbank/economies.csv"
    labels.write_text(labels.read_text().replace("China,False", "China,True"))
    with pytest.raises(SnapshotInvalid, match="labels table .* does not match the sha256"):
        load_snapshot("worldbank", "population")


def test_a_labels_table_naming_an_entity_twice_makes_the_version_invalid_and_listed_so(data_copy):
    from claimcheck.reference.commands import sources_table

    labels = data_copy / "reference/worldbank/economies.csv"
    labels.write_text(labels.read_text() + "CHN,China again,False\n")
    meta_path = version_paths("worldbank", "population", versions("worldbank", "population")[-1])[1]
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["labels"]["sha256"] = hashlib.sha256(labels.read_bytes()).hexdigest()  # edited with its checksum
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    with pytest.raises(SnapshotInvalid, match="labels table worldbank/economies.csv lists the entity 'CHN' more than once"):
        load_snapshot("worldbank", "population")
    status = sources_table().set_index(["source", "snapshot"]).loc[("worldbank", "population"), "status"]
    assert status.startswith("invalid: worldbank/population version ") and "its labels table" in status


def test_judging_loads_only_the_snapshots_its_claims_name():
    loader = Loader("offline")
    judge_all(load_article("china-belgium-ties-2023-02-26"), ["china-second-largest-economy"], loader=loader)
    assert {key[:2] for key in loader._snapshots} == {("worldbank", "gdp_current_usd")}


def test_a_compact_version_lists_the_columns_it_has_once_loaded():
    from claimcheck.reference.snapshots import loaded_columns

    snap = load_snapshot("worldbank", "population")
    assert "measure" not in snap.meta["columns"]  # kept once in the sidecar
    assert loaded_columns(snap.meta) == list(snap.frame.columns)
