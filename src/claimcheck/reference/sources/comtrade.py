"""UN Comtrade: merchandise trade by reporter, partner, flow and month, as each customs office reports it.

Wire format (comtradeapi.un.org, API v1; recorded 2024-11 in ``shared/api-samples/comtrade``)::

    {"elapsedTime": "0.09 secs", "count": 4, "data": [{...one row per reporter/partner/flow/period...}],
     "error": ""}

Each row carries ``reporterISO``/``partnerISO`` (ISO-3; ``W00`` is the world), ``flowCode`` (``M``
import, ``X`` export, ``RM``/``RX`` re-import/re-export), ``freqCode`` (``A``/``M``), ``refYear``,
``refMonth`` (``52`` on annual rows), ``period`` (``2010`` or ``202101``) and ``primaryValue``: the
value the reporter published, in plain US dollars (CIF for imports, FOB for exports; the unused one
of ``cifvalue``/``fobvalue`` is null).

Quirks, each seen in a real recording:

* An empty query is HTTP 200 with ``"count": 0, "data": []`` and ``"error": ""``, not an error
  status (2024-11). A refresh treats it as an error ("no rows"), so that an empty answer never
  replaces a good snapshot.
* The Azure API Management gateway in front of the API answers auth errors with its own shape,
  ``{ "statusCode": 401, "message": "Access denied due to missing subscription key. ..." }``
  (2025-12); rate limits (429) and quota (403) come from the same gateway.
* The subscription key goes in the ``Ocp-Apim-Subscription-Key`` header, never in the URL: URLs are
  stored in snapshot sidecars and printed in notebooks.
* As of 2025 the keyless ``public/v1/preview`` endpoint answers the same query with the same envelope,
  capped at 500 rows per call, and accepts **one period per call** (more give
  ``{"error":"Maximum number of periods for preview is 1"}``) at about one call a second; no recording
  of it exists yet (see the samples README). Without a key, each period is its own request and the
  requests are paced ``PREVIEW_INTERVAL`` seconds apart.
* comtradr (rOpenSci, ``R/ct_check_params.R``) refuses more than twelve periods in one query, so the
  keyed API gets at most twelve periods a request.

A catalogue query uses the API's own parameter names: ``typeCode``, ``freqCode``, ``clCode``,
``reporterCode``, ``partnerCode``, ``flowCode``, ``cmdCode`` (a value, a comma-separated text or a
list), the periods as ``start``/``end`` (``YYYY`` or ``YYYY-MM``) or ``period`` (a list), and
optionally ``motCode``, ``partner2Code``, ``customsCode``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from claimcheck.reference.sources.base import TIDY_COLUMNS, SnapshotSpec, Source, number, request_url

if TYPE_CHECKING:  # a frame is built only when data are fetched; the catalogue reads this module without pandas
    import pandas as pd

#: Environment variable holding the optional subscription key (never a notebook parameter).
KEY_ENV = "COMTRADE_API_KEY"
#: Header the API Management gateway reads the key from.
KEY_HEADER = "Ocp-Apim-Subscription-Key"

#: Comtrade flow codes to tidy measure names.
FLOW_MEASURES = {
    "M": "imports",
    "X": "exports",
    "RM": "re_imports",
    "RX": "re_exports",
    "MIP": "imports_inward_processing",
    "XIP": "exports_inward_processing",
    "MOP": "imports_outward_processing",
    "XOP": "exports_outward_processing",
    "DX": "domestic_exports",
    "FM": "foreign_imports",
}

#: Comtrade's own code for the world as a partner, and the tidy code for it.
COMTRADE_WORLD = {"W00": "WLD"}

#: Most periods one keyed request may ask for (comtradr enforces the same limit); the preview takes one.
MAX_PERIODS_PER_REQUEST = 12
PREVIEW_PERIODS_PER_REQUEST = 1

OPTIONAL_COLUMNS = ["entity_name", "partner_name", "basis"]


def check_comtrade(body: Any) -> str | None:
    """Why ``body`` is an error by its shape, or ``None`` when it is a data envelope.

    Recognises the API Management gateway errors (``statusCode``/``message``), a non-empty
    ``error`` string in the data envelope, and any body that is not the envelope at all.
    An envelope with no rows is not an error here; :func:`check_comtrade_rows` says so for a refresh.
    """
    if not isinstance(body, dict):
        return f"expected a JSON object from Comtrade, got {type(body).__name__}"
    if "statusCode" in body and "data" not in body:
        message = str(body.get("message") or "").strip() or "no message"
        return f"Comtrade gateway error {body['statusCode']}: {message}"
    error = body.get("error")
    if error:
        return f"Comtrade error: {str(error).strip()}"
    if not isinstance(body.get("data"), list):
        keys = ", ".join(sorted(map(str, body))) or "none"
        return f"Comtrade answer has no 'data' list (keys: {keys})"
    return None


def check_comtrade_rows(body: Any) -> str | None:
    """Like :func:`check_comtrade`, and an empty result (``count: 0``) is an error too."""
    reason = check_comtrade(body)
    if reason:
        return reason
    if not body["data"]:
        return f"no rows: Comtrade matched nothing for this query (count {body.get('count', 0)})"
    return None


def _period(row: dict[str, Any]) -> str:
    """``YYYY`` for annual rows, ``YYYY-MM`` for monthly ones."""
    year = int(row["refYear"])
    if row.get("freqCode") == "M":
        month = int(row.get("refMonth") or str(row["period"])[4:6])
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def _code(iso: Any, numeric: Any) -> str:
    """The tidy code of a reporter or partner: ISO-3, with ``W00`` as ``WLD``; the M49 number if no ISO."""
    if iso:
        return COMTRADE_WORLD.get(str(iso), str(iso))
    return str(numeric)


def _basis(row: dict[str, Any]) -> str | None:
    """Which valuation ``primaryValue`` is: CIF or FOB, read from the non-null valuation field."""
    primary = row.get("primaryValue")
    for field, basis in (("cifvalue", "CIF"), ("fobvalue", "FOB")):
        if row.get(field) is not None and row.get(field) == primary:
            return basis
    return None


def parse_comtrade(body: dict[str, Any]) -> pd.DataFrame:
    """The tidy frame of a Comtrade data envelope: one row per reporter, partner, period and flow.

    ``value`` is ``primaryValue`` in USD. ``basis`` says whether it is CIF or FOB. A body that is an
    error by shape raises ``ValueError`` (``fetch`` turns it into a ``SourceError`` with the URL).
    """
    import pandas as pd
    reason = check_comtrade(body)
    if reason:
        raise ValueError(reason)
    rows = []
    for row in body["data"]:
        if row.get("primaryValue") is None:
            continue
        flow = str(row.get("flowCode") or "")
        rows.append(
            {
                "entity": _code(row.get("reporterISO"), row.get("reporterCode")),
                "partner": _code(row.get("partnerISO"), row.get("partnerCode")),
                "period": _period(row),
                "measure": FLOW_MEASURES.get(flow, flow.lower() or "unknown_flow"),
                "value": number(row["primaryValue"], "a row's primaryValue"),
                "unit": "USD",
                "entity_name": row.get("reporterDesc"),
                "partner_name": row.get("partnerDesc"),
                "basis": _basis(row),
            }
        )
    frame = pd.DataFrame(rows, columns=TIDY_COLUMNS + OPTIONAL_COLUMNS)
    return frame.sort_values(["entity", "partner", "measure", "period"], kind="stable").reset_index(drop=True)


def monthly_periods(start: str, end: str) -> list[str]:
    """Comtrade month codes (``YYYYMM``) from ``start`` to ``end`` (``YYYY-MM``), inclusive."""
    (y, m), (y_end, m_end) = (map(int, start.split("-")), map(int, end.split("-")))
    out = []
    while (y, m) <= (y_end, m_end):
        out.append(f"{y:04d}{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Comtrade(Source):
    """UN Comtrade, through the keyed data API when ``COMTRADE_API_KEY`` is set, else the public preview."""

    name: ClassVar[str] = "comtrade"
    title: ClassVar[str] = "UN Comtrade (United Nations International Trade Statistics Database)"
    default_url: ClassVar[str] = "https://comtradeapi.un.org"
    required: ClassVar[tuple[str, ...]] = (
        "typeCode", "freqCode", "clCode", "reporterCode", "partnerCode", "flowCode", "cmdCode",
    )  # fmt: skip
    optional: ClassVar[tuple[str, ...]] = ("start", "end", "period", "motCode", "partner2Code", "customsCode")

    @classmethod
    def check_query(cls, query: dict[str, Any]) -> list[str]:
        problems = super().check_query(query)
        if not query.get("period") and not query.get("start"):
            problems.append("start: required (with end), unless period lists the periods")
        return problems

    @classmethod
    def dataset_of(cls, query: dict[str, Any]) -> str:
        return f"{query['typeCode']}/{query['freqCode']}/{query['clCode']} {query['cmdCode']}"

    #: Seconds between the starts of two keyless preview requests (the preview allows about one a second).
    PREVIEW_INTERVAL: ClassVar[float] = 1.1

    @classmethod
    def api_key(cls) -> str | None:
        """The subscription key from the environment, or ``None`` (then the public preview is used)."""
        return os.environ.get(KEY_ENV) or None

    @classmethod
    def endpoint(cls, query: dict[str, Any], keyed: bool) -> str:
        """The data URL for a query: ``data/v1/get/...`` with a key, ``public/v1/preview/...`` without."""
        path = "data/v1/get" if keyed else "public/v1/preview"
        return f"{cls.base_url()}/{path}/{query['typeCode']}/{query['freqCode']}/{query['clCode']}"

    @classmethod
    def request_params(cls, query: dict[str, Any], periods: list[str]) -> dict[str, str]:
        """Query-string parameters for one request (never the key)."""
        params = {name: _codes(query[name]) for name in ("reporterCode", "partnerCode", "flowCode", "cmdCode")}
        params["period"] = ",".join(periods)
        for optional in ("motCode", "partner2Code", "customsCode"):
            if optional in query:
                params[optional] = _codes(query[optional])
        params["includeDesc"] = "TRUE"
        return params

    @classmethod
    def periods(cls, query: dict[str, Any]) -> list[str]:
        """The Comtrade period codes a query covers (``YYYY`` annual, ``YYYYMM`` monthly)."""
        if query.get("period"):
            listed = query["period"]
            items = listed if isinstance(listed, list) else str(listed).split(",")
            return [str(p).strip().replace("-", "") for p in items]
        start, end = str(query["start"]), str(query.get("end") or query["start"])
        if query["freqCode"] == "M":
            return monthly_periods(start, end)
        return [str(y) for y in range(int(start[:4]), int(end[:4]) + 1)]

    def fetch(self, spec: SnapshotSpec, http: Any) -> tuple[pd.DataFrame, str]:
        """Fetch every period of ``spec`` and return the tidy rows: with a key, twelve periods a
        request; without one, one period a request, paced ``PREVIEW_INTERVAL`` apart.

        The returned URL is the whole query as one URL (``period`` lists every period); the requests
        actually sent, which differ only in ``period``, are in ``frame.attrs["request_urls"]``. No URL
        carries the key, which travels only in the ``Ocp-Apim-Subscription-Key`` header.
        """
        import pandas as pd
        from claimcheck.reference.http import SourceError, redact

        key = self.api_key()
        headers = {"Accept": "application/json"}
        if key:
            headers[KEY_HEADER] = key
        url = self.endpoint(spec.query, keyed=bool(key))
        periods = self.periods(spec.query)
        whole = redact(request_url(url, self.request_params(spec.query, periods)))
        frames, urls = [], []
        size = MAX_PERIODS_PER_REQUEST if key else PREVIEW_PERIODS_PER_REQUEST
        last = None
        for chunk in _chunks(periods, size):
            if not key and last is not None:
                time.sleep(max(0.0, self.PREVIEW_INTERVAL - (time.monotonic() - last)))
            params = self.request_params(spec.query, chunk)
            shown = redact(request_url(url, params)) or url
            urls.append(shown)
            try:
                body = http.get_json(url, params=params, headers=headers, check=check_comtrade_rows)
            except SourceError as exc:
                reason = _explain(exc.reason, exc.status, keyed=bool(key))
                raise SourceError(reason, url=shown, status=exc.status) from None
            frames.append(parse_comtrade(body))
            last = time.monotonic()  # the pause runs from the end of one answer, so requests arrive paced apart
        frame = pd.concat(frames, ignore_index=True)
        duplicated = frame.duplicated(["entity", "partner", "period", "measure"])
        if duplicated.any():
            raise SourceError(
                f"{int(duplicated.sum())} duplicate reporter/partner/period/flow rows: the answer holds "
                "breakdowns (mode of transport, customs procedure) instead of totals",
                url=whole,
            )
        frame = frame.sort_values(["entity", "partner", "measure", "period"], kind="stable").reset_index(drop=True)
        frame.attrs["request_urls"] = urls
        return frame, whole or url


def _codes(value: Any) -> str:
    """A code, a list of codes or a comma-separated text, as the comma-separated text the API reads."""
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def _explain(reason: str, status: int | None, keyed: bool) -> str:
    """A Comtrade failure in words, with what to do about the gateway's auth and rate-limit answers."""
    text = reason if reason.startswith("Comtrade") else f"Comtrade: {reason}"
    if status in (401, 403):
        hint = (
            f"the gateway refused the subscription key: check {KEY_ENV}, or unset it to use the keyless preview"
            if keyed
            else "the gateway refused a keyless request: set " + KEY_ENV + " to use the keyed data API"
        )
        return f"{text}; {hint}"
    if status == 429:
        return f"{text}; rate limited by the gateway, try again later"
    return text


SOURCE = Comtrade
