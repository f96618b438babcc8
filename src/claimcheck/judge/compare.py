"""Comparators: does the reference value bear out the claimed one?

One function per ``Comparator``; each takes the ``Claimed`` block and the reference value and
returns ``Comparison(holds, rule)``, where ``rule`` is plain text such as
``"exceeds: reference > 28.7 bn USD"``. ``compare`` dispatches on ``claimed.comparator``.

Defaults, stated once here:

- ``about``: |reference − claimed| ≤ tolerance × |claimed|, tolerance ``DEFAULT_ABOUT_TOLERANCE`` (5%).
- ``rounded``: the reference lies in claimed ± precision/2 (both ends included), where precision is
  ``Claimed.precision`` or the unit of the last written digit (see ``infer_precision``);
  ``tolerance`` (relative) widens the interval by tolerance × |claimed| on each side.
- ``equals`` on numbers: equal to within 1e-9 relative (floating-point noise only); on dates:
  the reference date falls within the claimed period ("in 1971" holds for 1971-10-25).
- dates and years: ``before`` strictly earlier than the claimed period starts; ``by`` ends on or
  before the claimed period ends ("by 2060" means by 31 Dec 2060); ``within_decade`` inside the decade.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Callable, NamedTuple

from claimcheck.registry.claims import Claimed, Comparator
from claimcheck.judge.compute import NEVER
from claimcheck.registry.periods import Period, parse_period

DEFAULT_ABOUT_TOLERANCE = 0.05
_EPS = 1e-9  # relative slack for floating-point noise at interval edges

Reference = float | int | str | date | None


class Comparison(NamedTuple):
    """Whether the claim holds against the reference, and the rule applied, in words."""

    holds: bool
    rule: str


class CompareError(ValueError):
    """The claimed and reference values cannot be compared (a date against a number, no value)."""


# ------------------------------------------------------------------------------------- formatting

_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"))
_MONEY = {"USD": "$", "EUR": "€"}


def _plain(number: float, decimals: int = 3) -> str:
    text = f"{number:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def ordinal(n: float) -> str:
    """1 → 1st, 2 → 2nd, 11 → 11th."""
    k = int(round(n))
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _scaled(value: float, like: float | None = None) -> tuple[str, str]:
    magnitude = abs(value if like is None else like)
    for size, word in _SCALES:
        if magnitude >= size:
            return _plain(value / size, 6 if like is not None else 3), word
    return _plain(value), ""


def format_value(value: Reference, unit: str | None, like: float | None = None) -> str:
    """Compact text with the unit after the number: ``28.7 bn USD``, ``14.3%``, ``2nd``, ``1971-10-25``.

    ``like`` picks the scale from another number (a precision of 0.1e9 shown as ``0.1 bn`` beside 28.7e9).
    """
    if value is None:
        return "no value"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if unit == "rank":
        return ordinal(value)
    if unit == "places":
        return f"{'+' if value > 0 else ''}{_plain(value)} places"
    if unit == "times":
        return f"{_plain(value)} times"
    if unit == "percent":
        return f"{_plain(value)}%"
    if unit == "percentage_points":
        return f"{_plain(value)} pp"
    if unit in {"year", "date", "decade"} and float(value).is_integer():
        return str(int(value))
    number, word = _scaled(float(value), like)
    return " ".join(part for part in (number, word, unit or "") if part)


def display_value(value: Reference, unit: str | None) -> str:
    """Reader-facing text: ``$28.7 bn``, ``€1.2 bn``, otherwise as ``format_value``."""
    if unit in _MONEY and isinstance(value, (int, float)):
        number, word = _scaled(float(value))
        sign = "-" if number.startswith("-") else ""
        return f"{sign}{_MONEY[unit]}{number.lstrip('-')}{' ' + word if word else ''}"
    return format_value(value, unit)


# -------------------------------------------------------------------------------------- precision


def infer_precision(value: float) -> float:
    """The unit of the last written digit of a figure as an article writes it.

    The figure is read in its natural scale (trillion, billion, million, or plain) and every digit
    of that written number counts: 28.7e9 ("28.7 billion") → 0.1e9; 11e12 ("11 trillion") → 1e12;
    230e9 ("230 billion") → 1e9; 48 → 1; 14.3 → 0.1.
    """
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return 1.0
    size = next((s for s, _ in _SCALES if abs(value) >= s), 1.0)
    written = Decimal(repr(round(value / size, 9)))
    if written == written.to_integral_value():
        return size
    exponent = written.normalize().as_tuple().exponent
    return size * 10.0 ** int(exponent)


# --------------------------------------------------------------------------------------- helpers


def _number(value: Reference, role: str) -> float:
    if isinstance(value, bool) or value is None:
        raise CompareError(f"the {role} value is {value!r}, not a number")
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise CompareError(f"the {role} value {value!r} is not a number") from None


def _period(value: Reference, role: str) -> Period:
    """A date, ISO text, decade text or a whole year number as a ``Period``."""
    if isinstance(value, date):
        return Period(value, value, value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return parse_period(str(int(value)))
    if isinstance(value, str):
        try:
            return parse_period(value)
        except ValueError:
            pass
    raise CompareError(f"the {role} value {value!r} is not a date or year")


def _c(claimed: Claimed) -> str:
    return format_value(claimed.value, claimed.unit)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_EPS, abs_tol=0.0) or a == b


# ------------------------------------------------------------------------------------ comparators


def exceeds(claimed: Claimed, reference: Reference) -> Comparison:
    """"exceeded", "more than": reference > claimed (equal does not exceed)."""
    return Comparison(_number(reference, "reference") > _number(claimed.value, "claimed"), f"exceeds: reference > {_c(claimed)}")


def at_least(claimed: Claimed, reference: Reference) -> Comparison:
    """Reference ≥ claimed."""
    return Comparison(_number(reference, "reference") >= _number(claimed.value, "claimed"), f"at least: reference >= {_c(claimed)}")


def at_most(claimed: Claimed, reference: Reference) -> Comparison:
    """"up to", "almost": reference ≤ claimed."""
    return Comparison(_number(reference, "reference") <= _number(claimed.value, "claimed"), f"at most: reference <= {_c(claimed)}")


def about(claimed: Claimed, reference: Reference) -> Comparison:
    """|reference − claimed| ≤ tolerance × |claimed| (default tolerance 5%)."""
    c, r = _number(claimed.value, "claimed"), _number(reference, "reference")
    tolerance = DEFAULT_ABOUT_TOLERANCE if claimed.tolerance is None else claimed.tolerance
    holds = abs(r - c) <= tolerance * abs(c) * (1 + _EPS)
    return Comparison(holds, f"about: reference within ±{_plain(tolerance * 100, 2)}% of {_c(claimed)}")


def rounded(claimed: Claimed, reference: Reference) -> Comparison:
    """The reference, rounded at the claimed figure's precision, gives the claimed figure."""
    c, r = _number(claimed.value, "claimed"), _number(reference, "reference")
    precision = claimed.precision if claimed.precision is not None else infer_precision(c)
    tolerance = claimed.tolerance or 0.0
    half = precision / 2 + tolerance * abs(c)
    low, high = c - half, c + half
    slack = _EPS * max(abs(c), precision)
    holds = low - slack <= r <= high + slack
    unit = claimed.unit
    widened = f", widened by ±{_plain(tolerance * 100, 2)}%" if tolerance else ""
    return Comparison(
        holds,
        f"rounded: reference in [{format_value(low, unit)}, {format_value(high, unit)}] "
        f"(precision {format_value(precision, unit, like=c)}{widened})",
    )


def _span(period: Period) -> str:
    """``2020–2023`` for a span of whole years, else the ISO dates; a single period as written."""
    if period.start.year == period.end.year and period.text and "/" not in period.text and " " not in period.text:
        return period.text
    if (period.start.month, period.start.day, period.end.month, period.end.day) == (1, 1, 12, 31):
        return f"{period.start.year}–{period.end.year}"
    return f"{period.start.isoformat()}–{period.end.isoformat()}"


def equals(claimed: Claimed, reference: Reference) -> Comparison:
    """Exactly equal (numbers to floating-point noise); for dates the reference falls in the claimed period.

    A window such as "the early 2020s" is stated in the rule with its years (2020–2023).
    """
    if claimed.unit in {"date", "decade"}:
        outer = _period(claimed.value, "claimed")
        where = str(claimed.value) if _span(outer) == str(claimed.value) else f"{claimed.value} ({_span(outer)})"
        if reference == NEVER:
            return Comparison(False, f"equals: reference date falls within {where}; no earlier period qualifies")
        inner = _period(reference, "reference")
        return Comparison(inner in outer, f"equals: reference date falls within {where}")
    return Comparison(_close(_number(reference, "reference"), _number(claimed.value, "claimed")), f"equals: reference = {_c(claimed)}")


def before(claimed: Claimed, reference: Reference) -> Comparison:
    """The reference date ends strictly before the claimed date or year begins."""
    limit, ref = _period(claimed.value, "claimed"), _period(reference, "reference")
    return Comparison(ref.end < limit.start, f"before: reference date earlier than {limit.start.isoformat()}")


def by(claimed: Claimed, reference: Reference) -> Comparison:
    """A deadline: the reference date is on or before the end of the claimed date or year."""
    limit, ref = _period(claimed.value, "claimed"), _period(reference, "reference")
    return Comparison(ref.end <= limit.end, f"by: reference date on or before {limit.end.isoformat()}")


def within_decade(claimed: Claimed, reference: Reference) -> Comparison:
    """"in the 1980s": the reference date lies inside the decade."""
    decade, ref = _period(claimed.value, "claimed"), _period(reference, "reference")
    return Comparison(
        ref in decade, f"within decade: reference date between {decade.start.isoformat()} and {decade.end.isoformat()}"
    )


def min_duration(claimed: Claimed, reference: Reference) -> Comparison:
    """"over five decades": the reference duration in years is at least the claimed one."""
    c, r = _number(claimed.value, "claimed"), _number(reference, "reference")
    return Comparison(r >= c, f"minimum duration: reference >= {_plain(c)} years")


def rank(claimed: Claimed, reference: Reference) -> Comparison:
    """"second largest": the reference rank equals the claimed rank."""
    c, r = _number(claimed.value, "claimed"), _number(reference, "reference")
    return Comparison(int(round(r)) == int(round(c)), f"rank: reference rank = {ordinal(c)}")


def attested(claimed: Claimed, reference: Reference) -> Comparison:
    """A statement or event: holds when the evidence that decides is a document recording it."""
    return Comparison(True, "attested: a cited document records it")


# ------------------------------------------------------------------------------------- in words


def _side(r: float, c: float, more: str, less: str) -> str:
    return more if r > c else less


def explain(claimed: Claimed, reference: Reference, holds: bool) -> str:
    """Which way the reference differs from the claim, in words, for a reader: "36.3% is above 14.3%,
    higher than the claim allows" or "38.95 bn is above 28.7 bn, as the claim says". "" when there is
    nothing to say (a document records it, or the values cannot be compared)."""
    comparator = claimed.comparator
    try:
        if comparator is Comparator.attested:
            return ""
        if claimed.unit in {"date", "decade"} or comparator in {Comparator.before, Comparator.by, Comparator.within_decade}:
            return _explain_date(claimed, reference, holds)
        c, r = _number(claimed.value, "claimed"), _number(reference, "reference")
    except CompareError:
        return ""
    cs, rs = display_value(c, claimed.unit), display_value(r, claimed.unit)
    if comparator is Comparator.rank:
        if holds:
            return f"it ranks {ordinal(r)}, as the claim says"
        return f"it ranks {ordinal(r)}, not {ordinal(c)}: {_side(r, c, 'lower', 'higher')} than the claim says"
    if comparator is Comparator.min_duration:
        return f"{rs} is at least {cs}, as the claim says" if holds else f"{rs} is shorter than the {cs} the claim says"
    if comparator in {Comparator.exceeds, Comparator.at_least}:
        if holds:
            return f"{rs} is {'above' if r > c else 'equal to'} {cs}, as the claim says"
        word = "only equal to" if r == c else "below"
        return f"{rs} is {word} {cs}: the data fall short of what the claim says"
    if comparator is Comparator.at_most:
        if holds:
            return f"{rs} is no more than {cs}, as the claim says"
        return f"{rs} is above {cs}: higher than the claim allows"
    if holds:
        return f"{rs} {'rounds to' if comparator is Comparator.rounded else 'agrees with'} {cs}, as the claim says"
    return (f"{rs} is {_side(r, c, 'above', 'below')} {cs}: the article's figure is too "
            f"{_side(r, c, 'low', 'high')}")


def _explain_date(claimed: Claimed, reference: Reference, holds: bool) -> str:
    if reference == NEVER:
        return "no earlier period qualifies" + (", as the claim says" if holds else ": it is the first on record")
    outer, inner = _period(claimed.value, "claimed"), _period(reference, "reference")
    when = inner.text or inner.start.isoformat()
    said = format_value(claimed.value, claimed.unit)  # 2060, not 2060.0
    if holds:
        return f"{when} fits “{said}”, as the claim says"
    later = inner.end > outer.end if claimed.comparator is not Comparator.before else inner.end >= outer.start
    return f"{when} is {'later' if later else 'earlier'} than the claim says (“{said}”)"


COMPARATORS: dict[Comparator, Callable[[Claimed, Reference], Comparison]] = {
    Comparator.exceeds: exceeds,
    Comparator.at_least: at_least,
    Comparator.at_most: at_most,
    Comparator.about: about,
    Comparator.rounded: rounded,
    Comparator.equals: equals,
    Comparator.before: before,
    Comparator.by: by,
    Comparator.within_decade: within_decade,
    Comparator.min_duration: min_duration,
    Comparator.rank: rank,
    Comparator.attested: attested,
}


def compare(claimed: Claimed, reference: Reference) -> Comparison:
    """Apply ``claimed.comparator``; raise ``CompareError`` when the values cannot be compared."""
    function = COMPARATORS.get(claimed.comparator)
    if function is None:
        raise CompareError(f"no rule for comparator {claimed.comparator!r}")
    return function(claimed, reference)


__all__ = [
    "COMPARATORS", "CompareError", "Comparison", "DEFAULT_ABOUT_TOLERANCE", "compare", "display_value", "explain",
    "format_value", "infer_precision", "ordinal",
] + [c.value for c in Comparator]
