"""Compound claims: parts judged together against the shipped World Bank GDP snapshot."""

import json

import pytest

from claimcheck.judge.verdicts import CONTRADICTED, MISLEADING, NOT_HELD, SUPPORTED, judge
from claimcheck.registry.claims import Claim
from pydantic import ValidationError

GDP = {"kind": "dataset", "source": "worldbank", "snapshot": "gdp_current_usd", "select": {"measure": "NY.GDP.MKTP.CD"},
       "label": "World Bank GDP"}


def overtook(part_id, entity, other, when):
    return {"id": part_id, "statement": f"{entity} overtook {other} in {when}",
            "claimed": {"value": when, "unit": "date", "comparator": "equals"},
            "evidence": [{**GDP, "compute": {"op": "crossing", "entity": entity, "other": other, "since": "2000"}}]}


def compound(*parts):
    return Claim.model_validate({"id": "c", "quote": "q", "kind": "date", "statement": "s", "parts": list(parts)})


def test_all_parts_holding_is_supported():
    verdict = judge(compound(overtook("ind-gbr", "IND", "GBR", "early 2020s"), overtook("deu-jpn", "DEU", "JPN", "2023")))
    assert verdict.verdict == SUPPORTED
    assert [p.verdict for p in verdict.parts] == [SUPPORTED, SUPPORTED]
    assert verdict.sentence.startswith("All 2 parts hold.")


def test_some_parts_holding_is_misleading_naming_the_part_that_fails_and_its_evidence():
    verdict = judge(compound(overtook("ind-gbr", "IND", "GBR", "early 2020s"), overtook("ind-fra", "IND", "FRA", "early 2020s")))
    assert verdict.verdict == MISLEADING
    assert "“IND overtook FRA in early 2020s” does not hold" in verdict.sentence
    assert "India exceeds France" in verdict.sentence and "2017" in verdict.sentence
    assert verdict.decided_by == "World Bank GDP" and "fails: ind-fra" in verdict.rule


def test_no_part_holding_is_contradicted():
    verdict = judge(compound(overtook("chn-jpn", "CHN", "JPN", "2012"), overtook("chn-usa", "CHN", "USA", "2020")))
    assert verdict.verdict == CONTRADICTED
    assert "China never exceeds United States" in verdict.sentence


def test_a_part_without_data_does_not_make_the_compound_hold():
    missing = {**overtook("x", "DEU", "JPN", "2023"), "evidence": [{**GDP, "snapshot": "not_stored",
                                                                       "compute": {"op": "value"}}]}
    verdict = judge(compound(overtook("deu-jpn", "DEU", "JPN", "2023"), missing))
    assert verdict.verdict == NOT_HELD and "part x" in verdict.reason


def test_parts_are_in_the_json_with_their_own_evidence():
    verdict = judge(compound(overtook("ind-gbr", "IND", "GBR", "early 2020s"), overtook("deu-jpn", "DEU", "JPN", "2023")))
    data = json.loads(json.dumps(verdict.as_dict(), default=str))
    assert [p["claim_id"] for p in data["parts"]] == ["c/ind-gbr", "c/deu-jpn"]
    assert {e["reading"] for e in data["evidence"]} == {"part ind-gbr", "part deu-jpn"}


@pytest.mark.parametrize("extra, message", [
    ({"parts": [overtook("a", "DEU", "JPN", "2023")]}, "at least two parts"),
    ({"parts": [overtook("a", "DEU", "JPN", "2023")] * 2}, "unique"),
    ({"parts": [overtook("a", "DEU", "JPN", "2023"), overtook("b", "IND", "GBR", "2021")],
      "claimed": {"value": 1, "unit": "rank", "comparator": "rank"}}, "in the parts"),
])
def test_malformed_parts_are_refused_when_the_registry_loads(extra, message):
    with pytest.raises(ValidationError, match=message):
        Claim.model_validate({"id": "c", "quote": "q", "kind": "date", "statement": "s", **extra})
