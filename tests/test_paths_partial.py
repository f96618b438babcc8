"""Article ids are never paths, and one broken article or claim costs only itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

from claimcheck.cli import main
from claimcheck.registry.articles import ArticleError, list_articles, load_article
from claimcheck.registry.claims import Claim
from conftest import REPO
from test_new_article import add_article

SEED = "china-belgium-ties-2023-02-26"


@pytest.mark.parametrize("bad", ["../x", "../../../elsewhere/y", "/tmp/abs", "Upper", "a/b", "-x", ""])
def test_an_article_id_that_is_a_path_is_refused_everywhere(bad, data_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    for command in (["run", f"--article={bad}"], ["claims", f"--article={bad}"], ["coverage", f"--article={bad}"]):
        with pytest.raises(SystemExit) as exited:
            main(command)
        assert exited.value.code == 2
        assert "is not valid: an id is lower-case letters, digits and hyphens" in capsys.readouterr().err
    with pytest.raises(ArticleError, match="not valid"):
        load_article(bad)
    assert not (tmp_path / "build").exists() and not (tmp_path / "elsewhere").exists()


def test_a_notebook_parameter_that_is_a_path_is_refused(data_copy):
    from claimcheck.show.notebook import start

    with pytest.raises(ArticleError, match="'../x' is not valid"):
        start({"article": "../x"}, "claims")


def test_the_folder_scan_leaves_out_folders_whose_name_is_no_id(data_copy):
    shutil.copytree(data_copy / "articles" / SEED, data_copy / "articles" / "Not An Id")
    assert list_articles() == [SEED]


def break_articles(data):
    """Two broken articles beside a good one: invalid YAML metadata, and an article.txt that is not UTF-8."""
    yaml_broken, text_broken = data / "articles" / "broken-yaml", data / "articles" / "broken-text"
    for folder in (yaml_broken, text_broken):
        shutil.copytree(data / "articles" / "us-economy", folder)
        claims = (folder / "claims.yaml").read_text().replace("article: us-economy", f"article: {folder.name}")
        (folder / "claims.yaml").write_text(claims)
    (yaml_broken / "metadata.yaml").write_text("title: [unclosed\nauthor: x\n")
    (text_broken / "article.txt").write_bytes((text_broken / "article.txt").read_bytes() + b"caf\xe9\n")


def test_articles_lists_the_good_ones_and_reports_each_broken_one_in_a_line(data_copy, capsys):
    add_article(data_copy)
    break_articles(data_copy)
    assert main(["articles"]) == 1
    out, err = capsys.readouterr()
    assert "us-economy" in out and SEED in out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "broken-yaml/metadata.yaml: not valid YAML: line 2" in lines[0]


def run_all_beside_a_good_article(tmp_path, spoil) -> tuple[subprocess.CompletedProcess, object]:
    """``claimcheck run --all`` on a copy of the data holding one small good article and what ``spoil(data)``
    adds; the finished process and the build folder."""
    data, build = tmp_path / "data", tmp_path / "build"
    shutil.copytree(REPO / "data", data)
    shutil.rmtree(data / "articles" / SEED)  # a small good article keeps the run short
    add_article(data)
    spoil(data)
    env = {**os.environ, "CLAIMCHECK_DATA": str(data), "CLAIMCHECK_BUILD": str(build)}
    env.pop("CLAIMCHECK_HISTORY", None)
    done = subprocess.run([sys.executable, "-m", "claimcheck", "run", "--all"], env=env,
                          capture_output=True, text=True, timeout=600)
    return done, build


def test_run_all_skips_broken_articles_publishes_the_others_and_exits_1(tmp_path):
    done, build = run_all_beside_a_good_article(tmp_path, break_articles)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (build / "us-economy" / "verdicts.json").is_file()
    assert not (build / "broken-yaml").exists() and not (build / "broken-text").exists()
    assert "broken-yaml: skipped, not published:" in done.stderr and "not valid YAML: line 2" in done.stderr
    assert "broken-text: skipped, not published:" in done.stderr and "not UTF-8 text (byte 0xe9" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_select_naming_a_column_the_data_lack_costs_no_chart_code_the_article(data_copy):
    """The verdict engine reports the claim as an error; the notebook's chart code skips it instead of raising."""
    from claimcheck.judge.evidence import Loader, resolve
    from claimcheck.show import report

    claim = Claim.model_validate({
        "id": "x", "quote": "q", "kind": "amount", "family": "trade", "statement": "s",
        "claimed": {"value": 1.0, "unit": "USD", "comparator": "about"},
        "evidence": [{"kind": "dataset", "source": "imf", "snapshot": "dots_china_belgium_annual",
                      "select": {"flow": "exports"}, "compute": {"op": "sum", "period": "2010"}}],
    })
    ctx = SimpleNamespace(loader=Loader("offline"))
    assert report._series(ctx, claim) == []
    result = resolve(claim.evidence[0], loader=ctx.loader)
    assert result.status == "error" and "no column 'flow'" in result.reason
