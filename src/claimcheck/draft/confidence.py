"""How sure the draft is of each guess (measure, period, entity, unit, comparator), from how it was found,
and what it does when it is not sure: the claim keeps its quote, value and unit, its guessed evidence
only as context, and a reason saying what to confirm, so that it is judged `unverifiable` (needs review)
and never decided from a guess."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from claimcheck.draft.places import Place
from claimcheck.draft.quantity import Quantity
from claimcheck.draft.structure import Reading


def _anaphor() -> re.Pattern:
    """Words that refer back to the country named before: "this", "its", "the same", and "the" before a noun
    that stands for a country (``country_nouns`` of draft_words.yaml: "the country", "the economy")."""
    from claimcheck.draft.evidence import prose_words

    return _anaphor_of(tuple(prose_words()["country_nouns"]))


@lru_cache(maxsize=4)
def _anaphor_of(nouns: tuple[str, ...]) -> re.Pattern:
    countries = "".join(f"|the {re.escape(n)}" for n in nouns)
    return re.compile(rf"\b(?:this|that|these|its|it{countries}|the same)\b", re.I)


_LEVELS = {"none": 0, "low": 1, "medium": 2, "high": 3}


def confidence(guess: dict, period_how: tuple[str, str] | None, entity_how: str, places: list[Place], q: Quantity,
                comparator: str, reading: Reading | None, period: str | None, clause_text: str = "") -> dict[str, tuple[str, str]]:
    """Each guess of the claim with its confidence, from how it was found."""
    out: dict[str, tuple[str, str]] = {}
    if "measure" in guess:
        out["measure"] = guess["measure"]
    if period_how is not None:
        out["period"] = period_how
        grain = reading.grain if reading is not None else ""
        if grain in {"monthly", "quarterly"} and period and re.fullmatch(r"\d{4}(?:/\d{4})?", period):
            out["period"] = ("low", f"a {grain} figure ('{reading.period_words}') read as the year {period}")
    if not places:
        out["entity"] = ("none", "no country, group or world total named")
    else:
        carried_over = "the claim before is about" in entity_how and not _anaphor().search(clause_text)
        sure = ("high" if "structure" in entity_how or "respectively" in entity_how else
                "low" if "names most" in entity_how or carried_over else "medium")
        out["entity"] = (sure, entity_how)
    unwritten = "no unit written" in q.read_as
    out["unit"] = ("low", q.read_as) if unwritten else ("medium", q.read_as) if "just before" in q.read_as else ("high", q.read_as)
    out["comparator"] = ("medium", "no hedge written: rounded assumed") if comparator == "rounded" else ("high", comparator)
    return out


def abstain_unless_sure(fields: dict[str, Any], sure: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """Notes each guess's confidence; a claim whose measure, period or country is not matched with
    confidence keeps its quote, value and unit, but its evidence only as context, and a reason saying
    what to confirm: it is judged `unverifiable` (needs review), never decided from a guess."""
    if sure:
        fields["draft"] = [*fields["draft"], "confidence: " + "; ".join(f"{k} {v[0]}" for k, v in sure.items())]
    unsure = {k: v for k, v in sure.items() if k in {"measure", "period", "entity"} and _LEVELS[v[0]] < 2}
    evidence = [e for part in fields.get("parts") or [fields] for e in part.get("evidence") or []]
    if not any(e.get("kind") == "dataset" and not _about_named_countries(e) for e in evidence):
        unsure.pop("entity", None)
    if not evidence and "period" not in unsure and "needs review" not in (fields.get("reason") or ""):
        return fields  # nothing was guessed: the reason says why no evidence exists  # a document, or a series about named countries, states whose it is
    if not unsure or fields.get("kind") in {"forecast", "opinion"}:
        return fields
    if evidence:
        for e in evidence:
            e["role"] = "context"
    if "needs review" in (fields.get("reason") or ""):
        unsure.pop("measure", None)  # the evidence's reason already says what measure to confirm
    if not unsure:
        return fields
    confirm = "; ".join(f"the {k} ({how})" for k, (_, how) in unsure.items())
    reason = f"needs review: confirm {confirm}"
    fields["reason"] = reason if not fields.get("reason") else f"{fields['reason']}; {reason}"
    return fields


def _about_named_countries(evidence: dict[str, Any]) -> bool:
    from claimcheck.draft.evidence import entry_of

    entry = entry_of(evidence)
    return bool(entry and entry.countries)
