"""``claimcheck sources --search``: which catalogue entry holds a measure named in plain words.

Every entry, and every measure of an entry that holds several, is a candidate. A query word counts by
how rare it is in the catalogue (inverse document frequency) and by where it is found: among the
names the measure goes by (``names``), in its title, or in its description and use. A candidate that
leaves query words unmatched is scaled down by the share it matched, and one of whose names is the
query itself comes first. Ties go to an entry a person wrote or reviewed (not only generated), then
to the shorter title, then to the series holding later years.
The spellings and words read as one are data (``catalogue/vocabulary/synonyms.yaml``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from claimcheck.reference import catalogue
from claimcheck.reference.vocabulary import VocabularyError, terms

FIELD_WEIGHTS = (("names", 3.0), ("title", 2.0), ("about", 1.0))


@dataclass(frozen=True)
class Candidate:
    """One measure a search can find: an entry, or one measure of an entry's table."""

    spec: Any
    measure: str  # the measure code ('' when the entry does not say)
    title: str
    unit: str
    shape: str | None
    fields: dict[str, frozenset[str]] = field(default_factory=dict)
    phrases: tuple[frozenset[str], ...] = ()


def candidates() -> list[Candidate]:
    out = []
    for spec in catalogue.entries():
        if spec.measures:
            for code, m in spec.measures.items():
                out.append(_candidate(spec, code, m["title"], m["unit"], m["shape"], m["names"], m["description"]))
            continue
        code = spec.query.get("indicator") if isinstance(spec.query.get("indicator"), str) else ""
        code = code or next(iter(spec.measure_names), "")
        about = f"{spec.about} {spec.used_for}"
        out.append(_candidate(spec, code, spec.title, spec.unit, spec.shape, spec.names, about))
    return out


def _candidate(spec: Any, code: str, title: str, unit: str, shape: str | None, names: tuple[str, ...],
               about: str) -> Candidate:  # fmt: skip
    name_terms = [frozenset(terms(n)) for n in names]
    fields = {"names": frozenset().union(*name_terms) if name_terms else frozenset(),
              "title": frozenset(terms(title)), "about": frozenset(terms(about))}  # fmt: skip
    return Candidate(spec, code, title, unit, shape, fields, tuple(p for p in name_terms if p))


def search(query: str, limit: int = 5) -> list[tuple[float, Candidate]]:
    """The best candidates for ``query``, best first, with their scores (only those matching a word)."""
    wanted = list(dict.fromkeys(terms(query)))
    if not wanted:
        return []
    pool = candidates()
    counts: dict[str, int] = {}
    for c in pool:
        for word in set().union(*c.fields.values()):
            counts[word] = counts.get(word, 0) + 1
    scored = []
    for c in pool:
        score, matched = 0.0, 0
        for word in wanted:
            weight = max((w for name, w in FIELD_WEIGHTS if word in c.fields[name]), default=0.0)
            if weight:
                matched += 1
                score += weight * math.log((1 + len(pool)) / (1 + counts.get(word, 0)) + 1)
        if not matched:
            continue
        score *= (matched / len(wanted)) ** 2
        if frozenset(wanted) in c.phrases:
            score *= 2  # one of its names is exactly what was asked for
        scored.append((round(score, 6), c))
    scored.sort(key=lambda sc: (-sc[0], catalogue.is_generated(sc[1].spec), len(sc[1].fields["title"]),
                                -_last_year(sc[1]), sc[1].spec.source, sc[1].spec.name))
    return scored[:limit]


def _last_year(c: Candidate) -> int:
    span = holdings(c.spec.source, c.spec.name, c.measure).get("years", "")
    try:
        return int(span[-4:])
    except ValueError:
        return 0


def holdings(source: str, name: str, measure: str = "") -> dict[str, Any]:
    """What the newest stored version holds, from its sidecar: ``years`` (first-last), ``economies``
    (entities that are not aggregates) and ``aggregates``; empty when nothing is stored."""
    from claimcheck.reference.snapshots import read_meta, snapshot_paths
    from claimcheck.reference.errors import SnapshotInvalid, SnapshotMissing

    try:
        meta = read_meta(snapshot_paths(source, name)[1])
    except (SnapshotMissing, SnapshotInvalid, OSError):
        return {}
    cover = meta.get("coverage") or {}
    if not cover:
        return {}
    years = (cover.get("measures") or {}).get(measure) or f"{cover['first']}-{cover['last']}"
    out = {"years": years, "entities": cover.get("entities", 0)}
    if "aggregates" in cover:
        out.update(economies=cover["entities"] - cover["aggregates"], aggregates=cover["aggregates"])
    return out


def evidence_block(c: Candidate) -> str:
    """A ready ``evidence:`` block for claims.yaml: replace ISO3 and YEAR with the claim's."""
    select = f"{{measure: {c.measure}, entity: ISO3}}" if c.measure else "{entity: ISO3}"
    label = f"{c.spec.source}/{c.spec.name}" + (f" {c.measure}" if c.measure else "") + f": {c.title}"
    label = label.replace('"', "'")
    return (f"evidence:\n"
            f"  - kind: dataset\n"
            f"    source: {c.spec.source}\n"
            f"    snapshot: {c.spec.name}\n"
            f"    select: {select}\n"
            f"    compute: {{op: value, period: \"YEAR\"}}\n"
            f"    label: \"{label}\"\n")  # fmt: skip


def search_command(query: str, limit: int = 5) -> int:
    """Print the best entries for ``query``: source, snapshot, measure, unit, grain, years, economies, evidence."""
    try:
        found = search(query, limit)
    except (catalogue.CatalogueError, VocabularyError) as exc:
        print(f"sources --search: {exc}")
        return 2
    if not found:
        print(f"sources --search: no catalogue entry names {query!r}; `claimcheck sources` lists them all, "
              "and `claimcheck catalog add` adds one from its source's metadata")
        return 1
    for rank, (score, c) in enumerate(found, 1):
        held = holdings(c.spec.source, c.spec.name, c.measure)
        where = (f"years {held['years']}, {held.get('economies', held['entities'])} "
                 f"{'economies' if 'economies' in held else 'entities'}"
                 + (f" and {held['aggregates']} aggregates" if held.get("aggregates") else "")) if held else "not held offline"
        print(f"{rank}. {c.title}")
        print(f"   source {c.spec.source}, snapshot {c.spec.name}, measure {c.measure or '-'}, unit {c.unit}, "
              f"grain {c.spec.grain}" + (f", shape {c.shape}" if c.shape else "") + f"; {where}")
        print("   " + evidence_block(c).replace("\n", "\n   ").rstrip())
    return 0
