"""Charts a reader would rather look at than read: the claim against its reference values."""

from __future__ import annotations

from io import BytesIO

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter, NullFormatter, NullLocator

from claimcheck.show.render import VERDICT_COLOURS

_SCALES = [(1e12, "tn"), (1e9, "bn"), (1e6, "m")]


def _literal(text: str) -> str:
    """Data text as matplotlib should draw it: two "$" in a label ("$9.2 tn + $1.8 tn") would
    otherwise start mathtext, garbling the label and building mathtext's parser (0.2 s)."""
    return text.replace("$", r"\$")


def _shortened(label: str, limit: int = 60) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _margins(fig, labels: list[str], title: str = "") -> None:
    """Fixed margins sized from the label and title lengths, instead of ``tight_layout``, which
    measures every tick label by drawing the figure once more (0.1-0.2 s a figure, most of a
    chart's cost). Long labels or a long title widen the figure rather than squeeze the plot."""
    per_char = 0.075  # inches a character takes at 10 pt, a little more than measured
    width, height = fig.get_size_inches()
    left, right = 0.3 + per_char * max((len(label) for label in labels), default=0), 0.2
    width = max(width, left / 0.55, left + right + per_char * len(title))  # the title is centred on the plot
    fig.set_size_inches(width, height)
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=min(0.4, 0.55 / height),
                        top=1 - min(0.4, 0.35 / height))


def _scale(values: list[float]) -> tuple[float, str]:
    biggest = max((abs(v) for v in values), default=0)
    for factor, word in _SCALES:
        if biggest >= factor:
            return factor, word
    return 1.0, ""


def _points(verdict, unit: str | None) -> list[tuple[str, float]]:
    return [(f"{e.label} ({e.reading})" if e.reading else e.label, float(e.value))
            for e in verdict.evidence
            if e.ok and isinstance(e.value, (int, float)) and e.unit == unit and not e.extra.get("top")]


def _title(verdict) -> str:
    return _shortened(getattr(verdict, "statement", "") or verdict.claim_id, 90)  # words, not the id


def claim_against_references(verdict, claimed_value: float | None, unit: str | None):
    """Bars: the claimed value and every numeric reference of the same unit.

    None when there are fewer than two references: one figure beside the claim reads better as text.
    """
    points = _points(verdict, unit)
    if claimed_value is None or len(points) < 2:
        return None
    factor, word = _scale([claimed_value, *[v for _, v in points]])
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * (len(points) + 1)))
    labels = ["claimed"] + [label for label, _ in points]
    values = [claimed_value / factor] + [v / factor for _, v in points]
    colours = [VERDICT_COLOURS["claim"]] + [VERDICT_COLOURS.get(verdict.verdict, "#888")] * len(points)
    ax.barh(range(len(values)), values, color=colours, edgecolor="#555")
    ax.axvline(claimed_value / factor, color="#b58900", linestyle="--", linewidth=1)
    shown = [_shortened(label) for label in labels]
    ax.set_yticks(range(len(values)), [_literal(label) for label in shown])
    ax.invert_yaxis()
    ax.set_xlabel(f"{unit} {word}".strip())
    title = _title(verdict)
    ax.set_title(_literal(title), fontsize=10)
    _margins(fig, shown, title)
    return fig


def rank_leaders(evidence):
    """Bars of the leading entities of a ``rank`` evidence, the ranked entity highlighted."""
    top = evidence.extra.get("top") or []
    if not top:
        return None
    factor, word = _scale([value for *_, value in top])
    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.4 * len(top)))
    names = [_literal(name) for _, name, _ in top]
    colours = ["#d95f02" if code == evidence.extra.get("entity") else "#9ecae1" for code, _, _ in top]
    ax.barh(names, [value / factor for *_, value in top], color=colours)
    ax.invert_yaxis()
    ax.set_xlabel(f"{evidence.extra.get('unit') or ''} {word}".strip())  # the ranked values' unit
    ax.set_title(_literal(evidence.label), fontsize=10)
    _margins(fig, [str(name) for _, name, _ in top], str(evidence.label))
    return fig


def annual_series(frame: pd.DataFrame, title: str, marks: dict[str, int] | None = None):
    """Lines of yearly totals (exports + imports) per reporter with marked years; log scale over a decade or more."""
    yearly = frame.assign(year=frame["period"].astype(int)).groupby(["entity_name", "year"])["value"].sum()
    factor, word = _scale(list(yearly.values))
    fig, ax = plt.subplots(figsize=(8, 3.6))
    for reporter, series in yearly.groupby(level=0):
        series = series.droplevel(0)
        series = series.reindex(range(series.index.min(), series.index.max() + 1))  # gaps stay gaps
        ax.plot(series.index, series.values / factor, marker=".", label=_literal(f"reported by {reporter}"))
    for label, year in (marks or {}).items():
        ax.axvline(year, color="#999", linestyle=":", linewidth=1)
        ax.annotate(label, (year, ax.get_ylim()[1]), fontsize=8, rotation=90, va="top", ha="right")
    positive = yearly[yearly > 0] / factor
    if len(positive) and positive.max() >= 10 * positive.min():  # a log scale needs a decade or more
        ax.set_yscale("log")
        # decade labels as plain numbers ("0.1", "10"), not the default 10^n, whose mathtext parser
        # costs 0.2 s to build, the slowest step of drawing this chart
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_minor_locator(NullLocator())  # unlabelled minor ticks cost a tick object each
        ax.set_ylabel(f"USD {word}, log scale".strip())
    else:
        ax.set_ylabel(f"USD {word}".strip())
    ax.set_title(_literal(title), fontsize=10)
    ax.legend(fontsize=8)
    _margins(fig, ["0000000.0"], title)  # tick labels are short numbers; room for the axis label beside them
    return fig


# --------------------------------------------------------------------- each distinct chart drawn once

_DRAWN: dict[tuple, bytes | None] = {}  # PNGs drawn in this kernel, by everything the chart shows
_KEEP = 256


def _drawn_once(key: tuple, make) -> bytes | None:
    """The PNG of ``make()`` (None for no chart), drawn once for each distinct ``key``: claims
    that show the same chart (the same series and marks, the same references and title) share
    one drawing, which costs far more than anything else a claim adds to a notebook."""
    if key not in _DRAWN:
        if len(_DRAWN) >= _KEEP:
            _DRAWN.pop(next(iter(_DRAWN)))
        figure = make()
        _DRAWN[key] = None if figure is None else png(figure)
    return _DRAWN[key]


def claim_against_references_png(verdict, claimed_value: float | None, unit: str | None) -> bytes | None:
    key = ("bars", _title(verdict), tuple(_points(verdict, unit)), claimed_value, unit, verdict.verdict)
    return _drawn_once(key, lambda: claim_against_references(verdict, claimed_value, unit))


def rank_leaders_png(evidence) -> bytes | None:
    key = ("rank", str(evidence.label), tuple(tuple(row) for row in evidence.extra.get("top") or []),
           evidence.extra.get("entity"), evidence.extra.get("unit"))
    return _drawn_once(key, lambda: rank_leaders(evidence))


def annual_series_png(frame: pd.DataFrame, title: str, marks: dict[str, int] | None = None) -> bytes | None:
    rows = tuple(frame[["entity_name", "period", "value"]].astype(str).itertuples(index=False, name=None))
    key = ("series", title, tuple(sorted((marks or {}).items())), rows)
    return _drawn_once(key, lambda: annual_series(frame, title, marks))


def png(figure) -> bytes:
    """The figure as PNG bytes, closed afterwards (the same image in JupyterLab, papermill and HTML)."""
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return buffer.getvalue()
