"""Reading YAML, with PyYAML's C loader when it has one (about ten times faster than pure Python).

Two things PyYAML accepts silently are errors here: a key given twice in one mapping (the later
value would win unseen) and an impossible date such as ``2023-02-30`` (PyYAML raises a bare
``ValueError``). Both become ``yaml.YAMLError`` with the line, like any other syntax error.

Every file is also bounded before a Python object is built: aliases may add at most
``MAX_ALIAS_NODES`` nodes (nine levels of nine aliases expand to 387 million, which a later walk,
validation or dump would build), no alias may refer to the node that holds it, and nesting is at most
``MAX_DEPTH`` deep counted through aliases (libyaml stops at 1,000 levels, but the pure-Python
parser and every recursive walk after it hit Python's recursion limit before that).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64
MAX_ALIAS_NODES = 100_000


class YAMLBoundsError(yaml.YAMLError):
    """A file over the alias or depth bound; reads like a syntax error (``problem`` at ``problem_mark``)."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem, self.problem_mark, self.context = problem, mark, None


def _children(node: Any) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _check_depth(root: Any) -> None:
    """``check_bounds`` for a document without anchors (a tree): only the depth, visiting collections only."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise YAMLBoundsError(f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
        if isinstance(node, yaml.SequenceNode):
            kids = node.value
        elif isinstance(node, yaml.MappingNode):
            kids = [kid for pair in node.value for kid in pair]
        else:
            continue
        for kid in kids:
            if isinstance(kid, yaml.CollectionNode):
                stack.append((kid, depth + 1))
            elif depth + 1 > MAX_DEPTH:
                raise YAMLBoundsError(f"nested more than {MAX_DEPTH} levels deep", kid.start_mark)


def check_bounds(root: Any, anchors: bool = True) -> None:
    """Refuse a composed document whose aliases expand too far, loop, or that nests too deep.

    One iterative post-order walk; a node reached twice is an alias, counted at its expanded size
    (memoised, so the walk costs the nodes written, not the nodes they expand to). Without
    ``anchors`` (the text has no ``&``) there is no alias: only the depth is walked."""
    if not anchors:
        return _check_depth(root)
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, int]] = [(root, 1)]
    written = 0
    while stack:
        node, depth = stack.pop()
        key = id(node)
        if depth < 0:  # the node's children are done
            on_path.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            height[key] = 1 + max((height[id(k)] for k in kids), default=0)
            continue
        if key in size:
            continue
        if key in on_path:
            raise YAMLBoundsError("an alias refers to the node that holds it (a recursive structure)", node.start_mark)
        if depth > MAX_DEPTH:
            raise YAMLBoundsError(f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
        written += 1
        on_path.add(key)
        stack.append((node, -1))
        for kid in _children(node):
            if id(kid) in on_path:
                raise YAMLBoundsError("an alias refers to the node that holds it (a recursive structure)",
                                      kid.start_mark)
            if id(kid) in height and depth + height[id(kid)] > MAX_DEPTH:
                raise YAMLBoundsError(f"nested more than {MAX_DEPTH} levels deep (through an alias)", kid.start_mark)
            stack.append((kid, depth + 1))
    if size[id(root)] - written > MAX_ALIAS_NODES:
        raise YAMLBoundsError(f"aliases expand the file by {size[id(root)] - written:,} nodes, over the "
                              f"limit of {MAX_ALIAS_NODES:,} (an alias bomb?)", root.start_mark)


class _StrictLoader(_BASE):  # type: ignore[misc, valid-type]
    may_have_anchors = True  # load_yaml sets False for a text without "&": no alias can occur

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        check_bounds(node, self.may_have_anchors)
        return self.construct_document(node)

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
    """Parse ``text`` as safe YAML (no arbitrary objects); raises ``yaml.YAMLError`` when malformed or
    over the bounds. The one YAML reader of every file the project reads."""
    loader = _StrictLoader(text)
    loader.may_have_anchors = "&" in text
    try:
        return loader.get_single_data()
    except RecursionError:  # a walk the bounds did not foresee: still one line, never a traceback
        raise YAMLBoundsError("nested too deep to read", None) from None
    finally:
        loader.dispose()


def compose_yaml(text: str) -> Any:
    """The node tree of ``text`` (for locating an error), bounded like ``load_yaml``."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            check_bounds(node, "&" in text)
        return node
    finally:
        loader.dispose()


def yaml_error_line(exc: yaml.YAMLError) -> str:
    """A YAML error as one line: ``line N, column M: what is wrong``."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if context and context != "while reading a mapping":
        problem = f"{problem} ({context})"
    return " ".join(f"{where}{problem}".split())


def read_yaml_file(path: Path, error: Callable[[str], Exception], data: bytes | None = None) -> Any:
    """The YAML of the file at ``path`` (of ``data``, its bytes, when already read); ``error`` of one line
    naming the file when it is not UTF-8 text or not valid YAML. Reading the file is the caller's
    to guard (OSError)."""
    try:
        return load_yaml((path.read_bytes() if data is None else data).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text (offset {exc.start}); save it as UTF-8") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML ({yaml_error_line(exc)})") from None
