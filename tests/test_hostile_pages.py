"""No script from data runs in any page: a hostile article, run by ``claimcheck run``, checked in headless Chromium.

The article is the seed article with script payloads (``browser.hostile``) in every text a reader
sees: metadata, article text and a quote, statements, reasons, reading and evidence labels and the
``not_claims`` reasons. Every HTML file under build/<article>/ (notebook pages with and without code,
the article page, the verdict table) and the site index is loaded in Chromium; the DOM must show no
marker of a payload that ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from browser import hostile
from conftest import built_once

REPO = Path(__file__).resolve().parents[1]
SEED = "china-belgium-ties-2023-02-26"
HOSTILE = "hostile-article"
QUOTE = hostile("quote")


def write_hostile_article(data: Path) -> None:
    """The seed article under a new id, a payload in every text field a page or notebook shows."""
    source, folder = data / "articles" / SEED, data / "articles" / HOSTILE
    shutil.copytree(source, folder)
    meta = yaml.safe_load((folder / "metadata.yaml").read_text(encoding="utf-8"))
    for name in ("title", "author", "affiliation", "dateline", "publication"):
        meta[name] = hostile(name)
    (folder / "metadata.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")

    text = (folder / "article.txt").read_text(encoding="utf-8")
    (folder / "article.txt").write_text(text + "\n" + QUOTE + "\n", encoding="utf-8")

    registry = yaml.safe_load((folder / "claims.yaml").read_text(encoding="utf-8"))
    registry["article"] = HOSTILE
    for claim in registry["claims"]:
        claim["statement"] = hostile("statement")
        if claim.get("reason"):
            claim["reason"] = hostile("reason")
        if "reading" in claim or claim.get("readings"):
            claim["reading"] = hostile("reading")
        for reading in claim.get("readings", []):
            reading["label"] = hostile("reading")
        for evidence in claim.get("evidence", []) + [e for r in claim.get("readings", []) for e in r.get("evidence", [])]:
            evidence["label"] = hostile("evidence")
    registry["claims"].append({"id": "hostile-quote", "quote": QUOTE, "kind": "opinion",
                               "statement": hostile("statement"), "reason": hostile("reason")})
    for item in registry["not_claims"]:
        item["reason"] = hostile("notclaim")
    (folder / "claims.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory) -> Path:
    """The hostile article's run, once for the session; its pages are only read."""
    return built_once(tmp_path_factory, "hostile-pages", run_hostile_article) / "build"


def run_hostile_article(root: Path) -> None:
    data, build = root / "data", root / "build"
    shutil.copytree(REPO / "data", data)
    write_hostile_article(data)
    build.mkdir()
    env = {**os.environ, "CLAIMCHECK_DATA": str(data), "CLAIMCHECK_BUILD": str(build)}
    env.pop("CLAIMCHECK_HISTORY", None)
    done = subprocess.run([sys.executable, "-m", "claimcheck", "run", "--article", HOSTILE],
                          env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    assert (build / HOSTILE / "index.html").is_file(), done.stdout[-3000:] + done.stderr[-3000:]


def pages(build: Path) -> list[Path]:
    return sorted((build / HOSTILE).glob("*.html")) + [build / "index.html"]


def test_every_page_of_the_hostile_article_was_rendered(hostile_build):
    names = {p.name for p in pages(hostile_build)}
    for notebook in ("claims", "trade", "economy", "dates", "documented", "climate", "scorecard"):
        assert {f"{notebook}.html", f"{notebook}.code.html"} <= names, names
    assert {"index.html", "verdicts.html"} <= names


def test_no_script_from_data_runs_in_any_page(hostile_build, browser):
    found = pages(hostile_build)
    with ThreadPoolExecutor(max_workers=2) as pool:
        ran = dict(zip(found, pool.map(browser.scripts_ran, found)))
    executed = {str(page.relative_to(hostile_build)): labels for page, labels in ran.items() if labels}
    assert executed == {}, f"scripts from data ran: {executed}"


def test_the_payloads_are_shown_as_text(hostile_build, browser):
    """The data are on the pages, escaped: the reader sees the literal text, the browser runs none of it."""
    labels = {"claims.html": ("title", "author", "affiliation", "notclaim", "quote", "reason", "reading"),
              "trade.html": ("evidence",), "index.html": ("statement", "publication")}
    shown = {name: browser.dump_dom(hostile_build / HOSTILE / name) for name in labels}
    for name, expected in labels.items():
        for label in expected:
            assert f"{label} &lt;script&gt;" in shown[name], (name, label)
