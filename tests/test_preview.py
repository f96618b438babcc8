"""No unreviewed draft goes public: a registry whose claims carry `draft:` notes runs as a preview into
build/.preview/<article>/ (never the published site, the history or `claimcheck diff`) unless
`--publish`, and every preview page says "draft — not reviewed" at its top."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from claimcheck.batch.preview import BANNER, mark_pages
from claimcheck.cli import main

TEXTS = Path(__file__).parent / "draft_texts"
ARTICLE = "china-population-falls-2023-01-17"


def _drafted_article(data: Path) -> str:
    target = data / "articles" / ARTICLE
    shutil.copytree(TEXTS / ARTICLE, target, ignore=shutil.ignore_patterns("expected.yaml"))
    assert main(["draft", "--article", ARTICLE, "--write"]) == 0
    (target / "claims.draft.yaml").rename(target / "claims.yaml")
    return ARTICLE


def test_a_drafted_registry_runs_as_a_preview_and_publish_publishes_it(data_copy, tmp_path, monkeypatch, capsys):
    build = tmp_path / "build"
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(build))
    monkeypatch.delenv("CLAIMCHECK_HISTORY", raising=False)
    article = _drafted_article(data_copy)
    assert main(["run", "--article", article, "--notebook", "scorecard"]) == 0
    assert "PREVIEW" in capsys.readouterr().out
    preview = build / ".preview" / article
    assert (preview / "verdicts.json").is_file()
    assert not (build / article).exists() and not (build / "history.jsonl").exists()
    assert not (build / "index.html").exists()
    pages = list(preview.rglob("*.html"))
    assert pages and all("draft — not reviewed" in p.read_text(encoding="utf-8") for p in pages)
    assert os.environ["CLAIMCHECK_BUILD"] == str(build)  # put back after the preview
    assert main(["diff", "--article", article]) == 2
    assert f"no run of article '{article}'" in capsys.readouterr().err  # claimcheck diff never saw the preview
    assert main(["run", "--article", article, "--notebook", "scorecard", "--publish"]) == 0
    assert (build / article / "verdicts.json").is_file() and (build / "history.jsonl").is_file()
    assert not any("draft — not reviewed" in p.read_text(encoding="utf-8") for p in (build / article).rglob("*.html"))


def test_the_banner_goes_at_the_top_of_each_page_once(tmp_path):
    (tmp_path / "a").mkdir()
    page = tmp_path / "a" / "p.html"
    page.write_text("<html><body class='x'><h1>T</h1></body></html>", encoding="utf-8")
    assert mark_pages(tmp_path) == 1 and mark_pages(tmp_path) == 0
    assert page.read_text(encoding="utf-8") == f"<html><body class='x'>{BANNER}<h1>T</h1></body></html>"
