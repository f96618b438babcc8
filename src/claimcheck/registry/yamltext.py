"""Reading YAML, with PyYAML's C loader when it has one (about ten times faster than pure Python).

Two things PyYAML accepts silently are errors here: a key given twice in one mapping (the later
value would win unseen) and an impossible date such as ``2023-02-30`` (PyYAML raises a bare
``ValueError``). Both become ``yaml.YAMLError`` with the line, like any other syntax error.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BASE):  # type: ignore[misc, valid-type]
    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:  # an unhashable key: SafeConstructor reports it
                    break
                if duplicate:
                    raise ConstructorError(
                        "while reading a mapping", node.start_mark,
                        f"duplicate key {key!r} (first at line {seen[key].line + 1}; the later value would win unseen)",
                        key_node.start_mark,
                    )
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise ConstructorError(None, None, f"impossible date {node.value!r} ({exc})", node.start_mark) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)


def load_yaml(text: str) -> Any:
    """Parse ``text`` as safe YAML (no arbitrary objects); raises ``yaml.YAMLError`` when malformed."""
    return yaml.load(text, Loader=_StrictLoader)


def yaml_error_line(exc: yaml.YAMLError) -> str:
    """A YAML error as one line: ``line N, column M: what is wrong``."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if context and context != "while reading a mapping":
        problem = f"{problem} ({context})"
    return " ".join(f"{where}{problem}".split())
