"""The verdict engine end to end: small in-test claims, frames and documents; the loaders replaced."""

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from claimcheck.judge import evidence
from claimcheck.registry.claims import Claim
from claimcheck.reference.snapshots import SnapshotInvalid, SnapshotMissing
from claimcheck.reference.sources.base import Provenance
from claimcheck.judge.verdicts import (
    CONTRADICTED, ERROR_VERDICT, MISLEADING, NOT_HELD, NOT_CHECKABLE, ROW_COLUMNS, SUPPORTED, UNVERIFIABLE,
    VERDICTS, VerdictName, judge, judge_all, verdicts_frame,
)

COLUMNS = ["entity", "partner", "period", "measure", "value", "unit", "aggregate", "entity_name"]



class SourceError(Exception):
    """Stands in for claimcheck.reference.http.SourceError."""


def trade_rows(reporter, value_per_month):
    return [(reporter, "BEL" if reporter == "CHN" else "CHN", f"2022-{m:02d}", measure, value_per_month, "USD", False, reporter)
            for m in range(1, 9) for measure in ("exports", "imports")]


def frames():
    gdp = [
        ("WLD", None, "2021", "gdp", 96e12, "USD", True, "World"),
        ("USA", None, "2021", "gdp", 23.3e12, "USD", False, "United States"),
        ("CHN", None, "2021", "gdp", 17.7e12, "USD", False, "China"),
        ("JPN", None, "2021", "gdp", 5.0e12, "USD", False, "Japan"),
    ]
    return {
        "trade": pd.DataFrame(trade_rows("CHN", 1.8e9) + trade_rows("BEL", 1.5e9), columns=COLUMNS),
        "gdp": pd.DataFrame(gdp, columns=COLUMNS),
        "eur": pd.DataFrame([("BEL", "CHN", "2022", "trade", 30e9, "EUR", False, "Belgium")], columns=COLUMNS),
    }


@pytest.fixture(autouse=True)
def loaders(monkeypatch):
    store = frames()
    failing: dict[str, Exception] = {}

    def fake_get_snapshot(source, name, mode="offline"):
        if name in failing:
            raise failing[name]
        if name not in store:
            raise SnapshotMissing(f"no offline snapshot {source}/{name}")
        provenance = Provenance(source=source, dataset=name, method="api", snapshot=f"reference/{source}/{name}.csv")
        return SimpleNamespace(frame=store[name], provenance=provenance, meta={})

    class Doc:
        def __init__(self, doc_id, facts, quote="quoted words"):
            self.id, self.publisher, self.published, self.quote, self.facts = doc_id, "MOFCOM", "2022", quote, facts
            self.provenance = Provenance(source="document", dataset=doc_id, method="transcribed", url=f"https://example.org/{doc_id}")

        def frame(self):
            return pd.DataFrame([(self.id, None, p, m, v, u) for m, v, u, p in self.facts],
                                columns=["entity", "partner", "period", "measure", "value", "unit"])

    docs = {
        "bri-2022": Doc("bri-2022", [("two_way_investment", 20e9, "USD", "2022")]),
        "bri-cumulative": Doc("bri-cumulative", [("two_way_investment", 235e9, "USD", "2013/2021")]),
        "readout": Doc("readout", [], quote="China stands ready to work with Belgium"),
        "relations": Doc("relations", [("diplomatic_relations_established", "1971-10-25", "date", "1971-10-25")]),
    }
    monkeypatch.setattr(evidence, "get_snapshot", fake_get_snapshot)
    monkeypatch.setattr(evidence, "load_documents", lambda: docs)
    return SimpleNamespace(store=store, failing=failing)


def make_claim(claim_id="trade-jan-aug", **fields):
    base = {"id": claim_id, "quote": "q", "kind": "amount", "statement": f"statement of {claim_id}"}
    return Claim.model_validate({**base, **fields})


def trade_evidence(reporter="CHN", label=None, snapshot="trade", **extra):
    return {"kind": "dataset", "source": "imf", "snapshot": snapshot, "select": {"entity": reporter},
            "compute": {"op": "sum", "period": "2022-01/2022-08"}, "label": label or f"IMF DOTS, {reporter}-reported", **extra}


EXCEEDS_28_7 = {"value": 28.7e9, "unit": "USD", "comparator": "exceeds", "period": "2022-01/2022-08"}
ARTICLE = SimpleNamespace(id="test-article", metadata=SimpleNamespace(date=date(2023, 2, 26)), claims=[])


# ----------------------------------------------------------------------------------- the verdicts


def test_verdict_names_are_the_contract_names():
    assert VERDICTS == ("supported", "imprecise", "contradicted", "misleading", "unverifiable", "not-checkable", "not-held",
                        "error")
    assert VerdictName.not_held == "not-held"


def test_a_claim_that_holds_under_its_stated_reading_is_supported():
    verdict = judge(make_claim(claimed=EXCEEDS_28_7, evidence=[trade_evidence()]), ARTICLE)
    assert verdict.verdict == SUPPORTED
    assert verdict.claimed == "> $28.7 bn (2022-01/2022-08)"
    assert verdict.reference_value == pytest.approx(28.8e9) and verdict.reference == "$28.8 bn"
    assert verdict.difference_abs == pytest.approx(0.1e9)
    assert verdict.rule == "exceeds: reference > 28.7 bn USD"
    assert verdict.decided_by == "IMF DOTS, CHN-reported"
    assert verdict.sentence.startswith("According to IMF DOTS, CHN-reported, the figure is $28.8 bn (sum of 8 months")
    assert verdict.sources[0]["snapshot"] == "reference/imf/trade.csv"


def test_a_claim_the_reference_does_not_bear_out_is_contradicted():
    verdict = judge(make_claim(claimed=EXCEEDS_28_7, evidence=[trade_evidence("BEL")]), ARTICLE)
    assert verdict.verdict == CONTRADICTED
    assert verdict.difference_rel == pytest.approx(24e9 / 28.7e9 - 1)
    assert "does not bear out" in verdict.sentence


def test_evidences_that_disagree_are_all_shown_and_named_in_the_sentence():
    claim = make_claim(claimed=EXCEEDS_28_7, evidence=[trade_evidence("CHN"), trade_evidence("BEL")])
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == SUPPORTED and len(verdict.evidence) == 2
    assert "IMF DOTS, CHN-reported supports it; IMF DOTS, BEL-reported does not." in verdict.sentence


def test_the_first_ok_evidence_decides_when_an_earlier_one_is_missing():
    claim = make_claim(claimed=EXCEEDS_28_7, evidence=[trade_evidence(snapshot="comtrade-monthly"), trade_evidence("CHN")])
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == SUPPORTED and [e.status for e in verdict.evidence] == ["missing", "ok"]


def test_context_evidence_is_shown_but_never_decides():
    claim = make_claim(claimed=EXCEEDS_28_7, evidence=[trade_evidence("BEL", role="context"), trade_evidence("CHN")])
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == SUPPORTED and verdict.decided_by == "IMF DOTS, CHN-reported"
    assert "disagree" not in verdict.sentence


def bri_investment_claim():
    return make_claim(
        "bri-investment",
        claimed={"value": 230e9, "unit": "USD", "comparator": "exceeds", "period": "2022"},
        reading="as a 2022 figure",
        evidence=[{"kind": "document", "document": "bri-2022", "measures": ["two_way_investment"], "period": "2022"}],
        readings=[{
            "id": "cumulative", "label": "as a cumulative 2013–2021 total",
            "claimed": {"value": 230e9, "unit": "USD", "comparator": "exceeds", "period": "2013/2021"},
            "evidence": [{"kind": "document", "document": "bri-cumulative", "measures": ["two_way_investment"]}],
        }],
    )


def test_a_claim_that_holds_only_under_another_reading_is_misleading():
    verdict = judge(bri_investment_claim(), ARTICLE)
    assert verdict.verdict == MISLEADING
    assert verdict.reading == "as a cumulative 2013–2021 total"
    assert verdict.sentence.startswith("It holds only as a cumulative 2013–2021 total, not as a 2022 figure")
    assert {e.reading for e in verdict.evidence} == {"as a 2022 figure", "as a cumulative 2013–2021 total"}


def test_a_forecast_is_not_checkable_with_its_reason():
    claim = make_claim("jobs-2023", kind="forecast", reason="a projection for 2023")
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == NOT_CHECKABLE and verdict.reason == "a projection for 2023"


def test_a_claim_without_evidence_is_unverifiable_with_its_reason():
    claim = make_claim("trade-growth", kind="change", reason="no source gives this figure")
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == UNVERIFIABLE and "no source gives this figure" in verdict.sentence


def test_a_missing_snapshot_gives_not_held_never_a_guess():
    claim = make_claim(claimed=EXCEEDS_28_7, evidence=[trade_evidence(snapshot="comtrade-monthly", why_missing="needs a key")])
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == NOT_HELD
    assert "no offline snapshot imf/comtrade-monthly" in verdict.reason and "needs a key" in verdict.reason
    assert verdict.reference == "" and verdict.reference_value is None


def test_not_held_still_describes_an_alternative_reading_with_data():
    claim = make_claim(
        claimed=EXCEEDS_28_7, evidence=[trade_evidence(snapshot="comtrade-monthly")],
        readings=[{"id": "oped", "label": "as the op-ed's figure", "evidence": [
            {"kind": "document", "document": "bri-cumulative", "measures": ["two_way_investment"]}]}],
    )
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == NOT_HELD
    assert "Read as the op-ed's figure, it holds" in verdict.sentence


def test_a_failing_source_gives_an_error_with_the_reason(loaders):
    loaders.failing["trade"] = SourceError("HTTP 503 from imf after 3 retries")
    verdict = judge(make_claim(claimed=EXCEEDS_28_7, evidence=[trade_evidence()]), ARTICLE)
    assert verdict.verdict == ERROR_VERDICT and "HTTP 503" in verdict.reason


def test_a_reference_in_another_currency_without_exchange_rates_cannot_decide_and_is_an_error():
    euro = {"kind": "dataset", "source": "eurostat", "snapshot": "eur", "compute": {"op": "value"}, "label": "Eurostat"}
    verdict = judge(make_claim(claimed=EXCEEDS_28_7, evidence=[euro]), ARTICLE)  # these fake snapshots hold no rates
    assert verdict.verdict == ERROR_VERDICT
    assert "not comparable with the claimed USD: no exchange rates to convert EUR to USD" in verdict.reason


def test_a_rank_claim_says_where_the_entity_ranks_among_how_many():
    claim = make_claim(
        "second-largest-economy", kind="rank", claimed={"value": 2, "unit": "rank", "comparator": "rank", "period": "2021"},
        evidence=[{"kind": "dataset", "source": "worldbank", "snapshot": "gdp", "label": "World Bank GDP (current US$)",
                   "compute": {"op": "rank", "entity": "CHN", "period": "2021"}}],
    )
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == SUPPORTED and verdict.reference == "2nd of 3"
    assert verdict.sentence == (
        "According to World Bank GDP (current US$), China ranks 2nd of 3 (aggregates excluded), "
        "which bears out the article's “2nd (2021)”."
    )


def test_an_attested_statement_is_supported_by_a_document_quote():
    claim = make_claim("readiness", kind="event", claimed={"comparator": "attested"},
                       evidence=[{"kind": "document", "document": "readout"}])
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == SUPPORTED and verdict.sentence == "MOFCOM (2022) records it, as the article says."


def test_a_date_claim_compares_a_document_date_with_the_claimed_year():
    claim = make_claim("relations-1971", kind="date", claimed={"value": "1971", "unit": "date", "comparator": "equals"},
                       evidence=[{"kind": "document", "document": "relations", "measures": ["diplomatic_relations_established"]}])
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == SUPPORTED and verdict.reference == "1971-10-25"
    assert verdict.difference_abs is None


def test_a_duration_to_the_article_date_is_checked_against_a_minimum():
    claim = make_claim("five-decades", kind="duration", claimed={"value": 50, "unit": "years", "comparator": "min_duration"},
                       evidence=[{"kind": "document", "document": "relations", "measures": ["diplomatic_relations_established"],
                                  "compute": {"op": "years_between", "start": "diplomatic_relations_established", "end": "article"}}])
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == SUPPORTED and verdict.reference_value == pytest.approx(51.34, abs=0.01)


def every_kind_of_claim():
    return [
        make_claim("a-supported", family="trade", claimed=EXCEEDS_28_7, evidence=[trade_evidence()]),
        make_claim("b-contradicted", family="trade", claimed=EXCEEDS_28_7, evidence=[trade_evidence("BEL")]),
        bri_investment_claim(),
        make_claim("d-unverifiable", reason="no evidence"),
        make_claim("e-forecast", kind="forecast", reason="future"),
        make_claim("f-offline", claimed=EXCEEDS_28_7, evidence=[trade_evidence(snapshot="nothing-here")]),
        make_claim("g-error", claimed=EXCEEDS_28_7, evidence=[trade_evidence(snapshot="broken")]),
        make_claim("h-imprecise", claimed={"value": 33e9, "unit": "USD", "comparator": "rounded", "period": "2022-01/2022-08",
                                           "band": "trade_bilateral"}, evidence=[trade_evidence()]),
    ]


def test_every_verdict_name_is_reachable_through_judge_all(loaders):
    loaders.failing["broken"] = SourceError("connection refused")
    article = SimpleNamespace(**{**vars(ARTICLE), "claims": every_kind_of_claim()})
    verdicts = judge_all(article)
    assert sorted(v.verdict for v in verdicts) == sorted(VERDICTS)


def test_an_evidence_error_does_not_stop_the_other_claims(loaders):
    loaders.failing["broken"] = SourceError("connection refused")
    article = SimpleNamespace(**{**vars(ARTICLE), "claims": every_kind_of_claim()})
    verdicts = judge_all(article, claim_ids=["g-error", "a-supported"])
    assert [(v.claim_id, v.verdict) for v in verdicts] == [("g-error", "error"), ("a-supported", "supported")]


def test_judge_all_filters_by_family():
    article = SimpleNamespace(**{**vars(ARTICLE), "claims": every_kind_of_claim()})
    assert [v.claim_id for v in judge_all(article, family="trade")] == ["a-supported", "b-contradicted"]


def test_judge_all_rejects_unknown_claim_ids():
    article = SimpleNamespace(**{**vars(ARTICLE), "claims": every_kind_of_claim()})
    with pytest.raises(KeyError, match="no-such-claim"):
        judge_all(article, claim_ids=["no-such-claim"])


def test_an_override_rechecks_a_claim_under_another_tolerance():
    about = make_claim("about-trade", claimed={"value": 26e9, "unit": "USD", "comparator": "about"}, evidence=[trade_evidence()])
    article = SimpleNamespace(**{**vars(ARTICLE), "claims": [about]})
    assert judge_all(article)[0].verdict == CONTRADICTED
    loose = judge_all(article, overrides={"about-trade": {"tolerance": 0.15}})[0]
    assert loose.verdict == SUPPORTED and loose.rule == "about: reference within ±15% of 26 bn USD"


def test_an_override_with_an_unknown_field_is_rejected_before_judging():
    article = SimpleNamespace(**{**vars(ARTICLE), "claims": every_kind_of_claim()})
    with pytest.raises(ValueError, match="tolerence"):
        judge_all(article, overrides={"a-supported": {"tolerence": 0.1}})


def test_judge_all_loads_each_snapshot_once(monkeypatch):
    calls = []
    original = evidence.get_snapshot

    def counting(source, name, mode="offline"):
        calls.append(name)
        return original(source, name, mode)

    monkeypatch.setattr(evidence, "get_snapshot", counting)
    claims = [make_claim(f"c{i}", claimed=EXCEEDS_28_7, evidence=[trade_evidence()]) for i in range(5)]
    judge_all(SimpleNamespace(**{**vars(ARTICLE), "claims": claims}))
    assert calls == ["trade"]


# ------------------------------------------------------------------------------------------ output


def test_row_is_flat_and_deterministically_formatted():
    claim = make_claim(claimed=EXCEEDS_28_7, evidence=[trade_evidence()])
    first, second = judge(claim, ARTICLE).row(), judge(claim, ARTICLE).row()
    assert first == second
    assert list(first) == ROW_COLUMNS
    assert first["claimed_value"] == "28700000000"
    assert first["reference_value"] == "28800000000"
    assert first["difference_abs"] == "100000000"
    assert first["difference_rel"] == "0.003484320557"
    assert first["source"] == "IMF DOTS, CHN-reported [reference/imf/trade.csv]"
    assert all(isinstance(v, str) for v in first.values())


def test_verdicts_frame_is_sorted_by_claim_id(loaders):
    loaders.failing["broken"] = SourceError("connection refused")
    article = SimpleNamespace(**{**vars(ARTICLE), "claims": every_kind_of_claim()})
    table = verdicts_frame(reversed(judge_all(article)))
    assert list(table["claim_id"]) == sorted(table["claim_id"])
    assert list(table.columns) == ROW_COLUMNS


def test_a_claim_with_only_context_evidence_is_unverifiable_with_the_claim_reason():
    claim = make_claim("partnership", kind="characterisation", reason="no source names such a partnership",
                       evidence=[{"kind": "document", "role": "context", "document": "readout"}])
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == UNVERIFIABLE
    assert verdict.sentence == "No public evidence decides it: no source names such a partnership."
    assert len(verdict.evidence) == 1 and verdict.evidence[0].role == "context"


# -------------------------------------------------------------------- readings and context in tables


def test_the_csv_row_gives_each_alternative_readings_result():
    verdict = judge(bri_investment_claim(), ARTICLE)
    assert verdict.row()["readings"] == "as a cumulative 2013–2021 total: holds ($235 bn)"
    assert verdict.as_dict()["alternatives"][0]["result"] == "holds"


def test_a_reading_that_does_not_hold_is_said_so_in_the_row():
    claim = make_claim("bri", claimed={"value": 300e9, "unit": "USD", "comparator": "exceeds", "period": "2022"},
                       evidence=[{"kind": "document", "document": "bri-2022", "measures": ["two_way_investment"]}],
                       readings=[{"id": "cumulative", "label": "cumulative", "evidence": [
                           {"kind": "document", "document": "bri-cumulative", "measures": ["two_way_investment"]}]}])
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == CONTRADICTED and verdict.row()["readings"] == "cumulative: does not hold ($235 bn)"


def test_a_forecasts_context_evidence_is_kept_and_shown_never_deciding():
    claim = make_claim("jobs-2030", kind="forecast", reason="a projection", evidence=[
        {"kind": "document", "role": "context", "document": "bri-2022", "measures": ["two_way_investment"],
         "label": "MOFCOM 2022"}])
    verdict = judge(claim, ARTICLE)
    assert verdict.verdict == NOT_CHECKABLE
    assert "Context: According to MOFCOM 2022, the figure is $20 bn" in verdict.sentence
    assert [e["role"] for e in verdict.as_dict()["evidence"]] == ["context"]
    assert verdict.sources and verdict.reference == ""
