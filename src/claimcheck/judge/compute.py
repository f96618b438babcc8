"""Computations over tidy rows: the ``op`` of an evidence's ``compute`` block.

Every op takes the rows an evidence selected (columns ``entity, partner, period, measure, value,
unit``; optionally ``entity_name``, ``aggregate``, ``basis``) and returns a ``Result``: the value,
its unit, the rows it used and one line saying what was computed.

Two failures are kept apart, because they lead to different verdicts:

- ``ComputeMissing`` — the rows needed are not there (a month absent, no row for the entity):
  a refresh of the data could check the claim (verdict ``not-held``).
- ``ComputeError`` — the input cannot be computed as asked (two rows where one was expected,
  mixed units, a bad parameter): the evidence is unusable as specified (verdict ``error``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Callable

import numpy as np
import pandas as pd

from claimcheck.reference.groups import GROUP_KEY, GroupError, group
from claimcheck.registry.claims import Compute
from claimcheck.registry.periods import Period, parse_period

DAYS_PER_YEAR = 365.2425  # mean Gregorian year, for ``years_between``
TOP_N = 5  # how many leaders ``rank`` returns for display
NEVER = "never"  # first_since when no earlier period met the condition ("the first time on record")


class ComputeMissing(LookupError):
    """The rows a computation needs are absent; ``absent`` lists what is missing (periods, entities)."""

    def __init__(self, message: str, absent: list[str] | None = None):
        self.absent = list(absent or [])
        super().__init__(message)


class ComputeError(ValueError):
    """The rows or parameters cannot be computed as asked; the message says why."""


@dataclass(frozen=True)
class Result:
    """The outcome of one computation."""

    value: float | str | None  # a float, or an ISO date string for a date read with ``value``
    unit: str | None
    rows: pd.DataFrame = field(repr=False)  # the rows that entered the computation, for display
    description: str  # one line: "sum of 8 months 2022-01..2022-08 of exports+imports"
    extra: dict[str, Any] = field(default_factory=dict)  # op-specific details (rank: n, top, entity)


# ---------------------------------------------------------------------------------------- helpers


@lru_cache(maxsize=8192)  # the same few dozen period cells are read for every claim of a notebook
def _period_or_none(text: str) -> Period | None:
    try:
        return parse_period(text)
    except ValueError:
        return None


def row_period(text: Any) -> Period | None:
    """The period of a row's ``period`` cell, or ``None`` when it is not a period (``unstated``)."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    return _period_or_none(str(text).strip())


def _granularity(text: str) -> str:
    """``month`` for ``YYYY-MM``, ``year`` for ``YYYY``, else ``other``."""
    text = str(text).strip()
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        return "month"
    if len(text) == 4 and text.isdigit():
        return "year"
    return "other"


def select_rows(frame: pd.DataFrame, select: dict[str, str | list[str]] | None) -> pd.DataFrame:
    """Rows whose column equals the given value, or one of the given values, for every item of ``select``.

    Values are compared as text, so ``{"period": "2021"}`` matches a period stored as 2021. The key
    ``group`` keeps the rows of the members of a country group (``reference/groups.py``).
    """
    out = frame
    for column, wanted in (select or {}).items():
        if column == GROUP_KEY:  # members of named country groups ("Africa's largest economy")
            try:
                named = [group(str(name)) for name in (wanted if isinstance(wanted, list) else [wanted])]
            except GroupError as exc:
                raise ComputeError(f"select: {exc}") from None
            inside = pd.Series(False, index=out.index)
            for one in named:
                inside |= one.mask(out)
            out = out[inside]
            continue
        if column not in out.columns:
            raise ComputeError(f"select: the data have no column {column!r} (columns: {', '.join(map(str, frame.columns))})")
        values = [str(v) for v in (wanted if isinstance(wanted, list) else [wanted])]
        out = out[out[column].astype(str).isin(values)]
    return out


def take_rows(frame: pd.DataFrame, positions: Any) -> pd.DataFrame:
    """``frame.take(positions)``; a slice when the positions are consecutive (a series' rows in a sorted
    snapshot), which gives the same rows for a quarter of the cost."""
    if len(positions) and positions[-1] - positions[0] == len(positions) - 1 and all(
            b - a == 1 for a, b in zip(positions, positions[1:])):
        return frame.iloc[int(positions[0]):int(positions[-1]) + 1]
    return frame.take(positions)


class RowIndex:
    """``select_rows`` of one frame that is selected from many times (a loaded snapshot), as look-ups.

    The row positions of each value (as text) of a column are found once, when the column is first
    selected on, so that a selection is a few look-ups and one ``take`` rather than a pass over every
    row for each item; the rows, their order, index and types are those ``select_rows`` gives.
    """

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._positions: dict[str, dict[str, np.ndarray]] = {}  # column -> value as text -> row positions
        self._members: dict[str, np.ndarray] = {}  # country group -> row positions of its members

    def select(self, select: dict[str, str | list[str]] | None) -> pd.DataFrame:
        kept = self.positions(select)
        return self.frame if kept is None else take_rows(self.frame, kept)

    def positions(self, select: dict[str, str | list[str]] | None) -> np.ndarray | None:
        """The positions of the rows ``select`` keeps, in order (None: every row, for an empty select)."""
        kept: np.ndarray | None = None
        for column, wanted in (select or {}).items():
            values = wanted if isinstance(wanted, list) else [wanted]
            if column == GROUP_KEY:
                found = [self._group_positions(str(name)) for name in values]
            elif column not in self.frame.columns:
                raise ComputeError(f"select: the data have no column {column!r} "
                                   f"(columns: {', '.join(map(str, self.frame.columns))})")
            else:
                by_value = self._column_positions(column)
                found = [by_value[text] for text in {str(v) for v in values} if text in by_value]
            positions = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.intp)
            kept = positions if kept is None else np.intersect1d(kept, positions, assume_unique=True)
        return kept

    def _column_positions(self, column: str) -> dict[str, np.ndarray]:
        if column not in self._positions:
            text = self.frame[column].astype(str)  # as select_rows compares: missing cells match nothing
            self._positions[column] = dict(text.groupby(text, sort=False).indices)
        return self._positions[column]

    def _group_positions(self, name: str) -> np.ndarray:
        if name not in self._members:
            try:
                one = group(name)
            except GroupError as exc:
                raise ComputeError(f"select: {exc}") from None
            self._members[name] = np.flatnonzero(one.mask(self.frame).to_numpy(dtype=bool))
        return self._members[name]


class _Rows:
    """Some rows of a frame (those at ``positions``; None: all), read column by column as lists.

    An op checks and sums a handful of rows, and each pandas call on them costs more than the
    rows do; the rows become a frame (``frame()``) only to be shown with the result.
    """

    def __init__(self, source: pd.DataFrame, positions: list[int] | None = None,
                 every: dict[str, list] | None = None):
        self.source = source
        self.positions = positions
        self.columns = source.columns
        self._every = {} if every is None else every  # column -> the values of all the source's rows
        self._lists: dict[str, list] = {}

    def __len__(self) -> int:
        return len(self.source) if self.positions is None else len(self.positions)

    def column(self, name: str) -> list:
        if name not in self._lists:
            if name not in self._every:
                self._every[name] = self.source[name].tolist()
            values = self._every[name]
            self._lists[name] = values if self.positions is None else [values[i] for i in self.positions]
        return self._lists[name]

    def subset(self, kept: list[int]) -> _Rows:
        """The rows at ``kept`` (positions among these rows), sharing the columns read so far."""
        return _Rows(self.source, kept if self.positions is None else [self.positions[i] for i in kept], self._every)

    def frame(self) -> pd.DataFrame:
        return self.source if self.positions is None else take_rows(self.source, self.positions)


@lru_cache(maxsize=1024)
def _cells_within(period: Period) -> dict[str, bool]:
    """Whether each period cell met so far lies within ``period``: the same few dozen cells are read for
    every claim of a notebook (filled in by ``_within``)."""
    return {}


def _within(rows: _Rows, period: Period | None) -> _Rows:
    """The rows whose period lies within ``period`` (all rows when ``period`` is None)."""
    if period is None or not len(rows):
        return rows
    known = _cells_within(period)
    kept = []
    for i, text in enumerate(rows.column("period")):
        inside = known.get(text) if isinstance(text, str) else None
        if inside is None:
            inside = (p := row_period(text)) is not None and p in period
            if isinstance(text, str):
                known[text] = inside
        if inside:
            kept.append(i)
    return rows.subset(kept)


def rows_within(frame: pd.DataFrame, period: Period | None) -> pd.DataFrame:
    """Rows whose period lies within ``period`` (all rows when ``period`` is None)."""
    return _within(_Rows(frame), period).frame()


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _numeric(rows: _Rows, what: str) -> np.ndarray:
    if rows.source["value"].dtype.kind == "f":  # already floats (a snapshot's): only NaN is not a number
        values = np.array(rows.column("value"), dtype=float)
        if not np.isnan(values).any():
            return values
    frame = rows.frame()
    values = pd.to_numeric(frame["value"], errors="coerce")
    if values.isna().any():
        bad = frame.loc[values.isna(), "value"].astype(str).tolist()[:3]
        raise ComputeError(f"{what}: non-numeric values {bad}")
    return values.to_numpy(dtype=float)


def _single_unit(rows: _Rows, what: str) -> str | None:
    if "unit" not in rows.columns:
        return None
    units = sorted({str(u) for u in rows.column("unit") if not _missing(u)})
    if len(units) > 1:
        raise ComputeError(f"{what}: mixed units {', '.join(units)}")
    return units[0] if units else None


def _aggregate_mask(rows: pd.DataFrame) -> pd.Series:
    if "aggregate" not in rows.columns:
        return pd.Series(False, index=rows.index)
    return rows["aggregate"].astype(str).str.strip().str.lower().isin({"true", "1", "yes"})


def _group_columns(rows: pd.DataFrame | _Rows) -> list[str]:
    return [c for c in ("entity", "partner", "measure") if c in rows.columns]


def _measures_text(rows: _Rows) -> str:
    """The measures summed or ranked, by their plain names where the catalogue gives them."""
    column = "measure_name" if "measure_name" in rows.columns else "measure"
    if column not in rows.columns or not len(rows):
        return "the selected rows"
    return "+".join(dict.fromkeys(str(m) for m in rows.column(column)))


def _expected_periods(period: Period, granularity: str) -> list[str]:
    if granularity == "month":
        return period.months()
    return [str(y) for y in range(period.start.year, period.end.year + 1)]


def _check_complete(rows: _Rows, period: Period) -> None:
    """Every month (monthly rows) or year (annual rows) of ``period`` present in each group."""
    absent: list[str] = []
    keys = _group_columns(rows)
    columns = [rows.column(k) for k in keys]
    if all(len(set(map(str, values))) <= 1 for values in columns):  # one group (one series): no groupby
        groups = [(tuple(values[0] for values in columns) if len(rows) else (), rows)]
    else:
        groups = [(key, _Rows(group)) for key, group in rows.frame().groupby(keys, dropna=False, sort=True)]
    for key, group in groups:
        periods = group.column("period")
        kinds = {_granularity(t) for t in periods}
        if kinds == {"month", "year"}:
            raise ComputeError(f"mixed monthly and annual rows for {_key_text(key)}: the sum would count months twice")
        if len(kinds) != 1 or kinds == {"other"}:
            continue  # ranges and dates: completeness is not defined
        expected = _expected_periods(period, kinds.pop())
        have = {str(t).strip() for t in periods}
        missing = [p for p in expected if p not in have]
        if missing:
            absent += [f"{_key_text(key)} {p}" if keys else p for p in missing]
    if absent:
        raise ComputeMissing(f"incomplete data for {period.text}: absent {', '.join(absent)}", absent)


def _key_text(key: Any) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return "/".join("-" if pd.isna(p) else str(p) for p in parts)


_NA = object()  # every missing cell as one key, as pandas compares them


def _check_no_duplicates(rows: _Rows, what: str) -> None:
    if len(rows) < 2:  # one row cannot repeat itself
        return
    keys = _group_columns(rows) + ["period"]
    distinct = set(zip(*([_NA if _missing(v) else v for v in rows.column(k)] for k in keys)))
    if len(distinct) == len(rows):  # no two rows share their keys
        return
    frame = rows.frame()
    duplicated = frame.duplicated(subset=keys, keep=False)
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise ComputeError(
            f"{what}: {int(duplicated.sum())} rows share {', '.join(f'{k}={first[k]}' for k in keys)}; "
            "narrow the select (e.g. by basis or reporter)"
        )


def _parse_param(text: str | None, name: str, op: str) -> Period:
    if not text:
        raise ComputeError(f"{op} needs '{name}'")
    return parse_period(text)


def _span_text(period: Period | None, rows: _Rows) -> str:
    if period is None:
        return f"{len(rows)} rows"
    kinds = {_granularity(t) for t in rows.column("period")}
    if kinds == {"month"}:
        months = period.months()
        return f"{len(months)} months {months[0]}..{months[-1]}"
    if kinds == {"year"} and period.start.year != period.end.year:
        return f"years {period.start.year}..{period.end.year}"
    return period.text


def _percent_change(new: float, old: float, what: str) -> float:
    if old == 0:
        raise ComputeError(f"{what}: the base is zero")
    return 100.0 * (new / old - 1.0)


# ---------------------------------------------------------------------------------------- the ops


@dataclass(frozen=True)
class _Sum:
    value: float
    unit: str | None
    used: _Rows = field(repr=False)
    text: str

    @property
    def rows(self) -> pd.DataFrame:
        return self.used.frame()


def _rows_of(*sums: _Sum) -> pd.DataFrame:
    """The rows of several sums as one frame: one ``take`` when they are rows of the same frame."""
    if len({id(s.used.source) for s in sums}) == 1 and all(s.used.positions is not None for s in sums):
        return take_rows(sums[0].used.source, [i for s in sums for i in s.used.positions])
    return pd.concat([s.rows for s in sums])


def _sum(rows: _Rows, period: Period | None, require_complete: bool) -> _Sum:
    used = _within(rows, period)
    where = period.text if period else "the selected rows"
    if not len(used):
        raise ComputeMissing(f"no rows for {where}", [where])
    _check_no_duplicates(used, f"sum over {where}")
    if require_complete and period is not None:
        _check_complete(used, period)
    values = _numeric(used, f"sum over {where}")
    unit = _single_unit(used, f"sum over {where}")
    text = f"sum of {_span_text(period, used)} of {_measures_text(used)}"
    if period is None and len(used) <= 1:
        text = f"{_measures_text(used)}"
    return _Sum(float(values.sum()), unit, used, text)


def _op_value(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    period = parse_period(spec.period) if spec.period else None
    used = rows_within(rows, period)
    where = f" in {period.text}" if period else ""
    if used.empty:
        raise ComputeMissing(f"no row{where}", [period.text if period else "value"])
    if len(used) > 1:
        raise ComputeError(f"ambiguous: {len(used)} rows{where}; narrow the select")
    raw = used["value"].iloc[0]
    unit = _single_unit(_Rows(used), "value")
    if unit == "date" or isinstance(raw, (str, date)):
        value: float | str = raw.isoformat() if isinstance(raw, date) else str(raw)
    else:
        value = float(raw)
    row = used.iloc[0]
    measure = row.get("measure_name", row.get("measure", "value"))
    spread = row.get("amplification")  # a derived difference's row
    extra = {"amplification": float(spread)} if isinstance(spread, float) and np.isfinite(spread) else {}
    return Result(value, unit, used, f"{measure} for {row.get('period', '')}".strip(), extra)


def _op_sum(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    period = parse_period(spec.period) if spec.period else None
    if spec.entities:
        _known_entities(rows, spec.entities)
        rows = _entity_rows(rows, spec.entities, period)
    total = _sum(_Rows(rows), period, spec.require_complete)
    text = f"{total.text} over {len(spec.entities)} entities" if spec.entities else total.text
    return Result(total.value, total.unit, total.rows, text)


def _change(spec: Compute, rows: pd.DataFrame, base: Period, op: str) -> Result:
    period = _parse_param(spec.period, "period", op)
    series = _Rows(rows)
    new = _sum(series, period, spec.require_complete)
    old = _sum(series, base, spec.require_complete)
    if new.unit != old.unit:
        raise ComputeError(f"{op}: units differ between periods ({new.unit} vs {old.unit})")
    value = _percent_change(new.value, old.value, op)
    return Result(value, "percent", _rows_of(old, new), f"percent change of {new.text} over {old.text}")


def _op_yoy_change(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    period = _parse_param(spec.period, "period", "yoy_change")
    return _change(spec, rows, period.shifted_years(-1), "yoy_change")


def _op_growth(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    return _change(spec, rows, _parse_param(spec.base_period, "base_period", "growth"), "growth")


def _op_change(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    """``period`` minus ``base_period`` in the series' own unit ("fell by 2.7 years"); rates give points."""
    period = _parse_param(spec.period, "period", "change")
    base = _parse_param(spec.base_period, "base_period", "change")
    series = _Rows(rows)
    new = _sum(series, period, spec.require_complete)
    old = _sum(series, base, spec.require_complete)
    if new.unit != old.unit:
        raise ComputeError(f"change: units differ between periods ({new.unit} vs {old.unit})")
    unit = "percentage_points" if new.unit == "percent" else new.unit
    return Result(new.value - old.value, unit, _rows_of(old, new),
                  f"{new.text} ({_short(new.value)}) − {old.text} ({_short(old.value)})")


def _op_cagr(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    period = _parse_param(spec.period, "period", "cagr")
    base = _parse_param(spec.base_period, "base_period", "cagr")
    years = period.start.year - base.start.year
    if years <= 0:
        raise ComputeError(f"cagr: period {period.text} must start at least a year after base_period {base.text}")
    series = _Rows(rows)
    new = _sum(series, period, spec.require_complete)
    old = _sum(series, base, spec.require_complete)
    if old.value <= 0 or new.value < 0:
        raise ComputeError("cagr: needs a positive base and a non-negative end value")
    value = 100.0 * ((new.value / old.value) ** (1.0 / years) - 1.0)
    return Result(value, "percent", _rows_of(old, new), f"compound annual growth over {years} years from {old.text} to {new.text}")


def _without_aggregates(rows: pd.DataFrame, spec: Compute) -> pd.DataFrame:
    return rows[~_aggregate_mask(rows)] if spec.exclude_aggregates else rows


def _op_share(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    wanted = spec.entities or ([spec.entity] if spec.entity else [])
    if not wanted:
        raise ComputeError("share needs 'entity' or 'entities'")
    _known_entities(rows, wanted + ([spec.total] if spec.total else []))
    period = parse_period(spec.period) if spec.period else None
    where = period.text if period else "the data"
    part_rows = _entity_rows(rows, wanted, period)
    part = _sum(_Rows(part_rows), period, spec.require_complete)
    names = _names(rows, wanted)
    if spec.total:  # the total is a row of its own (e.g. the world aggregate), not a sum of the rows
        total_rows = rows[rows["entity"].astype(str) == spec.total]
        if rows_within(total_rows, period).empty:
            raise ComputeMissing(f"no rows for {spec.total} in {where}", [spec.total])
        whole = _sum(_Rows(total_rows), period, spec.require_complete)
        of = f"the {entity_name(rows, spec.total)} total"
        used = _rows_of(part, whole)
    else:
        whole = _sum(_Rows(_without_aggregates(rows, spec)), period, spec.require_complete)
        used = whole.rows
        of = f"the total of {used['entity'].nunique()} entities"
    if whole.value == 0:
        raise ComputeError("share: the total is zero")
    if part.unit != whole.unit:
        raise ComputeError(f"share: units differ ({part.unit} vs {whole.unit})")
    return Result(100.0 * part.value / whole.value, "percent", used, f"share of {names} in {of} ({whole.text})",
                  {"entity": ",".join(wanted), "entity_name": names})


def _op_rank(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    if not spec.entity:
        raise ComputeError("rank needs 'entity'")
    _known_entities(rows, [spec.entity])
    period = parse_period(spec.period) if spec.period else None
    pool = rows_within(_without_aggregates(rows, spec), period)
    values = pd.to_numeric(pool["value"], errors="coerce")
    pool = pool.assign(value=values)[values.notna()]
    where = period.text if period else "the data"
    if pool.empty:
        raise ComputeMissing(f"no rows to rank in {where}", [where])
    counts = pool["entity"].astype(str).value_counts()
    if (counts > 1).any():
        raise ComputeError(f"rank: {counts.index[0]} has {int(counts.iloc[0])} rows in {where}; narrow the select")
    mine = pool[pool["entity"].astype(str) == spec.entity]
    if mine.empty:
        raise ComputeMissing(f"no row for {spec.entity} in {where}", [spec.entity])
    own = float(mine["value"].iloc[0])
    rank = 1 + int((pool["value"] > own).sum())
    ordered = pool.sort_values(["value", "entity"], ascending=[False, True], kind="mergesort")
    name_col = "entity_name" if "entity_name" in ordered.columns else "entity"
    listed = list(ordered[["entity", name_col, "value"]].itertuples(index=False))
    at = [str(row[0]) for row in listed].index(spec.entity)
    # the leaders, and the ranked entity with its neighbours when it is not among them (positions from 1)
    positions = sorted(set(range(min(TOP_N, len(listed)))) | set(range(max(at - 1, 0), min(at + 2, len(listed)))))
    top = [(str(listed[i][0]), str(listed[i][1]), float(listed[i][2])) for i in positions]
    excluded = spec.exclude_aggregates and bool(_aggregate_mask(rows_within(rows, period)).any())
    note = " (aggregates excluded)" if excluded else ""
    name = entity_name(rows, spec.entity)
    return Result(
        float(rank), "rank", ordered.head(max(TOP_N, rank)),
        f"rank of {name} by {_measures_text(_Rows(pool))} among {len(pool)} entities in {where}{note}",
        {"entity": spec.entity, "entity_name": name, "n": len(pool), "top": top, "own_value": own, "note": note,
         "positions": [i + 1 for i in positions],
         "unit": _single_unit(_Rows(pool), "rank"),
         "others": [(str(e), str(n), float(v)) for e, n, v in  # every other entity, largest first: the rank's margins
                    ordered[ordered["entity"].astype(str) != spec.entity][["entity", name_col, "value"]].itertuples(index=False)]},
    )


def _point(text: str | None, rows: pd.DataFrame, ctx: dict, name: str) -> tuple[date, str, pd.DataFrame]:
    """A date given as an ISO literal, ``"article"``, or the name of a measure whose value is a date."""
    if not text:
        raise ComputeError(f"years_between needs '{name}'")
    if text == "article":
        day = ctx.get("article_date")
        if day is None:
            raise ComputeError("years_between: end 'article' but no article date was given")
        return day, f"the article's date {day.isoformat()}", rows.iloc[0:0]
    literal = _period_or_none(text)
    if literal is not None:
        return literal.start, text, rows.iloc[0:0]
    found = rows[rows["measure"].astype(str) == text] if "measure" in rows.columns else rows.iloc[0:0]
    if found.empty:
        raise ComputeMissing(f"no row for measure {text!r}", [text])
    distinct = sorted({str(v) for v in found["value"]})
    if len(distinct) > 1:
        raise ComputeError(f"ambiguous: {len(found)} rows for measure {text!r} with different dates {distinct}")
    period = _period_or_none(distinct[0])
    if period is None:
        raise ComputeError(f"measure {text!r} holds {distinct[0]!r}, not a date")
    return period.start, f"{text} ({distinct[0]})", found


def _op_years_between(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    start, start_text, start_rows = _point(spec.start, rows, ctx, "start")
    end, end_text, end_rows = _point(spec.end, rows, ctx, "end")
    years = (end - start).days / DAYS_PER_YEAR
    return Result(years, "years", pd.concat([start_rows, end_rows]), f"years from {start_text} to {end_text}")


def _op_implied_base(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    inputs = ctx.get("inputs") or {}
    try:
        value, rate = float(inputs["value"]), float(inputs["rate"])
    except KeyError as exc:
        raise ComputeError(f"implied_base needs inputs 'value' and 'rate' (missing {exc.args[0]!r})") from None
    except (TypeError, ValueError):
        raise ComputeError("implied_base: inputs 'value' and 'rate' must be numbers") from None
    if rate <= -100:
        raise ComputeError("implied_base: a rate of -100% or less implies no base")
    unit = inputs.get("unit")
    return Result(
        value / (1 + rate / 100.0), str(unit) if unit is not None else None, rows,
        f"base implied by {value:g} after a change of {rate:g}%: {value:g} / (1 + {rate:g}/100)",
    )



# ------------------------------------------------------------------------------- series over time


def entity_name(rows: pd.DataFrame, code: str) -> str:
    """The readable name of an entity code (its ``entity_name`` cell), else the code itself."""
    if "entity_name" in rows.columns:
        names = rows.loc[rows["entity"].astype(str) == code, "entity_name"].dropna()
        if not names.empty and str(names.iloc[0]).strip():
            return str(names.iloc[0])
    return code


def _names(rows: pd.DataFrame, codes: list[str]) -> str:
    if len(codes) > 3:
        return f"{len(codes)} entities"
    return " + ".join(entity_name(rows, c) for c in codes)


def _known_entities(rows: pd.DataFrame, codes: list[str]) -> None:
    """An entity that the data do not hold in any period is a typo, not a gap: say so, with the nearest codes."""
    have = set(rows["entity"].astype(str).unique())
    unknown = [c for c in codes if c not in have]
    if unknown and have:
        hints = []
        for code in unknown:
            near = difflib.get_close_matches(code, sorted(have), n=3, cutoff=0.5)
            hints.append(f"{code!r}" + (f" (nearest: {', '.join(near)})" if near else ""))
        raise ComputeError(f"entity {', '.join(hints)} matches no row of the selected data")


def _entity_rows(rows: pd.DataFrame, codes: list[str], period: Period | None) -> pd.DataFrame:
    """Rows of the given entities; an entity with no row in ``period`` makes the data incomplete."""
    picked = rows[rows["entity"].astype(str).isin(codes)]
    inside = rows_within(picked, period)
    absent = [c for c in codes if c not in set(inside["entity"].astype(str))]
    if absent:
        where = period.text if period else "the data"
        raise ComputeMissing(f"no rows for {', '.join(absent)} in {where}", absent)
    return picked


def _side(rows: pd.DataFrame, entity: str | None, measure: str | None) -> pd.DataFrame:
    """The rows of one series: one entity and/or one measure of the selected rows."""
    out = rows
    if entity:
        _known_entities(rows, [entity])
        out = out[out["entity"].astype(str) == entity]
    if measure:
        have = set(rows["measure"].astype(str).unique())
        if measure not in have:
            near = difflib.get_close_matches(measure, sorted(have), n=3, cutoff=0.5)
            raise ComputeError(f"measure {measure!r} matches no row of the selected data"
                               + (f" (nearest: {', '.join(near)})" if near else ""))
        out = out[out["measure"].astype(str) == measure]
    return out


def _side_name(rows: pd.DataFrame, entity: str | None, measure: str | None) -> str:
    parts = [entity_name(rows, entity)] if entity else []
    if measure:
        parts.append(measure)
    return " ".join(parts) or _measures_text(_Rows(rows))


def _series(rows: pd.DataFrame, what: str) -> dict[str, float]:
    """One value per period, in period order; two rows for a period mean the select is too wide."""
    if rows.empty:
        return {}
    counts = rows["period"].astype(str).value_counts()
    if (counts > 1).any():
        raise ComputeError(f"{what}: {int(counts.iloc[0])} rows for period {counts.index[0]}; narrow the select "
                           "(one entity and one measure)")
    values = _numeric(_Rows(rows), what).tolist()
    pairs = [(str(p), v) for p, v in zip(rows["period"], values)]
    parsed = [(row_period(p), p, v) for p, v in pairs]
    parsed = [t for t in parsed if t[0] is not None]
    return {p: v for _, p, v in sorted(parsed, key=lambda t: t[0])}


def _upto(series: dict[str, float], since: Period | None, until: Period | None) -> dict[str, float]:
    out = {}
    for text, value in series.items():
        period = row_period(text)
        if since is not None and period.end < since.start:
            continue
        if until is not None and period.start > until.end:
            continue
        out[text] = value
    return out


def _span_periods(rows: pd.DataFrame, span: Period) -> list[str]:
    kinds = {_granularity(t) for t in rows["period"]} - {"other"}
    return span.months() if kinds == {"month"} else [str(y) for y in range(span.start.year, span.end.year + 1)]


def _op_period_rank(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    period = parse_period(spec.period)
    since = parse_period(spec.since) if spec.since else None
    name = _side_name(rows, spec.entity, spec.measure)
    series = _upto(_series(_side(rows, spec.entity, spec.measure), "period_rank"), since, period)
    if period.text not in series:
        raise ComputeMissing(f"no value of {name} for {period.text}", [period.text])
    own = series[period.text]
    rank = 1 + sum(1 for v in series.values() if v > own)
    ordered = sorted(series.items(), key=lambda kv: -kv[1])
    first = next(iter(series))
    scope = f"since {spec.since}" if since else f"on record ({first}–{period.text})"
    return Result(
        float(rank), "rank", rows.iloc[0:0],
        f"rank of {period.text} among {len(series)} periods of {name} {scope}",
        {"entity": spec.entity or "", "entity_name": f"{period.text}", "n": len(series), "own_value": own,
         "top": [(p, p, v) for p, v in ordered[:TOP_N]], "subject": f"{period.text} ({name})"},
    )


def _op_throughout(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    span = parse_period(spec.period)
    inner = spec.model_copy(update={"op": spec.each, "each": None})
    series, used, missing = [], [], []
    last: Result | None = None
    for text in _span_periods(rows, span):
        try:
            last = OPERATIONS[spec.each](inner.model_copy(update={"period": text}), rows, ctx)
        except ComputeMissing:
            missing.append(text)
            continue
        series.append((text, last.value))
        used.append(last.rows)
    if missing:
        raise ComputeMissing(f"throughout {span.text}: no data for {', '.join(missing)}", missing)
    if last is None:
        raise ComputeMissing(f"throughout {span.text}: no periods", [span.text])
    return Result(
        last.value, last.unit, pd.concat(used) if used else rows.iloc[0:0],
        f"{last.description.rsplit(f' in {series[-1][0]}', 1)[0]}, in every period {series[0][0]}–{series[-1][0]}",
        {**last.extra, "series": series},
    )


def _two_sides(spec: Compute, rows: pd.DataFrame, what: str) -> tuple[dict[str, float], dict[str, float], str, str]:
    other_entity = spec.other or spec.entity
    other_measure = spec.other_measure or spec.measure
    a = _series(_side(rows, spec.entity, spec.measure), what)
    b = _series(_side(rows, other_entity, other_measure), what)
    return a, b, _side_name(rows, spec.entity, spec.measure), _side_name(rows, other_entity, other_measure)


def _op_crossing(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    since = parse_period(spec.since) if spec.since else None
    until = parse_period(spec.period) if spec.period else None
    a, b, a_name, b_name = _two_sides(spec, rows, "crossing")
    common = [p for p in _upto(a, since, until) if p in b]
    if not common:
        raise ComputeMissing(f"crossing: no period with both {a_name} and {b_name}", [a_name, b_name])
    below = False
    for text in common:
        if a[text] > b[text] and below:
            return Result(text, "date", rows.iloc[0:0],
                          f"first period in which {a_name} exceeds {b_name} ({_short(a[text])} > {_short(b[text])}), "
                          f"searched {common[0]}–{common[-1]}",
                          {"searched": (common[0], common[-1])})
        below = below or a[text] <= b[text]
    state = "already exceeds" if not below else "never exceeds"
    return Result(None, "date", rows.iloc[0:0], f"{a_name} {state} {b_name} in {common[0]}–{common[-1]}",
                  {"fails": f"{a_name} {state} {b_name} in {common[0]}–{common[-1]}: no crossing",
                   "searched": (common[0], common[-1])})


def _short(value: float) -> str:
    """Four significant digits in the figure's scale: ``4.456 tn``, ``28.7 bn``, ``3.2``."""
    for size, word in ((1e12, " tn"), (1e9, " bn"), (1e6, " m")):
        if abs(value) >= size:
            return f"{value / size:.4g}{word}"
    return f"{value:.4g}"


def _op_rank_change(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    new = _op_rank(spec.model_copy(update={"op": "rank"}), rows, ctx)
    old = _op_rank(spec.model_copy(update={"op": "rank", "period": spec.base_period}), rows, ctx)
    change = old.value - new.value
    name = new.extra["entity_name"]
    return Result(
        change, "places", pd.concat([old.rows, new.rows]),
        f"{name} from {ordinal_text(old.value)} in {spec.base_period} to {ordinal_text(new.value)} in {spec.period}"
        " (places gained; negative: lost)",
        {"entity": spec.entity, "entity_name": name},
    )


def ordinal_text(n: float) -> str:
    k = int(round(n))
    return f"{k}{'th' if 10 <= k % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


def _op_first_since(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    period = parse_period(spec.period)
    name = _side_name(rows, spec.entity, spec.measure)
    series = _upto(_series(_side(rows, spec.entity, spec.measure), "first_since"), None, period)
    if period.text not in series:
        raise ComputeMissing(f"no value of {name} for {period.text}", [period.text])
    own = series[period.text]
    above = spec.direction == "above"
    if spec.threshold is None:  # "the highest since P": as high as this period's value
        line, test = own, (lambda v: v >= own) if above else (lambda v: v <= own)
        what = f"{'at least' if above else 'at most'} {_short(own)} (the value of {period.text})"
    else:
        line, test = spec.threshold, (lambda v: v > spec.threshold) if above else (lambda v: v < spec.threshold)
        what = f"{'above' if above else 'below'} {_short(spec.threshold)}"
        if not test(own):
            return Result(None, "date", rows.iloc[0:0], f"{name} is {_short(own)} in {period.text}, not {what}",
                          {"fails": f"{name} is {_short(own)} in {period.text}, not {what}"})
    earlier = [p for p in series if p != period.text and row_period(p).end < period.start]
    previous = next((p for p in reversed(earlier) if test(series[p])), None)
    if previous is None:
        return Result(NEVER, "date", rows.iloc[0:0],
                      f"no earlier period of {name} ({earlier[0] if earlier else period.text}–) was {what}", {})
    return Result(previous, "date", rows.iloc[0:0],
                  f"latest period before {period.text} in which {name} was {what}: {previous} ({_short(series[previous])})",
                  {"line": line})


def _next_period(text: str) -> str:
    """The period after ``text`` at its own grain: 2022 → 2023, 2022-12 → 2023-01."""
    if _granularity(text) == "month":
        year, month = int(text[:4]), int(text[5:7])
        return f"{year + month // 12}-{month % 12 + 1:02d}"
    return str(int(text[:4]) + 1)


def _op_consecutive(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    """How many periods in a row, ending in ``period``, the series rose (``trend: rise``) or fell: "fell for
    the third month in a row" is 3 or more. A gap in the series ends the run."""
    period = parse_period(spec.period)
    name = _side_name(rows, spec.entity, spec.measure)
    series = _upto(_series(_side(rows, spec.entity, spec.measure), "consecutive"), None, period)
    if period.text not in series:
        raise ComputeMissing(f"no value of {name} for {period.text}", [period.text])
    items = list(series.items())
    run = []
    for (before, old), (now, new) in reversed(list(zip(items, items[1:]))):
        if now != period.text and not run:
            continue  # periods after the one asked about
        moved = new > old if spec.trend == "rise" else new < old
        if _next_period(before) != now or not moved:
            break
        run.append((now, new, old))
    verb = "rose" if spec.trend == "rise" else "fell"
    steps = ", ".join(f"{p} {_short(n)}" for p, n, _ in reversed(run))
    start = run[-1][0] if run else period.text
    text = (f"{name} {verb} in {len(run)} consecutive period{'s' if len(run) != 1 else ''} to {period.text}"
            + (f" (from {_short(run[-1][2])}: {steps})" if run else f" (it did not {verb.replace('rose', 'rise').replace('fell', 'fall')} in {period.text})"))
    return Result(float(len(run)), "count", rows.iloc[0:0], text, {"run_start": start})


def derive_rows(rows: pd.DataFrame, derive: Any) -> pd.DataFrame:
    """The rows of a derived series (``Derive``): one row per entity and period where every input measure
    has a value, named ``derive.name``; entity names and aggregate flags are kept."""
    measures = list(derive.measures)
    codes = rows["measure"].astype(str)
    absent = [m for m in measures if not (codes == m).any()]
    if absent:
        known = sorted(set(codes))
        near = difflib.get_close_matches(absent[0], known, n=3)
        raise ComputeError(f"derive {derive.name}: no rows of {', '.join(absent)}"
                           + (f" (nearest: {', '.join(near)})" if near else f" (the rows hold {', '.join(known[:8])})"))
    picked = rows[codes.isin(measures)]
    keys = ["entity", "period"]
    counts = picked.groupby(keys + ["measure"], dropna=False).size()
    if (counts > 1).any():
        key = counts[counts > 1].index[0]
        raise ComputeError(f"derive {derive.name}: {int(counts.max())} rows of {key[2]} for {key[0]} {key[1]}; "
                           "narrow the select")
    units = {m: _single_unit(_Rows(picked[picked["measure"].astype(str) == m]), f"derive {derive.name}") for m in measures}
    if derive.op in {"sum", "difference"} and len(set(units.values())) > 1:
        raise ComputeError(f"derive {derive.name}: {derive.op} of measures in different units "
                           f"({', '.join(f'{m}: {u}' for m, u in units.items())})")
    wide = picked.assign(value=pd.to_numeric(picked["value"], errors="coerce")).pivot(
        index=keys, columns="measure", values="value").dropna(subset=measures)
    first = wide[measures[0]]
    if derive.op == "sum":
        value = wide[measures].sum(axis=1)
    elif derive.op == "difference":
        value = first - wide[measures[1]]
    elif derive.op in {"ratio", "per_person"}:
        value = (first / wide[measures[1]].where(wide[measures[1]] != 0))
    else:
        value = first
    value = (value * derive.factor).dropna()
    unit = derive.unit or ("times" if derive.op == "ratio" else units[measures[0]])
    label = {}
    for m in measures:  # each input's plain name where the catalogue gives one, else its code
        named = picked.loc[picked["measure"].astype(str) == m, "measure_name"] if "measure_name" in picked.columns else None
        label[m] = str(named.iloc[0]) if named is not None and len(named) and isinstance(named.iloc[0], str) else m
    words = {"sum": " + ", "difference": " − ", "ratio": " / "}
    if derive.op == "per_person":
        described = f"{label[measures[0]]} per person"
    else:
        described = words.get(derive.op, "").join(label[m] for m in measures)
    if derive.factor != 1.0:
        described += f" × {derive.factor:g}"
    meta = picked.drop_duplicates(keys).set_index(keys)
    out = pd.DataFrame({"entity": [k[0] for k in value.index], "period": [k[1] for k in value.index],
                        "measure": derive.name, "value": value.to_numpy(dtype=float), "unit": unit,
                        "measure_name": f"{derive.name} ({described})"})
    if derive.op == "difference":  # see _amplification: kept per row for the agreement band
        spread = (first.abs() + wide[measures[1]].abs()) / (first - wide[measures[1]]).abs()
        out["amplification"] = spread.reindex(value.index).to_numpy()
    for column in ("partner", "entity_name", "aggregate"):
        if column in meta.columns:
            out[column] = meta[column].reindex(value.index).to_numpy()
    return out.reset_index(drop=True)


def _pair(spec: Compute, rows: pd.DataFrame, what: str) -> tuple[float, float, str, str, str | None, str | None]:
    period = parse_period(spec.period)
    other_entity, other_measure = spec.other or spec.entity, spec.other_measure or spec.measure
    sides = []
    for entity, measure in ((spec.entity, spec.measure), (other_entity, other_measure)):
        picked = rows_within(_side(rows, entity, measure), period)
        name = _side_name(rows, entity, measure)
        if picked.empty:
            raise ComputeMissing(f"{what}: no value of {name} in {period.text}", [f"{name} {period.text}"])
        if len(picked) > 1:
            raise ComputeError(f"{what}: {len(picked)} rows for {name} in {period.text}; narrow the select")
        sides.append((float(_numeric(_Rows(picked), what)[0]), name, _single_unit(_Rows(picked), what)))
    (a, a_name, a_unit), (b, b_name, b_unit) = sides
    return a, b, a_name, b_name, a_unit, b_unit


def _op_ratio(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    a, b, a_name, b_name, a_unit, b_unit = _pair(spec, rows, "ratio")
    if b == 0:
        raise ComputeError(f"ratio: {b_name} is zero in {spec.period}")
    unit = spec.unit or ("times" if a_unit == b_unit else None)
    return Result(a / b, unit, rows_within(rows, parse_period(spec.period)),
                  f"{a_name} ({_short(a)}) / {b_name} ({_short(b)}) in {spec.period}", {})


def _op_difference(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    a, b, a_name, b_name, a_unit, b_unit = _pair(spec, rows, "difference")
    if a_unit != b_unit:
        raise ComputeError(f"difference: units differ ({a_unit} vs {b_unit})")
    unit = "percentage_points" if a_unit == "percent" else a_unit
    return Result(a - b, unit, rows_within(rows, parse_period(spec.period)),
                  f"{a_name} ({_short(a)}) − {b_name} ({_short(b)}) in {spec.period}", _amplification(a, b))


def _amplification(a: float, b: float) -> dict[str, float]:
    """How much a difference a − b magnifies the relative disagreement of its two inputs: sources that
    differ by 1% on each can differ by (|a| + |b|) / |a − b| per cent on the difference."""
    return {"amplification": (abs(a) + abs(b)) / abs(a - b)} if a != b else {}


OPERATIONS: dict[str, Callable[[Compute, pd.DataFrame, dict], Result]] = {
    "value": _op_value,
    "sum": _op_sum,
    "yoy_change": _op_yoy_change,
    "growth": _op_growth,
    "change": _op_change,
    "cagr": _op_cagr,
    "share": _op_share,
    "rank": _op_rank,
    "years_between": _op_years_between,
    "implied_base": _op_implied_base,
    "period_rank": _op_period_rank,
    "throughout": _op_throughout,
    "crossing": _op_crossing,
    "rank_change": _op_rank_change,
    "first_since": _op_first_since,
    "ratio": _op_ratio,
    "difference": _op_difference,
    "consecutive": _op_consecutive,
}

_SCALED_UNIT = {1e3: ("thousand", "thousands", "k"), 1e6: ("million", "millions", "mn", "m"), 1e9: ("billion", "billions", "bn")}


def scaled_unit(unit: str | None, scale: float) -> str | None:
    """``USD millions`` × 1e6 is ``USD``: drop a multiplier word that ``scale`` undoes."""
    if unit is None or scale == 1.0:
        return unit
    words = unit.replace("_", " ").split()
    drop = set(_SCALED_UNIT.get(scale, ()))
    kept = [w for w in words if w.lower() not in drop]
    return " ".join(kept) if kept and len(kept) < len(words) else unit


def inputs_frame(inputs: dict[str, float | str]) -> pd.DataFrame:
    """The article's own numbers as tidy rows (entity ``article``), for internal evidence."""
    unit = inputs.get("unit")
    rows = [
        {"entity": "article", "partner": None, "period": None, "measure": key, "value": value,
         "unit": str(unit) if unit is not None else None}
        for key, value in inputs.items() if key != "unit"
    ]
    return pd.DataFrame(rows, columns=["entity", "partner", "period", "measure", "value", "unit"])


def compute(
    spec: Compute,
    rows: pd.DataFrame,
    *,
    article_date: date | None = None,
    inputs: dict[str, float | str] | None = None,
) -> Result:
    """Run ``spec.op`` over ``rows`` (already selected) and apply ``spec.scale``.

    Raises ``ComputeMissing`` when needed rows are absent and ``ComputeError`` when the rows or
    parameters cannot be computed as asked (including malformed periods).
    """
    operation = OPERATIONS.get(spec.op)
    if operation is None:
        raise ComputeError(f"unknown op {spec.op!r}")
    for column in ("entity", "period", "measure", "value"):
        if column not in rows.columns:
            raise ComputeError(f"the rows have no {column!r} column")
    ctx = {"article_date": article_date, "inputs": inputs}
    try:
        result = operation(spec, rows, ctx)
    except (ComputeMissing, ComputeError):
        raise
    except ValueError as exc:  # a malformed period, or arithmetic on bad input
        raise ComputeError(str(exc)) from None
    if spec.scale != 1.0 and isinstance(result.value, float) and spec.op not in {"rank", "period_rank", "rank_change"}:
        return Result(
            result.value * spec.scale, scaled_unit(result.unit, spec.scale), result.rows,
            f"{result.description} × {spec.scale:g}", result.extra,
        )
    return result


__all__ = [
    "ComputeError", "ComputeMissing", "DAYS_PER_YEAR", "NEVER", "OPERATIONS", "entity_name", "Result", "compute",
    "derive_rows", "inputs_frame", "row_period", "RowIndex", "rows_within", "scaled_unit", "select_rows", "take_rows",
]
