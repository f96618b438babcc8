"""Whether a fetched table is a plausible next version of the stored one, or a broken answer to refuse.

An API can answer 200 with half the years, every value 0, or another series' numbers. A refresh
compares the new table with the newest stored version and refuses it when it loses series or
periods, shrinks by more than ``Bounds.max_shrink``, turns values to zero or to one constant, or
moves more than ``Bounds.max_moved`` stored values by more than ``Bounds.revision`` (relative).
Ordinary statistical revisions stay within these bounds and are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

KEYS = ["entity", "partner", "period", "measure"]
SERIES = ["entity", "partner", "measure"]


@dataclass(frozen=True)
class Bounds:
    max_shrink: float = 0.10  # share of the stored rows a refresh may lose
    revision: float = 0.20  # a stored value moving by more than this share is implausible…
    max_moved: int = 5  # …on more than this many cells (a few genuine large revisions pass)


def _examples(items: list, limit: int = 3) -> str:
    shown = ", ".join(str(i) for i in items[:limit])
    return shown + (", …" if len(items) > limit else "")


def _numbers(frame: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(frame["value"], errors="coerce")


def implausible_changes(stored: pd.DataFrame, fetched: pd.DataFrame, bounds: Bounds = Bounds()) -> list[str]:
    """Plain sentences, one per reason the fetched table is not a plausible revision; empty when it is."""
    problems = []
    old_series = set(map(tuple, stored[SERIES].astype(str).drop_duplicates().to_numpy()))
    new_series = set(map(tuple, fetched[SERIES].astype(str).drop_duplicates().to_numpy()))
    lost_series = sorted(old_series - new_series)
    if lost_series:
        problems.append(f"it lacks {len(lost_series)} of the {len(old_series)} stored series "
                        f"(e.g. {_examples(['/'.join(s) for s in lost_series])})")
    lost_periods = sorted(set(stored["period"].astype(str)) - set(fetched["period"].astype(str)))
    if lost_periods:
        problems.append(f"it lacks {len(lost_periods)} stored periods ({_examples(lost_periods, 5)})")
    if len(fetched) < len(stored) * (1 - bounds.max_shrink):
        problems.append(f"it has {len(fetched)} rows where the stored snapshot has {len(stored)} "
                        f"(more than {bounds.max_shrink:.0%} fewer)")

    old_values, new_values = _numbers(stored).dropna(), _numbers(fetched).dropna()
    if len(new_values) > 1 and new_values.nunique() == 1 and old_values.nunique() > 1:
        problems.append(f"every value is {new_values.iloc[0]:g}, where the stored values differ")

    both = stored[KEYS + ["value"]].merge(fetched[KEYS + ["value"]], on=KEYS, suffixes=("_old", "_new"))
    old, new = pd.to_numeric(both["value_old"], errors="coerce"), pd.to_numeric(both["value_new"], errors="coerce")
    zeroed = both[(old != 0) & (new == 0)]
    if len(zeroed) > bounds.max_moved:
        problems.append(f"{len(zeroed)} stored values are now 0")
    moved = both[(old != 0) & (new != 0) & ((new - old).abs() > bounds.revision * old.abs())]
    if len(moved) > bounds.max_moved:
        first = moved.iloc[0]
        problems.append(
            f"{len(moved)} stored values move by more than {bounds.revision:.0%} (e.g. "
            f"{first['entity']}/{first['partner']}/{first['measure']} {first['period']}: "
            f"{float(first['value_old']):g} -> {float(first['value_new']):g})"
        )
    return problems
