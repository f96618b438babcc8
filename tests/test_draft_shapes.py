"""`claimcheck draft` on the shapes the claim language has: units as the catalogue writes them,
demonyms, series operations, compound claims and document evidence. Sentences are from real texts
(tests/draft_texts/ and the seed article) or shaped like them."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import drafted, drop_claims


def _draft(text: str, today: date = date(2024, 2, 15)):
    return drafted(text, today)


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
                    "Germany was the world's third-biggest economy in 2023.")
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


# ---------------------------------------------------------------- series operations and compound claims


def _parts(fields: dict) -> list[dict]:
    assert "parts" in fields and "claimed" not in fields and "evidence" not in fields
    return fields["parts"]


def test_overtaking_as_the_nth_largest_is_a_rank_and_a_crossing():
    claims = _draft("Germany has overtaken Japan as the world's third-biggest economy in terms of nominal gross "
                    "domestic product (GDP) in dollar terms in 2023, the Japanese cabinet's data showed on Thursday.")
    rank, crossing = _parts(claims["third-biggest"])
    assert rank["claimed"] == {"value": 3.0, "unit": "rank", "comparator": "rank", "period": "2023"}
    assert _evidence(rank)["compute"] == {"op": "rank", "entity": "DEU", "period": "2023"}
    assert crossing["claimed"] == {"value": "2023", "unit": "date", "comparator": "equals"}
    assert _evidence(crossing)["snapshot"] == "gdp_current_usd"
    assert _evidence(crossing)["compute"] == {"op": "crossing", "entity": "DEU", "other": "JPN", "period": "2023"}
    assert any("overtaken" in note for note in claims["third-biggest"]["draft"])


def test_overtaking_two_countries_is_a_crossing_for_each():
    claims = _draft("India emerged as the world's fifth largest economy by overtaking the UK and France in 2019, says a report.",
                    date(2020, 2, 18))
    parts = _parts(claims["fifth largest"])
    assert [_evidence(p)["compute"]["op"] for p in parts] == ["rank", "crossing", "crossing"]
    assert [_evidence(p)["compute"].get("other") for p in parts[1:]] == ["GBR", "FRA"]


def test_an_overtaking_with_no_period_written_is_read_as_by_the_latest_figures():
    claims = _draft("India becomes 5th largest economy, overtakes UK, France", date(2020, 2, 18))
    crossing = _parts(claims["5th"])[1]
    assert crossing["claimed"] == {"value": "2018", "unit": "date", "comparator": "by"}


def test_a_record_amount_is_the_amount_and_the_highest_period_of_its_series():
    claims = _draft("India's merchandise exports reached a record $453 billion in 2022.", date(2023, 8, 1))
    value, record = _parts(claims["$453 billion"])
    assert _evidence(value)["compute"] == {"op": "value", "period": "2022"}
    assert record["claimed"] == {"value": 1.0, "unit": "rank", "comparator": "rank"}
    assert _evidence(record)["compute"] == {"op": "period_rank", "entity": "IND", "period": "2022"}
    assert _evidence(record)["snapshot"] == "merchandise_exports"


def test_the_second_highest_on_record_ranks_the_period_not_the_country():
    claims = _draft("Germany's consumer price inflation in 2022 was the second-highest on record.", date(2023, 8, 1))
    fields = claims["second"]
    assert fields["claimed"]["value"] == 2.0
    assert _evidence(fields)["compute"] == {"op": "period_rank", "entity": "DEU", "period": "2022"}
    assert _evidence(fields)["snapshot"] == "inflation_cpi"


def test_the_highest_since_a_year_is_first_since():
    claims = _draft("Consumer price inflation in the United States reached 8 per cent in 2022, the highest since 1981.",
                    date(2023, 8, 1))
    fields = claims["1981"]
    assert fields["claimed"] == {"value": "1981", "unit": "date", "comparator": "equals"}
    assert _evidence(fields)["compute"] == {"op": "first_since", "entity": "USA", "period": "2022"}
    lowest = _draft("Unemployment in Japan fell to 2.4 per cent in 2018, the lowest since 1992.", date(2019, 8, 1))["1992"]
    assert _evidence(lowest)["compute"] == {"op": "first_since", "entity": "JPN", "period": "2018", "direction": "below"}


def test_throughout_a_decade_applies_the_check_to_every_year():
    claims = _draft("The United States remained the largest economy in the world throughout the 2010s.", date(2021, 8, 1))
    fields = claims["2010s"]
    assert fields["kind"] == "rank" and fields["claimed"] == {"value": 1.0, "unit": "rank", "comparator": "rank"}
    assert _evidence(fields)["compute"] == {"op": "throughout", "each": "rank", "entity": "USA", "period": "2010/2019"}
    below = _draft("Inflation in Japan stayed below 3 per cent throughout the 2010s.", date(2021, 8, 1))["3 per cent"]
    assert below["claimed"]["comparator"] == "at_most"
    assert _evidence(below)["compute"] == {"op": "throughout", "each": "value", "period": "2010/2019"}
    assert _evidence(below)["select"] == {"entity": "JPN"}


def test_twice_as_large_as_is_a_ratio_of_two_countries():
    claims = _draft("China's economy was almost three times as large as Japan's in 2021.", date(2022, 8, 1))
    fields = claims["three times"]
    assert fields["claimed"]["unit"] == "times" and fields["claimed"]["comparator"] == "at_most"
    assert _evidence(fields)["compute"] == {"op": "ratio", "entity": "CHN", "other": "JPN", "period": "2021"}
    assert _evidence(fields)["snapshot"] == "gdp_current_usd"
    twice = _draft("India's population in 2021 was twice as large as that of the European Union.", date(2022, 8, 1))
    assert twice["twice"]["claimed"]["value"] == 2.0 and twice["twice"]["claimed"]["unit"] == "times"


def test_rose_by_a_rate_to_an_amount_is_one_claim_in_two_parts():
    claims = _draft("India's merchandise exports rose 40 per cent to $395 billion in 2021.", date(2022, 8, 1))
    fields = claims["40 per cent"]
    assert claims["$395 billion"] is fields  # one claim covers both numbers
    growth, amount = _parts(fields)
    assert _evidence(growth)["compute"] == {"op": "growth", "period": "2021", "base_period": "2020"}
    assert amount["claimed"]["value"] == pytest.approx(395e9)
    assert _evidence(amount)["compute"] == {"op": "value", "period": "2021"}
    assert len({p["id"] for p in (growth, amount)}) == 2


def test_a_clause_naming_no_country_takes_the_one_named_nearest_before_it_in_the_sentence():
    claims = _draft("There exist significant opportunities for Dutch companies to invest in India as well given India’s "
                    "stance on carbon emissions, which is to ensure net zero by 2070.", date(2023, 2, 26))
    assert _evidence(claims["2070"])["select"] == {"entity": "IND", "measure": "target_year"}


# ---------------------------------------------------------------- document evidence

SEED = "china-belgium-ties-2023-02-26"


def _seed_draft():
    from claimcheck.draft.propose import draft_article
    from claimcheck.registry.articles import load_article

    article = load_article(SEED)
    return article, draft_article(article)


def test_a_figure_no_catalogue_entry_holds_is_drafted_against_the_document_that_states_it():
    _, draft = _seed_draft()
    claims = {q.text: d.fields for d in draft.claims for q in d.quantities}
    for mention, period in (("48 per cent", "2022"), ("29 per cent", "2021")):
        evidence = _evidence(claims[mention])
        assert evidence["kind"] == "document" and evidence["period"] == period
        assert evidence["document"] == "nedopil-bri-report-2022-investment-share"
        assert evidence["measures"] == ["bri_investment_share_of_engagement"]
        note = next(n for n in claims[mention]["draft"] if n.startswith("evidence document"))
        assert "Look for “Investments as a share of BRI engagement reached record levels at 48%" in note
        assert claims[mention]["family"] == "documented"


def test_a_document_is_preferred_when_the_sentence_names_what_no_catalogue_entry_knows():
    _, draft = _seed_draft()
    claims = {q.text: d.fields for d in draft.claims for q in d.quantities}
    trade = claims["$11 trillion"]  # "trade in goods between countries along the BRI route and China"
    assert _evidence(trade)["kind"] == "document" and _evidence(trade)["measures"] == ["china_bri_goods_trade"]
    assert any("preferred to the catalogue entry" in n and "bri" in n for n in trade["draft"])


def test_a_duration_is_measured_from_the_date_a_document_states():
    _, draft = _seed_draft()
    claims = {q.text: d.fields for d in draft.claims for q in d.quantities}
    evidence = _evidence(claims["five decades"])
    assert evidence["kind"] == "document"
    assert evidence["compute"] == {"op": "years_between", "start": "diplomatic_relations_established", "end": "article"}


def test_a_drafted_seed_registry_with_document_evidence_validates_names_only_known_documents_and_is_judged(data_copy):
    from claimcheck.cli import main
    from claimcheck.judge.verdicts import judge_all
    from claimcheck.reference.crosscheck import evidence_problems
    from claimcheck.registry.articles import load_article

    folder = data_copy / "articles" / SEED
    assert main(["draft", "--article", SEED, "--write"]) == 0
    (folder / "claims.draft.yaml").replace(folder / "claims.yaml")
    article = load_article(SEED)
    assert evidence_problems(article) == []  # every document and measure it names exists
    verdicts = {v.claim_id: v.verdict for v in judge_all(article)}
    assert verdicts[next(c.id for c in article.claims if c.id.startswith("48-per-cent"))] == "supported"
    assert verdicts[next(c.id for c in article.claims if "five decades" in c.quote)] == "supported"


def test_a_surplus_is_no_export_figure_and_a_rate_is_read_with_the_words_leading_to_it():
    claims = _draft("China's trade surplus swelled to a record USD 877.6 billion in 2022 as exports rose 7 per cent "
                    "despite weakening US and European demand.", date(2023, 1, 13))
    surplus = claims["877.6 billion"]
    assert "evidence" not in surplus and "parts" not in surplus and surplus["reason"].startswith("no catalogue entry matches")
    exports = _evidence(claims["7 per cent"])
    assert exports["snapshot"] == "merchandise_exports" and exports["select"] == {"entity": "CHN"}
    assert exports["compute"] == {"op": "growth", "period": "2022", "base_period": "2021"}


def test_the_claims_notebook_table_shows_drafted_document_evidence_and_claims_in_parts(data_copy):
    from claimcheck.draft.review import unregistered_table
    from claimcheck.registry.articles import load_article

    folder = data_copy / "articles" / SEED
    drop_claims(folder / "claims.yaml", "bri-investment-share-2022", "bri-goods-trade-11-trillion")
    table = unregistered_table(load_article(SEED))
    rows = table.set_index("number")
    assert {"48 per cent", "29 per cent"} <= set(rows.index)
    assert rows.loc["48 per cent", "evidence or reason"] == (
        "document nedopil-bri-report-2022-investment-share: bri_investment_share_of_engagement (2022)")


def test_the_table_text_of_a_claim_in_parts_lists_each_part():
    from claimcheck.draft.review import claimed_text, evidence_text

    fields = _draft("India emerged as the world's fifth largest economy by overtaking the UK and France in 2019, says a report.",
                    date(2020, 2, 18))["fifth largest"]
    assert claimed_text(fields) == "rank 5 rank, 2019; equals 2019 date; equals 2019 date"
    assert evidence_text(fields) == ("worldbank/gdp_current_usd: rank; worldbank/gdp_current_usd: crossing; "
                                     "worldbank/gdp_current_usd: crossing")


def test_a_future_tense_governs_the_number_it_leads_to_not_a_later_one_of_the_clause():
    claims = _draft("Global carbon dioxide emissions from burning fossil fuels will rise to a record 36 billion\n"
                    "tonnes this year, a report by 49 researchers from 10 countries said.", date(2013, 11, 19))
    assert claims["36 billion"]["kind"] == "forecast"
    assert claims["49"]["kind"] == "count" and claims["10"]["kind"] == "count"


def test_a_drafted_claim_reads_as_a_plain_line_and_its_evidence_names_the_publisher():
    """The statement is what a reader sees on the site: whose, what, the figure as written, when; the
    label is what a verdict's sentence reads "According to …"."""
    claims = _draft("India now has 1428.6 million people. In 2021 China was the world's second most populous country.",
                    date(2023, 4, 19))
    population = claims["1428.6 million"]
    assert population["statement"] == "India, population: 1428.6 million (2023)."
    assert _evidence(population)["label"] == "World Bank World Development Indicators, population of India"
    assert claims["second"]["statement"] == "China ranks second by population (2021)."
