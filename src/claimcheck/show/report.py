"""What the check notebooks display: a summary table, then each claim with its evidence and chart.

Every text that comes from data goes through ``html.escape`` or pandas' escaping.
"""

from __future__ import annotations

from html import escape

import pandas as pd
from IPython.display import HTML, Markdown, display

from claimcheck.show import charts
from claimcheck.judge.compare import display_value
from claimcheck.show.notebook import Context, save_chart
from claimcheck.show.render import VERDICT_COLOURS, table_html
from claimcheck.judge.verdicts import VERDICT_MEANINGS, Verdict, verdicts_frame


def badge(verdict: str) -> str:
    colour = VERDICT_COLOURS.get(verdict, "#ccc")
    return (f'<span style="background:{colour};padding:2px 8px;border-radius:4px;font-weight:bold" '
            f'title="{escape(VERDICT_MEANINGS.get(verdict, ""), quote=True)}">{escape(verdict)}</span>')


def _html_table(frame: pd.DataFrame) -> HTML:
    return HTML(table_html(frame))


def summary(verdicts: list[Verdict]) -> None:
    """Counts per verdict and one row per claim."""
    frame = verdicts_frame(verdicts)
    counts = frame["verdict"].value_counts()
    display(HTML(" ".join(f"{badge(name)} {counts[name]}" for name in VERDICT_MEANINGS if name in counts)))
    display(_html_table(frame[["claim_id", "verdict", "claimed", "reference", "source"]]))


def evidence_table(verdict: Verdict) -> pd.DataFrame:
    """Every evidence of every reading, the deciding one first among its peers."""
    rows = []
    for e in verdict.evidence:
        value = "" if e.value is None else display_value(e.value, e.unit)
        rows.append({
            "reading": e.reading or verdict.reading,
            "role": e.role,
            "evidence": e.label,
            "status": e.status,
            "value": value,
            "unit": e.unit or "",
            "how": e.description if e.ok else (e.reason or ""),
            "method": ", ".join(sorted({p.get("method", "") for p in e.provenance} - {""})),
            "where": e.source_ref,
        })
    return pd.DataFrame(rows, columns=["reading", "role", "evidence", "status", "value", "unit", "how", "method", "where"])


def show(ctx: Context, verdict: Verdict) -> None:
    """One claim: the quote, the verdict and its sentence, the rule, the evidence, a chart."""
    claim = ctx.article.claim(verdict.claim_id)
    display(Markdown(f"### `{claim.id}`"))
    display(HTML(f"<blockquote>“{escape(claim.quote)}”</blockquote>"
                 f"<p>{badge(verdict.verdict)} {escape(verdict.sentence)}</p>"))
    difference = ""
    if verdict.difference_abs is not None:
        difference = f"{verdict.difference_abs:,.6g}"
        if verdict.difference_rel is not None:
            difference += f" ({verdict.difference_rel:+.2%})"
    facts = {"claimed": verdict.claimed, "reference": verdict.reference, "reading": verdict.reading,
             "difference": difference, "rule": verdict.rule}
    display(_html_table(pd.DataFrame([{k: v for k, v in facts.items() if v}])))
    if verdict.evidence:
        display(_html_table(evidence_table(verdict)))
    _show_charts(ctx, verdict, claim)


def _series(ctx: Context, claim) -> list[str]:
    """Annual series behind a claim's dataset evidence, one chart per snapshot, periods marked."""
    by_snapshot: dict[tuple[str, str], list[pd.DataFrame]] = {}
    marks: dict[str, int] = {}
    for spec in claim.evidence:
        if spec.kind != "dataset" or spec.compute.op not in {"growth", "cagr", "sum", "yoy_change"}:
            continue
        try:
            rows = ctx.loader.rows(spec.source, spec.snapshot, spec.select)  # as judging selected them
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
    """A chart's title in words: the catalogue's title of the snapshot, not its id (looked up once a run)."""
    from claimcheck.reference.catalogue import entry

    if (source, snapshot) not in ctx.titles:
        try:
            ctx.titles[source, snapshot] = entry(source, snapshot).description or f"{source} {snapshot}"
        except Exception:  # an entry the catalogue lacks: the evidence table says why
            ctx.titles[source, snapshot] = f"{source} {snapshot}"
    return ctx.titles[source, snapshot]


def _show_charts(ctx: Context, verdict: Verdict, claim) -> None:
    images = [charts.rank_leaders(e) for e in verdict.evidence if e.ok and e.extra.get("top")]
    images += _series(ctx, claim)
    claimed = claim.claimed
    if claimed is not None and isinstance(claimed.value, (int, float)):
        images.append(charts.claim_against_references(verdict, float(claimed.value), claimed.unit))
    for number, image in enumerate(filter(None, images), start=1):
        save_chart(ctx, f"{claim.id}-{number}", image)  # the same image, for the site's claim panel
        display({"image/svg+xml": image}, raw=True)


def show_all(ctx: Context, verdicts: list[Verdict]) -> None:
    for verdict in verdicts:
        show(ctx, verdict)


def legend() -> None:
    """The verdict names with their meanings and colours."""
    display(HTML("<br>".join(f"{badge(name)} {escape(meaning)}" for name, meaning in VERDICT_MEANINGS.items())))


def sentences(verdicts: list[Verdict]) -> None:
    """Each claim's verdict sentence, in registry order."""
    display(HTML("".join(f"<p><code>{escape(v.claim_id)}</code> {badge(v.verdict)} {escape(v.sentence)}</p>"
                         for v in verdicts)))
