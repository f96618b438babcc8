"""Charts a reader would rather look at than read: the claim against its reference values.

Each chart is a small SVG document written here from a few rectangles, lines and texts, with its
ticks chosen by matplotlib's locators. Drawing them with matplotlib cost 0.09-0.25 s a chart, so a
notebook with ten times the claims took several times as long; an SVG written directly costs about
a millisecond, so the charts of ten times the claims add little to the kernel's start. SVG also
stays sharp at any size, and its text is text.

Laid out for a phone first: the drawing is ``WIDTH`` units wide, shown at up to 1.5 times that
(the notebook, a desktop claim panel) and down to the width of a phone's claim panel, with no text
under 12 units, so labels stay legible (11 px or more) at 390 px. Labels sit above their bars and
titles wrap, so a long label takes another line instead of squeezing the plot. Every chart has a
title saying what it shows and its unit, and bar values are written as the verdict tables write them.
"""

from __future__ import annotations

import math
import textwrap
from html import escape

import pandas as pd
from matplotlib.ticker import LogLocator, MaxNLocator

from claimcheck.judge.compare import display_value
from claimcheck.show.render import VERDICT_COLOURS

WIDTH = 320  # user units of every chart's width; its height follows from what it holds
SHOWN = 1.5  # the width it asks for, in CSS px per unit (a page may shrink it: max-width 100%)
PAD = 10
SMALL, TITLE = 12, 14  # font sizes: every text but titles, and titles
CHAR = 0.6  # a character's width in em: a little more than a sans-serif font's average, so text fits
FONT = "system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
LINES = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
CLAIMED_LINE = "#b58900"
_SCALES = [(1e12, "tn"), (1e9, "bn"), (1e6, "m")]


# ------------------------------------------------------------------------------------ SVG pieces

def _width(text: str, size: float = SMALL) -> float:
    """An upper estimate of the width ``text`` takes at font ``size``."""
    return len(text) * size * CHAR


def _wrap(text: str, room: float, size: float = SMALL, lines: int = 3) -> list[str]:
    """``text`` in lines that fit ``room`` at font ``size``, at most ``lines`` of them (the last cut with "…")."""
    wrapped = textwrap.wrap(text, max(8, int(room / (size * CHAR)))) or [""]
    if len(wrapped) > lines:
        last = wrapped[lines - 1]
        wrapped = wrapped[: lines - 1] + [last[: max(1, len(last) - 1)].rstrip() + "…"]
    return wrapped


def _text(x: float, y: float, text: str, size: float = SMALL, anchor: str = "start", bold: bool = False,
          fill: str = "#222", rotate: bool = False) -> str:
    """One line of text, its baseline at ``y`` (escaped: labels come from data)."""
    extra = (' font-weight="bold"' if bold else "") + (f' text-anchor="{anchor}"' if anchor != "start" else "")
    if rotate:
        extra += f' transform="rotate(-90 {x:.1f} {y:.1f})"'
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}"{extra}>{escape(text)}</text>'


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str = "#ccc", dash: str = "", width: float = 1) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" '
            f'stroke-width="{width}"{dashed}/>')


def _document(height: float, title: str, parts: list[str]) -> str:
    """The SVG document; ``title`` is also its accessible name."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'width="{WIDTH * SHOWN:.0f}" height="{height * SHOWN:.0f}" role="img" font-family="{FONT}">'
            f'<title>{escape(title)}</title><rect width="{WIDTH}" height="{height:.0f}" fill="#fff"/>'
            + "".join(parts) + "</svg>")


def _heading(title: str, note: str, y: float) -> tuple[list[str], float]:
    """The title (bold, wrapped) and a grey note under it (the unit); the parts and the y below them."""
    parts = []
    for line in _wrap(title, WIDTH - 2 * PAD, TITLE, lines=4):
        y += TITLE * 1.25
        parts.append(_text(PAD, y, line, TITLE, bold=True))
    for line in _wrap(note, WIDTH - 2 * PAD, lines=2):
        y += SMALL * 1.3
        parts.append(_text(PAD, y, line, fill="#555"))
    return parts, y


def _scale(values: list[float]) -> tuple[float, str]:
    biggest = max((abs(v) for v in values if math.isfinite(v)), default=0)
    for factor, word in _SCALES:
        if biggest >= factor:
            return factor, word
    return 1.0, ""


def _tick(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:,.0f}"


# ------------------------------------------------------------------------------------- bar charts

def _bars(title: str, note: str, rows: list[tuple[str, float, str]], unit: str | None, marker: float | None = None) -> str:
    """Horizontal bars, one per ``(label, value, colour)``, each label above its bar and its value
    (as the tables write it) after it; ticks below in the ``note``'s scale; a dashed line at ``marker``."""
    factor, _ = _scale([value for _, value, _ in rows])
    values = [value / factor for _, value, _ in rows]
    texts = [display_value(value, unit) for _, value, _ in rows]
    ticks = list(MaxNLocator(nbins=4).tick_values(min(0.0, *values), max(0.0, *values)))
    low, high = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1
    left = PAD + max([_width(t) + 4 for t, v in zip(texts, values) if v < 0] or [0])
    right = WIDTH - PAD - max([_width(t) + 4 for t, v in zip(texts, values) if v >= 0] or [0])
    right = max(right, left + WIDTH / 3)

    def x(value: float) -> float:
        return left + (value - low) / (high - low) * (right - left)

    parts, y = _heading(title, note, PAD)
    top = y + 6
    y = top
    bar = 16
    for (label, _, colour), value, text in zip(rows, values, texts):
        for line in _wrap(label, WIDTH - 2 * PAD, lines=2):
            y += SMALL * 1.25
            parts.append(_text(PAD, y, line))
        y += 4
        start, end = sorted((x(0.0), x(value)))
        parts.append(f'<rect x="{start:.1f}" y="{y:.1f}" width="{max(end - start, 0.5):.1f}" height="{bar}" '
                     f'fill="{colour}" stroke="#555" stroke-width="0.6"/>')
        if value >= 0:
            parts.append(_text(end + 4, y + bar - 4, text, bold=True))
        else:
            parts.append(_text(start - 4, y + bar - 4, text, anchor="end", bold=True))
        y += bar + 4
    bottom = y + 2
    grid = [_line(x(t), top, x(t), bottom, "#e3e3e3") for t in ticks]
    grid.append(_line(x(0.0), top, x(0.0), bottom, "#888"))
    if marker is not None:
        grid.append(_line(x(marker / factor), top, x(marker / factor), bottom, CLAIMED_LINE, "4 3", 1.2))
    labels = [_text(x(t), bottom + SMALL + 2, _tick(t), anchor="middle", fill="#555") for t in ticks]
    return _document(bottom + SMALL + 2 + PAD, title, grid + parts + labels)


def _points(verdict, unit: str | None) -> list[tuple[str, float]]:
    return [(f"{e.label} ({e.reading})" if e.reading else e.label, float(e.value))
            for e in verdict.evidence
            if e.ok and isinstance(e.value, (int, float)) and e.unit == unit and not e.extra.get("top")]


def _title(verdict) -> str:
    return getattr(verdict, "statement", "") or verdict.claim_id  # words, not the id


def claim_against_references(verdict, claimed_value: float | None, unit: str | None) -> str | None:
    """Bars: the claimed value and every numeric reference of the same unit, as SVG.

    None when there are fewer than two references: one figure beside the claim reads better as text.
    """
    points = _points(verdict, unit)
    if claimed_value is None or len(points) < 2:
        return None
    colour = VERDICT_COLOURS.get(verdict.verdict, "#888")
    rows = [("claimed", claimed_value, VERDICT_COLOURS["claim"])] + [(label, value, colour) for label, value in points]
    _, word = _scale([value for _, value, _ in rows])
    note = f"{unit or 'value'} {word}".strip() + "; dashed line: the claimed value"
    return _bars(_title(verdict), note, rows, unit, marker=claimed_value)


def rank_leaders(evidence) -> str | None:
    """Bars of the leading entities of a ``rank`` evidence, numbered by rank, and the ranked entity with its
    neighbours when it is not among them, highlighted, as SVG."""
    top = evidence.extra.get("top") or []
    if not top:
        return None
    unit = evidence.extra.get("unit") or ""  # the ranked values' unit
    positions = evidence.extra.get("positions") or []  # each bar's rank, so a gap after the leaders shows
    rows = [(f"{positions[i]}. {name}" if len(positions) == len(top) else str(name), float(value),
             "#d95f02" if code == evidence.extra.get("entity") else "#9ecae1")
            for i, (code, name, value) in enumerate(top)]
    _, word = _scale([value for _, value, _ in rows])
    return _bars(str(evidence.label), f"{unit} {word}".strip() or "value", rows, unit or None)


# ------------------------------------------------------------------------------------ line charts

def _yearly(frame: pd.DataFrame) -> dict[str, dict[int, float]]:
    """Each line's yearly totals: the rows of one entity and year summed (exports + imports); missing
    values are left out, so a year with none is a gap (plain Python: the frames are a few dozen rows)."""
    partners = {str(p) for p in frame["partner"].dropna().tolist()} - {""} if "partner" in frame else set()
    lines: dict[str, dict[int, float]] = {}
    for name, period, value in zip(*(frame[c].tolist() for c in ("entity_name", "period", "value"))):
        if pd.isna(value):
            continue
        # a flow between partners is reported by one side: say which
        line = lines.setdefault(f"reported by {name}" if partners else str(name), {})
        line[int(period)] = line.get(int(period), 0.0) + float(value)
    return lines


def _series_unit(frame: pd.DataFrame) -> str:
    units = {str(u) for u in frame["unit"].dropna().tolist()} - {""} if "unit" in frame else set()
    return units.pop() if len(units) == 1 else "value"


def annual_series(frame: pd.DataFrame, title: str, marks: dict[str, int] | None = None) -> str:
    """Lines of yearly totals per entity (reporter, for trade flows), marked years dotted, as SVG;
    a log scale over a decade or more; gaps stay gaps."""
    lines = _yearly(frame)
    values = [value for line in lines.values() for value in line.values()]
    factor, word = _scale(values)
    unit = _series_unit(frame)
    positive = [value / factor for value in values if value > 0]
    log = bool(positive) and max(positive) >= 10 * min(positive)  # a log scale needs a decade or more
    years = [year for line in lines.values() for year in line] + list((marks or {}).values())
    first, last = (min(years), max(years)) if years else (0, 1)
    if first == last:
        first, last = first - 1, last + 1
    shown = positive if log else [value / factor for value in values]
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    if log:
        ticks = [t for t in LogLocator(base=10).tick_values(low, high) if low <= t <= high]
        if len(ticks) < 3:  # a decade or two: 1, 2 and 5 of each decade too
            ticks = [t for t in LogLocator(base=10, subs=(1.0, 2.0, 5.0)).tick_values(low, high) if low <= t <= high]
    else:
        ticks = list(MaxNLocator(nbins=5).tick_values(low, high))
        low, high = ticks[0], ticks[-1]
    if high <= low:
        low, high = (low / 2, high * 2) if log else (low - 1, high + 1)
        ticks = ticks or [low, high]

    note = f"{unit} {word}".strip() + (", log scale" if log else "")
    parts, y = _heading(title, note, PAD)
    legend_x, y = PAD, y + 6 + SMALL  # the legend flows in lines under the heading
    for number, name in enumerate(lines):
        room = 14 + _width(name) + 12
        if legend_x + room > WIDTH - PAD and legend_x > PAD:
            legend_x, y = PAD, y + SMALL * 1.4
        colour = LINES[number % len(LINES)]
        parts.append(_line(legend_x, y - 4, legend_x + 10, y - 4, colour, width=2.5))
        parts.append(_text(legend_x + 14, y, name))
        legend_x += room
    top = y + 10
    bottom = top + 170
    left = PAD + max((_width(_tick(t)) for t in ticks), default=0) + 6
    right = WIDTH - PAD - 4

    def x(year: float) -> float:
        return left + (year - first) / (last - first) * (right - left)

    def value_y(value: float) -> float:
        if log:
            return bottom - (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low)) * (bottom - top)
        return bottom - (value - low) / (high - low) * (bottom - top)

    grid = [_line(left, value_y(t), right, value_y(t), "#e3e3e3") for t in ticks]
    grid += [_text(left - 4, value_y(t) + 4, _tick(t), anchor="end", fill="#555") for t in ticks]
    year_ticks = [int(t) for t in MaxNLocator(nbins=5, integer=True).tick_values(first, last) if first <= t <= last]
    grid += [_line(x(t), bottom, x(t), bottom + 4, "#888") for t in year_ticks]
    grid += [_text(x(t), bottom + SMALL + 4, str(t), anchor="middle", fill="#555") for t in year_ticks]
    grid.append(_line(left, bottom, right, bottom, "#888"))
    for label, year in (marks or {}).items():
        grid.append(_line(x(year), top, x(year), bottom, "#999", "2 2"))
        # read upwards, ending at the top, its glyphs right of the line (clear of the tick labels)
        grid.append(_text(x(year) + 3 + SMALL * 0.8, top + 2, str(label), anchor="end", fill="#555", rotate=True))
    for number, line in enumerate(lines.values()):
        colour = LINES[number % len(LINES)]
        dots = len(line) <= 25  # a dot on every year of a short series; on a long one only where a year stands alone
        run: list[str] = []
        for year in range(min(line), max(line) + 2):  # one year past the end closes the last run
            value = line.get(year)
            if value is not None and (value > 0 or not log):
                run.append(f"{x(year):.1f},{value_y(value / factor):.1f}")
                continue
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="1.8"/>')
            parts += [f'<circle cx="{point.split(",")[0]}" cy="{point.split(",")[1]}" r="1.8" fill="{colour}"/>'
                      for point in run if dots or len(run) == 1]
            run = []
    return _document(bottom + SMALL + 4 + PAD, title, grid + parts)
