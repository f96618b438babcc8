"""Computations over tidy rows: the ``op`` of an evidence's ``compute`` block.

Every op takes the rows an evidence selected (columns ``entity, partner, period, measure, value,
unit``; optionally ``entity_name``, ``aggregate``, ``basis``) and returns a ``Result``: the value,
its unit, the rows it used and one line saying what was computed.

Two failures are kept apart, because they lead to different verdicts:

- ``ComputeMissing`` — the rows needed are not there (a month absent, no row for the entity):
  a refresh of the data could check the claim (verdict ``no-data-offline``).
- ``ComputeError`` — the input cannot be computed as asked (two rows where one was expected,
  mixed units, a bad parameter): the evidence is unusable as specified (verdict ``error``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Callable

import pandas as pd

from claimcheck.registry.claims import Compute
from claimcheck.registry.periods import Period, parse_period

DAYS_PER_YEAR = 365.2425  # mean Gregorian year, for ``years_between``
TOP_N = 5  # how many leaders ``rank`` returns for display


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


@lru_cache(maxsize=4096)
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

    Values are compared as text, so ``{"period": "2021"}`` matches a period stored as 2021.
    """
    out = frame
    for column, wanted in (select or {}).items():
        if column not in out.columns:
            raise ComputeError(f"select: the data have no column {column!r} (columns: {', '.join(map(str, frame.columns))})")
        values = [str(v) for v in (wanted if isinstance(wanted, list) else [wanted])]
        out = out[out[column].astype(str).isin(values)]
    return out


def rows_within(frame: pd.DataFrame, period: Period | None) -> pd.DataFrame:
    """Rows whose period lies within ``period`` (all rows when ``period`` is None)."""
    if period is None or frame.empty:
        return frame
    cells = frame["period"]  # each distinct period is parsed once: a few dozen, not every row
    inside = [text for text in cells.unique() if (p := row_period(text)) is not None and p in period]
    return frame[cells.isin(inside)]


def _numeric(rows: pd.DataFrame, what: str) -> pd.Series:
    values = pd.to_numeric(rows["value"], errors="coerce")
    if values.isna().any():
        bad = rows.loc[values.isna(), "value"].astype(str).tolist()[:3]
        raise ComputeError(f"{what}: non-numeric values {bad}")
    return values.astype(float)


def _single_unit(rows: pd.DataFrame, what: str) -> str | None:
    if "unit" not in rows.columns:
        return None
    units = sorted({str(u) for u in rows["unit"].dropna()})
    if len(units) > 1:
        raise ComputeError(f"{what}: mixed units {', '.join(units)}")
    return units[0] if units else None


def _aggregate_mask(rows: pd.DataFrame) -> pd.Series:
    if "aggregate" not in rows.columns:
        return pd.Series(False, index=rows.index)
    return rows["aggregate"].astype(str).str.strip().str.lower().isin({"true", "1", "yes"})


def _group_columns(rows: pd.DataFrame) -> list[str]:
    return [c for c in ("entity", "partner", "measure") if c in rows.columns]


def _measures_text(rows: pd.DataFrame) -> str:
    if "measure" not in rows.columns or rows.empty:
        return "the selected rows"
    return "+".join(dict.fromkeys(str(m) for m in rows["measure"]))


def _expected_periods(period: Period, granularity: str) -> list[str]:
    if granularity == "month":
        return period.months()
    return [str(y) for y in range(period.start.year, period.end.year + 1)]


def _check_complete(rows: pd.DataFrame, period: Period) -> None:
    """Every month (monthly rows) or year (annual rows) of ``period`` present in each group."""
    absent: list[str] = []
    keys = _group_columns(rows)
    groups = rows.groupby(keys, dropna=False, sort=True) if keys else [((), rows)]
    for key, group in groups:
        kinds = {_granularity(t) for t in group["period"]}
        if kinds == {"month", "year"}:
            raise ComputeError(f"mixed monthly and annual rows for {_key_text(key)}: the sum would count months twice")
        if len(kinds) != 1 or kinds == {"other"}:
            continue  # ranges and dates: completeness is not defined
        expected = _expected_periods(period, kinds.pop())
        have = {str(t).strip() for t in group["period"]}
        missing = [p for p in expected if p not in have]
        if missing:
            absent += [f"{_key_text(key)} {p}" if keys else p for p in missing]
    if absent:
        raise ComputeMissing(f"incomplete data for {period.text}: absent {', '.join(absent)}", absent)


def _key_text(key: Any) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return "/".join("-" if pd.isna(p) else str(p) for p in parts)


def _check_no_duplicates(rows: pd.DataFrame, what: str) -> None:
    keys = _group_columns(rows) + ["period"]
    duplicated = rows.duplicated(subset=keys, keep=False)
    if duplicated.any():
        first = rows[duplicated].iloc[0]
        raise ComputeError(
            f"{what}: {int(duplicated.sum())} rows share {', '.join(f'{k}={first[k]}' for k in keys)}; "
            "narrow the select (e.g. by basis or reporter)"
        )


def _parse_param(text: str | None, name: str, op: str) -> Period:
    if not text:
        raise ComputeError(f"{op} needs '{name}'")
    return parse_period(text)


def _span_text(period: Period | None, rows: pd.DataFrame) -> str:
    if period is None:
        return f"{len(rows)} rows"
    kinds = {_granularity(t) for t in rows["period"]} if not rows.empty else set()
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
    rows: pd.DataFrame
    text: str


def _sum(rows: pd.DataFrame, period: Period | None, require_complete: bool) -> _Sum:
    used = rows_within(rows, period)
    where = period.text if period else "the selected rows"
    if used.empty:
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
    unit = _single_unit(used, "value")
    if unit == "date" or isinstance(raw, (str, date)):
        value: float | str = raw.isoformat() if isinstance(raw, date) else str(raw)
    else:
        value = float(raw)
    row = used.iloc[0]
    return Result(value, unit, used, f"{row.get('measure', 'value')} for {row.get('period', '')}".strip())


def _op_sum(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    period = parse_period(spec.period) if spec.period else None
    total = _sum(rows, period, spec.require_complete)
    return Result(total.value, total.unit, total.rows, total.text)


def _change(spec: Compute, rows: pd.DataFrame, base: Period, op: str) -> Result:
    period = _parse_param(spec.period, "period", op)
    new = _sum(rows, period, spec.require_complete)
    old = _sum(rows, base, spec.require_complete)
    if new.unit != old.unit:
        raise ComputeError(f"{op}: units differ between periods ({new.unit} vs {old.unit})")
    value = _percent_change(new.value, old.value, op)
    used = pd.concat([old.rows, new.rows])
    return Result(value, "percent", used, f"percent change of {new.text} over {old.text}")


def _op_yoy_change(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    period = _parse_param(spec.period, "period", "yoy_change")
    return _change(spec, rows, period.shifted_years(-1), "yoy_change")


def _op_growth(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    return _change(spec, rows, _parse_param(spec.base_period, "base_period", "growth"), "growth")


def _op_cagr(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    period = _parse_param(spec.period, "period", "cagr")
    base = _parse_param(spec.base_period, "base_period", "cagr")
    years = period.start.year - base.start.year
    if years <= 0:
        raise ComputeError(f"cagr: period {period.text} must start at least a year after base_period {base.text}")
    new = _sum(rows, period, spec.require_complete)
    old = _sum(rows, base, spec.require_complete)
    if old.value <= 0 or new.value < 0:
        raise ComputeError("cagr: needs a positive base and a non-negative end value")
    value = 100.0 * ((new.value / old.value) ** (1.0 / years) - 1.0)
    used = pd.concat([old.rows, new.rows])
    return Result(value, "percent", used, f"compound annual growth over {years} years from {old.text} to {new.text}")


def _without_aggregates(rows: pd.DataFrame, spec: Compute) -> pd.DataFrame:
    return rows[~_aggregate_mask(rows)] if spec.exclude_aggregates else rows


def _op_share(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    if not spec.entity:
        raise ComputeError("share needs 'entity'")
    period = parse_period(spec.period) if spec.period else None
    pool = _without_aggregates(rows, spec)
    part_rows = pool[pool["entity"].astype(str) == spec.entity]
    if rows_within(part_rows, period).empty:
        raise ComputeMissing(f"no rows for {spec.entity} in {period.text if period else 'the data'}", [spec.entity])
    part = _sum(part_rows, period, spec.require_complete)
    whole = _sum(pool, period, spec.require_complete)
    if whole.value == 0:
        raise ComputeError("share: the total is zero")
    return Result(
        100.0 * part.value / whole.value, "percent", whole.rows,
        f"share of {spec.entity} in the total of {whole.rows['entity'].nunique()} entities ({whole.text})",
    )


def _op_rank(spec: Compute, rows: pd.DataFrame, ctx: dict) -> Result:
    if not spec.entity:
        raise ComputeError("rank needs 'entity'")
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
    top = [(str(e), str(n), float(v)) for e, n, v in ordered[["entity", name_col, "value"]].head(TOP_N).itertuples(index=False)]
    note = " (aggregates excluded)" if spec.exclude_aggregates and "aggregate" in rows.columns else ""
    return Result(
        float(rank), "rank", ordered.head(max(TOP_N, rank)),
        f"rank of {spec.entity} by {_measures_text(pool)} among {len(pool)} entities in {where}{note}",
        {"entity": spec.entity, "n": len(pool), "top": top, "own_value": own, "unit": _single_unit(pool, "rank")},
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


OPERATIONS: dict[str, Callable[[Compute, pd.DataFrame, dict], Result]] = {
    "value": _op_value,
    "sum": _op_sum,
    "yoy_change": _op_yoy_change,
    "growth": _op_growth,
    "cagr": _op_cagr,
    "share": _op_share,
    "rank": _op_rank,
    "years_between": _op_years_between,
    "implied_base": _op_implied_base,
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
    if spec.scale != 1.0 and isinstance(result.value, float) and spec.op not in {"rank"}:
        return Result(
            result.value * spec.scale, scaled_unit(result.unit, spec.scale), result.rows,
            f"{result.description} × {spec.scale:g}", result.extra,
        )
    return result


__all__ = [
    "ComputeError", "ComputeMissing", "DAYS_PER_YEAR", "OPERATIONS", "Result", "compute",
    "inputs_frame", "row_period", "rows_within", "scaled_unit", "select_rows",
]
