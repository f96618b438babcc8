"""Agreement bands: how far honest estimates of one figure differ, per kind of measure.

The bands are data (``data/reference/catalogue/bands.yaml``, written by ``scripts/measure_bands.py``
from the shared reference copies). Each has a ``kind`` (``relative`` for levels, ``points`` for rates
in percentage points), a ``supported`` band (the 75th percentile of measured differences) and a
``contradicted`` bound (the 95th percentile). ``docs/verdicts.md`` ("Revisions and sources") says how
the verdict uses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claimcheck import paths
from claimcheck.registry.yamltext import read_yaml_file

BANDS_FILE = "bands.yaml"
KINDS = ("relative", "points")


class BandsError(ValueError):
    """The bands file is missing or malformed (one line naming the file and the field)."""


@dataclass(frozen=True)
class Band:
    name: str
    kind: str  # relative | points
    supported: float
    contradicted: float
    label: str = ""  # what it is for, in a sentence: "estimates of <label> differ ..."
    method: str = ""
    n: int = 0
    growth: "Band | None" = None  # a level band's growth rates, in points, measured on the same pairs

    @property
    def in_points(self) -> bool:
        return self.kind == "points"


@dataclass(frozen=True)
class Bands:
    bands: dict[str, Band]
    derived_rates: dict[str, str]  # op of a percentage computed from a level series -> band name ("default")

    def derived_rate(self, op: str | None, level: Band | None = None) -> Band:
        """The band of a percentage computed by ``op`` from a level series: a growth op (one ``derived_rates``
        names) takes the level band's own ``growth`` band when it has one."""
        growth_op = (op or "") in self.derived_rates and op != "default"
        if growth_op and level is not None and level.growth is not None:
            return level.growth
        return self.bands[self.derived_rates.get(op or "", self.derived_rates["default"])]


def bands_path() -> Any:
    return paths.reference_dir() / "catalogue" / BANDS_FILE


_cache: dict[Any, Bands] = {}


def load_bands() -> Bands:
    """The bands file under the current data folder (re-read when it changes); raise ``BandsError``."""
    path = bands_path()
    try:
        stat = path.stat()
    except OSError:
        raise BandsError(f"{path}: missing; run scripts/measure_bands.py --write") from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _cache:
        _cache.clear()
        _cache[key] = _parse(path, _read(path))
    return _cache[key]


def _read(path: Any) -> Any:
    """The file's YAML; anything that does not read is one line naming the file."""
    if problem := paths.outside_data(path):
        raise BandsError(problem)
    return read_yaml_file(path, BandsError)


def _parse(path: Any, raw: Any) -> Bands:
    if not isinstance(raw, dict) or not isinstance(raw.get("bands"), dict):
        raise BandsError(f"{path}: expected a mapping with a 'bands' mapping")
    bands = {}
    for name, entry in raw["bands"].items():
        band = _band(f"{path}, band {name}", str(name), entry, str(name))
        if isinstance(entry.get("growth"), dict):
            growth = _band(f"{path}, band {name}, field growth", f"{name}.growth", entry["growth"],
                           f"growth rates of {band.label}")
            if not growth.in_points:
                raise BandsError(f"{path}, band {name}, field growth.kind: a growth band is in points")
            band = Band(band.name, band.kind, band.supported, band.contradicted, band.label, band.method, band.n, growth)
        bands[str(name)] = band
    derived = raw.get("derived_rates") or {}
    if not isinstance(derived, dict) or "default" not in derived:
        raise BandsError(f"{path}, field derived_rates: expected a mapping of ops to band names with a 'default'")
    for op, name in derived.items():
        if name not in bands or not bands[name].in_points:
            raise BandsError(f"{path}, field derived_rates.{op}: {name!r} is not a band in points")
    return Bands(bands, {str(k): str(v) for k, v in derived.items()})


def _band(where: str, name: str, entry: Any, label: str) -> Band:
    if not isinstance(entry, dict):
        raise BandsError(f"{where}: expected a mapping")
    if entry.get("kind") not in KINDS:
        raise BandsError(f"{where}, field kind: expected one of {', '.join(KINDS)}, got {entry.get('kind')!r}")
    numbers = {}
    for field in ("supported", "contradicted"):
        value = entry.get(field)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise BandsError(f"{where}, field {field}: expected a number of 0 or more, got {value!r}")
        numbers[field] = float(value)
    if numbers["contradicted"] < numbers["supported"]:
        raise BandsError(f"{where}, field contradicted: {numbers['contradicted']} is below supported {numbers['supported']}")
    measured = entry.get("measured") or {}
    return Band(name, entry["kind"], numbers["supported"], numbers["contradicted"], str(entry.get("label") or label),
                str(measured.get("method", "")), int(measured.get("n", 0) or 0))


def band_names() -> tuple[str, ...]:
    return tuple(load_bands().bands)


__all__ = ["BANDS_FILE", "Band", "Bands", "BandsError", "band_names", "bands_path", "load_bands"]
