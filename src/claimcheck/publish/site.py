"""The rendered site: pages a reader opens from the file system, with no network and no Python.

``build_site(build_dir, article_ids)`` writes, beside each article's executed notebooks:

- ``<article>/index.html``, the article page: the text with every claim highlighted in its verdict's
  colour; selecting a claim (a link to ``#claim-<id>``, shown by CSS ``:target``) opens its panel
  with the claimed value, the reference, the sentence, the sources and a link to its check notebook;
- ``<article>/verdicts.html``, the verdict table (named after ``verdicts.csv``; ``scorecard.html`` is
  the rendered scorecard *notebook*): counts per verdict, a legend, one sortable row per claim, the
  claims changed since the previous run, and the run's date and data versions;
- ``<article>/claimreview.jsonld`` (see ``claimcheck.publish.claimreview``);
- ``index.html`` over every article built so far.

Every text that comes from data passes through ``html.escape``; links are written only for
``http(s)`` URLs and for files that exist. The only scripts are small inline ones.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from claimcheck.publish import claimreview
from claimcheck.publish import history
from claimcheck.registry.articles import Article, load_article
from claimcheck.show.render import VERDICT_COLOURS, highlight_article
from claimcheck.reference.snapshots import stored_versions
from claimcheck.judge.verdicts import VERDICT_MEANINGS, VERDICTS

ARTICLE_PAGE = "index.html"
VERDICTS_PAGE = "verdicts.html"
RUN_FILE = "run.json"  # written by the runner into each article folder: run id, date, mode, data versions, changes
NO_VERDICT = "claim"  # render.VERDICT_COLOURS' key for a claim without a verdict yet

STYLE = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
nav a{margin-right:1rem}
h1{margin:.3rem 0}
.byline{color:#555;margin:.2rem 0 1rem}
.counts span,.badge{display:inline-block;padding:.1rem .5rem;margin:.1rem .2rem .1rem 0;border-radius:.3rem;font-size:.9em;border:1px solid #0002}
.layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5rem;align-items:start}
@media (max-width:50rem){.layout{grid-template-columns:1fr}}
.article-text{background:#fff;padding:1rem 1.2rem;border:1px solid #ddd;border-radius:.4rem}
.article-text a{color:inherit;text-decoration:none}
mark.claim{padding:0 .1rem;border-radius:.2rem;cursor:pointer}
mark.claim.active{outline:2px solid #333}
aside{position:sticky;top:.5rem;max-height:96vh;overflow:auto}
.claim-detail{display:none;background:#fff;border:1px solid #ccc;border-radius:.4rem;padding:.6rem 1rem;margin-bottom:1rem}
.claim-detail:target{display:block}
.hint{color:#666;font-style:italic}
blockquote{margin:.4rem 0;padding-left:.7rem;border-left:3px solid #ccc;color:#333}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.5rem 0}
dt{font-weight:600;color:#444}
dd{margin:0}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1rem}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.93em}
th{background:#f0f0f0}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}
table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
code{font-size:.85em;word-break:break-all}
.changes{background:#fffbe6;border:1px solid #e8d98a;border-radius:.4rem;padding:.4rem 1rem;margin:1rem 0}
footer{color:#555;font-size:.9em;padding-bottom:2rem}
"""

SORT_SCRIPT = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, column) {
    th.addEventListener('click', function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      function key(row) { var cell = row.cells[column]; return cell.getAttribute('data-sort') || cell.textContent.trim(); }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b), nx = Number(x), ny = Number(y);
        var order = (x !== '' && y !== '' && !isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""

SELECT_SCRIPT = """
function claimcheckSelect() {
  var id = decodeURIComponent(location.hash.replace(/^#claim-/, ''));
  document.querySelectorAll('mark.claim').forEach(function (mark) {
    var ids = (mark.getAttribute('data-claims') || '').split(' ');
    mark.classList.toggle('active', location.hash.indexOf('#claim-') === 0 && ids.indexOf(id) >= 0);
  });
}
window.addEventListener('hashchange', claimcheckSelect);
claimcheckSelect();
"""


# ------------------------------------------------------------------------------------------ helpers


def _e(value: Any) -> str:
    """Escaped text ('' for None)."""
    return escape("" if value is None else str(value), quote=True)


def _safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None (no ``javascript:`` or ``data:`` links)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _link(url: Any, text: Any) -> str:
    safe = _safe_url(url)
    return f'<a href="{_e(safe)}" rel="noopener noreferrer">{_e(text)}</a>' if safe else _e(text)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def verdict_badge(verdict: str) -> str:
    colour = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS[NO_VERDICT])
    label = verdict or "no verdict"
    return f'<span class="badge" style="background:{colour}">{_e(label)}</span>'


def _page(title: str, body: str, scripts: Iterable[str] = (), head: str = "") -> str:
    inline = "".join(f"<script>{s}</script>" for s in scripts)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n{head}</head>\n<body>\n{body}\n{inline}\n</body>\n</html>\n"
    )


def _write(path: Path, text: str) -> Path:
    """Write through a temporary file and rename, so a reader never sees half a page."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path


def read_rows(folder: Path) -> list[dict[str, Any]]:
    """The verdict rows of a built article folder (``verdicts.json``), sorted by claim id; [] if none."""
    path = Path(folder) / "verdicts.json"
    if not path.is_file():
        return []
    return sorted(json.loads(path.read_text(encoding="utf-8")), key=lambda row: row["claim_id"])


def read_run(folder: Path) -> dict[str, Any]:
    """The run facts the runner left in ``run.json`` ({} when the folder was not built by ``claimcheck run``)."""
    path = Path(folder) / RUN_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def counts(article: Article, rows: list[dict[str, Any]]) -> Counter:
    """Claims per verdict; claims without a row count as ``no verdict``."""
    tally = Counter(str(row.get("verdict") or "") for row in rows)
    missing = len({c.id for c in article.claims} - {row["claim_id"] for row in rows})
    if missing:
        tally[""] += missing
    return tally


def _counts_html(tally: Counter) -> str:
    order = [*VERDICTS, *sorted(set(tally) - set(VERDICTS))]
    items = [f'<span style="background:{VERDICT_COLOURS.get(v, VERDICT_COLOURS[NO_VERDICT])}">'
             f'{_e(v or "no verdict")}: {tally[v]}</span>' for v in order if tally.get(v)]
    return '<p class="counts">' + ("".join(items) or "no claims") + "</p>"


def _legend_html() -> str:
    rows = "".join(
        f"<tr><td>{verdict_badge(name)}</td><td>{_e(claimreview.verdict_label(name))}</td>"
        f"<td>{_e(VERDICT_MEANINGS[name])}</td></tr>"
        for name in VERDICTS
    )
    return f'<table class="legend"><thead><tr><th>verdict</th><th>label</th><th>meaning</th></tr></thead><tbody>{rows}</tbody></table>'


def _changes_html(run: dict[str, Any], page_for_claims: str) -> str:
    previous = run.get("previous_run")
    if not previous:
        return ""
    changes = [history.Change(**c) for c in run.get("changes", [])]
    head = f'<h2 id="changes">Changed since the last run</h2><p>Compared with run {_e(previous)}.</p>'
    if not changes:
        return f'<section class="changes">{head}<p>No verdict or reference value changed.</p></section>'
    items = "".join(
        f'<li><a href="{_e(page_for_claims)}#{_e(claimreview.claim_anchor(c.claim_id))}">{_e(c.claim_id)}</a>: '
        f"{_e(c.describe().split(': ', 1)[1])}</li>"
        for c in changes
    )
    return f'<section class="changes">{head}<ul>{items}</ul></section>'


def _byline(article: Article) -> str:
    meta = article.metadata
    parts = [f"by {_e(meta.author)}"]
    if meta.affiliation:
        parts.append(_e(meta.affiliation))
    parts.append(_e(meta.date.isoformat()))
    if meta.publication or meta.url:
        parts.append(_link(meta.url, meta.publication or meta.url))
    return '<p class="byline">' + ", ".join(parts) + "</p>"


def _nav(folder: Path, here: str) -> str:
    links = [('../index.html', "All articles"), (ARTICLE_PAGE, "Article"), (VERDICTS_PAGE, "Verdict table")]
    links += [(name, name) for name in ("verdicts.csv", "verdicts.json", "claimreview.jsonld") if (folder / name).exists()]
    return "<nav>" + "".join(f'<a href="{_e(href)}">{_e(text)}</a>' for href, text in links if href != here) + "</nav>"


# ------------------------------------------------------------------------------------------ sources


def sources_of(row: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """(label, url or None, details) of every source a verdict row names, deduplicated, in order.

    Reads the rich fields the verdict engine may add (``sources``: provenance dicts; ``evidence``:
    results with their ``provenance``), then the flat ``source`` cell, which is always shown.
    """
    found: list[tuple[str, str | None, str]] = []
    seen: set[tuple] = set()

    def add(label: str, provenance: dict[str, Any]) -> None:
        url = _safe_url(provenance.get("url"))
        where = provenance.get("snapshot") or ""
        key = (url, where, provenance.get("document") or provenance.get("id"))
        if key in seen:
            return
        seen.add(key)
        name = label or provenance.get("publisher") or provenance.get("title") or provenance.get("dataset") \
            or provenance.get("source") or url or where or "source"
        details = [str(provenance[k]) for k in ("publisher", "published", "dataset", "method") if provenance.get(k)]
        if where:
            details.append(f"snapshot {where}")
        if provenance.get("sha256"):
            details.append(f"sha256 {str(provenance['sha256'])[:12]}")
        date = provenance.get("retrieved_at") or provenance.get("transcribed_at")
        if date:
            details.append(f"as of {date}")
        found.append((str(name), url, ", ".join(details)))

    for evidence in row.get("evidence") or []:
        if isinstance(evidence, dict):
            for provenance in evidence.get("provenance") or []:
                if isinstance(provenance, dict):
                    add(str(evidence.get("label") or ""), provenance)
    for provenance in row.get("sources") or []:
        if isinstance(provenance, dict):
            add("", provenance)
    decided_by = str(row.get("decided_by") or "").strip()
    for i, (label, url, details) in enumerate(found):
        if decided_by and label == decided_by:  # the deciding evidence goes first, marked
            found.insert(0, (label, url, "decided the verdict; " + details if details else "decided the verdict"))
            del found[i + 1]
            return found
    cell = str(row.get("source") or "").strip()
    if cell:
        url = next((_safe_url(w.strip("[]()<>,;")) for w in cell.split() if _safe_url(w.strip("[]()<>,;"))), None)
        found.insert(0, (cell, url, "decided the verdict"))
    return found


def _sources_html(row: dict[str, Any]) -> str:
    items = []
    for label, url, details in sources_of(row):
        text = _link(url, label) if url else _e(label)
        if url and url not in label:
            text += f" <code>{_e(url)}</code>"
        items.append(f"<li>{text}{' (' + _e(details) + ')' if details else ''}</li>")
    return "<ul>" + "".join(items) + "</ul>" if items else "<p>none recorded</p>"


# --------------------------------------------------------------------------------------- the pages


def _notebook_links(folder: Path, notebook: str) -> str:
    readers, full = folder / f"{notebook}.html", folder / f"{notebook}.code.html"
    if not readers.exists():
        return ""
    link = f'<a href="{_e(readers.name)}">{_e(notebook)} notebook</a>'
    if full.exists():
        link += f' (<a href="{_e(full.name)}">with code</a>)'
    return link


def _family_notebook(claim, folder: Path) -> str:
    family = getattr(claim, "family", None) or "other"
    for notebook in (family, "scorecard"):
        links = _notebook_links(folder, notebook)
        if links:
            return links
    return ""


def _difference(row: dict[str, Any]) -> str:
    parts = []
    if row.get("difference_abs") not in (None, ""):
        parts.append(f"{row['difference_abs']} (absolute)")
    if row.get("difference_rel") not in (None, ""):
        try:
            parts.append(f"{float(row['difference_rel']) * 100:+.2f}% (relative)")
        except (TypeError, ValueError):
            parts.append(f"{row['difference_rel']} (relative)")
    return "; ".join(parts)


def _parts_html(row: dict[str, Any]) -> str:
    """A compound claim's parts, each with its own verdict and sentence."""
    items = [f"<li>{verdict_badge(str(part.get('verdict') or ''))} {_e(part.get('statement'))}: {_e(part.get('sentence'))}</li>"
             for part in row.get("parts") or []]
    return "<ul>" + "".join(items) + "</ul>" if items else ""


def _context_html(row: dict[str, Any]) -> str:
    """Context evidence: shown beside the verdict, never deciding it."""
    items = [f"<li>{_e(e.get('label'))}: {_e(e.get('description') or e.get('reason') or e.get('status'))}</li>"
             for e in row.get("evidence") or [] if e.get("role") == "context"]
    return "<ul>" + "".join(items) + "</ul>" if items else ""


def _detail_html(claim, row: dict[str, Any] | None, folder: Path) -> str:
    row = row or {}
    verdict = str(row.get("verdict") or "")
    fields = [
        ("Verdict", verdict_badge(verdict) + (" " + _e(VERDICT_MEANINGS.get(verdict, "")) if verdict else " not judged in this build")),
        ("Statement", _e(claim.statement)),
        ("Reading", _e(row.get("reading"))),
        ("Claimed", _e(row.get("claimed"))),
        ("Reference", _e(row.get("reference"))),
        ("Difference", _e(_difference(row))),
        ("Rule", _e(row.get("rule"))),
        ("Why", _e(row.get("sentence"))),
        ("Reason", _e(row.get("reason"))),
        ("Parts", _parts_html(row)),
        ("Context", _context_html(row)),
    ]
    rows_html = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in fields if value)
    notebook = _family_notebook(claim, folder)
    return (
        f'<section class="claim-detail" id="{_e(claimreview.claim_anchor(claim.id))}">'
        f"<h3>{_e(claim.id)}</h3><blockquote>{_e(claim.quote)}</blockquote>"
        f"<dl>{rows_html}</dl><h4>Sources</h4>{_sources_html(row)}"
        + (f"<p>Check: {notebook}</p>" if notebook else "")
        + "</section>"
    )


def _run_footer(run: dict[str, Any]) -> str:
    if not run:
        return "<p>Built outside <code>claimcheck run</code>: no run date recorded.</p>"
    return (f"<p>Run {_e(run.get('run'))}, finished {_e(run.get('finished') or run.get('started'))}, "
            f"mode <code>{_e(run.get('mode'))}</code>.</p>")


def _versions_html(snapshots: dict[str, dict[str, Any]]) -> str:
    if not snapshots:
        return "<p>No reference snapshots recorded.</p>"
    rows = "".join(
        f"<tr><td>{_e(name)}</td><td>{_e(v.get('method'))}</td><td>{_e(v.get('date'))}</td>"
        f"<td><code>{_e(v.get('sha256') or v.get('problem') or '')}</code></td></tr>"
        for name, v in sorted(snapshots.items())
    )
    return ("<table><thead><tr><th>snapshot</th><th>method</th><th>date</th><th>sha256</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def article_page(article: Article, rows: list[dict[str, Any]], folder: Path, run: dict[str, Any]) -> str:
    """The article text, highlighted by verdict, with a panel per claim shown when selected."""
    by_id = {row["claim_id"]: row for row in rows}
    verdicts = {cid: str(row.get("verdict") or NO_VERDICT) for cid, row in by_id.items()}
    text = highlight_article(article, verdicts=verdicts, link="#claim-{id}")
    details = "".join(_detail_html(claim, by_id.get(claim.id), folder) for claim in article.claims)
    notebooks = [link for nb in sorted(p.stem for p in folder.glob("*.ipynb")) if (link := _notebook_links(folder, nb))]
    document = claimreview.claim_reviews(article, rows, str(run.get("finished") or run.get("started") or ""))
    body = (
        f"<header>{_nav(folder, ARTICLE_PAGE)}<h1>{_e(article.metadata.title)}</h1>{_byline(article)}"
        f"{_counts_html(counts(article, rows))}</header>\n<main>"
        f"{_changes_html(run, ARTICLE_PAGE)}"
        f'<div class="layout"><div id="text">{text}</div>'
        f'<aside><p class="hint">Select a highlighted passage to see its claim, the reference and the sources. '
        f'All claims side by side: <a href="{VERDICTS_PAGE}">the verdict table</a>.</p>{details}</aside></div>'
        + (f"<h2>Check notebooks</h2><ul>{''.join(f'<li>{n}</li>' for n in notebooks)}</ul>" if notebooks else "")
        + f"</main>\n<footer>{_run_footer(run)}</footer>"
    )
    return _page(article.metadata.title, body, [SELECT_SCRIPT], head=claimreview.script_tag(document) + "\n")


def verdicts_page(article: Article, rows: list[dict[str, Any]], folder: Path, run: dict[str, Any]) -> str:
    """One sortable row per claim, the legend, counts at the top, run date and data versions at the bottom."""
    claims = {c.id: c for c in article.claims}
    order = {name: i for i, name in enumerate(VERDICTS)}
    body_rows = []
    for row in rows:
        claim = claims.get(row["claim_id"])
        quote = claim.quote if claim else ""
        verdict = str(row.get("verdict") or "")
        anchor = f"{ARTICLE_PAGE}#{claimreview.claim_anchor(row['claim_id'])}"
        body_rows.append(
            f'<tr><td><a href="{_e(anchor)}">{_e(row["claim_id"])}</a></td>'
            f'<td title="{_e(quote)}">{_e(_short(quote))}</td>'
            f'<td data-sort="{order.get(verdict, len(order))}">{verdict_badge(verdict)}</td>'
            f'<td data-sort="{_e(_sortable(row.get("claimed_value"), row.get("claimed")))}">{_e(row.get("claimed"))}</td>'
            f'<td data-sort="{_e(_sortable(row.get("reference_value"), row.get("reference")))}">{_e(row.get("reference"))}</td>'
            f"<td>{_e(row.get('source'))}</td></tr>"
        )
    table = (
        '<table class="sortable" id="verdicts"><thead><tr><th>claim</th><th>quote</th><th>verdict</th>'
        "<th>claimed</th><th>reference</th><th>source</th></tr></thead>"
        f"<tbody>{''.join(body_rows)}</tbody></table>"
        if rows else "<p>No verdicts in this build yet.</p>"
    )
    snapshots = run.get("snapshots") if run else None
    body = (
        f"<header>{_nav(folder, VERDICTS_PAGE)}<h1>Verdicts: {_e(article.metadata.title)}</h1>{_byline(article)}"
        f"{_counts_html(counts(article, rows))}</header>\n<main>"
        f"{_changes_html(run, ARTICLE_PAGE)}"
        f"<p>Click a column heading to sort; click a claim to see it in the article.</p>{table}"
        f"<h2>Legend</h2>{_legend_html()}</main>\n"
        f"<footer>{_run_footer(run)}<h2>Data versions</h2>"
        f"{_versions_html(snapshots if snapshots is not None else stored_versions())}</footer>"
    )
    return _page(f"Verdicts: {article.metadata.title}", body, [SORT_SCRIPT])


def _sortable(value: Any, text: Any) -> str:
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return str(text or value or "")


def index_page(entries: list[tuple[Article, list[dict[str, Any]], dict[str, Any]]]) -> str:
    """Every built article: title, author, date, verdict counts and links."""
    rows = []
    for article, verdict_rows, run in entries:
        meta = article.metadata
        base = f"{article.id}/"
        rows.append(
            f'<tr><td><a href="{_e(base + ARTICLE_PAGE)}">{_e(meta.title)}</a></td><td>{_e(meta.author)}</td>'
            f"<td>{_e(meta.date.isoformat())}</td><td>{_counts_html(counts(article, verdict_rows))}</td>"
            f'<td><a href="{_e(base + VERDICTS_PAGE)}">verdict table</a> · '
            f'<a href="{_e(base + "claimreview.jsonld")}">ClaimReview</a></td>'
            f"<td>{_e(run.get('finished') or '')}</td></tr>"
        )
    table = ('<table class="sortable"><thead><tr><th>article</th><th>author</th><th>date</th><th>verdicts</th>'
             f"<th>pages</th><th>checked</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
             if rows else "<p>No article has been built yet: run <code>claimcheck run --all</code>.</p>")
    body = (f"<header><h1>claimcheck: checked articles</h1></header>\n<main>{table}"
            f"<h2>Legend</h2>{_legend_html()}</main>")
    return _page("claimcheck: checked articles", body, [SORT_SCRIPT])


# ---------------------------------------------------------------------------------------- building


def build_article(folder: Path, article: Article) -> list[Path]:
    """Write the article page, the verdict table and ClaimReview into an article's built folder."""
    folder = Path(folder)
    rows, run = read_rows(folder), read_run(folder)
    written = [claimreview.write_claimreview(folder, article, rows, str(run.get("finished") or run.get("started") or ""))]
    written.append(_write(folder / ARTICLE_PAGE, article_page(article, rows, folder, run)))
    written.append(_write(folder / VERDICTS_PAGE, verdicts_page(article, rows, folder, run)))
    return written


def write_index(build_dir: Path) -> Path:
    """``index.html`` over every article folder of ``build_dir`` that has an article page."""
    from claimcheck.registry.articles import ArticleError, list_articles

    entries = []
    for article_id in list_articles():
        folder = Path(build_dir) / article_id
        if not (folder / ARTICLE_PAGE).is_file():
            continue
        try:
            entries.append((load_article(article_id), read_rows(folder), read_run(folder)))
        except ArticleError:
            continue
    Path(build_dir).mkdir(parents=True, exist_ok=True)
    return _write(Path(build_dir) / "index.html", index_page(entries))


def build_site(build_dir: Path, article_ids: Iterable[str]) -> list[Path]:
    """The site pages of ``article_ids`` under ``build_dir`` and the top ``index.html``; the paths written."""
    build_dir = Path(build_dir)
    written = []
    for article_id in article_ids:
        folder = build_dir / article_id
        folder.mkdir(parents=True, exist_ok=True)
        written += build_article(folder, load_article(article_id))
    written.append(write_index(build_dir))
    return written


# ------------------------------------------------------------------------------------------- checks

EXTERNAL_RESOURCE = re.compile(
    r"""<script[^>]*\ssrc\s*=\s*["']?(?:https?:)?//"""
    r"""|<link[^>]*\shref\s*=\s*["']?(?:https?:)?//"""
    r"""|<(?:img|iframe|embed|source|audio|video)[^>]*\ssrc\s*=\s*["']?(?:https?:)?//"""
    r"""|@import\s+(?:url\()?\s*["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//"""
    r"""|import\(\s*["'](?:https?:)?//""",
    re.IGNORECASE,
)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, value))


def site_pages(root: Path) -> list[Path]:
    """Every ``.html`` page a reader can reach under ``root`` (through the article links, not ``.runs``)."""
    pages = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        pages += [Path(folder) / f for f in sorted(files) if f.endswith(".html")]
    return pages


def check_site(root: Path) -> list[str]:
    """Problems of the pages under ``root``, one plain line each: a resource loaded from another host
    (the pages must work offline), a link with another scheme (``javascript:``), or a relative link
    whose target file does not exist. Anchors are not checked; ``data:`` images are inline."""
    problems = []
    for page in site_pages(Path(root)):
        text = page.read_text(encoding="utf-8", errors="replace")
        for match in EXTERNAL_RESOURCE.finditer(text):
            problems.append(f"{page}: loads from the network: {match.group(0)[:80]!r}")
        collector = _LinkCollector()
        collector.feed(text)
        for tag, link in collector.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto") or parts.netloc:
                if tag != "a":
                    problems.append(f"{page}: <{tag}> loads from another host: {link}")
                continue
            if parts.scheme == "data" and tag != "a":  # inline content (a notebook's chart): no network
                continue
            if parts.scheme:
                problems.append(f"{page}: <{tag}> link with scheme {parts.scheme!r}: {link[:60]}")
                continue
            if not parts.path:  # an anchor on the same page
                continue
            target = os.path.normpath(os.path.join(page.parent, parts.path))
            if not os.path.exists(target):
                problems.append(f"{page}: <{tag}> link to a missing file: {link}")
    return problems
