"""What a reviewer sees beside the registry: each number no claim covers, with the claim drafted for it;
and each claim still carrying `draft:` notes, least sure first, with the confidence of every guess."""

from __future__ import annotations

import bisect
from typing import Any

import pandas as pd

from claimcheck.draft.propose import draft_article, draft_text, most_named
from claimcheck.registry.coverage import find_uncovered

COLUMNS = ["number", "line", "drafted id", "kind", "confidence", "claimed", "evidence or reason", "quote", "draft notes"]
REVIEW_COLUMNS = ["claim", "least sure", "confidence", "claimed", "evidence or reason", "quote", "guesses"]
LEVELS = {"none": 0, "low": 1, "medium": 2, "high": 3}


def confidence_of(notes: Any) -> dict[str, str]:
    """The confidence of each guess (measure, period, entity, unit, comparator) from a drafted claim's
    ``confidence:`` note; {} when it has none."""
    lines = notes if isinstance(notes, list) else [notes or ""]
    line = next((n for n in lines if isinstance(n, str) and n.startswith("confidence: ")), "")
    pairs = (part.strip().rsplit(" ", 1) for part in line[len("confidence: "):].split(";") if part.strip())
    return {k: v for k, v in pairs if v in LEVELS}


def _least(confidence: dict[str, str]) -> str:
    return min(confidence.values(), key=LEVELS.__getitem__) if confidence else "unknown"


def _sure_key(confidence: dict[str, str]) -> tuple[int, int]:
    levels = [LEVELS[v] for v in confidence.values()] or [-1]
    return min(levels), sum(levels)


def review_table(claims: list[Any]) -> pd.DataFrame:
    """The claims still carrying `draft:` notes (``Claim`` objects or mappings), least sure first: the
    lowest confidence of their guesses, each guess's confidence, and the notes saying how it was found."""
    rows = []
    for claim in claims:
        fields = claim if isinstance(claim, dict) else claim.model_dump(mode="json", exclude_none=True)
        notes = fields.get("draft")
        if not notes:
            continue
        confidence = confidence_of(notes)
        guesses = [n for n in (notes if isinstance(notes, list) else [notes]) if not n.startswith("confidence: ")]
        rows.append((_sure_key(confidence), [fields["id"], _least(confidence),
                     ", ".join(f"{k} {v}" for k, v in confidence.items()), claimed_text(fields), evidence_text(fields),
                     fields["quote"], "; ".join(guesses)]))
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame([r for _, r in rows], columns=REVIEW_COLUMNS)


def _one_claimed(claimed: dict[str, Any] | None) -> str:
    if not claimed:
        return ""
    value = claimed.get("value")
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    period = f", {claimed['period']}" if claimed.get("period") else ""
    return f"{claimed['comparator']} {shown} {claimed['unit']}{period}"


def _one_evidence(e: dict[str, Any]) -> str:
    if e["kind"] == "document":
        period = f" ({e['period']})" if e.get("period") else ""
        return f"document {e['document']}: {', '.join(e.get('measures') or ['its wording'])}{period}"
    if e["kind"] == "dataset":
        return f"{e['source']}/{e['snapshot']}: {(e.get('compute') or {}).get('op', 'value')}"
    return f"{e['kind']}: {(e.get('compute') or {}).get('op', 'value')}"


def claimed_text(fields: dict[str, Any]) -> str:
    """The claimed value(s) of a drafted claim, one per part of a claim in parts."""
    parts = fields.get("parts") or [fields]
    return "; ".join(_one_claimed(p.get("claimed")) for p in parts)


def evidence_text(fields: dict[str, Any]) -> str:
    """The first evidence of a drafted claim (of each part), or its reason; evidence kept only as context
    (a guess the draft was not sure of) is shown after the reason."""
    parts = fields.get("parts") or [fields]
    shown = [_one_evidence(p["evidence"][0]) for p in parts if p.get("evidence")]
    context = any((p.get("evidence") or [{}])[0].get("role") == "context" for p in parts)
    if context:
        return f"{fields.get('reason', '')} (guess, as context: {'; '.join(shown)})"
    return "; ".join(shown) if shown else fields.get("reason", "")


class FirstCovering:
    """The first of a list of spans (by position in the list) that holds an offset, found by binary
    search over the spans sorted by start within the longest span's reach, not by scanning the
    list for every number of a long text."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted((a, b, i) for i, (a, b) in enumerate(spans))
        self.starts = [a for a, _, _ in self.spans]
        self.longest = max((b - a for a, b, _ in self.spans), default=0)

    def find(self, offset: int) -> int | None:
        high = bisect.bisect_right(self.starts, offset)
        low = bisect.bisect_left(self.starts, offset - self.longest)
        found = [i for a, b, i in self.spans[low:high] if a <= offset < b]
        return min(found) if found else None


def unregistered_table(article: Any, limit: int | None = None) -> pd.DataFrame:
    """One row per number outside every quote and not-claim, with the drafted claim that covers it
    (or the drafted not-claim reason when the draft reads it as no quantity).

    ``limit``: the first that many numbers only, drafted from the text up to the end of the
    paragraph of the last (a draft reads no further than the paragraph for a number's context,
    and the countries named most are counted in the whole text). ``attrs["total"]`` is the count
    of all such numbers."""
    uncovered = find_uncovered(article)
    total = len(uncovered)
    if not uncovered:
        return pd.DataFrame(columns=COLUMNS)
    if limit is not None and total > limit:
        uncovered = uncovered[:limit]
        end = article.text.find("\n\n", uncovered[-1].end)
        text = article.text if end < 0 else article.text[:end]
        meta = article.metadata
        draft = draft_text(article.id, text, meta.date, meta.dateline, most_named(article.text))
    else:
        draft = draft_article(article)
    at_number: dict[int, dict] = {}
    for d in draft.claims:
        at_number.setdefault(d.quantity.start, d.fields)
    in_clause = FirstCovering([(d.start, d.end) for d in draft.claims])
    in_not_claim = FirstCovering(draft.not_claim_spans)
    rows = []
    for mention in uncovered:
        fields = at_number.get(mention.start)
        if fields is None and (index := in_clause.find(mention.start)) is not None:
            fields = draft.claims[index].fields
        if fields is None:
            index = in_not_claim.find(mention.start)
            reason = draft.not_claims[index]["reason"] if index is not None else "no claim drafted"
            rows.append([mention.text, mention.line, "", "not a claim", "", "", reason, mention.context, ""])
            continue
        notes = fields.get("draft") or []
        confidence = confidence_of(notes)
        rows.append([mention.text, mention.line, fields["id"], fields["kind"], _least(confidence), claimed_text(fields),
                     evidence_text(fields), fields["quote"], "; ".join(notes if isinstance(notes, list) else [notes])])
    order = {"none": 0, "low": 1, "medium": 2, "high": 3, "unknown": 4, "": 5}
    rows.sort(key=lambda r: order.get(r[4], 4))  # a reviewer starts with the least sure
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.attrs["total"] = total
    return frame
