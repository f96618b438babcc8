"""Regenerate the transcribed seed snapshots in data/reference/ from the shared reference folder.

Usage: .venv/bin/python scripts/seed_snapshots.py [SHARED_DIR]
SHARED_DIR defaults to $CLAIMCHECK_SHARED, else ../shared next to the repository. The output goes to
$CLAIMCHECK_DATA/reference (default data/reference). Running it twice gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import os
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import yaml

from claimcheck import paths
from claimcheck.reference.documents import registry_paths
from claimcheck.reference.snapshots import load_snapshot, render_meta, write_snapshot
from claimcheck.reference.sources.worldbank import AGGREGATE_CODES

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
    frame = pd.DataFrame(
        {
            "entity": table["Country Code"],
            "partner": "",
            "period": table["Year"],
            "measure": "NY.GDP.MKTP.CD",
            "value": table["Value"].astype(float),
            "unit": "USD",
            "entity_name": table["Country Name"],
            "aggregate": table["Country Code"].isin(AGGREGATE_CODES),
        }
    )
    if frame["entity"][frame["aggregate"]].nunique() != len(AGGREGATE_CODES):
        sys.exit("the aggregate codes listed in worldbank.py are not all in the file")
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


def main(argv: list[str]) -> int:
    shared = shared_dir(argv)
    seed_gdp(shared)
    seed_dots(shared)
    seed_documents(shared)
    for source, name in (("worldbank", "gdp_current_usd"), ("imf", "dots_china_belgium_annual")):
        print(f"{source}/{name}: {load_snapshot(source, name).meta['rows']} rows")
    print(f"documents: written to {registry_paths()[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
