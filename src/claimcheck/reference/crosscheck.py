"""Evidence checked against the other files it names: the catalogue, the stored snapshots, the documents.

A claims file validates on its own (``registry.claims``); whether its evidence names a source,
snapshot, column or document that exists needs the reference data, which the registry stage may not
import. ``load_checked_article`` is what every command and notebook that checks an article loads it
with: a name that does not exist is a ``ClaimsError`` line naming the file, the claim and the field,
with the nearest name suggested, rather than a ``no-data-offline`` verdict later.
"""

from __future__ import annotations

from typing import Any

from claimcheck.reference import catalogue
from claimcheck.reference.catalogue import nearest
from claimcheck.reference.errors import SnapshotInvalid, SnapshotMissing
from claimcheck.registry.articles import Article, load_article
from claimcheck.registry.claims import ClaimsError

#: Columns every snapshot may have (the tidy ones and the optional ones); a stored snapshot's own
#: sidecar lists the columns it actually has.
KNOWN_COLUMNS = ["entity", "partner", "period", "measure", "value", "unit", "entity_name", "partner_name",
                 "aggregate", "basis"]  # fmt: skip


def load_checked_article(article_id: str) -> Article:
    """``load_article`` plus the cross-file check of every evidence; raises ClaimsError listing each problem."""
    article = load_article(article_id)
    problems = evidence_problems(article)
    if problems:
        raise ClaimsError(problems)
    return article


def evidence_problems(article: Article) -> list[str]:
    """One line per evidence that names a source, snapshot, column or document that does not exist."""
    where = str(article.claims_path)
    try:
        cat = catalogue.load_catalogue()
    except catalogue.CatalogueError as exc:
        return [f"{where}: the reference catalogue does not load, so no evidence can be checked: {exc}"]
    documents, documents_problem = _document_ids()
    problems = []
    for claim in article.claims:
        for field, evidence in _evidences(claim):
            at = f"{where}: claim '{claim.id}': field '{field}"
            if evidence.kind == "dataset":
                problems += _dataset_problems(at, evidence, cat)
            elif evidence.kind == "document":
                ids = evidence.document if isinstance(evidence.document, list) else [evidence.document]
                for index, doc_id in enumerate(ids):
                    suffix = f".{index}" if isinstance(evidence.document, list) else ""
                    if documents_problem:
                        problems.append(f"{at}.document{suffix}': cannot check {doc_id!r}: {documents_problem}")
                    elif doc_id not in documents:
                        problems.append(f"{at}.document{suffix}': no document {doc_id!r} in the documents "
                                        f"registry{nearest(doc_id, documents)}")  # fmt: skip
    return problems


def _evidences(claim: Any) -> list[tuple[str, Any]]:
    """Each evidence of a claim with its field path: ``evidence.0``, ``readings.1.evidence.0``, ``parts.0.evidence.2``."""
    found = [(f"evidence.{i}", e) for i, e in enumerate(claim.evidence)]
    for r, reading in enumerate(getattr(claim, "readings", None) or []):
        found += [(f"readings.{r}.evidence.{i}", e) for i, e in enumerate(reading.evidence)]
    for p, part in enumerate(getattr(claim, "parts", None) or []):
        found += [(f"parts.{p}.evidence.{i}", e) for i, e in enumerate(part.evidence)]
    return found


def _dataset_problems(at: str, evidence: Any, cat: catalogue.Catalogue) -> list[str]:
    if evidence.source not in cat.sources():
        return [f"{at}.source': no source {evidence.source!r} in the catalogue{nearest(evidence.source, cat.sources())}"]
    if not cat.has(evidence.source, evidence.snapshot):
        names = cat.names(evidence.source)
        return [f"{at}.snapshot': no snapshot {evidence.snapshot!r} in the {evidence.source} catalogue"
                f"{nearest(evidence.snapshot, names)}"]  # fmt: skip
    columns = _columns(evidence.source, evidence.snapshot)
    return [f"{at}.select.{key}': the snapshot {evidence.source}/{evidence.snapshot} has no column {key!r}"
            f"{nearest(key, columns)}" for key in evidence.select if key not in columns]  # fmt: skip


def _columns(source: str, name: str) -> list[str]:
    """The stored snapshot's columns (its newest sidecar), or every column a snapshot may have."""
    import yaml

    from claimcheck.reference.snapshots import loaded_columns, pick_version, version_paths
    from claimcheck.registry.yamltext import load_yaml

    try:
        meta = load_yaml(version_paths(source, name, pick_version(source, name))[1].read_text(encoding="utf-8"))
    except (SnapshotMissing, SnapshotInvalid, OSError, UnicodeDecodeError, yaml.YAMLError):
        return KNOWN_COLUMNS
    columns = loaded_columns(meta) if isinstance(meta, dict) and isinstance(meta.get("columns"), list) else None
    return columns or KNOWN_COLUMNS


def _document_ids() -> tuple[set[str], str | None]:
    from claimcheck.reference.documents import load_documents

    try:
        return set(load_documents()), None
    except (SnapshotMissing, SnapshotInvalid, ValueError) as exc:
        return set(), " ".join(str(exc).split())[:200]
