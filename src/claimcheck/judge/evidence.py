"""Resolve one evidence spec of a claim into a value with its provenance.

``resolve`` never raises for a bad evidence: whatever goes wrong becomes an ``EvidenceResult``
with ``status`` ``missing`` (the data are not in the offline snapshot, a refresh could check it) or
``error`` (a source failed, a snapshot is invalid, the spec cannot be computed), and a ``reason``.

The loaders ``get_snapshot`` and ``load_documents`` are module attributes so that tests can
replace them; a ``Loader`` memoises them so that judging many claims loads each snapshot and the
documents registry once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

import pandas as pd

from claimcheck.registry.claims import DatasetEvidence, DocumentEvidence, Evidence, InternalEvidence
from claimcheck.judge.compute import (
    ComputeError, ComputeMissing, RowIndex, compute, derive_rows, inputs_frame, take_rows,
)
from claimcheck.reference.groups import GROUP_KEY, group

OK = "ok"
MISSING = "missing"
ERROR = "error"
STATUSES = (OK, MISSING, ERROR)
Status = Literal["ok", "missing", "error"]

DERIVED = "derived, not stated by the source"


def get_snapshot(source: str, name: str, mode: str = "offline", as_of: date | None = None) -> Any:
    """``claimcheck.reference.snapshots.get_snapshot`` (imported when first needed)."""
    from claimcheck.reference.snapshots import get_snapshot as _get_snapshot

    return _get_snapshot(source, name, mode=mode, as_of=as_of)


def load_documents() -> dict[str, Any]:
    """``claimcheck.reference.documents.load_documents`` (imported when first needed)."""
    from claimcheck.reference.documents import load_documents as _load_documents

    return _load_documents()


@dataclass(frozen=True)
class EvidenceResult:
    """What one evidence says, with where it comes from."""

    label: str
    kind: str  # dataset | document | internal
    status: Status
    value: float | str | None = None
    unit: str | None = None
    rows: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    description: str = ""
    provenance: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None
    role: str = "decisive"  # "context" evidence is shown, never decides
    reading: str | None = None  # label of the reading this evidence was resolved for
    version: str = ""  # the snapshot version read (dataset evidence)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)  # op details (rank: n, top, entity)

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def source_ref(self) -> str:
        """The snapshot path or URL of the first provenance entry ("" when none)."""
        for item in self.provenance:
            ref = item.get("snapshot") or item.get("url")
            if ref:
                return str(ref)
        return ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (rows omitted)."""
        return {
            "label": self.label, "kind": self.kind, "status": self.status, "value": self.value, "unit": self.unit,
            "description": self.description, "provenance": self.provenance, "reason": self.reason,
            "role": self.role, "reading": self.reading, "version": self.version,
        }


class Loader:
    """Memoised access to snapshots and documents for one run (one ``judge_all`` call)."""

    def __init__(self, mode: str = "offline", as_of: date | None = None):
        self.mode = mode
        self.as_of = as_of  # read every snapshot at its newest version on or before this date (None: newest)
        self._snapshots: dict[tuple[str, str, date | None], Any] = {}
        self._rows: dict[tuple, pd.DataFrame] = {}
        self._indexes: dict[int, RowIndex] = {}  # id of a loaded snapshot -> its frame's index for select
        self._named: dict[int, pd.DataFrame] = {}  # id of a loaded snapshot -> its frame with measure names
        self._entries: dict[tuple[str, str], Any] = {}
        self._documents: dict[str, Any] | None = None
        self._documents_error: BaseException | None = None

    def snapshot(self, source: str, name: str, as_of: date | None = None) -> Any:
        """The newest version (or the newest on or before ``as_of``); ``run --as-of`` caps both."""
        as_of = as_of or self.as_of
        key = (source, name, as_of)
        if key not in self._snapshots:
            found = self._read_already(source, name, as_of)
            if found is None:
                try:
                    found = get_snapshot(source, name, mode=self.mode, **({"as_of": as_of} if as_of else {}))
                except Exception as exc:  # remembered so a failing fetch is not retried per claim
                    found = exc
            self._snapshots[key] = found
        found = self._snapshots[key]
        if isinstance(found, BaseException):
            raise found
        return found

    def _read_already(self, source: str, name: str, as_of: date | None) -> Any:
        """The snapshot read for another date when ``as_of`` picks the same stored version, else None:
        offline, a version is a file, so the revision policy's reads as of an article's date cost nothing
        when the newest version is already that of the date."""
        read = [s for (src, nm, _), s in self._snapshots.items()
                if (src, nm) == (source, name) and not isinstance(s, BaseException)]
        if self.mode != "offline" or not read:
            return None
        from claimcheck.reference.snapshots import pick_version

        try:
            version = pick_version(source, name, as_of)
        except Exception:  # not in the store (the caller's get_snapshot says why)
            return None
        return next((s for s in read if getattr(s, "version", None) == version), None)

    def rows(self, source: str, name: str, select: dict | None, as_of: date | None = None, *,
             named: bool = False) -> pd.DataFrame:
        """``select_rows`` of a snapshot, kept for the run: a notebook's chart of a claim's series
        selects what judging the claim selected (callers must not modify the frame). ``named``: with
        the catalogue's measure names (``_with_measure_names``), named once for the whole snapshot."""
        as_of = as_of or self.as_of
        key = (source, name, as_of, repr(sorted((select or {}).items())), named)
        if key not in self._rows:
            snapshot = self.snapshot(source, name, as_of)
            if id(snapshot) not in self._indexes:
                self._indexes[id(snapshot)] = RowIndex(snapshot.frame)
            kept = self._indexes[id(snapshot)].positions(select)
            frame = snapshot.frame
            if named and (len(frame) if kept is None else len(kept)):  # no rows, no names (as _with_measure_names)
                if id(snapshot) not in self._named:
                    self._named[id(snapshot)] = _with_measure_names(frame, self.entry(source, name))
                frame = self._named[id(snapshot)]
            self._rows[key] = frame if kept is None else take_rows(frame, kept)
        return self._rows[key]

    def entry(self, source: str, name: str) -> Any:
        """The catalogue's entry for a snapshot, or None for one it does not declare (read once per run)."""
        if (source, name) not in self._entries:
            self._entries[source, name] = _catalogue_entry(source, name)
        return self._entries[source, name]

    def documents(self) -> dict[str, Any]:
        if self._documents is None and self._documents_error is None:
            try:
                self._documents = load_documents()
            except Exception as exc:
                self._documents_error = exc
        if self._documents_error is not None:
            raise self._documents_error
        return self._documents  # type: ignore[return-value]


# ------------------------------------------------------------------------------------------ helpers


def _is_missing(exc: BaseException) -> bool:
    from claimcheck.reference.snapshots import SnapshotMissing

    return isinstance(exc, SnapshotMissing)


def _exc_text(exc: BaseException) -> str:
    from claimcheck.reference.http import redact_text  # a failure may quote a response that echoed a key

    text = redact_text(str(exc).strip()) or type(exc).__name__
    return text if type(exc).__name__ in text else f"{type(exc).__name__}: {text}"


def provenance_dict(provenance: Any) -> dict[str, Any]:
    """A ``Provenance`` (or a dict already) as a plain dict without empty fields."""
    if provenance is None:
        return {}
    if isinstance(provenance, dict):
        return {k: v for k, v in provenance.items() if v is not None}
    if hasattr(provenance, "as_dict"):
        return provenance.as_dict()
    return {k: v for k, v in vars(provenance).items() if v is not None}


def article_date(article: Any) -> date | None:
    """The publication date of an ``Article`` (or a ``date`` given directly, or None)."""
    if article is None or isinstance(article, date):
        return article
    try:
        return article.metadata.date
    except Exception:
        return None


def _select_text(select: dict[str, str | list[str]]) -> str:
    parts = [f"{k}={'+'.join(v) if isinstance(v, list) else v}" for k, v in sorted(select.items())]
    return f" ({', '.join(parts)})" if parts else ""


def default_label(spec: Evidence, documents: dict[str, Any] | None = None) -> str:
    """A label for an evidence without one: ``imf trade_annual (entity=XYZ)``, a document's publisher."""
    if spec.label:
        return spec.label
    if isinstance(spec, DatasetEvidence):
        return f"{spec.source} {spec.snapshot}{_select_text(spec.select)}"
    if isinstance(spec, DocumentEvidence):
        ids = spec.document if isinstance(spec.document, list) else [spec.document]
        names = []
        for doc_id in ids:
            doc = (documents or {}).get(doc_id)
            publisher = getattr(doc, "publisher", None)
            published = getattr(doc, "published", None)
            names.append(f"{publisher} ({published})" if publisher and published else publisher or doc_id)
        return "; ".join(dict.fromkeys(names))
    return "the article's own figures"


def _result(spec: Evidence, label: str, status: Status, **fields: Any) -> EvidenceResult:
    return EvidenceResult(label=label, kind=spec.kind, status=status, role=spec.role, **fields)


# ------------------------------------------------------------------------------------------ kinds


def _dataset(spec: DatasetEvidence, day: date | None, loader: Loader, as_of: date | None = None) -> EvidenceResult:
    label = default_label(spec)
    try:
        snapshot = loader.snapshot(spec.source, spec.snapshot, as_of=as_of)
    except Exception as exc:
        if _is_missing(exc):
            reason = _exc_text(exc) + (f" — {spec.why_missing}" if spec.why_missing else "")
            return _result(spec, label, MISSING, reason=reason)
        return _result(spec, label, ERROR, reason=_exc_text(exc))
    provenance = [provenance_dict(getattr(snapshot, "provenance", None))]
    frames = []
    for more in spec.also:  # another series beside this one (population for a per-capita ratio)
        source = more.source or spec.source
        try:
            other = loader.snapshot(source, more.snapshot, as_of=as_of)
        except Exception as exc:
            status = MISSING if _is_missing(exc) else ERROR
            return _result(spec, label, status, provenance=provenance, reason=f"also {source}/{more.snapshot}: {_exc_text(exc)}")
        provenance.append(provenance_dict(getattr(other, "provenance", None)))
        frames.append((source, more))
    try:
        rows = loader.rows(spec.source, spec.snapshot, spec.select, as_of=as_of, named=True)
        if frames:
            more = [loader.rows(s, m.snapshot, m.select, as_of=as_of, named=True) for s, m in frames]
            rows = pd.concat([rows] + more, ignore_index=True)
        if spec.derive is not None:  # a derived series (exports + imports, emissions per person) is what the op reads
            rows = derive_rows(rows, spec.derive)
        result = compute(spec.compute, rows, article_date=day)
    except ComputeMissing as exc:
        reason = f"{spec.source}/{spec.snapshot}: {exc}" + (f" — {spec.why_missing}" if spec.why_missing else "")
        return _result(spec, label, MISSING, provenance=provenance, reason=reason)
    except ComputeError as exc:
        return _result(spec, label, ERROR, provenance=provenance, reason=f"{spec.source}/{spec.snapshot}: {exc}")
    return _result(
        spec, label, OK, value=result.value, unit=result.unit, rows=result.rows,
        description=result.description + _group_note(spec.select), provenance=provenance, extra=result.extra,
        version=str(getattr(snapshot, "version", "") or ""),
    )


def _group_note(select: dict[str, str | list[str]]) -> str:
    """``" (members of Africa)"`` when the rows were those of country groups."""
    wanted = select.get(GROUP_KEY)
    if wanted is None:
        return ""
    names = wanted if isinstance(wanted, list) else [wanted]
    return f" (members of {' or '.join(group(str(n)).label for n in names)})"


def _matches_period(text: Any, wanted: list[str]) -> bool:
    return str(text).strip() in wanted


def _document(spec: DocumentEvidence, day: date | None, loader: Loader) -> EvidenceResult:
    ids = spec.document if isinstance(spec.document, list) else [spec.document]
    try:
        documents = loader.documents()
    except Exception as exc:
        return _result(spec, default_label(spec), ERROR, reason=f"documents registry: {_exc_text(exc)}")
    label = default_label(spec, documents)
    unknown = [doc_id for doc_id in ids if doc_id not in documents]
    if unknown:
        return _result(spec, label, ERROR, reason=f"no document {', '.join(map(repr, unknown))} in the documents registry")
    docs = [documents[doc_id] for doc_id in ids]
    derived = spec.compute.op != "value" or len(ids) > 1
    provenance = []
    for doc in docs:
        item = provenance_dict(getattr(doc, "provenance", None))
        if derived:
            item = {**item, "note": DERIVED}
        provenance.append(item)
    if not spec.measures:  # a quote-only citation: the document records the statement, no figure
        quotes = "; ".join(f"“{getattr(doc, 'quote', '')}”" for doc in docs)
        return _result(
            spec, label, OK, value=None, unit=None, description=f"cited for its wording: {quotes}",
            provenance=provenance,
        )
    try:
        frames = [doc.frame() for doc in docs]
        rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        rows = rows[rows["measure"].astype(str).isin(spec.measures)]
        if spec.period is not None:
            wanted = spec.period if isinstance(spec.period, list) else [spec.period]
            rows = rows[[_matches_period(t, wanted) for t in rows["period"]]]
        result = compute(spec.compute, rows, article_date=day)
    except ComputeMissing as exc:
        return _result(
            spec, label, ERROR, provenance=provenance,
            reason=f"document {', '.join(ids)} states no {'/'.join(spec.measures)}"
            f"{' for ' + str(spec.period) if spec.period else ''}: {exc}",
        )
    except Exception as exc:
        return _result(spec, label, ERROR, provenance=provenance, reason=f"document {', '.join(ids)}: {_exc_text(exc)}")
    description = result.description + (f" ({DERIVED})" if derived else "")
    return _result(
        spec, label, OK, value=result.value, unit=result.unit, rows=result.rows,
        description=description, provenance=provenance, extra=result.extra,
    )


def _internal(spec: InternalEvidence, day: date | None) -> EvidenceResult:
    label = default_label(spec)
    provenance = [{"source": "article", "dataset": "the article's own figures", "method": "transcribed", "note": DERIVED}]
    try:
        result = compute(spec.compute, inputs_frame(spec.inputs), article_date=day, inputs=spec.inputs)
    except (ComputeMissing, ComputeError) as exc:
        return _result(spec, label, ERROR, provenance=provenance, reason=str(exc))
    return _result(
        spec, label, OK, value=result.value, unit=result.unit, rows=result.rows,
        description=result.description, provenance=provenance, extra=result.extra,
    )


def _catalogue_entry(source: str, snapshot: str) -> Any:
    """The catalogue's entry for a snapshot, or None for one it does not declare."""
    from claimcheck.reference.catalogue import load_catalogue

    try:
        return load_catalogue().entry(source, snapshot)
    except Exception:
        return None


def agreement_band(source: str, snapshot: str) -> str | float | None:
    """The catalogue entry's ``agreement_band`` (a kind of measure or a number), or None."""
    return getattr(_catalogue_entry(source, snapshot), "agreement_band", None)


def _with_measure_names(rows: pd.DataFrame, entry: Any) -> pd.DataFrame:
    """The rows with a ``measure_name`` column from the entry's ``measure_names``, so that sentences say
    "GDP in current US dollars" rather than an indicator code; rows without a name keep their code."""
    names = getattr(entry, "measure_names", None)
    if not names or "measure" not in rows.columns or rows.empty:
        return rows
    codes = rows["measure"].astype(str)
    return rows.assign(measure_name=codes.map(names).fillna(codes))


def resolve_vintage(spec: Evidence, day: date, loader: Loader) -> EvidenceResult | None:
    """A dataset evidence read from the newest snapshot version on or before ``day``; None if not a dataset."""
    if not isinstance(spec, DatasetEvidence):
        return None
    try:
        return _dataset(spec, day, loader, as_of=day)
    except Exception:
        return None


def resolve_vintages_before(spec: Evidence, day: date, loader: Loader, skip: str = "") -> list[EvidenceResult]:
    """A dataset evidence read from every stored version published on or before ``day``, newest first:
    a figure that any of them rounds to was right when it was written. ``skip``: a version already read
    (the current one) is given as an empty result of that version rather than read again."""
    from claimcheck.reference.snapshots import versions

    if not isinstance(spec, DatasetEvidence):
        return []
    listed = [v for v in versions(spec.source, spec.snapshot) if v[:10] <= day.isoformat()]
    found = []
    for version in reversed(listed or [day.isoformat()]):  # none listed (not stored as files): the newest by day
        if skip and version == skip:
            found.append(EvidenceResult(default_label(spec), spec.kind, OK, version=version))
            continue
        try:
            found.append(_dataset(spec, day, loader, as_of=date.fromisoformat(version[:10])))
        except Exception:
            continue
    return found


def resolve_later_vintages(spec: Evidence, day: date, loader: Loader) -> list[EvidenceResult]:
    """A dataset evidence read from each version after ``day`` but the newest, oldest first.

    When no version from the article's date holds a figure, the earliest later one is the nearest
    to what its author could read.
    """
    from claimcheck.reference.snapshots import versions

    if not isinstance(spec, DatasetEvidence):
        return []
    later = [v for v in versions(spec.source, spec.snapshot) if v[:10] > day.isoformat()][:-1]
    found = []
    for version in later:
        try:
            found.append(_dataset(spec, day, loader, as_of=date.fromisoformat(version[:10])))
        except Exception:
            continue
    return found


def resolve(spec: Evidence, article: Any = None, mode: str = "offline", *, loader: Loader | None = None) -> EvidenceResult:
    """What ``spec`` says: a value with provenance, or a status ``missing``/``error`` with the reason.

    ``article`` supplies the publication date for ``years_between`` with ``end: article``.
    Pass a shared ``loader`` to reuse loaded snapshots and documents across many evidences.
    """
    loader = loader or Loader(mode)
    day = article_date(article)
    try:
        if isinstance(spec, DatasetEvidence):
            return _dataset(spec, day, loader)
        if isinstance(spec, DocumentEvidence):
            return _document(spec, day, loader)
        if isinstance(spec, InternalEvidence):
            return _internal(spec, day)
        return EvidenceResult(label=str(getattr(spec, "label", None) or "evidence"), kind=str(getattr(spec, "kind", "?")),
                              status=ERROR, reason=f"unknown evidence kind {getattr(spec, 'kind', None)!r}")
    except Exception as exc:  # never let one evidence stop the others
        return EvidenceResult(label=str(getattr(spec, "label", None) or getattr(spec, "kind", "evidence")),
                              kind=str(getattr(spec, "kind", "?")), status=ERROR, role=getattr(spec, "role", "decisive"),
                              reason=f"unexpected failure: {_exc_text(exc)}")


def with_reading(result: EvidenceResult, reading: str) -> EvidenceResult:
    """The same result, tagged with the reading it was resolved for."""
    return replace(result, reading=reading)


__all__ = [
    "DERIVED", "ERROR", "EvidenceResult", "Loader", "MISSING", "OK", "STATUSES", "agreement_band", "article_date",
    "default_label", "get_snapshot", "load_documents", "provenance_dict", "resolve", "resolve_vintages_before", "with_reading",
]
