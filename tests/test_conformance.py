"""Every parser of the Comtrade, IMF, Eurostat, Wikidata and OWID sources on every real recorded sample.

For each source, each parser meets each file of the source's folder in ``tests/api-samples`` (a copy of ``shared/api-samples``):
either the file is one the parser reads (the table below says how many rows it must give, and the
rows must be tidy), or the parser must refuse it with a ``ValueError`` that says why, never crash on
it with another exception. Each source's error check must flag exactly the error bodies, with their
own words in the reason. A sample added to a folder fails the inventory test until it is listed here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import API_SAMPLES

from claimcheck.reference.sources import comtrade, eurostat, imf, owid, wikidata
from claimcheck.reference.sources.base import TIDY_COLUMNS

SAMPLES = API_SAMPLES
PERIOD = re.compile(r"^\d{4}(-\d{2}){0,2}$")


def as_json(path: Path) -> Any:
    """The JSON body of a sample, or its raw text when it is not JSON (the parser must refuse it)."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        return json.loads(text)
    except ValueError:
        return text


def as_text(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


def as_bytes(path: Path) -> bytes:
    return path.read_bytes()


def sparql_generic(body: Any) -> pd.DataFrame:
    """The generic tidy mapping: first variable as the entity, every other non-label variable a measure."""
    wikidata.parse_sparql_json(body)  # refuses anything that is not a result set, with ValueError
    variables = body["head"]["vars"]
    measures = [v for v in variables[1:] if not v.endswith("Label")]
    return wikidata.sparql_tidy(body, entity=variables[0], measures=measures, as_of="2000-01-01")


def owid_metadata(path: Path) -> dict | None:
    meta = path.with_name(path.name.replace(".csv", ".metadata.json"))
    return owid.parse_metadata(json.loads(meta.read_text())) if path.suffix == ".csv" and meta.exists() else None


def owid_check(text: str) -> str | None:
    """The OWID check that fits the file: metadata JSON or chart CSV."""
    if text.startswith("{"):
        return owid.check_grapher_metadata(json.loads(text))
    return owid.check_grapher_csv(text)


# source -> parser name -> (reader, parser)
PARSERS: dict[str, dict[str, tuple[Callable[[Path], Any], Callable[[Any], Any]]]] = {
    "comtrade": {"parse_comtrade": (as_json, comtrade.parse_comtrade)},
    "imf": {
        "parse_sdmx_xml": (as_bytes, imf.parse_sdmx_xml),
        "parse_sdmx_json": (as_json, imf.parse_sdmx_json),
        "parse_compactdata": (as_json, imf.parse_compactdata),
    },
    "eurostat": {
        "parse_comext": (as_json, eurostat.parse_comext),
        "decode_jsonstat": (as_json, eurostat.decode_jsonstat),
    },
    "wikidata": {"parse_sparql_json": (as_json, wikidata.parse_sparql_json), "sparql_tidy": (as_json, sparql_generic)},
    "owid": {
        "parse_grapher_csv": (lambda p: (as_text(p), owid_metadata(p)), lambda args: owid.parse_grapher_csv(*args)),
        "parse_metadata": (as_json, owid.parse_metadata),
    },
}

# source -> (reader, error check); the check returns a reason for error bodies, None for data.
CHECKS: dict[str, tuple[Callable[[Path], Any], Callable[[Any], str | None]]] = {
    "comtrade": (as_json, comtrade.check_comtrade_rows),
    "imf": (as_bytes, imf.check_imf_text),
    "eurostat": (as_json, eurostat.check_eurostat_rows),
    "wikidata": (as_json, wikidata.check_sparql_rows),
    "owid": (as_text, lambda text: owid_check(text)),
}

# (source, file) -> {parser: rows it must give}; parsers not listed must refuse the file.
# "error" -> words the error check must put in its reason (None: the file is data).
EXPECTED: dict[tuple[str, str], dict[str, Any]] = {
    ("comtrade", "get_C_A_HS_reporter156_partners32-280-276_2010.json"): {"parse_comtrade": 4, "error": None},
    ("comtrade", "get_S_A_EB_empty_count0.json"): {"parse_comtrade": 0, "error": "no rows"},
    ("comtrade", "error_401_missing_subscription_key.json"): {"error": "Access denied due to missing subscription key"},
    ("imf", "sdmx3_data_IMTS_USA.XG_FOB_USD.G001+G998.A_2023-2024.xml"): {"parse_sdmx_xml": 4, "error": None},
    ("imf", "sdmx3_data_WHDREO_GX1213.BCA_GDP_BP6.A.json"): {"parse_sdmx_json": 55, "error": None},
    ("imf", "legacy_compactdata_DOT_A.US.TXG_FOB_USD.W00+B0_2020-2023.json"): {"parse_compactdata": 8, "error": None},
    ("imf", "legacy_error_500_DataStructure_not_a_real_database.xml"): {
        "error": "There is an issue while retrieving the data"
    },
    ("eurostat", "comext_DS-045409_EU27_2020-US_TOTAL_import_2024-01_2024-02.json"): {
        "parse_comext": 2,
        "decode_jsonstat": 2,
        "error": None,
    },
    ("eurostat", "comext_error_413_EXTRACTION_TOO_BIG.json"): {"error": "413 EXTRACTION_TOO_BIG"},
    ("eurostat", "comext_error_404_ERR_NOT_FOUND_4_DS-999999.json"): {"error": "404 ERR_NOT_FOUND_4: DS-999999"},
    ("wikidata", "sparql_select_multi_vars.json"): {"parse_sparql_json": 3, "sparql_tidy": 3, "error": None},
    ("wikidata", "sparql_select_optional_values.json"): {"parse_sparql_json": 1, "sparql_tidy": 8, "error": None},
    ("owid", "oil-production-by-country.csv"): {"parse_grapher_csv": 750, "error": None},
    ("owid", "oil-production-by-country.metadata.json"): {"parse_metadata": 1, "error": None},
    ("owid", "production-vs-consumption-energy.csv"): {"parse_grapher_csv": 2226, "error": None},
    ("owid", "production-vs-consumption-energy.metadata.json"): {"parse_metadata": 2, "error": None},
}

# Frames from these parsers are tidy tables (the others are wide or generic views).
TIDY_PARSERS = {
    "parse_comtrade",
    "parse_sdmx_xml",
    "parse_sdmx_json",
    "parse_compactdata",
    "parse_comext",
    "parse_grapher_csv",
}


def absent(source: str, folder: Path) -> str:
    return f"no recorded samples for {source}: {folder} is absent (set CLAIMCHECK_SHARED to the shared folder)"


def sample(source: str, name: str) -> Path:
    folder = SAMPLES / source
    if not folder.is_dir():
        pytest.skip(absent(source, folder))
    path = folder / name
    if not path.exists():
        pytest.fail(f"{path} is listed in EXPECTED but missing from the samples folder")
    return path


@pytest.mark.parametrize("source", sorted(PARSERS))
def test_every_sample_in_the_folder_is_listed(source):
    folder = SAMPLES / source
    if not folder.is_dir():
        pytest.skip(absent(source, folder))
    on_disk = {p.name for p in folder.iterdir() if p.is_file()}
    listed = {name for (src, name) in EXPECTED if src == source}
    assert on_disk == listed, f"unlisted: {sorted(on_disk - listed)}; missing: {sorted(listed - on_disk)}"


def assert_tidy(frame: pd.DataFrame, where: str) -> None:
    assert list(frame.columns[: len(TIDY_COLUMNS)]) == TIDY_COLUMNS, where
    for column in ("entity", "period", "measure", "unit"):
        assert frame[column].notna().all(), f"{where}: null {column}"
    assert frame.entity.astype(str).str.len().gt(0).all(), f"{where}: empty entity"
    assert frame.period.map(lambda p: bool(PERIOD.match(str(p)))).all(), f"{where}: bad period"
    numeric = frame.value.map(lambda v: isinstance(v, float) and math.isfinite(v))
    assert numeric.all(), f"{where}: non-numeric values {frame.value[~numeric].head(3).tolist()}"
    assert not frame.duplicated(["entity", "partner", "period", "measure"]).any(), f"{where}: duplicate keys"


CASES = [
    (source, name, parser)
    for (source, name) in EXPECTED
    for parser in PARSERS[source]
]


@pytest.mark.parametrize("source, name, parser", CASES, ids=[f"{s}/{n}/{p}" for s, n, p in CASES])
def test_each_parser_reads_its_samples_and_refuses_the_others(source, name, parser):
    path = sample(source, name)
    reader, parse = PARSERS[source][parser]
    expected_rows = EXPECTED[(source, name)].get(parser)
    if expected_rows is None:
        with pytest.raises(ValueError) as caught:
            parse(reader(path))
        assert str(caught.value).strip(), "the refusal must say why"
        return
    result = parse(reader(path))
    rows = len(result["columns"]) if isinstance(result, dict) else len(result)
    assert rows == expected_rows
    if parser in TIDY_PARSERS:
        assert_tidy(result, f"{parser}({name})")


STORED = [(s, n, p) for (s, n, p) in CASES if p in TIDY_PARSERS and EXPECTED[(s, n)].get(p)]


@pytest.mark.parametrize("source, name, parser", STORED, ids=[f"{s}/{n}/{p}" for s, n, p in STORED])
def test_tidy_frames_pass_the_snapshot_store_validation(source, name, parser):
    from claimcheck.reference.snapshots import render_csv, validate_frame

    reader, parse = PARSERS[source][parser]
    frame = parse(reader(sample(source, name)))
    validate_frame(frame, f"{parser}({name})")
    assert render_csv(frame).count(b"\n") == len(frame) + 1


@pytest.mark.parametrize("source, name", list(EXPECTED), ids=[f"{s}/{n}" for s, n in EXPECTED])
def test_the_error_check_flags_exactly_the_error_bodies(source, name):
    path = sample(source, name)
    reader, check = CHECKS[source]
    reason = check(reader(path))
    words = EXPECTED[(source, name)]["error"]
    if words is None:
        assert reason is None
    else:
        assert reason and words in reason
