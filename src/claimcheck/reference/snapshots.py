"""The snapshot store: versions of tidy CSV tables, each with a ``.meta.yaml`` sidecar.

A snapshot is a folder ``data/reference/<source>/<name>/`` of versions: ``<version>.csv`` (the tidy
table, deterministic bytes), or ``<version>.csv.gz`` (the same bytes gzip-compressed, for the large
transcriptions), and ``<version>.meta.yaml`` (where it came from, licence, sha256 of the CSV bytes,
which rows cover which years). A version id is the date its data were published or taken (``2024-10-21``, or
``2026-12-01T091700Z`` for a fetch), so versions sort by id and ``as_of`` picks one without reading
any sidecar. A refresh that changes data adds a version beside the old ones and never edits one in
place; identical data add nothing. Loading re-checks the checksum of the one version it reads.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import math
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml

from claimcheck import paths
from claimcheck.cells import TEXT_MARK, cell_text, csv_columns, from_cell
from claimcheck.reference import catalogue
from claimcheck.reference.errors import SnapshotInvalid, SnapshotMissing
from claimcheck.reference.http import HttpClient, SourceError, has_secrets, redact, redact_text, secret_in
from claimcheck.reference.sources import get_source
from claimcheck.reference.sources.base import TIDY_COLUMNS, Provenance, describe_origin
from claimcheck.registry.yamltext import load_yaml, yaml_error_line

OPTIONAL_COLUMNS = ["entity_name", "partner_name", "aggregate", "basis"]
KEY_COLUMNS = ["entity", "partner", "period", "measure"]
SORT_COLUMNS = ["entity", "partner", "measure", "period", "unit"]

# Sidecar keys in the order they are written; any other key follows, alphabetically.
META_ORDER = [
    "source", "dataset", "snapshot", "title", "description", "query", "url", "served_from", "method",
    "version", "published", "published_means", "retrieved_at", "transcribed_at", "transcribed_from", "origin_notes",
    "licence", "licence_url", "sha256", "rows", "columns", "coverage",
]  # fmt: skip

DOCUMENTS_FOLDER = "documents"  # the documents registry lives beside the snapshots, in its own format

_UMASK = os.umask(0)
os.umask(_UMASK)

Mode = Literal["offline", "refresh", "auto"]

AS_OF_ENV = "CLAIMCHECK_AS_OF"  # set by `claimcheck run --as-of`: every snapshot read is pinned to this date
# set by `claimcheck run`: the newest version of each snapshot when the run started (JSON), so a
# refresh during the run adds a version the run's notebooks do not read and its records do not name
SEEN_ENV = "CLAIMCHECK_VERSIONS_SEEN"
VERSION_RE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{6}Z)?(\.\d+)?\Z")


@dataclass
class Snapshot:
    """A loaded snapshot version: the tidy table, its provenance and the full sidecar."""

    frame: pd.DataFrame
    provenance: Provenance
    meta: dict[str, Any]
    version: str = ""


def snapshot_dir(source: str, name: str) -> Path:
    """The folder holding every version of a snapshot."""
    return paths.reference_dir() / source / name


GZIP = ".gz"  # a version stored compressed: ``<version>.csv.gz``; its sidecar's sha256 is of the CSV bytes


def version_paths(source: str, name: str, version: str, compressed: bool | None = None) -> tuple[Path, Path]:
    """The CSV and sidecar paths of one version: the ``.csv.gz`` file when that is the one stored (or
    ``compressed`` asks for it), else the ``.csv``."""
    folder = snapshot_dir(source, name)
    plain = folder / f"{version}.csv"
    packed = folder / f"{version}.csv{GZIP}"
    if compressed is None:
        compressed = not plain.exists() and packed.exists()
    return packed if compressed else plain, folder / f"{version}.meta.yaml"


def version_of(path: Path) -> str:
    """The version id of a version's CSV file (``2026-07-01.csv`` or ``2026-07-01.csv.gz``)."""
    return path.name.removesuffix(GZIP).removesuffix(".csv")


def read_table_bytes(path: Path) -> bytes:
    """The CSV bytes of a version file, decompressed when it is a ``.csv.gz``."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(GZIP) else data


def versions(source: str, name: str) -> list[str]:
    """The stored version ids of a snapshot, oldest first (a CSV or a sidecar alone counts: it is reported)."""
    folder = snapshot_dir(source, name)
    if not folder.is_dir():
        return []
    stems = {p.name.removesuffix(".meta.yaml").removesuffix(GZIP).removesuffix(".csv") for p in folder.iterdir()
             if p.name.endswith((".csv", ".csv" + GZIP, ".meta.yaml")) and not p.name.startswith(".")}
    return sorted(v for v in stems if VERSION_RE.match(v))


def pinned_date() -> date | None:
    """The date ``claimcheck run --as-of`` pins every snapshot to (``CLAIMCHECK_AS_OF``), or None."""
    text = os.environ.get(AS_OF_ENV, "").strip()
    return parse_as_of(text) if text else None


def parse_as_of(value: date | str | None) -> date | None:
    """A date from ``2023-02-26`` (or a ``date``); ValueError with the accepted form otherwise."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"as-of date {value!r} is not an ISO date (YYYY-MM-DD)") from None


def effective_as_of(as_of: date | str | None) -> date | None:
    """The earlier of the caller's date and the run's pin: the pin caps every request."""
    dates = [d for d in (parse_as_of(as_of), pinned_date()) if d is not None]
    return min(dates) if dates else None


def newest_versions() -> dict[str, str]:
    """``{"source/snapshot": version}``: the newest stored version of every snapshot (for ``SEEN_ENV``)."""
    return {f"{source}/{name}": versions(source, name)[-1]
            for source in sorted(sources_on_disk()) for name in sorted(stored_snapshots(source))}


@lru_cache(maxsize=4)
def _seen(text: str) -> dict[str, str]:
    try:
        seen = json.loads(text)
    except ValueError:
        return {}
    return seen if isinstance(seen, dict) else {}


def pick_version(source: str, name: str, as_of: date | str | None = None) -> str:
    """The newest version published on or before ``as_of`` (default: the newest); SnapshotMissing if none.
    During a run, versions stored after it started are left out (``SEEN_ENV``)."""
    stored = versions(source, name)
    ceiling = _seen(os.environ.get(SEEN_ENV, "")).get(f"{source}/{name}")
    if ceiling:
        stored = [v for v in stored if v <= ceiling] or stored
    if not stored:
        raise SnapshotMissing(
            f"no offline snapshot {source}/{name}; fetch it with `{refresh_hint(source, name)}`"
        )
    day = effective_as_of(as_of)
    if day is None:
        return stored[-1]
    eligible = [v for v in stored if v[:10] <= day.isoformat()]
    if not eligible:
        raise SnapshotMissing(
            f"no version of {source}/{name} published on or before {day.isoformat()} "
            f"(the oldest is {stored[0]}; versions: {', '.join(stored)})"
        )
    return eligible[-1]


def snapshot_paths(source: str, name: str, version: str | None = None) -> tuple[Path, Path]:
    """The CSV and sidecar paths of a version (default: the newest stored one)."""
    return version_paths(source, name, version or pick_version(source, name))


def refresh_hint(source: str, name: str) -> str:
    return f"claimcheck refresh --source {source} --snapshot {name}"


# ---------------------------------------------------------------------------------------------- load


def load_snapshot(source: str, name: str, version: str | None = None, as_of: date | str | None = None) -> Snapshot:
    """Read one version (given, or the newest on or before ``as_of``, or the newest), verify its sha256,
    row count and columns; raise SnapshotMissing / SnapshotInvalid."""
    version = version or pick_version(source, name, as_of)
    csv_path, meta_path = version_paths(source, name, version)
    if not csv_path.exists() and not meta_path.exists():
        raise SnapshotMissing(f"no version {version} of {source}/{name}; stored: {', '.join(versions(source, name)) or 'none'}")
    restore = f"restore it with `git checkout -- {csv_path} {meta_path}` or refetch with `{refresh_hint(source, name)}`"
    for path in (csv_path, meta_path):
        if not path.exists():
            raise SnapshotInvalid(f"snapshot {source}/{name} version {version} is incomplete: {path} is missing; {restore}")
        if problem := paths.outside_data(path):
            raise SnapshotInvalid(problem)
    meta = read_meta(meta_path, restore)
    try:
        data = read_table_bytes(csv_path)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise SnapshotInvalid(f"{csv_path} cannot be decompressed ({type(exc).__name__}); {restore}") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta["sha256"]:
        raise SnapshotInvalid(
            f"checksum mismatch for {csv_path}: the sidecar records sha256 {meta['sha256']}, the file has {digest}. "
            f"The file was edited or damaged since it was written; {restore}"
        )
    frame = _read_stored(data, meta)
    if list(frame.columns) != list(meta["columns"]) or len(frame) != meta["rows"]:
        raise SnapshotInvalid(
            f"{csv_path} has columns {list(frame.columns)} and {len(frame)} rows, the sidecar says "
            f"{meta['columns']} and {meta['rows']}; {restore}"
        )
    where = f"{source}/{name} version {version}"
    frame = _typed(_expand(frame, meta, where), where)
    missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
    if missing:
        raise SnapshotInvalid(f"{csv_path} lacks the tidy column(s) {missing}; {restore}")
    return Snapshot(frame, _provenance(source, name, version, meta, csv_path.name), meta, version)


def read_meta(meta_path: Path, restore: str = "") -> dict[str, Any]:
    """A version's sidecar, checked for the keys loading needs."""
    try:
        meta = load_yaml(meta_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SnapshotInvalid(f"sidecar {meta_path} is not valid YAML ({yaml_error_line(exc)}); {restore}") from None
    if not isinstance(meta, dict) or not {"sha256", "rows", "columns", "method"} <= meta.keys():
        raise SnapshotInvalid(f"sidecar {meta_path} lacks sha256/rows/columns/method; {restore}")
    return meta


def _expand(frame: pd.DataFrame, meta: dict[str, Any], where: str) -> pd.DataFrame:
    """A compact version back to the full tidy table: its ``constants`` columns (one value in every row,
    kept once in the sidecar) and its ``labels`` (entity names and aggregate flags from one table per
    source, checked by sha256), in the usual column order."""
    constants, labels = meta.get("constants") or {}, meta.get("labels")
    if not constants and not labels:
        return frame
    frame = frame.assign(**{k: str(v) for k, v in constants.items()})
    if labels:
        frame = _with_labels(frame, read_labels(labels["file"], labels.get("sha256"), where), labels["file"], where)
    order = TIDY_COLUMNS + [c for c in OPTIONAL_COLUMNS if c in frame.columns]
    return frame[order + sorted(c for c in frame.columns if c not in order)]


def _with_labels(frame: pd.DataFrame, table: pd.DataFrame, file: str, where: str) -> pd.DataFrame:
    """``frame`` with the labels of each row's entity (blank for an entity the table lacks), rows numbered afresh."""
    entities = pd.Index(table["entity"])
    if not entities.is_unique:
        twice = entities[entities.duplicated()][0]
        raise SnapshotInvalid(f"{where}: its labels table {file} lists the entity {twice!r} more than once")
    rows = entities.get_indexer(frame["entity"])  # by position: -1, an entity the table lacks
    labelled = {c: table[c].array.take(rows, allow_fill=True, fill_value="") for c in table.columns.drop("entity")}
    return frame.assign(**labelled).reset_index(drop=True)


def loaded_columns(meta: dict[str, Any]) -> list[str]:
    """The columns a version has once loaded: its CSV's, plus any kept in its sidecar (``constants``,
    ``labels``), from the sidecar alone."""
    columns = list(meta.get("columns") or [])
    columns += [c for c in (meta.get("constants") or {}) if c not in columns]
    if meta.get("labels"):
        columns += [c for c in ("entity_name", "aggregate") if c not in columns]
    order = TIDY_COLUMNS + OPTIONAL_COLUMNS
    return [c for c in order if c in columns] + sorted(c for c in columns if c not in order)


def read_labels(file: str, sha256: str | None, where: str = "") -> pd.DataFrame:
    """A labels table (``entity,entity_name[,aggregate]``) under the reference folder, checked by sha256."""
    path = paths.reference_dir() / file
    if problem := paths.outside_data(path):
        raise SnapshotInvalid(f"{where}: its labels table {problem}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SnapshotInvalid(f"{where}: its labels table {path} cannot be read ({type(exc).__name__})") from None
    digest = hashlib.sha256(data).hexdigest()
    if sha256 and digest != sha256:
        raise SnapshotInvalid(f"{where}: its labels table {path} does not match the sha256 in the sidecar; "
                              f"restore it with `git checkout -- {path}`")  # fmt: skip
    return _labels_table(digest, data)


@lru_cache(maxsize=8)  # hundreds of World Bank indicators share one labels table: read its bytes once per content
def _labels_table(digest: str, data: bytes) -> pd.DataFrame:
    return _read_csv(data)


# a cell starting with the mark: at a line's start or after a comma, maybe after the quote opening it (a
# false alarm inside a quoted cell only costs the slow look below)
_MARK_AT_A_CELL_START = re.compile(rb'(?:^|,)"?' + re.escape(TEXT_MARK.encode()), re.M)


def _read_csv(data: bytes) -> pd.DataFrame:
    """A stored CSV as text cells, each as it was before ``cells.to_cell`` made it inert."""
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")
    if TEXT_MARK.encode() not in data or not _MARK_AT_A_CELL_START.search(data):  # most tables have no marked cell
        return frame
    for column in frame.columns:
        marked = frame[column].str.startswith(TEXT_MARK)
        if marked.any():
            frame[column] = frame[column].map(from_cell)
    return frame


# pandas 3.1 reads every float exactly as float() does (fast_float); before it, only its round_trip converter did
_EXACT_FLOATS = {} if tuple(map(int, pd.__version__.split(".")[:2])) >= (3, 1) else {"float_precision": "round_trip"}
_BOOLEAN_WORDS = (b"true", b"True", b"TRUE", b"false", b"False", b"FALSE")  # which pandas would read as 1.0 and 0.0


def _read_stored(data: bytes, meta: dict[str, Any]) -> pd.DataFrame:
    """``_read_csv``'s table, its values already floats, parsed by the CSV reader, when ``_typed`` would make
    each the same float (``_floats_as_written``; no marked cell): most tables, without a Python string per value."""
    if str((meta.get("constants") or {}).get("unit")) not in TEXT_UNITS and TEXT_MARK.encode() not in data:
        try:
            frame = pd.read_csv(io.BytesIO(data), dtype=defaultdict(lambda: str, value="float64"), keep_default_na=False,
                                encoding="utf-8", **_EXACT_FLOATS)  # fmt: skip
        except ValueError:  # a value that is no number, as float() may still read it ("1_0"): as text below
            frame = None
        if frame is not None and "value" in frame and _floats_as_written(frame, data):
            return frame
    return _read_csv(data)


def _floats_as_written(frame: pd.DataFrame, data: bytes) -> bool:
    """Whether the CSV reader's floats are what ``_typed`` makes of the text cells: no blank or NaN cell (float()
    refuses the one, pandas the other), no row in a text unit, no boolean word."""
    values = frame["value"].to_numpy()
    if np.isnan(values).any() or ("unit" in frame and frame["unit"].isin(TEXT_UNITS).any()):
        return False
    maybe_words = ((values == 0) | (values == 1)).any()  # a boolean word would have become one of these
    return not (maybe_words and any(word in data for word in _BOOLEAN_WORDS))


def _typed(frame: pd.DataFrame, where: str) -> pd.DataFrame:
    """Values as floats (text for TEXT_UNITS rows), aggregate flags as booleans; SnapshotInvalid for a
    value that is no number in a row whose unit is not text."""
    is_date = frame["unit"].isin(TEXT_UNITS) if "unit" in frame else pd.Series(False, index=frame.index)
    if "value" in frame:
        try:
            if is_date.any():
                values = [v if d else float(v) for v, d in zip(frame["value"], is_date)]
                frame["value"] = pd.Series(values, index=frame.index, dtype=object)
            else:
                frame["value"] = frame["value"].astype(float)
        except ValueError:
            bad = next((v for v, d in zip(frame["value"], is_date) if not d and not _reads_as_float(v)), "")
            raise SnapshotInvalid(f"{where}: the value {bad[:40]!r} of a row whose unit is not text is no number") from None
    if "aggregate" in frame:
        frame["aggregate"] = frame["aggregate"].isin(["True", True])  # vectorised: a table of 400,000 rows reads fast
    return frame


def _reads_as_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _provenance(source: str, name: str, version: str, meta: dict[str, Any], file: str) -> Provenance:
    return Provenance(
        source=source,
        dataset=str(meta.get("dataset", "")),
        method=meta["method"],
        url=meta.get("url"),
        retrieved_at=meta.get("retrieved_at"),
        transcribed_from=describe_origin(meta.get("transcribed_from")),
        licence=meta.get("licence"),
        snapshot=f"reference/{source}/{name}/{file}",
        sha256=meta["sha256"],
        version=version,
        published=str(meta.get("published") or version),
    )


# --------------------------------------------------------------------------------------------- write


TEXT_UNITS = {"date", "category"}  # units whose values are text (ISO dates, OWID categories), not numbers
SERIES_COLUMNS = ["entity", "partner", "measure"]


def lost_series(old: pd.DataFrame, new: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The (entity, partner, measure) series the stored snapshot has and a fresh fetch lacks."""
    def series(frame: pd.DataFrame) -> set[tuple[str, str, str]]:
        return set(frame[SERIES_COLUMNS].astype(str).itertuples(index=False, name=None))

    return sorted(series(old) - series(new))


PERIOD_FORMAT = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?|-Q[1-4])?"  # a stored period
PERIOD_RE = re.compile(PERIOD_FORMAT)


def validate_frame(frame: pd.DataFrame, where: str = "snapshot") -> None:
    """Raise SnapshotInvalid unless ``frame`` is a non-empty tidy table without gaps or duplicate keys."""
    missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
    if missing:
        raise SnapshotInvalid(f"{where}: missing tidy column(s) {missing}")
    if frame.empty:
        raise SnapshotInvalid(f"{where}: no rows")
    for column in TIDY_COLUMNS:
        values = frame[column]
        blank = values.isna()
        if column != "partner" and values.dtype.kind not in "fiub":  # text: empty or only spaces is blank
            text = values.astype(str)  # (a list's text, too; a missing value's is not empty)
            if empty := [v for v in text.unique() if not str(v).strip()]:
                blank |= text.isin(empty)
        if blank.any():
            raise SnapshotInvalid(f"{where}: {int(blank.sum())} row(s) with an empty {column!r}")
    _check_entities(frame, where)
    periods = frame["period"].astype(str)
    odd = periods[periods.isin([p for p in periods.unique() if not PERIOD_RE.fullmatch(p)])]  # a table has few periods
    if not odd.empty:
        raise SnapshotInvalid(f"{where}: {len(odd)} period(s) such as {odd.iloc[0][:40]!r} are not a year, month, "
                              "day or quarter (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Q1)")
    if frame["value"].dtype.kind == "f":  # floats already (a transcription): only infinities can be wrong
        infinite = ~np.isfinite(frame["value"].to_numpy())
        bad = frame.loc[infinite & ~frame["unit"].isin(TEXT_UNITS), "value"].tolist() if infinite.any() else []
    else:
        bad = [v for v, u in zip(frame["value"], frame["unit"]) if u not in TEXT_UNITS and not _is_number(v)]
    if bad:
        raise SnapshotInvalid(
            f"{where}: non-numeric value(s) such as {bad[0]!r} in rows whose unit is not one of {sorted(TEXT_UNITS)}"
        )
    duplicated = frame.duplicated(KEY_COLUMNS)
    if duplicated.any():
        first = frame.loc[duplicated, KEY_COLUMNS].iloc[0].to_dict()
        raise SnapshotInvalid(f"{where}: {int(duplicated.sum())} duplicate key(s), e.g. {first}")


# an entity or partner: a code (ISO 3166 letters, an M49 number, a Wikidata id) or a name in words:
# it starts with a letter or a digit (never =, +, -, @: a formula) and holds no control character
ENTITY = re.compile(r"[^\W_][^\x00-\x1f\x7f-\x9f\u2028\u2029]{0,199}")


def _check_entities(frame: pd.DataFrame, where: str) -> None:
    for column in ("entity", "partner"):
        if column not in frame.columns:
            continue
        bad = [v for v in frame[column].unique() if not (column == "partner" and v in ("", None))
               and not (isinstance(v, str) and ENTITY.fullmatch(v))]
        if bad:
            raise SnapshotInvalid(f"{where}: {column} {str(bad[0])[:60]!r} is no entity code or name (it must start "
                                  "with a letter or a digit, hold no control character and be at most 200 characters)")


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
    columns = [c for c in TIDY_COLUMNS + OPTIONAL_COLUMNS if c in frame.columns] + extras
    sort = [c for c in SORT_COLUMNS if c in frame.columns]  # a compact version lacks its constant columns
    keys = frame[sort].astype(str)
    ordered = frame.loc[keys.sort_values(sort, kind="mergesort").index, columns]
    cells = [_cells(ordered[column], column) for column in columns]
    return csv_columns(columns, cells).encode("utf-8")  # text cells inert in a spreadsheet, read back by _read_csv


def _cells(values: pd.Series, column: str) -> list[str]:
    """A column's cells as ``cell_text(_cell(value))``, without a call per cell: a column of finite floats is
    their shortest round-trip decimals (never marked), a column of text is worked out once per distinct text."""
    if values.dtype.kind == "f" and np.isfinite(values.to_numpy()).all():
        return list(map(repr, values.tolist()))  # Python floats: the shortest round-trip decimal
    if values.dtype.kind == "b" and column != "value":  # (a value is written as a float, True as 1.0)
        return np.where(values.to_numpy(), "True", "False").tolist()
    if _all_text(values):
        codes, distinct = pd.factorize(values)
        return np.array([cell_text(v) for v in distinct], dtype=object)[codes].tolist()
    return [cell_text(_cell(value, column)) for value in values.tolist()]


def _all_text(values: pd.Series) -> bool:
    """Whether every cell is a str (so that equal cells are equal texts, which 1 == 1.0 == True are not)."""
    if isinstance(values.dtype, pd.StringDtype):
        return not values.hasnans
    return values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string"


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


def write_snapshot(source: str, name: str, frame: pd.DataFrame, meta: dict[str, Any],
                   version: str | None = None, *, constants: tuple[str, ...] = (), labels: str | None = None,
                   compress: bool = False) -> Path:
    """Validate ``frame`` and store it as a version of ``<source>/<name>``; return the version's CSV path.

    Without ``version``, a new version is added beside the stored ones (never replacing one), named by
    ``meta["published"]``, else ``retrieved_at``, else now; when its bytes equal the newest version's,
    nothing is written and that version's path is returned. With ``version`` (seeding a transcription
    whose date is known), exactly that version is written. ``meta`` holds the descriptive keys;
    source, snapshot, version, published, sha256, rows and columns are filled in here. Nothing on disk
    changes unless validation and both writes succeed.

    A large transcription can be written compact: ``constants`` names columns that hold one value in
    every row, kept once in the sidecar; ``labels`` names a table under the reference folder
    (``worldbank/economies.csv``) that supplies ``entity_name`` and ``aggregate`` by entity, so the
    frame passed carries neither. Loading restores the full table. ``compress`` stores the CSV as
    ``<version>.csv.gz`` (gzip, no timestamp: the same data give the same bytes); the sidecar's sha256
    stays that of the CSV bytes. The sidecar's ``coverage`` says which periods and entities the rows hold.
    """
    meta = {k: v for k, v in meta.items() if k not in ("constants", "labels", "sha256", "rows", "columns", "coverage")}
    if labels:
        table = read_labels(labels, None, f"{source}/{name}")
        unknown = sorted(set(frame["entity"].unique()) - set(table["entity"]))
        if unknown:
            raise SnapshotInvalid(f"{source}/{name}: entities {unknown[:5]} are not in the labels table {labels}")
        meta["labels"] = {"file": labels, "sha256": hashlib.sha256((paths.reference_dir() / labels).read_bytes()).hexdigest()}
        frame = _with_labels(frame, table, labels, f"{source}/{name}")
    validate_frame(frame, f"{source}/{name}")
    if constants:
        values = {}
        for column in constants:
            distinct = frame[column].astype(str).unique()
            if len(distinct) != 1:
                raise SnapshotInvalid(f"{source}/{name}: column {column!r} is not constant ({len(distinct)} values)")
            values[column] = str(distinct[0])
        meta["constants"] = values
    stored_frame = frame.drop(columns=[*constants, *(c for c in ("entity_name", "aggregate") if labels and c in frame)])
    if meta.get("method") not in ("api", "transcribed"):
        raise SnapshotInvalid(f"{source}/{name}: sidecar method must be 'api' or 'transcribed', not {meta.get('method')!r}")
    data = render_csv(stored_frame)
    meta["coverage"] = coverage(frame)
    if version is None:
        stored = versions(source, name)
        if stored and version_paths(source, name, stored[-1])[0].is_file():
            newest = version_paths(source, name, stored[-1])[0]
            if read_table_bytes(newest) == data:
                return newest
        version = _new_version_id(meta, stored)
    elif not VERSION_RE.match(version):
        raise SnapshotInvalid(f"{source}/{name}: version {version!r} is not YYYY-MM-DD or YYYY-MM-DDTHHMMSSZ")
    header = data.split(b"\n", 1)[0].decode("utf-8")
    full = {**meta, "source": source, "snapshot": name, "url": redact(meta.get("url")), "version": version,
            "published": str(meta.get("published") or meta.get("retrieved_at") or version)}
    full.update(sha256=hashlib.sha256(data).hexdigest(), rows=len(frame), columns=header.split(","))
    sidecar = render_meta(full)
    csv_path, meta_path = version_paths(source, name, version, compressed=compress)
    other = version_paths(source, name, version, compressed=not compress)[0]
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    stored_bytes = gzip.compress(data, compresslevel=9, mtime=0) if compress else data
    temps = [_write_temp(csv_path, stored_bytes), _write_temp(meta_path, sidecar)]
    try:
        # A crash between the two replaces leaves a checksum mismatch, which load_snapshot reports.
        os.replace(temps[0], csv_path)
        os.replace(temps[1], meta_path)
        other.unlink(missing_ok=True)  # a version is stored one way: the other file would shadow or confuse it
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
    return csv_path


def coverage(frame: pd.DataFrame) -> dict[str, Any]:
    """Which periods and entities a table holds: first and last period, entities, and how many of
    them are aggregates (regions, income groups) when the table flags them."""
    periods = frame["period"].astype(str).unique()  # a table has few periods
    out: dict[str, Any] = {"first": min(periods), "last": max(periods), "entities": int(frame["entity"].nunique())}
    if "aggregate" in frame:
        flagged = frame["aggregate"].astype(str).isin(["True", "true", "1"])
        out["aggregates"] = int(frame.loc[flagged, "entity"].nunique())
    if frame["measure"].nunique() > 1:  # a table of measures: each one's years, which differ
        spans = frame.groupby("measure")["period"].agg(["min", "max"]).astype(str)
        out["measures"] = {m: f"{row['min']}-{row['max']}" for m, row in spans.iterrows()}
    return out


def _new_version_id(meta: dict[str, Any], stored: list[str]) -> str:
    """``YYYY-MM-DD`` for a dated publication, ``YYYY-MM-DDTHHMMSSZ`` for a fetch; ``.2``… if taken."""
    when = meta.get("published") or meta.get("retrieved_at")
    if when and len(str(when)) == 10:
        base = str(parse_as_of(when))
    else:
        moment = datetime.fromisoformat(str(when)) if when else datetime.now(timezone.utc)
        base = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    version, n = base, 1
    while version in stored:
        n += 1
        version = f"{base}.{n}"
    return version


def render_meta(meta: dict[str, Any]) -> bytes:
    """The sidecar YAML, keys in META_ORDER then alphabetical; ``None`` values are left out."""
    ordered = {k: meta[k] for k in META_ORDER if meta.get(k) is not None}
    ordered.update({k: meta[k] for k in sorted(meta) if k not in ordered and meta[k] is not None})
    text = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return redact_text(text).encode("utf-8")  # no credential this process sent is ever stored


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


def refresh(source_name: str, snapshot_name: str, http: HttpClient | None = None,
            accept_changes: bool = False) -> Snapshot:
    """Fetch a catalogue entry live, validate it and add it as a new version (none if unchanged); raise on any failure.

    A fetch that is no plausible revision of the stored version is refused unless ``accept_changes``.
    """
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
    seen, allowed = len(http.redirected), set(http.allowed_hosts)
    http.allowed_hosts |= set(spec.hosts)  # the redirects this source may follow beyond its own host
    try:
        frame, url = source.fetch(spec, http)
    finally:
        http.allowed_hosts = allowed
        if own_client:
            http.close()
    if len(frame) > source.max_rows:
        raise SourceError(f"{source_name}/{snapshot_name}: the fetch holds {len(frame):,} rows, over the "
                          f"{source_name} source's limit of {source.max_rows:,} per snapshot; narrow its query", url)
    served_from = sorted(set(http.redirected[seen:])) or None  # where the data came from, if not from url
    _refuse_credentials(source_name, snapshot_name, frame)
    overridden = _refuse_implausible(source_name, snapshot_name, frame, accept_changes)
    query = {k: v for k, v in spec.query.items() if not k.endswith("_text")}  # file names, not their text
    meta = {
        "dataset": spec.dataset,
        "title": spec.title,
        "description": spec.used_for,
        "query": query,
        "url": redact(url),
        "served_from": served_from,
        "method": "api",
        "retrieved_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "published_means": "when the data were retrieved from the API",
        "licence": spec.licence,
        "licence_url": spec.licence_url,
        "accepted_changes": overridden,  # what --accept-changes let through, recorded as forced
        "schema": frame.attrs.get("schema"),  # which layout of the source's answer was read, when it has several
    }
    csv_path = write_snapshot(source_name, snapshot_name, frame, meta)
    _refreshed.add((source_name, snapshot_name))
    return load_snapshot(source_name, snapshot_name, version=version_of(csv_path))


def _refuse_credentials(source: str, name: str, frame: pd.DataFrame) -> None:
    """Refuse a fetch whose cells echo a credential sent with the request: stored, it would reach
    the repository, the notebooks and the pages."""
    if not has_secrets():  # nothing was sent that could come back: no look at every cell
        return
    for column in frame.columns:
        texts = frame[column].astype(str)
        hit = texts.map(secret_in)
        if hit.any():
            raise SnapshotInvalid(f"{source}/{name}: refused, the answer holds a credential sent with the request "
                                  f"(column {column!r}, {int(hit.sum())} cell(s), e.g. "
                                  f"{redact_text(texts[hit].iloc[0])[:80]!r}); nothing was stored")


def _refuse_implausible(source: str, name: str, frame: pd.DataFrame, accept: bool) -> list[str] | None:
    """Refuse a fetch that loses data or moves it implausibly (reference/plausibility.py); return what was overridden.

    (A transcription may hold series, such as retired country codes, that the API no longer serves:
    declare a separate snapshot for the new data, or accept the loss with ``--accept-changes``.)
    """
    from claimcheck.reference.plausibility import implausible_changes

    try:
        stored = load_snapshot(source, name).frame
    except (SnapshotMissing, SnapshotInvalid):
        return None
    problems = implausible_changes(stored, frame)
    if problems and not accept:
        raise SnapshotInvalid(
            f"{source}/{name}: refused, the fetched data are no plausible revision of the stored snapshot: "
            f"{'; '.join(problems)}. The stored snapshot is kept; if the change is real, run "
            f"`claimcheck refresh --source {source} --snapshot {name} --accept-changes`."
        )
    return problems or None


def get_snapshot(source: str, name: str, mode: Mode = "offline", http: HttpClient | None = None,
                 as_of: date | str | None = None) -> Snapshot:
    """A snapshot by mode: ``offline`` only reads disk; ``refresh`` fetches once per process; ``auto`` fetches if missing.

    ``as_of`` (a date) reads the newest version published on or before it; the default is the newest.
    ``claimcheck run --as-of DATE`` caps every read at DATE (``CLAIMCHECK_AS_OF``). A refresh adds a
    version when the data changed, then the same rule picks what is read.
    """
    if mode == "offline" or not _declares(source, name):  # a transcription has nothing to refresh from
        return load_snapshot(source, name, as_of=as_of)
    if mode == "refresh":
        if (source, name) not in _refreshed:
            refresh(source, name, http)
        return load_snapshot(source, name, as_of=as_of)
    if mode == "auto":
        if not versions(source, name):
            refresh(source, name, http)
        return load_snapshot(source, name, as_of=as_of)
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
    """When a version's data were published or taken (``published``), else retrieved (API) or transcribed."""
    return str(meta.get("published") or meta.get("retrieved_at") or meta.get("transcribed_at") or "")



RECORDED_FIELDS = ("version", "sha256", "published", "retrieved_at", "transcribed_at", "method")


def sidecar_fields(path: Path, keys: tuple[str, ...]) -> dict[str, Any]:
    """The top-level ``keys`` of a sidecar, read from their own lines (a run lists hundreds of sidecars);
    the whole file is parsed when one of them does not fit on its line."""
    text = path.read_text(encoding="utf-8")
    found: dict[str, Any] = {}
    lines = text.split("\n")
    for n, line in enumerate(lines):
        key = line.split(":", 1)[0]
        if key in keys and not line.startswith(" "):
            if n + 1 < len(lines) and lines[n + 1].startswith("  ") and not lines[n + 1].lstrip().startswith("- "):
                return load_yaml(text) or {}  # a value folded over several lines
            found.update(load_yaml(line) or {})
    return found


def stored_versions() -> dict[str, dict[str, Any]]:
    """``{"source/snapshot": {version, sha256, date, method}}``: the version each snapshot is read at, sorted.

    That is the newest version, or the newest on or before the run's ``--as-of`` date. Read from the
    sidecars alone (no checksum pass over the data): this records which versions a run saw, and
    loading each snapshot already verified the ones it used. The documents registry is listed too.
    """
    found = {}
    root = paths.reference_dir()
    documents = root / DOCUMENTS_FOLDER / f"{DOCUMENTS_FOLDER}.meta.yaml"
    sidecars = {f"{DOCUMENTS_FOLDER}/{DOCUMENTS_FOLDER}": documents} if documents.is_file() else {}
    for source in sorted(sources_on_disk()):
        for name in sorted(stored_snapshots(source)):
            try:
                sidecars[f"{source}/{name}"] = snapshot_paths(source, name)[1]
            except SnapshotMissing as exc:
                found[f"{source}/{name}"] = {"sha256": None, "date": "", "method": "", "problem": str(exc)}
    for key, sidecar in sidecars.items():
        try:
            if paths.outside_data(sidecar):  # never read: its content is none of the run's business
                raise PermissionError("outside the data folder")
            meta = sidecar_fields(sidecar, RECORDED_FIELDS)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            meta = {"problem": f"unreadable sidecar: {type(exc).__name__}"}
        if not isinstance(meta, dict):
            meta = {"problem": "unreadable sidecar: not a mapping"}
        found[key] = {
            **({"version": meta["version"]} if meta.get("version") else {}),
            "sha256": meta.get("sha256"),
            "date": sidecar_date(meta),
            "method": meta.get("method", ""),
            **({"problem": meta["problem"]} if "problem" in meta else {}),
        }
    return dict(sorted(found.items()))



def stored_snapshots(source: str) -> set[str]:
    """The snapshot folders of a source that hold at least one version."""
    folder = paths.reference_dir() / source
    if not folder.is_dir():
        return set()
    return {p.name for p in folder.iterdir() if p.is_dir() and versions(source, p.name)}


def sources_on_disk() -> set[str]:
    """The source folders that hold at least one stored snapshot."""
    root = paths.reference_dir()
    return {p.name for p in root.iterdir() if p.is_dir() and stored_snapshots(p.name)} if root.is_dir() else set()


def versions_table() -> pd.DataFrame:
    """Every stored version of every snapshot, oldest first: when published or taken, method, rows, sha256.

    Read from the sidecars (no checksum pass); ``read`` marks the version a run reads now (the newest,
    or the newest on or before the ``--as-of`` pin).
    """
    rows = []
    for source in sorted(sources_on_disk()):
        for name in sorted(stored_snapshots(source)):
            try:
                current = pick_version(source, name)
            except SnapshotMissing:
                current = ""
            for version in versions(source, name):
                meta_path = version_paths(source, name, version)[1]
                try:
                    meta = load_yaml(meta_path.read_text(encoding="utf-8")) or {}
                except (OSError, yaml.YAMLError) as exc:
                    meta = {"published_means": f"unreadable sidecar: {type(exc).__name__}"}
                rows.append({"source": source, "snapshot": name, "version": version, "read": "*" if version == current else "",
                             "published": sidecar_date(meta), "method": meta.get("method", ""), "rows": meta.get("rows", 0),
                             "sha256": str(meta.get("sha256", ""))[:12], "date_means": meta.get("published_means", "")})  # fmt: skip
    columns = ["source", "snapshot", "version", "read", "published", "method", "rows", "sha256", "date_means"]
    return pd.DataFrame(rows, columns=columns)



def revision_changes(source: str, name: str, old: str, new: str) -> pd.DataFrame:
    """The cells that differ between two versions: one row per key (entity, partner, period, measure)
    with ``old`` and ``new`` values and ``change`` = revised, added or removed; sorted by key."""
    before, after = (load_snapshot(source, name, version=v).frame for v in (old, new))
    keep = KEY_COLUMNS + ["value", "unit"]
    merged = before[keep].merge(after[keep], on=KEY_COLUMNS, how="outer", suffixes=("_old", "_new"), indicator=True)
    added, removed = merged["_merge"] == "right_only", merged["_merge"] == "left_only"
    both = merged["_merge"] == "both"
    revised = both & ((merged["value_old"].astype(str) != merged["value_new"].astype(str))
                      | (merged["unit_old"].astype(str) != merged["unit_new"].astype(str)))
    changed = merged[added | removed | revised].copy()
    changed["change"] = ["added" if a else "removed" if r else "revised"
                         for a, r in zip(added[changed.index], removed[changed.index])]
    changed["unit"] = changed["unit_new"].where(changed["unit_new"].notna(), changed["unit_old"])
    out = changed.rename(columns={"value_old": "old", "value_new": "new"})[KEY_COLUMNS + ["old", "new", "unit", "change"]]
    return out.sort_values(KEY_COLUMNS, kind="mergesort").reset_index(drop=True)



def revision_command(snapshot: str, old: str | None, new: str | None) -> int:
    """``claimcheck diff --snapshot SOURCE/NAME [--from V] [--to V]``: print the cells a revision moved."""
    source, _, name = snapshot.partition("/")
    stored = versions(source, name) if name else []
    if not stored:
        print(f"diff: no stored snapshot {snapshot!r} (write it as SOURCE/NAME; see `claimcheck sources`)")
        return 1
    new = new or stored[-1]
    for version in (old, new):
        if version and version not in stored:
            print(f"diff: {snapshot} has no version {version!r}; stored: {', '.join(stored)}")
            return 1
    earlier = [v for v in stored if v < new]
    old = old or (earlier[-1] if earlier else None)
    if old is None:
        print(f"diff: {snapshot} has no version before {new}; stored: {', '.join(stored)}")
        return 1
    try:
        changes = revision_changes(source, name, old, new)
    except (SnapshotInvalid, SnapshotMissing) as exc:
        print(f"diff: {exc}")
        return 1
    counts = changes["change"].value_counts()
    summary = ", ".join(f"{int(counts.get(k, 0))} {k}" for k in ("revised", "added", "removed"))
    print(f"{snapshot}: {old} -> {new}: {summary}")
    if not changes.empty:
        shown = changes.assign(**{c: [_shown(v) for v in changes[c]] for c in ("old", "new")})
        print(shown.to_string(index=False, max_rows=None, max_colwidth=None))
    return 0



def _shown(value: Any) -> str:
    """A cell as stored (shortest round-trip float), or blank when the version lacks it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(float(value)) if isinstance(value, (float, int, np.floating)) else str(value)
