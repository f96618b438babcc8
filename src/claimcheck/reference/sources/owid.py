"""Our World in Data grapher charts: the CSV download of a chart and its metadata JSON.

Wire formats (real downloads of 2025-11 in ``shared/api-samples/owid``):

* ``/grapher/<slug>.csv?v=1&csvType=full&useColumnShortNames=false``: header
  ``Entity,Code,Year,<value column>...`` (``Day`` instead of ``Year`` for daily charts), LF line
  endings, no trailing newline. ``Code`` is ISO-3 for countries, ``OWID_WRL`` for the world, and
  **empty for some regions** (Africa, even though its chart filter says ``OWID_AFR``). A value
  column is named by the indicator's display name, or by its short name when it has none
  (``consumption_based_energy``), whatever ``useColumnShortNames`` says.
* ``/grapher/<slug>.metadata.json``: ``chart`` (``title``, ``citation``, ``originalChartUrl``),
  ``columns`` keyed like the CSV header (``unit``, ``shortUnit``, ``lastUpdated``, ``nextUpdate``,
  ``citationShort``, ``citationLong``, ``owidVariableId``, ``shortName``), ``dateDownloaded``.

Tidy mapping: ``entity`` is ``Code`` (``OWID_WRL`` as ``WLD``), or the entity's name when ``Code``
is empty; ``entity_name`` is ``Entity``; ``partner`` is empty; ``period`` is the year (``YYYY``) or
the day (``YYYY-MM-DD``); ``measure`` is the CSV column name; ``unit`` comes from the metadata
(``unit``, else ``shortUnit``, else ``unspecified``: some indicators have an empty unit, e.g.
``consumption_based_energy``, whose chart subtitle alone says terawatt-hours). Empty cells give no row.

Values may be **text categories**: ``net-zero-targets`` holds statuses such as "In law" or
"Proposed / in discussion" rather than numbers. A cell that reads as a number becomes a float; any
other cell stays text, and its ``unit`` is ``category`` (whatever the metadata says), so code that
needs numbers can select ``unit != "category"``. The ``value`` column then has dtype object.

A catalogue query names the chart (``slug``) and optionally the ``column`` to keep. With
``target_years: true`` the chart states each country's target year (net-zero targets), in one of the
three layouts OWID has used, and :func:`read_target_years` gives two measures per country, ``status``
(a category) and ``target_year`` (unit ``year``), and says which layout it read:

* ``2021``: ``Year`` is the data year and the target year is inside the text, "In policy document (2060)";
* ``2023``: ``Year`` is the target year and the value a status, "In law";
* ``2026``: a separate numeric target-year column (``net_zero_target_year``) beside the status.
"""

from __future__ import annotations

import io
import json
import re
from typing import TYPE_CHECKING, Any, ClassVar

from claimcheck.reference.sources.base import TIDY_COLUMNS, SnapshotSpec, Source, decimal_text

if TYPE_CHECKING:  # a frame is built only when data are fetched; the catalogue reads this module without pandas
    import pandas as pd

OPTIONAL_COLUMNS = ["entity_name"]
OWID_CODES = {"OWID_WRL": "WLD"}
QUERY = "v=1&csvType=full&useColumnShortNames=false"


def check_grapher_csv(text: str) -> str | None:
    """Why ``text`` is not a grapher CSV download, or ``None`` when its header looks like one."""
    text = (text or "").lstrip("\ufeff")
    if not text.strip():
        return "OWID sent an empty body instead of a CSV"
    first = text.splitlines()[0]
    if first.lstrip().startswith("<"):
        return "OWID sent an HTML page instead of a CSV (unknown chart, or a blocked download)"
    header = first.split(",")
    if header[:2] != ["Entity", "Code"] or len(header) < 4 or header[2] not in {"Year", "Day"}:
        return f"not a grapher CSV header: {first[:120]!r}"
    return None


def check_grapher_metadata(body: Any) -> str | None:
    """Why ``body`` is not grapher metadata JSON, or ``None``."""
    if not isinstance(body, dict):
        return f"expected a JSON object of chart metadata, got {type(body).__name__}"
    if not isinstance(body.get("columns"), dict):
        return "OWID metadata has no 'columns' object"
    return None


def parse_metadata(body: dict[str, Any]) -> dict[str, Any]:
    """The parts of grapher metadata used for provenance and units.

    Returns ``title``, ``citation``, ``original_url``, ``date_downloaded``, ``last_updated`` (the
    latest ``lastUpdated`` of any column, or ``None``) and ``columns``: per CSV column name its
    ``unit``, ``short_unit``, ``last_updated``, ``next_update``, ``citation`` (``citationShort``),
    ``citation_long``, ``variable_id`` and ``short_name`` (``None`` where absent or empty).
    """
    reason = check_grapher_metadata(body)
    if reason:
        raise ValueError(reason)
    chart = body.get("chart") or {}

    def text(value: Any) -> Any:
        return value if value not in ("", None) else None

    columns = {
        name: {
            "unit": text(column.get("unit")),
            "short_unit": text(column.get("shortUnit")),
            "last_updated": text(column.get("lastUpdated")),
            "next_update": text(column.get("nextUpdate")),
            "citation": text(column.get("citationShort")),
            "citation_long": text(column.get("citationLong")),
            "variable_id": column.get("owidVariableId"),
            "short_name": text(column.get("shortName")),
        }
        for name, column in body["columns"].items()
    }
    updated = [c["last_updated"] for c in columns.values() if c["last_updated"]]
    return {
        "title": text(chart.get("title")),
        "citation": text(chart.get("citation")),
        "original_url": text(chart.get("originalChartUrl")),
        "date_downloaded": text(body.get("dateDownloaded")),
        "last_updated": max(updated) if updated else None,
        "columns": columns,
    }


def _cell(text: str) -> Any:
    """A CSV cell as a float when it reads as a finite number, else the text itself."""
    value = decimal_text(text)
    return text if value is None else value


def parse_grapher_csv(text: str, metadata: dict[str, Any] | None = None) -> pd.DataFrame:
    """The tidy frame of a grapher CSV download (mapping in the module docstring).

    ``metadata`` is the result of :func:`parse_metadata`, for units; without it units are
    ``unspecified`` (``category`` for text cells).
    """
    import pandas as pd
    reason = check_grapher_csv(text)
    if reason:
        raise ValueError(reason)
    raw = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype=str, keep_default_na=False)
    time_column = raw.columns[2]
    value_columns = list(raw.columns[3:])
    columns_meta = (metadata or {}).get("columns", {})
    rows = []
    for record in raw.to_dict("records"):
        code = record["Code"].strip()
        entity = OWID_CODES.get(code, code) or record["Entity"]
        period = record[time_column].strip()
        for column in value_columns:
            cell = record[column].strip()
            if cell == "":
                continue
            value = _cell(cell)
            meta = columns_meta.get(column, {})
            if isinstance(value, float):
                unit = meta.get("unit") or meta.get("short_unit") or "unspecified"
            else:
                unit = "category"
            rows.append(
                {
                    "entity": entity,
                    "partner": "",
                    "period": period,
                    "measure": column,
                    "value": value,
                    "unit": unit,
                    "entity_name": record["Entity"],
                }
            )
    frame = pd.DataFrame(rows, columns=TIDY_COLUMNS + OPTIONAL_COLUMNS)
    if frame["value"].map(lambda v: isinstance(v, float)).all():
        frame["value"] = frame["value"].astype(float)
    else:
        frame["value"] = frame["value"].astype(object)
    return frame.sort_values(["entity", "measure", "period"], kind="stable").reset_index(drop=True)


TARGET_LAYOUTS = {
    "2021": "2021: the target year inside the status text, Year the data year",
    "2023": "2023: Year is the target year, the value a status",
    "2026": "2026: a separate target-year indicator beside the status",
}
_IN_TEXT = re.compile(r"^(?P<status>.*\S)\s*\((?P<year>\d{4})\)\s*$")


def read_target_years(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """A target-year chart's tidy rows as ``status`` and ``target_year`` per country; and its layout.

    Raises ValueError when the rows match none of the three layouts.
    """
    import pandas as pd
    text = frame[frame["unit"] == "category"]
    numbers = frame[frame["unit"] != "category"]
    year_like = numbers["value"].map(lambda v: float(v).is_integer() and 1900 <= float(v) <= 2200).all()
    if len(text) and len(numbers) and year_like and "year" in " ".join(numbers["measure"].unique()).lower():
        layout, status = "2026", text.assign(measure="status")
        years = numbers.assign(measure="target_year", unit="year")
    elif len(text) and text["value"].map(lambda v: bool(_IN_TEXT.match(str(v)))).any():
        layout = "2021"  # a status without a year ("Achieved") gives no target_year row
        parts = text["value"].map(lambda v: _IN_TEXT.match(str(v)))
        status = text.assign(measure="status", value=[m["status"] if m else v for m, v in zip(parts, text["value"])])
        dated = parts.notna()
        years = text[dated].assign(measure="target_year", unit="year", value=[float(m["year"]) for m in parts[dated]])
    elif len(text) and not len(numbers) and text["period"].str.fullmatch(r"\d{4}").all():
        layout = "2023"  # Year is the target year: the period is when the chart says so, not known here
        status = text.assign(measure="status")
        years = text.assign(measure="target_year", unit="year", value=text["period"].astype(float))
    else:
        raise ValueError(
            "the chart matches none of the target-year layouts (" + "; ".join(TARGET_LAYOUTS.values()) + ")"
        )
    out = pd.concat([status, years], ignore_index=True)
    out["value"] = out["value"].astype(object)
    return out.sort_values(["entity", "measure", "period"], kind="stable").reset_index(drop=True), layout


class OWID(Source):
    """Our World in Data grapher downloads: chart CSV plus its metadata JSON."""

    name: ClassVar[str] = "owid"
    title: ClassVar[str] = "Our World in Data (grapher chart downloads)"
    default_url: ClassVar[str] = "https://ourworldindata.org"
    required: ClassVar[tuple[str, ...]] = ("slug",)
    optional: ClassVar[tuple[str, ...]] = ("column", "target_years")

    @classmethod
    def dataset_of(cls, query: dict[str, Any]) -> str:
        return f"grapher/{query['slug']}"

    @classmethod
    def urls(cls, slug: str) -> tuple[str, str]:
        """The CSV and metadata URLs of a chart."""
        base = f"{cls.base_url()}/grapher/{slug}"
        return f"{base}.csv?{QUERY}", f"{base}.metadata.json?{QUERY}"

    @classmethod
    def describe(cls, key: str, http: Any) -> dict[str, Any]:
        """An entry for chart ``key`` (its slug) from the chart's metadata JSON: the chart's title, each
        column's unit and description; a chart of several columns becomes a table of measures."""
        from claimcheck.reference.http import SourceError
        from claimcheck.reference.sources.base import key_name
        from claimcheck.reference.vocabulary import describe, names_for, unit_of

        url = cls.urls(key)[1]
        try:
            body = http.get_json(url, check=check_grapher_metadata)
        except SourceError as exc:
            raise SourceError(f"OWID: {exc.reason}", url=exc.url, status=exc.status) from None
        chart, columns = body.get("chart") or {}, body.get("columns") or {}
        title = " ".join(str(chart.get("title") or key).split())
        measures = {}
        for code, column in columns.items():
            about = [column.get("descriptionShort") or "", *(column.get("descriptionKey") or [])]
            name = " ".join(str(column.get("titleLong") or column.get("titleShort") or code).split())
            unit = unit_of(column["unit"]) if column.get("unit") else describe(name)["unit"]
            measures[code] = {"title": name, "unit": unit, "names": names_for(name, f"owid/{key_name(key)}/{code}"),
                              "shape": describe(f"{name} ({column.get('unit') or ''})")["shape"],
                              "description": " ".join(" ".join(about).split())}  # fmt: skip
        citation = " ".join(str(chart.get("citation") or "").split())
        entry = {"name": key_name(key), "title": title, "grain": "annual", "names": names_for(title, f"owid/{key_name(key)}"),
                 "for": f"{title}, by country or region and year (Our World in Data chart {key})",
                 "description": f"Cited as: {citation}" if citation else "", "query": {"slug": key}}  # fmt: skip
        if len(measures) == 1:
            (only,) = measures.values()
            return {**entry, "unit": only["unit"], "shape": only["shape"],
                    "description": " ".join(f"{only['description']} {entry['description']}".split())}
        return {**entry, "unit": "per measure (see measures)", "measures": measures}

    def fetch(self, spec: SnapshotSpec, http: Any) -> tuple[pd.DataFrame, str]:
        """Download the chart's CSV and metadata; return tidy rows (metadata in ``frame.attrs``) and the CSV URL.

        ``frame.attrs["metadata"]`` holds :func:`parse_metadata`'s result (citation, lastUpdated,
        units) for the snapshot's provenance.
        """
        from claimcheck.reference.http import SourceError

        csv_url, metadata_url = self.urls(spec.query["slug"])
        try:
            metadata = parse_metadata(http.get_json(metadata_url, check=check_grapher_metadata))
            response = http.get(csv_url, headers={"Accept": "text/csv"})
        except SourceError as exc:
            raise SourceError(f"OWID: {exc.reason}", url=exc.url, status=exc.status) from None
        lines = response.content.count(b"\n")  # each line holds one row or more: refused before it is parsed
        if lines > self.max_rows:
            raise SourceError(f"the chart CSV has {lines:,} lines, over the OWID source's limit of {self.max_rows:,} "
                              "rows per snapshot", url=csv_url)
        text = response.content.decode("utf-8-sig", errors="replace")
        reason = check_grapher_csv(text)
        if reason:
            raise SourceError(reason, url=csv_url, status=response.status_code)
        frame = parse_grapher_csv(text, metadata)
        column = spec.query.get("column")
        if column:
            if column not in set(frame["measure"]):
                found = ", ".join(sorted(set(frame["measure"]))) or "none"
                raise SourceError(f"the chart has no column {column!r} (columns: {found})", url=csv_url)
            frame = frame[frame["measure"] == column].reset_index(drop=True)
        if frame.empty:
            raise SourceError("no rows: the chart CSV has a header but no values", url=csv_url)
        if spec.query.get("target_years"):
            try:
                frame, layout = read_target_years(frame)
            except ValueError as exc:
                raise SourceError(f"OWID: {exc}", url=csv_url) from None
            frame.attrs["schema"] = TARGET_LAYOUTS[layout]
        frame.attrs["metadata"] = json.loads(json.dumps(metadata))
        return frame, csv_url


SOURCE = OWID
