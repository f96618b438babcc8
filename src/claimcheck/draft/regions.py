"""Country groups named in a piece of text ("Africa's largest economy", "in the euro area"), as the
group names of ``data/reference/groups.yaml``, so that a drafted rank, share or sum is taken among
the members (``select: {group: …}``)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from claimcheck.draft.places import places_in
from claimcheck.reference.groups import GroupError, load_groups


def group_named(text: str) -> tuple[str, str, str] | None:
    """(group name, its label, the words written) of the first group the text names, or None.

    The earliest name wins, then the longest ("sub-Saharan Africa" over "Africa"); a name inside a
    country's ("Africa" in "South Africa") does not count.
    """
    try:
        declared = load_groups()
    except GroupError:
        return None
    return _first_group(text, _patterns(declared))


_COMPILED: list[tuple[dict, tuple]] = []  # (groups as loaded, their names' patterns), the latest only


def _patterns(declared: dict[str, Any]) -> tuple[tuple[re.Pattern[str], str, str, str], ...]:
    """Each name of each group as a whole-word pattern, compiled once per groups file read."""
    if not _COMPILED or _COMPILED[0][0] is not declared:
        _COMPILED[:] = [(declared, tuple((re.compile(rf"(?<![\w-]){re.escape(written)}(?![\w-])"), group.name, group.label, written)
                                         for group in declared.values() for written in group.names))]
    return _COMPILED[0][1]


@lru_cache(maxsize=4096)  # a draft asks about the same words before each number of a sentence
def _first_group(text: str, patterns: tuple[tuple[re.Pattern[str], str, str, str], ...]) -> tuple[str, str, str] | None:
    countries = [(p.start, p.start + len(p.text)) for p in places_in(text)]
    found = []
    for pattern, name, label, written in patterns:
        for hit in pattern.finditer(text):
            if not any(a <= hit.start() < b or a < hit.end() <= b for a, b in countries):
                found.append((hit.start(), -len(written), name, label, written))
    if not found:
        return None
    _, _, name, label, written = min(found)
    return name, label, written


_AMONG = {"rank", "share", "sum"}  # the ops taken among the rows a select keeps
_THE_GROUP = re.compile(r"\bthe\s+(?:continent|region|bloc|zone|union)(?:['’]s?|\b)", re.I)


def _groups_before(text: str) -> list[tuple[str, str, str]]:
    """Every distinct group ``text`` names, in the order first named."""
    out: list[tuple[str, str, str]] = []
    while (named := group_named(text)) is not None:
        if named[0] not in {n[0] for n in out}:
            out.append(named)
        at = re.search(rf"(?<![\w-]){re.escape(named[2])}(?![\w-])", text)
        text = text[at.end() :] if at else ""
    return out


def _entities(fields: dict) -> set[str]:
    evidence = [*fields.get("evidence", []), *(e for p in fields.get("parts", []) for e in p.get("evidence", []))]
    return {c for e in evidence for c in [(e.get("compute") or {}).get("entity"), (e.get("select") or {}).get("entity")]
            if isinstance(c, str)}


def _group_meant(fields: dict, text: str, before: str) -> tuple[str, str, str] | None:
    """The group the quote names, or the one "the continent's" / "the region's" points back to: the
    only group named earlier in the text, with the claim's country among its members; else a note."""
    named = group_named(text)
    said = _THE_GROUP.search(text)
    if named is not None or said is None:
        return named
    earlier = _groups_before(before)
    fitting = [g for g in earlier if _entities(fields) <= set(load_groups()[g[0]].members)]
    notes = fields.setdefault("draft", [])
    if len(fitting) == 1:
        name, label, written = fitting[0]
        return name, label, f"{said.group()} ('{written}' named earlier)"
    which = ", ".join(f"'{w}'" for _, _, w in earlier) or "none"
    notes.append(f"'{said.group()}' names a group, but which one is unclear (named earlier: {which}); "
                 "set select: {group: …} by hand")
    return None


def among_group(fields: dict, text: str, before: str = "") -> dict:
    """A drafted claim whose rank, share or sum is taken among the members of a group the quote names
    (``before``: the article's text before the quote, for "the continent's")."""
    try:
        named = _group_meant(fields, text, before)
    except GroupError:
        return fields
    if named is None:
        return fields
    name, label, written = named
    changed = False
    for evidence in [*fields.get("evidence", []), *(e for p in fields.get("parts", []) for e in p.get("evidence", []))]:
        compute = evidence.get("compute") or {}
        op = compute.get("each") if compute.get("op") == "throughout" else compute.get("op")
        if evidence.get("kind") == "dataset" and op in _AMONG and "group" not in evidence.get("select", {}):
            select = {**evidence.get("select", {}), "group": name}
            rest = {k: v for k, v in evidence.items() if k not in ("kind", "source", "snapshot", "select")}
            kept = {k: evidence[k] for k in ("kind", "source", "snapshot") if k in evidence}
            evidence.clear()
            evidence.update({**kept, "select": select, **rest})  # the select before the compute, as people write it
            changed = True
    if changed:
        notes = fields.setdefault("draft", [])
        notes.append(f"select group {name}: '{written}' read as ranking, summing or sharing among {label}; confirm")
    return fields


def group_words() -> set[str]:
    """The words of every country group's names and label, normalised as measured phrases are ("EU", "euro area")."""
    from claimcheck.draft.measures import norm

    try:
        declared = load_groups()
    except GroupError:
        return set()
    return {w for group in declared.values() for name in [*group.names, group.label] for w in norm(name)}
