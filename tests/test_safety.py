"""Safety: a secret in the environment never reaches an output; data in pages is inert, escaped text.

The batch test runs the real ``claimcheck run`` once for the session on the seed article, into a
temporary build folder, with a fake ``COMTRADE_API_KEY`` set. It runs three notebooks (the claims
list, trade, whose source takes the key, and the scorecard); tests/test_batch.py runs them all.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claimcheck.publish import site
from conftest import built_once

SEED = "china-belgium-ties-2023-02-26"
FAKE_KEY = "cc-fake-comtrade-key-7f3a9b21d4e8c650"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
NOTEBOOKS = ("--notebook", "claims", "--notebook", "trade", "--notebook", "scorecard")
NO_NETWORK = re.compile(r'<script[^>]*src="http|<link[^>]*href="http|@import url\(http', re.IGNORECASE)


# ------------------------------------------------------------------------------ one real batch run


@pytest.fixture(scope="session")
def real_build(tmp_path_factory) -> Path:
    """``claimcheck run --article <seed>`` into a temporary build folder, stdout/stderr to build/cron.log;
    once for the session, only read."""
    return built_once(tmp_path_factory, "safety", run_with_a_key) / "build"


def run_with_a_key(root: Path) -> None:
    build = root / "build"
    build.mkdir()
    env = {**os.environ, "CLAIMCHECK_BUILD": str(build), "COMTRADE_API_KEY": FAKE_KEY}
    env.pop("CLAIMCHECK_HISTORY", None)
    with (build / "cron.log").open("ab") as log:
        done = subprocess.run([sys.executable, "-m", "claimcheck", "run", "--article", SEED, *NOTEBOOKS,
                               "--site-url", "https://checks.example/"],
                              env=env, stdout=log, stderr=subprocess.STDOUT, timeout=600)
    log_text = (build / "cron.log").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log_text[-3000:]


def all_files(root: Path) -> list[Path]:
    files = []
    for folder, _, names in os.walk(root):  # the real folders, .runs included; links not followed twice
        files += [Path(folder) / n for n in names]
    return files


def test_the_api_key_appears_in_no_output_file(real_build):
    files = all_files(real_build)
    kinds = {p.suffix for p in files}
    assert {".ipynb", ".html", ".json", ".csv", ".jsonl", ".jsonld", ".log"} <= kinds, kinds
    assert (real_build / "history.jsonl").is_file() and (real_build / ".lock").is_file()
    for path in files:
        data = path.read_bytes()
        assert FAKE_KEY.encode() not in data, f"the key leaked into {path}"
        assert FAKE_KEY[:16].encode() not in data, f"part of the key leaked into {path}"


def test_the_real_site_loads_nothing_from_the_network_and_all_its_links_resolve(real_build):
    pages = site.site_pages(real_build)
    names = {p.name for p in pages}
    assert {"index.html", "verdicts.html", "scorecard.html", "trade.html", "claims.code.html"} <= names
    for page in pages:
        assert not NO_NETWORK.search(page.read_text(encoding="utf-8")), page
    assert site.check_site(real_build) == []


def test_the_real_claimreview_has_one_review_per_verdict_row(real_build):
    rows = json.loads((real_build / SEED / "verdicts.json").read_text(encoding="utf-8"))
    reviews = json.loads((real_build / SEED / "claimreview.jsonld").read_text(encoding="utf-8"))["@graph"]
    assert len(reviews) == len(rows) > 0
    assert {r["identifier"] for r in reviews} == {row["claim_id"] for row in rows}


# ------------------------------------------------------------------------------ hostile data


ARTICLE = f"""Trade talk {SCRIPT} began.
The figure was {IMG} at the end of the year.
"""

CLAIMS = f"""article: hostile
claims:
  - id: scripted
    quote: "Trade talk {SCRIPT} began."
    kind: characterisation
    family: documented
    statement: "A statement {IMG}"
    reason: "A reason {SCRIPT}"
  - id: imaged
    quote: "The figure was {IMG} at the end of the year."
    kind: opinion
    statement: "Another {SCRIPT}"
    reason: "opinion {IMG}"
not_claims: []
"""

METADATA = f"""title: "Title {SCRIPT}"
author: "Author {IMG}"
affiliation: "Affiliation {SCRIPT}"
date: 2024-01-02
publication: "Paper {IMG}"
url: "javascript:alert(1)"
language: en
"""


def hostile_rows() -> list[dict]:
    return [{
        "claim_id": claim_id, "verdict": verdict, "reading": f"reading {SCRIPT}", "claimed": f"claimed {IMG}",
        "claimed_value": SCRIPT, "reference": f"reference {SCRIPT}", "reference_value": IMG,
        "difference_abs": IMG, "difference_rel": SCRIPT, "rule": f"rule {IMG}", "source": f"source {SCRIPT} {IMG}",
        "sentence": f"sentence {SCRIPT} {IMG}", "reason": f"reason {IMG}", "decided_by": f"label {SCRIPT}",
        "evidence": [{"label": f"label {SCRIPT}", "provenance": [
            {"url": "javascript:alert(1)", "publisher": IMG, "snapshot": SCRIPT},
            {"url": f"https://example.org/?q=\"><script>alert(1)</script>", "dataset": IMG}]}],
    } for claim_id, verdict in (("scripted", "supported"), ("imaged", "not-checkable"))]


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_bodies.append(data)


@pytest.fixture
def hostile_site(tmp_path, data_copy) -> Path:
    folder = data_copy / "articles" / "hostile"
    folder.mkdir()
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    (folder / "metadata.yaml").write_text(METADATA, encoding="utf-8")
    build = tmp_path / "build"
    (build / "hostile").mkdir(parents=True)
    (build / "hostile" / "verdicts.json").write_text(json.dumps(hostile_rows()), encoding="utf-8")
    (build / "hostile" / "documented.html").write_text("<html></html>", encoding="utf-8")
    (build / "hostile" / site.RUN_FILE).write_text(json.dumps({
        "run": f"run {SCRIPT}", "finished": IMG, "mode": SCRIPT, "previous_run": f"prev {IMG}",
        "snapshots": {f"src/{SCRIPT}": {"sha256": IMG, "date": SCRIPT, "method": IMG}},
        "changes": [{"claim_id": "scripted", "what": "changed", "old_verdict": SCRIPT, "new_verdict": IMG,
                     "old_reference": SCRIPT, "new_reference": IMG}]}), encoding="utf-8")
    site.build_site(build, ["hostile"], site_url="https://checks.example/")
    return build


def test_markup_in_data_reaches_the_pages_only_as_escaped_text(hostile_site):
    pages = site.site_pages(hostile_site)
    assert {p.name for p in pages} >= {"index.html", "verdicts.html"}
    for page in pages:
        if page.name == "documented.html":
            continue
        text = page.read_text(encoding="utf-8")
        assert SCRIPT not in text and IMG not in text and "alert(1)</script>" not in text, page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, page
        parser = TagCollector()
        parser.feed(text)
        assert not [t for t, _ in parser.tags if t in ("img", "iframe", "object", "embed")], page
        for tag, attrs in parser.tags:
            assert not any(name.startswith("on") for name in attrs), (page, tag, attrs)
            for name in ("href", "src"):
                assert not (attrs.get(name) or "").lower().startswith(("javascript:", "data:")), (page, attrs)
        for body in parser.script_bodies:
            assert "alert(1)" not in body or "\\u003cscript\\u003ealert(1)" in body, (page, body[:200])


def test_the_article_page_shows_the_hostile_text_where_a_reader_expects_it(hostile_site):
    text = (hostile_site / "hostile" / "index.html").read_text(encoding="utf-8")
    escaped_img = "&lt;img src=x onerror=alert(1)&gt;"
    assert f"Trade talk &lt;script&gt;alert(1)&lt;/script&gt; began." in text  # the quote, in the article text
    assert f"sentence &lt;script&gt;alert(1)&lt;/script&gt; {escaped_img}" in text  # the verdict's sentence
    assert f"Title &lt;script&gt;" in text and f"Author {escaped_img}" in text


def test_the_claimreview_keeps_hostile_text_as_plain_json_strings(hostile_site):
    document = json.loads((hostile_site / "hostile" / "claimreview.jsonld").read_text(encoding="utf-8"))
    review = next(r for r in document["@graph"] if r["identifier"] == "scripted")
    assert review["claimReviewed"] == f"Trade talk {SCRIPT} began."
    assert "url" not in review["itemReviewed"]["appearance"]  # a javascript: URL is never a link
