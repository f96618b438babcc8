"""Bands per measure, rates in points, three zones and the vintage rule, on real figures only.

Every claimed figure below is one a real text printed (``tests/draft_texts``) or one a real World
Bank release held; every reference is a committed snapshot (``data/reference``) or the measured
bands file, itself reproduced from ``../shared/reference`` by ``scripts/measure_bands.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from claimcheck import paths
from claimcheck.judge import policy
from claimcheck.judge.evidence import Loader
from claimcheck.judge.verdicts import CONTRADICTED, IMPRECISE, NOT_HELD, SUPPORTED, UNVERIFIABLE, judge
from claimcheck.reference.catalogue import entry
from claimcheck.registry.articles import Article
from claimcheck.registry.bands import Band, BandsError, _parse, load_bands
from claimcheck.registry.claims import Claim, load_claims

TEXTS = Path(__file__).parent / "draft_texts"
SHARED = Path(os.environ.get("CLAIMCHECK_SHARED", paths.PROJECT_ROOT.parent / "shared"))
LOADER = Loader("offline")


def reviewed(text: str, claim_id: str) -> tuple[Claim, Article]:
    folder = TEXTS / text
    article = Article(text, folder)
    claims, _ = load_claims(folder / "expected.yaml", article.text, text)
    return next(c for c in claims if c.id == claim_id), article


def verdict_of(text: str, claim_id: str):
    claim, article = reviewed(text, claim_id)
    return judge(claim, article, loader=LOADER)


# ------------------------------------------------------------------------------- the bands file


@pytest.mark.skipif(not (SHARED / "reference" / "worldbank").is_dir(), reason="needs ../shared/reference")
def test_every_band_reproduces_from_the_shared_reference_copies():
    script = paths.PROJECT_ROOT / "scripts" / "measure_bands.py"
    done = subprocess.run([sys.executable, str(script), str(SHARED / "reference")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "trade_total" in done.stdout and "growth_rate" in done.stdout


def test_the_bands_are_the_fixed_list_each_with_how_it_was_measured():
    bands = load_bands().bands
    assert list(bands) == ["national_accounts", "population", "emissions", "trade_bilateral", "trade_total",
                           "growth_rate", "inflation", "unemployment", "rate", "level"]
    for band in bands.values():
        assert band.supported <= band.contradicted and band.method and band.n > 0
    assert {n for n, b in bands.items() if b.in_points} == {"growth_rate", "inflation", "unemployment", "rate"}


def test_a_countrys_trade_with_the_world_has_its_own_band_narrower_than_bilateral_flows():
    bands = load_bands().bands
    assert entry("worldbank", "merchandise_exports").agreement_band == "trade_total"
    assert entry("imf", "dots_china_belgium_annual").agreement_band == "trade_bilateral"
    assert bands["trade_total"].contradicted < bands["trade_bilateral"].supported


def test_a_malformed_bands_file_is_one_line_naming_the_file_and_field():
    with pytest.raises(BandsError, match=r"bands.yaml, band growth_rate, field contradicted: 0.1 is below supported 0.4"):
        _parse("bands.yaml", {"bands": {"growth_rate": {"kind": "points", "supported": 0.4, "contradicted": 0.1}},
                              "derived_rates": {"default": "growth_rate"}})


@pytest.mark.parametrize("content, says", [
    (b"bands: {growth_rate: [\n", "bands.yaml: not valid YAML (line "),
    (b"bands: {\xe9: 1}\n", "bands.yaml: not UTF-8 text (offset 8)"),
])
def test_a_bands_file_that_does_not_read_is_one_line_naming_the_file(data_copy, content, says):
    (data_copy / "reference" / "catalogue" / "bands.yaml").write_bytes(content)
    with pytest.raises(BandsError) as raised:
        load_bands()
    assert says in str(raised.value) and "\n" not in str(raised.value)


# ---------------------------------------------------------------------- the policy, without files


US_GDP_2017 = (19_477_336_549_000.0, 19_612_102_000_000.0)  # the 2025-12-17 and 2026-07-01 releases


def test_the_policy_places_a_real_revision_in_its_zone_without_files():
    band = Band("national_accounts", "relative", 0.035, 0.095)
    found = policy.zone(*US_GDP_2017, band)
    assert found.name == policy.SUPPORTED and round(found.difference, 4) == 0.0069 and found.above


def test_a_rate_is_measured_in_points_not_relative_to_itself():
    band = Band("growth_rate", "points", 0.4, 1.3)
    found = policy.zone(2.9, 3.159, band)  # OECD 2022 growth: 2.9% in March 2024, 3.159% today
    assert found.name == policy.SUPPORTED and round(found.difference, 3) == 0.259  # 8.9% of 2.9, but 0.26 points


def test_a_level_band_never_applies_to_a_rate_and_a_rate_takes_the_band_of_its_op():
    bands = load_bands()
    assert policy.band_for("percent", None, "trade_total", "growth", bands).name == "trade_total.growth"
    assert policy.band_for("percent", None, None, "growth", bands).name == "growth_rate"  # no level band to start from
    assert policy.band_for("percent", None, "population", "share", bands).name == "rate"
    assert policy.band_for("USD", None, "growth_rate", "value", bands) is None
    assert policy.band_for("percent", 0.5, "inflation", "value", bands).supported == 0.5


# ------------------------------------------------------------------------- real texts, judged


def test_a_first_estimate_of_growth_later_revised_is_supported_and_says_by_how_many_points():
    verdict = verdict_of("oecd-g20-growth-2024-03-14", "oecd-growth-2022")
    assert verdict.verdict == SUPPORTED, verdict.sentence
    # the earliest release after the article that holds 2022 (2025-12-17) says 3.095%, today's 3.159%
    assert "3.095%, 0.2 points above the article's; estimates of growth rates differ" in verdict.sentence
    assert "revised since to 3.159%" in verdict.sentence


def test_a_first_estimate_beyond_the_usual_revision_but_within_honest_ones_is_imprecise():
    verdict = verdict_of("oecd-g20-growth-2024-03-14", "germany-decline-2023")  # -0.3% printed, -0.87% today
    assert verdict.verdict == IMPRECISE, verdict.sentence
    assert "0.57 points below the article's: more than estimates of growth rates usually differ" in verdict.sentence


def test_a_total_exports_figure_ten_percent_off_customs_and_world_bank_agreement_is_contradicted():
    verdict = verdict_of("china-trade-surplus-2023-01-13", "exports-3-95-trillion")  # $3.95 tn printed, $3.544 tn
    assert verdict.verdict == CONTRADICTED, verdict.sentence
    assert "beyond the largest honest differences ±2.5% for a country's total trade" in verdict.rule
    assert "$3.544 tn is below $3.95 tn: the article's figure is too high." in verdict.sentence
    assert "That goes against the claim: China's 2022 goods exports were US$3.95 trillion." in verdict.sentence


def test_a_customs_growth_rate_near_the_world_banks_is_supported_in_points():
    verdict = verdict_of("china-trade-surplus-2023-01-13", "imports-1-1")  # customs 1.1%, World Bank 1.011%
    assert verdict.verdict == SUPPORTED and "0.09 points below" in verdict.sentence


def us_gdp_2016(**claimed):
    return Claim.model_validate({
        "id": "us-gdp-2016", "quote": "q", "kind": "amount", "statement": "US GDP in 2016 was $18.62 trillion.",
        "claimed": {"value": 18.62e12, "unit": "USD", "comparator": "rounded", "period": "2016", **claimed},
        "evidence": [{"kind": "dataset", "source": "worldbank", "snapshot": "gdp_current_usd",
                      "select": {"entity": "USA"}, "compute": {"op": "value", "period": "2016"}}],
    })


def test_a_figure_of_any_release_before_the_article_is_supported_naming_that_release_and_the_revision():
    # $18.62 tn is the 2018-08-01 release's figure (18,624,475,000,000); the 2024-10-21 one says 18.805 tn
    article = SimpleNamespace(id="a", metadata=SimpleNamespace(date=date(2025, 1, 1)), claims=[])
    verdict = judge(us_gdp_2016(band=0.0), article, loader=LOADER)  # no band: only the vintage rule can support it
    assert verdict.verdict == SUPPORTED, verdict.sentence
    assert "It matches the release of 2018-08-01, published on or before the article's date." in verdict.sentence
    assert "revised since to $18.805 tn" in verdict.sentence
    assert "against the version of 2018-08-01, published on or before the article's date" in verdict.rule


def test_before_any_release_the_earliest_later_one_stands_in_for_what_the_author_read():
    article = SimpleNamespace(id="a", metadata=SimpleNamespace(date=date(2017, 1, 1)), claims=[])
    verdict = judge(us_gdp_2016(band=0.0), article, loader=LOADER)
    assert verdict.verdict == SUPPORTED
    assert "against the version of 2018-08-01, the earliest stored after the article's date" in verdict.rule


def test_a_figure_no_release_rounds_to_is_judged_on_the_band_of_the_newest_before_the_article():
    article = SimpleNamespace(id="a", metadata=SimpleNamespace(date=date(2025, 1, 1)), claims=[])
    verdict = judge(us_gdp_2016(value=18.7e12, band=0.0), article, loader=LOADER)  # the 2025-12-17 release: 18.695 tn
    assert verdict.verdict == CONTRADICTED
    assert "against the version of 2024-10-21, the newest on or before the article's date" in verdict.rule


def test_exponential_growth_contradicted_by_a_faster_year_before_says_so_in_words():
    article = Article("china-belgium-ties-2023-02-26", paths.articles_dir() / "china-belgium-ties-2023-02-26")
    verdict = judge(article.claim("trade-growth-exponential"), article, loader=LOADER)
    assert verdict.verdict == CONTRADICTED
    assert "36.3% is above 14.3%: higher than the claim allows. That goes against the claim: Trade growth was exponential" in (
        verdict.sentence)


# ---------------------------------------------------------------- verdict names that say what happened


SEED = "data/articles/china-belgium-ties-2023-02-26"


def test_a_claim_naming_a_public_series_this_copy_lacks_is_not_held_and_names_it():
    claim = Claim.model_validate({
        "id": "jan-aug", "quote": "q", "kind": "amount", "statement": "s",
        "public_series": "GACC monthly China–Belgium trade, January–August 2022",
    })
    verdict = judge(claim, None)
    assert verdict.verdict == NOT_HELD
    assert "does not hold the public data that would check it: GACC monthly China–Belgium trade" in verdict.sentence


def test_without_a_public_series_a_claim_without_evidence_stays_unverifiable():
    claim = Claim.model_validate({"id": "c", "quote": "q", "kind": "amount", "statement": "s", "reason": "no source"})
    assert judge(claim, None).verdict == UNVERIFIABLE


def test_a_part_no_public_evidence_checks_is_set_aside_while_the_others_decide():
    part = {"id": "oecd", "statement": "OECD GDP grew 2.9% in 2022", "claimed": {"value": 2.9, "unit": "percent",
            "comparator": "rounded", "period": "2022"},
            "evidence": [{"kind": "dataset", "source": "worldbank", "snapshot": "gdp_growth", "select": {"entity": "OED"},
                          "compute": {"op": "value", "period": "2022"}}]}
    quarter = {"id": "quarter", "statement": "G20 growth was 0.8% in the fourth quarter", "reason": "no quarterly series",
               "claimed": {"value": 0.8, "unit": "percent", "comparator": "rounded", "period": "2023"}}
    claim = Claim.model_validate({"id": "c", "quote": "q", "kind": "change", "statement": "s", "parts": [part, quarter]})
    _, article = reviewed("oecd-g20-growth-2024-03-14", "oecd-growth-2022")
    verdict = judge(claim, article, loader=LOADER)
    assert verdict.verdict == SUPPORTED, verdict.sentence
    assert "1 of 2 parts hold, the others cannot be checked" in verdict.sentence
    assert "“G20 growth was 0.8% in the fourth quarter” is left aside" in verdict.sentence


def test_a_surplus_is_judged_with_the_trade_band_magnified_by_the_difference():
    # customs' $877.6 bn against the World Bank's 3.544 tn − 2.707 tn: each side agrees within the trade
    # band, and the difference magnifies that (|a| + |b|) / |a − b| = 7.46 times
    verdict = verdict_of("china-trade-surplus-2023-01-13", "surplus-877-6-billion")
    assert verdict.verdict == IMPRECISE, verdict.sentence
    assert "magnified 7.46 times by the difference" in verdict.rule


def test_widening_leaves_rates_and_plain_amounts_alone():
    rate, level = Band("growth_rate", "points", 0.4, 1.3), Band("trade_total", "relative", 0.005, 0.025)
    assert policy.widened(rate, 7.46) is rate and policy.widened(level, None) is level
    assert policy.widened(level, 7.46).contradicted == pytest.approx(0.025 * 7.46)


def test_the_policy_decides_from_the_resolved_table_alone():
    # US GDP 2017: 19,477,336,549,000 in the release of 2025-12-17, 19,612,102,000,000 today; no loader, no files
    from claimcheck.judge import verdicts
    from claimcheck.judge.evidence import EvidenceResult
    from claimcheck.judge.observations import Observations, Releases
    from claimcheck.registry.claims import Claimed

    claimed = Claimed(value=19.48e12, unit="USD", comparator="rounded", period="2017")
    today = EvidenceResult("World Bank GDP", "dataset", "ok", value=US_GDP_2017[1], unit="USD", version="2026-07-01")
    then = EvidenceResult("World Bank GDP", "dataset", "ok", value=US_GDP_2017[0], unit="USD", version="2025-12-17")
    band = load_bands().bands["national_accounts"]
    table = Observations((today,), {0: Releases(before=((then, then),), band=band)}, date(2026, 6, 1))
    decided, used = verdicts._revisions_and_bands(claimed, verdicts._assess(claimed, (today,)), table)
    assert decided.holds and used == [then]
    assert "It matches the release of 2025-12-17" in decided.decider.policy


def test_a_rank_missed_by_less_than_the_band_is_one_the_data_cannot_tell_apart():
    # India "fifth-largest" in 2019 (IMF, Feb 2020); the World Bank's copy of 2024-10-21 has it 6th, 0.56%
    # behind the United Kingdom: within the national-accounts band
    verdict = verdict_of("india-fifth-largest-economy-2020-02-18", "fifth-spot-2019")
    assert verdict.verdict == SUPPORTED, verdict.sentence
    assert "India would need a figure 0.56% higher to rank 5th (United Kingdom is at $2.851 tn)" in verdict.sentence
    assert "the data cannot tell 5th from 6th" in verdict.sentence


def test_a_rank_margin_is_placed_in_the_zones_of_the_ranked_figures():
    band = Band("national_accounts", "relative", 0.035, 0.095)
    older, newer = US_GDP_2017  # one release ranked against the other: 2nd, 0.69% short of 1st
    zone_, index = policy.rank_margin(older, [newer], 1, band)
    assert zone_.name == policy.SUPPORTED and index == 0 and round(zone_.difference, 4) == 0.0069
    assert policy.rank_margin(older, [newer], 2, band) is None  # the rank it has
    assert policy.rank_margin(older, [newer], 5, band) is None  # no such rank among two


US_GDP_2016 = {"2018-08-01": 18_624_475_000_000.0, "2024-10-21": 18_804_913_000_000.0}  # two real releases


def observed(version):
    return SimpleNamespace(value=US_GDP_2016[version], version=version, extra={})


@pytest.mark.parametrize("claimed_value, basis, zone_name", [
    (18.62e12, policy.MATCHES_RELEASE, None),  # the 2018 release's figure: right when written
    (18.7e12, policy.CURRENT, policy.SUPPORTED),  # the 2025-12 release's figure: 0.56% off today's (the 2024 one)
])
def test_the_policy_decision_is_a_pure_function_of_the_observations(claimed_value, basis, zone_name):
    from claimcheck.judge.compare import compare
    from claimcheck.judge.observations import Releases
    from claimcheck.registry.claims import Claimed

    claimed = Claimed(value=claimed_value, unit="USD", comparator="rounded", period="2016")
    # newest first; the newest is today's release itself, so it is no other reading (None)
    before = ((observed("2024-10-21"), None), (observed("2018-08-01"), observed("2018-08-01")))
    releases = Releases(before=before, band=Band("national_accounts", "relative", 0.035, 0.095))
    decision = policy.decide(claimed, observed("2024-10-21"), releases, True, lambda o: compare(claimed, o.value).holds)
    assert decision.basis == basis and decision.holds
    assert (decision.zone.name if decision.zone else None) == zone_name


def test_a_bound_missed_by_less_than_the_band_is_not_ruled_out():
    # "more than 2.5 years" (CDC's provisional 79.0 -> 76.1) against the World Bank's 78.79 -> 76.33: 2.46 years
    verdict = verdict_of("us-life-expectancy-2022-08-31", "fall-since-pandemic")
    assert verdict.verdict == SUPPORTED, verdict.sentence
    assert "The reference figure is -2.459 years, 1.7% above the article's" in verdict.sentence


def test_the_growth_of_emissions_is_judged_on_how_emissions_growth_differs_between_sources():
    # "up 9%" (2012 report) against the World Bank's frozen series, +10.38%: 1.38 points, beyond the GDP
    # growth band but within the usual difference between two releases of OWID's CO2 growth
    bands = load_bands()
    assert bands.bands["emissions"].growth.supported > bands.bands["growth_rate"].supported
    verdict = verdict_of("global-co2-34bn-tonnes-2012-07-24", "china-per-capita-increase")
    assert verdict.verdict == SUPPORTED, verdict.sentence
    assert "growth rates of emissions figures differ between sources and vintages by up to 2.9 points" in verdict.sentence
