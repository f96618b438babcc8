"""The examples in the README and docs/ work, as sqlite-utils keeps its docs honest: every YAML block
parses (and every claim in one validates, naming evidence the catalogue holds), every `claimcheck`
command in a shell block is a valid command line, and the read-only ones run and exit 0."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest
import yaml

from claimcheck import paths
from claimcheck.cli import build_parser
from claimcheck.reference.catalogue import load_catalogue
from claimcheck.registry.claims import Claim

PAGES = [paths.PROJECT_ROOT / "README.md"] + sorted((paths.PROJECT_ROOT / "docs").glob("*.md"))
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
# Commands that only read: run for real against the committed data (the others are parsed only).
READ_ONLY = {"articles", "claims", "coverage", "sources", "diff", "draft"}  # draft only prints (without --write)


def blocks(language: set[str]) -> list[tuple[str, str]]:
    return [(f"{page.relative_to(paths.PROJECT_ROOT)} block {n}", body)
            for page in PAGES
            for n, (lang, body) in enumerate(FENCE.findall(page.read_text(encoding="utf-8")), 1) if lang in language]


def shell_commands() -> list[tuple[str, list[str]]]:
    found = []
    for where, body in blocks({"sh", "console", "bash"}):
        for line in body.replace("\\\n", " ").splitlines():
            line = line.split(" #", 1)[0].strip().removeprefix("$ ")
            words = shlex.split(line) if line else []
            for at, word in enumerate(words):
                if word.endswith("claimcheck") or word == "-m" and words[at + 1:at + 2] == ["claimcheck"]:
                    start = at + (2 if word == "-m" else 1)
                    found.append((where, words[start:]))
                    break
    return found


def _claims(document) -> list[dict]:
    if isinstance(document, dict) and "claims" in document:
        return list(document["claims"])
    if isinstance(document, list) and all(isinstance(item, dict) and "quote" in item for item in document):
        return document
    return []


@pytest.mark.parametrize("where, body", blocks({"yaml", "yml"}))
def test_every_yaml_block_parses_and_its_claims_validate(where, body):
    document = yaml.safe_load(body)
    catalogue = load_catalogue()
    for raw in _claims(document):
        claim = Claim.model_validate(raw)
        for evidence in [e for part in (claim.parts or [claim]) for e in part.evidence]:
            if evidence.kind == "dataset":
                assert catalogue.has(evidence.source, evidence.snapshot), f"{where}: {evidence.source}/{evidence.snapshot}"


@pytest.mark.parametrize("where, argv", shell_commands())
def test_every_documented_command_line_parses(where, argv):
    build_parser().parse_args(argv)


@pytest.mark.parametrize("where, argv", [(w, a) for w, a in shell_commands() if a and a[0] in READ_ONLY])
def test_every_documented_read_only_command_runs(where, argv, tmp_path):
    done = subprocess.run([sys.executable, "-m", "claimcheck", *argv], capture_output=True, text=True, timeout=120,
                          cwd=paths.PROJECT_ROOT, env={**__import__("os").environ, "CLAIMCHECK_BUILD": str(tmp_path)})
    assert done.returncode == 0, f"{where}: claimcheck {' '.join(argv)}\n{done.stderr[-2000:]}"


def test_the_docs_hold_examples_of_both_kinds():
    assert blocks({"yaml", "yml"}) and shell_commands()
