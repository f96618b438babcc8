"""The drafted registry as YAML, alone or merged into a reviewed ``claims.yaml``.

ruamel.yaml writes a merge: its round trip of the seed registry (indent 2, sequences 4 with offset 2)
is byte-identical, comments and flow-style mappings included, so a merge appends the drafted claims
and leaves every line a person wrote as it was. A new registry is written by PyYAML's C emitter in
the same layout (ruamel's pure-Python emitter took a fifth of a long text's drafting), checked
against ruamel's bytes by the tests; a text libyaml would escape (an emoji, a control character)
is written by ruamel.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

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


def _flow_list(value: list, key: str) -> bool:
    """A list written on one line: scalars only, and not the draft notes, one per line for a reviewer."""
    return all(not isinstance(v, (dict, list)) for v in value) and key != "draft"


def _commented(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        out = CommentedMap((k, _commented(v, k)) for k, v in value.items())
        if key in _FLOW:
            out.fa.set_flow_style()
        return out
    if isinstance(value, list):
        out = CommentedSeq(_commented(v) for v in value)
        if _flow_list(value, key):
            out.fa.set_flow_style()
        return out
    return value


def _dump(data: Any) -> str:
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    return buffer.getvalue()


def render(draft: Draft) -> str:
    """The drafted registry as a new ``claims.yaml``."""
    registry = draft.registry()
    fast = _fast_dump(registry)
    return HEADER + (fast if fast is not None else _dump(_commented(registry)))


class _NeedsRuamel(Exception):
    """A registry holding what only ruamel writes in its layout (an emoji, a sequence in a sequence)."""


class _FlowMap(dict):
    pass


class _FlowSeq(list):
    pass


class _Dumper(pyyaml.CSafeDumper):  # libyaml's emitter; the representers below choose ruamel's styles
    def ignore_aliases(self, data: Any) -> bool:
        return True  # an object met twice is written twice, as ruamel writes ``_commented``'s copies


_ANALYSIS = pyyaml.emitter.Emitter(None, allow_unicode=True)  # only its analysis of a scalar is used
# what libyaml escapes, breaks a line at, or ruamel may write otherwise: outside printable BMP text, tabs,
# CRs and the line and paragraph separators included
_ESCAPED = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")


class _FlowStr(str):  # a text inside a flow collection, where fewer texts may stay plain
    pass


_RUAMEL_RESOLVER = VersionedResolver()  # YAML 1.2's reading of a plain text ("1e3" is a number there, not in 1.1)


@lru_cache(maxsize=4096)  # keys and short values recur on every claim, and ruamel's resolver is slow
def _plain_reads_as_text(value: str) -> bool:
    return _RUAMEL_RESOLVER.resolve(ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"


def _string(dumper: Any, value: str) -> Any:
    style = None
    if "\n" in value:
        style = '"'
    elif not _plain_reads_as_text(str(value)):
        style = "'"  # a text either YAML would read as something else is quoted, as ruamel quotes it
    elif "'" in value:  # ruamel quotes with " a text holding ' that cannot stay plain; libyaml would use '...''...'
        analysis = _ANALYSIS.analyze_scalar(value)
        plain = analysis.allow_flow_plain if isinstance(value, _FlowStr) else analysis.allow_block_plain
        style = None if plain and not analysis.empty else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


_Dumper.add_representer(str, _string)
_Dumper.add_representer(_FlowStr, _string)
_NULL = object()  # None inside a flow collection, written "null" as ruamel does; "" (nothing) in a block
_Dumper.add_representer(type(None), lambda d, v: d.represent_scalar("tag:yaml.org,2002:null", ""))
_Dumper.add_representer(object, lambda d, v: d.represent_scalar("tag:yaml.org,2002:null", "null") if v is _NULL
                        else d.represent_undefined(v))
_Dumper.add_representer(_FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))
_Dumper.add_representer(_FlowSeq, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _styled(value: Any, key: str = "") -> Any:
    """``_commented``'s choice of flow and block, as types the representers know; None when a text
    needs ruamel."""
    if isinstance(value, dict):
        items = {k: _styled(v, k) for k, v in value.items()}
        if key not in _FLOW:
            return items
        if _mapping_in_list(value):
            raise _NeedsRuamel  # ruamel writes a one-key mapping in a flow list as [key: value]
        return _FlowMap({k: _in_flow(v) for k, v in items.items()})
    if isinstance(value, list):
        items = [_styled(v) for v in value]
        if _flow_list(value, key):
            return _FlowSeq(_in_flow(v) for v in items)
        if any(isinstance(v, list) and not isinstance(v, _FlowSeq) for v in items):
            raise _NeedsRuamel  # "- - x": a sequence in a sequence, which no registry holds
        return items
    if isinstance(value, str) and _ESCAPED.search(value):
        raise _NeedsRuamel
    return value


def _mapping_in_list(value: Any, in_list: bool = False) -> bool:
    if isinstance(value, dict):
        return in_list or any(_mapping_in_list(v) for v in value.values())
    return isinstance(value, list) and any(_mapping_in_list(v, True) for v in value)


def _in_flow(value: Any) -> Any:
    return _NULL if value is None else _FlowStr(value) if type(value) is str else value


def _indented(text: str) -> str:
    """libyaml's block sequences, written at their key's indentation, moved in by 2 as ruamel writes
    them (sequence 4, offset 2): every line by 2 for each block sequence it lies in. Every scalar is
    on one line (a text with a line break is double-quoted), so lines are nodes."""
    out, open_at = [], []  # the columns of the dashes of the sequences the line lies in
    for line in text.splitlines(keepends=True):
        body = line.lstrip(" ")
        column = len(line) - len(body)
        if body.rstrip("\n") == "-":
            body = "- " + body[1:]  # a null item: ruamel writes the dash's space
        item = body.startswith("- ")
        while open_at and (column < open_at[-1] or column == open_at[-1] and not item):
            open_at.pop()
        if item and (not open_at or open_at[-1] != column):
            open_at.append(column)
        out.append(" " * (column + 2 * len(open_at)) + body)
    return "".join(out)


def _fast_dump(data: Any) -> str | None:
    """``_dump(_commented(data))``'s bytes through libyaml, or None where only ruamel writes them."""
    try:
        styled = _styled(data)
    except _NeedsRuamel:
        return None
    return _indented(pyyaml.dump(styled, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10**9,
                                 default_flow_style=False))


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
