"""schema.org ``ClaimReview`` JSON-LD for an article's verdicts (``build/<article>/claimreview.jsonld``).

One ``ClaimReview`` per verdict row, in a ``@graph``. The rating scale runs from 1 (worst) to 5
(best); only verdicts that judge the claim get a number (``RATINGS``). The others carry
``alternateName`` and ``name`` and no ``ratingValue``: giving a forecast or a missing snapshot a
number would read as a judgement we did not make.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from claimcheck import files
from claimcheck.registry.articles import Article

BEST_RATING = 5
WORST_RATING = 1
# 5 true, 4 mostly true (close, outside the usual difference between sources), 3 half true, 1 false;
# the others judge nothing and get no number (see module doc and docs/sharing.md)
RATINGS = {"supported": 5, "imprecise": 4, "misleading": 3, "contradicted": 1}
ORGANIZATION = {"@type": "Organization", "name": "claimcheck"}
CONTEXT = "https://schema.org"
FILE_NAME = "claimreview.jsonld"
SITE_URL_ENV = "CLAIMCHECK_SITE_URL"  # the site's public base URL, for absolute ClaimReview URLs


def verdict_label(verdict: str) -> str:
    """The label readers see on the pages (``not-held`` → ``Not checked yet``), so a search result
    and the page say the same."""
    from claimcheck.publish.labels import label

    return label(verdict)


def claim_anchor(claim_id: str) -> str:
    """The fragment of a claim on the article page."""
    return f"claim-{claim_id}"


def _appearance(article: Article) -> dict[str, Any]:
    meta = article.metadata
    work: dict[str, Any] = {"@type": "CreativeWork", "name": meta.title, "datePublished": meta.date.isoformat()}
    if meta.url and urlsplit(meta.url).scheme in ("http", "https"):
        work["url"] = meta.url
    if meta.publication:
        work["publisher"] = {"@type": "Organization", "name": meta.publication}
    return work


def rating(row: dict[str, Any]) -> dict[str, Any]:
    """The ``Rating`` of one verdict row."""
    verdict = str(row.get("verdict") or "")
    value: dict[str, Any] = {
        "@type": "Rating",
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": verdict,
        "name": verdict_label(verdict),
    }
    if verdict in RATINGS:
        value["ratingValue"] = RATINGS[verdict]
    if row.get("sentence"):
        value["ratingExplanation"] = str(row["sentence"])
    return value


def site_url_setting(value: str | None = None) -> str | None:
    """The site's public base URL: ``value`` (``--site-url``), else ``CLAIMCHECK_SITE_URL``, else None.

    Raises ``ValueError`` for anything but an absolute http(s) URL."""
    import os

    url = (value or os.environ.get(SITE_URL_ENV) or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"the site URL must be an absolute http(s) address such as https://example.org/checks/, got {url!r}")
    return url.rstrip("/") + "/"


def claim_url(site_url: str, article_id: str, claim_id: str) -> str:
    """The absolute address of a claim's panel: ``<site>/<article>/index.html#claim-<id>``."""
    return f"{site_url.rstrip('/')}/{article_id}/index.html#{claim_anchor(claim_id)}"


def claim_reviews(article: Article, rows: list[dict[str, Any]], run_date: str, site_url: str) -> dict:
    """The JSON-LD document: ``{"@context", "@graph": [ClaimReview, ...]}``, one per row, by claim id,
    each addressed by its absolute URL under ``site_url``."""
    quotes = {c.id: c.quote for c in article.claims}
    meta = article.metadata  # the claim's author: the person, else the publication that printed it
    author = ({"@type": "Person", "name": meta.author} if meta.author
              else {"@type": "Organization", "name": meta.publication} if meta.publication else None)
    reviews = []
    for row in sorted(rows, key=lambda r: r["claim_id"]):
        claim_id = row["claim_id"]
        reviews.append({
            "@type": "ClaimReview",
            "@id": claim_url(site_url, article.id, claim_id),
            "url": claim_url(site_url, article.id, claim_id),
            "identifier": claim_id,
            "claimReviewed": quotes.get(claim_id, str(row.get("statement") or claim_id)),
            "itemReviewed": {
                "@type": "Claim",
                **({"author": author} if author else {}),
                "datePublished": article.metadata.date.isoformat(),
                "appearance": _appearance(article),
            },
            "reviewRating": rating(row),
            "datePublished": run_date,
            "author": ORGANIZATION,
        })
    return {"@context": CONTEXT, "@graph": reviews}


def write_claimreview(folder: Path, article: Article, rows: list[dict[str, Any]], run_date: str, site_url: str) -> Path:
    """Write ``claimreview.jsonld`` in ``folder`` (sorted keys, so a rerun gives the same bytes)."""
    path = Path(folder) / FILE_NAME
    document = claim_reviews(article, rows, run_date, site_url)
    files.write_text(path, json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def script_tag(document: dict[str, Any]) -> str:
    """The document as an inline ``<script type="application/ld+json">``; ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json">{text}</script>'
