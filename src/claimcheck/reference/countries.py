"""country_converter's table of countries (``country_data.tsv``): names, codes and memberships.

The table is read with the csv module rather than through ``CountryConverter``: country_converter
1.3's converter fails to start under pandas 3 (the ``na_values`` it passes lose Namibia's ISO2
``NA``), and importing it costs about a second of pandas.
"""

from __future__ import annotations

import csv
import importlib.util
from functools import lru_cache
from pathlib import Path


def package_dir(name: str) -> Path:
    """Where an installed package's files are (its data tables ship inside it)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{name} is not installed (see requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def country_rows() -> tuple[dict[str, str], ...]:
    """Every row of the table, current and obsolete, as read (all values text)."""
    with (package_dir("country_converter") / "country_data.tsv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle, delimiter="\t"))
