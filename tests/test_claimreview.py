"""ClaimReview JSON-LD: one schema.org ClaimReview per claim, with a rating inside its bounds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from claimcheck.publish import claimreview
from claimcheck.publish import site
from claimcheck.registry.articles import load_article
from claimcheck.judge.verdicts import VERDICTS

SEED = "china-belgium-ties-2023-02-26"
SHARING = Path(__file__).resolve().parents[1] / "docs" / "sharing.md"
SITE = "https://checks.example/claimcheck/"


def rows_for(article_id: str = SEED) -> list[dict]:
    return [{"claim_id": c.id, "verdict": VERDICTS[i % len(VERDICTS)], "reading": "as stated", "claimed": "x",
             "reference": "y", "difference_abs": "", "difference_rel": "", "rule": "", "source": "s",
             "sentence": f"Plain sentence {i}."}
            for i, c in enumerate(load_article(article_id).claims)]


@pytest.fixture
def document(tmp_path) -> dict:
    folder = tmp_path / SEED
    folder.mkdir()
    (folder / "verdicts.json").write_text(json.dumps(rows_for()), encoding="utf-8")
    (folder / site.RUN_FILE).write_text(json.dumps({"run": "r1", "finished": "2026-03-01T06:17:30Z", "mode": "offline"}))
    site.build_site(tmp_path, [SEED], site_url=SITE)
    return json.loads((folder / "claimreview.jsonld").read_text(encoding="utf-8"))


def test_there_is_one_claimreview_per_claim(document):
    assert document["@context"] == "https://schema.org"
    reviews = document["@graph"]
    assert [r["identifier"] for r in reviews] == sorted(c.id for c in load_article(SEED).claims)
    assert all(r["@type"] == "ClaimReview" for r in reviews)


def test_each_claimreview_has_the_required_keys_and_types(document):
    article = load_article(SEED)
    quotes = {c.id: c.quote for c in article.claims}
    for review in document["@graph"]:
        assert review["claimReviewed"] == quotes[review["identifier"]]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"] == {"@type": "Person", "name": article.metadata.author}
        assert item["datePublished"] == article.metadata.date.isoformat()
        appearance = item["appearance"]
        assert appearance["@type"] == "CreativeWork" and appearance["name"] == article.metadata.title
        assert review["author"] == {"@type": "Organization", "name": "claimcheck"}
        assert review["datePublished"] == "2026-03-01T06:17:30Z"
        assert review["url"] == f"{SITE}{SEED}/index.html#claim-{review['identifier']}"
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and isinstance(rating["alternateName"], str) and rating["name"]
        from claimcheck.publish.labels import label

        assert rating["name"] == label(rating["alternateName"])  # the label the page shows
        assert isinstance(rating["bestRating"], int) and isinstance(rating["worstRating"], int)
        assert rating["alternateName"] in VERDICTS


def test_ratings_stay_within_their_bounds_and_only_judging_verdicts_get_a_number(document):
    for review in document["@graph"]:
        rating = review["reviewRating"]
        verdict = rating["alternateName"]
        if verdict in claimreview.RATINGS:
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
            assert rating["ratingValue"] == claimreview.RATINGS[verdict]
        else:
            assert "ratingValue" not in rating
    assert claimreview.RATINGS == {"supported": 5, "imprecise": 4, "misleading": 3, "contradicted": 1}


def test_each_claimreview_url_points_at_an_anchor_of_the_article_page(document, tmp_path):
    html = (tmp_path / SEED / "index.html").read_text(encoding="utf-8")
    for review in document["@graph"]:
        page, anchor = review["url"].split("#")
        assert page == f"{SITE}{SEED}/index.html" and f'id="{anchor}"' in html


def test_the_appearance_names_the_publication_and_url_when_known(tmp_path, data_copy):
    meta = data_copy / "articles" / SEED / "metadata.yaml"
    meta.write_text(meta.read_text().replace("publication: null", "publication: The Paper")
                    .replace("url: null", "url: https://paper.example/ties"))
    work = claimreview.claim_reviews(load_article(SEED), rows_for(), "2026-03-01", SITE)["@graph"][0]["itemReviewed"]["appearance"]
    assert work["url"] == "https://paper.example/ties" and work["publisher"]["name"] == "The Paper"


def test_the_inline_script_form_cannot_close_its_script_tag():
    tag = claimreview.script_tag({"x": "</script><script>alert(1)</script> & more"})
    assert tag.count("</script>") == 1 and "<script>alert" not in tag
    inner = re.search(r">(.*)</script>", tag).group(1)
    assert json.loads(inner)["x"].startswith("</script>")


def test_the_readme_documents_the_rating_of_every_verdict():
    section = SHARING.read_text(encoding="utf-8")
    for verdict in VERDICTS:
        assert f"`{verdict}`" in section
    for verdict, value in claimreview.RATINGS.items():
        assert re.search(rf"`{verdict}`\s*\|\s*{value}\b", section)


def test_without_a_site_url_claimreview_is_left_out(tmp_path):
    folder = tmp_path / SEED
    folder.mkdir()
    (folder / "verdicts.json").write_text(json.dumps(rows_for()), encoding="utf-8")
    (folder / "claimreview.jsonld").write_text("{}", encoding="utf-8")  # as a copied previous run left it
    site.build_site(tmp_path, [SEED])
    assert not (folder / "claimreview.jsonld").exists()
    assert "application/ld+json" not in (folder / "index.html").read_text(encoding="utf-8")
    assert "claimreview.jsonld" not in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert site.check_site(tmp_path) == []


def test_the_site_url_comes_from_the_option_or_the_environment(monkeypatch):
    monkeypatch.delenv(claimreview.SITE_URL_ENV, raising=False)
    assert claimreview.site_url_setting() is None
    monkeypatch.setenv(claimreview.SITE_URL_ENV, "https://env.example/site")
    assert claimreview.site_url_setting() == "https://env.example/site/"
    assert claimreview.site_url_setting("http://opt.example/") == "http://opt.example/"
    for bad in ("checks.example/site", "file:///tmp/build", "javascript:alert(1)", "https://x.example/?q=1"):
        with pytest.raises(ValueError, match="absolute http"):
            claimreview.site_url_setting(bad)
