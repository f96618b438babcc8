"""The drafted registry as YAML, alone or merged into a reviewed ``claims.yaml``.

ruamel.yaml writes both: its round trip of the seed registry (indent 2, sequences 4 with offset 2)
is byte-identical, comments and flow-style mappings included, so a merge appends the drafted claims
and leaves every line a person wrote as it was.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from claimcheck.draft.propose import Draft, Drafted
from claimcheck.registry.coverage import find_numbers

HEADER = (
    "# Drafted by `claimcheck draft` from article.txt: every claim is a proposal. Each `draft:` note says\n"
    "# what was guessed; confirm or correct it, then delete the note. Format: docs/claims.md.\n"
)
_FLOW = {"claimed", "select", "compute", "inputs"}


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _commented(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        out = CommentedMap((k, _commented(v, k)) for k, v in value.items())
        if key in _FLOW:
            out.fa.set_flow_style()
        return out
    if isinstance(value, list):
        out = CommentedSeq(_commented(v) for v in value)
        if all(not isinstance(v, (dict, list)) for v in value) and key not in {"draft"}:
            out.fa.set_flow_style()
        return out
    return value


def _dump(data: Any) -> str:
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    return buffer.getvalue()


def render(draft: Draft) -> str:
    """The drafted registry as a new ``claims.yaml``."""
    return HEADER + _dump(_commented(draft.registry()))


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def merge(reviewed: str, draft: Draft, text: str) -> tuple[str, list[Drafted]]:
    """``reviewed`` (a claims.yaml) with the drafted claims whose number no quote or not-claim covers.

    Returns the merged YAML and the claims added. Ids already used get a numeric suffix.
    """
    data = _yaml().load(reviewed)
    claims = data.setdefault("claims", CommentedSeq())
    not_claims = data.get("not_claims")
    if not_claims is None:
        not_claims = data["not_claims"] = CommentedSeq()
    covered = [span for c in claims for span in _spans(text, str(c.get("quote", "")))]
    covered += [span for n in not_claims for span in _spans(text, str(n.get("text", "")))]
    used = {str(c.get("id")) for c in claims}
    added = []
    numbers = find_numbers(text)
    qualifiers: list[tuple[int, int]] = []
    for drafted in draft.claims:
        if any(_inside(q.start, q.end, covered) for q in drafted.quantities):
            # its period or ordinal ("the first eight months of 2022") may lie outside the reviewed quote
            left = [m for m in numbers if drafted.start <= m.start < drafted.end and not _inside(m.start, m.end, covered)]
            if left:
                qualifiers.append((min(m.start for m in left), max(m.end for m in left)))
            continue
        fields = dict(drafted.fields)
        base, n = fields["id"], 2
        while fields["id"] in used:
            fields["id"], n = f"{base}-{n}", n + 1
        used.add(fields["id"])
        claims.append(_commented(fields))
        added.append(drafted)
    listed = {str(n.get("text")) for n in not_claims}
    for item, (start, end) in zip(draft.not_claims, draft.not_claim_spans):
        if item["text"] not in listed and not _inside(start, end, covered):
            listed.add(item["text"])
            not_claims.append(_commented(item))
    for start, end in qualifiers:
        item = {"text": text[start:end], "reason": "qualifies a number a reviewed claim covers (its period or ordinal); draft: confirm"}
        if item["text"] not in listed and not _inside(start, end, covered):
            listed.add(item["text"])
            not_claims.append(_commented(item))
    return _dump(data), added


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    spans, at = [], text.find(needle) if needle else -1
    while at >= 0:
        spans.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    return spans
