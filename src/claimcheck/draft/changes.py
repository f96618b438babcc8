"""Which way a change goes, and a number of years that is a series' level or change, not a span.

"fell 5 per cent", "down by 3 per cent", "declines of 0.8 percent" are falls: the drafted value is
negative, as the ``growth`` and ``change`` ops compute a fall. "fell to 2.4 per cent" is the level
reached, not a change, and keeps its sign. "Life expectancy fell by 2.7 years to 76.1 years" is a
change of -2.7 in the series' own unit and the level 76.1, when a catalogue series measured in years
fits the sentence; without one a number of years stays a duration.
"""

from __future__ import annotations

import re

_FALL = (r"fell|fall(?:s|en|ing)?|drop(?:s|ped|ping)?|declin(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|down|"
         r"contract(?:s|ed|ing|ion)?|shr[ai]nk(?:s|ing)?|shrunk|slump(?:s|ed)?|plung(?:e|es|ed)|slid|lower|lost|dipped")
_RISE = (r"rose|ris(?:e|es|en|ing)|increas(?:e|es|ed|ing)|gr[eo]w(?:s|n|th|ing)?|gain(?:s|ed)?|up|jump(?:s|ed)?|"
         r"surg(?:e|es|ed)|expand(?:s|ed)?|expansion|climb(?:s|ed)?|higher|added|improv(?:e|ed|ement)")
_HEDGE = r"(?:(?:more than|less than|nearly|almost|about|around|some|over|under|just|a further|another)\s+)?"
_BEFORE = re.compile(rf"\b(?P<word>{_FALL}|{_RISE})\s+(?P<link>by\s+|of\s+|to\s+|at\s+)?(?:a\s+|an\s+)?{_HEDGE}[$€£¥]?\s*$", re.I)
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
