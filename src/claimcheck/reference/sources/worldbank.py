"""World Bank Indicators API v2 (https://api.worldbank.org/v2): any indicators, any countries, any years.

A catalogue query names ``indicator`` (one code or a list), ``countries`` (``all``, or ISO-3 codes as a
list or ``;``-separated) and optionally ``date`` (``2000:2023``) and ``per_page``. Each indicator is
fetched on its own (several indicators in one path need a ``source`` parameter and fail for mixed
sources), every page followed. Rows take the entry's ``unit``, or ``units[indicator]`` when the query
maps indicators to units.

Aggregates (World, income groups, regions) are flagged from the API's own country metadata
(``/v2/country``, ``region.id == "NA"``), fetched with each refresh, so an aggregate the World Bank
adds is flagged without a code change. ``AGGREGATE_CODES`` is the classification of the transcribed
copy (shared/reference/worldbank/README.md), which carries no metadata of its own.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from claimcheck.reference.http import HttpClient, SourceError
from claimcheck.reference.sources.base import SnapshotSpec, Source, key_name, number, request_url

if TYPE_CHECKING:  # a frame is built only when data are fetched; the catalogue reads this module without pandas
    import pandas as pd

log = logging.getLogger(__name__)

# The 48 aggregate codes of the transcribed file, as classified in shared/reference/worldbank/README.md
# (used to seed it; a refresh classifies from the API's country metadata instead).
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


def parse_indicator_page(
    body: Any, unit: str = "USD", aggregates: frozenset[str] | set[str] = AGGREGATE_CODES
) -> tuple[pd.DataFrame, int, int]:
    """One page of ``/country/.../indicator/...?format=json`` as (tidy frame, page, pages).

    Rows with ``value: null`` (a year not yet published) are dropped; ``aggregate`` is whether the
    code is in ``aggregates``. Raises SourceError for an error body.
    """
    import pandas as pd
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
                "value": number(row["value"], f"the value of {code} for {row.get('date')}"),
                "unit": unit,
                "entity_name": row["country"]["value"],
                "aggregate": code in aggregates,
            }
        )
    columns = ["entity", "partner", "period", "measure", "value", "unit", "entity_name", "aggregate"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["aggregate"] = frame["aggregate"].astype(bool)
    return frame, int(meta.get("page") or 0), int(meta.get("pages") or 0)


def parse_country_page(body: Any) -> tuple[set[str], set[str], int, int]:
    """One page of ``/country?format=json`` as (aggregate codes, economy codes, page, pages).

    An aggregate is a row whose ``region.id`` is ``"NA"`` (its region value reads "Aggregates").
    """
    problem = error_message(body)
    if problem:
        raise SourceError(problem)
    meta, rows = body[0], body[1] or []
    aggregates, economies = set(), set()
    for row in rows:
        region = row.get("region") or {}
        (aggregates if str(region.get("id", "")).strip() == "NA" else economies).add(str(row["id"]))
    return aggregates, economies, int(meta.get("page") or 0), int(meta.get("pages") or 0)


class WorldBank(Source):
    """World Bank Indicators API v2; JSON, no key, paged."""

    name = "worldbank"
    title = "World Bank World Development Indicators"
    default_url = "https://api.worldbank.org/v2"
    required = ("indicator",)
    optional = ("countries", "date", "per_page", "units")
    # every economy and aggregate (about 270) for 65 years is 18 pages of 1,000 rows per indicator
    max_pages = 100
    max_rows = 1_000_000

    @classmethod
    def dataset_of(cls, query: dict[str, Any]) -> str:
        indicator = query["indicator"]
        return ";".join(indicator) if isinstance(indicator, list) else str(indicator)

    def fetch(self, spec: SnapshotSpec, http: HttpClient) -> tuple[pd.DataFrame, str]:
        """Every page of every indicator of the query, aggregates flagged; the first request's URL."""
        import pandas as pd
        query = spec.query
        indicators = query["indicator"] if isinstance(query["indicator"], list) else [query["indicator"]]
        units = query.get("units") or {}
        params: dict[str, Any] = {"format": "json", "per_page": query.get("per_page", 1000)}
        if query.get("date"):
            params["date"] = str(query["date"])
        frames, first_url, rows = [], None, 0
        for indicator in map(str, indicators):
            # The singular /country/{c}/indicator/{i} path is the documented v2 form; the plural form
            # of the 2021 recordings is accepted too. As of 2021-06 the default per_page is 50.
            url = f"{self.base_url()}/country/{_countries(query.get('countries', 'all'))}/indicator/{indicator}"
            first_url = first_url or request_url(url, {**params, "page": 1})
            unit = units.get(indicator) or spec.unit or "unspecified"
            for body in self._pages(http, url, params):
                frames.append(parse_indicator_page(body, unit, set())[0])
                rows += len(frames[-1])
                if rows > self.max_rows:
                    raise SourceError(f"over {self.max_rows:,} rows for one snapshot (the World Bank source's "
                                      f"limit); narrow the query's countries or date", url)
        frame = pd.concat(frames, ignore_index=True)
        frame["aggregate"] = frame["entity"].isin(self.aggregate_codes(http))  # asked once the data came
        return frame, first_url or ""

    def aggregate_codes(self, http: HttpClient) -> set[str]:
        """The codes the API's country metadata classes as aggregates (``region.id == "NA"``)."""
        aggregates, economies = set(), set()
        for body in self._pages(http, f"{self.base_url()}/country", {"format": "json", "per_page": 1000}):
            found, others, _, _ = parse_country_page(body)
            aggregates |= found
            economies |= others
        if not aggregates and not economies:
            raise SourceError("the World Bank country metadata listed no countries; cannot flag aggregates")
        return aggregates

    @classmethod
    def describe(cls, key: str, http: HttpClient) -> dict[str, Any]:
        """An entry for indicator ``key`` from the API's own answer: the first row of its data names the
        indicator (``indicator.value``, the title), and the envelope its source and when it was updated.
        (The API's ``/indicator/<code>`` metadata would add the definition; no recorded answer of it
        exists to build and test a reader on, so the entry is built from what the data endpoint says.)"""
        from claimcheck.reference.vocabulary import describe, names_for, plain_title

        url = f"{cls.base_url()}/country/all/indicator/{key}"
        body = http.get_json(url, params={"format": "json", "per_page": 1}, check=error_message)
        rows = body[1] or []
        if not rows or not isinstance(rows[0], dict) or not (rows[0].get("indicator") or {}).get("value"):
            raise SourceError(f"the World Bank has no data for indicator {key!r}", url=request_url(url, {"format": "json"}))
        title = " ".join(str(rows[0]["indicator"]["value"]).split())
        code = str(rows[0]["indicator"].get("id") or key)
        described = describe(title, code)
        envelope = body[0]
        return {
            "name": key_name(code), "title": title, "unit": described["unit"], "shape": described["shape"],
            "grain": described["grain"], **({"agreement_band": described["band"]} if "band" in described else {}),
            "names": names_for(title, code),
            "for": f"{plain_title(title)}, by economy and year (World Bank Indicators API; aggregates flagged)",
            "description": " ".join(f"{envelope.get('sourcename') or 'World Bank'}, last updated "
                                    f"{envelope.get('lastupdated') or 'not said'}.".split()),
            "query": {"indicator": code, "countries": "all"},
        }  # fmt: skip

    @classmethod
    def _pages(cls, http: HttpClient, url: str, params: dict[str, Any]):
        """Each page's body; the first page's count bounds the loop, whatever later pages say, and
        a count over ``max_pages`` fails before a second request."""
        page, pages = 1, 1
        while page <= pages:
            body = http.get_json(url, params={**params, "page": page}, check=error_message)
            meta = body[0]
            try:
                echoed, announced = int(meta.get("page") or 0), int(meta.get("pages") or 0)
            except (TypeError, ValueError):
                raise SourceError(f"the page count is not a number: {str(meta.get('pages'))[:40]!r}", url) from None
            if page == 1:
                if announced > cls.max_pages:
                    raise SourceError(f"the answer announces {announced:,} pages, over the World Bank source's "
                                      f"limit of {cls.max_pages:,}; narrow the query or raise per_page", url)
                pages = announced
            elif (echoed, announced) != (page, pages):
                log.warning("World Bank page %d of %d requested, body says %d of %d", page, pages, echoed, announced)
            yield body
            page += 1


def _countries(countries: Any) -> str:
    return ";".join(map(str, countries)) if isinstance(countries, list) else str(countries)


SOURCE = WorldBank
