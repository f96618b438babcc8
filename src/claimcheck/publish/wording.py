"""What a reader reads on the site: plain sentences, figures with their units, sources by publisher and title.

The verdict rows speak to developers (an exception's text, a snapshot path, a sha256); these
functions turn them into what a reader of the article needs, and keep the technical record
(``provenance``) for a details element.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from claimcheck.judge.compare import display_value
from claimcheck.judge.verdicts import BROKEN_ENTRY_RULE

# Worst first: what a reader most needs to know about the article leads the summary.
SEVERITY = ("contradicted", "misleading", "imprecise", "error", "unverifiable", "not-held", "not-checkable", "supported")


def severity(verdict: str) -> int:
    return SEVERITY.index(verdict) if verdict in SEVERITY else len(SEVERITY)


def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None (no ``javascript:`` or ``data:`` links)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def period_words(period: str | None) -> str:
    """``2022-01/2022-08`` → ``January–August 2022``; ``2013/2021`` → ``2013–2021``; others as written."""
    if not period:
        return ""
    months = re.fullmatch(r"(\d{4})-(\d{2})/(\d{4})-(\d{2})", period)
    if months:
        y1, m1, y2, m2 = months.groups()
        first, last = calendar.month_name[int(m1)], calendar.month_name[int(m2)]
        return f"{first}–{last} {y1}" if y1 == y2 else f"{first} {y1} – {last} {y2}"
    month = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if month:
        return f"{calendar.month_name[int(month.group(2))]} {month.group(1)}"
    return period.replace("/", "–")


def _claim_period(claim) -> str:
    claimed = getattr(claim, "claimed", None)
    return period_words(getattr(claimed, "period", None))


def reader_sentence(row: dict[str, Any], claim) -> str:
    """The verdict's sentence as a reader should read it: no exception text, no command to type."""
    verdict = str(row.get("verdict") or "")
    missing = [e for e in row.get("evidence") or [] if isinstance(e, dict) and e.get("role", "decisive") != "context"
               and e.get("status") in ("missing", "error")]
    if verdict == "not-held" and missing:
        what = " or ".join(dict.fromkeys(str(e.get("label") or "the reference data") for e in missing)) or "reference data"
        when = _claim_period(claim)
        return (f"The {what} figures{' for ' + when if when else ''} that settle this are published, but were not "
                "yet collected for this page; the claim will be checked when they are.")
    if verdict == "error" and row.get("rule") == BROKEN_ENTRY_RULE:
        return ("Its entry in the claims file names data that do not exist, so this claim is not checked until "
                "the entry is corrected (see how it was judged).")
    if verdict == "error":
        what = " or ".join(dict.fromkeys(str(e.get("label") or "a source") for e in missing)) or "a source"
        return f"{what} could not be read when this page was built, so this claim is not checked yet."
    sentence = str(row.get("sentence") or row.get("reason") or "")
    sentence = re.sub(r"\s*\[reference/[^\]]*\]", "", sentence)
    sentence = _RULE_ASIDE.sub("", _IDENTIFIER_ASIDE.sub("", sentence))
    stated = claimed_text(row, claim)
    if stated and stated in sentence:  # the claim's figure in words, not rule notation ("<= 14.3%")
        sentence = sentence.replace(stated, reader_claimed(claim) or stated)
    reference, found = str(row.get("reference") or ""), found_text(row, claim)
    if reference and found and reference != found:  # the figure at the claim's precision, plus one digit
        sentence = re.sub(rf"(?<![\w.]){re.escape(reference)}(?![\w])", found, sentence)
    return sentence


# "(at most: reference <= 14.3%)", "(rounded: reference in [2.85%, 2.95%])": the rule, kept for "How we checked"
_RULE_ASIDE = re.compile(r"\s\([a-z][a-z ]*: reference\b[^()]*(?:\([^()]*\)[^()]*)*\)")

_COMPARATOR_WORDS = {"exceeds": "more than ", "at_least": "at least ", "at_most": "at most ", "about": "about ",
                     "before": "before ", "by": "by ", "within_decade": "in the ", "min_duration": "at least "}


def reader_claimed(claim) -> str:
    """The claim's figure in words: ``at most 14.3%``, ``more than $230 bn``, ``at least 50% (1989)``."""
    claimed = getattr(claim, "claimed", None)
    if claimed is None or getattr(claimed, "value", None) is None:
        return ""
    comparator = getattr(claimed.comparator, "value", str(claimed.comparator))
    if comparator == "attested":
        return ""
    unit = "years" if comparator == "min_duration" and claimed.unit in ("year", "years") else claimed.unit
    text = _COMPARATOR_WORDS.get(comparator, "") + display_value(claimed.value, unit)
    when = period_words(claimed.period)
    return f"{text} ({when})" if when else text


def reader_figure(value: Any, unit: str | None, claim) -> str:
    """A figure found, rounded to the precision the claim is written with plus one digit: against a
    claimed 14.3%, 3.017% reads 3.02%; against 50%, 107.08% reads 107.1%."""
    claimed = getattr(claim, "claimed", None)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number or claimed is None or not isinstance(claimed.value, (int, float)) or unit in ("rank", "date", "year"):
        return display_value(value, unit)
    from claimcheck.judge.compare import infer_precision

    step = (getattr(claimed, "precision", None) or infer_precision(claimed.value)) / 10
    if (unit and unit != claimed.unit) or step <= 0:  # a figure without a unit is read in the claim's
        return display_value(value, unit)
    return display_value(round(round(value / step) * step, 12), unit)


def found_text(row: dict[str, Any], claim) -> str:
    """The deciding figure as a reader reads it (``reader_figure``), else the row's reference text."""
    decided_by, reference = str(row.get("decided_by") or ""), str(row.get("reference") or "")
    try:
        decided = float(row.get("reference_value"))  # a number, or its text in verdicts.csv's ten digits
    except (TypeError, ValueError):
        return reference
    for e in row.get("evidence") or []:
        value = e.get("value") if isinstance(e, dict) else None
        if (e.get("label") if isinstance(e, dict) else None) != decided_by or e.get("status") != "ok" \
                or not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isclose(value, decided):
            continue
        shown = reader_figure(value, e.get("unit"), claim)
        return reference.replace(display_value(value, e.get("unit")), shown) if reference else shown
    return reference


# "(bilateral_trade_yoy_change for 2021)", "(sum of 2 rows of x_y (derived, ...))": how the figure was
# computed, in the data's identifiers; the panel's details and the notebook keep it
_IDENTIFIER_ASIDE = re.compile(r"\s\((?:[^()]|\([^()]*\))*\b[a-z0-9]+_[a-z0-9_]+\b(?:[^()]|\([^()]*\))*\)")


def claimed_text(row: dict[str, Any], claim) -> str:
    """The claim's own figure under its stated reading (``$11 tn (2022)``), else the row's claimed cell."""
    from claimcheck.judge.verdicts import claimed_text as stated

    try:
        return stated(getattr(claim, "claimed", None)) or str(row.get("claimed") or "")
    except Exception:  # a claimed value the formatter does not know: the row's text
        return str(row.get("claimed") or "")


def difference_text(row: dict[str, Any], claim) -> str:
    """The gap between claim and reference in the claim's unit (``+22 percentage points``), or ''."""
    try:
        absolute = float(row.get("difference_abs"))
    except (TypeError, ValueError):
        return ""
    if absolute == 0:
        return "none: the figures agree"
    unit = getattr(getattr(claim, "claimed", None), "unit", None)
    if unit == "percent":  # at the claim's precision plus one digit, as every figure a reader reads
        return reader_figure(abs(absolute), unit, claim).removesuffix("%") + " percentage points"
    text = reader_figure(abs(absolute), unit, claim)
    try:
        relative = float(row.get("difference_rel"))
        text += f" ({abs(relative):.1%} of the claimed figure)"
    except (TypeError, ValueError):
        pass
    return text


def context_lines(row: dict[str, Any], claim=None) -> list[str]:
    """Context evidence as a reader reads it: the source and its figure, or that it is not held here."""
    lines = []
    for e in row.get("evidence") or []:
        if not isinstance(e, dict) or e.get("role") != "context":
            continue
        label = str(e.get("label") or "a source")
        if e.get("status") == "ok":
            value = e.get("value")
            shown = reader_figure(value, e.get("unit"), claim) if isinstance(value, (int, float)) and not isinstance(value, bool) \
                else str(value) if value not in (None, "") else "records it"
            lines.append(f"{label}: {shown}")
        else:
            lines.append(f"{label}: not held by this copy of the site")
    return lines


@dataclass(frozen=True)
class Figure:
    """A figure a source gives for the claim, under one reading of it."""

    value: str
    reading: str
    label: str
    stated: bool  # under the claim's stated reading
    decided: bool  # the figure the verdict rests on


def figures(row: dict[str, Any], claim) -> list[Figure]:
    """Every figure a deciding source gives, stated reading first: a misleading claim shows the
    figure that makes it misleading beside the one that matches another reading."""
    stated = str(getattr(claim, "reading", None) or "as stated")
    decided_by = str(row.get("decided_by") or "")
    found = []
    for e in row.get("evidence") or []:
        if not isinstance(e, dict) or e.get("role", "decisive") == "context" or e.get("status") != "ok":
            continue
        if e.get("value") is None or isinstance(e.get("value"), (list, dict)):
            continue
        reading = str(e.get("reading") or stated)
        found.append(Figure(reader_figure(e["value"], e.get("unit"), claim), reading, str(e.get("label") or ""),
                            reading == stated, str(e.get("label") or "") == decided_by))
    found = list(dict.fromkeys(found))  # the same figure from the same source (a vintage beside its snapshot) once
    return sorted(found, key=lambda f: (not f.stated, not f.decided))


@dataclass(frozen=True)
class Source:
    """A primary source as a reader cites it, and its technical record."""

    text: str  # publisher and title
    url: str | None
    published: str
    record: tuple[tuple[str, str], ...]  # (name, value): snapshot, checksum, method, dates, licence


@lru_cache(maxsize=1)
def _documents() -> dict:
    from claimcheck.reference.documents import load_documents

    try:
        return load_documents()
    except Exception:  # the pages still name the source by its label
        return {}


def _dataset_title(source: str, dataset: str) -> str:
    from claimcheck.reference import catalogue

    try:
        for spec in catalogue.entries(source):
            if spec.dataset == dataset or spec.name == dataset:
                return spec.description or ""
    except Exception:
        pass
    return ""


def _record(provenance: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    names = (("snapshot", "snapshot"), ("version", "version"), ("sha256", "checksum (sha256)"), ("method", "method"),
             ("retrieved_at", "retrieved"), ("transcribed_at", "transcribed"), ("transcribed_from", "transcribed from"),
             ("licence", "licence"), ("note", "note"))
    return tuple((label, str(provenance[key])) for key, label in names if provenance.get(key))


def sources(row: dict[str, Any]) -> list[Source]:
    """Each primary source of a verdict row once, the deciding evidence's first, by publisher and title."""
    found: dict[tuple, Source] = {}
    evidence = [e for e in row.get("evidence") or [] if isinstance(e, dict)]
    decided_by = str(row.get("decided_by") or "")
    evidence.sort(key=lambda e: str(e.get("label") or "") != decided_by)
    provenances = [(str(e.get("label") or ""), p) for e in evidence for p in e.get("provenance") or [] if isinstance(p, dict)]
    provenances += [("", p) for p in row.get("sources") or [] if isinstance(p, dict)]
    for label, provenance in provenances:
        url = safe_url(provenance.get("url"))
        key = (url, provenance.get("dataset"))
        if key in found:
            continue
        document = _documents().get(str(provenance.get("dataset") or "")) if provenance.get("source") == "documents" else None
        if document is not None:
            publisher = str(getattr(document, "publisher", "") or "")
            title = str(getattr(document, "title", "") or "")
            text = f"{publisher}: {title}" if publisher and title else publisher or title or label
            published = str(getattr(document, "published", "") or "")
        else:
            title = _dataset_title(str(provenance.get("source") or ""), str(provenance.get("dataset") or ""))
            text = f"{label}: {title}" if label and title and title not in label else label or title or "source"
            published = str(provenance.get("published") or "")
        found[key] = Source(text, url, published, _record(provenance))
    return list(found.values())
