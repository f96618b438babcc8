"""Derived series (``derive:``) read by every op, and runs of rises or falls (``consecutive``), on the
committed World Bank and OWID snapshots: China's goods trade and surplus, China's and Japan's population,
CO2 per person from OWID's emissions and the World Bank's population."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from claimcheck.judge.evidence import Loader, resolve
from claimcheck.judge.verdicts import judge
from claimcheck.registry.articles import Article
from claimcheck.registry.claims import DatasetEvidence, load_claims

LOADER = Loader("offline")
ARTICLE = SimpleNamespace(id="a", metadata=SimpleNamespace(date=date(2024, 1, 1)), claims=[])
TRADE = {"kind": "dataset", "source": "worldbank", "snapshot": "merchandise_exports",
         "also": [{"snapshot": "merchandise_imports"}]}
CODES = ["TX.VAL.MRCH.CD.WT", "TM.VAL.MRCH.CD.WT"]


def value(spec: dict):
    result = resolve(DatasetEvidence.model_validate(spec), ARTICLE, loader=LOADER)
    assert result.ok, result.reason
    return result


def plain(snapshot: str, entity: str, period: str) -> float:
    return value({"kind": "dataset", "source": "worldbank", "snapshot": snapshot, "select": {"entity": entity},
                  "compute": {"op": "value", "period": period}}).value


def china(derive_op: str, **compute):
    return value({**TRADE, "select": {"entity": "CHN"},
                  "derive": {"op": derive_op, "measures": CODES, "name": f"goods_{derive_op}"}, "compute": compute})


def test_a_derived_sum_is_the_sum_of_its_inputs_and_says_so():
    result = china("sum", op="value", period="2022")
    assert result.value == plain("merchandise_exports", "CHN", "2022") + plain("merchandise_imports", "CHN", "2022")
    assert "goods_sum (merchandise exports + merchandise imports)" in result.description


def test_growth_reads_a_derived_difference():
    result = china("difference", op="growth", period="2022", base_period="2021")
    now = plain("merchandise_exports", "CHN", "2022") - plain("merchandise_imports", "CHN", "2022")
    then = plain("merchandise_exports", "CHN", "2021") - plain("merchandise_imports", "CHN", "2021")
    assert result.value == pytest.approx((now / then - 1) * 100)


def test_period_rank_first_since_and_throughout_read_a_derived_series():
    assert china("sum", op="period_rank", period="2022").value == 1.0  # 2022: China's record goods trade
    since = china("sum", op="first_since", period="2023", direction="below")
    assert since.value == "2020" and "at most 5.936 tn (the value of 2023)" in since.description
    series = china("sum", op="throughout", each="value", period="2020/2022").extra["series"]
    assert [p for p, _ in series] == ["2020", "2021", "2022"]


def test_rank_reads_a_derived_series_across_economies():
    result = value({**TRADE, "derive": {"op": "difference", "measures": CODES, "name": "goods_surplus"},
                    "compute": {"op": "rank", "entity": "CHN", "period": "2022"}})
    assert result.value == 1.0 and result.extra["n"] > 150


def test_per_person_from_two_tables():
    spec = {"kind": "dataset", "source": "owid", "snapshot": "annual_co2_emissions",
            "also": [{"source": "worldbank", "snapshot": "population"}], "select": {"entity": "CHN"},
            "derive": {"op": "per_person", "measures": ["annual_co2_emissions", "SP.POP.TOTL"], "name": "co2_per_person",
                       "unit": "tonnes_per_person"},
            "compute": {"op": "value", "period": "2020"}}
    co2 = value({**spec, "derive": None, "also": [], "compute": {"op": "value", "period": "2020"}}).value
    result = value(spec)
    assert result.unit == "tonnes_per_person"
    assert result.value == pytest.approx(co2 / plain("population", "CHN", "2020"))


def test_consecutive_counts_a_run_of_falls_ending_in_the_period():
    population = {"kind": "dataset", "source": "worldbank", "snapshot": "population"}
    china_2022 = value({**population, "select": {"entity": "CHN"}, "compute": {"op": "consecutive", "period": "2022", "trend": "fall"}})
    assert china_2022.value == 1.0  # 2022: the first fall since 1961
    china_2023 = value({**population, "select": {"entity": "CHN"}, "compute": {"op": "consecutive", "period": "2023", "trend": "fall"}})
    assert china_2023.value == 2.0 and "fell in 2 consecutive periods to 2023" in china_2023.description
    rises = value({**population, "select": {"entity": "CHN"}, "compute": {"op": "consecutive", "period": "2023", "trend": "rise"}})
    assert rises.value == 0.0 and "did not rise in 2023" in rises.description


def test_a_reviewed_claim_on_a_derived_series_is_judged():
    folder = Path(__file__).parent / "draft_texts" / "china-trade-surplus-2023-01-13"
    article = Article(folder.name, folder)
    claims, _ = load_claims(folder / "expected.yaml", article.text, folder.name)
    verdict = judge(next(c for c in claims if c.id == "surplus-up-29-7"), article, loader=LOADER)
    assert verdict.verdict not in {"unverifiable", "error"}, verdict.sentence
    assert "goods_surplus (merchandise exports − merchandise imports)" in verdict.sentence


@pytest.mark.parametrize("derive, message", [
    ({"op": "difference", "measures": CODES[:1], "name": "x"}, "derive difference takes 2 measures, got 1"),
    ({"op": "sum", "measures": CODES, "name": "x", "unit": "furlongs"}, "unknown unit 'furlongs'"),
])
def test_a_derive_that_cannot_work_is_refused_when_the_registry_loads(derive, message):
    with pytest.raises(ValidationError, match=message):
        DatasetEvidence.model_validate({**TRADE, "derive": derive, "compute": {"op": "value"}})


def test_a_derived_measure_the_rows_lack_is_an_error_naming_the_nearest():
    result = resolve(DatasetEvidence.model_validate(
        {**TRADE, "select": {"entity": "CHN"}, "derive": {"op": "sum", "measures": ["TX.VAL.MRCH.CD.WX", CODES[1]], "name": "t"},
         "compute": {"op": "value", "period": "2022"}}), ARTICLE, loader=LOADER)
    assert result.status == "error" and "no rows of TX.VAL.MRCH.CD.WX (nearest: TX.VAL.MRCH.CD.WT" in result.reason
