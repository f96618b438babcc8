"""Eurostat Comext: EU member states' goods trade with each partner, as EU customs record it, in euros.

The Statistics API 1.0 of the Comext host (``.../api/comext/dissemination/statistics/1.0/data/<code>``)
serves Comext datasets such as ``DS-045409`` ("EU trade since 1988 by HS2-4-6 and CN8") as
**JSON-stat 2.0**. The main Eurostat host serves its own datasets under another path and answers
``DS-*`` codes with "not found", so the base URL here is the Comext one.

JSON-stat 2.0 in one paragraph (https://json-stat.org/format/): ``id`` lists the dimensions in order
and ``size`` their lengths; ``dimension.<id>.category.index`` gives each code's position (an object
``{code: position}`` or an array of codes in order) and ``category.label`` its name; ``value`` holds
the cells in row-major order over those positions (the last dimension varies fastest), either as an
array or, sparse, as an object keyed by the flat index as a string. Cells with no data are absent
from the sparse form or ``null`` in the dense one.

Quirks seen in the real responses recorded 2026-09 (``shared/api-samples/eurostat``):

* ``value`` is sparse: ``{"2": 28417786122, "3": 27944902670}``. The ``freq`` dimension lists both
  ``A`` and ``M`` even when only monthly cells exist (``extension.positions-with-no-data``).
* ``VALUE_IN_EUROS`` values are whole euros. Imports are valued CIF and exports FOB (Comext rule).
* Errors come as ``{"error": [{"status": 413, "id": 413, "label": "EXTRACTION_TOO_BIG: ..."}]}`` with the
  same HTTP status (413 when the extraction is too big, 404 ``ERR_NOT_FOUND_4`` for an unknown dataset).
* Reporter and partner codes are ISO alpha-2 except Eurostat's own (``EL`` Greece, ``EU27_2020``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from claimcheck.reference.sources._iso import to_iso3
from claimcheck.reference.sources.base import TIDY_COLUMNS, SnapshotSpec, Source, number, request_url

if TYPE_CHECKING:  # a frame is built only when data are fetched; the catalogue reads this module without pandas
    import pandas as pd

#: Comext flow codes to tidy measure names and the valuation basis of their values.
FLOWS = {"1": ("imports", "CIF"), "2": ("exports", "FOB")}

#: Comext indicators to tidy units; other indicators keep their code, lower-cased, in the measure.
INDICATOR_UNITS = {
    "VALUE_IN_EUROS": "EUR",
    "QUANTITY_IN_100KG": "100 kg",
    "SUPPLEMENTARY_QUANTITY": "supplementary unit",
}

OPTIONAL_COLUMNS = ["entity_name", "partner_name", "basis"]

_MONTHLY = re.compile(r"^(\d{4})-?M(\d{2})$")


def check_eurostat(body: Any) -> str | None:
    """Why ``body`` is a Eurostat error by its shape, or ``None`` when it is a JSON-stat dataset."""
    if not isinstance(body, dict):
        return f"expected a JSON object from Eurostat, got {type(body).__name__}"
    if "error" in body:
        errors = body["error"]
        errors = errors if isinstance(errors, list) else [errors]
        parts = []
        for error in errors:
            if isinstance(error, dict):
                status = error.get("status", "?")
                parts.append(f"{status} {str(error.get('label') or error.get('id') or '').strip()}".strip())
            else:
                parts.append(str(error))
        return "Eurostat error " + "; ".join(parts)
    missing = [k for k in ("id", "size", "dimension", "value") if k not in body]
    if missing:
        return f"not a JSON-stat dataset: no {', '.join(missing)}"
    return None


def check_eurostat_rows(body: Any) -> str | None:
    """Like :func:`check_eurostat`, and a dataset with no cells is an error too (for a refresh)."""
    reason = check_eurostat(body)
    if reason:
        return reason
    if not body["value"] or all(v is None for v in _cells(body["value"]).values()):
        return "no rows: Eurostat returned a dataset with no values for this query"
    return None


def _categories(dimension: dict[str, Any]) -> list[str]:
    """A dimension's codes in position order (``index`` may be an object or an array)."""
    category = dimension.get("category") or {}
    index = category.get("index")
    if index is None:
        return list((category.get("label") or {}).keys())
    if isinstance(index, list):
        return [str(code) for code in index]
    return [code for code, _ in sorted(index.items(), key=lambda item: item[1])]


def _cells(value: Any) -> dict[int, Any]:
    """The cells of ``value`` by flat index, whether it is sparse (object) or dense (array)."""
    if isinstance(value, dict):
        return {int(k): v for k, v in value.items()}
    return dict(enumerate(value))


def decode_jsonstat(body: dict[str, Any]) -> pd.DataFrame:
    """A JSON-stat 2.0 dataset as a long frame: one column per dimension (its code), a ``<id>_label``
    column per dimension, and ``value``. Cells with no value are left out.
    """
    import pandas as pd
    reason = check_eurostat(body)
    if reason:
        raise ValueError(reason)
    ids: list[str] = list(body["id"])
    sizes: list[int] = [int(s) for s in body["size"]]
    codes = [_categories(body["dimension"][dim]) for dim in ids]
    for dim, size, dim_codes in zip(ids, sizes, codes):
        if len(dim_codes) != size:
            raise ValueError(f"JSON-stat dimension {dim!r} lists {len(dim_codes)} categories but size says {size}")
    labels = [(body["dimension"][dim].get("category") or {}).get("label") or {} for dim in ids]
    strides = [1] * len(ids)
    for i in range(len(ids) - 2, -1, -1):
        strides[i] = strides[i + 1] * sizes[i + 1]
    total = 1
    for size in sizes:
        total *= size
    rows = []
    for flat, value in sorted(_cells(body["value"]).items()):
        if value is None:
            continue
        if not 0 <= flat < total:
            raise ValueError(f"JSON-stat value index {flat} is outside the cube of {total} cells")
        row: dict[str, Any] = {}
        for dim, stride, size, dim_codes, dim_labels in zip(ids, strides, sizes, codes, labels):
            code = dim_codes[(flat // stride) % size]
            row[dim] = code
            row[f"{dim}_label"] = dim_labels.get(code, code)
        row["value"] = value
        rows.append(row)
    columns = [c for dim in ids for c in (dim, f"{dim}_label")] + ["value"]
    return pd.DataFrame(rows, columns=columns)


def normalise_period(text: str) -> str:
    """Eurostat time codes as tidy periods: ``2024-01`` and ``2024M01`` become ``2024-01``; ``2024`` stays."""
    text = str(text).strip()
    match = _MONTHLY.match(text)
    return f"{match[1]}-{match[2]}" if match else text


def parse_comext(body: dict[str, Any]) -> pd.DataFrame:
    """The tidy frame of a Comext JSON-stat dataset (reporter, partner, product, flow, indicators, time).

    ``entity`` is the reporter and ``partner`` the partner, as ISO-3 codes (``EU27_2020`` → ``EUU``);
    ``measure`` is ``imports``/``exports`` for ``VALUE_IN_EUROS`` (other indicators add their code,
    a product other than ``TOTAL`` adds ``:<product>``); ``unit`` is ``EUR`` for values; ``basis`` is
    CIF for imports and FOB for exports.
    """
    import pandas as pd
    long = decode_jsonstat(body)
    rows = []
    for cell in long.to_dict("records"):
        flow = str(cell.get("flow", ""))
        measure, basis = FLOWS.get(flow, (f"flow_{flow}", None))
        indicator = str(cell.get("indicators", "VALUE_IN_EUROS"))
        if indicator != "VALUE_IN_EUROS":
            measure = f"{measure}_{indicator.lower()}"
        product = str(cell.get("product", "TOTAL"))
        if product != "TOTAL":
            measure = f"{measure}:{product}"
        rows.append(
            {
                "entity": to_iso3(cell.get("reporter", cell.get("geo", ""))),
                "partner": to_iso3(cell["partner"]) if "partner" in cell else "",
                "period": normalise_period(cell.get("time", "")),
                "measure": measure,
                "value": number(cell["value"], "a cell's value"),
                "unit": INDICATOR_UNITS.get(indicator, indicator.lower()),
                "entity_name": cell.get("reporter_label", cell.get("geo_label")),
                "partner_name": cell.get("partner_label"),
                "basis": basis,
            }
        )
    frame = pd.DataFrame(rows, columns=TIDY_COLUMNS + OPTIONAL_COLUMNS)
    return frame.sort_values(["entity", "partner", "measure", "period"], kind="stable").reset_index(drop=True)


class Eurostat(Source):
    """Eurostat's Comext trade database through the dissemination Statistics API (JSON-stat 2.0)."""

    name: ClassVar[str] = "eurostat"
    title: ClassVar[str] = "Eurostat Comext: EU trade since 1988 by HS2-4-6 and CN8 (DS-045409)"
    default_url: ClassVar[str] = "https://ec.europa.eu/eurostat/api/comext/dissemination/statistics/1.0"
    required: ClassVar[tuple[str, ...]] = ("dataset",)
    optional: ClassVar[tuple[str, ...]] = ("filters", "start", "end")

    @classmethod
    def check_query(cls, query: dict[str, Any]) -> list[str]:
        problems = super().check_query(query)
        if "filters" in query and not isinstance(query["filters"], dict):
            problems.append("filters: a mapping of dimension to code or list of codes")
        return problems

    @classmethod
    def dataset_of(cls, query: dict[str, Any]) -> str:
        return str(query["dataset"])

    @classmethod
    def request(cls, query: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
        """URL and query-string pairs for a catalogue query: each filter sent once per code (``flow=1&flow=2``)."""
        params: list[tuple[str, str]] = []
        for dim, values in (query.get("filters") or {}).items():
            params.extend((str(dim), str(v)) for v in (values if isinstance(values, list) else [values]))
        if query.get("start"):
            params.append(("sinceTimePeriod", str(query["start"])))
        if query.get("end"):
            params.append(("untilTimePeriod", str(query["end"])))
        params += [("format", "JSON"), ("lang", "EN")]
        return f"{cls.base_url()}/data/{query['dataset']}", params

    def fetch(self, spec: SnapshotSpec, http: Any) -> tuple[pd.DataFrame, str]:
        """Fetch ``spec`` as JSON-stat and return the tidy rows and the request URL."""
        from claimcheck.reference.http import SourceError

        url, params = self.request(spec.query)
        shown = request_url(url, params) or url
        try:
            body = http.get_json(url, params=params, headers={"Accept": "application/json"}, check=check_eurostat_rows)
        except SourceError as exc:
            hint = (
                "; narrow the filters (fewer products, partners or periods)"
                if exc.status == 413 or "EXTRACTION_TOO_BIG" in exc.reason
                else ""
            )
            raise SourceError(f"Eurostat: {exc.reason}{hint}", url=shown, status=exc.status) from None
        return parse_comext(body), shown


SOURCE = Eurostat

__all__ = [
    "SOURCE",
    "Eurostat",
    "check_eurostat",
    "check_eurostat_rows",
    "decode_jsonstat",
    "normalise_period",
    "parse_comext",
]
