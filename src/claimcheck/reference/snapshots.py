"""The snapshot store: tidy CSV tables plus ``.meta.yaml`` sidecars under ``data/reference/<source>/``.

A snapshot is ``<name>.csv`` (the tidy table, deterministic bytes) and ``<name>.meta.yaml`` (where it
came from, licence, sha256 of the CSV). Loading re-checks the checksum. Writing validates first and
replaces both files with ``os.replace``, so a failed or invalid refresh leaves the old files as they were.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml

from claimcheck import paths
from claimcheck.reference import catalogue
from claimcheck.reference.errors import SnapshotInvalid, SnapshotMissing
from claimcheck.reference.http import HttpClient, redact
from claimcheck.reference.sources import get_source
from claimcheck.reference.sources.base import TIDY_COLUMNS, Provenance, describe_origin
from claimcheck.registry.yamltext import load_yaml

OPTIONAL_COLUMNS = ["entity_name", "partner_name", "aggregate", "basis"]
KEY_COLUMNS = ["entity", "partner", "period", "measure"]
SORT_COLUMNS = ["entity", "partner", "measure", "period", "unit"]

# Sidecar keys in the order they are written; any other key follows, alphabetically.
META_ORDER = [
    "source", "dataset", "snapshot", "title", "description", "query", "url", "method",
    "retrieved_at", "transcribed_at", "transcribed_from", "origin_notes",
    "licence", "licence_url", "sha256", "rows", "columns",
]  # fmt: skip

_UMASK = os.umask(0)
os.umask(_UMASK)

Mode = Literal["offline", "refresh", "auto"]


@dataclass
class Snapshot:
    """A loaded snapshot: the tidy table, its provenance and the full sidecar."""

    frame: pd.DataFrame
    provenance: Provenance
    meta: dict[str, Any]


def snapshot_paths(source: str, name: str) -> tuple[Path, Path]:
    """The CSV and sidecar paths of a snapshot."""
    folder = paths.reference_dir() / source
    return folder / f"{name}.csv", folder / f"{name}.meta.yaml"


def refresh_hint(source: str, name: str) -> str:
    return f"claimcheck refresh --source {source} --snapshot {name}"


# ---------------------------------------------------------------------------------------------- load


def load_snapshot(source: str, name: str) -> Snapshot:
    """Read a snapshot, verify its sha256, row count and columns; raise SnapshotMissing / SnapshotInvalid."""
    csv_path, meta_path = snapshot_paths(source, name)
    if not csv_path.exists() and not meta_path.exists():
        raise SnapshotMissing(
            f"no offline snapshot {source}/{name}; fetch it with `{refresh_hint(source, name)}`"
        )
    restore = f"restore it with `git checkout -- {csv_path} {meta_path}` or refetch with `{refresh_hint(source, name)}`"
    for path in (csv_path, meta_path):
        if not path.exists():
            raise SnapshotInvalid(f"snapshot {source}/{name} is incomplete: {path} is missing; {restore}")
    try:
        meta = load_yaml(meta_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SnapshotInvalid(f"sidecar {meta_path} is not valid YAML ({exc}); {restore}") from exc
    if not isinstance(meta, dict) or not {"sha256", "rows", "columns", "method"} <= meta.keys():
        raise SnapshotInvalid(f"sidecar {meta_path} lacks sha256/rows/columns/method; {restore}")
    data = csv_path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta["sha256"]:
        raise SnapshotInvalid(
            f"checksum mismatch for {csv_path}: the sidecar records sha256 {meta['sha256']}, the file has {digest}. "
            f"The file was edited or damaged since it was written; {restore}"
        )
    frame = _parse_csv(data)
    if list(frame.columns) != list(meta["columns"]) or len(frame) != meta["rows"]:
        raise SnapshotInvalid(
            f"{csv_path} has columns {list(frame.columns)} and {len(frame)} rows, the sidecar says "
            f"{meta['columns']} and {meta['rows']}; {restore}"
        )
    missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
    if missing:
        raise SnapshotInvalid(f"{csv_path} lacks the tidy column(s) {missing}; {restore}")
    return Snapshot(frame, _provenance(source, name, meta), meta)


def _parse_csv(data: bytes) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")
    is_date = frame["unit"].isin(TEXT_UNITS) if "unit" in frame else pd.Series(False, index=frame.index)
    if "value" in frame:
        if is_date.any():
            values = [v if d else float(v) for v, d in zip(frame["value"], is_date)]
            frame["value"] = pd.Series(values, index=frame.index, dtype=object)
        else:
            frame["value"] = frame["value"].astype(float)
    if "aggregate" in frame:
        frame["aggregate"] = frame["aggregate"].map({"True": True, "False": False}).astype(bool)
    return frame


def _provenance(source: str, name: str, meta: dict[str, Any]) -> Provenance:
    return Provenance(
        source=source,
        dataset=str(meta.get("dataset", "")),
        method=meta["method"],
        url=meta.get("url"),
        retrieved_at=meta.get("retrieved_at"),
        transcribed_from=describe_origin(meta.get("transcribed_from")),
        licence=meta.get("licence"),
        snapshot=f"reference/{source}/{name}.csv",
        sha256=meta["sha256"],
    )


# --------------------------------------------------------------------------------------------- write


TEXT_UNITS = {"date", "category"}  # units whose values are text (ISO dates, OWID categories), not numbers
SERIES_COLUMNS = ["entity", "partner", "measure"]


def lost_series(old: pd.DataFrame, new: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The (entity, partner, measure) series the stored snapshot has and a fresh fetch lacks."""
    def series(frame: pd.DataFrame) -> set[tuple[str, str, str]]:
        return set(frame[SERIES_COLUMNS].astype(str).itertuples(index=False, name=None))

    return sorted(series(old) - series(new))


def validate_frame(frame: pd.DataFrame, where: str = "snapshot") -> None:
    """Raise SnapshotInvalid unless ``frame`` is a non-empty tidy table without gaps or duplicate keys."""
    missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
    if missing:
        raise SnapshotInvalid(f"{where}: missing tidy column(s) {missing}")
    if frame.empty:
        raise SnapshotInvalid(f"{where}: no rows")
    for column in TIDY_COLUMNS:
        blank = frame[column].isna() | frame[column].map(_is_nan)
        if column != "partner":
            blank |= frame[column].astype(str).str.strip() == ""
        if blank.any():
            raise SnapshotInvalid(f"{where}: {int(blank.sum())} row(s) with an empty {column!r}")
    bad = [v for v, u in zip(frame["value"], frame["unit"]) if u not in TEXT_UNITS and not _is_number(v)]
    if bad:
        raise SnapshotInvalid(
            f"{where}: non-numeric value(s) such as {bad[0]!r} in rows whose unit is not one of {sorted(TEXT_UNITS)}"
        )
    duplicated = frame.duplicated(KEY_COLUMNS)
    if duplicated.any():
        first = frame.loc[duplicated, KEY_COLUMNS].iloc[0].to_dict()
        raise SnapshotInvalid(f"{where}: {int(duplicated.sum())} duplicate key(s), e.g. {first}")


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _is_number(value: Any) -> bool:
    try:
        return math.isfinite(float(value)) and not isinstance(value, (str, bool))
    except (TypeError, ValueError):
        return False


def render_csv(frame: pd.DataFrame) -> bytes:
    """The deterministic CSV bytes of a tidy frame: fixed column order, sorted rows, shortest round-trip floats, LF."""
    extras = sorted(c for c in frame.columns if c not in TIDY_COLUMNS and c not in OPTIONAL_COLUMNS)
    columns = TIDY_COLUMNS + [c for c in OPTIONAL_COLUMNS if c in frame.columns] + extras
    keys = frame[SORT_COLUMNS].astype(str)
    ordered = frame.loc[keys.sort_values(SORT_COLUMNS, kind="mergesort").index, columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in ordered.itertuples(index=False, name=None):
        writer.writerow([_cell(value, column) for value, column in zip(row, columns)])
    return out.getvalue().encode("utf-8")


def _cell(value: Any, column: str) -> str:
    if isinstance(value, str):
        return value
    if column == "value":
        return repr(float(value))  # the shortest string that converts back to the same double
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value)


def write_snapshot(source: str, name: str, frame: pd.DataFrame, meta: dict[str, Any]) -> Path:
    """Validate ``frame`` and atomically replace ``<source>/<name>.csv`` and its sidecar; return the CSV path.

    ``meta`` holds the descriptive keys (dataset, method, url, licence, …); source, snapshot, sha256, rows
    and columns are filled in here. Nothing on disk changes unless validation and both writes succeed.
    """
    validate_frame(frame, f"{source}/{name}")
    if meta.get("method") not in ("api", "transcribed"):
        raise SnapshotInvalid(f"{source}/{name}: sidecar method must be 'api' or 'transcribed', not {meta.get('method')!r}")
    data = render_csv(frame)
    header = data.split(b"\n", 1)[0].decode("utf-8")
    full = {**meta, "source": source, "snapshot": name, "url": redact(meta.get("url"))}
    full.update(sha256=hashlib.sha256(data).hexdigest(), rows=len(frame), columns=header.split(","))
    sidecar = render_meta(full)
    csv_path, meta_path = snapshot_paths(source, name)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    temps = [_write_temp(csv_path, data), _write_temp(meta_path, sidecar)]
    try:
        # A crash between the two replaces leaves a checksum mismatch, which load_snapshot reports.
        os.replace(temps[0], csv_path)
        os.replace(temps[1], meta_path)
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
    return csv_path


def render_meta(meta: dict[str, Any]) -> bytes:
    """The sidecar YAML, keys in META_ORDER then alphabetical; ``None`` values are left out."""
    ordered = {k: meta[k] for k in META_ORDER if meta.get(k) is not None}
    ordered.update({k: meta[k] for k in sorted(meta) if k not in ordered and meta[k] is not None})
    text = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return text.encode("utf-8")


def _write_temp(target: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.chmod(name, 0o666 & ~_UMASK)  # mkstemp creates 0600; the snapshot should be readable like any file
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return Path(name)


# ------------------------------------------------------------------------------------------- refresh

_refreshed: set[tuple[str, str]] = set()


def refresh(source_name: str, snapshot_name: str, http: HttpClient | None = None) -> Snapshot:
    """Fetch a catalogue entry live, validate it and replace the stored snapshot; raise on any failure."""
    try:
        spec = catalogue.entry(source_name, snapshot_name)
    except catalogue.CatalogueError as exc:
        raise SnapshotMissing(str(exc)) from None
    if not spec.refreshable:
        raise SnapshotMissing(
            f"{source_name}/{snapshot_name} is a transcription with no query in {spec.file}; it cannot be refreshed"
        )
    source = get_source(source_name)
    own_client = http is None
    http = http or HttpClient()
    try:
        frame, url = source.fetch(spec, http)
    finally:
        if own_client:
            http.close()
    _refuse_lost_series(source_name, snapshot_name, frame)
    query = {k: v for k, v in spec.query.items() if not k.endswith("_text")}  # file names, not their text
    meta = {
        "dataset": spec.dataset,
        "title": spec.title,
        "description": spec.used_for,
        "query": query,
        "url": redact(url),
        "method": "api",
        "retrieved_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "licence": spec.licence,
        "licence_url": spec.licence_url,
    }
    write_snapshot(source_name, snapshot_name, frame, meta)
    _refreshed.add((source_name, snapshot_name))
    return load_snapshot(source_name, snapshot_name)


def _refuse_lost_series(source: str, name: str, frame: pd.DataFrame) -> None:
    """A refresh may revise values and add series, never silently drop one the stored snapshot has.

    (A transcription may hold series, such as retired country codes, that the API no longer serves.)
    """
    try:
        stored = load_snapshot(source, name).frame
    except (SnapshotMissing, SnapshotInvalid):
        return
    lost = lost_series(stored, frame)
    if lost:
        examples = "; ".join("/".join(item) for item in lost[:3])
        raise SnapshotInvalid(
            f"{source}/{name}: the fetched data lack {len(lost)} series the stored snapshot has "
            f"(e.g. {examples}); the stored snapshot is kept. Declare a separate snapshot for the new data."
        )


def get_snapshot(source: str, name: str, mode: Mode = "offline", http: HttpClient | None = None) -> Snapshot:
    """A snapshot by mode: ``offline`` only reads disk; ``refresh`` fetches once per process; ``auto`` fetches if missing."""
    if mode == "offline" or not _declares(source, name):  # a transcription has nothing to refresh from
        return load_snapshot(source, name)
    if mode == "refresh":
        if (source, name) not in _refreshed:
            refresh(source, name, http)
        return load_snapshot(source, name)
    if mode == "auto":
        try:
            return load_snapshot(source, name)
        except SnapshotMissing:
            return refresh(source, name, http)
    raise ValueError(f"unknown mode {mode!r}; use offline, refresh or auto")


def _declares(source: str, name: str) -> bool:
    """Whether the catalogue has a query for ``source/name`` (a transcription it cannot fetch)."""
    try:
        return catalogue.entry(source, name).refreshable
    except catalogue.CatalogueError:
        return False


def forget_refreshes() -> None:
    """Let ``get_snapshot(mode="refresh")`` fetch again (a new scheduled run in the same process, or tests)."""
    _refreshed.clear()


# ------------------------------------------------------------------------------------------ versions


def sidecar_date(meta: dict[str, Any]) -> str:
    """When a snapshot's data were taken: retrieved (API) or transcribed."""
    return str(meta.get("retrieved_at") or meta.get("transcribed_at") or "")


def stored_versions() -> dict[str, dict[str, Any]]:
    """``{"source/snapshot": {sha256, date, method}}`` from every sidecar under the reference folder, sorted.

    Read from the sidecars alone (no checksum pass over the data): this records which versions a
    run saw, and loading each snapshot already verified the ones it used.
    """
    versions = {}
    root = paths.reference_dir()
    for sidecar in sorted(root.glob("*/*.meta.yaml")) if root.is_dir() else []:
        try:
            meta = load_yaml(sidecar.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            meta = {"problem": f"unreadable sidecar: {type(exc).__name__}"}
        name = f"{sidecar.parent.name}/{sidecar.name.removesuffix('.meta.yaml')}"
        versions[name] = {
            "sha256": meta.get("sha256"),
            "date": sidecar_date(meta),
            "method": meta.get("method", ""),
            **({"problem": meta["problem"]} if "problem" in meta else {}),
        }
    return versions
