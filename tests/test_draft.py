"""`claimcheck draft`: values, units, comparators, periods and countries read from real sentences;
a drafted registry validates, covers every number and is judged; --merge keeps what a person wrote."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from claimcheck.cli import main
from claimcheck.draft import context
from claimcheck.draft.places import places_in
from claimcheck.draft.propose import draft_text, most_named
from claimcheck.draft.quantity import read_quantity
from claimcheck.registry.articles import load_article
from claimcheck.registry.claims import load_claims
from claimcheck.registry.coverage import find_uncovered
from conftest import drop_claims

TEXTS = Path(__file__).parent / "draft_texts"
SEED = "china-belgium-ties-2023-02-26"


def _quantity(text: str, mention: str):
    at = text.index(mention)
    return read_quantity(text, at, at + len(mention))


@pytest.mark.parametrize("sentence, mention, value, unit, precision", [
    ("bilateral trade exceeded $28.7 billion which amounts", "$28.7 billion", 28.7e9, "USD", 0.1e9),
    ("The country had 1.41175 billion people at at the end of 2022", "1.41175 billion", 1.41175e9, "people", 1e4),
    ("swelled to a record USD 877.6 billion in 2022", "877.6 billion", 877.6e9, "USD", 0.1e9),
    ("decelerating from 2021's explosive 29.9per cent gain", "29.9per cent", 29.9, "percent", 0.1),
    ("amounted to 591.48 trillion yen (some $4.21 trillion", "591.48 trillion", 591.48e12, "JPY", 0.01e12),
    ("will rise to a record 36 billion\ntonnes this year", "36 billion", 36e9, "tonnes", 1e9),
    ("diplomatic relations between Belgium and China over five decades ago", "five decades", 50, "years", 10),
    ("between the world’s second largest economy and", "second largest", 2, "rank", 1),
    ("overtaking the UK and France in 2019 to take the fifth spot", "fifth", 5, "rank", 1),
    ("Germany's GDP growth to 0.3% from 0.6% in 2024", "0.3%", 0.3, "percent", 0.1),
])
def test_value_unit_and_precision_from_real_sentences(sentence, mention, value, unit, precision):
    q = _quantity(sentence, mention)
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.precision == pytest.approx(precision)


def test_a_fraction_word_is_a_share_and_an_ordinal_with_place_a_rank():
    assert _quantity("accounting for a fifth of world output", "fifth").value == pytest.approx(20.0)
    assert _quantity("a fifth of world output", "fifth").unit == "percent"
    assert _quantity("India was ranked in 11th place", "11th").unit == "rank"


def test_years_decades_and_non_quantities():
    assert _quantity("The relationship which dates back to 1971", "1971").value == "1971"
    assert _quantity("grew significantly in the 1980s", "1980s").unit == "decade"
    assert _quantity("26th Feb, 2023. 09:20 am", "09:20").shape == "none"


@pytest.mark.parametrize("sentence, mention, shape, comparator", [
    ("bilateral trade exceeded $28.7 billion", "$28.7 billion", "money", "exceeds"),
    ("two-way investments exceeding $230 billion", "$230 billion", "money", "exceeds"),
    ("between Belgium and China over five decades ago", "five decades", "duration", "min_duration"),
    ("which is to ensure carbon neutrality by 2060", "2060", "year", "by"),
    ("officials from almost 200\nnations are gathered", "200", "number", "at_most"),
    ("591.48 trillion yen (some $4.21 trillion", "$4.21 trillion", "money", "about"),
    ("a year-on-year increase of 14.3 per cent", "14.3 per cent", "percent", "rounded"),
    ("grew significantly in the 1980s", "1980s", "decade", "within_decade"),
])
def test_comparator_from_the_hedge(sentence, mention, shape, comparator):
    span = context.Span(0, len(sentence))
    assert context.hedge(sentence, span, sentence.index(mention), shape)[0] == comparator


def _claims(text: str, today: date, dateline: str | None = None):
    return {c.quantity.text: c.fields for c in draft_text("t", text, today, dateline, most_named(text)).claims}


def test_periods_explicit_relative_and_carried():
    seed = (TEXTS.parent.parent / "data/articles" / SEED / "article.txt").read_text(encoding="utf-8")
    claims = _claims(seed, date(2023, 2, 26), "26th Feb, 2023. 09:20 am")
    assert claims["$28.7 billion"]["claimed"]["period"] == "2022-01/2022-08"
    assert claims["14.3 per cent"]["claimed"]["period"] == "2022-01/2022-08"  # the clause before, same sentence
    assert claims["48 per cent"]["claimed"]["period"] == "2022"  # "In 2022, ... 48 per cent from 29 per cent in 2021"
    assert claims["29 per cent"]["claimed"]["period"] == "2021"
    assert claims["second largest"]["claimed"]["period"] == "2021"  # latest annual figures out by Feb 2023
    trade = (TEXTS / "china-trade-surplus-2023-01-13" / "article.txt").read_text(encoding="utf-8")
    claims = _claims(trade, date(2023, 1, 13))
    assert claims["3.95 trillion"]["claimed"]["period"] == "2022"  # carried from the sentence before
    assert claims["30.1 per cent"]["claimed"]["period"] == "2021"  # "the previous year's"
    assert claims["29.9per cent"]["claimed"]["period"] == "2021"  # "2021's explosive ... gain"
    population = (TEXTS / "china-population-falls-2023-01-17" / "article.txt").read_text(encoding="utf-8")
    claims = _claims(population, date(2023, 1, 17))
    assert claims["1.41175 billion"]["claimed"]["period"] == "2022"
    assert claims["1.41260 billion"]["claimed"]["period"] == "2021"  # "a year earlier"
    assert context.relative_period("China's population fell last year", date(2023, 1, 17), None)[0] == "2022"


def test_change_since_a_base_year():
    text = "Its 2013 estimate represents a 2.1 percent gain versus 2012"
    at = text.index("2.1 percent") + len("2.1 percent")
    assert context.explicit_period(text, at) == ("2013", "2012", context.explicit_period(text, at)[2])


@pytest.mark.parametrize("sentence, codes", [
    ("India emerged as the world's fifth largest economy by overtaking the UK and France in 2019", ["IND", "GBR", "FRA"]),
    ("train linkages being established with nearby countries such as Tilburg in the Netherlands, Lyon in France and Duisburg in Germany", ["NLD", "FRA", "DEU"]),
    ("The Japanese news agency Kyodo reported that Germany's nominal GDP in 2023 amounted to $4.46 trillion", ["JPN", "DEU"]),
    ("The country had 1.41175 billion people at at the end of 2022, compared with 1.41260 billion a year earlier, China's National Bureau of Statistics said", ["CHN"]),
    ("officials from almost 200 nations are gathered in Warsaw, Poland", ["POL"]),
])
def test_countries_named_as_iso3(sentence, codes):
    assert [p.code for p in places_in(sentence)] == codes


def test_forecasts_by_tense_and_by_date():
    claims = _claims("Exports will exceed 10 per cent. The terminal is projected to create a further 100 in 2023.", date(2023, 2, 26))
    assert claims["10 per cent"]["kind"] == "forecast" and "will" in claims["10 per cent"]["reason"]
    assert claims["100"]["kind"] == "forecast"


def _new_article(data: Path, name: str) -> str:
    target = data / "articles" / name
    shutil.copytree(TEXTS / name, target, ignore=shutil.ignore_patterns("expected.yaml"))
    return name


def test_a_drafted_registry_validates_covers_every_number_and_is_judged(data_copy, capsys):
    from claimcheck.judge.verdicts import judge_all
    from claimcheck.reference.crosscheck import evidence_problems

    article_id = _new_article(data_copy, "china-trade-surplus-2023-01-13")
    assert main(["draft", "--article", article_id, "--write"]) == 0
    folder = data_copy / "articles" / article_id
    assert not (folder / "claims.yaml").exists()  # a draft never becomes the registry by itself
    (folder / "claims.draft.yaml").rename(folder / "claims.yaml")
    article = load_article(article_id)
    assert len(article.claims) >= 8 and all(c.draft for c in article.claims)
    assert find_uncovered(article) == []
    assert evidence_problems(article) == []  # every source, snapshot and column it names exists
    verdicts = judge_all(article)
    assert len(verdicts) == len(article.claims)
    assert {v.verdict for v in verdicts} <= {"supported", "imprecise", "contradicted", "misleading", "unverifiable",
                                              "not-checkable", "not-held", "error"}


def test_merge_keeps_every_reviewed_line_and_adds_only_uncovered_numbers(data_copy, capsys):
    folder = data_copy / "articles" / SEED
    text = (folder / "article.txt").read_text(encoding="utf-8")
    original = (folder / "claims.yaml").read_text(encoding="utf-8")
    assert main(["draft", "--article", SEED, "--merge"]) == 0
    assert capsys.readouterr().out == original  # every number is covered: nothing to add, nothing changed

    # a registry a person started: a comment, one claim and a not-claim; the rest must be drafted
    partial = (
        "# reviewed by hand: keep this comment\n"
        f"article: {SEED}\n"
        "claims:\n"
        "  - id: trade-total  # the headline figure\n"
        "    quote: \"bilateral trade exceeded $28.7 billion\"\n"
        "    kind: amount\n"
        "    statement: \"Trade exceeded US$28.7 billion.\"\n"
        "    claimed: {value: 28.7e+9, unit: USD, comparator: exceeds, period: \"2022-01/2022-08\"}\n"
        "    reason: \"checked by hand\"\n"
        "not_claims:\n"
        "  - text: \"26th Feb, 2023. 09:20 am\"\n"
        "    reason: \"dateline\"\n"
    )
    (folder / "claims.yaml").write_text(partial, encoding="utf-8")
    assert main(["draft", "--article", SEED, "--merge", "--write"]) == 0
    merged = (folder / "claims.draft.yaml").read_text(encoding="utf-8")
    assert merged.startswith(partial.split("not_claims:")[0])  # the person's lines, comments included, first and unchanged
    assert "  - text: \"26th Feb, 2023. 09:20 am\"\n    reason: \"dateline\"\n" in merged
    assert (folder / "claims.yaml").read_text(encoding="utf-8") == partial  # the reviewed file is untouched
    claims, _ = load_claims(folder / "claims.draft.yaml", text, SEED)
    ids = [c.id for c in claims]
    assert ids[0] == "trade-total" and len(ids) == len(set(ids)) > 10
    assert sum("$28.7 billion" in c.quote for c in claims) == 1  # the covered number is not drafted again
    (folder / "claims.yaml").write_text(merged, encoding="utf-8")
    assert find_uncovered(load_article(SEED)) == []


def test_merge_refuses_a_broken_registry_with_one_line(data_copy, capsys):
    folder = data_copy / "articles" / SEED
    (folder / "claims.yaml").write_text(f"article: {SEED}\nclaims:\n  - id: x\n    quote: nowhere\n", encoding="utf-8")
    assert main(["draft", "--article", SEED, "--merge"]) == 2
    assert "claims.yaml" in capsys.readouterr().err


def test_evidence_is_the_catalogue_entry_the_sentence_names_with_the_shape_s_compute():
    seed = (TEXTS.parent.parent / "data/articles" / SEED / "article.txt").read_text(encoding="utf-8")
    claims = _claims(seed, date(2023, 2, 26), "26th Feb, 2023. 09:20 am")
    rank = claims["second largest"]["evidence"][0]
    assert (rank["source"], rank["snapshot"]) == ("worldbank", "gdp_current_usd")  # "economy" is GDP
    assert rank["compute"] == {"op": "rank", "entity": "CHN", "period": "2021"}
    total = claims["$28.7 billion"]["evidence"][0]  # "bilateral trade": a monthly series of the two countries
    assert total["select"] == {"entity": "CHN", "partner": "BEL"} and total["compute"]["op"] == "sum"
    assert claims["14.3 per cent"]["evidence"][0]["compute"] == {"op": "yoy_change", "period": "2022-01/2022-08"}
    assert claims["2060"]["evidence"][0]["snapshot"] == "net_zero_targets"  # "carbon neutrality by 2060"
    assert "no catalogue entry matches; looked for:" in claims["360"]["reason"]
    assert "job" in claims["360"]["reason"]


def test_a_drafted_article_runs_through_claimcheck_run(data_copy, tmp_path, monkeypatch, capsys):
    import json

    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    article_id = _new_article(data_copy, "india-fifth-largest-economy-2020-02-18")
    folder = data_copy / "articles" / article_id
    assert main(["draft", "--article", article_id, "--write"]) == 0
    (folder / "claims.draft.yaml").rename(folder / "claims.yaml")
    assert main(["run", "--article", article_id]) in (0, 1)  # 1: some verdict is an error
    assert not (tmp_path / "build" / article_id).exists()  # unreviewed: a preview, not published
    rows = json.loads((tmp_path / "build" / ".preview" / article_id / "verdicts.json").read_text(encoding="utf-8"))
    assert len(rows) == len(load_article(article_id).claims)
    ranks = [r for r in rows if r["claim_id"].startswith("fifth-largest-2019")]
    # judged on World Bank GDP, 2019: decided by the data (a compound of the rank and the overtakings)
    assert ranks and ranks[0]["verdict"] in {"supported", "imprecise", "misleading", "contradicted"}


def test_the_claims_notebook_table_lists_each_unregistered_number_with_its_drafted_claim(data_copy):
    from claimcheck.draft.review import unregistered_table

    assert unregistered_table(load_article(SEED)).empty  # the seed registry covers every number
    folder = data_copy / "articles" / SEED
    drop_claims(folder / "claims.yaml", "china-second-largest-economy", "eu-most-continental-bloc")
    table = unregistered_table(load_article(SEED))
    assert table["number"].tolist() == ["second largest"]
    row = table.iloc[0]
    assert row["kind"] == "rank" and row["claimed"] == "rank 2 rank, 2021"
    # no period written (the latest annual figures assumed) and no country in the sentence (China, the
    # article's most named): guesses kept as context for review
    assert row["evidence or reason"].startswith("needs review: confirm the period")
    assert "the entity (no country in the sentence" in row["evidence or reason"]
    assert row["evidence or reason"].endswith("(guess, as context: worldbank/gdp_current_usd: rank)")
    assert row["confidence"] == "low"
