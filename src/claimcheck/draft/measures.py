"""Which catalogue entry a number measures, through the catalogue's data only: each entry's ``names:``
(the phrases prose names its measure with), ``grain:`` and ``shape:`` and ``rankable:``.

The noun phrase the parse says the number measures ("gross domestic product", "merchandise
exports"), else the noun it counts ("1.34 billion people"), is matched against every entry's names: a
name matches when the phrase's head holds its words ("nominal GDP" holds "GDP"; "the ratio of
investment to GDP" is a ratio, whose head holds no name), unless the head also holds a word that
makes another measure ("trade surplus", "per capita emissions"). A change's phrase ("growth of exports") is also read through its object. The match is
``high`` when it comes from the parse, ``medium`` when the parse named no measure and the sentence
names exactly one before the number; anything else is no match, and the draft abstains.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

EMPTY = {"figure", "figures", "rate", "level", "number", "total", "pace", "amount", "value", "it", "this", "that",
            "which", "data", "reading", "one", "increase", "rise", "growth", "gain", "fall", "drop", "decline",
            "change", "jump", "share", "percent", "%", "cent", "year", "quarter", "month", "high", "low", "record",
            "peak", "time", "all", "sum", "spot", "position", "place", "rank", "ranking", "largest", "biggest", "tally", "worth", "estimate", "country", "nation"}
_LINKS = {"of", "and", "the", "a", "an", "in", "for", "per", "by", "from", "on", "to", "as"}
CHANGE_HEADS = {"growth", "increase", "rise", "gain", "fall", "drop", "decline", "change", "jump", "expansion",
                 "contraction", "slump", "decrease"}


@dataclass(frozen=True)
class Named:
    source: str
    name: str
    unit: str
    grain: str
    shape: str | None
    rankable: bool
    names: tuple[tuple[str, ...], ...]  # each name as its normalised words


def norm(phrase: str) -> tuple[str, ...]:
    """A phrase's words, lower case, possessive and plural endings removed ("Brazil's exports" → brazil export)."""
    out = []
    for word in re.findall(r"[a-z0-9%]+(?:-[a-z0-9]+)*", phrase.lower().replace("’", "'").replace("'s ", " ")):
        for part in word.split("-"):
            if len(part) > 4 and part.endswith("ies"):
                part = part[:-3] + "y"
            elif len(part) > 3 and part.endswith("s") and not part.endswith("ss"):
                part = part[:-1]
            out.append(part)
    return tuple(out)


@lru_cache(maxsize=4)
def _named(signature: Any) -> tuple[Named, ...]:
    from claimcheck.reference import catalogue

    return tuple(Named(s.source, s.name, s.unit, s.grain, s.shape, s.rankable, tuple(norm(n) for n in s.names))
                 for s in catalogue.load_catalogue().entries() if s.names)


_HELD: list[tuple] = []  # the catalogue's signature for the draft under way (see ``held_catalogue``)


def signature() -> tuple:
    """The catalogue's files as they are now (``catalogue.signature``): what is read from them depends on it."""
    if _HELD:
        return _HELD[-1]
    from claimcheck.reference import catalogue

    return catalogue.signature()


@contextmanager
def held_catalogue() -> Iterator[None]:
    """Check the catalogue's files once for a whole draft rather than for every number."""
    _HELD.append(signature())
    try:
        yield
    finally:
        _HELD.pop()


def named_entries() -> tuple[Named, ...]:
    """The catalogue entries that declare names (re-read when the catalogue changes)."""
    return _named(signature())


@lru_cache(maxsize=4)
def _by_first_word(signature: Any) -> dict[str, list[tuple[int, int, tuple[str, ...]]]]:
    """Every name by its first word: (entry's place in the catalogue, name's place in the entry, name)."""
    index: dict[str, list[tuple[int, int, tuple[str, ...]]]] = {}
    for e, entry in enumerate(_named(signature)):
        for n, name in enumerate(entry.names):
            if name:
                index.setdefault(name[0], []).append((e, n, name))
    return index


def names_starting(word: str) -> set[tuple[str, ...]]:
    """Every name the catalogue declares whose first (normalised) word is ``word``."""
    return {name for _, _, name in _by_first_word(signature()).get(word, ())}


def _names_held(words: tuple[str, ...]) -> dict[int, list[tuple[str, ...]]]:
    """The names ``words`` holds as a run of whole words, by entry (in catalogue order), each entry's
    names in its own order: one look-up per word, not one scan per name."""
    index = _by_first_word(signature())
    held: set[tuple[int, int, tuple[str, ...]]] = set()
    for i, word in enumerate(words):
        for e, n, name in index.get(word, ()):
            if words[i : i + len(name)] == name:
                held.add((e, n, name))
    out: dict[int, list[tuple[str, ...]]] = {}
    for e, _, name in sorted(held):
        out.setdefault(e, []).append(name)
    return out


def heads(measured: str) -> list[tuple[str, ...]]:
    """The phrases a measured noun phrase may name its measure by: its head part, and its object when the
    head is a change or says nothing ("growth of exports", "the level of unemployment")."""
    head, _, rest = measured.partition(" of ")
    words = norm(head)
    out = [words] if words and not set(words) <= EMPTY else []
    if rest and (not out or words[-1:] and words[-1] in CHANGE_HEADS):
        out.append(norm(rest))
    return [w for w in out if w]


def by_phrase(measured: str, fits: Any, other: set[str] = frozenset()) -> tuple[list[Named], str]:
    """The entries one of whose names the measured phrase's head holds (longest name first), among those
    ``fits`` accepts, with the name matched ('' when none). A phrase holding a word of ``other``
    ("surplus", "capita") that the name lacks names another measure than that name."""
    best: list[tuple[int, Named, str]] = []
    entries = named_entries()
    for phrase in heads(measured):
        for e, held in _names_held(phrase).items():
            entry = entries[e]
            names = [n for n in held if not (set(phrase) & other) - set(n)]
            if names and fits(entry):
                name = max(names, key=len)
                best.append((len(name), entry, " ".join(name)))
        if best:
            break
    if not best:
        return [], ""
    top = max(b[0] for b in best)
    chosen = [b for b in best if b[0] == top]
    return [b[1] for b in chosen], chosen[0][2]


def extra_words(phrase: str, name: str, neutral: set[str], entry: Named | None = None) -> list[str]:
    """The words of a measured phrase beyond the name it holds that may make it another measure
    (a phrase holding a name and more words): neither ``neutral`` ("full-year", "headline"), empty, a country,
    a country group's name, nor a word of another name of the same ``entry``."""
    from claimcheck.draft.places import country_of
    from claimcheck.draft.regions import group_words

    plain = {w for n in neutral for w in norm(n)} | EMPTY | group_words() | _LINKS
    if entry is not None:  # words of the entry's other names ("emissions of carbon dioxide") say the same measure
        plain |= {w for n in entry.names for w in n}
    words = norm(phrase)  # the whole phrase: "exports of goods and services" says more than "exports"
    return [w for w in words if w not in set(norm(name)) | plain and not country_of(w) and not country_of(w.upper())]


def in_words(text: str, fits: Any) -> tuple[list[Named], str]:
    """The entries one of whose names the text holds as whole words (the longest name), among those
    ``fits`` accepts, and that name; none when names of different length tie for several measures."""
    entries = named_entries()
    found: list[tuple[int, Named, str]] = []
    for e, held in _names_held(norm(text)).items():
        if fits(entries[e]):
            found.extend((len(name), entries[e], " ".join(name)) for name in held)
    if not found:
        return [], ""
    top = max(f[0] for f in found)
    chosen = [f for f in found if f[0] == top]
    if len({f[2] for f in chosen}) > 1:
        return [], ""  # two different measures named: which one is the number's is a guess
    return [f[1] for f in chosen], chosen[0][2]


def prefer(candidates: list[Named], kind: str, unit: str | None, grain: str, old: tuple[str, str] | None = None) -> Named | None:
    """One entry among those naming the measure: the grain asked for, then the shape the claim's kind
    implies (a rate of change takes a growth series, a rank a level), then the word matcher's pick
    ``old``, then the catalogue's order."""
    if not candidates:
        return None
    change_rate = kind == "change" and unit == "percent"

    def score(e: Named) -> tuple:
        shape_fit = (e.shape == "growth") if change_rate else (e.shape in {"level", "count", None}) if kind in {"rank", "amount", "count"} else True
        return (e.grain == (grain or "annual"), shape_fit, (e.source, e.name) == old, -candidates.index(e))

    return max(candidates, key=score)
