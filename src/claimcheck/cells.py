"""CSV cells a person may open in a spreadsheet, made inert (OWASP's rule for CSV injection).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or a
carriage return) as a formula: ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` taken from data would
run on the reader's machine. Such a cell is written with a leading ``'``, which spreadsheets read as
"this is text" and do not show. A number stays a number (``-1.5`` is not prefixed). A cell that
itself starts with ``'`` gets one more, so that reading drops exactly one and every text comes back
as it was: the CSVs the suite reads back (stored snapshots) round-trip through ``from_cell``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def is_number(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a plain number (``-1.5``, ``+3``, ``2e-05``)."""
    try:
        return math.isfinite(float(text)) and "_" not in text and text == text.strip()
    except ValueError:
        return False


def to_cell(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs as a formula."""
    if text.startswith(TEXT_MARK) or (text.startswith(FORMULA_STARTS) and not is_number(text)):
        return TEXT_MARK + text
    return text


def from_cell(cell: str) -> str:
    """The text ``to_cell`` wrote."""
    return cell[1:] if cell.startswith(TEXT_MARK) else cell


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """A CSV (LF line ends) whose every text cell is ``to_cell``'s."""
    return _csv([header, *([cell_text(v) for v in row] for row in rows)])


def csv_columns(header: list[str], columns: list[list[str]]) -> str:
    """``csv_text`` of a table given column by column, its cells already ``cell_text``'s: a table of
    millions of cells, written without a call per cell."""
    every_cell = "\0".join("\0".join(column) for column in [header, *columns])
    if len(header) > 1 and not any(c in every_cell for c in ',"\n\r'):  # nothing to quote: csv's rows as they are
        rows = "\n".join(map(",".join, zip(*columns)))  # (with two columns or more, no row joins to "")
        return ",".join(header) + "\n" + (rows + "\n" if rows else "")
    return _csv([header, *zip(*columns)])


def _csv(table: list[Sequence[str]]) -> str:
    """Rows of cell texts as CSV, LF line ends. A cell holding a carriage return is quoted: Python's csv
    module (3.11) quotes only the line terminator's characters, and an unquoted CR would start a new
    row (a new first cell) in a reader."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)  # all rows at once: a table of millions of cells
    if "\r" not in out.getvalue():
        return out.getvalue()
    out, line = io.StringIO(), io.StringIO()  # a cell holds a CR: each row written with CR LF ends, which quote it
    writer = csv.writer(line, lineterminator="\r\n")
    for row in table:
        line.seek(0)
        line.truncate()
        writer.writerow(row)
        out.write(line.getvalue()[:-2] + "\n")
    return out.getvalue()


_MAY_NEED_MARK = frozenset(FORMULA_STARTS) | {TEXT_MARK}


def cell_text(value: Any) -> str:
    """A value as pandas' ``to_csv`` writes it (``None`` and NaN empty, floats shortest), made inert."""
    if type(value) is str and value[:1] not in _MAY_NEED_MARK:  # most cells: nothing to look at
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return repr(float(value))  # numpy's float64 too, without its type name
    return to_cell(value if isinstance(value, str) else str(value))
