"""Series operations and compound claims that a sentence's shape implies, on top of a drafted claim.

A drafted claim starts as one number checked with one computation (``evidence.propose_evidence``).
Some sentences say more, in words the number does not carry:

- "overtook / overtaking / surpassed X" beside a rank: the rank and a ``crossing`` over each X (parts);
- "a record $N": the amount and ``period_rank`` 1 in its own series (parts);
- "the second-highest on record": ``period_rank`` instead of a rank among countries;
- "the highest / lowest since YEAR": ``first_since`` (``direction: below`` for "lowest");
- "throughout the 2010s": ``throughout`` with the rank or value applied to every year;
- "the largest … for five consecutive years (in 2022)", "for the fifth year in a row": ``throughout``
  with rank 1 over the N years up to the period;
- "twice / three times as large as X": ``ratio`` of the two countries, unit ``times``;
- "rose N per cent to $M" (two numbers of one clause): one claim in two parts (``compound``).

Each rewrite adds a ``draft:`` note saying what to confirm. The parts are whole claims of the
registry's own form, so a drafted compound claim validates and runs like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from claimcheck.draft.evidence import Entry, family_of, best_entry, entry_of, evidence_label
from claimcheck.draft.places import Place

_OVERTOOK = re.compile(r"\b(?:overt(?:ook|aken|akes|aking|ake)|surpass(?:ed|es|ing)?|outstrip(?:ped|s|ping)?|"
                       r"overhaul(?:ed|s|ing)?|leapfrog(?:ged|s|ging)?)\b", re.I)
_LOST = re.compile(r"\blos(?:t|es|ing|e)\s+(?:its|their|the|his|her)\s+(?:place|status|position|spot|title|"
                   r"crown|rank(?:ing)?|standing|top spot)\b", re.I)
_TO = re.compile(r"\bto\s+(?:the\s+)?$", re.I)
_ON_RECORD = re.compile(r"^[\w\s-]{0,30}?\b(?:on record|ever|in (?:its |their |recorded )?history)\b", re.I)
_RECORD_BEFORE = re.compile(r"\b(?:record|all-time high)(?:\s+\w+){0,2}\s+(?:of\s+|at\s+)?(?:[A-Z]{2,3}\$?\s*)?[$€£¥]?\s*$", re.I)
_HIGH = "highest|largest|biggest|strongest|fastest|most|steepest|sharpest"
_LOW = "lowest|smallest|weakest|slowest|least|fewest"
_SINCE = re.compile(rf"\b({_HIGH}|{_LOW})\s+(?:[\w'’-]+\s+){{0,6}}since\s+$", re.I)  # "lowest it has been in X since"
_THROUGHOUT = re.compile(r"\bthroughout\s+(?:the\s+)?(?:(\d{3}0)s|(\d{4})\s*(?:-|–|to)\s*(\d{4}))", re.I)
_IN_A_ROW = re.compile(r"^[\s-]*(?:(?:straight|consecutive|successive)\s+years?\b|years?\s+in\s+a\s+row\b|"
                       r"(?:straight\s+|consecutive\s+)?years?\s+running\b)", re.I)
_ROW_AFTER_YEAR = re.compile(r"^\s*(?:in\s+a\s+row|running)\b", re.I)  # "the fifth year | in a row"
_SUPERLATIVE = re.compile(rf"\b(?:the\s+)?(?:world['’]s\s+)?({_HIGH}|{_LOW}|richest|poorest)\b", re.I)
_AS_LARGE = re.compile(r"^\s*(?:times\s+)?(?:as\s+[\w-]+\s+as|the\s+size\s+of|(?:bigger|larger|higher|more)\s+than)\b", re.I)
_RATE_TO_AMOUNT = re.compile(r"^\s*(?:years?\s+|percentage points?\s+)?to\s+(?:a\s+record\s+)?(?:[A-Z]{2,3}\$?\s*)?[$€£¥]?\s*$")


@dataclass
class Shape:
    """What ``refine`` needs to know about one drafted claim."""

    text: str  # the article
    clause: tuple[int, int]
    sentence: tuple[int, int]
    quantity: Any  # quantity.Quantity
    places: list[Place]
    period: str | None  # the claim's period, when it has one
    period_written: bool  # the period is written in the clause ("in 2023"), not inferred
    latest: str  # the latest annual figures at the article's date


def _dataset(entry: Entry, compute: dict, select: dict | None = None) -> dict:
    evidence: dict[str, Any] = {"kind": "dataset", "source": entry.source, "snapshot": entry.name}
    if select:
        evidence["select"] = select
    evidence["compute"] = compute
    evidence["label"] = evidence_label(entry)
    return evidence


def _entry_of(evidence: list[dict]) -> Entry | None:
    return entry_of(evidence[0]) if evidence else None


def _series_entry(shape: Shape, codes: list[str]) -> Entry | None:
    """The catalogue entry of a numeric series the sentence names (for ops on a series, not one figure)."""
    t = shape.text
    entry, _, _ = best_entry(t[slice(*shape.sentence)], "rank", None, codes, t[slice(*shape.clause)], shape.period)
    return entry


def lost_to(text: str, start: int, end: int, places: list[Place]) -> tuple[Place, Place] | None:
    """(winner, loser) of "X lost its status as the third-largest economy to Y": the country
    after "… to" holds the rank, having overtaken the one before "lost"."""
    verb = _LOST.search(text, start, end)
    if verb is None:
        return None
    loser = next((p for p in reversed(places) if start <= p.start < verb.start()), None)
    winner = next((p for p in places if verb.end() <= p.start < end and _TO.search(text[verb.end() : p.start])), None)
    return (winner, loser) if winner and loser and winner.code != loser.code else None


def _objects(shape: Shape, verb_end: int) -> list[Place]:
    """The countries right after an overtaking verb: "overtaking the UK and France", "overtakes UK, France"."""
    out, at = [], verb_end
    for place in sorted(shape.places, key=lambda p: p.start):
        if place.start < at or place.start >= shape.clause[1]:
            continue
        gap = shape.text[at : place.start]
        if not re.fullmatch(r"[\s,]*(?:and\s+)?(?:the\s+)?", gap):
            break
        out.append(place)
        at = place.start + len(place.text)
    return out


def _crossing_parts(shape: Shape, entry: Entry, subject: str, period: str, cid: str) -> tuple[list[dict], str]:
    t = shape.text
    verb = next((m for m in _OVERTOOK.finditer(t, shape.clause[0], shape.clause[1])), None)
    lost = lost_to(t, *shape.clause, shape.places) if verb is None else None
    if verb is None and lost is None or not re.fullmatch(r"\d{4}", period or ""):
        return [], ""
    if lost:  # "X lost its status … to Y": Y overtook X
        verb, objects = _LOST.search(t, *shape.clause), [lost[1]] if lost[0].code == subject else []
    else:
        objects = [p for p in _objects(shape, verb.end()) if p.code != subject]
    if not objects:
        return [], ""
    comparator = "equals" if shape.period_written else "by"
    parts = []
    for place in objects:
        parts.append({
            "id": f"{cid}-over-{place.code.lower()}",
            "statement": f"{subject} overtook {place.name} ({'in' if comparator == 'equals' else 'by'} {period}).",
            "claimed": {"value": period, "unit": "date", "comparator": comparator},
            "evidence": [_dataset(entry, {"op": "crossing", "entity": subject, "other": place.code, "period": period})],
        })
    note = (f"parts: '{verb.group()}' {', '.join(p.code for p in objects)} read as a crossing of {subject} over each "
            f"in {entry.source}/{entry.name}, {'in' if comparator == 'equals' else 'by'} {period}; confirm the series and the year")
    return parts, note


def _as_part(fields: dict, pid: str) -> dict:
    return {"id": pid, "statement": fields["statement"], "claimed": fields["claimed"], "evidence": fields["evidence"]}


def _make_compound(fields: dict, parts: list[dict], note: str) -> None:
    for key in ("claimed", "evidence", "reason"):
        fields.pop(key, None)
    fields["parts"] = parts
    fields["draft"] = [*fields.get("draft", []), note]


def refine(fields: dict, shape: Shape) -> dict:
    """``fields`` (a drafted claim) rewritten for the series operation or parts its sentence implies."""
    q, t = shape.quantity, shape.text
    codes = [p.code for p in shape.places]
    before = t[shape.clause[0] : q.start]
    after = t[q.end : shape.clause[1]]
    notes = fields.setdefault("draft", [])
    evidence = fields.get("evidence") or []
    if evidence and evidence[0]["kind"] != "dataset":
        return fields  # a document states its figures; no series to operate on
    compute = evidence[0]["compute"] if evidence else {}
    entry = _entry_of(evidence)

    run = _IN_A_ROW.match(after) or (_ROW_AFTER_YEAR.match(after) if q.text.lower().endswith("year") else None)
    years = int(q.value) if run and isinstance(q.value, (int, float)) and 1 < q.value <= 100 else 0
    superlative = _SUPERLATIVE.search(t, shape.clause[0], q.start) if years else None
    end = shape.period if shape.period and re.fullmatch(r"\d{4}", shape.period) else None
    if superlative and codes and end:  # "Africa's largest economy for five consecutive years in 2022"
        entry = _series_entry(shape, codes)
        if entry:
            period = f"{int(end) - years + 1}/{end}"
            fields.update(kind="rank", family=family_of(entry.source, "other"),
                          claimed={"value": 1.0, "unit": "rank", "comparator": "rank", "period": period},
                          evidence=[_dataset(entry, {"op": "throughout", "each": "rank", "entity": codes[0], "period": period})])
            fields.pop("reason", None)
            notes[:] = [n for n in notes if not n.startswith(("comparator", "kind", "value"))]
            notes.append(f"throughout: '{superlative.group(1)} … {q.text} {run.group().strip()}' read as rank 1 in every "
                         f"year {period} of {entry.source}/{entry.name}; confirm the years")
        return fields

    if fields["kind"] == "rank" and compute.get("op") == "rank" and entry:
        if _ON_RECORD.match(after):  # "the second-highest on record": the period among the series' periods
            compute.clear()
            compute.update({"op": "period_rank", "entity": codes[0], "period": shape.period})
            notes.append(f"period_rank: '{_ON_RECORD.match(after).group().strip()}' ranks {shape.period} among the "
                         f"periods of {codes[0]}'s series, not {codes[0]} among countries; confirm")
            return fields
        parts, note = _crossing_parts(shape, entry, compute["entity"], shape.period or "", fields["id"])
        if parts:
            _make_compound(fields, [_as_part(fields, f"{fields['id']}-rank"), *parts], note)
        return fields

    if q.shape == "year" and (since := _SINCE.search(before)):
        entry = _series_entry(shape, codes)
        if entry and codes:
            period, _, _ = _period_before(before) or (shape.latest, None, None)
            op = {"op": "first_since", "entity": codes[0], "period": period}
            if re.fullmatch(_LOW, since.group(1).lower()):
                op["direction"] = "below"
            fields["claimed"] = {"value": q.value, "unit": "date", "comparator": "equals"}
            fields["evidence"] = [_dataset(entry, op)]
            fields.pop("reason", None)
            fields["family"] = family_of(entry.source, "other")
            notes.append(f"first_since: '{since.group().strip()} {q.value}' is the latest period before {period} as "
                         f"{'low' if 'direction' in op else 'high'} as {period} in {entry.source}/{entry.name}; confirm "
                         "the series and the period")
        return fields

    if q.shape == "year" and entry is None and _OVERTOOK.search(t, shape.clause[0], q.start):
        entry = _series_entry(shape, codes)
        verb = _OVERTOOK.search(t, shape.clause[0], q.start)
        subject = next((p.code for p in shape.places if p.start < verb.start()), None)
        if entry and subject:
            written = Shape(**{**shape.__dict__, "period_written": True})
            parts, note = _crossing_parts(written, entry, subject, str(q.value), fields["id"])
            fields["family"] = family_of(entry.source, "other")
            if len(parts) == 1:
                fields["claimed"], fields["evidence"] = parts[0]["claimed"], parts[0]["evidence"]
                fields.pop("reason", None)
                fields["draft"] = [*notes, note]
            elif parts:
                _make_compound(fields, parts, note)
        return fields

    span = _THROUGHOUT.search(t, shape.clause[0], shape.clause[1])
    if span:
        period = f"{span[1]}/{span[1][:3]}9" if span[1] else f"{span[2]}/{span[3]}"
        if q.shape == "decade" and _SUPERLATIVE.search(t, shape.clause[0], q.start) and codes:
            entry = _series_entry(shape, codes)
            if entry:
                word = _SUPERLATIVE.search(t, shape.clause[0], q.start).group(1)
                fields.update(kind="rank", family=family_of(entry.source, "other"),
                              claimed={"value": 1.0, "unit": "rank", "comparator": "rank"},
                              evidence=[_dataset(entry, {"op": "throughout", "each": "rank", "entity": codes[0], "period": period})])
                fields.pop("reason", None)
                notes[:] = [n for n in notes if not n.startswith(("comparator", "kind"))]
                notes.append(f"throughout: '{word}' read as rank 1 in every year {period} of {entry.source}/{entry.name}; confirm")
        elif compute.get("op") == "value" and fields.get("claimed"):
            compute.clear()
            compute.update({"op": "throughout", "each": "value", "period": period})
            fields["claimed"]["period"] = period
            notes.append(f"throughout: the comparator applies to every year {period}; confirm")
        return fields

    multiple = q.text.lower() in {"twice", "double", "triple"} or q.text.lower().endswith(" times") or re.match(r"^\s*times\b", after)
    if _AS_LARGE.match(after) and multiple:
        claimed = fields.get("claimed") or {}
        claimed = {"value": float(q.value), "unit": "times", "comparator": claimed.get("comparator", "rounded")}
        if shape.period:
            claimed["period"] = shape.period
        fields.update(kind="amount", claimed=claimed)
        subject = next((p for p in reversed(shape.places) if p.start < q.start), None)
        other = next((p for p in shape.places if p.start > q.end), None)
        entry = _series_entry(shape, codes) if subject and other else None
        if entry and shape.period:
            fields["family"] = family_of(entry.source, "other")
            fields["evidence"] = [_dataset(entry, {"op": "ratio", "entity": subject.code, "other": other.code,
                                                   "period": shape.period})]
            fields.pop("reason", None)
            notes.append(f"ratio: '{q.text}{_AS_LARGE.match(after).group()}' read as {subject.code} over {other.code} "
                         f"in {entry.source}/{entry.name}, unit times; confirm the series")
        else:
            fields.pop("evidence", None)
            fields["reason"] = "a ratio ('as large as') needs two countries and a series; name the second country"
            notes.append("ratio: unit times; the second country or the series was not found")
        return fields

    if compute.get("op") == "value" and entry and _RECORD_BEFORE.search(before):
        entity = (evidence[0].get("select") or {}).get("entity")
        if isinstance(entity, str) and shape.period:
            record = {"id": f"{fields['id']}-record", "statement": f"{shape.period} is the highest period on record.",
                      "claimed": {"value": 1.0, "unit": "rank", "comparator": "rank"},
                      "evidence": [_dataset(entry, {"op": "period_rank", "entity": entity, "period": shape.period})]}
            _make_compound(fields, [_as_part(fields, f"{fields['id']}-value"), record],
                           f"parts: 'record' read as period_rank 1 of {shape.period} in {entity}'s series; confirm")
    return fields


def reached_level(between: str) -> bool:
    """Whether the words between two numbers are "… to" ("rose 7 per cent to $3.9 trillion")."""
    return bool(_RATE_TO_AMOUNT.match(between))


def since_year(text: str, q: Any, clause_start: int) -> bool:
    """Whether the year ``q`` follows "the highest / lowest since"."""
    return q.shape == "year" and bool(_SINCE.search(text[clause_start : q.start]))


def _period_before(before: str):
    from claimcheck.draft.context import explicit_period

    period, base, rule = explicit_period(before, len(before))
    return (period, base, rule) if period and re.fullmatch(r"\d{4}", period) else None


def _level_at_end(level: dict) -> None:
    """The level a change reached "from 2019 to 2021" is the figure of 2021, not of the span."""
    compute = level["evidence"][0]["compute"]
    span = re.fullmatch(r"(\d{4})/(\d{4})", compute.get("period") or "")
    if compute["op"] == "value" and span:
        compute["period"] = level["claimed"]["period"] = span[2]
        level.setdefault("draft", []).append(f"period {span[2]}: the level reached at the end of {span[0]}")


def compound(first: dict, second: dict, text_between: str) -> dict | None:
    """One claim in two parts for "rose N per cent to $M": a change followed by the level it reached."""
    def op(fields: dict) -> str | None:
        evidence = fields.get("evidence") or [{}]
        return (evidence[0].get("compute") or {}).get("op") if evidence[0].get("kind") == "dataset" else None

    rate, level = op(first) in {"growth", "yoy_change", "cagr", "change"}, op(second) in {"value", "sum"}
    if not (rate and level and first.get("claimed") and second.get("claimed") and _RATE_TO_AMOUNT.match(text_between)):
        return None
    _level_at_end(second)
    fields = {k: v for k, v in first.items() if k not in {"claimed", "evidence", "reason", "draft"}}
    fields["quote"] = first["quote"] if len(first["quote"]) >= len(second["quote"]) else second["quote"]
    fields["statement"] = f"{first['statement'][:-1]}; {second['statement'][0].lower()}{second['statement'][1:]}"
    fields["parts"] = [_as_part(first, f"{first['id']}-change"), _as_part(second, f"{second['id']}-level")]
    fields["draft"] = [*first.get("draft", []), *second.get("draft", []),
                       "parts: 'rose … to …' is a change and the level it reached, each checked; confirm both"]
    return fields
