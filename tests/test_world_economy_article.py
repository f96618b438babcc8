"""A test article in plain newsroom language, run through `claimcheck run` against the shipped GDP snapshot.

It exercises every operation over series (crossing, rank of a period, throughout, first-since, rank
change, ratio, difference, share of the world total, sum over the EU members), the agreement band, a
named source, and two compound claims: one whose parts all hold and one with a part that fails.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from claimcheck import paths
from claimcheck.cli import main
from conftest import built_once

ARTICLE = "world-economy-2024-12-02"
HERE = Path(__file__).parent / "articles" / ARTICLE

EXPECTED = {
    "germany-third-largest": "supported",  # compound: crossing + rank, both hold
    "japan-smallest-since-2002": "supported",  # compound: amount + first_since
    "us-largest-throughout-2010s": "supported",  # throughout
    "us-output-2023": "supported",  # "$27.7 trillion": the version of the article's date (Oct 2024) says 27.36 tn, 1.2% off: within the national-accounts band
    "us-quarter-of-world": "supported",  # share of the world total
    "us-china-gap": "supported",  # difference
    "china-second-highest": "supported",  # period_rank: 2023 is China's second-highest year now (third in the Oct 2024 copy)
    "china-five-times-india": "supported",  # ratio
    "india-overtook-britain-and-france": "misleading",  # India passed France in 2017, not the early 2020s
    "india-up-five-places": "supported",  # rank_change
    "india-ranks-fifth": "supported",  # rank, named
    "eu-output": "supported",  # sum over 27 entities
}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The article's published outputs, run once for the session; only read."""
    return built_once(tmp_path_factory, "world-economy", run_the_article) / "build" / ARTICLE


def run_the_article(root: Path) -> None:
    data, build = root / "data", root / "build"
    shutil.copytree(paths.data_dir(), data)
    shutil.copytree(HERE, data / "articles" / ARTICLE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMCHECK_DATA", str(data))
        patch.setenv("CLAIMCHECK_BUILD", str(build))
        assert main(["coverage", "--article", ARTICLE]) == 0
        assert main(["run", "--article", ARTICLE]) == 0


def rows(built: Path) -> dict[str, dict[str, str]]:
    with open(built / "verdicts.csv", encoding="utf-8") as handle:
        return {row["claim_id"]: row for row in csv.DictReader(handle)}


def test_every_claim_gets_its_expected_verdict(built):
    assert {cid: row["verdict"] for cid, row in rows(built).items()} == EXPECTED


def test_the_sentences_name_entities_and_the_parts_that_fail(built):
    table = rows(built)
    assert re.search(r"India ranks 5th of \d+ \(aggregates excluded\)", table["india-ranks-fifth"]["sentence"])
    assert "IND" not in table["india-ranks-fifth"]["sentence"]
    mixed = table["india-overtook-britain-and-france"]
    assert "“India overtook France in the early 2020s” does not hold" in mixed["sentence"]
    assert "first period in which India exceeds France" in mixed["sentence"] and "2017" in mixed["sentence"]
    assert "early 2020s (2020–2023)" in mixed["sentence"]
    assert "fails: france" in mixed["rule"]
    # the version of the article's date decides the amount, within its band, and the sentence gives the revision since
    assert "$27.361 tn, 1.2% below the article's" in table["us-output-2023"]["sentence"] and "revised since to $27.812 tn" in (
        table["us-output-2023"]["sentence"])
    assert "2023 (China) ranks 2nd of 64" in table["china-second-highest"]["sentence"]


def test_compound_parts_are_in_the_json_and_on_the_article_page(built):
    verdicts = {v["claim_id"]: v for v in json.loads((built / "verdicts.json").read_text(encoding="utf-8"))}
    parts = verdicts["india-overtook-britain-and-france"]["parts"]
    assert [(p["claim_id"], p["verdict"]) for p in parts] == [
        ("india-overtook-britain-and-france/britain", "supported"),
        ("india-overtook-britain-and-france/france", "contradicted"),
    ]
    page = (built / "index.html").read_text(encoding="utf-8")
    assert "India overtook France in the early 2020s" in page  # the parts listed in the claim's panel
    # the whole quote is one highlight, in the compound verdict's colour
    assert re.search(r'<mark class="claim misleading"[^>]*data-claims="india-overtook-britain-and-france"', page)
