"""Verdicts of claims over time, judged against the shipped World Bank GDP snapshot (real data)."""

import pytest

from claimcheck.judge.verdicts import CONTRADICTED, ERROR_VERDICT, SUPPORTED, judge
from claimcheck.registry.claims import Claim

@pytest.fixture(autouse=True)
def datasets_gdp_vintage(monkeypatch):
    """The figures below are those of the datasets/gdp copy (version 2024-10-21), not of later vintages."""
    monkeypatch.setenv("CLAIMCHECK_AS_OF", "2024-10-21")


GDP = {"kind": "dataset", "source": "worldbank", "snapshot": "gdp_current_usd", "select": {"measure": "NY.GDP.MKTP.CD"},
       "label": "World Bank GDP"}


def claim(compute, claimed, kind="rank"):
    return Claim.model_validate({"id": "c", "quote": "q", "kind": kind, "statement": "s", "claimed": claimed,
                                 "evidence": [{**GDP, "compute": compute}]})


def test_an_overtaking_in_the_claimed_year_is_supported():
    verdict = judge(claim({"op": "crossing", "entity": "DEU", "other": "JPN", "since": "2000"},
                          {"value": "2023", "unit": "date", "comparator": "equals"}, kind="date"))
    assert verdict.verdict == SUPPORTED, verdict.sentence
    assert "Germany exceeds Japan" in verdict.sentence


def test_an_overtaking_in_a_window_states_the_window_years_in_the_rule():
    verdict = judge(claim({"op": "crossing", "entity": "IND", "other": "GBR", "since": "2000"},
                          {"value": "early 2020s", "unit": "date", "comparator": "equals"}, kind="date"))
    assert verdict.verdict == SUPPORTED and "early 2020s (2020–2023)" in verdict.rule


def test_an_overtaking_in_another_year_is_contradicted():
    verdict = judge(claim({"op": "crossing", "entity": "CHN", "other": "JPN", "since": "2000"},
                          {"value": "2012", "unit": "date", "comparator": "equals"}, kind="date"))
    assert verdict.verdict == CONTRADICTED and verdict.reference == "2010"


def test_throughout_names_the_periods_that_break_it():
    verdict = judge(claim({"op": "throughout", "each": "rank", "entity": "CHN", "period": "2005/2015"},
                          {"value": 2, "unit": "rank", "comparator": "rank"}))
    assert verdict.verdict == CONTRADICTED
    assert "fails in 2005 (5th), 2006 (4th), 2007 (3rd), 2008 (3rd), 2009 (3rd)" in verdict.rule
    assert "fails in 2005" in verdict.sentence


def test_throughout_that_holds_every_year_is_supported():
    verdict = judge(claim({"op": "throughout", "each": "rank", "entity": "USA", "period": "2010/2019"},
                          {"value": 1, "unit": "rank", "comparator": "rank"}))
    assert verdict.verdict == SUPPORTED and "in every period 2010–2019" in verdict.rule
    # the catalogue's plain name of the measure, not its indicator code (which holds " in " itself)
    assert "United States by GDP in current US dollars among 210 entities, in every period 2010–2019 is 2010: 1st; 2011: 1st" in (
        verdict.sentence)


def test_second_highest_on_record():
    verdict = judge(claim({"op": "period_rank", "entity": "USA", "period": "2020"},
                          {"value": 2, "unit": "rank", "comparator": "rank"}))
    assert verdict.verdict == SUPPORTED and "2020 (United States) ranks 2nd of 61" in verdict.sentence


def test_rose_five_places():
    verdict = judge(claim({"op": "rank_change", "entity": "IND", "period": "2023", "base_period": "2013"},
                          {"value": 5, "unit": "places", "comparator": "equals"}))
    assert verdict.verdict == SUPPORTED and "India from 10th in 2013 to 5th in 2023" in verdict.sentence


def test_a_fifth_of_the_world_total():
    verdict = judge(claim({"op": "share", "entity": "USA", "total": "WLD", "period": "2022"},
                          {"value": 25, "unit": "percent", "comparator": "about"}, kind="share"))
    assert verdict.verdict == SUPPORTED and "United States in the World total" in verdict.sentence


def test_twice_as_large_as():
    verdict = judge(claim({"op": "ratio", "entity": "USA", "other": "JPN", "period": "2010"},
                          {"value": 2, "unit": "times", "comparator": "at_least"}, kind="amount"))
    assert verdict.verdict == SUPPORTED and verdict.reference == "2.613 times"


def test_a_rank_sentence_names_the_entity_not_its_code_and_says_aggregates_were_excluded():
    verdict = judge(claim({"op": "rank", "entity": "IND", "period": "2023"}, {"value": 5, "unit": "rank", "comparator": "rank"}))
    assert "India ranks 5th of 185" in verdict.sentence and "IND" not in verdict.sentence
    assert "(aggregates excluded)" in verdict.sentence


def test_aggregates_excluded_is_said_only_when_some_were():
    only_countries = {**GDP, "select": {"measure": "NY.GDP.MKTP.CD", "aggregate": "False"},
                      "compute": {"op": "rank", "entity": "IND", "period": "2023"}}
    verdict = judge(Claim.model_validate({"id": "c", "quote": "q", "kind": "rank", "statement": "s",
                                          "claimed": {"value": 5, "unit": "rank", "comparator": "rank"},
                                          "evidence": [only_countries]}))
    assert verdict.verdict == SUPPORTED and "aggregates excluded" not in verdict.sentence


def test_a_typo_in_an_entity_is_an_error_naming_it():
    verdict = judge(claim({"op": "rank", "entity": "INDD", "period": "2023"}, {"value": 5, "unit": "rank", "comparator": "rank"}))
    assert verdict.verdict == ERROR_VERDICT and "'INDD' (nearest: IND" in verdict.reason


def test_per_capita_is_one_series_over_another_joined_from_a_second_snapshot(monkeypatch):
    from types import SimpleNamespace

    import pandas as pd

    from claimcheck.judge import evidence
    from claimcheck.reference.sources.base import Provenance

    columns = ["entity", "partner", "period", "measure", "value", "unit"]
    frames = {"gdp": pd.DataFrame([("IND", None, "2023", "gdp", 3.5e12, "USD")], columns=columns),
              "pop": pd.DataFrame([("IND", None, "2023", "pop", 1.4e9, "people")], columns=columns)}
    monkeypatch.setattr(evidence, "get_snapshot", lambda source, name, mode="offline", as_of=None: SimpleNamespace(
        frame=frames[name], provenance=Provenance(source=source, dataset=name, method="transcribed"), version="v1"))
    verdict = judge(Claim.model_validate({
        "id": "c", "quote": "q", "kind": "amount", "statement": "s",
        "claimed": {"value": 2500, "unit": "USD", "comparator": "rounded", "period": "2023"},
        "evidence": [{"kind": "dataset", "source": "worldbank", "snapshot": "gdp", "also": [{"snapshot": "pop"}],
                      "compute": {"op": "ratio", "entity": "IND", "measure": "gdp", "other_measure": "pop",
                                  "period": "2023", "unit": "USD"}}]}))
    assert verdict.verdict == SUPPORTED and verdict.reference_value == pytest.approx(2500)
    assert [s["dataset"] for s in verdict.sources] == ["gdp", "pop"]
