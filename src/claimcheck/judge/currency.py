"""A reference value in another unit than the claim's, converted into the claim's unit.

Scale words and multiples convert exactly (``kilotonnes`` to ``tonnes``, ``USD`` to ``billion
USD``). A currency converts through the stored exchange rates, which hold units of each currency
per US dollar: the claim's period is a year (the annual average), a month, or a range of months
(the mean of the monthly averages over the range), so an amount stated for a period converts at
that period's rate. Which snapshots hold the rates is the catalogue's to say: the entry of the
period's grain whose ``converts_currency`` names the measure of units per US dollar. The verdict
sentence says which rate was used and from which snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from claimcheck.registry.units import Unit, parse_unit


class ConversionError(ValueError):
    """The value cannot be put in the claim's unit; the message says why."""


@dataclass(frozen=True)
class Conversion:
    value: float
    note: str  # "converted from EUR at 1.1830 USD per EUR (…)"; "" when only a scale changed
    provenance: tuple[dict[str, Any], ...] = ()


def convert(value: float, unit: str, wanted: str, period: str | None, load: Any) -> Conversion:
    """``value`` in ``unit`` expressed in ``wanted``; ``load(source, name)`` reads a snapshot."""
    have, want = parse_unit(unit), parse_unit(wanted)
    if have is None or want is None or not have.comparable(want):
        raise ConversionError(f"{unit} cannot be converted to {wanted}")
    if have.base == want.base:
        return Conversion(float(value) * have.factor / want.factor, "")
    rate, text, provenance = _rate(have, want, period, load)
    converted = float(value) * have.factor * rate / want.factor
    return Conversion(converted, f"converted from {have.base} at {text}", provenance)


def _rate(have: Unit, want: Unit, period: str | None, load: Any) -> tuple[float, str, tuple[dict[str, Any], ...]]:
    """Units of ``want`` per unit of ``have`` over ``period``, its wording and the snapshot it came from."""
    if not period:
        raise ConversionError(f"no period to choose a {have.base}/{want.base} exchange rate for")
    start, _, end = str(period).partition("/")
    start, end = start[:7], (end or start)[:7]  # a day converts at its month's rate
    monthly = len(start) == 7 or len(end) == 7
    try:
        rates = _rates("monthly" if monthly else "annual")
        source, name = rates.source, rates.name
        snapshot = load(source, name)
    except Exception as exc:  # missing, invalid or pinned out of reach: the claim cannot be compared
        raise ConversionError(f"no exchange rates to convert {have.base} to {want.base}: {exc}") from None
    frame = snapshot.frame
    frame = frame[frame["measure"] == rates.converts_currency]
    per_usd = {}
    for code in (have.base, want.base):
        if code == "USD":
            per_usd[code] = 1.0
            continue
        rows = frame[(frame["entity"] == code) & (frame["period"] >= start) & (frame["period"] <= end)]
        months = len(rows)
        if rows.empty:
            raise ConversionError(f"{source}/{name} has no {code} rate for {period}")
        per_usd[code] = float(rows["value"].mean())
        if monthly and months < _months(start, end):
            raise ConversionError(f"{source}/{name} has {months} of the {_months(start, end)} monthly {code} rates for {period}")
    rate = per_usd[want.base] / per_usd[have.base]
    span = period.replace("/", "–")
    kind = "mean of monthly averages" if monthly and start != end else ("monthly average" if monthly else "annual average")
    text = f"{rate:.4g} {want.base} per {have.base} ({kind}, {span}, {snapshot.provenance.source}/{name})"
    provenance = getattr(snapshot, "provenance", None)
    item = provenance.as_dict() if hasattr(provenance, "as_dict") else {}
    return rate, text, ({**item, "note": f"exchange rate used to convert {have.base} to {want.base}"},)


def _rates(grain: str) -> Any:
    """The catalogue entry that converts currencies over periods of this grain (``converts_currency``)."""
    from claimcheck.reference import catalogue

    found = [e for e in catalogue.entries() if e.converts_currency and e.grain == grain]
    if not found:
        raise ConversionError(f"no catalogue entry converts currencies (field converts_currency) for {grain} periods")
    return found[0]


def _months(start: str, end: str) -> int:
    (y0, m0), (y1, m1) = (map(int, p.split("-")) for p in (start, end))
    return (y1 - y0) * 12 + m1 - m0 + 1


def in_claimed_unit(result: Any, wanted: str | None, period: str | None, load: Any) -> Any:
    """The evidence result with its value in ``wanted`` (and the conversion in its description), or the
    result unchanged when its unit already is ``wanted``, or either unit is not convertible.
    Raises ConversionError when a conversion applies but cannot be done (no rate for the period)."""
    if not wanted or result.unit == wanted or not isinstance(result.value, (int, float)) or isinstance(result.value, bool):
        return result
    have, want = parse_unit(result.unit), parse_unit(wanted)
    if have is None or want is None or not have.comparable(want):
        return result
    conversion = convert(result.value, result.unit, wanted, period, load)
    description = "; ".join(part for part in (result.description, conversion.note) if part)
    return replace(result, value=conversion.value, unit=wanted, description=description,
                   provenance=[*result.provenance, *conversion.provenance],
                   extra={**result.extra, "converted_from": result.unit, "conversion": conversion.note})
