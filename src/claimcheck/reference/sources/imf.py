"""IMF International Trade in Goods (IMTS, formerly Direction of Trade Statistics, DOTS).

As of 2025 the IMF retired dataservices.imf.org (the ``SDMX_JSON.svc`` CompactData service that
served DOT); IMTS lives on ``api.imf.org/external/sdmx/3.0`` as dataflow ``IMF.STA/IMTS``.

Key of an IMTS series: ``COUNTRY.INDICATOR.COUNTERPART_COUNTRY.FREQUENCY``, with ISO-3 country codes,
``G001`` for the world and ``G998`` for the European Union; ``+`` joins several codes in one position.
Indicators used here: ``XG_FOB_USD`` (goods exports, FOB, US dollars) and ``MG_CIF_USD`` (goods
imports, CIF, US dollars).

Wire formats handled, each from a real recording in ``shared/api-samples/imf``:

* **SDMX-ML 3.0 StructureSpecificData** (``Accept: application/xml``; recorded 2025-12): ``Series``
  elements with the key as attributes and ``Obs`` children with ``TIME_PERIOD``/``OBS_VALUE``.
  ``OBS_VALUE`` is already plain USD even though the series says ``SCALE="6"`` (checked against the
  legacy DOT values in millions: USA exports to the world 2023 = 2019551635133 = 2019551.635133 × 10⁶).
* **SDMX-JSON 2.0** data messages (recorded 2025-11, WHDREO; no IMTS sample exists): series keyed
  ``"0:0:0"`` by positions in ``structures[0].dimensions.series``, observations keyed by positions in
  ``dimensions.observation``, each value a string.
* **Legacy CompactData JSON** (DOT, recorded 2024-09): ``CompactData.DataSet.Series`` is a list, or a
  single object when there is one series; the same holds for ``Obs``. ISO-2 codes, ``W00`` the world,
  ``B0`` the EU, values in millions (``@UNIT_MULT: "6"``), all strings.
* Why not sdmx1: measured on the recorded IMTS message, sdmx1 2.28 reads it right (the same four
  values) but takes 0.78 s to import and 4.4 ms to parse against 1.1 ms here, needs no structure
  message only by warning, and knows neither the legacy CompactData JSON nor the empty 204 answer;
  the ElementTree parser below stays.
* Errors: the new API answers an unknown dataflow with **HTTP 204 and an empty body** (2025-11); the
  legacy service answered with HTTP 500 and a .NET ``<string>`` element holding a sentence and a
  ``GKey`` (2023-04); SDMX services in general may answer with an SDMX ``Error`` message.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from claimcheck.reference.sources._iso import to_iso3
from claimcheck.reference.sources.base import TIDY_COLUMNS, SnapshotSpec, Source, decimal_text

if TYPE_CHECKING:  # a frame is built only when data are fetched; the catalogue reads this module without pandas
    import pandas as pd

#: IMTS / DOT indicator codes to tidy measure names. The names say the valuation, as the transcribed
#: DOTS snapshot does (``exports_fob``, ``imports_cif``), so refreshed and transcribed rows line up.
INDICATORS = {
    "XG_FOB_USD": "exports_fob",
    "MG_CIF_USD": "imports_cif",
    "MG_FOB_USD": "imports_fob",
    "TBG_USD": "trade_balance",
    # Legacy DOT names of the same indicators.
    "TXG_FOB_USD": "exports_fob",
    "TMG_CIF_USD": "imports_cif",
    "TMG_FOB_USD": "imports_fob",
}

#: ``basis`` of trade rows: each series is as its reporting country reports it (mirror flows differ).
IMTS_BASIS = "reporter-reported (IMF IMTS)"
DOT_BASIS = "reporter-reported (IMF DOT)"

#: IMF aggregate codes to the tidy (World Bank style) codes.
AGGREGATES = {"G001": "WLD", "W00": "WLD", "G998": "EUU", "B0": "EUU"}

OPTIONAL_COLUMNS = ["basis"]

_MONTHLY = re.compile(r"^(\d{4})-?M(\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")


def normalise_period(text: str) -> str:
    """IMF period text as the tidy period: ``2023`` stays, ``2021-M01``/``2021M01`` become ``2021-01``."""
    text = str(text).strip()
    if re.fullmatch(r"\d{4}", text):
        return text
    for pattern in (_MONTHLY, _YEAR_MONTH):
        match = pattern.match(text)
        if match:
            return f"{match[1]}-{match[2]}"
    match = _QUARTER.match(text)
    if match:
        return f"{match[1]}-Q{match[2]}"
    return text


def _area(code: str) -> str:
    """A country or aggregate code as the tidy ISO-3 code."""
    code = str(code).strip()
    return AGGREGATES.get(code) or to_iso3(code)


def _row(key: dict[str, str], period: str, measure: str, value: float, unit: str, basis: str) -> dict[str, Any]:
    """One tidy row from an SDMX series key (either message format) and one observation."""
    return {
        "entity": _area(key.get("COUNTRY", key.get("REF_AREA", ""))),
        "partner": _area(key.get("COUNTERPART_COUNTRY", key.get("COUNTERPART_AREA", ""))),  # "" when none
        "period": normalise_period(period),
        "measure": measure,
        "value": value,
        "unit": unit,
        "basis": basis,
    }


def _measure(indicator: str) -> tuple[str, str]:
    """Measure name and unit for an indicator code (``USD`` for ``*_USD`` codes, else ``unspecified``)."""
    measure = INDICATORS.get(indicator, indicator.lower())
    unit = "USD" if indicator.endswith("_USD") else "unspecified"
    return measure, unit


def _basis(indicator: str, basis: str) -> str | None:
    """``basis`` for a trade indicator's rows; ``None`` for other indicators."""
    return basis if indicator in INDICATORS else None


def _number(text: Any) -> float | None:
    """A finite float from an observation value, or ``None`` for a missing one (``NaN``, empty)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text) if math.isfinite(text) else None
    return decimal_text(text) if isinstance(text, str) else None


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd
    frame = pd.DataFrame(rows, columns=TIDY_COLUMNS + OPTIONAL_COLUMNS)
    return frame.sort_values(["entity", "partner", "measure", "period"], kind="stable").reset_index(drop=True)


# --- errors ---------------------------------------------------------------------------------------


def _as_text(body: str | bytes | None) -> str:
    """A body as text (UTF-8, as the IMF sends it)."""
    if isinstance(body, bytes):
        return body.decode("utf-8", errors="replace")
    return body or ""


def _local(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def check_imf_text(text: str | bytes | None, status: int | None = None) -> str | None:
    """Why a response body is an IMF error by its shape, or ``None`` when it looks like data.

    Recognises the empty 204 answer of api.imf.org, the legacy .NET ``<string>`` error, an SDMX
    ``Error`` message, and a JSON error object (``{"message": ..., "code": ...}``).
    """
    text = _as_text(text).lstrip("\ufeff").strip()
    if not text:
        shown = f"HTTP {status}" if status is not None else "an empty body"
        return (
            f"empty response ({shown}): the IMF answers this way when the dataflow or key is unknown "
            "or the query matches no data"
        )
    if text.startswith("<"):
        try:
            root = ET.fromstring(text)
        except ET.ParseError as exc:
            return f"the IMF sent XML that does not parse: {exc}"
        name = _local(root.tag)
        if name == "string":
            return f"IMF service error: {' '.join((root.text or '').split())}"
        if name in {"Error", "ErrorMessage"} or any(_local(e.tag) == "ErrorMessage" for e in root.iter()):
            messages = []
            for element in root.iter():
                if _local(element.tag) == "ErrorMessage":
                    texts = [" ".join((t.text or "").split()) for t in element.iter() if _local(t.tag) == "Text"]
                    messages.append(f"{element.get('code', '?')}: {'; '.join(filter(None, texts))}")
            return "IMF SDMX error " + (" | ".join(messages) or "with no message")
        return None
    if text.startswith("{"):
        import json

        try:
            body = json.loads(text)
        except ValueError as exc:
            return f"the IMF sent JSON that does not parse: {exc}"
        return check_imf_json(body)
    return f"the IMF sent neither XML nor JSON: {text[:120]!r}"


def check_imf_json(body: Any) -> str | None:
    """Why a JSON body is an IMF error by its shape, or ``None`` for an SDMX-JSON or CompactData message."""
    if not isinstance(body, dict):
        return f"expected a JSON object from the IMF, got {type(body).__name__}"
    if "CompactData" in body or "data" in body:
        return None
    errors = body.get("errors") or body.get("error")
    if errors or "message" in body:
        detail = errors if errors else body.get("message")
        return f"IMF error: {detail}"
    keys = ", ".join(sorted(map(str, body))) or "none"
    return f"unrecognised IMF JSON (keys: {keys})"


# --- SDMX-ML 3.0 StructureSpecificData ------------------------------------------------------------


def parse_sdmx_xml(text: str | bytes) -> pd.DataFrame:
    """The tidy frame of an SDMX-ML StructureSpecificData message (IMTS), namespace-agnostic.

    ``OBS_VALUE`` is taken as it is: for IMTS it is plain USD although ``SCALE="6"``. Observations
    without a number (``NaN``) are left out. An error body raises ``ValueError``.
    """
    reason = check_imf_text(text)
    if reason:
        raise ValueError(reason)
    if not _as_text(text).lstrip("\ufeff \r\n\t").startswith("<"):
        raise ValueError("not an SDMX-ML message: the body is not XML")
    root = ET.fromstring(text)
    rows = []
    for series in root.iter():
        if _local(series.tag) != "Series":
            continue
        key = {_local(k): v for k, v in series.attrib.items()}
        indicator = key.get("INDICATOR", "")
        measure, unit = _measure(indicator)
        basis = _basis(indicator, IMTS_BASIS)
        for obs in series:
            if _local(obs.tag) != "Obs":
                continue
            attrs = {_local(k): v for k, v in obs.attrib.items()}
            value = _number(attrs.get("OBS_VALUE"))
            if value is None:
                continue
            rows.append(_row(key, attrs.get("TIME_PERIOD", ""), measure, value, unit, basis))
    return _frame(rows)


# --- SDMX-JSON 2.0 data message -------------------------------------------------------------------


def parse_sdmx_json(body: dict[str, Any]) -> pd.DataFrame:
    """The tidy frame of an SDMX-JSON 2.0 data message from api.imf.org.

    Dimensions map to the tidy shape by id: ``COUNTRY`` → entity, ``COUNTERPART_COUNTRY`` → partner
    (empty when the dataflow has none), ``INDICATOR`` → measure (trade codes get their tidy names),
    ``TIME_PERIOD`` → period. The unit is ``USD`` for ``*_USD`` indicators, else the indicator's ``UNIT``
    attribute when the message carries one (``PT`` = percent), else ``unspecified``.
    """
    reason = check_imf_json(body)
    if reason:
        raise ValueError(reason)
    if not isinstance(body.get("data"), dict) or not body["data"].get("structures"):
        raise ValueError("not an SDMX-JSON data message: no 'data.structures'")
    data = body["data"]
    structure = data["structures"][0]
    series_dims = structure["dimensions"].get("series", [])
    obs_dims = structure["dimensions"].get("observation", [])
    unit_codes = _json_unit_codes(structure)
    rows = []
    for dataset in data.get("dataSets", []):
        for series_key, series in (dataset.get("series") or {}).items():
            positions = [int(p) for p in series_key.split(":")] if series_key else []
            key = {dim["id"]: _code_of(dim["values"][pos]) for dim, pos in zip(series_dims, positions)}
            indicator = key.get("INDICATOR", "")
            measure, unit = _measure(indicator)
            if unit == "unspecified":
                unit = unit_codes.get(indicator, unit)
            basis = _basis(indicator, IMTS_BASIS)
            for obs_key, observation in (series.get("observations") or {}).items():
                obs_positions = [int(p) for p in obs_key.split(":")]
                obs = {dim["id"]: _code_of(dim["values"][pos]) for dim, pos in zip(obs_dims, obs_positions)}
                value = _number(observation[0] if isinstance(observation, list) else observation)
                if value is None:
                    continue
                rows.append(_row(key, obs.get("TIME_PERIOD", ""), measure, value, unit, basis))
    return _frame(rows)


def _code_of(value: dict[str, Any]) -> str:
    """A dimension value's code: ``id`` for series dimensions, ``value`` for time periods."""
    return str(value.get("id", value.get("value", "")))


def _json_unit_codes(structure: dict[str, Any]) -> dict[str, str]:
    """The ``UNIT`` attribute per indicator, when the message has exactly one indicator and one unit."""
    attributes = structure.get("attributes") or {}
    for group in ("series", "dimensionGroup"):
        for attribute in attributes.get(group) or []:
            if attribute.get("id") == "UNIT" and len(attribute.get("values") or []) == 1:
                indicators = [
                    _code_of(v)
                    for dim in structure["dimensions"].get("series", [])
                    if dim["id"] == "INDICATOR"
                    for v in dim["values"]
                ]
                if len(indicators) == 1:
                    return {indicators[0]: _code_of(attribute["values"][0])}
    return {}


# --- legacy CompactData JSON ----------------------------------------------------------------------


def _as_list(item: Any) -> list[Any]:
    """The legacy service sends a list, or the single object itself when there is one."""
    if item is None:
        return []
    return item if isinstance(item, list) else [item]


def parse_compactdata(body: dict[str, Any]) -> pd.DataFrame:
    """The tidy frame of a legacy ``SDMX_JSON.svc/CompactData`` message (DOT), values in plain USD.

    Values are multiplied by ``10 ** @UNIT_MULT`` (``6``: millions). ``Series`` and ``Obs`` may each
    be a list or a single object. A data set with no ``Series`` gives an empty frame.
    """
    reason = check_imf_json(body)
    if reason:
        raise ValueError(reason)
    if not isinstance(body.get("CompactData"), dict):
        raise ValueError("not a legacy CompactData message: no 'CompactData' object")
    dataset = body["CompactData"].get("DataSet") or {}
    rows = []
    for series in _as_list(dataset.get("Series")):
        multiplier = 10 ** int(series.get("@UNIT_MULT") or 0)
        indicator = series.get("@INDICATOR", "")
        measure, unit = _measure(indicator)
        basis = _basis(indicator, DOT_BASIS)
        for obs in _as_list(series.get("Obs")):
            value = _number(obs.get("@OBS_VALUE"))
            if value is None:
                continue
            rows.append(
                {
                    "entity": _area(series.get("@REF_AREA", "")),
                    "partner": _area(series.get("@COUNTERPART_AREA", "")),
                    "period": normalise_period(obs.get("@TIME_PERIOD", "")),
                    "measure": measure,
                    "value": value * multiplier,
                    "unit": unit,
                    "basis": basis,
                }
            )
    return _frame(rows)


# --- the source -----------------------------------------------------------------------------------


class IMF(Source):
    """IMF IMTS on the SDMX 3.0 API (SDMX-ML), with parsers for the legacy DOT service's messages."""

    name: ClassVar[str] = "imf"
    title: ClassVar[str] = "IMF International Trade in Goods by partner country (IMTS, formerly DOTS)"
    default_url: ClassVar[str] = "https://api.imf.org/external/sdmx/3.0"
    dataflow: ClassVar[str] = "IMF.STA/IMTS"  # the default when a query names none
    required: ClassVar[tuple[str, ...]] = ("key", "start")
    optional: ClassVar[tuple[str, ...]] = ("dataflow", "end")

    @classmethod
    def dataset_of(cls, query: dict[str, Any]) -> str:
        return str(query.get("dataflow") or cls.dataflow)

    @classmethod
    def describe(cls, key: str, http: Any) -> dict[str, Any]:
        """An entry for ``DATAFLOW:KEY`` (``IMF.STA/IMTS:USA.XG_FOB_USD.G001+G998.A``; the dataflow may be
        left out) from the key alone: no recorded answer of the SDMX structure endpoint exists to build and
        test a reader of the series' names on, so the title is the key, and the unit the currency the
        key's codes end in (``..._USD``), else ``count``. ``start`` is the first period (default 2000)."""
        from claimcheck.reference.sources.base import key_name
        from claimcheck.registry.units import is_currency

        dataflow, _, series = key.rpartition(":")
        dataflow = dataflow or cls.dataflow
        codes = [part.split("_")[-1] for part in series.replace("+", ".").split(".")]
        unit = next((c for c in codes if is_currency(c)), "count")
        frequency = series.rsplit(".", 1)[-1]
        return {"name": key_name(series), "title": f"{dataflow} series {series}", "unit": unit,
                "grain": {"A": "annual", "Q": "quarterly", "M": "monthly"}.get(frequency, "annual"),
                "for": f"the {dataflow} series {series}, as the IMF serves it",
                "query": {"dataflow": dataflow, "key": series, "start": "2000"}}  # fmt: skip

    @classmethod
    def data_url(cls, key: str, start: str, end: str | None, dataflow: str | None = None) -> str:
        """The SDMX 3.0 data URL for one series key and period range (latest dataflow version ``+``).

        The time filter is ``c[TIME_PERIOD]=ge:<first day>+le:<last day>`` as the request recorded
        from OpenBB wrote it, with a literal ``+`` (the SDMX 3.0 "and" of two conditions); with no
        ``end`` only the ``ge:`` condition is sent.
        """
        first = f"{start}-01-01" if len(start) == 4 else f"{start}-01"
        condition = f"ge:{first}"
        if end:
            last = f"{end}-12-31" if len(end) == 4 else f"{end}-{_month_end(end):02d}"
            condition += f"+le:{last}"
        query = (
            f"c%5BTIME_PERIOD%5D={condition}"
            "&dimensionAtObservation=TIME_PERIOD&detail=full&includeHistory=false"
        )
        flow = dataflow or cls.dataflow
        return f"{cls.base_url()}/data/dataflow/{flow}/+/{quote(key, safe='+.')}?{query}"

    def fetch(self, spec: SnapshotSpec, http: Any) -> tuple[pd.DataFrame, str]:
        """Fetch each key of ``spec`` as SDMX-ML; return the tidy rows and the request URL.

        ``key`` is one series key or a list of them; with several keys the URL of the first is
        returned and every request URL is in ``frame.attrs["request_urls"]``.

        An empty answer (HTTP 204), an error body or a message without observations raises
        ``SourceError`` saying which.
        """
        import pandas as pd
        from claimcheck.reference.http import SourceError

        frames, urls = [], []
        query = spec.query
        keys = query["key"] if isinstance(query["key"], list) else [query["key"]]
        for key in keys:
            url = self.data_url(str(key), str(query["start"]), _text(query.get("end")), query.get("dataflow"))
            urls.append(url)
            try:
                response = http.get(url, headers={"Accept": "application/xml"}, allow_empty=True)
            except SourceError as exc:
                raise SourceError(f"IMF: {exc.reason}", url=url, status=exc.status) from None
            reason = check_imf_text(response.content, response.status_code)
            if reason:
                raise SourceError(reason, url=url, status=response.status_code)
            frame = parse_sdmx_xml(response.content)
            if frame.empty:
                raise SourceError(f"no rows: the IMF message holds no observations for {key}", url=url)
            frames.append(frame)
        frame = pd.concat(frames, ignore_index=True)
        frame = frame.sort_values(["entity", "partner", "measure", "period"], kind="stable").reset_index(drop=True)
        frame.attrs["request_urls"] = urls
        return frame, urls[0]


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _month_end(year_month: str) -> int:
    import calendar

    year, month = map(int, year_month.split("-"))
    return calendar.monthrange(year, month)[1]


SOURCE = IMF
