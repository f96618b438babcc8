"""What ``claimcheck sources``, ``claimcheck refresh`` and ``claimcheck catalog add`` do.

They sit above the catalogue, the snapshot store and the documents registry, which none of those
three imports, so that the data layer has no import circle.
"""

from __future__ import annotations

from pathlib import Path
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
SOURCES_COLUMNS = ["source", "snapshot", "measure", "unit", "years", "method", "version", "versions", "date", "rows",
                   "refreshable", "status", "title"]


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
    return {"source": DOCUMENTS_FOLDER, "snapshot": "documents", "measure": "", "unit": "", "years": "",
            "method": meta.get("method", ""),
            "version": "", "versions": 1, "date": sidecar_date(meta), "rows": meta.get("rows", 0), "refreshable": "no",
            "status": status, "title": meta.get("title", "")}  # fmt: skip


def measure_codes(spec: Any, meta: dict[str, Any] | None = None) -> str:
    """The measure code(s) a snapshot's rows carry: its table of measures, the stored constant, the
    codes its entry names, or the World Bank indicator it queries."""
    if spec is not None and spec.measures:
        codes = list(spec.measures)
        return ", ".join(codes[:3]) + (f" … ({len(codes)} measures)" if len(codes) > 3 else "")
    constant = ((meta or {}).get("constants") or {}).get("measure")
    if constant:
        return str(constant)
    if spec is not None and spec.measure_names:
        return ", ".join(spec.measure_names)
    indicator = spec.query.get("indicator") if spec is not None else None
    return ", ".join(indicator) if isinstance(indicator, list) else str(indicator or "")


def refresh_would_fetch(spec: Any) -> str:
    """What ``claimcheck refresh`` would fetch for an entry, in its source's terms."""
    query = {k: v for k, v in spec.query.items() if not k.endswith("_text")}
    terms = " ".join(f"{k}={v}" for k, v in query.items())
    return f"a refresh would fetch {spec.source} {terms} (claimcheck refresh --source {spec.source} --snapshot {spec.name})"


def _years(meta: dict[str, Any]) -> str:
    cover = meta.get("coverage") or {}
    return f"{cover['first']}-{cover['last']}" if cover.get("first") else ""


def _table_row(source: str, snapshot: str, spec: Any) -> dict[str, Any]:
    row = {"source": source, "snapshot": snapshot, "refreshable": "yes" if spec and spec.refreshable else "no",
           "measure": measure_codes(spec), "unit": spec.unit if spec else "", "years": ""}  # fmt: skip
    title = spec.title if spec else ""
    stored = versions(source, snapshot)
    if not stored:
        status = "missing offline" + (f"; {refresh_would_fetch(spec)}" if spec is not None and spec.refreshable else "")
        return {**row, "method": "missing offline", "version": "", "versions": 0, "date": "", "rows": 0,
                "status": status, "title": title}  # fmt: skip
    version = pick_version(source, snapshot)
    row.update(version=version, versions=len(stored))
    meta_path = version_paths(source, snapshot, version)[1]
    try:
        meta, status = load_snapshot(source, snapshot).meta, "ok"
    except (SnapshotInvalid, SnapshotMissing) as exc:
        meta, status = _read_sidecar(meta_path), _short_status(exc)
    if spec is None:
        status = f"{status}; not in the catalogue"
    row.update(measure=measure_codes(spec, meta), years=_years(meta))
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

USAGE = 2  # exit status of a usage error or an unknown name, as argparse uses


def refresh_command(source: str | None, snapshot: str | None, everything: bool, accept_changes: bool = False) -> int:
    """``claimcheck refresh``: refresh the chosen catalogue entries, one line each, then a summary.

    Exit status: 0 when every chosen snapshot refreshed, 1 when one failed (kept as it was), 2 for a
    usage error (an unknown source or snapshot, ``--snapshot`` with ``--all``, a catalogue that does not load).
    """
    if everything and snapshot:
        print("refresh: --snapshot needs --source, not --all")
        return USAGE
    try:
        cat = catalogue.load_catalogue()
    except catalogue.CatalogueError as exc:
        print(f"refresh: {exc}")
        return USAGE
    if not everything and source not in cat.sources():
        print(f"refresh: unknown source {source!r}{catalogue.nearest(str(source), cat.sources())}; "
              f"known: {', '.join(cat.sources())}")  # fmt: skip
        return USAGE
    chosen = []
    for name in cat.sources() if everything else [source]:
        if snapshot:
            try:
                chosen.append(cat.entry(name, snapshot))
            except catalogue.CatalogueError as exc:
                print(f"refresh: {exc}")
                return USAGE
        else:
            chosen += [spec for spec in cat.entries(name) if spec.refreshable]
    with HttpClient() as http:
        failed = [f"{spec.source}/{spec.name}" for spec in chosen if not _refresh_and_report(spec, http, accept_changes)]
    if len(chosen) > 1 or failed:
        print(f"refresh: {len(chosen) - len(failed)} of {len(chosen)} snapshot(s) refreshed"
              + (f"; {len(failed)} failed, each kept as it was: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def _refresh_and_report(spec: Any, http: HttpClient, accept_changes: bool = False) -> bool:
    where = f"{spec.source}/{spec.name}"
    before = versions(spec.source, spec.name)
    try:
        snap = refresh(spec.source, spec.name, http, accept_changes=accept_changes)
    except (SourceError, SnapshotInvalid, SnapshotMissing, NotImplementedError) as exc:
        print(f"{where}: FAILED, kept the stored snapshot: {exc}")
        return False
    except Exception as exc:  # a bug in one source must not stop the others; say it is unexpected
        print(f"{where}: FAILED (unexpected {type(exc).__name__}), kept the stored snapshot: {exc}")
        return False
    if snap.version in before:
        print(f"{where}: refreshed, {snap.meta['rows']} rows, unchanged since version {snap.version} (nothing written)")
    else:
        forced = snap.meta.get("accepted_changes")
        print(f"{where}: refreshed, {snap.meta['rows']} rows, retrieved {snap.meta['retrieved_at']}, new version {snap.version}"
              + (f" (forced with --accept-changes: {'; '.join(forced)})" if forced else ""))
    return True


# ------------------------------------------------------------------------------------------ catalog add


def catalog_add_command(source: str, name: str, title: str, unit: str, used_for: str, query_args: list[str],
                        licence: str | None = None, sparql: str | None = None, query: dict[str, Any] | None = None,
                        extra: dict[str, Any] | None = None) -> int:  # fmt: skip
    """``claimcheck catalog add``: append one entry to ``catalogue/<source>.yaml``, only if the result validates.

    ``query_args`` are ``key=value`` pairs in the source's terms; a value is read as YAML (``[M, X]`` is a
    list, ``2021-01`` text) and a dotted key nests (``filters.reporter=BE``). ``sparql`` copies a query
    file to ``catalogue/<source>/<name>.rq`` and names it in the query.
    """
    try:
        query = {**(query or {}), **_parse_query_args(query_args)}
    except ValueError as exc:
        print(f"catalog add: {exc}")
        return 2
    folder = catalogue.catalogue_dir()
    file = folder / f"{source}.yaml"
    try:
        cat = catalogue.load_catalogue()
    except catalogue.CatalogueError as exc:
        print(f"catalog add: the catalogue does not load as it stands: {exc}")
        return 1
    if cat.has(source, name):
        if catalogue.is_generated(cat.entry(source, name)):
            print(f"catalog add: {source}/{name} is a generated entry; to change it, give the fields to change "
                  f"under {name}: in {file}")
        else:
            print(f"catalog add: {file} already has an entry {name!r}; edit it there")
        return 1
    written: list[tuple[Any, bytes | None]] = []  # (path, old bytes) to restore if the entry does not validate
    try:
        if sparql:
            rq = folder / source / f"{name}.rq"
            rq.parent.mkdir(parents=True, exist_ok=True)
            written.append((rq, rq.read_bytes() if rq.exists() else None))
            rq.write_bytes(Path(sparql).read_bytes())
            query["sparql"] = f"{source}/{name}.rq"
        written.append((file, file.read_bytes() if file.exists() else None))
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(_with_entry(file, source, name, title, unit, used_for, query, licence, extra), encoding="utf-8")
        catalogue.entry(source, name)  # loads and validates every file, the new entry with them
    except (catalogue.CatalogueError, OSError) as exc:
        for path, old in reversed(written):
            path.write_bytes(old) if old is not None else path.unlink(missing_ok=True)
        print(f"catalog add: not written: {exc}")
        return 1
    print(f"{file}: added {source}/{name}; fetch it with `claimcheck refresh --source {source} --snapshot {name}`")
    return 0


def catalog_add_from_command(source: str, key: str, name: str | None, query_args: list[str], title: str | None = None,
                             unit: str | None = None, used_for: str | None = None, licence: str | None = None,
                             http: HttpClient | None = None) -> int:  # fmt: skip
    """``claimcheck catalog add SOURCE --from KEY``: the entry the source's own metadata describe, with
    any option or ``key=value`` given over it; written only if the catalogue still validates."""
    from claimcheck.reference.sources import SOURCE_MODULES, get_source

    if source not in SOURCE_MODULES:
        print(f"catalog add: no source client {source!r}{catalogue.nearest(source, set(SOURCE_MODULES))}")
        return 2
    try:
        overrides = _parse_query_args(query_args)
    except ValueError as exc:
        print(f"catalog add: {exc}")
        return 2
    own = http is None
    http = http or HttpClient()
    from claimcheck.reference.vocabulary import VocabularyError

    try:
        described = get_source(source).describe(key, http)
    except (SourceError, NotImplementedError, VocabularyError) as exc:
        print(f"catalog add: nothing written: {exc}")
        return 1
    finally:
        if own:
            http.close()
    name = name or described.pop("name")
    described.pop("name", None)
    described["query"] = {**described.get("query", {}), **overrides}
    fields = {k: v for k, v in described.items() if k not in ("title", "unit", "for", "query")}
    return catalog_add_command(source, name, title or described["title"], unit or described["unit"],
                               used_for or described["for"], [], licence=licence, query=described["query"],
                               extra=fields)  # fmt: skip


def _parse_query_args(pairs: list[str]) -> dict[str, Any]:
    query: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"query argument {pair!r} is not key=value")
        try:
            value = load_yaml(text) if text.strip() else ""
        except yaml.YAMLError:
            raise ValueError(f"query argument {pair!r}: the value is not valid YAML") from None
        if not isinstance(value, (dict, list, int, float, bool)) and value is not None:
            value = text  # text stays as typed: a YAML date or timestamp would not
        target = query
        *parents, last = key.strip().split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[last] = value
    return query


def _with_entry(file: Any, source: str, name: str, title: str, unit: str, used_for: str,
                query: dict[str, Any], licence: str | None, extra: dict[str, Any] | None = None) -> str:  # fmt: skip
    """The file's text with the entry appended under ``snapshots:`` (comments kept), or a new file."""
    entry = {"title": title, "unit": unit, "for": used_for, **({"licence": licence} if licence else {}),
             **{k: v for k, v in (extra or {}).items() if v not in (None, "", [], {})},
             **({"query": query} if query else {})}  # fmt: skip
    block = yaml.safe_dump({name: entry}, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)
    block = "".join(f"  {line}\n" for line in block.splitlines())
    if not file.exists():
        header = {"source": source, **({"licence": licence} if licence else {})}
        entry.pop("licence", None)
        return yaml.safe_dump(header, sort_keys=False, allow_unicode=True) + "snapshots:\n" + block
    text = file.read_text(encoding="utf-8")
    top_keys = [line.split(":", 1)[0] for line in text.splitlines() if line[:1].isalpha()]
    if top_keys and top_keys[-1] == "snapshots":
        return text.rstrip("\n") + "\n" + block
    body = load_yaml(text)
    body.setdefault("snapshots", {})[name] = entry
    return yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)
