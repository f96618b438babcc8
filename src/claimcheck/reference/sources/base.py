"""The small interface every reference source implements, and the tidy shape of what it returns."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:  # frames are the sources' business; the catalogue reads specs without pandas
    import pandas as pd

# Every source returns rows with these columns; ``value`` is a float in ``unit``.
# Optional extra columns: ``entity_name``, ``partner_name``, ``aggregate`` (bool), ``basis``.
TIDY_COLUMNS = ["entity", "partner", "period", "measure", "value", "unit"]


@dataclass(frozen=True)
class Provenance:
    """Where a value came from; it travels with every number the suite shows."""

    source: str  # "worldbank"
    dataset: str  # "NY.GDP.MKTP.CD"
    method: Literal["api", "transcribed"]
    url: str | None = None  # request URL with any key removed, or the document URL
    retrieved_at: str | None = None  # ISO timestamp of an API fetch
    transcribed_from: str | None = None  # origin of transcribed data (repository, commit, path)
    licence: str | None = None
    snapshot: str | None = None  # snapshot path relative to the data folder
    sha256: str | None = None
    version: str | None = None  # the snapshot version read (``2024-10-21``)
    published: str | None = None  # when that version's data were published or taken (see its sidecar)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def describe_origin(origin: Any) -> str | None:
    """One line from a sidecar's ``transcribed_from`` mapping: ``repo @ commit: path, path``."""
    if not origin:
        return None
    if not isinstance(origin, dict):
        return str(origin)
    files = ", ".join(f["path"] if isinstance(f, dict) else str(f) for f in origin.get("files", []))
    head = " @ ".join(str(origin[k]) for k in ("repository", "commit") if origin.get(k))
    return ": ".join(part for part in (head or origin.get("description", ""), files) if part)



@dataclass(frozen=True)
class SnapshotSpec:
    """One catalogue entry: a named snapshot, and the query (in its source's own terms) that refreshes it.

    Entries come from ``data/reference/catalogue/<source>.yaml`` (see ``claimcheck.reference.catalogue``);
    an entry without a query is a transcription that no API serves, so it cannot be refreshed.
    """

    name: str
    dataset: str
    description: str  # the entry's title
    query: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    unit: str = ""
    licence: str = ""
    licence_url: str | None = None
    used_for: str = ""  # what the snapshot is for, in the catalogue's words
    file: str = ""  # the catalogue file that declares it
    agreement_band: str | float | None = None  # how far sources and vintages of it differ (a kind of measure or a number)
    measure_names: dict[str, str] = field(default_factory=dict)  # measure code -> the plain name sentences use
    hosts: tuple[str, ...] = ()  # other hosts a redirect may lead to (the catalogue file's ``hosts:``)
    names: tuple[str, ...] = ()  # phrases that name the measure in prose
    grain: str = "annual"  # annual | quarterly | monthly
    shape: str | None = None  # what a value is: level | growth | share | per_person | rate | count | date
    rankable: bool | None = None
    about: str = ""  # the publisher's description of the series
    measures: dict[str, dict[str, Any]] = field(default_factory=dict)  # a table of measures: code -> title, unit, names…
    converts_currency: str | None = None  # the measure holding units of each currency per US dollar, when it has one

    @property
    def title(self) -> str:
        return self.description

    @property
    def refreshable(self) -> bool:
        return bool(self.query)


DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")  # what a number in data may look like


def decimal_text(text: str) -> float | None:
    """A finite float from a plain decimal text (``-1.5``, ``2e9``), else None. Python's ``float``
    also reads ``1_500_000``, ``nan``, ``infinity`` and surrounding blanks, none of which a source
    writes for a number."""
    if not DECIMAL.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def number(value: Any, where: str) -> float:
    """A value from an answer as a float: a JSON number (``true`` is no 1.0) or a plain decimal
    text; anything else fails the fetch with ``SourceError`` naming ``where``."""
    from claimcheck.reference.http import SourceError

    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    if isinstance(value, str) and (parsed := decimal_text(value)) is not None:
        return parsed
    raise SourceError(f"{where}: the value {str(value)[:40]!r} ({type(value).__name__}) is not a number; "
                      "nothing was stored")


def request_url(url: str, params: Any) -> str:
    """The full URL ``requests`` would send for ``url`` and ``params`` (imported here: checking a query
    offline never needs the HTTP stack)."""
    import requests

    return requests.Request("GET", url, params=params).prepare().url or url


class Source:
    """One API client. Subclasses set the class attributes and implement ``fetch`` for any query of their kind.

    Which queries exist is data (the catalogue), never code: a source knows how to ask its API, not what.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    default_url: ClassVar[str]
    #: Query keys an entry must give, and the ones it may give (anything else is a catalogue error).
    required: ClassVar[tuple[str, ...]] = ()
    optional: ClassVar[tuple[str, ...]] = ()
    #: Bounds on one snapshot's fetch, whatever the answers announce: the pages followed in one paged
    #: listing, and the rows kept. A fetch over either fails with an error naming the bound.
    max_pages: ClassVar[int] = 100
    max_rows: ClassVar[int] = 2_000_000

    @classmethod
    def check_query(cls, query: dict[str, Any]) -> list[str]:
        """Problems with a catalogue query, each ``"<key>: <what is wrong>"``; empty when it is usable."""
        problems = [f"{key}: required" for key in cls.required if query.get(key) in (None, "", [])]
        known = set(cls.required) | set(cls.optional)
        problems += [f"{key}: unknown query key (known: {', '.join(sorted(known))})" for key in query if key not in known]
        return problems

    @classmethod
    def dataset_of(cls, query: dict[str, Any]) -> str:
        """A short name of what a query asks for, recorded as the snapshot's ``dataset``."""
        return cls.name

    @classmethod
    def base_url(cls) -> str:
        """The API root, overridable with ``CLAIMCHECK_<NAME>_URL`` (a replay server in tests)."""
        return os.environ.get(f"CLAIMCHECK_{cls.name.upper()}_URL", cls.default_url).rstrip("/")

    def fetch(self, spec: SnapshotSpec, http: Any) -> tuple[pd.DataFrame, str]:
        """Fetch a snapshot's query live; return the tidy frame and the request URL (no secrets)."""
        raise NotImplementedError

    @classmethod
    def describe(cls, key: str, http: Any) -> dict[str, Any]:
        """A catalogue entry for ``key`` (an indicator code, a chart slug, a series key) built from what
        the source itself says about it: ``name``, ``title``, ``unit``, ``for``, ``query`` and any of
        ``names``, ``shape``, ``grain``, ``description``, ``measures``. ``claimcheck catalog add --from``."""
        raise NotImplementedError(f"{cls.name}: no metadata to build an entry from; give --title, --unit and --for")


def key_name(key: str) -> str:
    """A snapshot name from a source's key: lower case, anything but letters and digits as one '_'."""
    import re

    return re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")
