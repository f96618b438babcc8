"""The documents registry: published statements (URL, publisher, date, one verbatim quote, stated facts).

``data/reference/documents/documents.yaml`` is a transcribed copy of the shared evidence dossier; its
sidecar ``documents.meta.yaml`` records the origin and the sha256 that ``load_documents`` re-checks.
Only ``facts`` are stated by a document; numbers in a ``note`` marked "derived, not stated" are ours.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, PrivateAttr

from claimcheck import paths
from claimcheck.reference.http import HttpClient
from claimcheck.reference.errors import SnapshotInvalid, SnapshotMissing
from claimcheck.reference.sources.base import Provenance, describe_origin
from claimcheck.registry.yamltext import read_yaml_file

if TYPE_CHECKING:
    import pandas as pd


def registry_paths() -> tuple[Path, Path]:
    """The registry file and its sidecar."""
    folder = paths.reference_dir() / "documents"
    return folder / "documents.yaml", folder / "documents.meta.yaml"


class Fact(BaseModel):
    """One thing a document states: a number (or an ISO date when ``unit`` is ``date``) for a period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    measure: str
    value: int | float | str
    unit: str
    period: str
    basis: str | None = None
    note: str | None = None


class Document(BaseModel):
    """A published statement with its verbatim quote and the facts it states."""

    model_config = ConfigDict(extra="forbid")

    id: str
    publisher: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    quote: str
    facts: list[Fact] = []
    note: str | None = None
    _registry: dict[str, Any] = PrivateAttr(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        """The facts as tidy rows: entity = document id, partner "", period, measure, value, unit, basis, note."""
        import pandas as pd  # the draft reads documents' words without pandas

        rows = [
            {
                "entity": self.id,
                "partner": "",
                "period": fact.period,
                "measure": fact.measure,
                "value": fact.value if fact.unit == "date" else float(fact.value),
                "unit": fact.unit,
                "basis": fact.basis or "",
                "note": fact.note or "",
            }
            for fact in self.facts
        ]
        columns = ["entity", "partner", "period", "measure", "value", "unit", "basis", "note"]
        frame = pd.DataFrame(rows, columns=columns)
        frame["value"] = frame["value"].astype(object)
        return frame

    @property
    def provenance(self) -> Provenance:
        """Source "documents", method transcribed, url = the document's URL (as recorded, not re-opened)."""
        return Provenance(
            source="documents",
            dataset=self.id,
            method="transcribed",
            url=self.url,
            transcribed_from=describe_origin(self._registry.get("transcribed_from")),
            licence=self._registry.get("licence"),
            snapshot="reference/documents/documents.yaml",
            sha256=self._registry.get("sha256"),
        )


def load_documents() -> dict[str, Document]:
    """Every document by id, after checking the registry against its sidecar's sha256."""
    registry, sidecar = registry_paths()
    restore = f"restore it with `git checkout -- {registry} {sidecar}`"
    if not registry.exists():
        raise SnapshotMissing(f"no documents registry at {registry}; {restore}")
    if not sidecar.exists():
        raise SnapshotInvalid(f"the documents registry has no sidecar {sidecar}; {restore}")
    for path in (registry, sidecar):
        if problem := paths.outside_data(path):
            raise SnapshotInvalid(problem)
    data = registry.read_bytes()
    meta = read_yaml_file(sidecar, SnapshotInvalid)
    if not isinstance(meta, dict):
        raise SnapshotInvalid(f"{sidecar}: expected a mapping with the registry's sha256")
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta.get("sha256"):
        raise SnapshotInvalid(
            f"checksum mismatch for {registry}: the sidecar records sha256 {meta.get('sha256')}, the file has "
            f"{digest}. If the edit is intended, record the new sha256 in {sidecar} (run "
            f"scripts/seed_snapshots.py for a copy of the shared registry); otherwise {restore}"
        )
    documents: dict[str, Document] = {}
    for entry in read_yaml_file(registry, SnapshotInvalid, data) or []:
        document = Document.model_validate(entry)
        if document.id in documents:
            raise SnapshotInvalid(f"{registry}: duplicate document id {document.id!r}")
        document._registry = meta
        documents[document.id] = document
    return documents


_QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normalise_text(text: str) -> str:
    """Text for quote matching: tags stripped, entities decoded, NFKC, typographic quotes plain, whitespace single."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = unicodedata.normalize("NFKC", html.unescape(text)).translate(_QUOTE_MARKS)
    return " ".join(text.split())


def check_quote_live(document: Document, http: HttpClient) -> tuple[bool, str]:
    """Fetch the document's page now and say whether its recorded quote is still on it.

    Raises ``SourceError`` when the page could not be fetched and ``ValueError`` when the document has
    no URL, so "quote not found" is only ever said about a page that was actually fetched.
    """
    if not document.url:
        raise ValueError(f"document {document.id!r} records no URL; nothing to re-fetch")
    page = normalise_text(http.get_text(document.url))
    quote = normalise_text(document.quote)
    when = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    if quote in page:
        return True, f"quote found on {document.url} (fetched {when})"
    if quote.casefold() in page.casefold():
        return True, f"quote found on {document.url}, differing only in letter case (fetched {when})"
    opening = " ".join(quote.split()[:8])
    hint = "its first eight words are there" if opening and opening in page else "its first eight words are not there either"
    return False, f"quote not found on {document.url} (fetched {when}; {len(page)} characters of text); {hint}"
