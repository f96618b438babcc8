"""The draft reads each number's place in its sentence's structure (spaCy's parse): what it measures,
whose it is, the verb and what it makes of the number, and the period attached to that number; and it
reads the numbers the issue's texts misread ("US$41.3 billion", "$2.4T", "4.1 trillion reais",
"Monday (14)", "(8.7)", a forecast word elsewhere in the clause, "the fourth quarter", "a quarter")."""

from __future__ import annotations

from datetime import date

import pytest

from claimcheck.draft.propose import draft_text, most_named
from claimcheck.draft.structure import Structure
from conftest import drafted

TODAY = date(2024, 3, 14)


def _not_claims(text: str) -> dict[str, str]:
    return {n["text"]: n["reason"] for n in draft_text("t", text, TODAY, None, most_named(text)).not_claims}


def _read(sentence: str, mention: str):
    at = sentence.index(mention)
    return Structure(sentence, [(at, at + len(mention))]).read(at, at + len(mention))


def test_a_currency_code_before_the_symbol_is_no_name():
    claims = drafted("The deal, worth US$41.3 billion, was signed in 2023.", TODAY)
    assert claims["$41.3 billion"]["claimed"]["value"] == pytest.approx(41.3e9)
    assert claims["$41.3 billion"]["claimed"]["unit"] == "USD"


def test_a_scale_letter_written_against_the_number():
    claims = drafted("Its market value hit $2.4T in 2023.", TODAY)
    (claim,) = [c for c in claims.values()]
    assert claim["claimed"]["value"] == pytest.approx(2.4e12)


def test_a_currency_named_after_the_number():
    claims = drafted("Brazil's GDP reached 4.1 trillion reais in 2023.", TODAY)
    assert claims["4.1 trillion"]["claimed"]["unit"] == "BRL"


def test_a_day_of_the_month_and_a_bare_number_in_brackets_are_no_claims():
    text = "Shares fell on Monday (14) as inflation slowed to 4.2% (8.7) in February."
    reasons = _not_claims(text)
    assert any("14" in t for t in reasons) and any("8.7" in t for t in reasons)
    assert set(drafted(text, TODAY)) == {"4.2%"}


def test_a_forecast_word_makes_only_its_own_verb_a_forecast():
    claims = drafted("GDP grew 2.5% in 2023, and the central bank expects it to expand 1.8% in 2024.", TODAY)
    assert claims["2.5%"]["kind"] != "forecast"
    assert claims["1.8%"]["kind"] == "forecast"


def test_the_fourth_quarter_is_a_period_and_a_quarter_no_share():
    text = "GDP grew 1.2% in the fourth quarter, a strong quarter for exporters."
    claims = drafted(text, TODAY)
    assert set(claims) == {"1.2%"}
    assert claims["1.2%"]["kind"] != "rank"


def test_what_a_number_measures_is_its_verbs_subject_not_a_word_elsewhere():
    reading = _read("Brazil's gross domestic product grew 6.1% last year, helped by exports.", "6.1%")
    assert reading.measured == "gross domestic product"
    assert reading.owner == "Brazil"
    assert reading.role == "change"
    assert reading.period_words == "last year" and reading.grain == "annual"


def test_to_a_level_from_a_base_and_the_grain_of_the_period_attached():
    sentence = "Exports rose 7% to $3.9 trillion in December from $3.1 trillion a year earlier."
    assert _read(sentence, "7%").role == "change"
    level = _read(sentence, "$3.9 trillion")
    assert level.role == "to" and level.measured == "exports" and level.grain == "monthly"
    assert _read(sentence, "$3.1 trillion").role == "from"
    quarter = _read("GDP expanded 0.4% in the third quarter.", "0.4%")
    assert quarter.grain == "quarterly" and quarter.period_words == "the third quarter"


def test_a_rank_and_whose_it_is():
    reading = _read("France slipped to seventh, behind India.", "seventh")
    assert reading.owner == "France" and reading.role == "rank"


def test_a_forecast_noun_in_the_clause_leaves_a_past_figure_a_past_figure():
    claims = drafted("The central bank raised its growth forecast to 2.1% after GDP rose 1.5% in 2023.", TODAY)
    assert claims["1.5%"]["kind"] != "forecast"
    assert claims["2.1%"]["kind"] == "forecast"


def test_a_number_word_with_per_cent_is_a_percentage():
    claims = drafted("Indigenous Peoples accounted for five per cent of Canada's population in 2021.", TODAY)
    assert claims["five per cent"]["claimed"]["unit"] == "percent"
    assert claims["five per cent"]["claimed"]["value"] == 5.0


@pytest.mark.parametrize("sentence, mention", [
    ("The country ranks 14th in terms of world population.", "14th"),
    ("Egypt placed third on the continent behind Nigeria and Ethiopia.", "third"),
])
def test_an_ordinal_placed_by_its_verb_is_a_rank_claim(sentence, mention):
    assert drafted(sentence, TODAY)[mention]["kind"] == "rank"


def test_an_ordinal_of_a_run_or_a_period_is_no_rank():
    assert drafted("The economy grew for the third consecutive year in 2023.", TODAY).get("third") is None


def test_a_number_not_given_at_the_start_is_read_from_its_sentence_parsed_again():
    text = "Exports rose 7% in 2022. GDP grew 3.1% in March, and imports fell 2%."
    spans = {m: (text.index(m), text.index(m) + len(m)) for m in ("7%", "3.1%", "2%")}
    given_one = Structure(text, [spans["3.1%"]])
    assert given_one.read(*spans["2%"]) == _read(text, "2%")  # same sentence, asked later
    assert given_one.read(*spans["7%"]) is None  # a sentence never parsed: no reading, as before
    assert given_one.read(*spans["2%"]).role == "change"
