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

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class SnapshotSpec:
    """A named query that a source can refresh into a snapshot."""

    name: str
    dataset: str
    description: str
    query: dict[str, Any] = field(default_factory=dict)


class Source:
    """One provider. Subclasses set the class attributes and implement ``fetch``."""

    name: ClassVar[str]
    title: ClassVar[str]
    default_url: ClassVar[str]
    licence: ClassVar[str]
    used_for: ClassVar[str]
    snapshots: ClassVar[dict[str, SnapshotSpec]] = {}

    @classmethod
    def base_url(cls) -> str:
        """The API root, overridable with ``CLAIMCHECK_<NAME>_URL`` (a replay server in tests)."""
        return os.environ.get(f"CLAIMCHECK_{cls.name.upper()}_URL", cls.default_url).rstrip("/")

    def fetch(self, spec: SnapshotSpec, http: Any) -> tuple[pd.DataFrame, str]:
        """Fetch a snapshot's query live; return the tidy frame and the request URL (no secrets)."""
        raise NotImplementedError
