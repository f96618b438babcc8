"""Country groups (data/reference/groups.yaml): rank, sum and share among a group's members, and a
real news text about Africa's economies judged with them; the revision policy when no version of the
article's date holds the figure."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from claimcheck import paths
from claimcheck.judge.compute import ComputeError, compute, select_rows
from claimcheck.judge.verdicts import judge_all
from claimcheck.reference import groups
from claimcheck.reference.countries import country_rows
from claimcheck.reference.crosscheck import evidence_problems
from claimcheck.reference.snapshots import get_snapshot, versions
from claimcheck.registry.articles import load_article
from claimcheck.registry.claims import Compute

ARTICLE = "africa-economies-2023-07-05"
HERE = Path(__file__).parent / "articles" / ARTICLE


@pytest.fixture()
def data(tmp_path, monkeypatch) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(paths.data_dir(), copy)
    shutil.copytree(HERE, copy / "articles" / ARTICLE)
    monkeypatch.setenv("CLAIMCHECK_DATA", str(copy))
    return copy


def test_members_come_from_country_converters_table():
    africa = groups.group("africa")
    table = {r["ISO3"]: r["continent"] for r in country_rows() if not r["obsolete"]}
    assert set(africa.members) == {code for code, continent in table.items() if continent == "Africa"}
    assert {"NGA", "EGY", "ZAF"} <= set(africa.members) and "FRA" not in africa.members
    assert len(groups.group("eu27").members) == 27 and len(groups.group("g7").members) == 7
    # any_of joins groups: sub-Saharan Africa is Africa without its northern UN region
    assert set(groups.group("sub_saharan_africa").members) == (
        set(africa.members) - set(groups.group("northern_africa").members))


def test_a_year_of_joining_decides_membership_row_by_row():
    gdp = get_snapshot("worldbank", "gdp_current_usd").frame
    oecd = select_rows(gdp, {"group": "oecd"})
    in_year = lambda year: set(oecd.loc[oecd["period"].astype(str) == year, "entity"].astype(str))  # noqa: E731
    assert "KOR" not in in_year("1990") and "KOR" in in_year("2000")  # Korea joined the OECD in 1996
    assert "USA" in in_year("1990") and "CHL" not in in_year("2005") and "CHL" in in_year("2015")


def test_rank_sum_and_share_among_a_group():
    gdp = get_snapshot("worldbank", "gdp_current_usd").frame
    africa = select_rows(gdp, {"group": "africa"})
    assert set(africa["entity"].astype(str)) <= set(groups.group("africa").members)
    year = africa[africa["period"].astype(str) == "2022"]
    ranked = year.sort_values("value", ascending=False)["entity"].astype(str).tolist()
    result = compute(Compute(op="rank", entity="EGY", period="2022"), africa)
    assert result.value == ranked.index("EGY") + 1 == 2 and result.extra["n"] == len(ranked)
    total = compute(Compute(op="sum", period="2022"), africa).value
    assert total == pytest.approx(year["value"].sum())
    share = compute(Compute(op="share", entity="NGA", period="2022"), africa).value
    assert share == pytest.approx(100 * float(year.loc[year["entity"] == "NGA", "value"].iloc[0]) / total)


def test_an_unknown_group_is_a_claims_file_error_with_the_nearest_name(data):
    claims = data / "articles" / ARTICLE / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "select: {group: africa}, compute: {op: throughout", "select: {group: afrika}, compute: {op: throughout"), encoding="utf-8")
    problems = evidence_problems(load_article(ARTICLE))
    assert len(problems) == 1
    assert "claim 'largest-fifth-year'" in problems[0] and "select.group" in problems[0]
    assert "no country group 'afrika'" in problems[0] and "did you mean 'africa'?" in problems[0]
    with pytest.raises(ComputeError, match="did you mean 'africa'"):
        select_rows(get_snapshot("worldbank", "gdp_current_usd").frame, {"group": "afrika"})


@pytest.mark.parametrize("text, message", [
    ("groups: {a: {label: A, any_of: [b]}, b: {label: B, any_of: [a]}}", "refers to itself"),
    ("groups: {a: {label: A, any_of: [nope]}}", "field 'any_of': no group 'nope'"),
    ("groups: {a: {label: A, column: Continent, value: Asia}}", "field 'column': country_converter's table has no column"),
    ("groups: {a: {label: A, members: [NGA]}}", "field 'source'"),
    ("groups: {a: {label: A, colour: red, column: G7, value: G7}}", "field 'colour': unknown"),
    ("groups: {a: {label: A, column: G7}}", "field 'value'"),
    ("groups: [a, b]", "field 'groups'"),
    ("groups: {a: {label: A,", "groups.yaml"),
])
def test_a_malformed_groups_file_is_one_line_naming_the_file_and_field(data, text, message):
    (data / "reference" / "groups.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(groups.GroupError) as caught:
        groups.load_groups()
    assert message in str(caught.value) and "groups.yaml" in str(caught.value) and "\n" not in str(caught.value)


def test_the_africa_article_is_judged_among_africas_economies(data):
    verdicts = {v.claim_id: v for v in judge_all(load_article(ARTICLE))}
    assert verdicts["largest-fifth-year"].verdict == "supported"
    assert "(members of Africa)" in verdicts["largest-fifth-year"].sentence
    assert verdicts["egypt-second"].verdict == "supported"
    assert "ranks 2nd of" in verdicts["egypt-second"].sentence
    assert verdicts["south-africa-third"].verdict == "supported"


def test_no_version_of_the_articles_date_holds_the_figure_so_the_earliest_later_one_decides(data):
    # The article (July 2023) gave Nigeria's 2022 GDP as $477.4 bn. The only stored version from before
    # it (2018-08-01) ends in 2017; the copy of 2024-10-21 holds 472.6 bn (1% off, inside the band); the
    # current one, after Nigeria's rebasing, 647.0 bn. Judged on the current copy alone it read as a
    # contradiction.
    stored = versions("worldbank", "gdp_current_usd")
    assert stored[0] == "2018-08-01" and "2024-10-21" in stored
    verdict = {v.claim_id: v for v in judge_all(load_article(ARTICLE))}["nigeria-gdp-2022"]
    assert verdict.verdict == "supported"
    assert "$472.625 bn" in verdict.sentence and "revised since to $646.95 bn" in verdict.sentence
    assert "the earliest stored after the article's date that holds the figure" in verdict.rule
    assert "2024-10-21" in verdict.rule


def test_a_version_whose_data_stop_before_the_claimed_date_does_not_decide_it(data):
    # "since 2018 when it overtook South Africa": the 2018-08-01 copy ends in 2016, so it cannot say
    # what happened in 2018; the earliest later copy decides (Nigeria passed South Africa in 2008).
    verdict = {v.claim_id: v for v in judge_all(load_article(ARTICLE))}["overtook-south-africa-2018"]
    assert verdict.verdict == "contradicted"
    assert "2024-10-21" in verdict.rule and "2018-08-01" not in verdict.rule
    later = next(e for e in verdict.evidence if e.version == "2024-10-21")
    current = next(e for e in verdict.evidence if e.version != "2024-10-21" and e.label == later.label)
    if later.value == current.value:  # today's copy holds the same year: nothing was revised
        assert "revised" not in verdict.sentence, verdict.sentence


def test_the_africa_article_runs_end_to_end(data, tmp_path, monkeypatch):
    from claimcheck.cli import main

    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    assert main(["coverage", "--article", ARTICLE]) == 0
    assert main(["run", "--article", ARTICLE]) == 0
    with open(tmp_path / "build" / ARTICLE / "verdicts.csv", encoding="utf-8") as handle:
        table = {row["claim_id"]: row["verdict"] for row in csv.DictReader(handle)}
    assert len(table) == 9 and "error" not in table.values()


def test_an_article_without_a_byline_loads_and_its_author_is_the_publication(data):
    # the Legit.ng text names no author (metadata `author: null`); it used to be refused
    from claimcheck.publish.claimreview import claim_reviews
    from claimcheck.show.render import byline

    article = load_article(ARTICLE)
    assert article.metadata.author is None and article.metadata.dateline is None
    item = claim_reviews(article, [{"claim_id": "egypt-second", "verdict": "supported"}], "2026-12-01",
                         "https://checks.example/")["@graph"][0]["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Legit.ng"}
    assert byline(article).endswith(", <bdi>Legit.ng</bdi>, 05 July 2023</p>") and " by " not in byline(article)
    meta = data / "articles" / ARTICLE / "metadata.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("author: null  # not printed", 'author: "  "'), encoding="utf-8")
    assert load_article(ARTICLE).metadata.author is None  # blank means not printed, never an empty name
