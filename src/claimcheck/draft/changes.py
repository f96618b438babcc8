"""Which way a change goes, and a number of years that is a series' level or change, not a span.

"fell 5 per cent", "down by 3 per cent", "declines of 0.8 percent" are falls: the drafted value is
negative, as the ``growth`` and ``change`` ops compute a fall. "fell to 2.4 per cent" is the level
reached, not a change, and keeps its sign. "Life expectancy fell by 2.7 years to 76.1 years" is a
change of -2.7 in the series' own unit and the level 76.1, when a catalogue series measured in years
fits the sentence; without one a number of years stays a duration. In a list ("declines of 0.8
percent and 0.3 percent, respectively") every number shares the verb, and "respectively" pairs each
with the country in the same place of the list of countries before it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from claimcheck.draft.evidence import best_entry
from claimcheck.draft.quantity import Quantity

_FALL = (r"fell|fall(?:s|en|ing)?|drop(?:s|ped|ping)?|declin(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|down|"
         r"contract(?:s|ed|ing|ion)?|shr[ai]nk(?:s|ing)?|shrunk|slump(?:s|ed)?|plung(?:e|es|ed)|slid|lower|lost|dipped")
_RISE = (r"rose|ris(?:e|es|en|ing)|increas(?:e|es|ed|ing)|gr[eo]w(?:s|n|th|ing)?|gain(?:s|ed)?|up|jump(?:s|ed)?|"
         r"surg(?:e|es|ed)|expand(?:s|ed)?|expansion|climb(?:s|ed)?|higher|added|improv(?:e|ed|ement)")
_HEDGE = r"(?:(?:more than|less than|nearly|almost|about|around|some|over|under|just|a further|another)\s+)?"
_BEFORE = re.compile(rf"\b(?P<word>{_FALL}|{_RISE})\s+(?P<link>by\s+|of\s+|to\s+|at\s+)?(?:a\s+|an\s+)?{_HEDGE}"
                     r"(?:[A-Z]{2,3}\$?\s*)?[$€£¥]?\s*$", re.I)
_AFTER = re.compile(rf"^[\s-]*(?:per ?cent|percent|%|percentage points?|years?)?\s*(?P<word>{_FALL}|{_RISE})\b", re.I)
_LEVEL_BEFORE = re.compile(rf"\b(?:to|at|of|was|were|is|stood at|reached|averag\w+|{_FALL}|{_RISE})\s+{_HEDGE}$", re.I)


def direction(before: str, after: str) -> tuple[int, str]:
    """(-1 for a fall, +1 for a rise, 0 for a level or no change word; the words read). ``before``: the
    clause's words leading to the number (from the number before it); ``after``: the words after it."""
    found = _BEFORE.search(before)
    if found:
        if (found["link"] or "").strip() in {"to", "at"}:
            return 0, f"'{found.group().strip()}': the level reached"
        return (-1 if re.fullmatch(_FALL, found["word"], re.I) else 1), found.group().strip()
    found = _AFTER.match(after[:40])  # "a 9 per cent increase", "a 3 per cent drop"
    if found:
        return (-1 if re.fullmatch(_FALL, found["word"], re.I) else 1), found["word"]
    return 0, ""


def years_as_series(before: str) -> bool:
    """Whether a number of years reads as a series' level or change ("fell to 76.1 years", "fell by 2.7
    years") rather than a span ("in 26 years", "over five decades")."""
    return bool(_LEVEL_BEFORE.search(before) or _BEFORE.search(before))


def listed_before(text: str, q: Quantity, quantities: list[Quantity]) -> Quantity | None:
    """The number ``q`` follows in a list ("0.8 percent and 0.3 percent"), or None."""
    before = [o for o in quantities if o.end <= q.start and o.shape == q.shape]
    gap = re.sub(r"^\s*(?:per ?cent|percent|%|percentage points?|years?|tonnes?)", "", text[before[-1].end : q.start],
                 flags=re.I) if before else "-"
    return before[-1] if re.fullmatch(r"[\s,]*(?:and|or)?\s*", gap) else None


def respectively(text: str, q: Quantity, start: int, end: int, quantities: list[Quantity], places: list):
    """The country paired with ``q`` by "respectively" ("X and Y posting declines of 0.8 percent and 0.3
    percent, respectively"): the one in the same place of the list of countries before
    the list of numbers, or None."""
    word = re.search(r"\brespectively\b", text[q.end : end], re.I)
    if word is None:
        return None
    run = [q]
    while (earlier := listed_before(text, run[0], quantities)) is not None:
        run.insert(0, earlier)
    at = q.end + word.start()
    while (later := next((o for o in quantities if run[-1].end < o.start < at and o.shape == q.shape), None)) is not None:
        run.append(later)
    named = [p for p in places if start <= p.start < run[0].start]
    if len(run) < 2 or len(named) < len(run):
        return None
    return named[-len(run):][run.index(q)]


_FALL_COMPARATOR = {"exceeds": "at_most", "at_least": "at_most", "at_most": "at_least"}  # "fell by more than 3%": below -3%


def as_fall(claimed: dict[str, Any], words: str, notes: list[str]) -> None:
    """A fall is a negative change, and a bound on its size bounds the change from the other side."""
    claimed["value"] = -claimed["value"]
    note = f"value negative: '{words}' is a fall"
    if claimed["comparator"] in _FALL_COMPARATOR:
        claimed["comparator"] = _FALL_COMPARATOR[claimed["comparator"]]
        note += f", so the bound on its size is comparator {claimed['comparator']}"
    notes.append(note)


def years_of_a_series(q: Quantity, near: str, sentence: str, clause: str) -> tuple[Quantity, list[str]]:
    """A number of years that a catalogue series measured in years holds ("life expectancy fell to 76.1
    years") is that series' figure, not a span of time."""
    if q.shape != "duration" or not years_as_series(near):
        return q, []
    entry, matched, _ = best_entry(sentence, "amount", "years", [], clause)
    if entry is None:
        return q, []
    return replace(q, shape="number", read_as=f"{q.read_as.split(' = ')[-1]} of a series"), [
        f"unit years: '{near.strip().split()[-1] if near.strip() else q.text}' leads to a figure of "
        f"{entry.source}/{entry.name} ({', '.join(matched)}), not a span of time"]
