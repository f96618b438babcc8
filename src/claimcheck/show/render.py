"""HTML fragments shared by the notebooks and the site. Every text that comes from data is escaped."""

from __future__ import annotations

from html import escape

import pandas as pd

from claimcheck.registry.articles import Article

# Verdict colours, also used by the site's legend.
VERDICT_COLOURS = {
    "supported": "#c8ecc9",
    "contradicted": "#f7c1c1",
    "misleading": "#fbe0a6",
    "unverifiable": "#dcdcdc",
    "not-checkable": "#d7e3f4",
    "no-data-offline": "#e8dcf4",
    "error": "#ff9d9d",
    "claim": "#fff3a8",
}


_TABLE_STYLE = ("<style>table.claimcheck td, table.claimcheck th "
                "{text-align: left !important; vertical-align: top !important}</style>")


def table_html(frame: pd.DataFrame) -> str:
    """A plain, escaped, left-aligned HTML table without the index."""
    return _TABLE_STYLE + frame.to_html(index=False, escape=True, na_rep="", border=0, classes="claimcheck")


def _segments(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, list[str]]]:
    """Cut ``text`` at every span edge; each piece lists the ids of the spans covering it."""
    cuts = sorted({0, len(text), *[s for s, _, _ in spans], *[e for _, e, _ in spans]})
    return [
        (text[a:b], [cid for s, e, cid in spans if s <= a and b <= e])
        for a, b in zip(cuts, cuts[1:])
        if b > a
    ]


def highlight_article(article: Article, verdicts: dict[str, str] | None = None, link: str | None = None) -> str:
    """The article text as HTML with each claim's quote marked.

    ``verdicts`` maps claim id to verdict name (the colour); without it every claim is marked alike.
    ``link`` is a format string for a claim's anchor, e.g. ``"#claim-{id}"``.
    """
    verdicts = verdicts or {}
    spans = []
    for claim in article.claims:
        at = article.text.find(claim.quote)
        while at >= 0:
            spans.append((at, at + len(claim.quote), claim.id))
            at = article.text.find(claim.quote, at + 1)
    html = []
    for piece, ids in _segments(article.text, spans):
        body = escape(piece).replace("\n", "<br>\n")
        if not ids:
            html.append(body)
            continue
        claim_id = ids[-1]  # the innermost (latest-starting) claim decides the colour
        verdict = verdicts.get(claim_id, "claim")
        colour = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS["claim"])
        title = escape(", ".join(f"{i}: {verdicts.get(i, 'claim')}" for i in ids), quote=True)
        mark = f'<mark class="claim {escape(verdict, quote=True)}" data-claims="{escape(" ".join(ids), quote=True)}" title="{title}" style="background:{colour}">{body}</mark>'
        if link:
            mark = f'<a href="{escape(link.format(id=claim_id), quote=True)}">{mark}</a>'
        html.append(mark)
    return '<div class="article-text" style="line-height:1.6">' + "".join(html) + "</div>"


def byline(article: Article) -> str:
    """The article's title, author, affiliation and date as escaped HTML."""
    meta = article.metadata
    affiliation = meta.affiliation or "affiliation not printed"
    return (f"<p><strong>{escape(str(meta.title))}</strong> by {escape(str(meta.author))} "
            f"({escape(str(affiliation))}), {meta.date:%d %B %Y}</p>")


def not_claims_list(article: Article) -> str:
    """Each ``not_claims`` entry with its reason, as an escaped HTML list."""
    items = "".join(f"<li>not a claim: “{escape(item.text)}”: {escape(item.reason)}</li>" for item in article.not_claims)
    return f"<ul>{items}</ul>" if items else ""


def coverage_note(uncovered: list) -> str:
    """Whether every number of the text is accounted for; if not, which (escaped HTML)."""
    if not uncovered:
        return "<p>Every number is accounted for.</p>"
    found = ", ".join(f"<code>{escape(m.text)}</code> (line {m.line})" for m in uncovered)
    return f"<p><strong>Not accounted for:</strong> {found}</p>"
