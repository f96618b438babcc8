"""Coverage: every number in an article is inside a claim's quote or listed as not a claim.

The finder is deliberately generous (it would rather flag "one" in a policy name than miss "five
decades"); a reviewer settles a false alarm by listing the text under ``not_claims`` with a reason.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from claimcheck.registry.articles import Article

_UNITS = r"(?:\s?(?:%|per\s?cent|percent|million|billion|trillion|bn|mn|m\b|k\b))?"
_NUMERAL = rf"(?:[$€£¥]\s?)?\d+(?:,\d{{3}})*(?:\.\d+)?(?:s\b|st\b|nd\b|rd\b|th\b|:\d\d)?{_UNITS}"
_CARDINALS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands million millions billion billions trillion trillions "
    "dozen dozens half quarter twice double triple"
).split()
_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth twentieth "
    "hundredth thousandth"
).split()
_WORD = r"\b(?:" + "|".join(_CARDINALS + _ORDINALS) + r")\b"
_WORD_UNIT = r"(?:[\s-]+(?:decades?|years?|months?|weeks?|days?|times|fold|largest|biggest|per\s?cent))?"
NUMBER_PATTERN = re.compile(rf"{_NUMERAL}|{_WORD}{_WORD_UNIT}", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """A number or quantity expression found in the text."""

    text: str
    start: int
    end: int
    line: int
    context: str


def find_numbers(text: str) -> list[Mention]:
    """Every numeral, percentage, amount, year, decade, number word and ordinal in ``text``.

    One pass: the line number is carried from match to match, not recounted from the start.
    """
    mentions = []
    line, counted = 1, 0
    for match in NUMBER_PATTERN.finditer(text):
        start, end = match.span()
        line += text.count("\n", counted, start)
        counted = start
        context = text[max(0, start - 30) : end + 30].replace("\n", " ")
        mentions.append(Mention(match.group().strip(), start, end, line, context))
    return mentions


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    spans, at = [], text.find(needle)
    while at >= 0:
        spans.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    return spans


def find_uncovered(article: Article) -> list[Mention]:
    """Mentions lying outside every claim quote and every ``not_claims`` text of the article."""
    text = article.text
    covered = sorted(span for c in article.claims for span in _spans(text, c.quote))
    covered = sorted(covered + [span for n in article.not_claims for span in _spans(text, n.text)])
    # reach[i]: the furthest end of the spans starting at or before covered[i]'s start, so one binary
    # search per mention answers "does a span hold it" (a loop over every span made coverage quadratic)
    starts, reach, furthest = [s for s, _ in covered], [], -1
    for _, end in covered:
        furthest = max(furthest, end)
        reach.append(furthest)

    def inside(m: Mention) -> bool:
        at = bisect.bisect_right(starts, m.start) - 1
        return at >= 0 and m.end <= reach[at]

    return [m for m in find_numbers(text) if not inside(m)]
