"""A drafted claim whose measure, period or country is not matched with confidence keeps its quote,
value and unit, holds its guessed evidence only as context, and says what to confirm: it is judged
`unverifiable` (needs review), never decided from a guess; the claims notebook lists the least sure first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from claimcheck.draft.propose import draft_text, most_named
from claimcheck.draft.review import confidence_of, review_table
from claimcheck.judge.verdicts import judge
from claimcheck.registry.articles import Article
from claimcheck.registry.claims import Claim
from conftest import drafted

TEXTS = Path(__file__).parent / "draft_texts"


def _article():
    return Article("china-population-falls-2023-01-17", TEXTS / "china-population-falls-2023-01-17")


def test_every_drafted_claim_notes_the_confidence_of_its_guesses():
    claims = drafted("Brazil's gross domestic product grew 2.9% in 2022.", date(2023, 3, 1))
    confidence = confidence_of(claims["2.9%"]["draft"])
    assert confidence["measure"] == "high" and confidence["period"] == "high" and confidence["entity"] == "high"
    assert confidence["comparator"] == "medium"  # no hedge: rounded assumed


def test_a_figure_with_no_period_keeps_its_guess_only_as_context_and_is_unverifiable():
    text = "Brazil's exports reached $340 billion."
    fields = drafted(text, date(2024, 3, 14))["$340 billion"]
    assert fields["claimed"]["value"] == 340e9 and fields["claimed"]["unit"] == "USD"
    assert all(e["role"] == "context" for e in fields["evidence"])
    assert fields["reason"].startswith("needs review: confirm the period")
    verdict = judge(Claim.model_validate(fields), _article())
    assert verdict.verdict == "unverifiable"


def test_a_country_guessed_from_the_article_alone_is_not_decided():
    text = "Brazil's economy is large. Brazil's people are many. Exports rose 3.1% in 2023."
    fields = draft_text("t", text, date(2024, 3, 14), None, most_named(text)).claims[-1].fields
    assert "the entity" in fields["reason"] and all(e["role"] == "context" for e in fields["evidence"])


def test_the_review_table_lists_the_least_sure_first():
    text = "Brazil's exports reached $340 billion. Brazil's gross domestic product grew 2.9% in 2022."
    claims = [d.fields for d in draft_text("t", text, date(2023, 3, 1), None, most_named(text)).claims]
    table = review_table(list(reversed(claims)))
    assert list(table["least sure"]) == ["low", "medium"]
    assert "period low" in table.iloc[0]["confidence"]


def test_a_series_figure_with_no_country_named_is_not_decided():
    fields = drafted("The unemployment rate fell to 3.7 per cent in 2023.", date(2024, 2, 1))["3.7 per cent"]
    assert "the entity" in fields["reason"] and all(e["role"] == "context" for e in fields["evidence"])


def test_gdp_per_capita_is_read_with_its_per_and_a_source_of_emissions_is_another_measure():
    fields = drafted("Brazil's GDP per capita reached $8,900 in 2022.", date(2023, 8, 1))["$8,900"]
    assert fields["evidence"][0]["snapshot"] == "gdp_per_capita_current_usd" and "reason" not in fields
    coal = drafted("Brazil's emissions from coal rose 1.1% in 2023.", date(2024, 3, 1))["1.1%"]
    assert "from coal" in coal["reason"] and all(e["role"] == "context" for e in coal["evidence"])


def test_a_year_not_over_at_the_article_s_date_is_a_forecast():
    claims = drafted("Mexico's economy expanded 3.2% in 2023 and the central bank sees growth of 2.4% in 2024.",
                     date(2024, 2, 26))
    assert claims["3.2%"]["kind"] == "change" and claims["2.4%"]["kind"] == "forecast"


def test_a_document_sharing_few_words_and_no_name_is_only_a_guess():
    fields = drafted("The trade deficit widened to $78 billion in 2023.", date(2024, 2, 1))["$78 billion"]
    assert fields["evidence"][0]["kind"] == "document" and fields["evidence"][0]["role"] == "context"
    assert "needs review: confirm the measure" in fields["reason"]


def test_a_fiscal_year_is_not_read_as_a_calendar_year():
    fields = drafted("The Australian economy grew 1.9 per cent in 2018-19.", date(2019, 10, 25))["1.9 per cent"]
    assert "fiscal year" in fields["reason"] and all(e["role"] == "context" for e in fields.get("evidence", []))


def test_a_period_carried_from_the_sentence_before_is_a_guess_within_the_sentence_it_is_not():
    text = "Brazil's exports rose 4.1% in 2023. Imports fell 2.2%."
    claims = drafted(text, date(2024, 3, 1))
    assert "carried from the sentence before" in claims["2.2%"]["reason"]
    same = drafted("Brazil's exports rose 4.1% in 2023, while its imports fell 2.2%.", date(2024, 3, 1))["2.2%"]
    assert "period medium" in same["draft"][-1]


def test_the_year_before_attached_to_the_number_itself_is_its_period():
    kenya = drafted("Kenya's gross domestic product expanded by 4.8 percent in 2022 compared with 7.6 percent the "
                    "year before, the statistics office said.", date(2023, 5, 4))
    assert kenya["4.8 percent"]["claimed"]["period"] == "2022" and kenya["7.6 percent"]["claimed"]["period"] == "2021"
    shrank = drafted("Germany's economy shrank by 4.9 percent in 2020 as a result of the pandemic.", date(2024, 1, 15))
    assert shrank["4.9 percent"]["kind"] == "change" and shrank["4.9 percent"]["claimed"]["value"] == -4.9


def test_a_year_after_since_is_no_period_of_the_number():
    fields = drafted("Nigeria's inflation, in double digits since 2016, reached 17.33% in February.", date(2021, 3, 16))
    assert fields["17.33%"]["claimed"].get("period") != "2016"
    assert fields["17.33%"].get("reason")


def test_an_ordinal_the_parse_reads_as_a_place_is_a_rank_claim_for_review():
    fields = drafted("France slipped to seventh, behind India.", date(2024, 3, 1))["seventh"]
    assert fields["kind"] == "rank" and fields["claimed"]["value"] == 7.0 and "needs review" in fields["reason"]


def test_the_review_table_reads_the_registry_s_claims_as_the_notebook_passes_them():
    text = "Brazil's exports reached $340 billion. Brazil's gross domestic product grew 2.9% in 2022."
    claims = [Claim.model_validate(d.fields) for d in draft_text("t", text, date(2023, 3, 1), None, most_named(text)).claims]
    table = review_table(claims)
    assert len(table) == 2 and table.iloc[0]["least sure"] == "low"
    assert "guess, as context" in table.iloc[0]["evidence or reason"]
