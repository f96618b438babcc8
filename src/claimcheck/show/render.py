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
    "imprecise": "#fff0c2",
    "not-held": "#e8dcf4",
    "error": "#ff9d9d",
    "claim": "#fff3a8",
}


def chart_alt(number: int, statement: str) -> str:
    """A chart's text for readers who cannot see it, alike in the notebooks and on the site."""
    return f"Chart {number}: {statement}"


_TABLE_STYLE = ("<style>table.claimcheck td, table.claimcheck th "
                "{text-align: left !important; vertical-align: top !important}</style>")


def table_html(frame: pd.DataFrame) -> str:
    """A plain, escaped, left-aligned HTML table without the index."""
    cells = frame.to_dict(orient="split")["data"]
    if all(isinstance(cell, str) for row in cells for cell in row):  # text only: no number formats to apply
        return text_table_html(list(map(str, frame.columns)), cells)
    return _TABLE_STYLE + frame.to_html(index=False, escape=True, na_rep="", border=0, classes="claimcheck")


def text_table_html(columns: list[str], rows: list[list[str]]) -> str:
    """``table_html`` of a table of texts, written directly: the same HTML as pandas writes, in a
    twentieth of the time, which counts when a notebook shows two small tables for every claim."""
    def cells(tag: str, texts: list[str]) -> str:
        return "".join(f"      <{tag}>{escape(text, quote=False)}</{tag}>\n" for text in texts)

    body = "".join(f"    <tr>\n{cells('td', row)}    </tr>\n" for row in rows)
    return (f'{_TABLE_STYLE}<table class="dataframe claimcheck">\n  <thead>\n    <tr style="text-align: right;">\n'
            f"{cells('th', columns)}    </tr>\n  </thead>\n  <tbody>\n{body}  </tbody>\n</table>")


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

    ``verdicts`` maps claim id to verdict name: the colour, and the word written at the end of the
    quote (colour alone does not tell verdicts apart in print or for colour-blind readers); without
    it every claim is marked alike. The tooltip is the claim's statement. ``link`` is a format
    string for a claim's anchor, e.g. ``"#claim-{id}"``; the first mark of each claim gets the id
    ``text-<id>`` so a page can link back to it.
    """
    verdicts = verdicts or {}
    statements = {claim.id: claim.statement for claim in article.claims}
    spans = []
    for claim in article.claims:
        at = article.text.find(claim.quote)
        while at >= 0:
            spans.append((at, at + len(claim.quote), claim.id))
            at = article.text.find(claim.quote, at + 1)
    ends = {(e, cid) for _, e, cid in spans}
    html, anchored, at = [], set(), 0
    for piece, ids in _segments(article.text, spans):
        at += len(piece)
        body = escape(piece).replace("\n", "<br>\n")
        if not ids:
            html.append(body)
            continue
        claim_id = ids[-1]  # the innermost (latest-starting) claim decides the colour
        verdict = verdicts.get(claim_id, "claim")
        colour = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS["claim"])
        title = escape(" | ".join(statements.get(i, i) + (f" ({verdicts[i]})" if i in verdicts else "") for i in ids),
                       quote=True)
        words = "".join(f' <span class="verdict-word">{escape(verdicts[i])}</span>' for i in ids
                        if (at, i) in ends and i in verdicts)
        anchor = f' id="text-{escape(claim_id, quote=True)}"' if link and claim_id not in anchored else ""
        anchored.add(claim_id)
        mark = (f'<mark class="claim {escape(verdict, quote=True)}"{anchor} data-claims="{escape(" ".join(ids), quote=True)}" '
                f'title="{title}" style="background:{colour}">{body}{words}</mark>')
        if link:
            mark = f'<a href="{escape(link.format(id=claim_id), quote=True)}">{mark}</a>'
        html.append(mark)
    return '<div class="article-text" style="line-height:1.6">' + "".join(html) + "</div>"


def byline(article: Article) -> str:
    """The article's title, author, affiliation and date as escaped HTML."""
    meta = article.metadata
    by = f" by {escape(meta.author)} ({escape(meta.affiliation or 'affiliation not printed')})" if meta.author else ""
    where = f", {escape(meta.publication)}" if meta.publication and not meta.author else ""
    return f"<p><strong>{escape(str(meta.title))}</strong>{by}{where}, {meta.date:%d %B %Y}</p>"


def not_claims_list(article: Article) -> str:
    """Each ``not_claims`` entry with its reason, as an escaped HTML list."""
    items = "".join(f"<li>not a claim: “{escape(item.text)}”: {escape(item.reason)}</li>" for item in article.not_claims)
    return f"<ul>{items}</ul>" if items else ""


def broken_entries_note(broken: dict[str, str]) -> str:
    """The claims whose evidence names what does not exist, each with its reason (escaped HTML; "" if none):
    the check notebooks judge them ``error`` until the entry is corrected."""
    if not broken:
        return ""
    items = "".join(f"<li><code>{escape(claim_id)}</code>: {escape(reason)}</li>" for claim_id, reason in broken.items())
    count = f"{len(broken)} claim cannot be checked until its entry is corrected" if len(broken) == 1 else \
        f"{len(broken)} claims cannot be checked until their entries are corrected"
    return f"<p><strong>{count}</strong> (judged <code>error</code>):</p><ul>{items}</ul>"


def coverage_note(uncovered: list) -> str:
    """Whether every number of the text is accounted for; if not, which (escaped HTML)."""
    if not uncovered:
        return "<p>Every number is accounted for.</p>"
    found = ", ".join(f"<code>{escape(m.text)}</code> (line {m.line})" for m in uncovered)
    return f"<p><strong>Not accounted for:</strong> {found}</p>"
