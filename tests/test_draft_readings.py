"""`claimcheck draft` on readings it once got wrong: what a sentence's words say about the measure,
the country ranked, the group meant and the sign and unit of a change. Sentences are from real texts
(tests/draft_texts/, the seed article) or shaped like them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from claimcheck.draft.propose import draft_text, most_named
from conftest import drafted

TRADE_FLOWS = {"merchandise_exports", "merchandise_imports", "exports_share_of_gdp", "imports_share_of_gdp",
               "merchandise_trade_share_of_gdp"}


def _draft(text: str, today: date = date(2024, 2, 15)):
    return drafted(text, today)


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


# ---------------------------------------------------------------- shapes of the news texts added later


def test_a_world_or_group_total_is_the_snapshot_s_aggregate_row():
    world = _draft("GLOBAL EMISSIONS of carbon dioxide (CO2) increased by 3 per cent last year, reaching an all-time high "
                   "of 34 billion tonnes, according to figures compiled by the European Commission's research unit and "
                   "the Netherlands Environmental Assessment Agency.", date(2012, 7, 24))
    assert _evidence(world["3 per cent"])["select"] == {"entity": "WLD"}
    assert _evidence(world["3 per cent"])["compute"] == {"op": "growth", "period": "2011", "base_period": "2010"}
    assert world["34 billion"]["parts"][0]["evidence"][0]["select"] == {"entity": "WLD"}
    eu = _draft("EU emissions were 7.5 tonnes per capita last year, down by 3 per cent.", date(2012, 7, 24))
    level, fall = eu["7.5"], eu["3 per cent"]
    assert level["claimed"]["unit"] == "tonnes_per_person" and _evidence(level)["snapshot"] == "co2_emissions_per_capita"
    assert _evidence(level)["select"] == _evidence(fall)["select"] == {"entity": "EUU"}
    assert fall["claimed"]["value"] == -3.0
    oecd = _draft("Official figures released by the Organization for Economic Cooperation and Development (OECD) revealed "
                  "that the gross domestic product (GDP) across its member countries experienced a 1.7 percent increase in "
                  "2023 compared to the previous year. This data, disclosed on Wednesday, signified a decrease in the "
                  "annual GDP growth rate from 2.9 percent recorded in 2022.", date(2024, 3, 14))
    for mention, period in (("1.7 percent", "2023"), ("2.9 percent", "2022")):
        assert (_evidence(oecd[mention])["snapshot"], _evidence(oecd[mention])["select"]) == ("gdp_growth", {"entity": "OED"})
        assert _evidence(oecd[mention])["compute"] == {"op": "value", "period": period}


def test_the_world_s_nth_largest_economy_describes_a_country_not_the_world_total():
    text = (Path(__file__).parent / "draft_texts" / "china-trade-surplus-2023-01-13" / "article.txt").read_text(encoding="utf-8")
    claims = _draft(text, date(2023, 1, 13))
    assert claims["1.1 per cent"]["parts"][0]["evidence"][0]["select"] == {"entity": "CHN"}
    assert _evidence(claims["second-largest"])["compute"]["entity"] == "CHN"


def test_a_quarter_s_figure_is_no_figure_of_an_annual_series():
    fields = _draft("Within the G20 nations, the GDP growth rate remained steady at 3.2 percent in the fourth quarter of "
                    "2023, unchanged from the previous year.", date(2024, 3, 14))["3.2 percent"]
    assert fields["claimed"]["period"] == "2023-10/2023-12"
    assert "evidence" not in fields and fields["reason"]


def test_respectively_pairs_each_number_with_its_country_and_the_list_shares_its_verb():
    claims = _draft("In 2023, some economies within the G20 experienced contractions, with Saudi Arabia and Germany posting "
                    "declines of 0.8 percent and 0.3 percent, respectively.", date(2024, 3, 14))
    for mention, code, value in (("0.8 percent", "SAU", -0.8), ("0.3 percent", "DEU", -0.3)):
        assert claims[mention]["claimed"]["value"] == pytest.approx(value)
        assert _evidence(claims[mention])["snapshot"] == "gdp_growth"
        assert _evidence(claims[mention])["select"] == {"entity": code}


def test_a_year_alone_in_its_clause_is_the_period_of_the_figures_after_it():
    text = ("Among the G20 countries, India emerged with the highest annual economic growth rate in 2023, registering at "
            "7.7 percent, followed by China at 5.2 percent, and Türkiye at 4.5 percent.")
    draft = draft_text("t", text, date(2024, 3, 14), None, most_named(text))
    claims = {q.text: c.fields for c in draft.claims for q in c.quantities}
    assert "2023" not in claims and any("2023" in n["text"] for n in draft.not_claims)
    for mention, code in (("7.7 percent", "IND"), ("5.2 percent", "CHN"), ("4.5 percent", "TUR")):
        assert _evidence(claims[mention])["compute"] == {"op": "value", "period": "2023"}
        assert _evidence(claims[mention])["select"] == {"entity": code}


def test_the_lowest_since_a_year_with_words_between_is_first_since():
    fields = _draft("Life expectancy at birth fell to 76.1 years, the lowest it has been in the US since 1996.",
                    date(2022, 8, 31))["1996"]
    assert _evidence(fields)["compute"] == {"op": "first_since", "entity": "USA", "period": "2021", "direction": "below"}


def test_two_and_a_half_years_is_one_number_and_between_two_years_one_period():
    from claimcheck.draft import context

    text = ("life expectancy at birth dropped by nearly a year between 2020 and 2021 — and by more than two and a half "
            "years overall since the start of the Covid-19 pandemic.")
    claims = _draft(text, date(2022, 8, 31))
    assert claims["two and a half"]["claimed"]["value"] == pytest.approx(2.5)
    assert "half years" not in claims
    assert len(context.clauses(text, context.sentences(text)[0])) == 1


def test_tonnes_for_each_person_are_tonnes_per_person():
    claims = _draft("For the first time, per capita emissions in China - the world's most populous country - almost reached "
                    "European levels, after a 9 per cent increase in 2011 to 7.2 tonnes for each of its 1.34 billion "
                    "people.", date(2012, 7, 24))
    tonnes = claims["7.2"]
    level = tonnes["parts"][1] if "parts" in tonnes else tonnes
    assert level["claimed"]["unit"] == "tonnes_per_person"
    assert (_evidence(level)["snapshot"], _evidence(level)["select"]) == ("co2_emissions_per_capita", {"entity": "CHN"})
    assert _evidence(claims["1.34 billion"])["snapshot"] == "population"


def test_an_estimate_for_a_period_not_over_is_a_forecast_but_an_estimated_figure_is_not():
    claims = _draft("Its 2013 estimate represents a 2.1 percent gain versus 2012 and a 61 percent increase since 1990.",
                    date(2013, 11, 19))
    for mention in ("2.1 percent", "61 percent"):
        assert claims[mention]["kind"] == "forecast" and "estimate" in claims[mention]["reason"]
    hedge = _draft("The United States has an estimated population of 340 million.", date(2023, 4, 19))["340 million"]
    assert hedge["kind"] == "count" and hedge["claimed"]["comparator"] == "about"


def test_a_target_year_is_read_from_the_measure_in_years_of_its_snapshot():
    fields = _draft("China's stance on carbon emissions, which is to ensure carbon neutrality by 2060.", date(2023, 2, 26))["2060"]
    assert _evidence(fields)["select"] == {"entity": "CHN", "measure": "target_year"}


CENSUS = ("New Delhi: Latest Census figures peg India's population at 1.21 billion, an increase of 181 million people "
          "since the last Census in 2001.\nThis population now accounts for 17.5 per cent of the world's population, "
          "with China, the most populous nation, accounting for 19.4 per cent.\nThe north Indian state of Uttar "
          "Pradesh is the most populous, with 199 million people. Among the states Lakshadweep the least populated, "
          "at 64,429.")


def test_an_increase_of_people_is_a_change_in_people_since_the_base_year():
    fields = _draft(CENSUS, date(2011, 3, 31))["181 million"]
    assert fields["kind"] == "change" and fields["claimed"]["unit"] == "people"
    # no year is written for it and the figure before it has only an assumed one: the period is for review
    assert "confirm the period" in fields["reason"] and "evidence" not in fields
    dated = _draft("India's population rose to 1.21 billion in 2011, an increase of 181 million people since 2001.",
                   date(2011, 3, 31))["181 million"]
    compute = _evidence(dated)["compute"]
    assert (compute["op"], compute["period"], compute["base_period"]) == ("change", "2011", "2001")


def test_a_per_cent_of_the_world_s_population_is_a_share_of_the_world_row_for_the_country_meant():
    claims = _draft(CENSUS, date(2011, 3, 31))
    assert _evidence(claims["17.5 per cent"])["compute"] == {"op": "share", "entity": "IND", "total": "WLD", "period": "2011"}
    assert _evidence(claims["19.4 per cent"])["compute"] == {"op": "share", "entity": "CHN", "total": "WLD", "period": "2011"}


def test_a_state_within_a_country_gets_no_country_series():
    claims = _draft(CENSUS, date(2011, 3, 31))
    for mention in ("199 million", "64,429"):
        assert "evidence" not in claims[mention] and "within a country" in claims[mention]["reason"]
    assert claims["64,429"]["claimed"]["unit"] == "people"


# ---------------------------------------------------------------- a wire story on a year's trade


def test_dollar_terms_name_a_currency_not_a_country_nor_an_exchange_rate():
    from claimcheck.draft.places import places_in

    assert places_in("Exports measured in US dollar terms stood at $3.38 trillion") == []
    assert [p.code for p in places_in("the Australian dollar fell")] == []
    claims = _draft("Exports measured in US dollar terms stood at $3.38 trillion in 2023, down by 4.6% compared to the "
                    "year before, according to Chinese customs figures released on Friday.", date(2024, 1, 11))
    assert _evidence(claims["$3.38 trillion"])["select"] == {"entity": "CHN"}
    fall = claims["4.6%"]
    assert fall["claimed"]["value"] == pytest.approx(-4.6) and fall["claimed"]["period"] == "2023"
    assert _evidence(fall)["snapshot"] == "merchandise_exports"
    assert _evidence(fall)["compute"] == {"op": "growth", "period": "2023", "base_period": "2022"}


def test_a_rank_takes_its_measure_from_the_noun_after_it_and_the_latest_figures():
    text = ("Last year, China's imports fell 5.5% to $2.56 trillion. That left the world’s second largest economy with a "
            "trade surplus of $823 billion.")
    rank = _draft(text, date(2024, 1, 11))["second largest"]
    assert rank["claimed"]["period"] == "2022"  # described, not dated: the latest annual figures out
    assert _evidence(rank)["snapshot"] == "gdp_current_usd"
    assert _evidence(rank)["compute"] == {"op": "rank", "entity": "CHN", "period": "2022"}


def test_a_year_the_article_is_in_that_an_expectation_governs_is_a_forecast():
    fields = _draft("He expects 2024’s exports to continue facing difficulties, he added.", date(2024, 1, 11))["2024"]
    assert fields["kind"] == "forecast"


def test_a_forecast_of_a_global_total_is_about_the_world_not_the_country_named_before():
    claims = _draft("India now has 1428.6 million people. Meanwhile, the global population is expected to hit "
                    "8.045 billion by mid-2023.", date(2023, 4, 19))
    forecast = claims["8.045 billion"]
    assert forecast["kind"] == "forecast" and forecast["statement"].startswith("The world:")
