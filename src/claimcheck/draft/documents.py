"""Document evidence for a drafted claim that no catalogue entry holds: the published statement in the
documents registry whose words fit the sentence and which states a fact of the claim's unit and period.

A document is described by its quote, title and the names of the facts it states (``bri_goods_trade``
reads as "bri goods trade"); the sentence matches it on the words they share, each weighted by how
few documents use it, as catalogue entries are matched. A document qualifies only with a fact in a
unit the claim can be compared with (a currency for an amount, percent for a share, a date for a
year) and, when the claim has a period, for that period as written. The draft cites the fact and
names the quote to look for on the document's page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from claimcheck.draft.evidence import words
from claimcheck.registry.units import parse_unit

MIN_SCORE = 6.0  # about three uncommon words in common: fewer matched unrelated statements on the seed texts
MIN_SHARED = 3


@dataclass(frozen=True)
class Candidate:
    id: str
    publisher: str
    published: str | None
    quote: str
    words: frozenset[str]
    facts: tuple[tuple[str, str, str, frozenset[str]], ...]  # (measure, unit, period, the measure's words)


@lru_cache(maxsize=4)
def _candidates(signature: Any) -> tuple[list[Candidate], dict[str, float]]:
    from claimcheck.reference.documents import load_documents

    out = []
    for doc in load_documents().values():
        facts = tuple((f.measure, f.unit, f.period, frozenset(words(f.measure.replace("_", " "), {}))) for f in doc.facts)
        text = " ".join([doc.quote, doc.title or "", *(f.measure.replace("_", " ") for f in doc.facts)])
        out.append(Candidate(doc.id, doc.publisher, doc.published, doc.quote, frozenset(words(text, {})), facts))
    df: dict[str, int] = {}
    for candidate in out:
        for word in candidate.words:
            df[word] = df.get(word, 0) + 1
    return out, {w: math.log((1 + len(out)) / n) for w, n in df.items()}


def candidates() -> tuple[list[Candidate], dict[str, float]]:
    """The registry's documents as word sets, and each word's weight (re-read when the registry changes)."""
    from claimcheck.reference.documents import registry_paths

    registry, sidecar = registry_paths()
    if not registry.exists():
        return [], {}
    return _candidates(tuple((str(p), p.stat().st_mtime_ns) for p in (registry, sidecar) if p.exists()))


def _unit_fits(claimed_unit: str, fact_unit: str) -> bool:
    if claimed_unit == "date":
        return fact_unit in {"date", "year"}
    a, b = parse_unit(claimed_unit), parse_unit(fact_unit)
    return bool(a and b and a.comparable(b))


def _names(sentence: str) -> set[str]:
    """The words of the names the sentence writes: capitalised after its first word, or acronyms ("BRI")."""
    tokens = re.findall(r"[A-Za-z][A-Za-z0-9'’-]*", sentence)
    return words(" ".join(t for i, t in enumerate(tokens) if t.isupper() and len(t) > 1 or i and t[0].isupper()), {})


def propose_document(sentence: str, claimed: dict, known: frozenset[str] = frozenset(),
                     clause: str = "") -> tuple[dict | None, str, set[str]]:
    """A ``document`` evidence for the claim, the draft note naming the quote to look for, and the names
    it matched that ``known`` (the catalogue's vocabulary) lacks; (None, '', set()) when none fits.

    The fact cited must share a word with the clause when the clause has words of its own ("two-way
    investments exceeding $230 billion" is no trade figure of the same sentence). A duration ("over five
    decades") is measured from a date the document states to the article's date."""
    try:
        found, idf = candidates()
    except Exception:  # a broken registry is reported where it is read (claimcheck sources, the run), not here
        return None, "", set()
    looked = words(sentence, {})
    own = words(clause, {}) or looked
    unit, period = claimed.get("unit") or "", claimed.get("period")
    duration = unit == "years" and claimed.get("comparator") in {"min_duration", "about", "rounded", "at_most"}
    best = None
    for doc in found:
        shared = looked & doc.words
        score = sum(idf.get(w, 0.0) for w in shared)
        if score < MIN_SCORE or len(shared) < MIN_SHARED:
            continue
        facts = [f for f in doc.facts if (f[1] == "date" if duration else _unit_fits(unit, f[1]))
                 and (period is None or f[2] == period) and (duration or f[3] & own)]
        if not facts:
            continue
        fact = max(facts, key=lambda f: len(f[3] & looked))
        key = (score, len(fact[3] & looked))
        if best is None or key > best[0]:
            best = (key, doc, fact, sorted(shared))
    if best is None:
        return None, "", set()
    _, doc, (measure, _, fact_period, _), shared = best
    evidence: dict[str, Any] = {"kind": "document", "document": doc.id, "measures": [measure]}
    if period is not None:
        evidence["period"] = fact_period
    if duration:
        evidence["compute"] = {"op": "years_between", "start": measure, "end": "article"}
    evidence["label"] = f"{doc.publisher}{', ' + doc.published if doc.published else ''}"
    reading = f"the years from its {measure} to the article's date" if duration else f"{measure} for {fact_period}"
    note = (f"evidence document {doc.id} ({doc.publisher}): the words {', '.join(shared)} match its text; it states "
            f"{reading}. Look for “{doc.quote}” on the page and confirm it is the figure the sentence means")
    return evidence, note, (set(shared) & _names(sentence)) - known
