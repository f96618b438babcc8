"""Measure how far estimates of one figure differ between vintages and sources (the agreement bands).

Reads the transcribed reference copies in ``../shared/reference`` (or the folder given) and prints, per
kind of measure, the spread of relative differences |a - b| / b over every pair of values both hold:

- national-accounts amounts: World Bank GDP (current US$) in five vintages, each against the newest;
- emissions: OWID CO2 in two vintages (2020-12 and the later third-party copy);
- population: World Bank SP.POP.TOTL against the population column of OWID's CO2 table (UN figures);
- trade totals: IMF DOTS mirror flows, China's exports to Belgium against Belgium's imports from China
  and the reverse (each side's report of the same flow).

    .venv/bin/python scripts/measure_bands.py [../shared/reference]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def spread(a: pd.Series, b: pd.Series) -> dict[str, float]:
    """Quantiles of |a - b| / |b|; ``big_p75`` over the pairs whose value is in the top decile (large economies)."""
    keep = (b.abs() > 0) & a.notna() & b.notna()
    a, b = a[keep], b[keep]
    rel = (a - b).abs() / b.abs()
    big = rel[b.abs() >= b.abs().quantile(0.9)]
    return {"pairs": len(rel), "median": rel.median(), "p75": rel.quantile(0.75), "p90": rel.quantile(0.9),
            "big_p75": big.quantile(0.75), "max": rel.max()}


def countries(frame: pd.DataFrame, aggregates: set[str]) -> pd.DataFrame:
    return frame[~frame["Country Code"].isin(aggregates) & frame["Country Code"].str.len().eq(3)]


def main(folder: Path) -> None:
    wb = folder / "worldbank"
    readme = (wb / "README.md").read_text(encoding="utf-8")
    block = readme.split("these 48 codes in the file are aggregates", 1)[1].split("\n\n")[1]
    aggregates = {code.strip() for code in block.replace("\n", " ").split(",")}
    assert len(aggregates) == 48, len(aggregates)
    newest = countries(pd.read_csv(wb / "wdi" / "ny.gdp.mktp.cd.csv"), aggregates)
    vintages = {"datasets/gdp ~2024-10": wb / "gdp_current_usd.csv"}
    vintages |= {f.stem.split("__")[1]: f for f in sorted((wb / "vintages").glob("*.csv"))}
    rows = []
    for name, path in vintages.items():
        old = countries(pd.read_csv(path), aggregates)
        both = old.merge(newest, on=["Country Code", "Year"], suffixes=("_old", "_new"))
        recent = both[both["Year"] >= both["Year"].max() - 4]  # the years an article cites: the latest five
        rows.append({"measure": "GDP current US$", "pair": f"{name} vs 2026-07", **spread(recent["Value_old"], recent["Value_new"])})
    owid = folder / "owid"
    old = pd.read_csv(owid / "owid-co2-data__2020-12-09.csv", usecols=["iso_code", "year", "co2", "population"])
    new = pd.read_csv(owid / "annual-co2-emissions-per-country__yash27-lab.csv")
    new.columns = ["entity", "iso_code", "year", "co2_t"]
    both = old.merge(new, on=["iso_code", "year"]).dropna(subset=["co2"])
    both = both[both["iso_code"].str.len().eq(3) & (both["year"] >= 2014) & (both["year"] <= 2018)]
    rows.append({"measure": "CO2 emissions", "pair": "OWID 2020-12 vs later copy, 2014-2018",
                 **spread(both["co2"] * 1e6, both["co2_t"])})
    pop = countries(pd.read_csv(wb / "wdi" / "sp.pop.totl.csv"), aggregates)
    both = old.rename(columns={"iso_code": "Country Code", "year": "Year"}).merge(pop, on=["Country Code", "Year"])
    both = both[(both["Year"] >= 2014) & (both["Year"] <= 2018)].dropna(subset=["population"])
    rows.append({"measure": "population", "pair": "OWID 2020-12 (UN) vs World Bank 2026-07, 2014-2018",
                 **spread(both["population"], both["Value"])})
    dots = pd.read_csv(folder / "imf_dots" / "china_belgium_annual.csv")
    china = dots["reporter"].str.startswith("China")
    flows = []
    for exporter_is_china in (True, False):
        ex = dots[(china == exporter_is_china) & (dots["indicator"] == "exports_fob") & ~dots["partner"].str.startswith("World")]
        im = dots[(china != exporter_is_china) & (dots["indicator"] == "imports_cif") & dots["partner"].str.startswith("China" if exporter_is_china else "Belg")]
        flows.append(ex.merge(im, on="year", suffixes=("_ex", "_im")))
    both = pd.concat(flows)
    both = both[both["year"] >= 2011]
    rows.append({"measure": "bilateral trade flow", "pair": "IMF DOTS mirror: exporter FOB vs importer CIF, 2011-2020",
                 **spread(both["value_usd_millions_ex"], both["value_usd_millions_im"])})
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.float_format", "{:.4f}".format):
        print(table.to_string(index=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference")
