"""The agreement policy for a figure its reference does not round to: three zones, decided without files.

Rounding decides first (``judge/compare.py``). A figure that does not round to the reference is
measured against the band of its kind of measure (``registry/bands.py``): relative for amounts,
percentage points for rates (a claim whose unit is ``percent``). Within the ``supported`` band the
difference is normal; beyond the ``contradicted`` bound (the 95th percentile of honest differences)
no honest reading explains it; between the two the figure is ``imprecise``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from claimcheck.registry.bands import Band, Bands
from claimcheck.registry.claims import RATE_UNITS, Claimed, Comparator

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

    A growth rate computed from a level series (growth of exports) takes that level band's ``growth`` band;
    another rate (a share of population) the band ``bands.yaml`` names for its op; a level band never applies
    to a rate, nor a band in points to an amount.
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
        return bands.derived_rate(op, band) if rate else None
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


# ------------------------------------------------------------------------------------ the decision

# Which reading decides a figure that today's data do not bear out exactly
CURRENT = "current"  # today's figure, placed in the band's zones
MATCHES_RELEASE = "matches a release"  # a release on or before the article's date rounds to it: supported
NEWEST_BEFORE = "newest before"  # the newest release on or before the article's date, placed in the zones
EARLIEST_LATER = "earliest later"  # no release of the article's date holds it: the earliest later one
NO_BAND_UNITS = {"places", "times", "date", "decade", "year"}  # counts of places, dates: exact
# A rounded figure, or a bound ("more than", "at least", "up to") the reference misses by the difference
BANDED = {Comparator.rounded, Comparator.exceeds, Comparator.at_least, Comparator.at_most}


@dataclass(frozen=True)
class Decision:
    """What the policy decided, from the observations alone; ``judge/verdicts.py`` words it."""

    basis: str  # CURRENT, MATCHES_RELEASE, NEWEST_BEFORE or EARLIEST_LATER
    reference: Any  # the observation that decides (today's for CURRENT)
    holds: bool
    newest: bool = False  # MATCHES_RELEASE: that release is the newest on or before the article's date
    zone: Zone | None = None  # where the band placed the difference, when one did
    rival: tuple[int, tuple[str, str, float]] | None = None  # a rank's margin: (the claimed rank, the entity to pass)


def decide(claimed: Claimed, current: Any, releases: Any, dated: bool, holds: Callable[[Any], bool | None]) -> Decision:
    """The revision and band policy (docs/verdicts.md, "Revisions and sources") for ``current``, a figure that
    does not bear ``claimed`` out; ``releases`` (``observations.Releases``) are the other stored releases and
    the band; ``holds(observation)`` is the claim's comparator on it (None: it cannot be compared).

    1. A release on or before the article's date that the figure rounds to supports it.
    2. Else the newest such release is the reference; when none holds the figure, the earliest later one
       (which supports it when it rounds to it).
    3. Then the band's three zones place the difference (a rank: the margin to the claimed rank).
    """
    basis, reference, held = CURRENT, current, False
    if dated:
        for position, (_, release) in enumerate(releases.before):  # newest first
            if release is not None and holds(release):
                return Decision(MATCHES_RELEASE, release, True, newest=position == 0)
        newest = releases.before[0][1] if releases.before else None
        if newest is not None and holds(newest) is not None:
            basis, reference = NEWEST_BEFORE, newest
        else:
            later = next(iter(releases.later), None)
            verdict = holds(later) if later is not None else None
            if verdict is not None:
                if verdict:
                    return Decision(EARLIEST_LATER, later, True)
                basis, reference = EARLIEST_LATER, later
    return _placed(claimed, Decision(basis, reference, held), releases.band)


def _placed(claimed: Claimed, decision: Decision, band: Band | None) -> Decision:
    """The decision with the band's zone: a rounded amount or rate by its difference, a rank by its margin."""
    extra = getattr(decision.reference, "extra", {}) or {}
    value = getattr(decision.reference, "value", None)
    if band is None:
        return decision
    if claimed.comparator is Comparator.rank and "others" in extra:
        wanted = int(round(float(claimed.value)))
        placed = rank_margin(float(extra["own_value"]), [v for _, _, v in extra["others"]], wanted, band)
        if placed is None:
            return decision
        found, index = placed
        return Decision(decision.basis, decision.reference, found.name == SUPPORTED, zone=found,
                        rival=(wanted, extra["others"][index]))
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (claimed.value, value))
    if claimed.comparator not in BANDED or claimed.unit in NO_BAND_UNITS or not numbers:
        return decision
    found = zone(float(claimed.value), float(value), band)
    if found is None:
        return decision
    return Decision(decision.basis, decision.reference, found.name == SUPPORTED, zone=found)


__all__ = [
    "CONTRADICTED", "CURRENT", "Decision", "EARLIEST_LATER", "IMPRECISE", "MATCHES_RELEASE", "NEWEST_BEFORE", "SUPPORTED",
    "Zone", "amount", "band_for", "decide", "is_rate", "rank_margin", "widened", "zone",
]
