"""Resolve, first: every observation the verdict policy may need, in one table, before anything is assessed.

For one reading of a claim: each evidence's current figure in the claim's unit; and for each dataset
evidence, every stored release published on or before the article's date and the later ones (each in
the claim's unit, or None when it cannot say), with the agreement band of its kind of measure. The
policy (``judge/policy.py``, applied in ``judge/verdicts.py``) then decides from this table alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from claimcheck.judge import evidence as _evidence  # the module, so tests can replace its catalogue look-up
from claimcheck.judge import policy
from claimcheck.judge.compare import CompareError, compare
from claimcheck.judge.currency import ConversionError, in_claimed_unit
from claimcheck.judge.evidence import (
    ERROR, EvidenceResult, Loader, article_date, resolve, resolve_later_vintages, resolve_vintages_before, with_reading,
)
from claimcheck.registry.bands import Band, load_bands
from claimcheck.registry.claims import Claimed, DatasetEvidence


@dataclass(frozen=True)
class Releases:
    """The stored releases of one dataset evidence, each as read and in the claim's unit (None: it cannot say)."""

    before: tuple[tuple[EvidenceResult, EvidenceResult | None], ...] = ()  # on or before the article's date, newest first
    later: tuple[EvidenceResult, ...] = ()  # after it (not the newest), oldest first, only those that can say
    band: Band | None = None


@dataclass(frozen=True)
class Observations:
    """One reading's table: the current results, and the releases and band of each dataset evidence."""

    results: tuple[EvidenceResult, ...]
    releases: dict[int, Releases] = field(default_factory=dict)  # by position in ``results``
    day: date | None = None

    def of(self, result: EvidenceResult) -> Releases:
        index = next((i for i, r in enumerate(self.results) if r is result), None)
        return self.releases.get(index, Releases()) if index is not None else Releases()


def in_claimed_units(claimed: Claimed | None, results: tuple[EvidenceResult, ...], loader: Loader) -> tuple[EvidenceResult, ...]:
    """Each ok result in the claim's unit: a scale, a multiple or a currency converted (``judge/currency.py``;
    the result's description, and so the sentence, says at what rate). One that cannot be is an error."""
    if claimed is None or not claimed.unit:
        return results
    out = []
    for result in results:
        if result.ok:
            try:
                result = in_claimed_unit(result, claimed.unit, claimed.period, loader.snapshot)
            except ConversionError as exc:
                result = replace(result, status=ERROR, reason=f"not comparable with the claimed {claimed.unit}: {exc}")
        out.append(result)
    return tuple(out)


def observe(claimed: Claimed | None, specs: list[Any], article: Any, mode: str, loader: Loader, reading: str) -> Observations:
    """Resolve the evidence of one reading, and every release and band the policy may need for it."""
    results = tuple(with_reading(resolve(e, article, mode, loader=loader), reading) for e in specs)
    results = in_claimed_units(claimed, results, loader)
    day = article_date(article)
    releases = {}
    if claimed is not None:
        for index, (spec, result) in enumerate(zip(specs, results)):
            if isinstance(spec, DatasetEvidence) and result.ok and result.role != "context" and not _rounds(claimed, result):
                releases[index] = _releases(claimed, spec, result, day, loader)
    return Observations(results, releases, day)


def _rounds(claimed: Claimed, result: EvidenceResult) -> bool:
    """Whether today's figure already bears the claim out: then the policy needs no other release or band."""
    if result.extra.get("series") or result.extra.get("fails") or result.value is None:
        return False
    try:
        return compare(claimed, result.value).holds
    except (CompareError, TypeError, ValueError):
        return False


def _releases(claimed: Claimed, spec: DatasetEvidence, current: EvidenceResult, day: date | None,
              loader: Loader) -> Releases:
    band = policy.band_for(claimed.unit, claimed.band, _evidence.agreement_band(spec.source, spec.snapshot),
                           spec.compute.op, load_bands())
    if band is not None:  # a difference of two amounts magnifies their disagreement
        band = policy.widened(band, current.extra.get("amplification"))
    if day is None:
        return Releases(band=band)
    read = resolve_vintages_before(spec, day, loader, skip=current.version)
    before = tuple((r, usable(claimed, r, current, loader)) for r in read)
    if any(v is not None for _, v in before[:1]):
        return Releases(before, (), band)  # the newest release of the article's date says: no later one is needed
    later = tuple(v for v in (usable(claimed, r, current, loader) for r in resolve_later_vintages(spec, day, loader))
                  if v is not None)
    return Releases(before, later, band)


def usable(claimed: Claimed, result: EvidenceResult | None, current: EvidenceResult, loader: Loader) -> EvidenceResult | None:
    """Another version's reading, in the claim's units, when it holds a figure other than the current one's."""
    if result is None or not result.ok or not result.version or result.version == current.version:
        return None
    if ends_before(result, claimed):  # a copy whose data stop before the claimed date cannot say
        return None
    converted = in_claimed_units(claimed, (result,), loader)[0]
    return converted if converted.ok else None


def ends_before(result: EvidenceResult, claimed: Claimed) -> bool:
    """Whether a version's data stop before the claimed date ("overtook in 2018" against data to 2016)."""
    if claimed.unit != "date":
        return False
    if "searched" in (result.extra or {}):  # a crossing: the span it searched
        years = [str(result.extra["searched"][-1])[:4]]
    elif not result.rows.empty and "period" in result.rows.columns:
        years = result.rows["period"].astype(str).str[:4]
    else:
        return False
    last = max((int(y) for y in years if y.isdigit()), default=None)
    claimed_year = str(claimed.value)[:4]
    return last is not None and claimed_year.isdigit() and last < int(claimed_year)


__all__ = ["Observations", "Releases", "ends_before", "in_claimed_units", "observe", "usable"]
