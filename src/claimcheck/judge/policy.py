"""The agreement policy for a figure its reference does not round to: three zones, decided without files.

Rounding decides first (``judge/compare.py``). A figure that does not round to the reference is
measured against the band of its kind of measure (``registry/bands.py``): relative for amounts,
percentage points for rates (a claim whose unit is ``percent``). Within the ``supported`` band the
difference is normal; beyond the ``contradicted`` bound (the 95th percentile of honest differences)
no honest reading explains it; between the two the figure is ``imprecise``.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimcheck.registry.bands import Band, Bands
from claimcheck.registry.claims import RATE_UNITS

SUPPORTED = "supported"
IMPRECISE = "imprecise"
CONTRADICTED = "contradicted"
_SLACK = 1e-9  # floating-point noise at a band's edge


@dataclass(frozen=True)
class Zone:
    """Where a difference falls: the zone, the difference (relative or in points) and the band used."""

    name: str  # supported | imprecise | contradicted
    difference: float  # |reference - claimed|, relative to |claimed| or in percentage points
    above: bool  # the reference is above the claimed figure
    band: Band


def is_rate(unit: str | None) -> bool:
    return unit in RATE_UNITS


def band_for(unit: str | None, own: str | float | None, catalogue: str | float | None, op: str | None,
             bands: Bands) -> Band | None:
    """The band for a claim in ``unit``: the claim's own (a name or a number), else the catalogue entry's.

    A rate computed from a level series (growth of exports, a share of population) takes the band
    ``bands.yaml`` names for its op; a level band never applies to a rate, nor a band in points to an amount.
    A claim's own number is relative for amounts and points for rates, and is both bounds (two zones).
    """
    rate = is_rate(unit)
    if unit == "rank":  # a rank's margin is measured on the ranked values, in their own band
        given = catalogue if own is None else own
        return bands.bands[given] if isinstance(given, str) else None
    for given in (own, catalogue):
        if given is None:
            continue
        if isinstance(given, (int, float)):
            return Band("own", "points" if rate else "relative", float(given), float(given), "this figure")
        band = bands.bands[given]
        if band.in_points == rate:
            return band
        return bands.derived_rate(op) if rate else None
    return bands.derived_rate(op) if rate else None


def rank_margin(own: float, others: list[float], claimed_rank: int, band: Band) -> tuple[Zone, int] | None:
    """How far the entity's value is from the one that would give it the claimed rank (``others``: every other
    entity's value, largest first), placed in the band's zones; with the index of that other entity. None
    when the claimed rank cannot be reached (beyond the number of entities) or the gap has no base."""
    if claimed_rank < 1 or claimed_rank > len(others) + 1:
        return None
    actual = 1 + sum(1 for v in others if v > own)
    if actual == claimed_rank:
        return None
    index = claimed_rank - 1 if claimed_rank < actual else claimed_rank - 2  # the one to pass, or to fall behind
    found = zone(own, others[index], band)
    return (found, index) if found is not None else None


def widened(band: Band, amplification: float | None) -> Band:
    """A relative band for a difference of two amounts (a trade surplus): each input may differ by the band,
    so the difference may differ by the band times (|a| + |b|) / |a − b|."""
    if not amplification or band.in_points or amplification <= 1:
        return band
    return Band(band.name, band.kind, band.supported * amplification, band.contradicted * amplification,
                f"{band.label}, magnified {amplification:.3g} times by the difference", band.method, band.n)


def _edge(bound: float) -> float:
    return bound * (1 + _SLACK) + _SLACK


def zone(claimed: float, reference: float, band: Band) -> Zone | None:
    """The zone of ``reference`` against ``claimed`` (None when a relative difference has no base)."""
    if band.in_points:
        difference = abs(reference - claimed)
    elif claimed:
        difference = abs(reference - claimed) / abs(claimed)
    else:
        return None
    if difference <= _edge(band.supported):
        name = SUPPORTED
    elif difference <= _edge(band.contradicted):
        name = IMPRECISE
    else:
        name = CONTRADICTED
    return Zone(name, difference, reference > claimed, band)


def amount(value: float, band: Band) -> str:
    """A difference or a band in words: ``2.5%`` for a relative one, ``0.4 points`` for one in points."""
    if band.in_points:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return f"{text} point" + ("" if text == "1" else "s")
    pct = value * 100
    return f"{pct:.2g}%" if pct < 10 else f"{pct:.3g}%"


__all__ = ["CONTRADICTED", "IMPRECISE", "SUPPORTED", "Zone", "amount", "band_for", "is_rate", "rank_margin", "widened", "zone"]
