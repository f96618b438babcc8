"""`claimcheck draft` on the shapes the claim language has: units as the catalogue writes them,
demonyms, series operations, compound claims and document evidence. Sentences are from real texts
(tests/draft_texts/ and the seed article) or shaped like them."""

from __future__ import annotations

from datetime import date

import pytest

from claimcheck.draft.propose import draft_text, most_named
from claimcheck.registry.claims import Claim


def _draft(text: str, today: date = date(2024, 2, 15)):
    claims = draft_text("t", text, today, None, most_named(text)).claims
    for drafted in claims:  # every drafted claim validates as it stands
        Claim.model_validate(drafted.fields)
    return {c.quantity.text: c.fields for c in claims}


def _evidence(fields: dict) -> dict:
    return fields["evidence"][0]


# ---------------------------------------------------------------- units the catalogue uses


def test_people_is_the_people_unit_the_population_entry_uses():
    claims = _draft("The country had 1.41175 billion people at at the end of 2022, compared with 1.41260 billion a "
                    "year earlier, China's National Bureau of Statistics said.", date(2023, 1, 17))
    for mention in ("1.41175 billion", "1.41260 billion"):
        assert claims[mention]["claimed"]["unit"] == "people"
        assert (_evidence(claims[mention])["source"], _evidence(claims[mention])["snapshot"]) == ("worldbank", "population")


def test_a_yen_amount_keeps_its_currency_and_is_checked_against_gdp_in_dollars():
    claims = _draft("The government data showed that Japan's nominal GDP without adjustment for inflation in 2023 "
                    "amounted to 591.48 trillion yen (some $4.21 trillion).")
    yen = claims["591.48 trillion"]
    assert yen["claimed"]["unit"] == "JPY" and yen["claimed"]["value"] == pytest.approx(591.48e12)
    assert _evidence(yen)["snapshot"] == "gdp_current_usd"  # converted at the stored rates when judged
    assert _evidence(yen)["select"] == {"entity": "JPN"}


def test_tonnes_of_co2_are_claimed_and_matched_to_an_emissions_series():
    claims = _draft("China's carbon dioxide emissions reached 11.4 billion tonnes in 2021.")
    tonnes = claims["11.4 billion"]
    assert tonnes["claimed"]["unit"] == "tonnes" and tonnes["claimed"]["value"] == pytest.approx(11.4e9)
    assert _evidence(tonnes)["snapshot"] in {"annual_co2_emissions", "co2_emissions"}


def test_a_gdp_amount_and_a_rank_by_biggest_find_the_gdp_entry_among_many_wdi_entries():
    claims = _draft("The Japanese news agency Kyodo reported that Germany's nominal GDP in 2023 amounted to $4.46 trillion. "
                    "Germany has overtaken Japan as the world's third-biggest economy in 2023.")
    amount = _evidence(claims["$4.46 trillion"])
    assert (amount["snapshot"], amount["select"], amount["compute"]) == (
        "gdp_current_usd", {"entity": "DEU"}, {"op": "value", "period": "2023"})
    rank = _evidence(claims["third-biggest"])
    assert rank["snapshot"] == "gdp_current_usd" and rank["compute"]["op"] == "rank"


# ---------------------------------------------------------------- demonyms


@pytest.mark.parametrize("sentence, codes", [
    ("Belgian exports to the world rose 5 per cent in 2022", ["BEL"]),
    ("explores investment tools for Belgian and European companies operating in China", ["BEL", "CHN"]),
    ("Chinese investment in the port", ["CHN"]),
    ("French and German exporters", ["FRA", "DEU"]),
    ("British and Dutch pension funds, American banks", ["GBR", "NLD", "USA"]),
    ("Chinese Foreign Minister Qin Gang emphasised on China’s readiness to deepen ties with Belgium", ["CHN", "BEL"]),
    ("the Belgian-Chinese Chamber of Commerce", ["BEL", "CHN"]),
])
def test_an_adjective_of_nationality_names_its_country(sentence, codes):
    from claimcheck.draft.places import places_in

    assert [p.code for p in places_in(sentence)] == codes


def test_a_demonym_shared_by_two_sovereign_states_names_neither():
    from claimcheck.draft.places import places_in

    assert places_in("Congolese exports") == []  # the Republic of the Congo or the Democratic Republic of the Congo


def test_a_sentence_about_belgian_exports_is_drafted_against_that_country_s_exports():
    claims = _draft("Belgian merchandise exports rose 5 per cent in 2022.", date(2023, 8, 1))
    evidence = _evidence(claims["5 per cent"])
    assert evidence["snapshot"] == "merchandise_exports" and evidence["select"] == {"entity": "BEL"}
    assert evidence["compute"] == {"op": "growth", "period": "2022", "base_period": "2021"}
