"""Wikidata Query Service: dated and categorical facts (when relations began, which country a city is in).

Wire format: SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/)::

    {"head": {"vars": ["entity", "entityLabel", "year"]},
     "results": {"bindings": [{"entity": {"type": "uri", "value": "http://www.wikidata.org/entity/Q3731207"},
                               "entityLabel": {"type": "literal", "xml:lang": "en", "value": "Ercole Patti"},
                               "year": {"type": "literal", "datatype": "...XMLSchema#integer", "value": "1903"}}]}}

Every value is a string; typed literals carry a ``datatype`` and text literals may carry ``xml:lang``.
A variable that an ``OPTIONAL`` left unbound is simply absent from that binding (seen in the real
recording ``sparql_select_optional_values.json``, 2017). Dates come as ``xsd:dateTime``
(``2013-01-01T00:00:00Z``); Wikidata writes a date known only to the year as 1 January of it, so a
date's precision is not in the JSON.

How a result becomes tidy rows (:func:`sparql_tidy`): one row per binding and per measure variable
that is bound. ``entity`` is the QID of the entity variable (``entity_name`` its ``<var>Label``),
``partner`` the QID of an optional partner variable (``partner_name`` its label), ``measure`` is the
variable's name, and ``value``/``unit``/``period`` depend on the value's type:

=====================  ================================  =================  ======================
value type             ``value``                         ``unit``           ``period``
=====================  ================================  =================  ======================
``xsd:dateTime``       ISO date text ``YYYY-MM-DD``      ``date``           the date itself
integer, decimal       the number (float)                ``unspecified``    ``as_of``
Wikidata item (uri)    the item's number (55.0 for Q55)  ``wikidata-item``  ``as_of``
``xsd:boolean``        1.0 or 0.0                        ``boolean``        ``as_of``
other uri              the URI text                      ``uri``            ``as_of``
other literal          the text                          ``text``           ``as_of``
=====================  ================================  =================  ======================

``as_of`` is the date the query ran (``fetch`` passes the retrieval date): a fact such as "this city is
in that country" holds as of that day. An item's QID and label are easier to read in ``partner``
and ``partner_name``, which is why the snapshots here name the item variable as the partner too; the
numeric ``value`` keeps the row numeric, which the snapshot store requires for every unit but
``date``. Rows with unit ``uri`` or ``text`` would not pass that check, so snapshot queries here only
report dates, numbers and items.

**Date precision.** Wikidata writes a date known to the year as 1 January of it, so ``wdt:``/``pq:``
values alone turn "1971" into 1971-01-01. A query keeps the precision by reading the full value
(``psv:``/``pqv:``) and binding ``wikibase:timePrecision`` as ``?<measure>Precision`` beside the date;
the date is then cut to what is known: precision 9 (year) gives ``1971``, 10 (month) ``1971-10``,
11 (day) ``1971-10-25``, 8 (decade) ``1970s``. Without a precision variable the full date is kept.

A catalogue query names its ``.rq`` file (``sparql``) and ``columns``: ``entity``, ``measures``, and
optionally ``partner`` and ``basis``; ``expect`` lists values each of which must be in the result.

As of 2025 the service refuses requests without a descriptive User-Agent (HTTP 403); the shared HTTP
client sends one. Malformed queries are HTTP 400 with a Java stack trace as ``text/plain``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any, ClassVar

from claimcheck.reference.sources.base import TIDY_COLUMNS, SnapshotSpec, Source, request_url

if TYPE_CHECKING:  # a frame is built only when data are fetched; the catalogue reads this module without pandas
    import pandas as pd

XSD = "http://www.w3.org/2001/XMLSchema#"
ENTITY_PREFIX = "http://www.wikidata.org/entity/"
INTEGER_TYPES = {
    f"{XSD}{t}"
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
    )
}
FLOAT_TYPES = {f"{XSD}decimal", f"{XSD}double", f"{XSD}float"}
DATE_TYPES = {f"{XSD}dateTime", f"{XSD}date"}
_DATE = re.compile(r"^(-?\d{4,})-(\d{2})-(\d{2})")

OPTIONAL_COLUMNS = ["entity_name", "partner_name", "basis"]


def check_sparql(body: Any) -> str | None:
    """Why ``body`` is not a SPARQL 1.1 JSON result set, or ``None`` when it is one."""
    if not isinstance(body, dict):
        return f"expected a SPARQL JSON object from Wikidata, got {type(body).__name__}"
    head, results = body.get("head"), body.get("results")
    if not isinstance(head, dict) or not isinstance(head.get("vars", []), list):
        return "not a SPARQL JSON result: no 'head.vars'"
    if "boolean" in body:
        return None
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        return "not a SPARQL JSON result: no 'results.bindings' list"
    return None


def check_sparql_rows(body: Any) -> str | None:
    """Like :func:`check_sparql`, and a result with no bindings is an error too (for a refresh)."""
    reason = check_sparql(body)
    if reason:
        return reason
    if not body.get("results", {}).get("bindings"):
        return "no rows: the SPARQL query matched nothing"
    return None


def qid(uri: str) -> str:
    """``http://www.wikidata.org/entity/Q31`` → ``Q31``; any other URI comes back unchanged."""
    return uri[len(ENTITY_PREFIX):] if uri.startswith(ENTITY_PREFIX) else uri


def term_value(term: dict[str, Any]) -> Any:
    """The Python value of one RDF term of a binding.

    ``uri`` → the URI text; ``bnode`` → ``_:<id>``; integer types → ``int``; decimal/double/float →
    ``float``; ``xsd:boolean`` → ``bool``; ``xsd:dateTime``/``xsd:date`` → ``datetime.date`` (the
    text itself when the year is outside 1–9999); anything else → the text.
    """
    kind, text = term.get("type"), term.get("value", "")
    if kind == "uri":
        return text
    if kind == "bnode":
        return f"_:{text}"
    datatype = term.get("datatype", "")
    if datatype in INTEGER_TYPES:
        return int(text)
    if datatype in FLOAT_TYPES:
        return float(text)
    if datatype == f"{XSD}boolean":
        return text.strip().lower() in {"true", "1"}
    if datatype in DATE_TYPES:
        match = _DATE.match(text)
        if match and 1 <= int(match[1]) <= 9999:
            return date(int(match[1]), int(match[2]), int(match[3]))
        return text
    return text


def parse_sparql_json(body: dict[str, Any]) -> pd.DataFrame:
    """A SPARQL JSON result as a frame: one row per binding, one column per variable in ``head.vars``
    order, values converted by :func:`term_value`, unbound variables as ``None``.
    """
    import pandas as pd
    reason = check_sparql(body)
    if reason:
        raise ValueError(reason)
    variables = list(body["head"].get("vars", []))
    rows = []
    for binding in body.get("results", {}).get("bindings", []):
        rows.append({var: term_value(binding[var]) if var in binding else None for var in variables})
        for extra in binding:
            if extra not in variables:
                raise ValueError(f"binding has variable {extra!r} that head.vars does not list")
    return pd.DataFrame(rows, columns=variables)


#: wikibase:timePrecision codes to how much of an ISO date is known.
PRECISION_LENGTH = {9: 4, 10: 7, 11: 10}
DECADE_PRECISION = 8


def cut_to_precision(iso: str, precision: Any) -> str:
    """An ISO date cut to a Wikidata time precision: 9 → ``YYYY``, 10 → ``YYYY-MM``, 8 → ``YYYYs`` (decade)."""
    try:
        code = int(precision)
    except (TypeError, ValueError):
        return iso
    if code == DECADE_PRECISION and re.match(r"^\d{4}", iso):
        return f"{iso[:3]}0s"
    if code < DECADE_PRECISION:
        return iso  # centuries and coarser: no tidy period spells them; keep what Wikidata wrote
    return iso[: PRECISION_LENGTH.get(code, 10)]


def _tidy_value(term: dict[str, Any], precision: dict[str, Any] | None = None) -> tuple[Any, str]:
    """``value`` and ``unit`` of a measure term, per the table in the module docstring; a date is cut
    to ``precision`` (the ``<measure>Precision`` term) when the query bound one."""
    value, unit = _plain_tidy_value(term)
    if unit == "date" and precision is not None:
        value = cut_to_precision(value, precision.get("value"))
    return value, unit


def _plain_tidy_value(term: dict[str, Any]) -> tuple[Any, str]:
    value = term_value(term)
    if term.get("type") == "uri":
        code = qid(value)
        if re.fullmatch(r"Q\d+", code):
            return float(code[1:]), "wikidata-item"
        return value, "uri"
    if isinstance(value, date):
        return value.isoformat(), "date"
    if term.get("datatype") in DATE_TYPES:
        match = _DATE.match(value)
        return (f"{match[1]}-{match[2]}-{match[3]}" if match else value), "date"
    if isinstance(value, bool):
        return float(value), "boolean"
    if isinstance(value, (int, float)):
        return float(value), "unspecified"  # wdt: values drop a quantity's unit
    return value, "text"


def sparql_tidy(
    body: dict[str, Any],
    entity: str,
    measures: list[str],
    partner: str | None = None,
    basis: str | None = None,
    as_of: str = "",
) -> pd.DataFrame:
    """Tidy rows of a SPARQL JSON result (mapping in the module docstring).

    ``entity`` names the variable holding the entity (a Wikidata item or any value), ``measures`` the
    variables that become rows, ``partner`` an optional variable for the partner column, ``basis`` an
    optional variable whose text goes in the ``basis`` column (which reading of the question a row
    answers), ``as_of`` the period of rows that are not dates. Labels come from ``<var>Label`` when
    the query asked the label service for them.
    """
    import pandas as pd
    reason = check_sparql(body)
    if reason:
        raise ValueError(reason)
    rows = []
    for binding in body["results"]["bindings"]:
        if entity not in binding:
            continue
        entity_term = binding[entity]
        entity_code = qid(entity_term["value"]) if entity_term.get("type") == "uri" else str(term_value(entity_term))
        partner_term = binding.get(partner) if partner else None
        for measure in measures:
            if measure not in binding:
                continue
            value, unit = _tidy_value(binding[measure], binding.get(f"{measure}Precision"))
            rows.append(
                {
                    "entity": entity_code,
                    "partner": qid(partner_term["value"]) if partner_term else "",
                    "period": value if unit == "date" else as_of,
                    "measure": measure,
                    "value": value,
                    "unit": unit,
                    "entity_name": binding.get(f"{entity}Label", {}).get("value"),
                    "partner_name": binding.get(f"{partner}Label", {}).get("value") if partner else None,
                    "basis": binding.get(basis, {}).get("value") if basis else None,
                }
            )
    frame = pd.DataFrame(rows, columns=TIDY_COLUMNS + OPTIONAL_COLUMNS)
    frame = frame.astype({"value": object})
    sort = ["entity", "partner", "measure", "basis"]
    return frame.sort_values(sort, kind="stable", key=lambda s: s.astype(str)).reset_index(drop=True)


class Wikidata(Source):
    """Wikidata through its SPARQL endpoint (results as SPARQL 1.1 JSON)."""

    name: ClassVar[str] = "wikidata"
    title: ClassVar[str] = "Wikidata Query Service (SPARQL)"
    default_url: ClassVar[str] = "https://query.wikidata.org/sparql"
    required: ClassVar[tuple[str, ...]] = ("sparql", "columns")
    optional: ClassVar[tuple[str, ...]] = ("expect",)

    @classmethod
    def check_query(cls, query: dict[str, Any]) -> list[str]:
        problems = super().check_query(query)
        columns = query.get("columns")
        if columns is not None:
            if not isinstance(columns, dict):
                return problems + ["columns: a mapping with entity, measures and optionally partner, basis"]
            if not columns.get("entity"):
                problems.append("columns.entity: required (the variable that holds the entity)")
            if not isinstance(columns.get("measures"), list) or not columns["measures"]:
                problems.append("columns.measures: required (a list of variables that become rows)")
            problems += [f"columns.{k}: unknown (known: basis, entity, measures, partner)"
                         for k in columns if k not in {"entity", "measures", "partner", "basis"}]  # fmt: skip
        return problems

    @classmethod
    def dataset_of(cls, query: dict[str, Any]) -> str:
        return f"SPARQL {query['sparql']}"

    def fetch(self, spec: SnapshotSpec, http: Any) -> tuple[pd.DataFrame, str]:
        """Run the entry's SPARQL file (text in ``sparql_text``) and return the tidy rows and the request URL."""
        from claimcheck.reference.http import SourceError

        url = self.base_url()
        params = {"query": spec.query["sparql_text"], "format": "json"}
        shown = request_url(url, params) or url
        try:
            body = http.get_json(
                url, params=params, headers={"Accept": "application/sparql-results+json"}, check=check_sparql_rows
            )
        except SourceError as exc:
            raise SourceError(f"Wikidata: {exc.reason}", url=shown, status=exc.status) from None
        for var, wanted in (spec.query.get("expect") or {}).items():
            found = {b[var]["value"] for b in body["results"]["bindings"] if var in b}
            missing = [w for w in wanted if w not in found]
            if missing:
                raise SourceError(f"no result for {var} {', '.join(missing)}", url=shown)
        columns = spec.query["columns"]
        frame = sparql_tidy(
            body,
            entity=columns["entity"],
            measures=list(columns["measures"]),
            partner=columns.get("partner"),
            basis=columns.get("basis"),
            as_of=datetime.now(timezone.utc).date().isoformat(),
        )
        if frame.empty:
            raise SourceError("no rows: the query matched items but none had a value to report", url=shown)
        return frame, shown


SOURCE = Wikidata
