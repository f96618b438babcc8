"""The words around a number: its sentence and clause, the hedge before it, its tense and its period.

Small rules of our own: the sentence and clause splitters keep every span verbatim (offsets into the
article text), so a drafted quote always occurs in the article. Each rule that decides a field
returns the words it used, which become the claim's ``draft:`` note.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                  "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp", "gov", "prof"}
_SENTENCE_END = re.compile(r"[.!?][\"”’')]*(?=\s+[\"“‘(]?[A-Z0-9])|(?<=[a-z)])\.(?=[A-Z][a-z])")
_CONNECTORS = (r"which|while|whereas|but|compared|according|although|though|as|with|and|after|"
               r"surpassing|overtaking|marking|making|up|down|from|cooling|decelerating|accelerating|followed")
_CLAUSE_BREAK = re.compile(rf";\s+|,\s+(?=(?:{_CONNECTORS}|\w+ing)\b)|\s+(?=(?:which|while|whereas)\s)"
                           rf"|\s+(?=and\s+(?:a|an|the)?\s*[$€£¥\d])", re.I)
_SPAN_OPEN = re.compile(r"\b(?:between|from)\s+\S+$", re.I)  # "between 2020 | and 2021" is one period, not two clauses
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})

HEDGES = [  # (comparator, words just before the number); the first that matches wins
    ("exceeds", r"(?:more than|over|above|exceed(?:ed|ing|s)?|in excess of|surpass(?:ed|ing|es)?|top(?:ped|ping|s)?)"),
    ("at_least", r"(?:at least|no less than|not less than|a minimum of)"),
    ("at_most", r"(?:up to|almost|nearly|close to|less than|under|below|no more than|not more than|just under)"),
    ("about", r"(?:about|around|some|roughly|approximately|estimated(?:\s+[a-z]+){1,2}\s+of|an estimated|estimated|"
              r"circa|approx\.?|~)"),  # "an estimated population of 340 million"
]
_FORECAST = re.compile(r"\b(?:will|would|shall|is expected|are expected|expected to|expects?|projected|forecasts?|"
                       r"set to|on track to|likely to|poised to|could|may|might|is due to|aims? to|target)\b", re.I)


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text(self, whole: str) -> str:
        return whole[self.start : self.end]


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start] in " \n\t,;:—–-\"“”'‘’(":
        start += 1
    while end > start and text[end - 1] in " \n\t,;:.!?\"“”'’)":
        end -= 1
    if end > start and text[end - 1] in "”’\"" and text[start] not in "“‘\"":
        end -= 1
    return Span(start, end)


def sentences(text: str) -> list[Span]:
    """The sentences of ``text`` as spans. A blank line always ends one (headlines, datelines)."""
    spans = []
    for para in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):
        start = para.start()
        for match in _SENTENCE_END.finditer(para.group()):
            cut = para.start() + match.end()
            before = re.search(r"(\w+)\.?$", text[start : para.start() + match.start() + 1])
            word = before.group(1).lower() if before else ""
            if match.group().startswith(".") and (word in _ABBREVIATIONS or len(word) == 1):
                continue
            spans.append(_trim(text, start, cut))
            start = cut
        spans.append(_trim(text, start, para.end()))
    return [s for s in spans if s.end > s.start]


def clauses(text: str, sentence: Span) -> list[Span]:
    """The clauses of one sentence: split at semicolons and before connectives ("which", ", while")."""
    body = sentence.text(text)
    breaks = [m for m in _CLAUSE_BREAK.finditer(body) if not _SPAN_OPEN.search(body, 0, m.start())]
    cuts = [0] + [m.end() for m in breaks] + [len(body)]
    out = [_trim(text, sentence.start + a, sentence.start + b) for a, b in zip(cuts, cuts[1:])]
    return [s for s in out if s.end > s.start]


def hedge(text: str, clause: Span, at: int, shape: str) -> tuple[str, str]:
    """The comparator the words before the number imply, with those words ('' when none)."""
    before = text[clause.start : at].lower()
    if shape == "year":
        if re.search(r"\bby\s+(?:the end of\s+)?(?:mid-?)?$", before):
            return "by", "by"
        if re.search(r"\b(?:before|prior to|until)\s+$", before):
            return "before", "before"
        return "equals", ""
    if shape == "decade":
        return "within_decade", "in the decade"
    if shape == "ordinal":
        return "rank", ""
    for comparator, words in HEDGES:
        found = re.search(rf"\b({words})\s+(?:a\s+|the\s+)?(?:record\s+|total\s+of\s+)?(?:[A-Z]{{2,3}}\$?\s*)?[$€£¥]?\s*$", before, re.I)
        if found:
            if comparator in {"exceeds", "at_least"} and shape == "duration":
                return "min_duration", found.group(1)
            return comparator, found.group(1)
    return "rounded", ""


def is_forecast(clause_text: str, at: int | None = None, others: tuple[int, ...] = ()) -> str:
    """The word that makes the number at offset ``at`` a forecast ('' when none): a future tense that
    reaches it past no other number (offsets ``others``) and a comma ("will rise to 36 billion tonnes,
    a report by 49 researchers said": the 49 is no forecast; "its forecast to 0.3% from 0.6%" holds both)."""
    for found in _FORECAST.finditer(clause_text):
        if at is None:
            return found.group()
        low, high = (found.end(), at) if found.end() <= at else (at, found.start())
        if not any(low < o < high and "," in clause_text[min(o, at) : max(o, at)] for o in others):
            return found.group()
    return ""


@dataclass(frozen=True)
class PeriodGuess:
    period: str | None  # as the registry writes it
    base: str | None  # the comparison period of a change ("since 1990", "from 2021's")
    rule: str  # the rule used, for the draft note


_YEAR = r"(?<![\d.,$])(?:1[89]|20)\d\d(?!\d|,\d|\.\d|s\b)"
_BASE = re.compile(rf"\b(?:since|from|versus|vs\.?|compared with|compared to|over|than in)\s+(?:the\s+)?(?:end of\s+)?"
                   rf"(?:last\s+[A-Za-z]+\s+in\s+)?({_YEAR})", re.I)  # "since the last Census in 2001"


def _months(year: str, first: int, last: int) -> str:
    return f"{year}-{first:02d}/{year}-{last:02d}" if first != last else f"{year}-{first:02d}"


def explicit_period(clause_text: str, at: int = 0, others: tuple[int, ...] = ()) -> tuple[str | None, str | None, str]:
    """The period written in the clause for the number at offset ``at``, and a base year for changes
    ("since 1990", "from 2021's"). A period right after the number ("$877.6 billion in 2022") is its
    own; otherwise the nearest one before it; one after it only when no other number (offsets
    ``others``) stands between."""
    lower = clause_text.lower()
    bases = [b for b in _BASE.finditer(clause_text) if b.start() >= at]  # "from 2021's 29.9% gain" is its period
    base = bases[0].group(1) if bases else None
    base_at = {b.start(1) for b in bases}
    number_words = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
    month_names = "|".join(sorted(MONTHS, key=len, reverse=True))
    found: list[tuple[int, int, str]] = []  # (start, end, period)
    for m in re.finditer(rf"first (\w+) months of ({_YEAR})", lower):
        n = number_words.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else 0)
        if 1 <= n <= 12:
            found.append((m.start(), m.end(), _months(m.group(2), 1, n)))
    for m in re.finditer(rf"\b(first|second|third|fourth|last|final) (?:three months|quarter) of ({_YEAR})", lower):
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4, "final": 4}[m.group(1)]
        found.append((m.start(), m.end(), _months(m.group(2), 3 * q - 2, 3 * q)))
    for m in re.finditer(rf"\b({month_names})\.?\s*(?:-|–|to|through)\s*({month_names})\.?,? ({_YEAR})", lower):
        found.append((m.start(), m.end(), _months(m.group(3), MONTHS[m.group(1)], MONTHS[m.group(2)])))
    for m in re.finditer(rf"\b(?:between|from) ({_YEAR}) (?:and|to) ({_YEAR})|\b({_YEAR})\s*(?:-|–|to)\s*({_YEAR})\b", lower):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        found.append((m.start(), m.end(), f"{a}/{b}"))
        base_at.update({m.start(1) if m.group(1) else m.start(3)})
    for y in re.finditer(_YEAR, clause_text):
        if y.start() not in base_at and not any(a <= y.start() < b for a, b, _ in found):
            found.append((y.start(), y.end(), y.group()))
    if not found:
        return None, base, ""
    after = [f for f in found if f[0] >= at and not any(at < o < f[0] for o in others)]
    before = [f for f in found if f[1] <= at]
    close = [f for f in after if f[0] - at <= 30]
    pick = close or sorted(before, key=lambda f: at - f[1])[:1] or sorted(after, key=lambda f: f[0])[:1]
    if not pick:
        return None, base, ""
    start, end, period = pick[0]
    return period, base, f"'{clause_text[start:end]}', the nearest period written in the clause"


def relative_period(clause_text: str, today: date, carried: str | None, at: int = 0) -> tuple[str | None, str]:
    """A period said relative to the article's date or to the sentence before (``at``: the number's
    offset; "compared to the year before" after it is the base of its change, not its period)."""
    lower = clause_text.lower()
    y = today.year
    m = re.search(r"\b(?:over|in|during) the (?:past|last) (decade|(\w+) (?:years|decades))", lower)
    if m:
        words = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
        n = 10 if m.group(1) == "decade" else words.get(m.group(2), int(m.group(2)) if (m.group(2) or "").isdigit() else 0)
        if "decades" in m.group(1):
            n *= 10
        if n:
            return f"{y - n}/{y - 1}", f"'{m.group()}' before the article's date ({today})"
    earlier = re.search(r"\b(?:a year earlier|the previous year|a year before|the year before|a year ago|previous year's)\b", lower)
    as_base = re.search(r"\b(?:compared (?:to|with)|from|than|over|versus|on)\s+$", lower[: earlier.start()]) if earlier else None
    if as_base and carried and earlier.start() > at:
        return carried, f"'{earlier.group()}' is the base of the change; the period {carried} carried from before"
    if earlier:
        if carried and re.fullmatch(r"\d{4}", carried):
            return str(int(carried) - 1), f"'a year earlier' than {carried}"
        return str(y - 1), f"'a year earlier' than the article's year {y}"
    if re.search(r"\blast year\b", lower):
        return str(y - 1), f"'last year' before the article's date ({today})"
    if re.search(r"\bthis year\b|\bnow\b|\bcurrently\b|\btoday\b", lower):
        return str(y), f"'this year'/'now' at the article's date ({today})"
    if re.search(r"\blast month\b", lower):
        prev = date(y - 1, 12, 1) if today.month == 1 else date(y, today.month - 1, 1)
        return f"{prev:%Y-%m}", f"'last month' before the article's date ({today})"
    return None, ""


def latest_annual(today: date) -> tuple[str, str]:
    """The latest year whose annual figures were out at the article's date (published by mid-year after)."""
    year = today.year - 1 if today.month >= 7 else today.year - 2
    return str(year), f"no period written: the latest annual figures out by {today} (year {year}, assuming publication by mid-year)"


def period_start(period: str) -> date:
    y, _, m = period.split("/")[0].partition("-")
    return date(int(y), int(m[:2] or 1), 1)


def month_end(period: str) -> date:
    y, _, m = period.partition("-")
    return date(int(y), int(m or 12), calendar.monthrange(int(y), int(m or 12))[1])
