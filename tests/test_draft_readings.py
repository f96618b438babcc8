"""`claimcheck draft` on readings it once got wrong: what a sentence's words say about the measure,
the country ranked, the group meant and the sign and unit of a change. Sentences are from real texts
(tests/draft_texts/, the seed article) or shaped like them."""

from __future__ import annotations

from datetime import date

import pytest

from claimcheck.draft.propose import draft_text, most_named
from claimcheck.registry.claims import Claim

TRADE_FLOWS = {"merchandise_exports", "merchandise_imports", "exports_share_of_gdp", "imports_share_of_gdp",
               "merchandise_trade_share_of_gdp"}


def _draft(text: str, today: date = date(2024, 2, 15)):
    claims = draft_text("t", text, today, None, most_named(text)).claims
    for drafted in claims:  # every drafted claim validates as it stands
        Claim.model_validate(drafted.fields)
    return {q.text: c.fields for c in claims for q in c.quantities}


def _evidence(fields: dict) -> dict:
    return fields["evidence"][0]


def _snapshots(fields: dict) -> set[str]:
    evidence = [*fields.get("evidence", []), *(e for p in fields.get("parts", []) for e in p["evidence"])]
    return {e.get("snapshot") for e in evidence}


# ---------------------------------------------------------------- investment is no trade flow


def test_an_investment_beside_a_trade_figure_is_not_drafted_as_exports():
    claims = _draft("Furthermore, the total volume of trade in goods between countries along the BRI route and China "
                    "amounted to $11 trillion with two-way investments exceeding $230 billion.", date(2023, 2, 26))
    invest = claims["$230 billion"]
    assert not _snapshots(invest) & TRADE_FLOWS
    assert "evidence" not in invest and "investment" in invest["reason"]
    assert any("investment" in note for note in invest["draft"])
    assert claims["$11 trillion"]["evidence"]  # the trade figure keeps its evidence


@pytest.mark.parametrize("sentence", [
    "China's outward investment stock in Africa reached $47 billion in 2021, while its exports grew.",
    "Exports of goods aside, Japanese investment in the country totalled $12 billion in 2022.",
])
def test_investment_or_stock_wording_never_maps_to_a_trade_flow(sentence):
    fields = next(f for q, f in _draft(sentence, date(2023, 8, 1)).items() if "billion" in q)
    assert not _snapshots(fields) & TRADE_FLOWS


def test_foreign_direct_investment_inflows_find_the_fdi_series():
    fields = _draft("Foreign direct investment inflows into India reached $45 billion in 2022.", date(2023, 8, 1))["$45 billion"]
    assert _evidence(fields)["snapshot"] == "fdi_net_inflows" and _evidence(fields)["select"] == {"entity": "IND"}


# ---------------------------------------------------------------- "lost its place to X"


def test_lost_its_status_to_a_country_ranks_that_country_and_crosses_it_over_the_loser():
    claims = _draft("Japan lost its status as the world's third-largest economy to Germany in 2023 as it unexpectedly "
                    "slipped into recession in the last quarter of 2023 due to a sharp drop in Japan's national currency.")
    rank, crossing = claims["third-largest"]["parts"]
    assert rank["claimed"] == {"value": 3.0, "unit": "rank", "comparator": "rank", "period": "2023"}
    assert _evidence(rank)["compute"] == {"op": "rank", "entity": "DEU", "period": "2023"}
    assert crossing["claimed"] == {"value": "2023", "unit": "date", "comparator": "equals"}
    assert _evidence(crossing)["compute"] == {"op": "crossing", "entity": "DEU", "other": "JPN", "period": "2023"}
    assert any("lost" in note for note in claims["third-largest"]["draft"])


def test_lost_its_place_to_with_no_period_is_a_crossing_by_the_latest_figures():
    claims = _draft("France lost its place as the fifth-largest economy to India, the report said.", date(2020, 2, 18))
    rank, crossing = claims["fifth-largest"]["parts"]
    assert _evidence(rank)["compute"]["entity"] == "IND"
    assert _evidence(crossing)["compute"] == {"op": "crossing", "entity": "IND", "other": "FRA", "period": "2018"}
    assert crossing["claimed"]["comparator"] == "by"


# ---------------------------------------------------------------- "the continent's", "the region's"


def test_the_continent_s_economy_is_the_group_named_earlier():
    text = ("Nigeria's economy grew in 2022, official data showed. Africa has many fast-growing economies. "
            "South Africa remained the continent's second-largest economy in 2022.")
    rank = _evidence(_draft(text, date(2023, 8, 1))["second-largest"])
    assert rank["select"] == {"group": "africa"}
    assert rank["compute"] == {"op": "rank", "entity": "ZAF", "period": "2022"}


def test_the_region_s_names_no_group_when_two_named_earlier_hold_the_country_and_leaves_a_note():
    text = ("Trade in Southeast Asia and among APEC members grew in 2022. "
            "Vietnam became the region's third-largest economy in 2022.")
    fields = _draft(text, date(2023, 8, 1))["third-largest"]
    assert "group" not in _evidence(fields).get("select", {})
    assert any("the region's" in note and "'Southeast Asia', 'APEC'" in note for note in fields["draft"])


def test_the_region_s_is_the_one_group_named_earlier_that_holds_the_country():
    text = ("Trade in Southeast Asia and in East Asia grew in 2022. "
            "Vietnam became the region's third-largest economy in 2022.")
    rank = _evidence(_draft(text, date(2023, 8, 1))["third-largest"])
    assert rank["select"] == {"group": "south_east_asia"}


def test_the_region_s_with_no_group_named_before_leaves_a_note():
    fields = _draft("Vietnam became the region's third-largest economy in 2022.", date(2023, 8, 1))["third-largest"]
    assert "group" not in _evidence(fields).get("select", {})
    assert any("the region's" in note for note in fields["draft"])


# ---------------------------------------------------------------- a change in years, and falls


def test_fell_by_years_to_a_level_is_a_change_in_the_series_unit_and_the_level():
    claims = _draft("Life expectancy in the United States fell by 2.7 years to 76.1 years from 2019 to 2021, the "
                    "lowest age in 26 years.", date(2022, 9, 1))
    fields = claims["2.7"]
    assert claims["76.1"] is fields
    change, level = fields["parts"]
    assert change["claimed"]["value"] == pytest.approx(-2.7) and change["claimed"]["unit"] == "years"
    assert _evidence(change)["snapshot"] == "life_expectancy"
    assert _evidence(change)["compute"] == {"op": "change", "period": "2021", "base_period": "2019"}
    assert level["claimed"]["value"] == pytest.approx(76.1) and level["claimed"]["unit"] == "years"
    assert _evidence(level)["compute"] == {"op": "value", "period": "2021"}
    assert _evidence(level)["select"] == {"entity": "USA"}


def test_a_level_in_years_of_a_series_is_an_amount_not_a_duration():
    fields = _draft("Life expectancy at birth fell to 76.1 years, the lowest it has been in the US since 1996.",
                    date(2022, 8, 31))["76.1"]
    assert fields["kind"] != "duration" and fields["claimed"]["unit"] == "years"
    assert _evidence(fields)["snapshot"] == "life_expectancy"


@pytest.mark.parametrize("sentence, mention, value", [
    ("EU emissions were 7.5 tonnes per capita, down by 3 per cent.", "3 per cent", -3.0),
    ("Japan's exports fell 5 per cent in 2022.", "5 per cent", -5.0),
    ("Germany's economy contracted by 0.3 percent in 2023.", "0.3 percent", -0.3),
    ("India's merchandise exports rose 40 per cent in 2021.", "40 per cent", 40.0),
])
def test_a_fall_is_a_negative_change(sentence, mention, value):
    fields = _draft(sentence, date(2024, 8, 1))[mention]
    assert fields["claimed"]["value"] == pytest.approx(value)
