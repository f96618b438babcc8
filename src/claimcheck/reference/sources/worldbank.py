"""World Bank Indicators API v2 (https://api.worldbank.org/v2): GDP in current US$ for the ranking claims.

Aggregates (World, income groups, regions) are flagged from a fixed list of 48 codes rather than from
the API's country metadata (``/v2/country``, ``region.id == "NA"``): the list is the one the seeded
snapshot was classified with (shared/reference/worldbank/README.md), so a refreshed snapshot is
flagged exactly like the seeded one, a refresh needs no second endpoint, and the parser can be tested
against recorded responses (no recording of ``/v2/country`` exists). The cost: an aggregate the World
Bank adds later would be treated as an economy until it is added here.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import requests

from claimcheck.reference.http import HttpClient, SourceError
from claimcheck.reference.sources.base import SnapshotSpec, Source

log = logging.getLogger(__name__)

# The 48 aggregate codes of the seeded file, as classified in shared/reference/worldbank/README.md.
AGGREGATE_CODES = frozenset(
    "AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD "
    "IBT IDA IDB IDX LAC LCN LDC LIC LMC LMY LTE MEA MIC MNA NAC OED "
    "OSS PRE PSS PST SAS SSA SSF SST TEA TEC TLA TMN TSA TSS UMC WLD".split()
)

def error_message(body: Any) -> str | None:
    """The error an Indicators API body carries by its shape, or None for a data body.

    As of 2021-06 (recordings of 13 Jun 2021) the API answers an invalid country or indicator id with
    HTTP 200 and ``[{"message":[{"id":"120","key":"Invalid value","value":"..."}]}]``.
    """
    if isinstance(body, list) and body and isinstance(body[0], dict) and "message" in body[0]:
        messages = body[0]["message"] or [{}]
        text = "; ".join(
            f"{m.get('id', '?')} {m.get('key', '')}: {m.get('value', '')}".strip() for m in messages if isinstance(m, dict)
        )
        return f"World Bank API error {text}"
    if not (isinstance(body, list) and len(body) == 2 and isinstance(body[0], dict) and "pages" in body[0]):
        return f"unexpected World Bank response shape: {str(body)[:120]!r}"
    if body[1] is not None and not isinstance(body[1], list):
        return f"unexpected World Bank data element: {str(body[1])[:120]!r}"
    return None


def parse_indicator_page(body: Any, unit: str = "USD") -> tuple[pd.DataFrame, int, int]:
    """One page of ``/country/.../indicator/...?format=json`` as (tidy frame, page, pages).

    Rows with ``value: null`` (a year not yet published) are dropped. Raises SourceError for an error body.
    """
    problem = error_message(body)
    if problem:
        raise SourceError(problem)
    meta, rows = body[0], body[1] or []  # as of 2021-06 an empty result is [{...,"total":0}, null]
    records = []
    for row in rows:
        if row.get("value") is None:
            continue
        code = row.get("countryiso3code") or row["country"]["id"]  # some aggregates lack an ISO3 code
        records.append(
            {
                "entity": code,
                "partner": "",
                "period": str(row["date"]),
                "measure": row["indicator"]["id"],
                "value": float(row["value"]),
                "unit": unit,
                "entity_name": row["country"]["value"],
                "aggregate": code in AGGREGATE_CODES,
            }
        )
    columns = ["entity", "partner", "period", "measure", "value", "unit", "entity_name", "aggregate"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["aggregate"] = frame["aggregate"].astype(bool)
    return frame, int(meta.get("page") or 0), int(meta.get("pages") or 0)


class WorldBank(Source):
    """World Bank Indicators API v2; JSON, no key, paged."""

    name = "worldbank"
    title = "World Bank World Development Indicators"
    default_url = "https://api.worldbank.org/v2"
    required = ("indicator",)
    optional = ("countries", "date", "per_page", "unit")

    @classmethod
    def dataset_of(cls, query: dict[str, Any]) -> str:
        indicator = query["indicator"]
        return ";".join(indicator) if isinstance(indicator, list) else str(indicator)

    def fetch(self, spec: SnapshotSpec, http: HttpClient) -> tuple[pd.DataFrame, str]:
        """Every page of the spec's indicator query; return the tidy frame and the first page's URL."""
        query = spec.query
        # The singular /country/{c}/indicator/{i} path is the documented v2 form; the plural form used
        # in the 2021 recordings is accepted too. As of 2021-06 the default per_page is 50.
        url = f"{self.base_url()}/country/{query.get('countries', 'all')}/indicator/{query['indicator']}"
        params: dict[str, Any] = {"format": "json", "per_page": query.get("per_page", 1000)}
        if query.get("date"):
            params["date"] = query["date"]
        frames, page, pages = [], 1, 1
        while page <= pages:
            body = http.get_json(url, params={**params, "page": page}, check=error_message)
            frame, echoed, announced = parse_indicator_page(body, query.get("unit", "USD"))
            if page == 1:
                pages = announced  # the first page's count bounds the loop, whatever later pages say
            elif (echoed, announced) != (page, pages):
                log.warning("World Bank page %d of %d requested, body says %d of %d", page, pages, echoed, announced)
            frames.append(frame)
            page += 1
        return pd.concat(frames, ignore_index=True), _request_url(url, {**params, "page": 1})


def _request_url(url: str, params: dict[str, Any]) -> str:
    return requests.Request("GET", url, params=params).prepare().url


SOURCE = WorldBank
