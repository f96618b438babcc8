"""Country groups named in a piece of text ("Africa's largest economy", "in the euro area"), as the
group names of ``data/reference/groups.yaml``, so that a drafted rank, share or sum is taken among
the members (``select: {group: …}``)."""

from __future__ import annotations

import re

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
    countries = [(p.start, p.start + len(p.text)) for p in places_in(text)]
    found = []
    for group in declared.values():
        for written in group.names:
            for hit in re.finditer(rf"(?<![\w-]){re.escape(written)}(?![\w-])", text):
                if not any(a <= hit.start() < b or a < hit.end() <= b for a, b in countries):
                    found.append((hit.start(), -len(written), group.name, group.label, written))
    if not found:
        return None
    _, _, name, label, written = min(found)
    return name, label, written


_AMONG = {"rank", "share", "sum"}  # the ops taken among the rows a select keeps


def among_group(fields: dict, text: str) -> dict:
    """A drafted claim whose rank, share or sum is taken among the members of a group the quote names."""
    named = group_named(text)
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
