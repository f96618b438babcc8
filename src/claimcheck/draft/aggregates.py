"""A world or group total named where a claim names no country ("global emissions", "EU emissions were
7.5 tonnes per capita", "GDP across the OECD's member countries"), and the aggregate row a snapshot
keeps for it: the row of its labels table (``labels`` in the sidecar) flagged as an aggregate whose
name is the group's (or the group's and "members", as the World Bank writes "OECD members"). Also
the measure in years of a snapshot that keeps a year beside other measures (a target's status and
its year), for a drafted date."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

import yaml

from claimcheck.draft.places import Place
from claimcheck.draft.regions import group_named
from claimcheck.paths import reference_dir
from claimcheck.reference.groups import GroupError, load_groups
from claimcheck.registry.yamltext import load_yaml

WORLD = "world"


_GLOBAL = re.compile(r"(?P<whole>\b(?:global(?:ly)?|worldwide)\b)|\bworld\s+", re.I)
_WORD = re.compile(r"[a-z0-9%]+(?:-[a-z0-9]+)*")


def _world(span: str) -> tuple[int, str] | None:
    """(where, the words written) of "global", "worldwide" or "world" before a measure the catalogue
    names (its entries' ``names``: "world GDP", "world growth"), or None; not "the world's
    second-largest economy", which describes a country."""
    from claimcheck.draft.measures import CHANGE_HEADS, names_starting, norm

    lower = span.lower()
    for hit in _GLOBAL.finditer(span):
        if hit.group("whole"):
            return hit.start(), hit.group()
        words: list[str] = []  # the normalised words after "world", and where each written word ends
        ends: list[int] = []
        last = hit.end()
        for word in _WORD.finditer(lower, hit.end()):
            if lower[last : word.start()].strip() or len(words) >= 6:
                break  # a measure's words follow one another with nothing but spaces between
            parts = norm(word.group())
            words, ends, last = words + list(parts), ends + [word.end()] * len(parts), word.end()
        for size in range(len(words), 0, -1):  # the longest name the words start with
            if tuple(words[:size]) in names_starting(words[0]) or size == 1 and words[0] in CHANGE_HEADS:
                return hit.start(), span[hit.start() : ends[size - 1]]
    return None


def aggregate_in(text: str, start: int = 0, end: int | None = None) -> Place | None:
    """The world or the group ``text[start:end]`` names first, as a Place whose code is ``@`` and the
    group's name (``@world``, ``@eu27``), or None."""
    end = len(text) if end is None else end
    span = text[start:end]
    found = []
    world = _world(span)
    if world:
        found.append((world[0], Place(f"@{WORLD}", "the world", world[1], start + world[0])))
    named = group_named(span)
    if named:
        at = re.search(rf"(?<![\w-]){re.escape(named[2])}(?![\w-])", span)
        offset = at.start() if at else 0
        found.append((offset, Place(f"@{named[0]}", named[1], named[2], start + offset)))
    return min(found, key=lambda f: f[0])[1] if found else None


@lru_cache(maxsize=64)
def _aggregate_rows(source: str, snapshot: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of the rows the snapshot's newest labels table flags as aggregates."""
    folder = reference_dir() / source / snapshot
    metas = sorted(folder.glob("*.meta.yaml")) if folder.is_dir() else []
    if not metas:
        return ()
    try:
        meta = load_yaml(metas[-1].read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ()  # reported where the snapshot is read; a draft just names no aggregate
    labels = (meta.get("labels") if isinstance(meta, dict) else None) or {}
    path = reference_dir() / labels["file"] if labels.get("file") else None
    if path is None or not path.is_file():
        return ()
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple((r["entity"], r["entity_name"]) for r in csv.DictReader(handle) if r.get("aggregate") == "True")


def aggregate_code(source: str, snapshot: str, code: str) -> str | None:
    """The snapshot's entity code for a ``@`` place (``@world`` → the snapshot's world row), or None when it keeps none."""
    key = code[1:]
    if key == WORLD:
        names = {"world"}
    else:
        try:
            group = load_groups()[key]
        except (GroupError, KeyError):
            return None
        names = {n.lower() for n in (*group.names, re.sub(r"^the\s+|\s*\(.*\)$", "", group.label))}
    wanted = names | {f"{n} members" for n in names}
    return next((c for c, name in _aggregate_rows(source, snapshot) if name.lower() in wanted), None)


@lru_cache(maxsize=64)
def _measures(source: str, snapshot: str) -> frozenset[tuple[str, str]]:
    """(measure, unit) of the rows of the snapshot's newest stored version (a compact version keeps one
    measure in its sidecar, and so has none to choose)."""
    folder = reference_dir() / source / snapshot
    versions = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if not versions:
        return frozenset()
    with versions[-1].open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        if not {"measure", "unit"} <= set(rows.fieldnames or ()):
            return frozenset()
        return frozenset((r["measure"], r["unit"]) for r in rows)


def date_measure(source: str, snapshot: str) -> str | None:
    """The one measure in years or dates of a snapshot that keeps other measures too, or None."""
    found = _measures(source, snapshot)
    dated = {m for m, unit in found if unit in {"year", "date"}}
    return next(iter(dated)) if len(dated) == 1 and len({m for m, _ in found}) > 1 else None
