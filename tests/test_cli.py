"""The command line: every subcommand has help, the registry lists in three formats, errors are clear."""

from __future__ import annotations

import csv
import io
import json
import shlex
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


# ------------------------------------------------------------------------------- run's options


@pytest.fixture
def build(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    monkeypatch.delenv("CLAIMCHECK_SITE_URL", raising=False)
    return tmp_path / "build"


def test_an_unknown_notebook_is_refused_before_anything_is_written(build, capsys):
    assert main(["run", "--article", SEED, "--notebook", "nope"]) == 2
    err = capsys.readouterr().err
    assert "no notebook 'nope'" in err and "scorecard" in err
    assert not build.exists() or not any(build.iterdir())


@pytest.mark.parametrize("workers", ["0", "-1", "two"])
def test_workers_must_be_one_or_more(build, workers, capsys):
    with pytest.raises(SystemExit) as done:
        main(["run", "--article", SEED, "--workers", workers])
    assert done.value.code == 2 and "must be a whole number of 1 or more" in capsys.readouterr().err


@pytest.mark.parametrize("setting", ["0", "two", " "])
def test_a_workers_setting_that_is_not_one_or_more_is_refused_in_one_line(build, setting, capsys, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_WORKERS", setting)
    assert main(["run", "--article", SEED]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CLAIMCHECK_WORKERS" in err and "whole number of 1 or more" in err


def test_the_workers_setting_is_the_default_and_the_option_wins(build, monkeypatch):
    from claimcheck.batch import runner

    asked = []
    monkeypatch.setattr(runner, "run_command", lambda args: asked.append(args.workers) or 0)
    monkeypatch.delenv("CLAIMCHECK_WORKERS", raising=False)
    main(["run", "--article", SEED])
    monkeypatch.setenv("CLAIMCHECK_WORKERS", "3")
    main(["run", "--article", SEED])
    main(["run", "--article", SEED, "--workers", "2"])
    assert asked == [None, 3, 2]  # None: one per CPU


def test_a_site_url_that_is_not_absolute_http_is_refused(build, capsys, monkeypatch):
    with pytest.raises(SystemExit):
        main(["run", "--article", SEED, "--site-url", "example.org"])
    assert "absolute http(s) address" in capsys.readouterr().err
    monkeypatch.setenv("CLAIMCHECK_SITE_URL", "ftp://example.org/")
    assert main(["run", "--article", SEED]) == 2
    assert "CLAIMCHECK_SITE_URL" in capsys.readouterr().err


def test_a_run_without_html_is_not_published(build, capsys):
    assert main(["run", "--article", SEED, "--notebook", "scorecard", "--no-html"]) == 0
    out = capsys.readouterr().out
    assert not (build / SEED).exists() and not (build / "index.html").exists() and not (build / "history.jsonl").exists()
    (run_folder,) = (build / ".runs").glob(f"*/{SEED}")
    assert (run_folder / "verdicts.csv").is_file()
    assert "not published" in out and str(run_folder) in out


def test_a_run_ends_with_the_counts_per_verdict_and_where_to_open_the_site(build, capsys, monkeypatch):
    monkeypatch.chdir(build.parent)
    assert main(["run", "--article", SEED, "--notebook", "scorecard"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    rows = json.loads((build / SEED / "verdicts.json").read_text(encoding="utf-8"))
    supported = sum(r["verdict"] == "supported" for r in rows)
    assert lines[-1] == "open build/index.html"
    assert any(line.startswith(f"{SEED}: {supported} supported, ") and f"({len(rows)} claims)" in line for line in lines)
    assert any(line.startswith("ClaimReview left out") and "--site-url" in line and "CLAIMCHECK_SITE_URL" in line for line in lines)
    assert not (build / SEED / "claimreview.jsonld").exists()


def test_with_a_site_url_the_run_writes_claimreview_with_absolute_urls(build, capsys):
    assert main(["run", "--article", SEED, "--notebook", "scorecard", "--site-url", "https://checks.example/cc"]) == 0
    assert "ClaimReview left out" not in capsys.readouterr().out
    document = json.loads((build / SEED / "claimreview.jsonld").read_text(encoding="utf-8"))
    assert all(r["url"].startswith(f"https://checks.example/cc/{SEED}/index.html#claim-") for r in document["@graph"])


def _help(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines: compare the words


@pytest.mark.parametrize("command", [*COMMANDS, "catalog add"])
def test_every_command_help_ends_with_one_example_that_parses(command, capsys):
    from claimcheck.cli import EXAMPLE_ARTICLE

    text = _help(command.split(), capsys)
    examples = text.split("example: ")[1:]
    assert len(examples) == 1 and examples[0].startswith(f"claimcheck {command.split()[0]}")
    argv = shlex.split(examples[0].replace(EXAMPLE_ARTICLE, SEED))[1:]
    if argv[0] == "catalog":
        argv = argv[:argv.index("indicator=SP.POP.TOTL")]  # the query pairs are taken after parsing
    assert build_parser().parse_args(argv).func


def test_run_help_shows_the_default_mode_and_refresh_help_says_it_adds_a_version(capsys):
    assert "(default: offline)" in _help(["run"], capsys)
    refresh = _help(["refresh"], capsys)
    assert "new version" in refresh and "atomically" not in refresh and "replace" not in refresh


def test_the_article_option_reads_the_same_in_every_command(capsys):
    from claimcheck.cli import ARTICLE_HELP

    for command in ("claims", "coverage", "draft", "run", "diff"):
        assert " ".join(ARTICLE_HELP.split()) in _help([command], capsys), command
