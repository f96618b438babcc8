"""A long article (1 MB and more) costs the claims notebook time in proportion to its length, and a
page shows a bounded part of it: the lookups are binary searches or sweeps, equal to the scans
they replace (property-based), and the drafts of the first numbers are those of the whole text."""

from __future__ import annotations

import shutil
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.draft.context import Span
from claimcheck.draft.propose import _by_sentence, _outside_earlier
from claimcheck.draft.quantity import Quantity
from claimcheck.draft.review import FirstCovering, unregistered_table
from claimcheck.registry.articles import load_article
from claimcheck.registry.coverage import find_uncovered
from claimcheck.show import render

SEED = "china-belgium-ties-2023-02-26"
spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)).map(lambda p: (p[0], p[0] + p[1])), max_size=25)


class Mention:  # what the helpers read of a Quantity
    def __init__(self, start: int, end: int):
        self.start, self.end = start, end


@given(spans)
def test_dropping_mentions_inside_an_earlier_one_equals_the_scan(pairs):
    mentions = [Mention(a, b) for a, b in sorted(pairs, key=lambda p: p[0])]
    exact = [q for i, q in enumerate(mentions) if not any(o.start < q.start < o.end for o in mentions[:i])]
    assert _outside_earlier(mentions) == exact
    unsorted = [Mention(a, b) for a, b in pairs]
    assert _outside_earlier(unsorted) == [q for i, q in enumerate(unsorted)
                                          if not any(o.start < q.start < o.end for o in unsorted[:i])]


@given(spans, st.lists(st.integers(1, 15), min_size=1, max_size=8))
def test_grouping_mentions_by_sentence_equals_the_scan(pairs, lengths):
    sentences, at = [], 0
    for length in lengths:
        sentences.append(Span(at, at + length))
        at += length + 1
    mentions = [Mention(a, b) for a, b in pairs]
    exact = [[q for q in mentions if s.start <= q.start < s.end] for s in sentences]
    assert _by_sentence(mentions, sentences) == exact


@given(spans, st.integers(0, 80))
def test_the_first_span_covering_an_offset_equals_the_scan(pairs, offset):
    exact = next((i for i, (a, b) in enumerate(pairs) if a <= offset < b), None)
    assert FirstCovering(pairs).find(offset) == exact


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 15), st.sampled_from("abc")), max_size=12))
@settings(max_examples=200)
def test_the_segments_of_a_highlight_equal_the_scan(triples):
    text = "x" * 60
    marked = [(s, min(s + n, 60), cid) for s, n, cid in triples]
    cuts = sorted({0, len(text), *[s for s, _, _ in marked], *[e for _, e, _ in marked]})
    exact = [(text[a:b], [cid for s, e, cid in marked if s <= a and b <= e]) for a, b in zip(cuts, cuts[1:]) if b > a]
    assert render._segments(text, marked) == exact


def long_article(data, name: str, size: int):
    seed = data / "articles" / SEED
    folder = data / "articles" / name
    folder.mkdir()
    text = seed.joinpath("article.txt").read_text()
    body = ((text.strip() + "\n\n") * (size // len(text) + 1))[:size]
    folder.joinpath("article.txt").write_text(body.rsplit("\n\n", 1)[0] + "\n")
    shutil.copy(seed / "metadata.yaml", folder / "metadata.yaml")
    folder.joinpath("claims.yaml").write_text(f"article: {name}\nclaims: []\n")
    return load_article(name)


def test_the_drafts_of_the_first_numbers_are_those_of_the_whole_text(data_copy):
    article = long_article(data_copy, "medium", 40_000)
    whole = unregistered_table(article)
    first = unregistered_table(article, limit=60)
    assert len(whole) > 60 and first.attrs["total"] == len(whole)
    rows = whole.values.tolist()  # each table lists its claims least sure first: compare the rows, not their order
    assert len(first) == 60 and all(row in rows for row in first.values.tolist())


def test_a_one_megabyte_article_renders_a_bounded_claims_page_quickly(data_copy):
    article = long_article(data_copy, "long", 1_000_000)
    started = time.monotonic()
    uncovered = find_uncovered(article)
    drafted = unregistered_table(article, limit=render.ROWS_SHOWN)
    text = render.highlight_article(article, limit=render.TEXT_SHOWN)
    note = render.coverage_note(uncovered)
    took = time.monotonic() - started
    assert len(uncovered) > 4 * render.ROWS_SHOWN and drafted.attrs["total"] == len(uncovered)
    assert len(drafted) == render.ROWS_SHOWN
    assert f"The first {render.TEXT_SHOWN:,} of {len(article.text):,} characters" in text
    assert len(text) < 2 * render.TEXT_SHOWN and len(note) < 100 * render.ROWS_SHOWN
    assert f"The first {render.ROWS_SHOWN} of {len(uncovered):,} numbers" in note
    assert took < 30, f"{took:.1f} s"
