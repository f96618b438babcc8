"""HTML fragments shared by the notebooks and the site. Every text that comes from data is escaped,
and its direction controls are closed where it ends (``bidi_closed``): an unterminated U+202E in a
statement must not reverse the sentence after it."""

from __future__ import annotations

import re
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


# Unicode's explicit direction controls: embeddings and overrides (closed by PDF, U+202C), isolates
# (closed by PDI, U+2069)
_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
            "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_closed(text: str) -> str:
    """``text`` with every direction control it opens closed at its end, and every closer that
    would close something outside it dropped: whatever it holds, it cannot reorder what follows."""
    if not _CONTROLS.search(text):
        return text
    out, open_ = [], []
    for char in text:
        if char in _OPENERS:
            open_.append(_OPENERS[char])
        elif char == "\u202c":  # closes the last embedding, unless an isolate was opened after it
            if not open_ or open_[-1] != char:
                continue
            open_.pop()
        elif char == "\u2069":  # closes the last isolate and every embedding opened inside it
            if char not in open_:
                continue
            while open_.pop() != char:
                pass
        out.append(char)
    return "".join(out) + "".join(reversed(open_))


def isolated(text: object) -> str:
    """A text from data as inline HTML: escaped, its direction controls closed, inside ``<bdi>``
    (isolated from the text around it both ways)."""
    return f"<bdi>{escape(bidi_closed(str(text)), quote=False)}</bdi>"


# JupyterLab typesets `$...$` as a formula in Markdown and HTML outputs alike ("US$9.2 tn ... US$1.8 tn"):
# MathJax skips an element of these classes (MathJax 3, and 2's name), and a Markdown `\$` is a dollar
NO_MATH_CLASSES = "mathjax_ignore tex2jax_ignore"


def html(*fragments: str):
    """An HTML output for a notebook: the fragments in one block that JupyterLab does not typeset as maths."""
    from IPython.display import HTML

    return HTML(f'<div class="{NO_MATH_CLASSES}">' + "".join(fragments) + "</div>")


def markdown(text: str):
    """A Markdown output for a notebook, every ``$`` escaped so that JupyterLab shows it as a dollar sign."""
    from IPython.display import Markdown

    return Markdown(escape_dollars(text))


def escape_dollars(text: str) -> str:
    return re.sub(r"(?<!\\)\$", r"\\$", text)


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
        return "".join(f"      <{tag}>{escape(bidi_closed(text), quote=False)}</{tag}>\n" for text in texts)

    body = "".join(f"    <tr>\n{cells('td', row)}    </tr>\n" for row in rows)
    return (f'{_TABLE_STYLE}<table class="dataframe claimcheck">\n  <thead>\n    <tr style="text-align: right;">\n'
            f"{cells('th', columns)}    </tr>\n  </thead>\n  <tbody>\n{body}  </tbody>\n</table>")


# What one page of a notebook shows at most: a 5 MB article made a claims notebook of 95 MB.
TEXT_SHOWN = 200_000  # characters of an article's highlighted text
ROWS_SHOWN = 500  # rows of a table of drafts, numbers in a coverage note


def _segments(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, list[str]]]:
    """Cut ``text`` at every span edge; each piece lists the ids of the spans covering it (in the
    order of ``spans``). One sweep over the edges, keeping the spans open at each."""
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for index, (s, e, _) in enumerate(spans):
        if e > s:
            opening.setdefault(s, []).append(index)
            closing.setdefault(e, []).append(index)
    cuts = sorted({0, len(text), *[s for s, _, _ in spans], *[e for _, e, _ in spans]})
    pieces, open_now = [], set()
    for a, b in zip(cuts, cuts[1:]):
        open_now.difference_update(closing.get(a, ()))
        open_now.update(opening.get(a, ()))
        if b > a:
            pieces.append((text[a:b], [spans[i][2] for i in sorted(open_now)]))
    return pieces


def shown_note(shown: int, total: int, what: str, where: str) -> str:
    """``<p>`` saying only the first ``shown`` of ``total`` are on the page ("" when all are)."""
    if total <= shown:
        return ""
    return f"<p><em>The first {shown:,} of {total:,} {escape(what)} are shown; {escape(where)}.</em></p>"


def highlight_article(article: Article, verdicts: dict[str, str] | None = None, link: str | None = None,
                      word=None, limit: int | None = None) -> str:
    """The article text as HTML with each claim's quote marked.

    ``verdicts`` maps claim id to verdict name: the colour, and the word written at the end of the
    quote (colour alone does not tell verdicts apart in print or for colour-blind readers); without
    it every claim is marked alike. The tooltip is the claim's statement. ``link`` is a format
    string for a claim's anchor, e.g. ``"#claim-{id}"``; ``word`` gives the word a reader sees for a verdict; the first mark of each claim gets the id
    ``text-<id>`` so a page can link back to it. ``limit``: at most that many characters, with a
    note saying so.
    """
    from claimcheck.publish.labels import label

    verdicts, word = verdicts or {}, word or label  # a reader's word ("Not checked yet"), in every notebook too
    statements = {claim.id: claim.statement for claim in article.claims}
    text = article.text if limit is None else article.text[:limit]
    spans = []
    for claim in article.claims:
        at = text.find(claim.quote)
        while at >= 0:
            spans.append((at, at + len(claim.quote), claim.id))
            at = text.find(claim.quote, at + 1)
    ends = {(e, cid) for _, e, cid in spans}
    html, anchored, at = [], set(), 0
    for piece, ids in _segments(text, spans):
        at += len(piece)
        body = escape(bidi_closed(piece)).replace("\n", "<br>\n")
        if not ids:
            html.append(body)
            continue
        claim_id = ids[-1]  # the innermost (latest-starting) claim decides the colour
        verdict = verdicts.get(claim_id, "claim")
        colour = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS["claim"])
        title = escape(bidi_closed(" | ".join(statements.get(i, i) + (f" ({word(verdicts[i])})" if i in verdicts else "") for i in ids)),
                       quote=True)
        words = "".join(f' <span class="verdict-word">{escape(word(verdicts[i]))}</span>' for i in ids
                        if (at, i) in ends and i in verdicts)
        anchor = f' id="text-{escape(claim_id, quote=True)}"' if link and claim_id not in anchored else ""
        anchored.add(claim_id)
        mark = (f'<mark class="claim {escape(verdict, quote=True)}"{anchor} data-claims="{escape(" ".join(ids), quote=True)}" '
                f'title="{title}" style="background:{colour}">{body}{words}</mark>')
        if link:
            mark = f'<a href="{escape(link.format(id=claim_id), quote=True)}">{mark}</a>'
        html.append(mark)
    note = shown_note(len(text), len(article.text), "characters of the article",
                      "the whole text is data/articles/<article>/article.txt")
    return '<div class="article-text" style="line-height:1.6">' + "".join(html) + "</div>" + note


def byline(article: Article) -> str:
    """The article's title, author, affiliation and date as escaped HTML."""
    meta = article.metadata
    by = f" by {isolated(meta.author)} ({isolated(meta.affiliation or 'affiliation not printed')})" if meta.author else ""
    where = f", {isolated(meta.publication)}" if meta.publication and not meta.author else ""
    return f"<p><strong>{isolated(meta.title)}</strong>{by}{where}, {meta.date:%d %B %Y}</p>"


def not_claims_list(article: Article) -> str:
    """Each ``not_claims`` entry with its reason, as an escaped HTML list."""
    items = "".join(f"<li>not a claim: “{isolated(item.text)}”: {isolated(item.reason)}</li>" for item in article.not_claims)
    return f"<ul>{items}</ul>" if items else ""


def broken_entries_note(broken: dict[str, str]) -> str:
    """The claims whose evidence names what does not exist, each with its reason (escaped HTML; "" if none):
    the check notebooks judge them ``error`` until the entry is corrected."""
    if not broken:
        return ""
    items = "".join(f"<li><code>{escape(claim_id)}</code>: {isolated(reason)}</li>" for claim_id, reason in broken.items())
    count = f"{len(broken)} claim cannot be checked until its entry is corrected" if len(broken) == 1 else \
        f"{len(broken)} claims cannot be checked until their entries are corrected"
    return f"<p><strong>{count}</strong> (judged <code>error</code>):</p><ul>{items}</ul>"


def coverage_note(uncovered: list) -> str:
    """Whether every number of the text is accounted for; if not, which (escaped HTML)."""
    if not uncovered:
        return "<p>Every number is accounted for.</p>"
    found = ", ".join(f"<code>{isolated(m.text)}</code> (line {m.line})" for m in uncovered[:ROWS_SHOWN])
    more = shown_note(ROWS_SHOWN, len(uncovered), "numbers", "`claimcheck coverage --article <id>` lists them all")
    return f"<p><strong>Not accounted for:</strong> {found}</p>{more}"
