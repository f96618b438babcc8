"""The rendered site: pages a reader opens from the file system, with no network and no Python.

``build_site(build_dir, article_ids)`` writes, beside each article's executed notebooks:

- ``<article>/index.html``, the article page: "What we found" (worst verdicts first), then the text
  with every claim marked in its verdict's colour and word; selecting a claim (a link to
  ``#claim-<id>``, shown by CSS ``:target``) opens its panel: the figures each source gives (under
  the stated reading and any other), its chart, the sentence, the sources by publisher and title
  with their provenance behind a details element, a link to its check notebook and back to the text;
- ``<article>/verdicts.html``, the verdict table (named after ``verdicts.csv``; ``scorecard.html`` is
  the rendered scorecard *notebook*): counts, the summary, one sortable row per claim with its
  reason, the legend, the changes since the previous run, the run's date and data versions;
- ``<article>/claimreview.jsonld`` (see ``claimcheck.publish.claimreview``);
- ``index.html`` over every article built so far.

The pages are jinja2 templates (``templates/``) with autoescaping on: every text from data is
escaped unless code marks it safe, which only the highlighted article text (escaped by
``render.highlight_article``) and the JSON-LD block (escaped by ``claimreview.script_tag``) are.
Links are written only for ``http(s)`` URLs and for files that exist. The only scripts are inline.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from markupsafe import Markup

from claimcheck import files
from claimcheck.publish import claimreview, history, labels, wording
from claimcheck.registry.articles import Article, load_article
from claimcheck.show.notebook import CHART_SUFFIX, CHARTS_DIR, SCORECARD  # where the check notebooks leave their charts
from claimcheck.show.render import VERDICT_COLOURS, bidi_closed, chart_alt, highlight_article, isolated
from claimcheck.reference.snapshots import stored_versions
from claimcheck.judge.verdicts import VERDICTS

ARTICLE_PAGE = "index.html"
VERDICTS_PAGE = "verdicts.html"
RUN_FILE = "run.json"  # written by the runner into each article folder: run id, date, mode, data versions, changes
NO_VERDICT = "claim"  # render.VERDICT_COLOURS' key for a claim without a verdict yet

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


@lru_cache(maxsize=1)
def templates():
    """The page templates, autoescaping everything they insert."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      finalize=_closed)  # every text inserted, attributes too: its direction controls closed
    env.filters["bdi"] = lambda text: Markup(isolated(text))  # a text from data, isolated from its neighbours
    env.globals["label"], env.globals["meaning"] = labels.label, labels.meaning
    env.globals["colour"] = lambda verdict: VERDICT_COLOURS.get(verdict or NO_VERDICT, VERDICT_COLOURS[NO_VERDICT])
    return env


def _closed(value: Any) -> Any:
    return bidi_closed(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def render(template: str, **context: Any) -> str:
    return templates().get_template(template).render(scripts=[], **context)


def _write(path: Path, text: str) -> Path:
    """Write through a temporary file and rename, so a reader never sees half a page (and a planted
    link is replaced, never written through)."""
    return files.write_text(path, text)


def read_rows(folder: Path) -> list[dict[str, Any]]:
    """The verdict rows of a built article folder (``verdicts.json``), sorted by claim id; [] if none."""
    path = Path(folder) / "verdicts.json"
    if not path.is_file():
        return []
    return sorted(json.loads(path.read_text(encoding="utf-8")), key=lambda row: row["claim_id"])


def read_run(folder: Path) -> dict[str, Any]:
    """The run facts the runner left in ``run.json`` ({} when the folder was not built by ``claimcheck run``)."""
    path = Path(folder) / RUN_FILE
    if not path.is_file() or path.is_symlink():  # a link could point anywhere: not the runner's
        return {}
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}  # a damaged file: the run reads it as no previous run and writes a new one
    return facts if isinstance(facts, dict) else {}


def counts(article: Article, rows: list[dict[str, Any]]) -> Counter:
    """Claims per verdict; claims without a row count as ``no verdict``."""
    tally = Counter(str(row.get("verdict") or "") for row in rows)
    missing = len({c.id for c in article.claims} - {row["claim_id"] for row in rows})
    if missing:
        tally[""] += missing
    return tally


def _ordered_counts(tally: Counter) -> list[tuple[str, int]]:
    order = [*VERDICTS, *sorted(set(tally) - set(VERDICTS))]
    return [(v, tally[v]) for v in order if tally.get(v)]


def _legend() -> list[tuple[str, str, str]]:
    shown = dict.fromkeys(labels.label(name) for name in VERDICTS)  # two names may share a label
    return [(name, labels.meaning(name)) for name in VERDICTS if shown.pop(labels.label(name), 0) is None]


def _changes(run: dict[str, Any]) -> dict[str, Any] | None:
    if not run.get("previous_run"):
        return None
    items = [{"claim_id": c.claim_id, "anchor": claimreview.claim_anchor(c.claim_id),
              "text": c.describe().split(": ", 1)[1]}
             for c in (history.Change(**c) for c in run.get("changes", []))]
    return {"previous": run["previous_run"], "items": items}


def _nav(folder: Path, here: str) -> list[tuple[str, str]]:
    links = [("../index.html", "All articles"), (ARTICLE_PAGE, "Article"), (VERDICTS_PAGE, "Verdict table")]
    links += [(name, name) for name in ("verdicts.csv", "verdicts.json", "claimreview.jsonld") if (folder / name).exists()]
    return [(href, text) for href, text in links if href != here]


def _notebook(folder: Path, notebook: str) -> dict[str, str] | None:
    readers, full = folder / f"{notebook}.html", folder / f"{notebook}.code.html"
    if not readers.exists():
        return None
    return {"name": notebook, "page": readers.name, "code": full.name if full.exists() else ""}


def _family_notebook(claim, folder: Path) -> dict[str, str] | None:
    family = getattr(claim, "family", None) or "other"
    return next(filter(None, (_notebook(folder, nb) for nb in (family, "scorecard"))), None)


def _drawn(folder: Path) -> list[Path]:
    """Every image the check notebooks drew for an article, listed once for all its claims."""
    return sorted((folder / CHARTS_DIR).glob(f"*/*{CHART_SUFFIX}"))


def _charts(folder: Path, claim, drawn: list[Path]) -> list[dict[str, str]]:
    """The images of ``drawn`` for the claim (``charts/<notebook>/<claim-id>-<n>.svg``), in order."""
    def number(path: Path) -> int:
        tail = path.stem[len(claim.id) + 1:]
        return int(tail) if tail.isdigit() else 0

    found = [p for p in drawn if p.name.startswith(f"{claim.id}-") and number(p)]
    found.sort(key=lambda p: (p.parent.name == SCORECARD, number(p)))
    return [{"src": p.relative_to(folder).as_posix(), "alt": chart_alt(i, claim.statement)}
            for i, p in enumerate(found, start=1)]


def _claim_rows(article: Article, rows: list[dict[str, Any]]):
    """Each verdict row with its claim and verdict name; rows of claims no longer registered are left out."""
    claims = {c.id: c for c in article.claims}
    for row in rows:
        claim = claims.get(row["claim_id"])
        if claim is not None:
            yield row, claim, str(row.get("verdict") or "")


def _summary(article: Article, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"What we found": one line per claim, worst verdicts first."""
    lines = []
    for row, claim, verdict in _claim_rows(article, rows):
        lines.append({"verdict": verdict, "anchor": claimreview.claim_anchor(claim.id), "statement": claim.statement,
                      "sentence": _first_sentence(wording.reader_sentence(row, claim)),
                      "order": wording.severity(verdict), "claim_id": claim.id})
    return sorted(lines, key=lambda line: (line["order"], line["claim_id"]))


def _first_sentence(text: str, limit: int = 130) -> str:
    """``text`` shortened by whole sentences to about ``limit`` characters: never cut inside a word or a
    sentence (the first sentence is kept whole however long it is)."""
    kept = ""
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        if kept and len(kept) + 1 + len(sentence) > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-Z“\"'(])")


def _panel(claim, row: dict[str, Any] | None, folder: Path, drawn: list[Path]) -> dict[str, Any]:
    row = row or {}
    return {
        "claim_id": claim.id,
        "anchor": claimreview.claim_anchor(claim.id),
        "verdict": str(row.get("verdict") or ""),
        "statement": claim.statement,
        "quote": claim.quote,
        "sentence": wording.reader_sentence(row, claim) if row else "Not judged in this build.",
        "claimed": wording.reader_claimed(claim) or str(row.get("claimed") or ""),  # "at least 50%", not ">= 50%"
        "stated_claim": wording.reader_claimed(claim) or wording.claimed_text(row, claim),
        "reference": wording.found_text(row, claim),
        "stated_reading": str(getattr(claim, "reading", None) or "as stated"),
        "figures": wording.figures(row, claim),
        "difference": wording.difference_text(row, claim),
        "readings": str(row.get("readings") or ""),
        "parts": [p for p in row.get("parts") or [] if isinstance(p, dict)],
        "context": wording.context_lines(row, claim),
        "rule": str(row.get("rule") or ""),
        "technical": "" if str(row.get("sentence") or "") == wording.reader_sentence(row, claim) else str(row.get("sentence") or ""),
        "sources": wording.sources(row),
        "charts": _charts(folder, claim, drawn),
        "notebook": _family_notebook(claim, folder),
    }


def _original(article: Article) -> str | None:
    return wording.safe_url(article.metadata.url)


def _run_date(run: dict[str, Any]) -> str:
    return str(run.get("finished") or run.get("started") or "")


def article_page(article: Article, rows: list[dict[str, Any]], folder: Path, run: dict[str, Any],
                 claimreview_document: dict | None = None) -> str:
    """The summary, the article text highlighted by verdict, and a panel per claim shown when selected."""
    by_id = {row["claim_id"]: row for row in rows}
    verdicts = {cid: str(row.get("verdict") or NO_VERDICT) for cid, row in by_id.items()}
    notebooks = [n for nb in sorted(p.stem for p in folder.glob("*.ipynb")) if (n := _notebook(folder, nb))]
    drawn = _drawn(folder)
    page = templates().get_template("article.html.j2").render(
        title=article.metadata.title, meta=article.metadata, original=_original(article),
        nav=_nav(folder, ARTICLE_PAGE), tally=_ordered_counts(counts(article, rows)), changes=_changes(run),
        found=_summary(article, rows),
        text=Markup(highlight_article(article, verdicts=verdicts, link="#claim-{id}")),  # escaped
        panels=[_panel(claim, by_id.get(claim.id), folder, drawn) for claim in article.claims],
        notebooks=notebooks, run=run, scripts=[SELECT_SCRIPT],
        claimreview_tag=Markup(claimreview.script_tag(claimreview_document)) if claimreview_document else "",
    )
    return page


def verdicts_page(article: Article, rows: list[dict[str, Any]], folder: Path, run: dict[str, Any]) -> str:
    """The summary, one sortable row per claim (worst first) with its reason, the legend, data versions."""
    table = []
    for row, claim, verdict in _claim_rows(article, rows):
        table.append({
            "anchor": claimreview.claim_anchor(claim.id), "statement": claim.statement, "verdict": verdict,
            "order": wording.severity(verdict), "claim_id": claim.id,
            "claimed": wording.reader_claimed(claim) or str(row.get("claimed") or ""), "claimed_sort": _sortable(row.get("claimed_value"), row.get("claimed")),
            "reference": wording.found_text(row, claim),
            "reference_sort": _sortable(row.get("reference_value"), row.get("reference")),
            "sentence": wording.reader_sentence(row, claim), "sources": wording.sources(row),
        })
    table.sort(key=lambda r: (r["order"], r["claim_id"]))
    snapshots = run.get("snapshots") if run else None
    snapshots = snapshots if snapshots is not None else stored_versions()
    return templates().get_template("verdicts.html.j2").render(
        title=f"Verdicts: {article.metadata.title}", meta=article.metadata, original=_original(article),
        nav=_nav(folder, VERDICTS_PAGE), tally=_ordered_counts(counts(article, rows)), changes=_changes(run),
        found=_summary(article, rows), rows=table, legend=_legend(), run=run,
        snapshots=sorted(snapshots.items()), scripts=[SORT_SCRIPT],
    )


def _sortable(value: Any, text: Any) -> str:
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return str(text or value or "")


def index_page(entries: list[tuple[Article, list[dict[str, Any]], dict[str, Any]]], build_dir: Path | None = None) -> str:
    """Every built article: title, author, date, verdict counts and links."""
    items = [{"id": article.id, "meta": article.metadata, "tally": _ordered_counts(counts(article, rows)),
              "finished": str(run.get("finished") or ""),
              "claimreview": build_dir is not None and (Path(build_dir) / article.id / claimreview.FILE_NAME).exists()}
             for article, rows, run in entries]
    return templates().get_template("index.html.j2").render(
        title="claimcheck: checked articles", entries=items, legend=_legend(), scripts=[SORT_SCRIPT])


# ---------------------------------------------------------------------------------------- building


def build_article(folder: Path, article: Article, site_url: str | None = None) -> list[Path]:
    """Write the article page, the verdict table and, with the site's public address, ClaimReview."""
    folder = Path(folder)
    rows, run = read_rows(folder), read_run(folder)
    written, document = [], None
    if site_url:
        document = claimreview.claim_reviews(article, rows, _run_date(run), site_url)
        written.append(claimreview.write_claimreview(folder, article, rows, _run_date(run), site_url))
    else:  # search engines need absolute URLs: none rather than wrong ones (nor one copied from a past run)
        (folder / claimreview.FILE_NAME).unlink(missing_ok=True)
    written.append(_write(folder / ARTICLE_PAGE, article_page(article, rows, folder, run, document)))
    written.append(_write(folder / VERDICTS_PAGE, verdicts_page(article, rows, folder, run)))
    return written


def write_index(build_dir: Path, articles: Mapping[str, Article] | None = None) -> Path:
    """``index.html`` over every article folder of ``build_dir`` that has an article page
    (``articles``: those already loaded, by id)."""
    from claimcheck.registry.articles import ArticleError, list_articles

    entries = []
    for article_id in list_articles():
        folder = Path(build_dir) / article_id
        if not (folder / ARTICLE_PAGE).is_file():
            continue
        try:
            article = (articles or {}).get(article_id) or load_article(article_id)
            entries.append((article, read_rows(folder), read_run(folder)))
        except ArticleError:
            continue
    Path(build_dir).mkdir(parents=True, exist_ok=True)
    return _write(Path(build_dir) / "index.html", index_page(entries, build_dir))


def build_site(build_dir: Path, article_ids: Iterable[str], site_url: str | None = None,
               articles: Mapping[str, Article] | None = None) -> list[Path]:
    """The site pages of ``article_ids`` under ``build_dir`` and the top ``index.html``; the paths written.

    ``site_url`` is the public address the site is served from; ClaimReview is written only with it.
    ``articles``: the articles already loaded, by id (the others are loaded here)."""
    build_dir = Path(build_dir)
    written = []
    for article_id in article_ids:
        folder = build_dir / article_id
        folder.mkdir(parents=True, exist_ok=True)
        written += build_article(folder, (articles or {}).get(article_id) or load_article(article_id), site_url)
    written.append(write_index(build_dir, articles))
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
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        pages += [Path(folder) / f for f in sorted(names) if f.endswith(".html")]
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
