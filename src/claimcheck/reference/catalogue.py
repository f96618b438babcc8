"""The catalogue: every reference snapshot the suite knows, declared as data.

``data/reference/catalogue/<source>.yaml`` holds one source's entries::

    source: worldbank
    licence: CC BY 4.0            # default licence of the entries (an entry may give its own)
    licence_url: https://...
    snapshots:
      gdp_current_usd:
        title: GDP (current US$), every economy and aggregate
        unit: USD
        for: what the snapshot is for (shown by `claimcheck sources`)
        dataset: NY.GDP.MKTP.CD    # optional; the source derives it from the query
        query: {indicator: NY.GDP.MKTP.CD, countries: all}   # in the source's own terms

An entry without ``query`` is a transcription that no API serves: it is listed and loaded, never
refreshed. A query key naming a file (Wikidata's ``sparql: wikidata/x.rq``) is read from beside the
catalogue. Each source checks its own query keys (``Source.check_query``). Every problem is one line
naming the file, the entry and the field.

This module is the one place code asks what snapshots exist (``entries``) and what entry X is (``entry``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from claimcheck import paths
from claimcheck.reference.sources import SOURCE_MODULES, get_source
from claimcheck.reference.sources.base import SnapshotSpec
from claimcheck.registry.claims import check_band

CATALOGUE_FOLDER = "catalogue"
ENTRY_KEYS = {"title", "unit", "for", "query", "dataset", "licence", "licence_url", "notes", "agreement_band",
              "measure_names", "names", "grain", "shape", "rankable", "measures"}
GRAINS = ("annual", "quarterly", "monthly")
SHAPES = ("level", "growth", "share", "per_person", "rate", "count", "date")
FILE_KEYS = {"source", "licence", "licence_url", "snapshots", "notes"}
#: Query keys whose value is a file beside the catalogue; the loader adds its text under ``<key>_text``.
QUERY_FILE_KEYS = {"sparql"}


class CatalogueError(ValueError):
    """A catalogue file that does not validate, or a name it does not declare; one line."""


def catalogue_dir() -> Path:
    return paths.reference_dir() / CATALOGUE_FOLDER


def nearest(name: str, choices: list[str] | set[str]) -> str:
    """``" (did you mean 'x'?)"`` for the closest of ``choices``, or ``""`` when none is close."""
    close = difflib.get_close_matches(str(name), sorted(choices), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True)
class Catalogue:
    """Every declared entry, by source then name."""

    entries_by_source: dict[str, dict[str, SnapshotSpec]]

    def sources(self) -> list[str]:
        return sorted(self.entries_by_source)

    def names(self, source: str) -> list[str]:
        return sorted(self.entries_by_source.get(source, {}))

    def entries(self, source: str | None = None) -> list[SnapshotSpec]:
        chosen = [source] if source else self.sources()
        return [self.entries_by_source[s][n] for s in chosen if s in self.entries_by_source for n in self.names(s)]

    def has(self, source: str, name: str) -> bool:
        return name in self.entries_by_source.get(source, {})

    def entry(self, source: str, name: str) -> SnapshotSpec:
        """The entry ``source/name``; a CatalogueError names the nearest source or entry."""
        if source not in self.entries_by_source:
            raise CatalogueError(f"no catalogue source {source!r}{nearest(source, self.sources())}")
        found = self.entries_by_source[source].get(name)
        if found is None:
            names = self.names(source)
            raise CatalogueError(
                f"the {source} catalogue has no snapshot {name!r}{nearest(name, names)}; declared: {', '.join(names) or 'none'}"
            )
        return found


_cache: dict[Any, Catalogue] = {}


def load_catalogue() -> Catalogue:
    """The catalogue under the current data folder (re-read when a file changes); raise CatalogueError."""
    folder = catalogue_dir()
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    signature = (str(folder), tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if signature not in _cache:
        by_source: dict[str, dict[str, SnapshotSpec]] = {}
        for file in files:
            source, entries = _load_file(file)
            by_source[source] = entries
        _cache.clear()
        _cache[signature] = Catalogue(by_source)
    return _cache[signature]


def entry(source: str, name: str) -> SnapshotSpec:
    """The catalogue entry ``source/name`` (CatalogueError, with the nearest name, when there is none)."""
    return load_catalogue().entry(source, name)


def entries(source: str | None = None) -> list[SnapshotSpec]:
    """Every entry (of one source), sorted by source and name."""
    return load_catalogue().entries(source)


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # the C parser: ten times faster
    """Safe YAML that refuses a key given twice in one mapping (PyYAML would keep the last silently)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice (line {key_node.start_mark.line + 1})", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def _load_file(file: Path) -> tuple[str, dict[str, SnapshotSpec]]:
    try:
        body = yaml.load(file.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{file}: not valid YAML ({' '.join(str(exc).split())})") from None
    if not isinstance(body, dict):
        raise CatalogueError(f"{file}: expected a mapping with source, licence and snapshots")
    for key in body:
        if key not in FILE_KEYS:
            raise CatalogueError(f"{file}: unknown top-level field {key!r}{nearest(key, FILE_KEYS)}")
    source = body.get("source")
    if source != file.stem:
        raise CatalogueError(f"{file}: field source: must be {file.stem!r}, the file's name, not {source!r}")
    snapshots = body.get("snapshots")
    if not isinstance(snapshots, dict) or not snapshots:
        raise CatalogueError(f"{file}: field snapshots: a mapping of snapshot name to entry is required")
    # a source no client fetches may hold transcriptions only (entries without a query)
    queried = [name for name, raw in snapshots.items() if isinstance(raw, dict) and raw.get("query")]
    if source not in SOURCE_MODULES and (queried or not isinstance(source, str)):
        raise CatalogueError(f"{file}: field source: no source client {source!r}{nearest(str(source), set(SOURCE_MODULES))}"
                             + (f" to run the query of entry {queried[0]}" if queried else ""))
    client = get_source(source) if source in SOURCE_MODULES else None
    entries = {}
    for name, raw in snapshots.items():
        entries[str(name)] = _entry(file, source, str(name), raw, body, client)
    return source, entries


def _entry(file: Path, source: str, name: str, raw: Any, defaults: dict[str, Any], client: Any) -> SnapshotSpec:
    where = f"{file}: entry {name}"
    if not name.replace("_", "").replace("-", "").isalnum() or name != name.lower():
        raise CatalogueError(f"{where}: the name must be lower-case letters, digits, '_' or '-'")
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: expected a mapping with title, unit, for and query")
    for key in raw:
        if key not in ENTRY_KEYS:
            raise CatalogueError(f"{where}, field {key}: unknown field{nearest(key, ENTRY_KEYS)}")
    for key in ("title", "unit", "for"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise CatalogueError(f"{where}, field {key}: required (a text)")
    licence = raw.get("licence") or defaults.get("licence")
    if not isinstance(licence, str) or not licence.strip():
        raise CatalogueError(f"{where}, field licence: required (on the entry or at the top of the file)")
    query = raw.get("query") or {}
    if not isinstance(query, dict):
        raise CatalogueError(f"{where}, field query: expected a mapping in the {source} API's terms")
    query = {str(k): _plain(v) for k, v in query.items()}
    if query:
        problems = client.check_query(query)
        if problems:
            raise CatalogueError(f"{where}, field query.{problems[0]}")
        query = _read_query_files(where, query)
    dataset = raw.get("dataset") or (client.dataset_of(query) if query else source)
    band = raw.get("agreement_band")
    if band is not None:
        try:
            check_band(band)
        except ValueError as exc:
            raise CatalogueError(f"{where}, field agreement_band: {exc}") from None
    names = raw.get("measure_names") or {}
    if not isinstance(names, dict) or not all(isinstance(v, str) and v.strip() for v in names.values()):
        raise CatalogueError(f"{where}, field measure_names: expected a mapping of measure codes to plain names")
    prose = _prose_fields(where, raw)
    return SnapshotSpec(
        **prose,
        name=name,
        dataset=str(dataset),
        description=" ".join(raw["title"].split()),
        query=query,
        source=source,
        unit=raw["unit"].strip(),
        licence=" ".join(licence.split()),
        licence_url=raw.get("licence_url") or defaults.get("licence_url"),
        used_for=" ".join(raw["for"].split()),
        file=str(file),
        agreement_band=band,
        measure_names={str(k): " ".join(v.split()) for k, v in names.items()},
    )


def _names(where: str, field: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogueError(f"{where}, field {field}: expected a list of phrases that name the measure in prose")
    return tuple(" ".join(v.split()) for v in value)


def _prose_fields(where: str, raw: dict[str, Any]) -> dict[str, Any]:
    """``names``, ``grain``, ``shape``, ``rankable`` and ``measures``: how prose names what the entry measures."""
    grain = raw.get("grain", "annual")
    if grain not in GRAINS:
        raise CatalogueError(f"{where}, field grain: expected one of {', '.join(GRAINS)}; got {grain!r}")
    shape = raw.get("shape")
    if shape is not None and shape not in SHAPES:
        raise CatalogueError(f"{where}, field shape: expected one of {', '.join(SHAPES)}; got {shape!r}")
    rankable = raw.get("rankable", False)
    if not isinstance(rankable, bool):
        raise CatalogueError(f"{where}, field rankable: expected true or false")
    measures = raw.get("measures") or {}
    if not isinstance(measures, dict):
        raise CatalogueError(f"{where}, field measures: expected a mapping of measure codes to {{title, unit, names, shape}}")
    read = {}
    for code, spec in measures.items():
        if not isinstance(spec, dict):
            raise CatalogueError(f"{where}, field measures.{code}: expected a mapping with title, unit, names, shape")
        if spec.get("shape") is not None and spec["shape"] not in SHAPES:
            raise CatalogueError(f"{where}, field measures.{code}.shape: expected one of {', '.join(SHAPES)}")
        read[str(code)] = {**spec, "names": _names(where, f"measures.{code}.names", spec.get("names"))}
    return {"names": _names(where, "names", raw.get("names")), "grain": grain, "shape": shape,
            "rankable": rankable, "measures": read}


def _plain(value: Any) -> Any:
    """YAML dates (``start: 2021-01-01``) back to the text the API wants; lists and mappings recursively."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _read_query_files(where: str, query: dict[str, Any]) -> dict[str, Any]:
    out = dict(query)
    for key in QUERY_FILE_KEYS & set(query):
        path = catalogue_dir() / str(query[key])
        try:
            out[f"{key}_text"] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogueError(f"{where}, field query.{key}: cannot read {path} ({type(exc).__name__})") from None
    return out
