"""Measure how far honest estimates of one figure differ, per kind of measure (the agreement bands).

Reads the transcribed reference copies in ``$CLAIMCHECK_SHARED/reference`` (default ``../shared``, or the folder given) and, for each
band of ``data/reference/catalogue/bands.yaml``, pairs two honest figures for the same thing (an older
release against the newest, or one source against another) and takes percentiles of their
difference: relative |a - b| / |b| for levels, percentage points |a - b| for rates. The ``supported``
band is the 75th percentile, the ``contradicted`` bound the 95th, each rounded up (to 0.5% for levels,
0.1 points for rates). Revisions are taken, as in ``../shared/reference/README.md``, for the last four
years the oldest stored release holds (2018-08-01: the first estimates of those years) against the newest,
joined on (country code, year), economies only (the 48 aggregate codes of ``worldbank/README.md`` left
out). The economies articles name: levels keep the pairs whose value is in the largest tenth, rates the
50 largest economies by GDP that year.

    .venv/bin/python scripts/measure_bands.py [--write] [../shared/reference]

Without ``--write`` it prints the bands and exits 1 when the committed file differs from them.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
BANDS_FILE = ROOT / "data" / "reference" / "catalogue" / "bands.yaml"
LARGEST = 50  # rates: the economies articles name, as the largest tenth of values for levels
YEARS_BACK = 3  # an older release's last year and the three before: the figures articles quote from it

HEADER = """\
# Agreement bands: how far honest estimates of one figure differ, per kind of measure.
# Written by scripts/measure_bands.py --write from ../shared/reference; do not edit by hand.
# kind: relative (levels, a fraction of the reference) or points (rates, percentage points).
# supported: within it a difference is normal (75th percentile of the measured differences);
# contradicted: beyond it no honest reading explains the figure (95th percentile); between: imprecise.
# growth: a level band's growth rates (in points), measured on the same pairs: a growth rate computed from
#   that level series (growth, yoy_change, cagr) takes it.
# derived_rates: any other percentage computed from a level series (its op) takes the band named here.
"""


# ----------------------------------------------------------------------------------------- reading


def aggregates(folder: Path) -> set[str]:
    readme = (folder / "worldbank" / "README.md").read_text(encoding="utf-8")
    block = readme.split("these 48 codes in the file are aggregates", 1)[1].split("\n\n")[1]
    codes = {code.strip() for code in block.replace("\n", " ").split(",")}
    assert len(codes) == 48, len(codes)
    return codes


def economies(frame: pd.DataFrame, skip: set[str]) -> pd.DataFrame:
    return frame[~frame["Country Code"].isin(skip) & frame["Country Code"].str.len().eq(3)]


def revisions(folder: Path, code: str, skip: set[str], extra: dict[str, Path] | None = None,
              among: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The oldest stored release of a WDI indicator (and any ``extra`` copies) against the newest (``wdi-all``):
    columns a (older), b (newest); ``among``: only these (Country Code, Year) pairs."""
    wb = folder / "worldbank"
    newest = economies(pd.read_csv(wb / "wdi-all" / f"{code}.csv"), skip)
    stored = sorted((wb / "vintages").glob(f"{code}__*.csv"), key=lambda f: f.stem.rsplit("_", 1)[1])
    older = {stored[0].stem: stored[0]} | (extra or {})
    frames, used = [], []
    for path in older.values():
        old = economies(pd.read_csv(path), skip)
        last = int(old["Year"].max())
        both = old.merge(newest, on=["Country Code", "Year"], suffixes=("_old", "_new"))
        both = both[both["Year"].between(last - YEARS_BACK, last)]
        if among is not None:
            both = both.merge(among, on=["Country Code", "Year"])
        frames.append(pd.DataFrame({"a": both["Value_old"], "b": both["Value_new"], "pair": path.name,
                                    "code": both["Country Code"], "year": both["Year"]}))
        used.append(f"worldbank/{path.relative_to(wb).as_posix()} against worldbank/wdi-all/{code}.csv, "
                    f"{last - YEARS_BACK}-{last} ({len(both)} pairs joined)")
    return pd.concat(frames, ignore_index=True), used


def largest_economies(folder: Path, skip: set[str], n: int = LARGEST) -> pd.DataFrame:
    """(Country Code, Year) of the ``n`` largest economies by GDP in current US$ each year (newest release)."""
    gdp = economies(pd.read_csv(folder / "worldbank" / "wdi-all" / "ny.gdp.mktp.cd.csv"), skip)
    return gdp[gdp.groupby("Year")["Value"].rank(ascending=False) <= n][["Country Code", "Year"]]


# --------------------------------------------------------------------------------------- measuring


def differences(pairs: pd.DataFrame, kind: str, largest_tenth: bool = False) -> pd.Series:
    pairs = pairs.dropna()
    if kind == "points":
        return (pairs["a"] - pairs["b"]).abs()
    pairs = pairs[pairs["b"].abs() > 0]
    if largest_tenth:
        pairs = pairs[pairs["b"].abs() >= pairs["b"].abs().quantile(0.9)]
    return (pairs["a"] - pairs["b"]).abs() / pairs["b"].abs()


def growth_differences(pairs: pd.DataFrame, among: pd.DataFrame | None = None) -> pd.Series:
    """|growth of a − growth of b| in percentage points, year on year within each pair of files and country
    (consecutive years only); ``among``: only these (Country Code, Year) pairs, the later year's."""
    p = pairs.dropna(subset=["a", "b"]).sort_values(["pair", "code", "year"])
    groups = p.groupby(["pair", "code"])
    ga, gb = groups["a"].pct_change() * 100, groups["b"].pct_change() * 100
    keep = groups["year"].diff().eq(1) & np.isfinite(ga) & np.isfinite(gb)
    if among is not None:
        wanted = set(zip(among["Country Code"], among["Year"]))
        keep &= np.array([(c, y) in wanted for c, y in zip(p["code"], p["year"])])
    return (ga - gb).abs()[keep]


def with_growth(entry: dict, diffs: pd.Series, method: str) -> dict:
    """A level band with the band of its growth rates (in points), measured on the same pairs."""
    growth = band("points", diffs, method, entry["measured"]["files"])
    growth["measured"].pop("files")  # the level band's files
    return {**entry, "growth": {k: v for k, v in growth.items() if k != "kind"} | {"kind": "points"}}


def two_levels(first: pd.DataFrame, second: pd.DataFrame, big: pd.DataFrame, files: list[str], method: str) -> dict:
    """A level band measured on the revisions of two series together, with its growth band."""
    return with_growth(band("relative", pd.concat([differences(first, "relative", True), differences(second, "relative", True)]),
                            method, files),
                       pd.concat([growth_differences(first, big), growth_differences(second, big)]),
                       "year-on-year growth of the same pairs, the 50 largest economies")


def round_up(value: float, step: float) -> float:
    return round(math.ceil(value / step - 1e-9) * step, 6)


LABELS = {  # how a sentence names what the band is for: "estimates of <label> differ by up to ..."
    "national_accounts": "national-accounts figures", "population": "population figures", "emissions": "emissions figures",
    "trade_bilateral": "trade between two countries", "trade_total": "a country's total trade", "growth_rate": "growth rates",
    "inflation": "inflation rates", "unemployment": "unemployment rates", "rate": "rates and shares", "level": "levels",
}


def band(kind: str, diffs: pd.Series, method: str, files: list[str]) -> dict:
    """One band's entry: the percentiles (numpy's linear interpolation) and the two bounds."""
    q = {f"p{p}": float(np.percentile(diffs, p)) for p in (50, 75, 90, 95)}
    step = 0.005 if kind == "relative" else 0.1
    supported = round_up(q["p75"], step)
    contradicted = max(round_up(q["p95"], step), round(supported + step, 6))
    percentiles = {k: round(v, 6) for k, v in q.items()} | {"max": round(float(diffs.max()), 6)}
    entry = {"kind": kind, "supported": supported, "contradicted": contradicted,
             "measured": {"method": method, "files": files, "n": int(len(diffs)), "percentiles": percentiles}}
    return entry


def measure(folder: Path) -> dict:
    skip = aggregates(folder)
    big = largest_economies(folder, skip)
    bands: dict[str, dict] = {}

    gdp, files = revisions(folder, "ny.gdp.mktp.cd", skip, {"datasets-gdp": folder / "worldbank" / "gdp_current_usd.csv"})
    pcap, more = revisions(folder, "ny.gdp.pcap.cd", skip)
    bands["national_accounts"] = two_levels(
        gdp, pcap, big, files + more, "World Bank GDP and GDP per person in current US$: the oldest stored release "
        "against the newest, the largest tenth of values")

    pop, files = revisions(folder, "sp.pop.totl", skip)
    owid = pd.read_csv(folder / "owid" / "owid-co2-data__2020-12-09.csv", usecols=["iso_code", "year", "co2", "population"])
    wb_pop = economies(pd.read_csv(folder / "worldbank" / "wdi-all" / "sp.pop.totl.csv"), skip)
    un = owid.rename(columns={"iso_code": "Country Code", "year": "Year"}).merge(wb_pop, on=["Country Code", "Year"])
    un = un[un["Year"].between(2014, 2018)]
    un_pairs = pd.DataFrame({"a": un["population"], "b": un["Value"], "pair": "un", "code": un["Country Code"],
                             "year": un["Year"]})
    bands["population"] = with_growth(band(
        "relative", pd.concat([differences(pop, "relative", True),
                               differences(un_pairs, "relative", True)]),
        "World Bank population: the oldest stored release against the newest; and the UN population in OWID's CO2 table "
        "(2020-12-09) against the World Bank's newest, 2014-2018; the largest tenth of values",
        files + ["owid/owid-co2-data__2020-12-09.csv (population) against worldbank/wdi-all/sp.pop.totl.csv, "
                 f"2014-2018 ({len(un)} pairs joined)"]),
        pd.concat([growth_differences(pop, big), growth_differences(un_pairs, big)]),
        "year-on-year growth of the same pairs, the 50 largest economies")

    new = pd.read_csv(folder / "owid" / "annual-co2-emissions-per-country__yash27-lab.csv")
    new.columns = ["entity", "iso_code", "year", "co2_t"]
    co2 = owid.merge(new, on=["iso_code", "year"]).dropna(subset=["co2"])
    co2 = co2[co2["iso_code"].str.len().eq(3) & co2["year"].between(2014, 2018)]
    co2_pairs = pd.DataFrame({"a": co2["co2"] * 1e6, "b": co2["co2_t"], "pair": "owid", "code": co2["iso_code"],
                              "year": co2["year"]})
    emitters = co2[co2.groupby("year")["co2_t"].rank(ascending=False) <= LARGEST]
    emitters = pd.DataFrame({"Country Code": emitters["iso_code"], "Year": emitters["year"]})
    bands["emissions"] = with_growth(band(
        "relative", differences(co2_pairs, "relative", True),
        "OWID CO2 emissions in the 2020-12-09 release against the later third-party copy of OWID's data, "
        "2014-2018, the largest tenth of values",
        [f"owid/owid-co2-data__2020-12-09.csv against owid/annual-co2-emissions-per-country__yash27-lab.csv, "
         f"2014-2018 ({len(co2)} pairs)"]),
        growth_differences(co2_pairs, emitters), "year-on-year growth of the same pairs, the 50 largest emitters")

    dots = pd.read_csv(folder / "imf_dots" / "china_belgium_annual.csv")
    china = dots["reporter"].str.startswith("China")
    flows = []
    for exporter_is_china in (True, False):  # each direction of the flow is one series
        ex = dots[(china == exporter_is_china) & (dots["indicator"] == "exports_fob") & ~dots["partner"].str.startswith("World")]
        im = dots[(china != exporter_is_china) & (dots["indicator"] == "imports_cif")
                  & dots["partner"].str.startswith("China" if exporter_is_china else "Belg")]
        flows.append(ex.merge(im, on="year", suffixes=("_ex", "_im")).assign(code="CHN" if exporter_is_china else "BEL"))
    mirror = pd.concat(flows)
    mirror = mirror[mirror["year"] >= 2011]
    mirror_pairs = pd.DataFrame({"a": mirror["value_usd_millions_ex"], "b": mirror["value_usd_millions_im"],
                                 "pair": "dots", "code": mirror["code"], "year": mirror["year"]})
    bands["trade_bilateral"] = with_growth(band(
        "relative", differences(mirror_pairs, "relative"),
        "IMF DOTS mirror flows, China <-> Belgium 2011-2020: the exporter's FOB report against the importer's CIF "
        "report of the same flow (one country pair, so every pair counts)",
        [f"imf_dots/china_belgium_annual.csv, exports_fob against the partner's imports_cif ({len(mirror)} pairs)"]),
        growth_differences(mirror_pairs), "year-on-year growth of the same flows, each side's report")

    world = dots[dots["partner"].eq("World") & dots["reporter"].isin(["China, P.R.: Mainland", "Belgium"])].copy()
    world["Country Code"] = np.where(world["reporter"].str.startswith("China"), "CHN", "BEL")
    customs = []
    for indicator, code in (("exports_fob", "tx.val.mrch.cd.wt"), ("imports_cif", "tm.val.mrch.cd.wt")):
        wdi = pd.read_csv(folder / "worldbank" / "wdi-all" / f"{code}.csv")
        side = world[world["indicator"].eq(indicator)].rename(columns={"year": "Year"})
        both = side.merge(wdi, on=["Country Code", "Year"])
        both = both[both["Year"] >= 2000]
        customs.append(pd.DataFrame({"a": both["value_usd_millions"] * 1e6, "b": both["Value"], "pair": indicator,
                                     "code": both["Country Code"], "year": both["Year"]}))
    customs_pairs = pd.concat(customs, ignore_index=True)
    tx, files = revisions(folder, "tx.val.mrch.cd.wt", skip)
    tm, more = revisions(folder, "tm.val.mrch.cd.wt", skip)
    bands["trade_total"] = with_growth(band(
        "relative", pd.concat([differences(customs_pairs, "relative"), differences(pd.concat([tx, tm]), "relative", True)]),
        "A country's goods trade with the world: customs totals as reported to the IMF (DOTS, China and Belgium "
        "with the World, 2000-2020) against World Bank merchandise exports and imports; and the World Bank's "
        "oldest stored releases of those series against the newest, the largest tenth of values",
        [f"imf_dots/china_belgium_annual.csv (partner World) against worldbank/wdi-all/tx.val.mrch.cd.wt.csv and "
         f"tm.val.mrch.cd.wt.csv, 2000-2020 ({len(customs_pairs)} pairs joined)"] + files + more),
        pd.concat([growth_differences(customs_pairs), growth_differences(pd.concat([tx, tm]), big)]),
        "year-on-year growth of the same pairs (the World Bank's releases: the 50 largest economies)")

    growth, files = revisions(folder, "ny.gdp.mktp.kd.zg", skip, among=big)
    growth_pc, more = revisions(folder, "ny.gdp.pcap.kd.zg", skip, among=big)
    bands["growth_rate"] = band(
        "points", differences(pd.concat([growth, growth_pc]), "points"),
        "World Bank real GDP growth and GDP growth per person: the oldest stored release against the newest, the 50 largest economies", files + more)

    cpi, files = revisions(folder, "fp.cpi.totl.zg", skip, among=big)
    bands["inflation"] = band("points", differences(cpi, "points"),
                              "World Bank consumer price inflation: the oldest stored release against the newest, the 50 largest economies", files)

    jobless, files = revisions(folder, "sl.uem.totl.zs", skip, among=big)
    bands["unemployment"] = band("points", differences(jobless, "points"),
                                 "World Bank unemployment (modelled ILO estimate): the oldest stored release against the newest, the 50 largest economies", files)

    shares, files = revisions(folder, "ne.exp.gnfs.zs", skip, among=big)
    bands["rate"] = band("points", differences(shares, "points"),
                         "World Bank exports as a share of GDP: the oldest stored release against the newest, the 50 "
                         "largest economies", files)

    ppp, files = revisions(folder, "ny.gdp.pcap.pp.cd", skip)
    life, more = revisions(folder, "sp.dyn.le00.in", skip)
    bands["level"] = two_levels(
        ppp, life, big, files + more, "Any other level: World Bank GDP per person at PPP and life expectancy, the "
        "oldest stored release against the newest, the largest tenth of values")

    bands = {name: {"label": LABELS[name], **entry} for name, entry in bands.items()}
    growth = {op: "growth_rate" for op in ("growth", "yoy_change", "cagr")}
    return {"bands": bands, "derived_rates": growth | {"default": "rate"}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    shared = Path(os.environ.get("CLAIMCHECK_SHARED", ROOT.parent / "shared"))
    parser.add_argument("folder", nargs="?", type=Path, default=shared / "reference")
    parser.add_argument("--write", action="store_true", help=f"write {BANDS_FILE.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    measured = measure(args.folder)
    for name, entry in measured["bands"].items():
        unit = "%" if entry["kind"] == "relative" else " pp"
        scale = 100 if entry["kind"] == "relative" else 1
        q = entry["measured"]["percentiles"]
        print(f"{name:18} supported {entry['supported'] * scale:6.2f}{unit}  contradicted beyond "
              f"{entry['contradicted'] * scale:6.2f}{unit}  (n {entry['measured']['n']}; "
              + ", ".join(f"{k} {v * scale:.3f}" for k, v in q.items()) + ")")
    text = HEADER + yaml.safe_dump(measured, sort_keys=False, allow_unicode=True, width=110)
    if args.write:
        BANDS_FILE.write_text(text, encoding="utf-8")
        return 0
    committed = BANDS_FILE.read_text(encoding="utf-8") if BANDS_FILE.exists() else ""
    if committed != text:
        print(f"{BANDS_FILE.relative_to(ROOT)} differs from these measurements; run with --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
