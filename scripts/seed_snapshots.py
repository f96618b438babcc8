"""Regenerate the transcribed seed snapshots in data/reference/ from the shared reference folder.

Usage: .venv/bin/python scripts/seed_snapshots.py [SHARED_DIR]
SHARED_DIR defaults to $CLAIMCHECK_SHARED, else ../shared next to the repository. The output goes to
$CLAIMCHECK_DATA/reference (default data/reference). Running it twice gives byte-identical files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import yaml

from claimcheck import paths
from claimcheck.reference.documents import registry_paths
from claimcheck.reference.snapshots import pick_version, read_meta, render_meta, version_paths, write_snapshot

# The day these copies were transcribed into the project (fixed, so reruns are byte-identical).
TRANSCRIBED_AT = "2026-11-28"

GDP_ORIGIN = {
    "repository": "https://github.com/datasets/gdp",
    "commit": "822019c80142c162e4ca4eb1a63699ae36075078",
    "files": [{"path": "data/gdp.csv", "git_blob": "2d997edabb4c94223a97181819516086104a6f57"}],
    "file_last_changed_in": "1cdcd2eb2364edd9da24bcbe134c1a9e0fb4c693 (2024-10-21)",
}
DOTS_ORIGIN = {
    "repository": "https://github.com/SamLeBlanc/Direction-of-Trade-Map",
    "commit": "a0b40afbac7cefc59a4b35c1ebe541ac546aafad",
    "files": [
        {"path": "data/DOTS/DOTS_19.xlsx", "git_blob": "412e8d32042dd04812b32fd7911e73fdef28aa73", "reporter": "Belgium"},
        {"path": "data/DOTS/DOTS_20.xlsx", "git_blob": "f06b01b8c0649ec67772bf2f869e86c49d79bec7", "reporter": "Belgium-Luxembourg"},
        {"path": "data/DOTS/DOTS_40.xlsx", "git_blob": "ab83c5d1baeaf339ae04d1b10bf3d1c6b88e1f39", "reporter": "China, P.R.: Mainland"},
    ],
}  # fmt: skip
GDP_VERSION = "2024-10-21"  # datasets/gdp's data/gdp.csv last changed in 1cdcd2e on this day
DOTS_VERSION = "2022-02-02"  # the DOTS workbooks last changed in a769819 on this day
DOTS_CODES = {"China, P.R.: Mainland": "CHN", "Belgium": "BEL", "Belgium-Luxembourg": "BLX", "World": "WLD"}


def shared_dir(argv: list[str]) -> Path:
    if argv:
        return Path(argv[0])
    return Path(os.environ.get("CLAIMCHECK_SHARED", paths.PROJECT_ROOT.parent / "shared"))


def git_blob_id(data: bytes) -> str:
    """The id ``git hash-object`` gives these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def seed_gdp(shared: Path) -> None:
    origin_path = shared / "reference/worldbank/gdp_current_usd.csv"
    raw = origin_path.read_bytes()
    blob = git_blob_id(raw)
    if blob != GDP_ORIGIN["files"][0]["git_blob"]:
        sys.exit(f"{origin_path} is not the recorded copy (git blob {blob}); refusing to seed from it")
    table = pd.read_csv(origin_path, dtype=str, keep_default_na=False)
    aggregates = set(pd.read_csv(INPUTS / "worldbank/aggregates.csv", dtype=str)["entity"])
    frame = pd.DataFrame(
        {
            "entity": table["Country Code"],
            "partner": "",
            "period": table["Year"],
            "measure": "NY.GDP.MKTP.CD",
            "value": table["Value"].astype(float),
            "unit": "USD",
            "entity_name": table["Country Name"],
            "aggregate": table["Country Code"].isin(aggregates),
        }
    )
    if frame["entity"][frame["aggregate"]].nunique() != len(aggregates):
        sys.exit("the aggregate codes listed in data/reference/worldbank/aggregates.csv are not all in the file")
    meta = {
        "dataset": "NY.GDP.MKTP.CD",
        "title": "GDP (current US$), World Bank WDI via datasets/gdp, 1960-2023",
        "description": "Every economy and World Bank aggregate (aggregate=True for the 48 aggregate codes).",
        "url": f"{GDP_ORIGIN['repository']}/blob/{GDP_ORIGIN['commit']}/data/gdp.csv",
        "method": "transcribed",
        "transcribed_at": TRANSCRIBED_AT,
        "transcribed_from": GDP_ORIGIN,
        "origin_notes": (
            "Byte-identical copy of data/gdp.csv at that commit (columns Country Name, Country Code, Year, "
            "Value; US$, not millions), which the repo's scripts/process.py built from the World Bank bulk "
            "CSV https://api.worldbank.org/v2/en/indicator/NY.GDP.MKTP.CD?downloadformat=csv. Vintage: World Bank data downloaded around Oct 2024 (later than the "
            "article, Feb 2023; the World Bank revises back years). Reshaped to the tidy columns here; "
            "values parsed as doubles, written as the shortest round-trip decimal. Aggregate flags are "
            "ours (48 codes, shared/reference/worldbank/README.md)."
        ),
        "published": GDP_VERSION,
        "published_means": (
            "when this copy of the World Bank data was taken: the date of the origin commit that last changed "
            "data/gdp.csv (1cdcd2e, 2024-10-21), not a World Bank release date"
        ),
        "licence": "ODC-PDDL-1.0",
        "licence_url": "http://opendatacommons.org/licenses/pddl/",
    }
    write_snapshot("worldbank", "gdp_current_usd", frame, meta, version=GDP_VERSION)


def seed_dots(shared: Path) -> None:
    table = pd.read_csv(shared / "reference/imf_dots/china_belgium_annual.csv", dtype=str, keep_default_na=False)
    # Decimal keeps the conversion to US$ exact before the single rounding to a double.
    usd = [float(Decimal(v) * 1_000_000) for v in table["value_usd_millions"]]
    frame = pd.DataFrame(
        {
            "entity": table["reporter"].map(DOTS_CODES),
            "partner": table["partner"].map(DOTS_CODES),
            "period": table["year"],
            "measure": table["indicator"],
            "value": usd,
            "unit": "USD",
            "entity_name": table["reporter"],
            "partner_name": table["partner"],
            "basis": "reporter-reported (IMF DOTS)",
        }
    )
    meta = {
        "dataset": "IMF Direction of Trade Statistics (DOTS, now IMTS), annual",
        "title": "China <-> Belgium / Belgium-Luxembourg trade, as reported by each side, 1960-2020",
        "description": (
            "exports_fob = reporter's exports to partner (FOB); imports_cif = reporter's imports from partner "
            "(CIF). Entity = reporter, partner = counterpart; CHN China, P.R.: Mainland; BEL Belgium (from "
            "1997); BLX Belgium-Luxembourg (to 1996, includes Luxembourg); WLD World."
        ),
        "url": f"{DOTS_ORIGIN['repository']}/tree/{DOTS_ORIGIN['commit']}/data/DOTS",
        "method": "transcribed",
        "transcribed_at": TRANSCRIBED_AT,
        "transcribed_from": DOTS_ORIGIN,
        "origin_notes": (
            "Cells of sheets 'Exports, FOB' and 'Imports, CIF' (unit row 'US Dollars, Millions'), via "
            "shared/reference/imf_dots/china_belgium_annual.csv. Converted here from US$ millions to US$ "
            "(exact decimal x 1e6, then one rounding to a double). The data end in 2020: no 2021-2022 and no "
            "monthly figures. The workbooks carry no vintage; they were downloaded before 2022-02-02. "
            "BLX (to 1996) and BEL (from 1997) are different series; do not join them. Mirror flows differ "
            "(CIF vs FOB, origin vs consignment, transit via Belgian ports). The dataset today: "
            "https://data.imf.org/en/datasets/IMF.STA:IMTS."
        ),
        "published": DOTS_VERSION,
        "published_means": (
            "when this copy of the IMF data was taken: the date of the origin commit that last changed the three "
            "workbooks (a769819, 2022-02-02), not an IMF release date"
        ),
        "licence": "© International Monetary Fund; IMF Copyright and Usage terms (cite the IMF as the source)",
        "licence_url": "https://www.imf.org/en/About/copyright-and-terms",
    }
    write_snapshot("imf", "dots_china_belgium_annual", frame, meta, version=DOTS_VERSION)


def seed_documents(shared: Path) -> None:
    raw = (shared / "reference/documents.yaml").read_bytes()
    registry, sidecar = registry_paths()
    registry.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "source": "documents",
        "dataset": "documents",
        "title": "Published statements cited as documentary evidence (65 entries)",
        "method": "transcribed",
        "transcribed_at": TRANSCRIBED_AT,
        "transcribed_from": {
            "description": (
                "stored copies (research corpora) of the public pages named by each entry's url; "
                "origin of each entry = its publisher, url and published date"
            ),
            "files": [{"path": "shared/reference/documents.yaml", "git_blob": git_blob_id(raw)}],
        },
        "origin_notes": (
            "Byte-identical copy of the shared dossier. Quotes were copied character for character from "
            "stored copies, not live pages: re-open a URL before citing it. Only 'facts' are stated by a "
            "source; numbers in notes marked 'derived, not stated' are our arithmetic. Some entries carry "
            "cautions (currency not visible, URL inferred, mislabelled deficit)."
        ),
        "licence": "quotations for commentary and verification; each page remains its publisher's",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "rows": len(yaml.safe_load(raw)),
    }
    registry.write_bytes(raw)
    sidecar.write_bytes(render_meta(meta))


# ----------------------------------------------------------------------------------- inputs we keep

# Reviewed lists the seed reads from the repository (not from the shared folder): which codes are
# aggregates, and each FRED currency's ISO code with a known rate that tells its direction.
INPUTS = paths.PROJECT_ROOT / "data" / "reference"
INPUT_FILES = ["worldbank/aggregates.csv", "owid/aggregates.csv", "fred/currencies.csv"]


def copy_inputs() -> None:
    """Copy the reviewed input lists, and the catalogue that names each snapshot and its unit, beside the
    output when seeding into another data folder."""
    out = paths.reference_dir()
    if out.resolve() == INPUTS.resolve():
        return
    for name in INPUT_FILES:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((INPUTS / name).read_bytes())
    shutil.copytree(INPUTS / "catalogue", out / "catalogue", dirs_exist_ok=True)


def read_blob(path: Path, blob: str) -> bytes:
    """The bytes of ``path``, refusing a file that is not the recorded git blob."""
    raw = path.read_bytes()
    if git_blob_id(raw) != blob:
        sys.exit(f"{path} is not the recorded copy (git blob {git_blob_id(raw)}, recorded {blob}); refusing to seed from it")
    return raw


def read_csv_bytes(raw: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8")


def write_labels(file: str, names: dict[str, str], aggregates: set[str]) -> None:
    """``entity,entity_name,aggregate`` for every entity the compact snapshots of a source hold."""
    rows = [[code, names[code], "True" if code in aggregates else "False"] for code in sorted(names)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["entity", "entity_name", "aggregate"])
    writer.writerows(rows)
    target = paths.reference_dir() / file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(out.getvalue().encode("utf-8"))


# ------------------------------------------------------------------------------- World Bank WDI

WDI_REPO = "https://github.com/datasets/world-development-indicators"
WDI_HEAD = "4ebec5a2273f531ba238a34dbe440394dc5a6c4b"
WDI_LICENCE = ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/")
WB_LABELS = "worldbank/economies.csv"

# indicator -> (snapshot name, unit of the values as stored, title). NY.GDP.MKTP.CD is not here: its
# WDI copy is the 2026-07-01 version of worldbank/gdp_current_usd, not a second table.
WDI = {
    "SP.POP.TOTL": ("population", "people", "Population, total"),
    "NY.GDP.MKTP.KD.ZG": ("gdp_growth", "percent", "GDP growth (annual %, constant prices)"),
    "NY.GDP.PCAP.CD": ("gdp_per_capita_current_usd", "USD", "GDP per capita (current US$)"),
    "NY.GDP.PCAP.KD.ZG": ("gdp_per_capita_growth", "percent", "GDP per capita growth (annual %)"),
    "NY.GDP.PCAP.PP.CD": ("gdp_per_capita_ppp", "international_dollars", "GDP per capita, PPP (current international $)"),
    "NY.GNP.PCAP.CD": ("gni_per_capita_atlas", "USD", "GNI per capita, Atlas method (current US$)"),
    "FP.CPI.TOTL.ZG": ("inflation_cpi", "percent", "Inflation, consumer prices (annual %)"),
    "SL.UEM.TOTL.ZS": ("unemployment", "percent", "Unemployment, total (% of total labour force, modelled ILO estimate)"),
    "SP.DYN.LE00.IN": ("life_expectancy", "years", "Life expectancy at birth, total (years)"),
    "NE.EXP.GNFS.ZS": ("exports_share_of_gdp", "percent", "Exports of goods and services (% of GDP)"),
    "NE.IMP.GNFS.ZS": ("imports_share_of_gdp", "percent", "Imports of goods and services (% of GDP)"),
    "TX.VAL.MRCH.CD.WT": ("merchandise_exports", "USD", "Merchandise exports (current US$)"),
    "TM.VAL.MRCH.CD.WT": ("merchandise_imports", "USD", "Merchandise imports (current US$)"),
    "TG.VAL.TOTL.GD.ZS": ("merchandise_trade_share_of_gdp", "percent", "Merchandise trade (% of GDP)"),
    "BX.KLT.DINV.CD.WD": ("fdi_net_inflows", "USD", "Foreign direct investment, net inflows (BoP, current US$)"),
    "EG.FEC.RNEW.ZS": ("renewable_energy_share", "percent", "Renewable energy consumption (% of total final energy consumption)"),
    "EN.ATM.CO2E.KT": ("co2_emissions", "kilotonnes", "CO2 emissions (kt)"),
    "EN.ATM.CO2E.PC": ("co2_emissions_per_capita", "tonnes_per_person", "CO2 emissions (metric tons per capita)"),
}  # fmt: skip


def wdi_commits(shared: Path) -> dict[str, tuple[str, str]]:
    """short commit -> (full commit, commit date) from vintages/COMMITS.txt."""
    lines = (shared / "reference/worldbank/vintages/COMMITS.txt").read_text(encoding="utf-8").split("\n")
    return {parts[0]: (parts[1], parts[2]) for parts in (line.split() for line in lines) if len(parts) >= 3}


def wdi_frame(table: pd.DataFrame, code: str, unit: str | None = None) -> pd.DataFrame:
    """The long ``Country Name,Country Code,Year,Value`` table as tidy rows (names come from the labels)."""
    return pd.DataFrame({"entity": table["Country Code"], "partner": "", "period": table["Year"], "measure": code,
                         "value": table["Value"].astype(float), "unit": unit or WDI.get(code, ("", "USD"))[1]})  # fmt: skip


def wdi_meta(code: str, title: str, path: str, blob: str, commit: str, date: str, changed_in: str, head: str) -> dict:
    return {
        "dataset": code,
        "title": f"{title}, World Bank WDI via datasets/world-development-indicators",
        "description": "Every economy and World Bank aggregate (aggregate=True for the codes in worldbank/aggregates.csv).",
        "url": f"{WDI_REPO}/blob/{head}/{path}",
        "method": "transcribed",
        "published": date,
        "published_means": (
            f"when this copy of the World Bank data was taken: the date of the origin commit that last changed "
            f"{path} ({changed_in[:7]}, {date}), not a World Bank release date"
        ),
        "transcribed_at": TRANSCRIBED_AT,
        "transcribed_from": {"repository": WDI_REPO, "commit": head, "files": [{"path": path, "git_blob": blob}],
                             "file_last_changed_in": f"{changed_in} ({date})"},  # fmt: skip
        "origin_notes": (
            f"{path} at that commit (columns Country Name, Country Code, Year, Value), the repository's "
            f"automated copy of the World Bank indicator {code}. Reshaped to the tidy columns here; values parsed "
            "as doubles, written as the shortest round-trip decimal, in the indicator's own unit. Stored compact: "
            "partner, measure and unit once in this sidecar, names and aggregate flags in worldbank/economies.csv."
        ),
        "licence": WDI_LICENCE[0],
        "licence_url": WDI_LICENCE[1],
    }


def seed_wdi(shared: Path) -> list[tuple[str, str]]:
    folder = shared / "reference/worldbank"
    commits = wdi_commits(shared)
    blobs = {parts[0]: (parts[1], parts[2]) for parts in (
        line.split() for line in (folder / "wdi/BLOBS.txt").read_text(encoding="utf-8").split("\n")) if len(parts) == 3}
    aggregates = set(read_csv_bytes((INPUTS / "worldbank/aggregates.csv").read_bytes())["entity"])
    tables, names = {}, {}
    # oldest copies first, so a name from a newer copy wins
    gdp_vintages = sorted(((short, *commits[short]) for short in commits if short != WDI_HEAD[:7]), key=lambda c: c[2])
    for short, full, date in gdp_vintages:
        raw = read_blob(folder / f"vintages/ny.gdp.mktp.cd__{short}_{date}.csv", _vintage_blob(shared, short))
        tables[("gdp", short)] = read_csv_bytes(raw)
    for indicator, (blob, short) in sorted(blobs.items(), key=lambda item: commits[item[1][1]][1]):
        tables[("wdi", indicator)] = read_csv_bytes(read_blob(folder / f"wdi/{indicator}.csv", blob))
    base = read_csv_bytes((folder / "gdp_current_usd.csv").read_bytes())
    for table in [base, *tables.values()]:
        names.update(zip(table["Country Code"], table["Country Name"]))
    write_labels(WB_LABELS, names, aggregates)

    written = []
    for short, full, date in gdp_vintages:
        path = "indicators/ny.gdp.mktp.cd/data.csv"
        meta = wdi_meta("NY.GDP.MKTP.CD", "GDP (current US$)", path, _vintage_blob(shared, short), full, date, full, full)
        write_snapshot("worldbank", "gdp_current_usd", wdi_frame(tables[("gdp", short)], "NY.GDP.MKTP.CD"), meta,
                       version=date, constants=("partner", "measure", "unit"), labels=WB_LABELS)
    for indicator, (blob, short) in sorted(blobs.items()):
        code = indicator.upper()
        full, date = commits[short]
        path = f"indicators/{indicator}/data.csv"
        name, _, title = WDI.get(code, ("gdp_current_usd", "USD", "GDP (current US$)"))
        meta = wdi_meta(code, title, path, blob, full, date, full, WDI_HEAD)
        write_snapshot("worldbank", name, wdi_frame(tables[("wdi", indicator)], code), meta, version=date,
                       constants=("partner", "measure", "unit"), labels=WB_LABELS)
        written.append(("worldbank", name))
    return written


# The commits that last changed a wdi-all file (BLOBS.txt) or hold a vintage (VINTAGES.txt), and their
# commit dates, from `git log` of the origin repository.
WDI_COMMIT_DATES = {
    "e73c49d5ab4381c90d5dca35274953b25031fc2a": "2018-08-01",
    "20289a7f4a748722b6d7142af0ab972f6d038452": "2025-12-17",
    "b8773c863b57bb0a1cf04df278a4d96309c356f9": "2026-03-04",
    "59aa866f1c89605bc8e72b0274d699118b4c0025": "2026-04-01",
    "6b2145a46a8033433e071207ae4bdd332d02a73c": "2026-05-01",
    "4ebec5a2273f531ba238a34dbe440394dc5a6c4b": "2026-07-01",
}


def wdi_snapshot(code: str) -> str:
    """The snapshot of a WDI indicator: its own name if it has one, else its code in lower case, dots as underscores."""
    if code == "NY.GDP.MKTP.CD":
        return "gdp_current_usd"
    return WDI[code][0] if code in WDI else code.lower().replace(".", "_")


def _write_wdi(spec, code: str, table: pd.DataFrame, meta: dict, date: str) -> tuple[str, str]:
    """One release of a WDI indicator as a compact, compressed version of its snapshot."""
    write_snapshot("worldbank", spec.name, wdi_frame(table, code, spec.unit), meta, version=date,
                   constants=("partner", "measure", "unit"), labels=WB_LABELS, compress=True)
    return "worldbank", spec.name


def seed_wdi_all(shared: Path) -> list[tuple[str, str]]:
    """Every other WDI indicator (wdi-all/, one snapshot each, its unit from the catalogue entry), and
    every earlier release in vintages/ as an older version of its snapshot; all stored gzip-compressed."""
    from claimcheck.reference import catalogue

    folder = shared / "reference/worldbank"
    blobs = {p[0]: (p[1], p[2]) for p in (line.split() for line in
             (folder / "wdi-all/BLOBS.txt").read_text(encoding="utf-8").splitlines()) if len(p) == 3}  # fmt: skip
    seeded = set(WDI) | {"NY.GDP.MKTP.CD"}  # written by seed_wdi as before, uncompressed
    written = []
    for spec in catalogue.entries("worldbank"):
        code = spec.query.get("indicator")
        if not isinstance(code, str) or code in seeded or f"{code.lower()}.csv" not in blobs:
            continue
        blob, changed_in = blobs[f"{code.lower()}.csv"]
        date = WDI_COMMIT_DATES[changed_in]
        path = f"indicators/{code.lower()}/data.csv"
        table = read_csv_bytes(read_blob(folder / f"wdi-all/{code.lower()}.csv", blob))
        written.append(_write_wdi(spec, code, table, wdi_meta(code, spec.title, path, blob, changed_in, date, changed_in,
                                                              WDI_HEAD), date))
    for line in (folder / "vintages/VINTAGES.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        file, commit, date, blob = parts
        code = file.split("__")[0].upper()
        spec = catalogue.entry("worldbank", wdi_snapshot(code))
        path = f"indicators/{code.lower()}/data.csv"
        table = read_csv_bytes(read_blob(folder / f"vintages/{file}", blob))
        written.append(_write_wdi(spec, code, table, wdi_meta(code, spec.title, path, blob, commit, date, commit, commit),
                                  date))
    return written


def _vintage_blob(shared: Path, short: str) -> str:
    for line in (shared / "reference/worldbank/vintages/COMMITS.txt").read_text(encoding="utf-8").split("\n"):
        parts = line.split()
        if parts and parts[0] == short:
            return parts[3]
    sys.exit(f"no blob recorded for commit {short} in vintages/COMMITS.txt")


# ------------------------------------------------------------------------------------------ OWID

OWID_LICENCE = ("CC BY 4.0 (Our World in Data, Global Carbon Project data)", "https://ourworldindata.org/faqs#reuse")
OWID_LABELS = "owid/entities.csv"
CO2_DATA_LABELS = "owid/co2_data_entities.csv"
CO2_FIRST_PARTY = {"repository": "https://github.com/owid/co2-data", "commit": "2a6c4a26fafc29000d1ee0deebf083d60b563c78",
                   "path": "owid-co2-data.csv", "git_blob": "ab312e6202668ec21fcf3cdefd042f7b9585360a", "date": "2020-12-09"}
CO2_THIRD_PARTY = {"repository": "https://github.com/yash27-lab/Annual-CO2-Emission",
                   "commit": "8398c31eef23222ef36f7dc8e1b585563f565156", "path": "annual-co2-emissions-per-country.csv",
                   "git_blob": "e3e4173080616a3dd53c90e3d8d402579adfdc2e", "date": "2024-12-11"}
NET_ZERO = {"repository": "https://github.com/hbshrestha/Understanding_climate_crisis",
            "commit": "0aa171a1677320452176c55e3e057357e09ba5b4", "path": "data/net-zero-targets.csv",
            "git_blob": "15d61647e2cb400e9b347e0cc8bce341eb472c24", "date": "2021-10-11"}  # fmt: skip


def owid_entity(code: str, name: str) -> str:
    """OWID's code (``OWID_WRL`` as ``WLD``, as the live client maps it), or the name when the code is empty."""
    return {"OWID_WRL": "WLD"}.get(code, code) or name


def _origin(o: dict) -> dict:
    return {"repository": o["repository"], "commit": o["commit"], "files": [{"path": o["path"], "git_blob": o["git_blob"]}]}


def seed_owid(shared: Path) -> list[tuple[str, str]]:
    folder = shared / "reference/owid"
    old = read_csv_bytes(read_blob(folder / "owid-co2-data__2020-12-09.csv", CO2_FIRST_PARTY["git_blob"]))
    new = read_csv_bytes(read_blob(folder / "annual-co2-emissions-per-country__yash27-lab.csv", CO2_THIRD_PARTY["git_blob"]))
    aggregates = set(read_csv_bytes((INPUTS / "owid/aggregates.csv").read_bytes())["entity"])
    old = old[old["co2"] != ""]
    old_entities = [owid_entity(c, n) for c, n in zip(old["iso_code"], old["country"])]
    new_entities = [owid_entity(c, n) for c, n in zip(new["Code"], new["Entity"])]
    names = dict(zip(old_entities, old["country"]))
    names.update(zip(new_entities, new["Entity"]))
    write_labels(OWID_LABELS, names, aggregates)
    wide = read_csv_bytes(read_blob(folder / "owid-co2-data__2020-12-09.csv", CO2_FIRST_PARTY["git_blob"]))
    wide_entities = [code or name for code, name in zip(wide["iso_code"], wide["country"])]
    # its own labels: it keeps OWID's world code (OWID_WRL), the older snapshots WLD for the same row
    write_labels(CO2_DATA_LABELS, dict(zip(wide_entities, wide["country"])), aggregates)
    common = {"measure": "annual_co2_emissions", "unit": "tonnes", "partner": ""}
    # million tonnes to tonnes, exactly, before the one rounding to a double
    old_frame = pd.DataFrame({"entity": old_entities, "period": old["year"].tolist(),
                              "value": [float(Decimal(v) * 1_000_000) for v in old["co2"]], **common})
    new_frame = pd.DataFrame({"entity": new_entities, "period": new["Year"].tolist(),
                              "value": new.iloc[:, 3].astype(float).tolist(), **common})  # fmt: skip
    notes = ("Measure annual_co2_emissions: annual production-based emissions of carbon dioxide (CO2), in tonnes of CO2. "
             "entity = ISO-3 code (OWID_WRL as WLD), or the entity's name where OWID gives no code; aggregate = the "
             "regions and groups listed in owid/aggregates.csv. Stored compact (partner, measure and unit in this "
             "sidecar; names and aggregate flags in owid/entities.csv, which takes the newer copy's names).")  # fmt: skip
    base = {"dataset": "Our World in Data: annual CO2 emissions (Global Carbon Project)", "method": "transcribed",
            "transcribed_at": TRANSCRIBED_AT, "licence": OWID_LICENCE[0], "licence_url": OWID_LICENCE[1]}  # fmt: skip
    write_snapshot("owid", "annual_co2_emissions", old_frame, {
        **base, "title": "Annual CO2 emissions by country, tonnes (OWID co2-data, data to 2018)",
        "url": f"{CO2_FIRST_PARTY['repository']}/blob/{CO2_FIRST_PARTY['commit']}/{CO2_FIRST_PARTY['path']}",
        "published": CO2_FIRST_PARTY["date"],
        "published_means": "when this copy was taken: the date of the owid/co2-data commit, not a GCP release date",
        "transcribed_from": _origin(CO2_FIRST_PARTY),
        "origin_notes": ("Our World in Data's own repository. Column co2 of the wide table (million tonnes per "
                         "year, codebook of the same commit), converted to tonnes (exact decimal x 1e6, then one "
                         "rounding to a double); the other columns are not kept. " + notes),
    }, version=CO2_FIRST_PARTY["date"], constants=("partner", "measure", "unit"), labels=OWID_LABELS)
    write_snapshot("owid", "annual_co2_emissions", new_frame, {
        **base, "title": "Annual CO2 emissions by country, tonnes (third-party copy of the OWID grapher CSV, data to 2022)",
        "url": f"{CO2_THIRD_PARTY['repository']}/blob/{CO2_THIRD_PARTY['commit']}/{CO2_THIRD_PARTY['path']}",
        "published": CO2_THIRD_PARTY["date"],
        "published_means": ("when this copy was taken: the date of the third-party commit that added it; which "
                            "Global Carbon Project vintage it holds, the file does not say"),
        "transcribed_from": _origin(CO2_THIRD_PARTY),
        "origin_notes": ("A third-party copy of OWID data, not OWID's own release: Our World in Data's grapher CSV "
                         "'annual-co2-emissions-per-country' (Entity, Code, Year, Annual CO2 emissions in tonnes) as "
                         "uploaded to yash27-lab/Annual-CO2-Emission, a repository with no licence of its own; the "
                         "data are OWID/Global Carbon Project, CC BY 4.0. " + notes),
    }, version=CO2_THIRD_PARTY["date"], constants=("partner", "measure", "unit"), labels=OWID_LABELS)

    table = read_csv_bytes(read_blob(folder / "net-zero-targets__hbshrestha_2021-10-11.csv", NET_ZERO["git_blob"]))
    parsed = table.iloc[:, 3].str.extract(r"^(?P<status>.*?)(?: \((?P<year>\d{4})\))?$")
    entities = [owid_entity(c, n) for c, n in zip(table["Code"], table["Entity"])]
    status = pd.DataFrame({"entity": entities, "partner": "", "period": table["Year"], "measure": "status",
                           "value": parsed["status"], "unit": "category", "entity_name": table["Entity"]})
    years = parsed["year"].notna()
    year = pd.DataFrame({"entity": [e for e, y in zip(entities, years) if y], "partner": "", "period": table["Year"][years],
                         "measure": "target_year", "value": parsed["year"][years].astype(float), "unit": "year",
                         "entity_name": table["Entity"][years]})  # fmt: skip
    write_snapshot("owid", "net_zero_targets", pd.concat([status, year], ignore_index=True), {
        **base, "dataset": "Our World in Data grapher: net-zero-targets (2021 schema)",
        "title": "National net-zero targets, OWID chart as of 2021 (third-party copy): status and target year",
        "url": f"{NET_ZERO['repository']}/blob/{NET_ZERO['commit']}/{NET_ZERO['path']}",
        "published": NET_ZERO["date"],
        "published_means": "when this copy was taken: the date of the third-party commit that added it",
        "transcribed_from": _origin(NET_ZERO),
        "licence": "CC BY 4.0 (Our World in Data)",
        "schema": "2021: the target year inside the status text, Year the data year",
        "origin_notes": ("A third-party copy of OWID's grapher CSV 'net-zero-targets' in its 2021 schema (Entity, "
                         "Code, Year, National Net-Zero Target; Year is the data year, 2021 in every row, and the "
                         "target year sits in the text, 'In policy document (2060)'). Read as the owid client reads that "
                         "layout (2021: the target year inside the status text, Year the data year): status (the text "
                         "before the parentheses, unit category) and target_year (the year in them, unit year; no row "
                         "when the text has none, e.g. 'Achieved'). OWID changed this chart's layout later (2023: Year "
                         "is the target year; 2026: a separate target-year indicator); a refresh reads whichever it gets "
                         "into the same two measures."),
    }, version=NET_ZERO["date"])
    seed_co2_data(wide, wide_entities, base)
    return [("owid", "annual_co2_emissions"), ("owid", "net_zero_targets"), ("owid", "co2_data")]


def seed_co2_data(wide: pd.DataFrame, entities: list[str], base: dict) -> None:
    """OWID's whole CO2 table of 2020-12-09, one measure per column, each in its codebook unit as
    written (no conversion: million tonnes stay megatonnes); entity = ISO code, OWID_WRL for the world,
    the entity's name where OWID gives no code (its regions: aggregates, by owid/aggregates.csv)."""
    from claimcheck.reference import catalogue

    spec = catalogue.entry("owid", "co2_data")
    frames = []
    for measure, described in spec.measures.items():
        present = wide[measure] != ""
        frames.append(pd.DataFrame({
            "entity": [e for e, p in zip(entities, present) if p], "partner": "",
            "period": wide.loc[present, "year"].tolist(), "measure": measure,
            "value": wide.loc[present, measure].astype(float).tolist(), "unit": described["unit"],
        }))  # fmt: skip
    write_snapshot("owid", "co2_data", pd.concat(frames, ignore_index=True), {
        **base, "dataset": "Our World in Data: CO2 and greenhouse gas emissions (owid/co2-data)",
        "title": "OWID's CO2 table, every column a measure, by country or region and year (data to 2018)",
        "url": f"{CO2_FIRST_PARTY['repository']}/blob/{CO2_FIRST_PARTY['commit']}/{CO2_FIRST_PARTY['path']}",
        "published": CO2_FIRST_PARTY["date"],
        "published_means": "when this copy was taken: the date of the owid/co2-data commit, not a GCP release date",
        "transcribed_from": _origin(CO2_FIRST_PARTY),
        "licence": "CC BY 4.0 (Our World in Data); the underlying data keep their sources' terms (GCP, CDIAC, CAIT, BP, Maddison)",
        "origin_notes": ("Our World in Data's own repository, the wide table iso_code, country, year and 35 measure "
                         "columns, reshaped long: one row per entity, year and non-empty column, the value as "
                         "written (a double, shortest round-trip decimal), in the unit of that column (catalogue "
                         "owid.yaml, measures; the 2020 codebook has no unit column, so units come from the "
                         "2024-06-26 codebook for the same column). entity = iso_code (OWID_WRL for the World, "
                         "OWID_KOS for Kosovo), or the entity's name where OWID gives none; the regions and groups "
                         "among those are aggregates (owid/aggregates.csv). Stored compact (partner in this "
                         "sidecar; names and aggregate flags in owid/co2_data_entities.csv) and gzip-compressed."),
    }, version=CO2_FIRST_PARTY["date"], constants=("partner",), labels=CO2_DATA_LABELS, compress=True)


# ------------------------------------------------------------------------------------------ FRED

FX_REPO = "https://github.com/datasets/exchange-rates"
FX_HEAD = "fa7d949956d1db1d21102654b1f40d64d2568677"
FX_FILES = {  # snapshot -> (path, blob, commit that last changed it, its date, period length)
    "exchange_rates_annual": ("data/annual.csv", "d2594802258cd9d8e5de8b4d5215202ed1df8638",
                              "6ce89dd2d063b130ab001c0e34933510ec45aac5", "2026-03-09", 4),
    "exchange_rates_monthly": ("data/monthly.csv", "e60c889666cf28b27314e27a1f4859bd378d898f",
                               "20192adfcb6138d77176c19d9e285ebe6ebca2c9", "2026-07-02", 7),
}  # fmt: skip
FX_MEASURE = "currency_units_per_usd"


def fx_direction_problems(frame: pd.DataFrame, checks: pd.DataFrame) -> list[str]:
    """Each currency whose stored average in its check period is outside the known range, read as units per USD."""
    problems = []
    for check in checks[checks["currency"].isin(frame["entity"])].itertuples(index=False):
        rows = frame[(frame["entity"] == check.currency) & frame["period"].str.startswith(check.check_period)]
        if rows.empty:
            problems.append(f"{check.currency}: no rows in {check.check_period} to check its direction against")
            continue
        mean = rows["value"].mean()
        if not float(check.check_low) <= mean <= float(check.check_high):
            problems.append(f"{check.currency}: {check.check_period} average {mean:.4f} is not within "
                            f"{check.check_low}-{check.check_high} units per USD ({check.check_basis})")  # fmt: skip
    return problems


def seed_fred(shared: Path) -> list[tuple[str, str]]:
    checks = read_csv_bytes((INPUTS / "fred/currencies.csv").read_bytes())
    codes = dict(zip(checks["fred_name"], checks["currency"]))
    written = []
    for name, (path, blob, changed_in, date, width) in FX_FILES.items():
        table = read_csv_bytes(read_blob(shared / f"reference/fx/fred_{path.split('/')[1]}", blob))
        left_out = sorted(set(table["Country"]) - set(codes))
        table = table[table["Country"].isin(codes)]
        currency = table["Country"].map(codes)
        frame = pd.DataFrame({"entity": currency, "partner": "", "period": table["Date"].str[:width],
                              "measure": FX_MEASURE, "value": table["Exchange rate"].astype(float),
                              "unit": currency + " per USD", "entity_name": table["Country"]})  # fmt: skip
        problems = fx_direction_problems(frame, checks)
        if problems:
            sys.exit(f"{path}: an exchange rate is not in the direction stored: " + "; ".join(problems))
        kind = "annual" if width == 4 else "monthly"
        write_snapshot("fred", name, frame, {
            "dataset": f"FRED exchange rates, {kind} averages (Board of Governors of the Federal Reserve System, H.10/G.5)",
            "title": f"Exchange rates, {kind} averages: units of each currency per US dollar",
            "url": f"{FX_REPO}/blob/{FX_HEAD}/{path}",
            "method": "transcribed",
            "published": date,
            "published_means": (f"when this copy was taken: the date of the origin commit that last changed {path} "
                                f"({changed_in[:7]}, {date}), not a Federal Reserve release date"),
            "transcribed_at": TRANSCRIBED_AT,
            "transcribed_from": {"repository": FX_REPO, "commit": FX_HEAD, "files": [{"path": path, "git_blob": blob}],
                                 "file_last_changed_in": f"{changed_in} ({date})"},
            "origin_notes": (
                f"Columns Date, Country, Exchange rate of {path}, FRED data gathered by datasets/exchange-rates. "
                f"Measure {FX_MEASURE}: how many units of the currency (entity, ISO 4217) one US dollar buys, unit "
                "'<code> per USD'. Every currency, the euro included, is stored in that direction: the origin's "
                "README says the euro, pound sterling, Irish pound, Australian and New Zealand dollars are USD per currency, but the values are "
                "not (euro 2021 = 0.8453, i.e. 1.183 USD per EUR); each currency was checked against a known rate "
                "(fred/currencies.csv) when seeded. Period = the year (annual) or YYYY-MM (monthly; the origin "
                f"dates each average on the first day). Left out: {', '.join(left_out) or 'none'} (a currency "
                "redenominated several times, with no single ISO 4217 code for the series)."
            ),
            "licence": "ODC-PDDL-1.0 (the copy); FRED data are the Federal Reserve's",
            "licence_url": "http://opendatacommons.org/licenses/pddl/",
        }, version=date, constants=("partner", "measure"))
        written.append(("fred", name))
    return written


def main(argv: list[str]) -> int:
    shared = shared_dir(argv)
    copy_inputs()
    seed_gdp(shared)
    seed_dots(shared)
    seed_documents(shared)
    written = [("worldbank", "gdp_current_usd"), ("imf", "dots_china_belgium_annual")]
    written += seed_wdi(shared)
    written += seed_wdi_all(shared)
    written += seed_owid(shared)
    written += seed_fred(shared)
    for source, name in sorted(set(written)):  # each was validated as written: its sidecar says what it holds
        version = pick_version(source, name)
        print(f"{source}/{name}: newest version {version}, {read_meta(version_paths(source, name, version)[1])['rows']} rows")
    print(f"documents: written to {registry_paths()[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
