"""The revision and source-disagreement policy: rounding first, then the releases before the article, then
the three zones of the band (national_accounts: supported within 3.5%, contradicted beyond 9.5%).

The figures are the World Bank's US GDP for 2017 in two real vintages (shared/reference/worldbank:
19,477,336,549,000 in the 2025-12-17 and 2026-05-01 copies, 19,612,102,000,000 in the 2026-07-01 one).
"""

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
from pydantic import ValidationError

from claimcheck.judge import evidence
from claimcheck.judge.verdicts import CONTRADICTED, IMPRECISE, SUPPORTED, judge
from claimcheck.reference.snapshots import SnapshotMissing
from claimcheck.reference.sources.base import Provenance
from claimcheck.registry.claims import Claim, Claimed

COLUMNS = ["entity", "partner", "period", "measure", "value", "unit", "entity_name", "aggregate"]
VERSIONS = {"2025-12-17": 19_477_336_549_000.0, "2026-07-01": 19_612_102_000_000.0}


def frame(value):
    return pd.DataFrame([("USA", None, "2017", "NY.GDP.MKTP.CD", value, "USD", "United States", False)], columns=COLUMNS)


@pytest.fixture(autouse=True)
def versions(monkeypatch):
    stored = dict(VERSIONS)

    def fake_get_snapshot(source, name, mode="offline", as_of=None):
        usable = sorted(v for v in stored if as_of is None or date.fromisoformat(v) <= as_of)
        if not usable:
            raise SnapshotMissing(f"no version of {source}/{name} on or before {as_of}")
        version = usable[-1]
        provenance = Provenance(source=source, dataset=name, method="transcribed", version=version,
                                snapshot=f"reference/{source}/{name}/{version}.csv")
        return SimpleNamespace(frame=frame(stored[version]), provenance=provenance, version=version)

    monkeypatch.setattr(evidence, "get_snapshot", fake_get_snapshot)
    monkeypatch.setattr(evidence, "agreement_band", lambda source, name: "national_accounts" if name == "gdp" else None)
    return stored


def gdp_claim(value, snapshot="gdp", **claimed):
    return Claim.model_validate({
        "id": "us-gdp-2017", "quote": "q", "kind": "amount", "statement": "US GDP in 2017",
        "claimed": {"value": value, "unit": "USD", "comparator": "rounded", "period": "2017", **claimed},
        "evidence": [{"kind": "dataset", "source": "worldbank", "snapshot": snapshot, "label": "World Bank GDP",
                      "compute": {"op": "value", "period": "2017"}}],
    })


def article(day):
    return SimpleNamespace(id="a", metadata=SimpleNamespace(date=day), claims=[])


def test_the_claimed_figures_rounding_decides_first():
    verdict = judge(gdp_claim(19.6e12), article(date(2025, 1, 1)))
    assert verdict.verdict == SUPPORTED and "band" not in verdict.sentence and "revised" not in verdict.sentence


def test_the_vintage_before_the_article_decides_and_the_current_figure_is_shown_as_revised():
    verdict = judge(gdp_claim(19.48e12), article(date(2026, 6, 1)))
    assert verdict.verdict == SUPPORTED, verdict.sentence
    assert verdict.reference_value == VERSIONS["2025-12-17"]
    assert "It has been revised since to $19.612 tn (version 2026-07-01)" in verdict.sentence
    assert "against the version of 2025-12-17" in verdict.rule
    assert {e.version for e in verdict.evidence} == {"2025-12-17", "2026-07-01"}


def test_todays_data_alone_would_not_round_to_the_figure_the_vintage_supports():
    verdict = judge(gdp_claim(19.48e12, band=0.0), article(date(2025, 6, 1)))  # no version before: today's decides
    assert verdict.verdict == CONTRADICTED and verdict.reference_value == VERSIONS["2026-07-01"]


def test_a_release_before_the_article_that_does_not_round_to_the_figure_is_judged_with_the_band():
    verdict = judge(gdp_claim(19.7e12), article(date(2026, 6, 1)))  # 1.1% above the 2025-12-17 release
    assert verdict.verdict == SUPPORTED and "against the version of 2025-12-17" in verdict.rule
    assert "within the agreement band ±3.5% for national-accounts figures" in verdict.rule


def test_without_a_vintage_before_the_article_a_difference_within_the_band_is_supported_and_explained():
    verdict = judge(gdp_claim(19.48e12), article(date(2025, 6, 1)))
    assert verdict.verdict == SUPPORTED
    assert "within the agreement band ±3.5% for national-accounts figures" in verdict.rule
    assert ("The reference figure is $19.612 tn, 0.68% above the article's; estimates of national-accounts figures "
            "differ between sources and vintages by up to 3.5%") in verdict.sentence


def test_beyond_the_band_but_within_honest_differences_is_imprecise():
    verdict = judge(gdp_claim(20.5e12), article(date(2025, 6, 1)))  # 4.3% above today's figure
    assert verdict.verdict == IMPRECISE, verdict.sentence
    assert "beyond the agreement band ±3.5% for national-accounts figures, within the largest honest differences ±9.5%" in verdict.rule
    assert "4.3% below the article's: more than estimates of national-accounts figures usually differ" in verdict.sentence


def test_a_claims_own_band_overrides_the_catalogue():
    assert judge(gdp_claim(19.48e12, band=0.005), article(date(2025, 6, 1))).verdict == CONTRADICTED
    assert judge(gdp_claim(19.48e12, band="trade_bilateral"), article(date(2025, 6, 1))).verdict == SUPPORTED


def test_a_snapshot_without_a_band_keeps_the_rounding_rule():
    assert judge(gdp_claim(19.48e12, snapshot="other"), article(date(2025, 6, 1))).verdict == CONTRADICTED


def test_the_named_source_decides_first():
    claim = Claim.model_validate({
        "id": "c", "quote": "q", "kind": "amount", "statement": "s", "according_to": "worldbank",
        "claimed": {"value": 19.6e12, "unit": "USD", "comparator": "rounded", "period": "2017"},
        "evidence": [{"kind": "dataset", "source": "imf", "snapshot": "missing", "compute": {"op": "value"}},
                     {"kind": "dataset", "source": "worldbank", "snapshot": "gdp", "label": "World Bank GDP",
                      "compute": {"op": "value", "period": "2017"}}],
    })
    verdict = judge(claim, article(date(2025, 6, 1)))
    assert verdict.decided_by == "World Bank GDP" and verdict.evidence[0].label == "World Bank GDP"
    assert "names worldbank as its source, and that source decides" in verdict.sentence


@pytest.mark.parametrize("band", [1.5, -0.1, "gdp", "trade"])
def test_a_bad_band_is_refused_when_the_registry_loads(band):
    with pytest.raises(ValidationError, match="band"):
        Claimed(value=1.0, unit="USD", comparator="rounded", band=band)


def test_nothing_is_said_to_be_revised_when_the_version_that_decides_is_the_current_one(versions):
    """One version only, published after the article: it decides within the band, and no revision is claimed."""
    versions.pop("2025-12-17")
    verdict = judge(gdp_claim(19.48e12), article(date(2025, 6, 1)))
    assert verdict.verdict == SUPPORTED, verdict.sentence
    assert "revised" not in verdict.sentence, verdict.sentence
    labels = [(e.label, e.value, e.version) for e in verdict.evidence]
    assert len(labels) == len(set(labels)), labels  # the same figure of the same version is listed once


def test_a_vintage_that_holds_the_same_figure_as_today_is_no_revision(versions):
    """The version before the article holds the current figure: nothing was revised, and it is not said."""
    versions["2025-12-17"] = versions["2026-07-01"]
    verdict = judge(gdp_claim(19.48e12), article(date(2026, 6, 1)))
    assert "revised" not in verdict.sentence, verdict.sentence
    assert verdict.verdict == SUPPORTED and "within the agreement band" in verdict.rule
