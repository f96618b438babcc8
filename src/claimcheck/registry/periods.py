"""Periods as the registry writes them: ``2022``, ``2022-08``, ``2022-08-31``, ``1980s``, ``early 2020s``
(2020-2023; ``mid`` is years 4-6, ``late`` 7-9) and ranges ``A/B``.

A period is a closed span of days. Ranges join two single periods: ``2022-01/2022-08`` is January
to the end of August 2022; ``2013/2021`` is the start of 2013 to the end of 2021.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_SINGLE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
_DECADE = re.compile(r"^(?P<y>\d{3}0)s$")
_PART_OF_DECADE = re.compile(r"^(?P<part>early|mid|late) (?P<y>\d{3}0)s$")
DECADE_PARTS = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}  # "the early 2020s" is 2020-2023


@dataclass(frozen=True, order=True)
class Period:
    """A closed span of days with the text it was parsed from."""

    start: date
    end: date
    text: str = ""

    def __contains__(self, other: "Period") -> bool:
        return self.start <= other.start and other.end <= self.end

    def months(self) -> list[str]:
        """Every calendar month touched by the period, as ``YYYY-MM``."""
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def shifted_years(self, years: int) -> "Period":
        """The same span moved by whole years (for year-on-year comparisons)."""
        start = _replace_year(self.start, self.start.year + years)
        end = _replace_year(self.end, self.end.year + years)
        return Period(start, end, f"{start.isoformat()}/{end.isoformat()}")


def _replace_year(day: date, year: int) -> date:
    last = calendar.monthrange(year, day.month)[1]
    return date(year, day.month, min(day.day, last))


def _single(text: str) -> tuple[date, date]:
    part = _PART_OF_DECADE.match(text)
    if part:
        first, last = DECADE_PARTS[part["part"]]
        y = int(part["y"])
        return date(y + first, 1, 1), date(y + last, 12, 31)
    decade = _DECADE.match(text)
    if decade:
        y = int(decade["y"])
        return date(y, 1, 1), date(y + 9, 12, 31)
    match = _SINGLE.match(text)
    if not match:
        raise ValueError(
            f"cannot read period {text!r}: write YYYY, YYYY-MM, YYYY-MM-DD, a decade like 1980s "
            "(or early/mid/late 1980s), or A/B"
        )
    y = int(match["y"])
    if match["m"] is None:
        return date(y, 1, 1), date(y, 12, 31)
    m = int(match["m"])
    if not 1 <= m <= 12:
        raise ValueError(f"cannot read period {text!r}: month {m} is not 1-12")
    if match["d"] is None:
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    try:
        day = date(y, m, int(match["d"]))
    except ValueError as exc:
        raise ValueError(f"cannot read period {text!r}: {exc}") from None
    return day, day


def parse_period(text: str | int) -> Period:
    """Parse a period; raise ``ValueError`` with a readable message when it is malformed."""
    text = str(text).strip()
    if "/" in text:
        left, _, right = text.partition("/")
        start, _ = _single(left)
        _, end = _single(right)
    else:
        start, end = _single(text)
    if end < start:
        raise ValueError(f"cannot read period {text!r}: it ends before it starts")
    return Period(start, end, text)
