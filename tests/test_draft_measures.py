"""Measures are matched through the catalogue's data: each entry's `names:`, `grain:`, `shape:` and
`rankable:`; the measured noun phrase of the parse decides, a word elsewhere in the sentence does not;
a monthly or quarterly figure never takes an annual series; no measure vocabulary lives in src/."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from claimcheck.reference import catalogue
from conftest import drafted

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2024, 3, 14)


def _snapshot(fields: dict) -> str | None:
    evidence = fields.get("evidence") or (fields.get("parts") or [{}])[0].get("evidence") or []
    return evidence[0].get("snapshot") if evidence else None


def test_the_number_s_own_subject_names_the_measure_not_a_word_elsewhere():
    claims = drafted("Brazil's gross domestic product grew 6.1% in 2023, helped by exports.", TODAY)
    assert _snapshot(claims["6.1%"]) == "gdp_growth"
    assert claims["6.1%"]["evidence"][0]["select"] == {"entity": "BRA"}


def test_a_measure_no_entry_names_abstains_with_what_to_confirm():
    claims = drafted("Brazil's retail sales rose 4.2% in 2023, after GDP grew 2.9% in 2022.", TODAY)
    assert "evidence" not in claims["4.2%"]
    assert "retail sales" in claims["4.2%"]["reason"] and "needs review" in claims["4.2%"]["reason"]
    assert _snapshot(claims["2.9%"]) == "gdp_growth"


def test_a_monthly_or_quarterly_figure_never_takes_an_annual_series():
    claims = drafted("Brazil's exports rose 5.1% in December from a year earlier.", TODAY)
    assert "evidence" not in claims["5.1%"] and "monthly" in claims["5.1%"]["reason"]
    claims = drafted("Brazil's economy grew 0.4% in the third quarter.", TODAY)
    assert "evidence" not in claims["0.4%"] and "quarterly" in claims["0.4%"]["reason"]


def test_a_ratio_to_gdp_is_no_gdp_figure():
    claims = drafted("Brazil's ratio of investment to GDP was 17% in 2023.", TODAY)
    assert "evidence" not in claims["17%"]


def test_every_world_bank_entry_declares_names_grain_and_shape():
    entries = [e for e in catalogue.load_catalogue().entries() if e.source == "worldbank"]
    assert entries and all(e.names and e.grain == "annual" and e.shape for e in entries)


def test_a_grain_outside_the_list_is_one_line_naming_the_file_entry_and_field(tmp_path):
    bad = {"title": "T", "unit": "USD", "for": "F", "grain": "weekly", "licence": "CC0"}
    with pytest.raises(catalogue.CatalogueError, match=r"entry x, field grain: 'weekly' is not one of annual, quarterly, monthly"):
        catalogue._entry(tmp_path / "s.yaml", "worldbank", "x", bad, {}, None)


def test_no_measure_vocabulary_in_the_drafting_code():
    words = set((ROOT / "data" / "reference" / "draft_words.yaml").read_text(encoding="utf-8").split())
    assert "economy:" in words and "holdings:" in words
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "claimcheck" / "draft").glob("*.py"))
    assert "SYNONYMS" not in code and "HOLDINGS" not in code
    assert not re.search(r"[\"'](?:economy|shipments|jobless|emitter)[\"']\s*:", code)
    assert not re.search(r"(?:emissions|gdp|population|exports)\|", code, re.I)  # no alternation of measure words


def test_a_name_with_words_that_make_another_measure_is_a_guess_not_a_match():
    claims = drafted("Brazil's house prices rose 6.5% in 2023.", TODAY)
    assert all(e["role"] == "context" for e in claims["6.5%"].get("evidence", []))
    assert "needs review" in claims["6.5%"]["reason"] and "house" in claims["6.5%"]["reason"]
    sure = drafted("Brazil's full-year exports fell 1.5% in 2023.", TODAY)["1.5%"]
    assert _snapshot(sure) == "merchandise_exports" and "reason" not in sure


def test_a_flow_to_a_named_country_takes_no_total_series():
    claims = drafted("Brazil's exports to Argentina fell 13% in 2023.", TODAY)
    assert "evidence" not in claims["13%"] and "Argentina" in claims["13%"]["reason"]


def test_exports_of_goods_and_services_are_no_merchandise_exports():
    fields = drafted("Greece's exports of goods and services rose 36.6% in 2022.", TODAY)["36.6%"]
    assert "services" in fields["reason"] and all(e["role"] == "context" for e in fields.get("evidence", []))


def _draft_with_words(data_copy, capsys, content: bytes) -> str:
    """What `claimcheck draft` says on stderr, exiting 2, with ``content`` as draft_words.yaml."""
    from claimcheck.cli import main
    from claimcheck.draft.evidence import prose_words

    (data_copy / "reference" / "draft_words.yaml").write_bytes(content)
    prose_words.cache_clear()
    try:
        assert main(["draft", "--article", "china-belgium-ties-2023-02-26"]) == 2
    finally:
        prose_words.cache_clear()
    return capsys.readouterr().err.strip()


def test_a_broken_words_file_is_one_line_naming_the_file_and_field(data_copy, capsys):
    err = _draft_with_words(data_copy, capsys, b"synonyms: [economy, gdp]\n")
    assert err.endswith("draft_words.yaml, field synonyms: expected a mapping") and "\n" not in err


def test_a_series_news_often_states_on_another_definition_is_a_guess_to_confirm():
    fields = drafted("Argentina's annual inflation reached 94.8% in 2022.", TODAY)["94.8%"]
    assert fields["evidence"][0]["snapshot"] == "inflation_cpi" and fields["evidence"][0]["role"] == "context"
    assert "December on December" in fields["reason"]


@pytest.mark.parametrize("field, bad, said", [
    ("per_person", "per_person: {of: CO2}", "field per_person.of: expected a list of words"),
    ("whole_words", "whole_words: [[net, zero]]", "field whole_words: expected a list of words"),
    ("unit_words", "unit_words: {tonnes_per_person: capita}", "field unit_words.tonnes_per_person: expected a list of words"),
    ("country_nouns", "country_nouns: economy", "field country_nouns: expected a list"),
])
def test_a_new_words_field_of_the_wrong_shape_is_one_line_naming_the_file_and_field(data_copy, field, bad, said):
    from claimcheck.draft.evidence import DraftDataError, prose_words

    path = data_copy / "reference" / "draft_words.yaml"
    kept = [line for line in path.read_text(encoding="utf-8").split("\n")]
    start = next(i for i, line in enumerate(kept) if line.startswith(f"{field}:"))
    end = next(i for i in range(start + 1, len(kept)) if kept[i] and not kept[i].startswith(" "))
    path.write_text("\n".join([*kept[:start], bad, *kept[end:]]), encoding="utf-8")
    prose_words.cache_clear()
    try:
        with pytest.raises(DraftDataError, match=rf"draft_words\.yaml, {re.escape(said)}"):
            prose_words()
    finally:
        prose_words.cache_clear()


def test_the_words_of_a_figure_per_person_and_of_one_word_written_two_ways_are_data(data_copy):
    from claimcheck.draft.evidence import prose_words, words
    from claimcheck.draft.quantity import read_quantity

    def unit(text: str) -> str | None:
        return read_quantity(text, 0, text.index(" ")).unit

    assert "net-zero" in words("a net zero target") and "net-zero" in words("a net-zero target")
    assert unit("7.5 tonnes of CO2 per capita") == "tonnes_per_person" and unit("7.5 tonnes of steel per capita") == "tonnes"
    path = data_copy / "reference" / "draft_words.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  [net-zero]\n", "  [net-zero, cross-border]\n")
                    .replace("of: [CO2, carbon dioxide, carbon]", "of: [CO2, carbon dioxide, carbon, steel]"), encoding="utf-8")
    prose_words.cache_clear()
    try:
        assert "cross-border" in words("cross border trade") and "border" not in words("cross-border trade")
        assert unit("7.5 tonnes of steel per capita") == "tonnes_per_person"
    finally:
        prose_words.cache_clear()


@pytest.mark.parametrize("content, says", [
    (b"synonyms: {gdp: [\n", "draft_words.yaml: not valid YAML (line "),
    (b"synonyms: {\xe9conomie: gdp}\n", "draft_words.yaml: not UTF-8 text (offset 11)"),
])
def test_a_words_file_that_does_not_read_is_one_line_naming_the_file(data_copy, capsys, content, says):
    err = _draft_with_words(data_copy, capsys, content)
    assert says in err and "\n" not in err and "Traceback" not in err
