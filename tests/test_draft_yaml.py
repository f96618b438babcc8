"""A new draft is written by libyaml in ruamel's layout: what the project's reader reads back as the
registry, in the bytes ruamel writes wherever ruamel's own bytes read back (ruamel writes YAML 1.2,
whose plain `yes` the reader takes for true); a text libyaml would escape goes to ruamel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.draft.propose import draft_text
from claimcheck.draft.write import _FLOW, _commented, _dump, _fast_dump, render
from claimcheck.registry.yamltext import load_yaml

DRAFT_TEXTS = Path(__file__).resolve().parent / "draft_texts"
# prose with every character YAML treats specially, unicode quotes and dashes, and line breaks
_TEXT = st.text(alphabet=st.sampled_from(list("ab Z09 .,:;#'\"-?!&*%@`|>[]{}~=\\\n") + ["’", "–", "€", "é", "ü", "\u00a0", "\u2028", "\t", "\r", "\U0001F4C8"]),
                max_size=30)
_SCALAR = st.one_of(_TEXT, st.sampled_from(["yes", "no", "on", "null", "~", "true", "1e3", "0x1F", "2023-02-30",
                                            "12:30", "- x", "'", "''", " lead", "trail ", "", "3.0", ".inf"]),
                    st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                    st.booleans(), st.none())
_KEYS = st.sampled_from(["id", "quote", "claimed", "select", "compute", "inputs", "draft", "evidence", "reason",
                         "value", "unit", "period", "not_claims", "claims", "text"])
_VALUE = st.recursive(_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=20)


def _escaped(value) -> bool:
    if isinstance(value, dict):
        return any(_escaped(v) for v in value.values())
    if isinstance(value, list):
        return any(_escaped(v) for v in value)
    return isinstance(value, str) and any(c in value for c in "\u2028\t\r\U0001F4C8")


def _sequence_in_sequence(value) -> bool:
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    if isinstance(value, list) and any(isinstance(v, list) and any(isinstance(w, (dict, list)) for w in v) for v in value):
        return True
    return any(_sequence_in_sequence(v) for v in children)


def _mapping_in_a_flow_list(value, flow=False, in_list=False) -> bool:
    if isinstance(value, dict):
        return flow and in_list or any(_mapping_in_a_flow_list(v, flow or k in _FLOW)
                                       for k, v in value.items())
    return isinstance(value, list) and any(_mapping_in_a_flow_list(v, flow, True) for v in value)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _VALUE, min_size=1, max_size=4))
def test_libyaml_writes_what_the_project_s_reader_reads_back_as_the_registry(registry):
    fast = _fast_dump(registry)
    if fast is None:  # to ruamel: a text libyaml escapes, a block sequence in a sequence, a mapping in a flow list
        assert _sequence_in_sequence(registry) or _mapping_in_a_flow_list(registry) or _escaped(registry)
        return
    assert load_yaml(fast) == registry


_PROSE = st.text(alphabet=st.sampled_from(list("abZ09 .,;'()%$-?!&\"\n") + ["’", "–", "€", "é"]), max_size=30)
_BLOCK_KEYS = st.sampled_from(["id", "quote", "statement", "reason", "text", "label", "note"])
_PROSE_FIELDS = st.dictionaries(_BLOCK_KEYS, st.one_of(_PROSE, st.integers(-10**12, 10**12), st.none()), max_size=5)
# a registry's layout: lists of claims whose texts are prose, each with its block list of draft notes
_PROSE_VALUE = st.one_of(_PROSE, st.lists(st.builds(lambda fields, notes: {**fields, "draft": notes},
                                                      _PROSE_FIELDS, st.lists(_PROSE, max_size=3)), max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["claims", "not_claims", "article"]), _PROSE_VALUE, min_size=1))
def test_on_prose_libyaml_writes_the_bytes_ruamel_writes(registry):
    """Prose in a registry's block layout (a flow collection holds codes and numbers, not prose), where
    ruamel's own bytes read back: ruamel writes YAML 1.2, whose plain `yes` or `3:1` the project's
    reader (1.1) takes for a boolean or a number; libyaml quotes them."""
    fast = _fast_dump(registry)
    slow = _dump(_commented(registry))
    if fast is not None and load_yaml(slow) == registry:
        assert fast == slow


def test_the_draft_texts_drafts_are_the_bytes_ruamel_writes():
    from claimcheck.draft.propose import draft_article
    from claimcheck.registry.articles import Article

    folders = [d for d in sorted(DRAFT_TEXTS.iterdir()) if d.is_dir()]
    assert len(folders) >= 10
    for folder in folders:
        registry = draft_article(Article(folder.name, folder)).registry()
        assert _fast_dump(registry) == _dump(_commented(registry)), folder.name


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "\t", "\r", "\x85", "\u2028", "\u2029", "\ufeff", "\U0001F4C8", "\x07"]), min_size=1))
def test_a_text_libyaml_would_escape_is_written_by_ruamel(text):
    if text.strip("a"):
        assert _fast_dump({"claims": [{"quote": text}]}) is None


def test_a_drafted_registry_with_an_emoji_is_still_written_and_reads_back():
    draft = draft_text("t", "📈 Brazil's exports rose 3% in 2023.", date(2024, 3, 1))
    assert "📈" in render(draft) and yaml.safe_load(render(draft))["claims"]
