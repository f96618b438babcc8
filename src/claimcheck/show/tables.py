"""Tables of the registry for the CLI and the notebooks (deterministic: sorted, fixed formats)."""

from __future__ import annotations

import json
from typing import TextIO

import pandas as pd

from claimcheck.registry.articles import Article
from claimcheck.registry.claims import Claim


def describe_claimed(claim: Claim) -> str:
    """The claimed value in words: ``exceeds 28700000000 USD (2022-01/2022-08)``."""
    c = claim.claimed
    if c is None:
        return ""
    if c.value is None:
        return c.comparator.value
    value = f"{c.value:g}" if isinstance(c.value, float) else str(c.value)
    period = f" ({c.period})" if c.period else ""
    return f"{c.comparator.value} {value} {c.unit}{period}"


def describe_evidence(claim: Claim) -> str:
    """The planned evidence, e.g. ``dataset:worldbank/gdp_current_usd; document:wikipedia-…``."""
    parts = []
    for e in claim.evidence:
        where = f"{e.source}/{e.snapshot}" if e.kind == "dataset" else getattr(e, "document", "arithmetic")
        if isinstance(where, list):
            where = "+".join(where)
        parts.append(f"{e.kind}:{where}" + (" (context)" if e.role == "context" else ""))
    return "; ".join(parts)


def claims_table(article: Article) -> pd.DataFrame:
    """One row per claim, in registry order."""
    rows = [
        {
            "id": c.id,
            "kind": c.kind.value,
            "family": c.family,
            "claimed": describe_claimed(c),
            "readings": ", ".join([c.reading] + [r.label for r in c.readings]),
            "evidence": describe_evidence(c),
            "reason": c.reason or "",
            "quote": c.quote,
        }
        for c in article.claims
    ]
    return pd.DataFrame(rows, columns=["id", "kind", "family", "claimed", "readings", "evidence", "reason", "quote"])


def write_table(frame: pd.DataFrame, fmt: str, out: TextIO) -> None:
    """Write ``frame`` as an aligned text table, CSV or JSON records."""
    if fmt == "csv":  # a file a person may open in a spreadsheet: no cell runs as a formula
        from claimcheck.cells import csv_text

        out.write(csv_text(list(frame.columns), frame.itertuples(index=False, name=None)))
    elif fmt == "json":
        json.dump(frame.to_dict(orient="records"), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        with pd.option_context("display.max_colwidth", 60, "display.width", 200):
            out.write(frame.drop(columns=["quote", "reason"]).to_string(index=False) + "\n")
