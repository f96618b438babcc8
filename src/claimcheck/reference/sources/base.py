"""The small interface every reference source implements, and the tidy shape of what it returns."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

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
    names: tuple[str, ...] = ()  # phrases that name the measure in prose ("gross domestic product", "GDP")
    grain: str = "annual"  # annual, quarterly or monthly
    shape: str | None = None  # what a value is: level, growth, share, per_person, rate, count, date
    rankable: bool = False  # whether ranking its rows ranks countries ("the third-largest economy")
    measures: dict[str, dict] = field(default_factory=dict)  # several measures in one snapshot: code -> title, unit, names, shape

    @property
    def title(self) -> str:
        return self.description

    @property
    def refreshable(self) -> bool:
        return bool(self.query)


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
