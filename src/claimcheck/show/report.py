"""What the check notebooks display: a summary table, then each claim with its evidence and chart.

Every text that comes from data goes through ``html.escape`` or pandas' escaping.
"""

from __future__ import annotations

import base64
import re
from collections import Counter
from html import escape

import pandas as pd
from IPython.display import display

from claimcheck.show import charts
from claimcheck.judge.compare import display_value
from claimcheck.show.notebook import Context, save_chart
from claimcheck.show.render import VERDICT_COLOURS, bidi_closed, chart_alt, html, isolated, text_table_html
from claimcheck.judge.verdicts import VERDICTS, Verdict
from claimcheck.publish import labels, wording


def badge(verdict: str) -> str:
    """The verdict's reader label in its colour; its name (as in verdicts.csv) and meaning on hover."""
    colour = VERDICT_COLOURS.get(verdict, "#ccc")
    return (f'<span style="background:{colour};padding:2px 8px;border-radius:4px;font-weight:bold" '
            f'data-verdict="{escape(verdict, quote=True)}" '
            f'title="{escape(f"{verdict}: {labels.meaning(verdict)}", quote=True)}">{escape(labels.label(verdict))}</span>')


SUMMARY_COLUMNS = ["Claim", "Verdict", "Claimed", "Found", "Decided by"]


def summary_rows(verdicts: list[Verdict], ctx: Context | None = None) -> list[list[str]]:
    """One row per claim in words: its id, the verdict's label, the claimed figure in words, the figure
    found at the claim's precision plus one digit, and the source that decided (``ctx``: the claims)."""
    rows = []
    for v in verdicts:
        claim = _claim(ctx, v.claim_id)
        row = v.as_dict()
        claimed = (wording.reader_claimed(claim) if claim else "") or v.claimed
        found = wording.found_text(row, claim) if claim else v.reference
        rows.append([v.claim_id, labels.label(v.verdict), claimed, found, v.decided_by])
    return rows


def _claim(ctx: Context | None, claim_id: str):
    try:
        return ctx.article.claim(claim_id) if ctx is not None else None
    except Exception:  # a verdict of a claim the article no longer has: its row's own texts
        return None


def summary(verdicts: list[Verdict], ctx: Context | None = None) -> None:
    """Counts per verdict and one row per claim."""
    counts = Counter(v.verdict for v in verdicts)
    display(html("<p>" + " ".join(f"{badge(name)} {counts[name]}" for name in VERDICTS if name in counts) + "</p>"
                 + _scrolling(text_table_html(SUMMARY_COLUMNS, summary_rows(verdicts, ctx)))))


def _scrolling(table: str) -> str:
    """A wide table scrolls inside its own box, so the page never scrolls sideways on a phone."""
    return f'<div style="overflow-x:auto;max-width:100%">{table}</div>'


EVIDENCE_COLUMNS = ["Source", "Figure", "Under the reading", "Used", "Data"]
_USED = {"decisive": "to decide", "context": "as context only"}
_METHODS = {"transcribed": "copied from the source", "api": "fetched from the source's API"}


def plain_reason(reason: str) -> str:
    """Why an evidence gave no figure, in words: the explanation a registry gives after " — ", else the
    message without its exception name (``SnapshotMissing: ...``) and without the command to type."""
    text = reason.split(" — ", 1)[1] if " — " in reason else reason
    text = re.sub(r"^[A-Z][A-Za-z]+(?:Error|Missing|Invalid)?: ", "", text)
    return re.sub(r";? ?fetch it with `[^`]*`", "", text).strip()


def evidence_rows(verdict: Verdict, claim=None) -> list[list[str]]:
    """Every evidence of every reading in words, as texts in ``EVIDENCE_COLUMNS`` order: the source, its
    figure (or why there is none) at the ``claim``'s precision plus one digit, the reading, whether it
    decided the verdict, how the data were taken."""
    rows = []
    for e in verdict.evidence:
        if e.ok:
            figure = "" if e.value is None else wording.reader_figure(e.value, e.unit, claim)
            figure = figure or "records it"
        else:
            figure = plain_reason(e.reason or "") or "no figure"
        used = "decided the verdict" if e.label == verdict.decided_by and e.ok else _USED.get(e.role, e.role)
        methods = sorted({p.get("method", "") for p in e.provenance} - {""})
        rows.append([e.label, figure, e.reading or verdict.reading or "as stated", used,
                     ", ".join(_METHODS.get(m, m) for m in methods)])
    return [["" if cell is None else str(cell) for cell in row] for row in rows]


def technical_rows(verdict: Verdict) -> list[list[str]]:
    """What the plain table leaves out: how each figure was computed, the file it was read from, the message."""
    return [[e.label, e.description if e.ok else (e.reason or ""), e.source_ref] for e in verdict.evidence]


def evidence_table(verdict: Verdict, claim=None) -> pd.DataFrame:
    """``evidence_rows`` as a table, for exploring a verdict in JupyterLab."""
    return pd.DataFrame(evidence_rows(verdict, claim), columns=EVIDENCE_COLUMNS)


def claim_html(ctx: Context, verdict: Verdict) -> str:
    """One claim as one HTML block: its id, the quote, the verdict and its sentence, the rule, the
    evidence and its charts. One block, displayed once, because every output a kernel sends costs
    about a millisecond in the batch, and a claim used to send seven."""
    claim = ctx.article.claim(verdict.claim_id)
    row = verdict.as_dict()
    facts = {"Claimed": wording.reader_claimed(claim) or verdict.claimed, "Found": wording.found_text(row, claim),
             "Under the reading": verdict.reading, "Difference": wording.difference_text(row, claim)}
    facts = {name: str(value) for name, value in facts.items() if value}
    parts = [f'<h3 id="claim-{escape(claim.id, quote=True)}"><code>{escape(claim.id)}</code></h3>',
             f"<blockquote>“{isolated(claim.quote)}”</blockquote>",
             f"<p>{badge(verdict.verdict)} {isolated(wording.reader_sentence(row, claim))}</p>"]
    if facts:
        parts.append(_scrolling(text_table_html(list(facts), [list(facts.values())])))
    if verdict.evidence:
        parts.append(_scrolling(text_table_html(EVIDENCE_COLUMNS, evidence_rows(verdict, claim))))
    checked = [f"<p>{escape(text)}</p>" for text in (verdict.sentence, f"Rule: {verdict.rule}" if verdict.rule else "")
               if text]
    if verdict.evidence:
        checked.append(_scrolling(text_table_html(["Source", "Computation or message", "File"], technical_rows(verdict))))
    parts.append("<details><summary>How we checked</summary>" + "".join(checked) + "</details>")
    parts += _charts(ctx, verdict, claim)
    return "\n".join(parts)


def show(ctx: Context, verdict: Verdict) -> None:
    """One claim: the quote, the verdict and its sentence, the rule, the evidence, its charts."""
    display(html(claim_html(ctx, verdict)))


def _series(ctx: Context, claim) -> list[str]:
    """Annual series behind a claim's dataset evidence, one chart per snapshot, periods marked."""
    by_snapshot: dict[tuple[str, str], list[pd.DataFrame]] = {}
    marks: dict[str, int] = {}
    for spec in claim.evidence:
        if spec.kind != "dataset" or spec.compute.op not in {"growth", "cagr", "sum", "yoy_change"}:
            continue
        try:
            rows = ctx.loader.rows(spec.source, spec.snapshot, spec.select, named=True)  # the rows judging selected
        except Exception:  # the evidence table already says why (no snapshot, a column it lacks): no chart
            continue
        periods = {str(period) for period in rows["period"].tolist()}
        if len(periods) > 5 and all(len(p) == 4 and p.isdigit() for p in periods):
            by_snapshot.setdefault((spec.source, spec.snapshot), []).append(rows)
            for name in ("base_period", "period"):
                text = getattr(spec.compute, name)
                if text and text.isdigit():
                    marks[text] = int(text)
    charts_ = []
    for (source, snapshot), parts in by_snapshot.items():
        rows = parts[0] if len(parts) == 1 else pd.concat(parts)
        rows = rows[~rows.index.duplicated()]  # rows two evidences both select, drawn once
        charts_.append(charts.annual_series(rows, _snapshot_title(ctx, source, snapshot), marks))
    return charts_


def _snapshot_title(ctx: Context, source: str, snapshot: str) -> str:
    """A chart's title in words: the catalogue's title of the snapshot, not its id (the loader reads
    each entry once a run)."""
    found = ctx.loader.entry(source, snapshot)  # None: an entry the catalogue lacks, as the evidence table says
    return getattr(found, "description", "") or f"{source} {snapshot}"


def _charts(ctx: Context, verdict: Verdict, claim) -> list[str]:
    """The claim's charts as images: SVG in a ``data:`` URL, which JupyterLab shows even in a
    notebook it does not trust (it strips inline ``<svg>`` and hides ``image/svg+xml`` there)."""
    images = [charts.rank_leaders(e) for e in verdict.evidence if e.ok and e.extra.get("top")]
    images += _series(ctx, claim)
    claimed = claim.claimed
    if claimed is not None and isinstance(claimed.value, (int, float)):
        images.append(charts.claim_against_references(verdict, float(claimed.value), claimed.unit))
    tags = []
    for number, image in enumerate(filter(None, images), start=1):
        save_chart(ctx, f"{claim.id}-{number}", image)  # the same image, for the site's claim panel
        source = "data:image/svg+xml;base64," + base64.b64encode(image.encode("utf-8")).decode("ascii")
        tags.append(f'<img class="chart" style="max-width:100%;height:auto" src="{source}" '
                    f'alt="{escape(bidi_closed(chart_alt(number, claim.statement)), quote=True)}">')
    return tags


def show_all(ctx: Context, verdicts: list[Verdict]) -> None:
    for verdict in verdicts:
        show(ctx, verdict)


def legend() -> None:
    """The verdicts' labels with their meanings and colours."""
    display(html("<br>".join(f"{badge(name)} {escape(labels.meaning(name))}" for name in VERDICTS)))


def sentences(verdicts: list[Verdict], ctx: Context | None = None) -> None:
    """Each claim's verdict sentence, in registry order, as a reader reads it when ``ctx`` gives the claims."""
    def sentence(v: Verdict) -> str:
        claim = _claim(ctx, v.claim_id)
        return wording.reader_sentence(v.as_dict(), claim) if claim else v.sentence

    display(html("".join(f"<p><code>{escape(v.claim_id)}</code> {badge(v.verdict)} {isolated(sentence(v))}</p>"
                         for v in verdicts)))
