"""Every YAML file is read by one loader that bounds alias expansion and nesting: a hostile file is a
one-line error naming it, in milliseconds, never a traceback, a RecursionError or gigabytes of memory."""

from __future__ import annotations

import shutil
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import yaml

from claimcheck.registry.yamltext import MAX_DEPTH, load_yaml, yaml_error_line
from conftest import REPO
from test_paths_partial import run_all_beside_a_good_article

SEED = "china-belgium-ties-2023-02-26"


def alias_bomb(key: str = "bomb", levels: int = 9) -> str:
    """Nine levels of nine aliases: 387 million nodes once expanded, 10 lines written."""
    lines = [f"{key}0: &{key}0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels + 1):
        lines.append(f"{key}{level}: &{key}{level} [" + ", ".join([f"*{key}{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def quickly(call, *args):
    start = time.perf_counter()
    try:
        call(*args)
    except Exception as exc:  # noqa: BLE001 (the test inspects what was raised)
        return exc, time.perf_counter() - start
    return None, time.perf_counter() - start


@pytest.mark.parametrize("text, says", [
    (alias_bomb(), "aliases expand the file by"),
    ("a: &a [1, *a]\n", "an alias refers to the node that holds it"),
    (nested(MAX_DEPTH + 5), f"nested more than {MAX_DEPTH} levels deep"),
    (nested(20_000), "exceeded maximum nesting depth"),
    ("a: &deep " + nested(40) + "\nb: " + "[" * 30 + "*deep" + "]" * 30 + "\n", f"nested more than {MAX_DEPTH}"),
])
def test_a_hostile_yaml_text_is_a_one_line_yaml_error_in_milliseconds(text, says):
    exc, took = quickly(load_yaml, text)
    assert isinstance(exc, yaml.YAMLError), exc
    line = yaml_error_line(exc)
    assert says in line and "\n" not in line and line.startswith("line ")
    assert took < 1.0


def test_ordinary_yaml_with_a_few_aliases_still_loads():
    assert load_yaml("a: &a {x: 1}\nb: *a\nc: [*a, *a]\n") == {"a": {"x": 1}, "b": {"x": 1}, "c": [{"x": 1}] * 2}
    assert load_yaml(nested(MAX_DEPTH - 1)) is not None


def test_claims_yaml_nested_20000_deep_is_one_line_naming_the_file(data_copy):
    from claimcheck.registry.claims import ClaimsError, load_claims

    path = data_copy / "articles" / SEED / "claims.yaml"
    path.write_text(f"article: {SEED}\nclaims: {nested(20_000)}\n")
    exc, took = quickly(load_claims, path, "")
    assert isinstance(exc, ClaimsError), repr(exc)[:300]
    assert len(exc.problems) == 1 and str(path) in exc.problems[0] and "nesting depth" in exc.problems[0]
    assert took < 2.0


def test_an_alias_bomb_in_the_catalogue_is_one_line_naming_the_file(data_copy):
    from claimcheck.reference.catalogue import CatalogueError, load_catalogue

    file = data_copy / "reference" / "catalogue" / "fred.yaml"
    file.write_text(file.read_text() + "".join("  " + line + "\n" for line in ["x_bomb:", "  query:"])
                    + "".join("      " + line + "\n" for line in alias_bomb().splitlines()))
    exc, took = quickly(load_catalogue)
    assert isinstance(exc, CatalogueError), repr(exc)[:300]
    assert str(file) in str(exc) and "aliases expand the file" in str(exc) and "\n" not in str(exc)
    assert took < 2.0


def test_an_alias_bomb_in_groups_yaml_is_one_line_naming_the_file(data_copy):
    from claimcheck.reference.groups import GroupError, load_groups

    path = data_copy / "reference" / "groups.yaml"
    path.write_text(alias_bomb() + path.read_text())
    exc, took = quickly(load_groups)
    assert isinstance(exc, GroupError), repr(exc)[:300]
    assert "groups.yaml" in str(exc) and "aliases expand the file" in str(exc) and took < 2.0


def test_an_alias_bomb_in_a_sidecar_is_one_line_naming_the_file(data_copy):
    from claimcheck.reference.errors import SnapshotInvalid
    from claimcheck.reference.snapshots import read_meta

    sidecar = next((data_copy / "reference" / "worldbank").rglob("*.meta.yaml"))
    sidecar.write_text(sidecar.read_text() + alias_bomb())
    exc, took = quickly(read_meta, sidecar)
    assert isinstance(exc, SnapshotInvalid) and str(sidecar) in str(exc) and "aliases expand" in str(exc)
    assert took < 2.0


def test_an_alias_bomb_in_the_documents_registry_is_one_line_naming_the_file(data_copy):
    from claimcheck.reference.documents import load_documents, registry_paths
    from claimcheck.reference.errors import SnapshotInvalid

    _, sidecar = registry_paths()
    sidecar.write_text(sidecar.read_text() + alias_bomb())
    exc, took = quickly(load_documents)
    assert isinstance(exc, SnapshotInvalid) and str(sidecar) in str(exc) and "aliases expand" in str(exc)
    assert took < 2.0


def test_no_module_parses_yaml_but_the_one_loader():
    """yaml.safe_load / yaml.load / ruamel's load elsewhere would skip the bounds."""
    offenders = []
    for path in (REPO / "src").rglob("*.py"):
        if path.name == "yamltext.py":
            continue
        text = path.read_text()
        for call in ("yaml.safe_load(", "yaml.load(", "yaml.compose(", "yaml.full_load(", "yaml.unsafe_load("):
            if call in text:
                offenders.append(f"{path.relative_to(REPO)}: {call}")
    assert offenders == []


def test_run_all_publishes_the_other_articles_when_one_claims_file_nests_20000_deep(tmp_path):
    def deep_claims(data):
        deep = data / "articles" / "deep-claims"
        shutil.copytree(data / "articles" / "us-economy", deep)
        (deep / "claims.yaml").write_text(f"article: deep-claims\nclaims: {nested(20_000)}\n")

    done, build = run_all_beside_a_good_article(tmp_path, deep_claims)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (build / "us-economy" / "verdicts.json").is_file()
    assert not (build / "deep-claims" / "verdicts.json").exists()
    skipped = [line for line in done.stderr.splitlines() if "deep-claims" in line]
    assert len(skipped) == 1, done.stderr
    assert "claims.yaml" in skipped[0] and "nesting depth" in skipped[0]
    assert "Traceback" not in done.stdout + done.stderr and "RecursionError" not in done.stderr


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=4),
    max_leaves=30,
)


@given(plain)
@settings(max_examples=150, deadline=None)
def test_any_document_within_the_bounds_loads_as_the_plain_loader_reads_it(value):
    text = yaml.safe_dump(value, default_flow_style=None, allow_unicode=True)
    assert load_yaml(text) == yaml.safe_load(text)


@given(st.integers(1, 6), st.integers(1, 6))
@settings(max_examples=40, deadline=None)
def test_aliases_load_up_to_the_bound_and_are_refused_past_it(width, levels):
    text = alias_bomb("n", levels).replace("[x, x, x, x, x, x, x, x, x]", "[" + ", ".join(["x"] * width) + "]")
    text = "\n".join(line if i == 0 else line.split("[", 1)[0] + "[" + ", ".join([f"*n{i - 1}"] * width) + "]"
                     for i, line in enumerate(text.splitlines())) + "\n"
    sizes = [1 + width]  # n0: a sequence of scalars; n_i: a sequence of aliases to n_(i-1)
    for _ in range(levels):
        sizes.append(1 + width * sizes[-1])
    expanded = 1 + sum(1 + size for size in sizes)  # the root mapping, each key and its value expanded
    written = 1 + (levels + 1) + (1 + width) + levels  # the root, the keys, n0 and its scalars, each n_i
    if expanded - written <= 100_000:
        assert len(load_yaml(text)) == levels + 1
    else:
        with pytest.raises(yaml.YAMLError, match="aliases expand the file"):
            load_yaml(text)


def test_sources_with_an_alias_bomb_in_the_catalogue_is_one_line_and_exit_2(data_copy, capsys):
    from claimcheck.cli import main

    file = data_copy / "reference" / "catalogue" / "fred.yaml"
    file.write_text(file.read_text() + "  x_bomb:\n    query:\n"
                    + "".join("      " + line + "\n" for line in alias_bomb().splitlines()))
    assert main(["sources"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(file) in err and "aliases expand the file" in err
