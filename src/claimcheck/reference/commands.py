"""What ``claimcheck sources``, ``claimcheck refresh`` and ``claimcheck catalog add`` do.

They sit above the catalogue, the snapshot store and the documents registry, which none of those
three imports, so that the data layer has no import circle.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import yaml

from claimcheck import paths
from claimcheck.reference import catalogue
from claimcheck.reference.documents import load_documents, registry_paths
from claimcheck.reference.errors import SnapshotInvalid, SnapshotMissing
from claimcheck.reference.http import HttpClient, SourceError
from claimcheck.reference.snapshots import (
    load_snapshot, pick_version, refresh, sidecar_date, sources_on_disk, stored_snapshots, version_paths, versions,
)
from claimcheck.registry.yamltext import load_yaml

DOCUMENTS_FOLDER = "documents"  # the documents registry lives beside the snapshots, in its own format
SOURCES_COLUMNS = ["source", "snapshot", "method", "version", "versions", "date", "rows", "refreshable", "status", "title"]


# ------------------------------------------------------------------------------------------ sources


def sources_table() -> pd.DataFrame:
    """Every catalogue entry and every stored snapshot: method, date, rows, whether refreshable, status, title."""
    cat = catalogue.load_catalogue()
    rows = []
    for source in sorted(set(cat.sources()) | _folders_on_disk()):
        if source == DOCUMENTS_FOLDER:
            rows.append(_documents_row())
            continue
        for name in sorted(set(cat.names(source)) | _stored_snapshots(source)):
            spec = cat.entries_by_source.get(source, {}).get(name)
            rows.append(_table_row(source, name, spec))
    return pd.DataFrame(rows, columns=SOURCES_COLUMNS)


def _documents_row() -> dict[str, Any]:
    _, sidecar = registry_paths()
    meta = _read_sidecar(sidecar)
    try:
        status = f"ok ({len(load_documents())} documents)"
    except (SnapshotInvalid, SnapshotMissing, ValueError) as exc:
        status = _short_status(exc)
    return {"source": DOCUMENTS_FOLDER, "snapshot": "documents", "method": meta.get("method", ""),
            "version": "", "versions": 1, "date": sidecar_date(meta), "rows": meta.get("rows", 0), "refreshable": "no",
            "status": status, "title": meta.get("title", "")}  # fmt: skip


def _table_row(source: str, snapshot: str, spec: Any) -> dict[str, Any]:
    row = {"source": source, "snapshot": snapshot, "refreshable": "yes" if spec and spec.refreshable else "no"}
    title = spec.title if spec else ""
    stored = versions(source, snapshot)
    if not stored:
        return {**row, "method": "missing offline", "version": "", "versions": 0, "date": "", "rows": 0,
                "status": "missing offline", "title": title}  # fmt: skip
    version = pick_version(source, snapshot)
    row.update(version=version, versions=len(stored))
    meta_path = version_paths(source, snapshot, version)[1]
    try:
        meta, status = load_snapshot(source, snapshot).meta, "ok"
    except (SnapshotInvalid, SnapshotMissing) as exc:
        meta, status = _read_sidecar(meta_path), _short_status(exc)
    if spec is None:
        status = f"{status}; not in the catalogue"
    return {**row, "method": meta.get("method", ""), "date": sidecar_date(meta), "rows": meta.get("rows", 0),
            "status": status, "title": title or meta.get("title") or meta.get("description", "")}  # fmt: skip


def _read_sidecar(path: Any) -> dict[str, Any]:
    try:
        meta = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _short_status(exc: Exception) -> str:
    text = str(exc).split(";")[0]
    return "invalid: " + (text if len(text) <= 90 else text[:89] + "…")


def _folders_on_disk() -> set[str]:
    documents = paths.reference_dir() / DOCUMENTS_FOLDER
    return sources_on_disk() | ({DOCUMENTS_FOLDER} if documents.is_dir() else set())


def _stored_snapshots(source: str) -> set[str]:
    return stored_snapshots(source)


# ------------------------------------------------------------------------------------------ refresh


def refresh_command(source: str | None, snapshot: str | None, everything: bool) -> int:
    """``claimcheck refresh``: refresh the chosen catalogue entries, print one line each; 1 if any failed."""
    if everything and snapshot:
        print("refresh: --snapshot needs --source, not --all")
        return 1
    try:
        cat = catalogue.load_catalogue()
    except catalogue.CatalogueError as exc:
        print(f"refresh: {exc}")
        return 1
    if not everything and source not in cat.sources():
        print(f"refresh: unknown source {source!r}{catalogue.nearest(str(source), cat.sources())}; "
              f"known: {', '.join(cat.sources())}")  # fmt: skip
        return 1
    failed = 0
    with HttpClient() as http:
        for name in cat.sources() if everything else [source]:
            if snapshot:
                try:
                    spec = cat.entry(name, snapshot)
                except catalogue.CatalogueError as exc:
                    print(f"refresh: {exc}")
                    return 1
                chosen = [spec]
            else:
                chosen = [spec for spec in cat.entries(name) if spec.refreshable]
            for spec in chosen:
                failed += not _refresh_and_report(spec, http)
    return 1 if failed else 0


def _refresh_and_report(spec: Any, http: HttpClient) -> bool:
    where = f"{spec.source}/{spec.name}"
    before = versions(spec.source, spec.name)
    try:
        snap = refresh(spec.source, spec.name, http)
    except (SourceError, SnapshotInvalid, SnapshotMissing, NotImplementedError) as exc:
        print(f"{where}: FAILED, kept the stored snapshot: {exc}")
        return False
    except Exception as exc:  # a bug in one source must not stop the others; say it is unexpected
        print(f"{where}: FAILED (unexpected {type(exc).__name__}), kept the stored snapshot: {exc}")
        return False
    if snap.version in before:
        print(f"{where}: refreshed, {snap.meta['rows']} rows, unchanged since version {snap.version} (nothing written)")
    else:
        print(f"{where}: refreshed, {snap.meta['rows']} rows, retrieved {snap.meta['retrieved_at']}, new version {snap.version}")
    return True
