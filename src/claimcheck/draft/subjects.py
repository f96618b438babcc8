"""Who a drafted claim is about: the countries its clause or sentence names, a world or group total
named in place of a country, or, when the sentence names neither before the number, the subject of the
claim before it in the paragraph, else the country the article names most; and whether the sentence
is about a place within a country (a state, a city), which no country series holds."""

from __future__ import annotations

import re

from claimcheck.draft import shapes
from claimcheck.draft.aggregates import aggregate_in
from claimcheck.draft.context import Span
from claimcheck.draft.places import Place, places_in
from claimcheck.draft.quantity import Quantity


def claim_places(text: str, q: Quantity, kind: str, clause: Span, sentence: Span,
                 most_named: list[Place], previous: list[Place]) -> tuple[list[Place], str]:
    """The countries a claim is about, the main one first: for a rank the sentence's first (its
    subject), otherwise the clause's nearest before the number."""
    in_sentence = places_in(text, sentence.start, sentence.end)
    lost = shapes.lost_to(text, clause.start, clause.end, in_sentence) if kind == "rank" else None
    if lost:
        winner, loser = lost
        return [winner, loser] + [p for p in in_sentence if p.code not in {winner.code, loser.code}], (
            f"'{loser.text} lost its place … to {winner.text}': {winner.text} holds the rank")
    if kind == "rank" and in_sentence:
        return in_sentence, "the first country the sentence names"
    here = places_in(text, clause.start, clause.end)
    if here:
        before = [p for p in here if p.start < q.start]
        if before:
            nearest = before[-1]
            return [nearest] + [p for p in here if p is not nearest], "the country named nearest before the number"
        return here, "named in the clause"
    total = kind in {"amount", "count", "change", "forecast"}  # a world or group total stands for a country only here
    if total and (agg := aggregate_in(text, clause.start, clause.end)):
        return [agg], f"'{agg.text}' names {agg.name} and the clause no country"
    agg = aggregate_in(text, sentence.start, sentence.end) if total else None
    if in_sentence:  # the nearest before the number: "given X's stance on emissions, which is to … by 2060"
        before = [p for p in in_sentence if p.start < q.start]
        if agg and agg.start < q.start and (not before or before[-1].start < agg.start):
            return [agg], f"'{agg.text}' names {agg.name}, nearer before the number than any country"
        if before:
            return [before[-1]] + [p for p in in_sentence if p is not before[-1]], "the country named nearest before the clause"
    if agg:
        return [agg], f"'{agg.text}' names {agg.name} and the sentence no country"
    if previous and (total or not previous[0].code.startswith("@")):  # "This population now accounts for …"
        return previous[:1], "no country before the number in its sentence: the one the claim before is about"
    if in_sentence:  # only in a later clause ("…, with X accounting for 19.4 per cent")
        return in_sentence, "named in the sentence"
    if most_named:
        return most_named[:1], "no country in the sentence: the country the article names most"
    return [], ""


_WITHIN = re.compile(r"\b(?:states?|provinces?|territor(?:y|ies)|districts?|count(?:y|ies)|cit(?:y|ies)|municipalit(?:y|ies))\b"
                     r"(?![- ](?:owned|run|media|council|bank|budget|department|capitalism|visit))")


def within_country(before: str, places: list[Place], clause: str) -> str:
    """The word ("state", "cities") that makes a sentence about a place within a country, when the
    claim's country is not named by its name in the clause ('' otherwise)."""
    found = _WITHIN.search(before)
    if found is None or any(not p.demonym and p.text in clause for p in places[:1]):
        return ""
    return found.group()
