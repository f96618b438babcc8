"""Reference sources, one module each, all with the interface of ``claimcheck.reference.sources.base.Source``."""

from __future__ import annotations

from importlib import import_module

from claimcheck.reference.sources.base import TIDY_COLUMNS, Provenance, SnapshotSpec, Source

# name -> module under claimcheck.reference.sources; each module defines exactly one Source subclass as ``SOURCE``.
SOURCE_MODULES = {
    "worldbank": "worldbank",
    "comtrade": "comtrade",
    "imf": "imf",
    "eurostat": "eurostat",
    "wikidata": "wikidata",
    "owid": "owid",
}


def get_source(name: str) -> Source:
    """The source called ``name``; a clear error lists the known names."""
    if name not in SOURCE_MODULES:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(sorted(SOURCE_MODULES))}")
    return import_module(f"claimcheck.reference.sources.{SOURCE_MODULES[name]}").SOURCE()


def all_sources() -> list[Source]:
    """Every source, in name order."""
    return [get_source(name) for name in sorted(SOURCE_MODULES)]


__all__ = ["TIDY_COLUMNS", "Provenance", "SnapshotSpec", "Source", "get_source", "all_sources"]
