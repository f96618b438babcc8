"""The command line: every subcommand has help, the registry lists in three formats, errors are clear."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from claimcheck.cli import build_parser, main

SEED = "china-belgium-ties-2023-02-26"
COMMANDS = ["articles", "claims", "coverage", "draft", "sources", "catalog", "refresh", "run", "diff"]


def subcommands() -> list[str]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if a.dest == "command"]
    return sorted(action.choices)


def test_the_documented_commands_are_the_ones_that_exist():
    assert subcommands() == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert "usage: claimcheck" in capsys.readouterr().out


def test_articles_lists_the_seed_article(capsys):
    assert main(["articles"]) == 0
    assert SEED in capsys.readouterr().out


def test_claims_as_csv_has_one_row_per_claim(capsys):
    from claimcheck.registry.articles import load_article

    assert main(["claims", "--article", SEED, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["id"] for r in rows] == [c.id for c in load_article(SEED).claims]


def test_claims_as_json_carries_the_quotes(capsys):
    assert main(["claims", "--article", SEED, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert any("$28.7 billion" in r["quote"] for r in records)


def test_an_unknown_article_is_a_clear_error(capsys):
    assert main(["claims", "--article", "no-such-article"]) == 2
    err = capsys.readouterr().err
    assert "no article 'no-such-article'" in err and SEED in err


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "claimcheck", "articles"], capture_output=True, text=True)
    assert done.returncode == 0 and SEED in done.stdout
