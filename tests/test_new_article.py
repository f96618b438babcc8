"""A second article needs no code: a folder of text, metadata and claims is enough."""

from __future__ import annotations

import shutil
import textwrap

from claimcheck import paths
from claimcheck.registry.articles import list_articles, load_article
from claimcheck.cli import main
from claimcheck.registry.coverage import find_uncovered
from claimcheck.batch.runner import notebooks_for
from claimcheck.judge.verdicts import judge_all

TEXT = "The United States was the world's largest economy in 2021, and it will stay so in 2030.\n"
CLAIMS = """
article: us-economy
claims:
  - id: us-largest-2021
    quote: "The United States was the world's largest economy in 2021"
    kind: rank
    family: economy
    statement: "The United States had the largest GDP in 2021."
    claimed: {value: 1, unit: rank, comparator: rank, period: "2021"}
    evidence:
      - kind: dataset
        source: worldbank
        snapshot: gdp_current_usd
        select: {measure: NY.GDP.MKTP.CD}
        compute: {op: rank, entity: USA, period: "2021"}
  - id: us-largest-2030
    quote: "it will stay so in 2030"
    kind: forecast
    statement: "The United States will still be the largest economy in 2030."
    reason: "A forecast."
"""


def add_article(data):
    folder = data / "articles" / "us-economy"
    folder.mkdir(parents=True)
    (folder / "article.txt").write_text(TEXT)
    (folder / "metadata.yaml").write_text(textwrap.dedent("""
        title: A test article
        author: A. Writer
        date: 2024-05-01
    """))
    (folder / "claims.yaml").write_text(CLAIMS)


def test_an_added_article_is_listed_covered_and_judged(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    monkeypatch.setenv("CLAIMCHECK_DATA", str(data))
    add_article(data)

    assert "us-economy" in list_articles()
    article = load_article("us-economy")
    assert find_uncovered(article) == []
    verdicts = {v.claim_id: v.verdict for v in judge_all(article)}
    assert verdicts == {"us-largest-2021": "supported", "us-largest-2030": "not-checkable"}
    assert notebooks_for("us-economy") == ["claims", "economy", "scorecard"]
    assert main(["claims", "--article", "us-economy", "--format", "csv"]) == 0
