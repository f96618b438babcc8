"""What a reviewer sees beside the registry: each number no claim covers, with the claim drafted for it."""

from __future__ import annotations

from typing import Any

import pandas as pd

from claimcheck.draft.propose import draft_article
from claimcheck.registry.coverage import find_uncovered

COLUMNS = ["number", "line", "drafted id", "kind", "claimed", "evidence or reason", "quote", "draft notes"]


def _claimed_text(claimed: dict[str, Any] | None) -> str:
    if not claimed:
        return ""
    value = claimed.get("value")
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    period = f", {claimed['period']}" if claimed.get("period") else ""
    return f"{claimed['comparator']} {shown} {claimed['unit']}{period}"


def _evidence_text(fields: dict[str, Any]) -> str:
    evidence = fields.get("evidence") or []
    if evidence:
        e = evidence[0]
        return f"{e['source']}/{e['snapshot']}: {e['compute'].get('op', 'value')}"
    return fields.get("reason", "")


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
        rows.append([mention.text, mention.line, fields["id"], fields["kind"], _claimed_text(fields.get("claimed")),
                     _evidence_text(fields), fields["quote"], "; ".join(notes if isinstance(notes, list) else [notes])])
    return pd.DataFrame(rows, columns=COLUMNS)
