"""The README and docs/ keep up with the code: every command, source, verdict name and registry field is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck import paths
from claimcheck.registry.claims import OPS, UNITS, Claim, Claimed, Comparator, Compute, Kind
from claimcheck.cli import build_parser
from claimcheck.reference.sources import SOURCE_MODULES
from claimcheck.judge.verdicts import VERDICTS

README = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
# The front door and the reference pages it links to, read as one text.
DOCS = "\n".join([README] + [p.read_text(encoding="utf-8") for p in sorted((paths.PROJECT_ROOT / "docs").glob("*.md"))])


def subcommands() -> list[str]:
    (action,) = [a for a in build_parser()._actions if a.dest == "command"]
    return sorted(action.choices)


@pytest.mark.parametrize("command", subcommands())
def test_every_cli_command_is_documented(command):
    assert f"`claimcheck {command}" in DOCS


@pytest.mark.parametrize("source", sorted(SOURCE_MODULES) + ["documents"])
def test_every_source_is_documented(source):
    assert f"`{source}`" in DOCS


@pytest.mark.parametrize("verdict", VERDICTS)
def test_every_verdict_name_is_documented(verdict):
    assert f"| `{verdict}` |" in DOCS


@pytest.mark.parametrize("field", sorted(Claim.model_fields) + sorted(Claimed.model_fields))
def test_every_claims_field_is_documented(field):
    assert f"`{field}`" in DOCS


@pytest.mark.parametrize("word", sorted(c.value for c in Comparator) + sorted(k.value for k in Kind)
                         + sorted(UNITS) + sorted(OPS))
def test_every_comparator_kind_unit_and_op_is_documented(word):
    assert f"`{word}`" in DOCS


@pytest.mark.parametrize("field", sorted(set(Compute.model_fields) - {"op"}))
def test_every_compute_option_is_documented(field):
    assert f"`{field}`" in DOCS


def test_the_ci_script_runs_the_readme_test_command():
    ci = (paths.PROJECT_ROOT / ".ci" / "run").read_text()
    assert "make test" in README and "make test" in ci


def test_a_workflow_runs_the_readme_test_command_on_every_push():
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[1]
    workflow = yaml.safe_load((root / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on:` as True
    assert "push" in triggers and "pull_request" in triggers
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert ".ci/run" in steps
    assert "make test" in (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in (root / "README.md").read_text(encoding="utf-8")


def test_the_readme_is_a_front_door_and_links_every_docs_page():
    assert len(README.splitlines()) <= 200
    for page in sorted((paths.PROJECT_ROOT / "docs").glob("*.md")):
        assert f"(docs/{page.name})" in README, page.name


def test_the_reader_labels_documented_are_the_ones_the_pages_show():
    from claimcheck.publish.labels import READER_VERDICTS

    text = (Path(__file__).resolve().parents[1] / "docs" / "verdicts.md").read_text(encoding="utf-8")
    for name, (label, sentence) in READER_VERDICTS.items():
        assert f"| `{name}`" in text and f"| {label} | {sentence} |" in text, name
