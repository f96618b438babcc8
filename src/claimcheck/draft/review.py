"""What a reviewer sees beside the registry: each number no claim covers, with the claim drafted for it."""

from __future__ import annotations

from typing import Any

import pandas as pd

from claimcheck.draft.propose import draft_article
from claimcheck.registry.coverage import find_uncovered

COLUMNS = ["number", "line", "drafted id", "kind", "claimed", "evidence or reason", "quote", "draft notes"]


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
    """The first evidence of a drafted claim (of each part), or its reason."""
    parts = fields.get("parts") or [fields]
    shown = [_one_evidence(p["evidence"][0]) for p in parts if p.get("evidence")]
    return "; ".join(shown) if shown else fields.get("reason", "")


def unregistered_table(article: Any) -> pd.DataFrame:
    """One row per number outside every quote and not-claim, with the drafted claim that covers it
    (or the drafted not-claim reason when the draft reads it as no quantity)."""
    uncovered = find_uncovered(article)
    if not uncovered:
        return pd.DataFrame(columns=COLUMNS)
    draft = draft_article(article)
    rows = []
    for mention in uncovered:
        fields = next((d.fields for d in draft.claims if d.quantity.start == mention.start), None)
        fields = fields or next((d.fields for d in draft.claims if d.start <= mention.start < d.end), None)
        if fields is None:
            reason = next((n["reason"] for n, (a, b) in zip(draft.not_claims, draft.not_claim_spans)
                           if a <= mention.start < b), "no claim drafted")
            rows.append([mention.text, mention.line, "", "not a claim", "", reason, mention.context, ""])
            continue
        notes = fields.get("draft") or []
        rows.append([mention.text, mention.line, fields["id"], fields["kind"], claimed_text(fields),
                     evidence_text(fields), fields["quote"], "; ".join(notes if isinstance(notes, list) else [notes])])
    return pd.DataFrame(rows, columns=COLUMNS)
