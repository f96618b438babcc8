"""Evidence checked against the other files it names: the catalogue, the stored snapshots, the documents.

A claims file validates on its own (``registry.claims``); whether its evidence names a source,
snapshot, column or document that exists needs the reference data, which the registry stage may not
import. A name that does not exist is a line naming the file, the claim and the field, with the
nearest name suggested, rather than a ``not-held`` verdict later.

Validation (``claimcheck claims``) loads an article with ``load_checked_article``: every such line is
a ``ClaimsError``. Checking (``claimcheck run``, the notebooks) loads it with ``checked_article``:
such a line costs only the claim it is in, which the verdict engine judges ``error`` with that line
as its reason. What no claim can be checked without still stops the article: a claims file, text
or metadata that does not load, and a reference catalogue that does not load.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from claimcheck import paths
from claimcheck.reference import catalogue
from claimcheck.reference.catalogue import nearest
from claimcheck.reference.errors import SnapshotInvalid, SnapshotMissing
from claimcheck.reference.groups import GROUP_KEY, GroupError, groups_path, load_groups
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


def checked_article(article_id: str, documents: Callable[[], Mapping[str, Any]] | None = None
                    ) -> tuple[Article, dict[str, str]]:
    """The article and its broken claims: claim id → the one-line reason, which names each file from
    the data folder on (it is published). Raises ClaimsError when the catalogue does not load.

    ``documents`` loads the documents registry (default: ``load_documents``); a notebook passes its
    loader's, so the registry is read once.
    """
    article = load_article(article_id)
    by_claim = claim_problems(article, documents, shown=_from_data_folder, unreadable_documents=False)
    return article, {claim_id: "; ".join(lines) for claim_id, lines in by_claim.items()}


def _from_data_folder(path: Path) -> str:
    """``data/articles/x/claims.yaml``: a file named from the data folder on, as a published text names it."""
    try:
        return str(path.relative_to(paths.data_dir().parent))
    except ValueError:
        return path.name


def evidence_problems(article: Article) -> list[str]:
    """One line per evidence that names a source, snapshot, column or document that does not exist."""
    try:
        by_claim = claim_problems(article)
    except ClaimsError as exc:
        return list(exc.problems)
    return [line for lines in by_claim.values() for line in lines]


def claim_problems(article: Article, documents: Callable[[], Mapping[str, Any]] | None = None,
                   shown: Callable[[Path], str] = str, unreadable_documents: bool = True) -> dict[str, list[str]]:
    """Claim id → one line per evidence of that claim naming something that does not exist (claims
    with none are left out); ``shown`` names a file in the lines (default: its path).
    ``unreadable_documents``: a documents registry that does not load is a line for every document
    evidence (else those are left unchecked: judging them reports the failing registry, as any
    failing source, and a claim citing a document as context only is still judged).

    Raises ClaimsError when the reference catalogue does not load: no dataset evidence can be checked then.
    """
    where = shown(article.claims_path)
    try:
        cat = catalogue.load_catalogue()
    except catalogue.CatalogueError as exc:
        raise ClaimsError([f"{where}: the reference catalogue does not load, so no evidence can be checked: "
                           f"{exc}"]) from None
    known_documents: set[str] | None = None
    documents_problem = None
    problems: dict[str, list[str]] = {}
    for claim in article.claims:
        for field, evidence in _evidences(claim):
            at = f"{where}: claim '{claim.id}': field '{field}"
            found = []
            if evidence.kind == "dataset":
                found = _dataset_problems(at, evidence, cat, shown)
            elif evidence.kind == "document":
                if known_documents is None:  # read only for an article that cites a document
                    known_documents, documents_problem = _document_ids(documents)
                ids = evidence.document if isinstance(evidence.document, list) else [evidence.document]
                for index, doc_id in enumerate(ids):
                    suffix = f".{index}" if isinstance(evidence.document, list) else ""
                    if documents_problem and unreadable_documents:
                        found.append(f"{at}.document{suffix}': cannot check {doc_id!r}: {documents_problem}")
                    elif not documents_problem and doc_id not in known_documents:
                        found.append(f"{at}.document{suffix}': no document {doc_id!r} in the documents "
                                     f"registry{nearest(doc_id, known_documents)}")  # fmt: skip
            if found:
                problems.setdefault(claim.id, []).extend(found)
    return problems


def _evidences(claim: Any) -> list[tuple[str, Any]]:
    """Each evidence of a claim with its field path: ``evidence.0``, ``readings.1.evidence.0``, ``parts.0.evidence.2``."""
    found = [(f"evidence.{i}", e) for i, e in enumerate(claim.evidence)]
    for r, reading in enumerate(getattr(claim, "readings", None) or []):
        found += [(f"readings.{r}.evidence.{i}", e) for i, e in enumerate(reading.evidence)]
    for p, part in enumerate(getattr(claim, "parts", None) or []):
        found += [(f"parts.{p}.evidence.{i}", e) for i, e in enumerate(part.evidence)]
    return found


def _dataset_problems(at: str, evidence: Any, cat: catalogue.Catalogue, shown: Callable[[Path], str]) -> list[str]:
    if evidence.source not in cat.sources():
        return [f"{at}.source': no source {evidence.source!r} in the catalogue{nearest(evidence.source, cat.sources())}"]
    if not cat.has(evidence.source, evidence.snapshot):
        names = cat.names(evidence.source)
        return [f"{at}.snapshot': no snapshot {evidence.snapshot!r} in the {evidence.source} catalogue"
                f"{nearest(evidence.snapshot, names)}"]  # fmt: skip
    columns = _columns(evidence.source, evidence.snapshot)
    problems = [f"{at}.select.{key}': the snapshot {evidence.source}/{evidence.snapshot} has no column {key!r}"
                f"{nearest(key, columns + [GROUP_KEY])}" for key in evidence.select
                if key not in columns and key != GROUP_KEY]  # fmt: skip
    return problems + _group_problems(f"{at}.select.{GROUP_KEY}'", evidence.select.get(GROUP_KEY), shown)


def _group_problems(at: str, wanted: str | list[str] | None, shown: Callable[[Path], str]) -> list[str]:
    if wanted is None:
        return []
    try:
        declared = load_groups()
    except GroupError as exc:
        return [f"{at}: {exc}"]
    return [f"{at}: no country group {name!r} in {shown(groups_path())}{nearest(name, set(declared))}"
            for name in (wanted if isinstance(wanted, list) else [wanted]) if name not in declared]


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


def _document_ids(documents: Callable[[], Mapping[str, Any]] | None) -> tuple[set[str], str | None]:
    import yaml

    from claimcheck.reference.documents import load_documents

    try:
        return set((documents or load_documents)()), None
    except (SnapshotMissing, SnapshotInvalid, ValueError, OSError, yaml.YAMLError) as exc:
        return set(), " ".join(str(exc).split())[:200]
