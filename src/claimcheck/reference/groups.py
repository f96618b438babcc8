"""Country groups ("Africa", "the OECD", "the euro area") declared in ``data/reference/groups.yaml``.

An evidence names one in its select (``select: {group: africa}``) to rank, sum or share among the
members only. Members come from country_converter's table (a column and a value), from other groups
(``any_of``), or from a listed ``members`` with its ``source``. A column holding the year a country
joined (``joined: true``) makes membership depend on the row's year, so a ranking of 1990 leaves out
a country that joined in 1996.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from claimcheck import paths
from claimcheck.reference.countries import country_rows
from claimcheck.registry.yamltext import load_yaml, yaml_error_line

if TYPE_CHECKING:  # pandas is imported by the caller that holds a frame; the draft reads groups without it
    import pandas as pd

GROUPS_FILE = "groups.yaml"
GROUP_KEY = "group"  # the select key that names a group instead of a column
GROUP_KEYS = {"label", "column", "value", "joined", "any_of", "members", "source", "names"}
_YEAR = re.compile(r"^(\d{4})")


class GroupError(ValueError):
    """A groups file that does not validate, or a group it does not declare; one line."""


@dataclass(frozen=True)
class Group:
    name: str
    label: str
    members: dict[str, int | None]  # ISO3 -> the year it joined, or None when always a member
    names: tuple[str, ...] = ()  # how a text names it ("European Union", "EU")

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Rows of ``frame`` whose entity was a member in the row's year."""
        entity = frame["entity"].astype(str)
        inside = entity.isin(self.members)
        joined = {code: year for code, year in self.members.items() if year is not None}
        if joined and "period" in frame.columns:
            years = frame["period"].astype(str).str.extract(_YEAR, expand=False).astype(float)
            since = entity.map(joined).astype(float)
            inside &= ~(since.notna() & years.notna() & (years < since))
        return inside


def groups_path() -> Path:
    return paths.reference_dir() / GROUPS_FILE


@lru_cache(maxsize=4)
def _load(path_text: str, mtime_ns: int) -> dict[str, Group]:
    path = Path(path_text)
    where = str(path)
    if path.exists() and (problem := paths.outside_data(path)):
        raise GroupError(problem)
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise GroupError(f"{where}: cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        raise GroupError(f"{where}: {yaml_error_line(exc)}") from None
    specs = (raw or {}).get("groups") if isinstance(raw, dict) else None
    if not isinstance(specs, dict):
        raise GroupError(f"{where}: field 'groups': expected a mapping of group names")
    built: dict[str, Group] = {}

    def build(name: str, trail: tuple[str, ...]) -> Group:
        if name in built:
            return built[name]
        if name not in specs:
            raise GroupError(f"{where}: group {trail[-1]!r}: field 'any_of': no group {name!r}")
        if name in trail:
            raise GroupError(f"{where}: group {name!r}: field 'any_of': refers to itself through {' → '.join(trail)}")
        spec = specs[name]
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
            raise GroupError(f"{where}: group {name!r}: field 'label': expected a text")
        unknown = sorted(set(spec) - GROUP_KEYS)
        if unknown:
            raise GroupError(f"{where}: group {name!r}: field {unknown[0]!r}: unknown; expected {', '.join(sorted(GROUP_KEYS))}")
        members = _members(spec, name, where, lambda other: build(other, trail + (name,)))
        if not members:
            raise GroupError(f"{where}: group {name!r}: has no members")
        written = spec.get("names") or [re.sub(r"^the\s+|\s*\(.*\)$", "", spec["label"])]
        if not isinstance(written, list) or not all(isinstance(n, str) and n.strip() for n in written):
            raise GroupError(f"{where}: group {name!r}: field 'names': expected a list of texts")
        built[name] = Group(name, spec["label"], members, tuple(written))
        return built[name]

    for name in specs:
        build(str(name), ())
    return built


def _members(spec: dict, name: str, where: str, build) -> dict[str, int | None]:
    if "any_of" in spec:
        out: dict[str, int | None] = {}
        for other in spec["any_of"] or []:
            for code, year in build(str(other)).members.items():
                out[code] = year if code not in out else _earlier(out[code], year)
        return out
    if "members" in spec:
        if not spec.get("source"):
            raise GroupError(f"{where}: group {name!r}: field 'source': a listed membership needs its source")
        return {str(code): None for code in spec["members"] or []}
    column = spec.get("column")
    rows = country_rows()
    if not rows or column not in rows[0]:
        raise GroupError(f"{where}: group {name!r}: field 'column': country_converter's table has no column {column!r}")
    current = [r for r in rows if not r.get("obsolete") and r.get("ISO3")]
    if spec.get("joined"):
        return {r["ISO3"]: int(r[column]) for r in current if _YEAR.match(r[column] or "")}
    if "value" not in spec:
        raise GroupError(f"{where}: group {name!r}: field 'value': needed with 'column' unless 'joined: true'")
    return {r["ISO3"]: None for r in current if r[column] == str(spec["value"])}


def _earlier(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else min(a, b)


def load_groups() -> dict[str, Group]:
    """Every declared group by name; an empty mapping when the project declares none."""
    path = groups_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0
    return _load(str(path), mtime)  # a changed file is read again


def group(name: str) -> Group:
    """The group ``name``, or a ``GroupError`` naming the nearest declared one."""
    from claimcheck.reference.catalogue import nearest

    declared = load_groups()
    if name not in declared:
        raise GroupError(f"no country group {name!r} in {groups_path()}{nearest(name, set(declared))}")
    return declared[name]
