"""The catalogue: every reference snapshot the suite knows, declared as data.

``data/reference/catalogue/<source>.yaml`` holds one source's entries::

    source: worldbank
    licence: CC BY 4.0            # default licence of the entries (an entry may give its own)
    licence_url: https://...
    hosts: [mirror.example.org]   # optional: other hosts a refresh may follow a redirect to
    snapshots:
      gdp_current_usd:
        title: GDP (current US$), every economy and aggregate
        unit: USD
        for: what the snapshot is for (shown by `claimcheck sources`)
        dataset: NY.GDP.MKTP.CD    # optional; the source derives it from the query
        query: {indicator: NY.GDP.MKTP.CD, countries: all}   # in the source's own terms

Optional fields say what the series is, for the draft and ``claimcheck sources --search``: ``names``
(phrases that name the measure in prose), ``grain`` (annual, quarterly, monthly), ``shape`` (what a
value is: level, growth, share, per_person, rate, count, date), ``rankable``, ``description`` (the
publisher's own), and, for a snapshot holding several measures, ``measures`` (each code's title, unit,
names, shape, description). ``converts_currency`` names the measure of an entry that holds units of each
currency per US dollar: the judge converts amounts between currencies with it (one entry per grain).

``catalogue/generated/<source>.yaml`` holds entries a script wrote from the publisher's metadata
(``scripts/generate_catalogue.py``). An entry of the same name in ``<source>.yaml`` is a person's
edit of the generated one: its fields win, field by field, so regenerating never loses them.

An entry without ``query`` is a transcription that no API serves: it is listed and loaded, never
refreshed. A query key naming a file (Wikidata's ``sparql: wikidata/x.rq``) is read from beside the
catalogue. Each source checks its own query keys (``Source.check_query``). Every problem is one line
naming the file, the entry and the field.

This module is the one place code asks what snapshots exist (``entries``) and what entry X is (``entry``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimcheck import paths
from claimcheck.reference.sources import SOURCE_MODULES, get_source
from claimcheck.reference.sources.base import SnapshotSpec
from claimcheck.registry.bands import BANDS_FILE  # the agreement bands live beside the sources, not a source
from claimcheck.registry.claims import check_band
from claimcheck.registry.yamltext import read_yaml_file

CATALOGUE_FOLDER = "catalogue"
GENERATED_FOLDER = "generated"  # entries written by scripts/generate_catalogue.py; <source>.yaml edits them
ENTRY_KEYS = {"title", "unit", "for", "query", "dataset", "licence", "licence_url", "notes", "agreement_band",
              "measure_names", "names", "grain", "shape", "rankable", "description", "measures", "converts_currency"}
GRAINS = ("annual", "quarterly", "monthly")
SHAPES = ("level", "growth", "share", "per_person", "rate", "count", "date")
MEASURE_KEYS = {"title", "unit", "names", "shape", "description"}
FILE_KEYS = {"source", "licence", "licence_url", "snapshots", "notes", "hosts"}
#: ``hosts:``: the other hosts (``host`` or ``host:port``) a refresh may follow a redirect to
HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?")
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


def is_generated(spec: SnapshotSpec) -> bool:
    """Whether an entry is a generated one no person has edited (``catalogue/generated/``)."""
    return Path(spec.file).parent.name == GENERATED_FOLDER


def files() -> list[Path]:
    """Every catalogue file: the generated ones, then the hand-kept ones that edit them."""
    folder = catalogue_dir()
    if not folder.is_dir():
        return []
    return sorted((folder / GENERATED_FOLDER).glob("*.yaml")) + sorted(f for f in folder.glob("*.yaml") if f.name != BANDS_FILE)


def signature() -> tuple[Any, ...]:
    """What changes when a catalogue file does (for caches of what was read from it)."""
    return (str(catalogue_dir()), tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files()))


def load_catalogue() -> Catalogue:
    """The catalogue under the current data folder (re-read when a file changes); raise CatalogueError."""
    key = signature()
    if key not in _cache:
        by_source: dict[str, dict[str, SnapshotSpec]] = {}
        generated = {f.stem: _read_file(f) for f in files() if f.parent.name == GENERATED_FOLDER}
        kept = {f.stem: f for f in files() if f.parent.name != GENERATED_FOLDER}
        for source in sorted(set(generated) | set(kept)):
            file = kept.get(source) or catalogue_dir() / GENERATED_FOLDER / f"{source}.yaml"
            own = _read_file(file) if source in kept else {}
            body = _merged(generated[source], own) if source in generated and own else own or generated[source]
            made = (generated.get(source) or {}).get("snapshots") or {}
            edits = own.get("snapshots") if isinstance(own, dict) else None
            edited = set(edits) if isinstance(edits, dict) else set()
            made_file = catalogue_dir() / GENERATED_FOLDER / f"{source}.yaml"
            # an entry no person edited is named by the generated file, in errors and in ``spec.file``
            by_source[source] = _load_body(file, body, {n: made_file for n in made if n not in edited})[1]
        _one_converter_per_grain(by_source)
        _cache.clear()
        _cache[key] = Catalogue(by_source)
    return _cache[key]


def _one_converter_per_grain(by_source: dict[str, dict[str, SnapshotSpec]]) -> None:
    """Two entries converting currencies for one grain would leave the rate to use a guess."""
    seen: dict[str, SnapshotSpec] = {}
    for spec in (s for entries in by_source.values() for s in entries.values() if s.converts_currency):
        if first := seen.get(spec.grain):
            raise CatalogueError(f"{spec.file}: entry {spec.name}, field converts_currency: {first.source}/{first.name} "
                                 f"already converts currencies for {spec.grain} periods; keep one")
        seen[spec.grain] = spec


def _merged(generated: dict[str, Any], kept: dict[str, Any]) -> dict[str, Any]:
    """The generated file's entries with the hand-kept file's fields over them, field by field."""
    made, edits = generated.get("snapshots"), kept.get("snapshots")
    if not isinstance(made, dict) or not isinstance(edits, dict):
        return kept if not isinstance(edits, dict) else generated  # the loader names what is malformed
    entries = {}  # the hand-kept entries first: a problem in a person's file is the one reported
    for name, edit in edits.items():
        base = made.get(name)
        entries[name] = {**base, **edit} if isinstance(base, dict) and isinstance(edit, dict) else edit
    entries.update({name: entry for name, entry in made.items() if name not in entries})
    top = {k: v for k, v in generated.items() if k != "snapshots"}
    top.update({k: v for k, v in kept.items() if k != "snapshots"})
    return {**top, "snapshots": entries}


def entry(source: str, name: str) -> SnapshotSpec:
    """The catalogue entry ``source/name`` (CatalogueError, with the nearest name, when there is none)."""
    return load_catalogue().entry(source, name)


def entries(source: str | None = None) -> list[SnapshotSpec]:
    """Every entry (of one source), sorted by source and name."""
    return load_catalogue().entries(source)


def _read_file(file: Path) -> Any:
    if problem := paths.outside_data(file):
        raise CatalogueError(problem)
    body = read_yaml_file(file, CatalogueError)
    if not isinstance(body, dict):
        raise CatalogueError(f"{file}: expected a mapping with source, licence and snapshots")
    return body


def _load_body(file: Path, body: Any, files_of: dict[str, Path] | None = None) -> tuple[str, dict[str, SnapshotSpec]]:
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
    hosts = body.get("hosts") or []
    if not isinstance(hosts, list) or not all(isinstance(h, str) and HOST.fullmatch(h) for h in hosts):
        raise CatalogueError(f"{file}: field hosts: expected a list of host names (lower-case, e.g. "
                             "mirror.example.org or mirror.example.org:8443) a redirect may lead to")
    client = get_source(source) if source in SOURCE_MODULES else None
    entries = {}
    for name, raw in snapshots.items():
        entries[str(name)] = _entry((files_of or {}).get(str(name), file), source, str(name), raw, body, client)
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
    described = _described(where, raw)
    measures = raw.get("measures") or {}
    if not isinstance(measures, dict):
        raise CatalogueError(f"{where}, field measures: expected a mapping of measure codes to {sorted(MEASURE_KEYS)}")
    measures = {str(code): _measure(f"{where}, field measures.{code}", m) for code, m in measures.items()}
    converts = raw.get("converts_currency")
    if converts is not None and (not isinstance(converts, str) or not converts.strip()):
        raise CatalogueError(f"{where}, field converts_currency: expected the measure code that holds units of each "
                             "currency per US dollar")
    return SnapshotSpec(
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
        hosts=tuple(defaults.get("hosts") or ()),
        names=described["names"],
        grain=described["grain"] or "annual",
        shape=described["shape"],
        rankable=raw.get("rankable"),
        about=" ".join(str(raw.get("description") or "").split()),
        measures=measures,
        converts_currency=converts.strip() if converts else None,
    )


def _described(where: str, raw: dict[str, Any]) -> dict[str, Any]:
    """An entry's (or a measure's) names, grain and shape, checked."""
    names = raw.get("names") or []
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise CatalogueError(f"{where}, field names: expected a list of phrases that name the measure")
    grain, shape = raw.get("grain"), raw.get("shape")
    if grain is not None and grain not in GRAINS:
        raise CatalogueError(f"{where}, field grain: {grain!r} is not one of {', '.join(GRAINS)}{nearest(str(grain), GRAINS)}")
    if shape is not None and shape not in SHAPES:
        raise CatalogueError(f"{where}, field shape: {shape!r} is not one of {', '.join(SHAPES)}{nearest(str(shape), SHAPES)}")
    if raw.get("rankable") is not None and not isinstance(raw.get("rankable"), bool):
        raise CatalogueError(f"{where}, field rankable: expected true or false")
    return {"names": tuple(" ".join(n.split()) for n in names), "grain": grain, "shape": shape}


def _measure(where: str, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: expected a mapping with {', '.join(sorted(MEASURE_KEYS))}")
    for key in raw:
        if key not in MEASURE_KEYS:
            raise CatalogueError(f"{where}, field {key}: unknown field{nearest(key, MEASURE_KEYS)}")
    for key in ("title", "unit"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise CatalogueError(f"{where}, field {key}: required (a text)")
    described = _described(where, raw)
    return {"title": " ".join(raw["title"].split()), "unit": raw["unit"].strip(), "names": described["names"],
            "shape": described["shape"], "description": " ".join(str(raw.get("description") or "").split())}


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
        if problem := paths.outside_data(path):
            raise CatalogueError(f"{where}, field query.{key}: {problem}")
        try:
            out[f"{key}_text"] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogueError(f"{where}, field query.{key}: cannot read {path} ({type(exc).__name__})") from None
    return out
