"""The draft's look-ups give what a plain scan gives: names held through the first-word index, the
world total through the catalogue's names, places and groups cached per piece of text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.draft import measures
from claimcheck.draft.aggregates import aggregate_in
from claimcheck.draft.places import places_in
from claimcheck.draft.regions import group_named


def _scan(words: tuple[str, ...]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every (entry, name) the words hold, by scanning each name of each entry in catalogue order."""
    return [(e.source, e.name, name) for e in measures.named_entries() for name in e.names
            if name and any(words[i : i + len(name)] == name for i in range(len(words) - len(name) + 1))]


def _indexed(words: tuple[str, ...]) -> list[tuple[str, str, tuple[str, ...]]]:
    entries = measures.named_entries()
    return [(entries[e].source, entries[e].name, name) for e, names in measures._names_held(words).items() for name in names]


_VOCABULARY = sorted({w for e in measures.named_entries() for n in e.names for w in n})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_VOCABULARY + ["the", "of", "rose", "world"]), max_size=12))
def test_the_first_word_index_finds_what_a_scan_of_every_name_finds_in_the_same_order(words):
    assert _indexed(tuple(words)) == _scan(tuple(words))


@pytest.mark.parametrize("text, written", [
    ("World GDP grew 3% in 2023.", "World GDP"),
    ("world gross domestic product fell 3%", "world gross domestic product"),
    ("World growth slowed to 2.9%", "World growth"),
    ("the world population reached 8 billion", "world population"),
    ("world  exports rose 4%", "world  exports"),
    ("Global emissions rose 1%.", "Global"),
    ("Sales worldwide rose 1%.", "worldwide"),
])
def test_world_before_a_measure_the_catalogue_names_is_the_world_total(text, written):
    place = aggregate_in(text)
    assert place is not None and place.code == "@world" and place.text == written
    assert text[place.start : place.start + len(written)] == written


@pytest.mark.parametrize("text", [
    "the world's second-largest economy grew 5%",
    "the world's largest exporter",
    "in the world, exports rose",
    "World Bank data show a rise of 2%",
])
def test_world_describing_a_country_or_an_institution_is_no_world_total(text):
    assert aggregate_in(text) is None


def test_places_and_groups_asked_twice_are_the_same_and_a_caller_cannot_change_the_cache():
    text = "Germany's exports to the European Union and France rose 3%."
    first = places_in(text)
    first.clear()  # a caller's list is its own
    assert [p.code for p in places_in(text)] == ["DEU", "FRA"]
    assert [p.code for p in places_in(text, 20)] == ["FRA"]
    named = group_named(text)
    assert named is not None and named == group_named(text) and named[2] == "European Union"


def _countries_scanned(name: str) -> list[str]:
    from claimcheck.draft.places import _table

    return [code for pattern, code, _ in _table() if pattern.search(name)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefghijklmnoprstuvwyzAÅBCDGIKLMNSTUÜ .'-", max_size=20))
def test_the_one_expression_of_all_countries_rejects_only_names_no_country_expression_matches(name):
    from claimcheck.draft.places import _any_country

    assert bool(_any_country().search(name)) == bool(_countries_scanned(name))


def test_every_country_s_short_name_is_still_found_through_the_one_expression():
    from claimcheck.draft.places import _rows, country_of

    names = [r["name_short"] for r in _rows() if r["regex"]]
    unique = {name: scanned[0] for name in names if len(scanned := _countries_scanned(name)) == 1}
    assert len(unique) >= 0.95 * len(names)
    assert {name: (country_of(name) or ("",))[0] for name in unique} == unique
