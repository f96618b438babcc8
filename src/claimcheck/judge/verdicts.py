"""The verdict engine: a claim and its evidence in, one ``Verdict`` out.

The verdict names (``VerdictName``) are a contract: they appear in ``verdicts.csv`` and this module
is their single source. How ``judge`` decides:

1. A forecast or opinion is ``not-checkable``; a claim without evidence is ``not-held`` when it names the
   public series that would check it (``public_series``), else ``unverifiable`` (no public evidence found).
2. The stated reading's evidences are resolved in order. The first ``ok`` decisive evidence whose
   unit fits the claim decides, using the claim's comparator; the others are shown, and when they
   disagree the sentence says so. ``context`` evidence is shown and never decides.
3. Holds → ``supported``. A figure close to its reference but outside the usual difference between
   sources → ``imprecise`` (``judge/policy.py``). Does not hold → ``misleading`` if an alternative
   reading holds (the sentence names that reading), else ``contradicted``.
4. No ok evidence in the stated reading → ``error`` if any evidence failed, else
   ``not-held`` (never a guessed verdict); an alternative reading with ok evidence is still
   described in the sentence.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from typing import Any, Iterable, Mapping

import pandas as pd
from pydantic import ValidationError

from claimcheck.judge import policy
from claimcheck.registry.bands import Band
from claimcheck.registry.claims import Claim, Claimed, Comparator
from claimcheck.judge.compare import (
    CompareError, Comparison, compare, display_value, explain, format_value, ordinal,
)
from claimcheck.judge.evidence import ERROR, MISSING, OK, EvidenceResult, Loader, resolve, with_reading
from claimcheck.judge.observations import Observations, in_claimed_units, observe


class VerdictName(str, Enum):
    """The verdicts, as written in verdicts.csv (contract)."""

    supported = "supported"
    imprecise = "imprecise"
    contradicted = "contradicted"
    misleading = "misleading"
    unverifiable = "unverifiable"
    not_checkable = "not-checkable"
    not_held = "not-held"
    error = "error"


SUPPORTED = VerdictName.supported.value
IMPRECISE = VerdictName.imprecise.value
CONTRADICTED = VerdictName.contradicted.value
MISLEADING = VerdictName.misleading.value
UNVERIFIABLE = VerdictName.unverifiable.value
NOT_CHECKABLE = VerdictName.not_checkable.value
NOT_HELD = VerdictName.not_held.value
ERROR_VERDICT = VerdictName.error.value
VERDICTS: tuple[str, ...] = tuple(v.value for v in VerdictName)

ROW_COLUMNS = [
    "claim_id", "verdict", "reading", "claimed", "claimed_value", "reference", "reference_value",
    "difference_abs", "difference_rel", "rule", "source", "sentence", "reason", "readings",
]
FLOAT_FORMAT = ".10g"  # ten significant digits in verdicts.csv, written without exponent: stable, no float noise

_DATE_UNITS = {"date", "year", "decade"}
_DATE_COMPARATORS = {Comparator.before, Comparator.by, Comparator.within_decade}


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one claim, with everything a reader needs to see why."""

    claim_id: str
    verdict: str  # one of VERDICTS
    reading: str = ""  # label of the reading that decided it
    claimed: str = ""  # display text: "> $28.7 bn (2022-01/2022-08)"
    claimed_value: float | str | None = None
    reference: str = ""  # display text of the deciding reference value
    reference_value: float | str | None = None
    difference_abs: float | None = None  # reference − claimed
    difference_rel: float | None = None  # (reference − claimed) / |claimed|
    rule: str = ""
    decided_by: str = ""  # label of the deciding evidence
    evidence: tuple[EvidenceResult, ...] = field(default=(), repr=False)  # all readings, so disagreements show
    sources: tuple[dict[str, Any], ...] = field(default=(), repr=False)  # provenance of every evidence
    sentence: str = ""
    reason: str | None = None  # why not-checkable / unverifiable / not-held / error
    statement: str = ""  # the claim restated plainly
    source_ref: str = ""  # snapshot path or URL of the deciding evidence
    parts: tuple["Verdict", ...] = field(default=(), repr=False)  # a compound claim's parts, each judged alone
    readings: tuple[dict[str, Any], ...] = ()  # each alternative reading's result (reading, result, reference, rule)

    def row(self) -> dict[str, str]:
        """A flat, deterministically formatted dict for verdicts.csv (every cell a string)."""
        source = f"{self.decided_by} [{self.source_ref}]" if self.decided_by and self.source_ref else self.decided_by
        values = {
            "claim_id": self.claim_id, "verdict": self.verdict, "reading": self.reading, "claimed": self.claimed,
            "claimed_value": self.claimed_value, "reference": self.reference, "reference_value": self.reference_value,
            "difference_abs": self.difference_abs, "difference_rel": self.difference_rel, "rule": self.rule,
            "source": source, "sentence": self.sentence, "reason": self.reason,
            "readings": "; ".join(
                f"{r['reading']}: {r['result']}" + (f" ({r['reference']})" if r["reference"] else "") for r in self.readings),
        }
        return {key: _cell(values[key]) for key in ROW_COLUMNS}

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the row plus the evidence and the sources."""
        out = {**self.row(), "statement": self.statement, "decided_by": self.decided_by,
               "evidence": [e.as_dict() for e in self.evidence], "sources": list(self.sources)}
        out["alternatives"] = [dict(r) for r in self.readings]
        if self.parts:
            out["parts"] = [part.as_dict() for part in self.parts]
        return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        text = format(Decimal(format(value, FLOAT_FORMAT)), "f")  # ten significant digits, never an exponent
        return "0" if text == "-0" else text
    return str(value)


# --------------------------------------------------------------------------------------- claimed


def merge_claimed(base: Claimed | None, *updates: dict[str, Any] | Claimed | None) -> Claimed | None:
    """``base`` with the fields of each update applied in turn (a ``Claimed`` applies only the fields it sets).

    A new ``value`` without its own ``precision`` drops the old precision (it belonged to the old figure).
    """
    if base is None:
        return None
    data = base.model_dump(exclude_unset=True)
    for update in updates:
        if update is None:
            continue
        if isinstance(update, Claimed):
            update = update.model_dump(exclude_unset=True)
        if "value" in update and "precision" not in update:
            data.pop("precision", None)
        data.update(update)
    return Claimed.model_validate(data)


_PREFIX = {
    Comparator.exceeds: "> ", Comparator.at_least: ">= ", Comparator.at_most: "<= ", Comparator.about: "about ",
    Comparator.rounded: "", Comparator.equals: "", Comparator.before: "before ", Comparator.by: "by ",
    Comparator.within_decade: "in the ", Comparator.min_duration: "at least ", Comparator.rank: "",
}


def claimed_text(claimed: Claimed | None) -> str:
    """Display text of a claimed value: ``> $28.7 bn (2022-01/2022-08)``, ``by 2060``, ``2nd``."""
    if claimed is None:
        return ""
    if claimed.comparator is Comparator.attested:
        text = "as stated"
    else:
        value = claimed.value
        if claimed.comparator is Comparator.min_duration and claimed.unit in {"year", "years"}:
            text = f"at least {format_value(value, 'years')}"
        else:
            text = _PREFIX.get(claimed.comparator, "") + display_value(value, claimed.unit)
    return f"{text} ({claimed.period})" if claimed.period else text


# -------------------------------------------------------------------------------------- assessing


@dataclass(frozen=True)
class _Check:
    result: EvidenceResult
    comparison: Comparison | None  # None when the evidence cannot be compared
    note: str = ""  # why it could not be compared
    policy: str = ""  # what the revision and agreement policy adds to the sentence
    zone: str = ""  # the band's zone when the agreement policy placed the figure (judge/policy.py)


@dataclass(frozen=True)
class _Assessment:
    claimed: Claimed | None
    results: tuple[EvidenceResult, ...]
    checks: tuple[_Check, ...]  # ok decisive evidence, in order

    @property
    def compared(self) -> list[_Check]:
        return [c for c in self.checks if c.comparison is not None]

    @property
    def decider(self) -> _Check | None:
        return self.compared[0] if self.compared else None

    @property
    def holds(self) -> bool:
        return bool(self.decider and self.decider.comparison.holds)

    @property
    def decisive(self) -> list[EvidenceResult]:
        return [r for r in self.results if r.role != "context"]


def _unit_fits(claimed: Claimed, result: EvidenceResult) -> str:
    """"" when the result can be compared with the claim, else the reason it cannot."""
    if claimed.comparator is Comparator.attested:
        return ""
    if result.value is None:
        return "it states no figure"
    if claimed.comparator in _DATE_COMPARATORS or claimed.unit in {"date", "decade"}:
        return "" if result.unit in _DATE_UNITS | {None} else f"its unit {result.unit} is not a date"
    wanted, got = claimed.unit, result.unit
    if got is None or wanted == got:
        return ""
    same = [{"year", "years"}, {"rank", "count"}]
    if claimed.comparator in {Comparator.rank, Comparator.min_duration} and any({wanted, got} <= s for s in same):
        return ""
    return f"its unit {got} differs from the claimed {wanted}"


def _assess(claimed: Claimed | None, results: Iterable[EvidenceResult]) -> _Assessment:
    results = tuple(results)
    checks = []
    for result in results:
        if not result.ok or result.role == "context" or claimed is None:
            continue
        if result.extra.get("fails"):  # the computation itself found the claim's premise false (no crossing)
            checks.append(_Check(result, Comparison(False, str(result.extra["fails"]))))
            continue
        misfit = _unit_fits(claimed, result)
        if misfit:
            checks.append(_Check(result, None, f"{result.label}: not comparable, {misfit}"))
            continue
        try:
            if result.extra.get("series"):
                checks.append(_Check(result, _every_period(claimed, result.extra["series"])))
            else:
                checks.append(_Check(result, compare(claimed, result.value)))
        except CompareError as exc:
            checks.append(_Check(result, None, f"{result.label}: not comparable, {exc}"))
    return _Assessment(claimed, results, tuple(checks))


def _every_period(claimed: Claimed, series: list[tuple[str, Any]]) -> Comparison:
    """``throughout``: the comparator applied to each period; the periods that break it are named."""
    rule = ""
    broken = []
    for period, value in series:
        comparison = compare(claimed, value)
        rule = comparison.rule
        if not comparison.holds:
            broken.append(f"{period} ({format_value(value, claimed.unit)})")
    span = f"{series[0][0]}–{series[-1][0]}"
    if broken:
        return Comparison(False, f"in every period {span}, {rule}; fails in {', '.join(broken)}")
    return Comparison(True, f"in every period {span}, {rule}")


def _differences(claimed: Claimed | None, reference: Any) -> tuple[float | None, float | None]:
    if claimed is None or claimed.unit in {"date", "decade"}:
        return None, None
    c, r = claimed.value, reference
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (c, r)):
        return None, None
    diff = float(r) - float(c)
    return diff, (diff / abs(float(c)) if c else None)


def _reference_text(result: EvidenceResult) -> str:
    if result.extra.get("fails"):
        return str(result.extra["fails"])
    if result.extra.get("series"):
        return "; ".join(f"{p}: {format_value(v, result.unit)}" for p, v in result.extra["series"])
    if result.value is None:
        return "cited" if result.ok else ""
    text = display_value(result.value, result.unit)
    if result.unit == "rank" and result.extra.get("n"):
        text += f" of {result.extra['n']}"
    return text


# -------------------------------------------------------------------------------------- sentences


def _noun(result: EvidenceResult) -> str:
    if isinstance(result.value, str) and len(result.value) == 4 and result.value.isdigit():
        return "the year"
    if isinstance(result.value, str) or result.unit in {"date"}:
        return "the date"
    if result.unit in {"years", "year"}:
        return "the duration" if result.unit == "years" else "the year"
    if result.unit in {"percent", "percentage_points"}:
        return "the rate"
    return "the figure"


def _entity_name(result: EvidenceResult) -> str:
    if result.extra.get("subject"):
        return str(result.extra["subject"])
    if result.extra.get("entity_name"):
        return str(result.extra["entity_name"])
    entity = result.extra.get("entity", "")
    for code, name, _ in result.extra.get("top", []):
        if code == entity:
            return name
    return entity


def _finding(result: EvidenceResult) -> str:
    """"According to X, the figure is $29.1 bn (sum of …)", or the rank phrasing."""
    if result.unit == "rank" and result.extra.get("n") and not result.extra.get("series"):
        return (f"According to {result.label}, {_entity_name(result)} ranks {ordinal(result.value)} "
                f"of {result.extra['n']}{result.extra.get('note', '')}")
    if result.extra.get("series"):
        values = "; ".join(f"{p}: {format_value(v, result.unit)}" for p, v in result.extra["series"])
        return f"According to {result.label}, the {result.description} is {values}"
    if result.extra.get("fails"):
        return f"According to {result.label}, {result.description}"
    if result.value is None:
        return f"{result.label} records it"
    detail = f" ({result.description})" if result.description else ""
    return f"According to {result.label}, {_noun(result)} is {display_value(result.value, result.unit)}{detail}"


def _lower(finding: str) -> str:
    """A finding placed mid-sentence ("according to …")."""
    return finding.replace("According to", "according to", 1)


def _end(text: str) -> str:
    """``text`` ending with exactly one full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _verb(labels: list[str], singular: str, plural: str) -> str:
    return f"{' and '.join(labels)} {singular if len(labels) == 1 else plural}"


def _disagreement(assessment: _Assessment) -> str:
    compared = assessment.compared
    agree = [c.result.label for c in compared if c.comparison.holds]
    differ = [c.result.label for c in compared if not c.comparison.holds]
    if not agree or not differ:
        return ""
    return f" The sources disagree: {_verb(agree, 'supports', 'support')} it; {_verb(differ, 'does', 'do')} not."


def _unusable(assessment: _Assessment) -> str:
    notes = [c.note for c in assessment.checks if c.comparison is None]
    return f" Not used: {'; '.join(notes)}." if notes else ""


def _alternative_text(alternatives: list[tuple[str, _Assessment]]) -> str:
    parts = []
    for label, alt in alternatives:
        if alt.decider is None:
            continue
        state = "holds" if alt.holds else "does not hold either"
        parts.append(f" Read {label}, it {state}: {_lower(_finding(alt.decider.result))}.")
    return "".join(parts)


# ------------------------------------------------------------------------------------------ judge


def _plain_verdict(claim: Claim, name: str, reason: str, sentence: str, *, claimed: Claimed | None = None,
                   evidence: tuple[EvidenceResult, ...] = ()) -> Verdict:
    return Verdict(
        claim_id=claim.id, verdict=name, reading=claim.reading, claimed=claimed_text(claimed or claim.claimed),
        claimed_value=(claimed or claim.claimed).value if (claimed or claim.claimed) else None,
        evidence=evidence, sources=_sources(evidence), sentence=sentence, reason=reason, statement=claim.statement,
    )


def _sources(results: Iterable[EvidenceResult]) -> tuple[dict[str, Any], ...]:
    seen: dict[str, dict[str, Any]] = {}
    for result in results:
        for item in result.provenance:
            if item:
                seen.setdefault(json.dumps(item, sort_keys=True, default=str), item)
    return tuple(seen.values())


def _decided(claim: Claim, name: str, reading: str, assessment: _Assessment, sentence: str,
             evidence: tuple[EvidenceResult, ...]) -> Verdict:
    check = assessment.decider
    result = check.result
    plain = not (result.extra.get("series") or result.extra.get("fails"))
    diff_abs, diff_rel = _differences(assessment.claimed, result.value) if plain else (None, None)
    return Verdict(
        claim_id=claim.id, verdict=name, reading=reading, claimed=claimed_text(assessment.claimed),
        claimed_value=assessment.claimed.value, reference=_reference_text(result), reference_value=result.value,
        difference_abs=diff_abs, difference_rel=diff_rel, rule=check.comparison.rule, decided_by=result.label,
        evidence=evidence, sources=_sources(evidence), sentence=sentence, statement=claim.statement,
        source_ref=result.source_ref,
    )


def _reasons(results: Iterable[EvidenceResult], status: str) -> str:
    return "; ".join(f"{r.label}: {r.reason}" for r in results if r.status == status and r.reason)


def judge(
    claim: Claim,
    article: Any = None,
    mode: str = "offline",
    *,
    override: dict[str, Any] | None = None,
    loader: Loader | None = None,
) -> Verdict:
    """Check one claim against its evidence; never raises (an unexpected failure is an ``error`` verdict).

    ``override`` holds ``Claimed`` fields (e.g. ``{"tolerance": 0.1}``) applied to every reading.
    """
    try:
        return _judge(claim, article, mode, override, loader or Loader(mode))
    except Exception as exc:  # a bug or a bad override must not hide the other claims
        reason = f"{type(exc).__name__}: {exc}"
        return _plain_verdict(claim, ERROR_VERDICT, reason, f"Could not check it: {_end(reason)}")


def _context_text(result: EvidenceResult) -> str:
    if result.ok:
        return _end(_finding(result))
    return _end(f"{result.label}: {result.reason or result.status}")


def _outcome(label: str, assessment: _Assessment) -> dict[str, Any]:
    """What an alternative reading gives: holds / does not hold / not decided, with its reference and rule."""
    check = assessment.decider
    if check is None:
        failed = [r for r in assessment.decisive if r.status != OK]
        state = "error" if any(r.status == ERROR for r in failed) else "no data"
        return {"reading": label, "result": state, "reference": "", "rule": ""}
    return {"reading": label, "result": "holds" if check.comparison.holds else "does not hold",
            "reference": _reference_text(check.result), "rule": check.comparison.rule}


_FAILED = {CONTRADICTED, MISLEADING}
_HELD = {SUPPORTED, IMPRECISE}
_UNDECIDED = (ERROR_VERDICT, NOT_HELD, UNVERIFIABLE)  # the first present names an undecided compound


def _judge_compound(claim: Claim, article: Any, mode: str, override: dict[str, Any] | None, loader: Loader) -> Verdict:
    """All parts hold: supported (imprecise when one only comes close); some: misleading, naming the parts
    that fail; none: contradicted.

    A part that no public evidence can check (``unverifiable``) is set aside when another part decides: the
    sentence names it. A part that fails cannot be rescued by a part without data; when no part fails and
    some are undecided (error, not-held), the compound takes the undecided verdict (error before not-held).
    """
    parts = []
    for part in claim.parts:
        sub = Claim.model_construct(
            id=f"{claim.id}/{part.id}", quote=claim.quote, kind=claim.kind, family=claim.family,
            statement=part.statement, claimed=part.claimed, reading=claim.reading, evidence=part.evidence,
            readings=[], reason=part.reason, parts=[], public_series=part.public_series, according_to=None,
        )
        parts.append(judge(sub, article, mode, override=override, loader=loader))
    pairs = list(zip(claim.parts, parts))
    held = [(p, v) for p, v in pairs if v.verdict in _HELD]
    failed = [(p, v) for p, v in pairs if v.verdict in _FAILED]
    aside = [(p, v) for p, v in pairs if v.verdict == UNVERIFIABLE] if held or failed else []
    undecided = [(p, v) for p, v in pairs if v.verdict not in _FAILED | _HELD and all(v is not w for _, w in aside)]
    n = len(parts)
    set_aside = " ".join(f"“{p.statement}” is left aside: {v.sentence}" for p, v in aside)
    if held and not failed and not undecided:
        name = IMPRECISE if any(v.verdict == IMPRECISE for _, v in held) else SUPPORTED
        lead = f"All {n} parts hold." if not aside else f"{len(held)} of {n} parts hold, the others cannot be checked."
        sentence = f"{lead} " + " ".join(f"{p.statement}: {v.sentence}" for p, v in held) + (f" {set_aside}" if aside else "")
    elif failed:
        name = MISLEADING if held else CONTRADICTED
        fails = " ".join(f"“{p.statement}” does not hold: {v.sentence}" for p, v in failed)
        if held:
            sentence = f"Only {len(held)} of {n} parts {'holds' if len(held) == 1 else 'hold'}{' so far' if undecided else ''}. {fails} " + " ".join(
                f"“{p.statement}” holds: {v.sentence}" for p, v in held)
        else:
            sentence = f"No part that could be checked holds. {fails}"
        if undecided:
            sentence += " " + " ".join(f"“{p.statement}” could not be checked ({v.verdict}): {v.reason}" for p, v in undecided)
        if aside:
            sentence += f" {set_aside}"
    else:
        name = next(u for u in _UNDECIDED if any(v.verdict == u for _, v in undecided))
        sentence = " ".join(f"“{p.statement}”: {v.verdict}: {v.sentence}" for p, v in pairs)
    evidence = tuple(replace(e, reading=f"part {p.id}") for p, v in zip(claim.parts, parts) for e in v.evidence)
    deciding = failed[0][1] if failed else None
    reason = None if name in _HELD | _FAILED else "; ".join(
        f"part {p.id}: {v.reason}" for p, v in undecided if v.reason)
    return Verdict(
        claim_id=claim.id, verdict=name, reading=claim.reading,
        claimed="; ".join(f"{p.id}: {v.claimed}" for p, v in zip(claim.parts, parts)),
        reference="; ".join(f"{p.id}: {v.reference or v.verdict}" for p, v in zip(claim.parts, parts)),
        rule=f"compound: every part must hold ({len(held)} of {n} hold"
             + (f"; fails: {', '.join(p.id for p, _ in failed)}" if failed else "") + ")",
        decided_by=deciding.decided_by if deciding else "", evidence=evidence, sources=_sources(evidence),
        sentence=_end(sentence), reason=reason, statement=claim.statement,
        source_ref=deciding.source_ref if deciding else "", parts=tuple(parts),
    )


def _judge(claim: Claim, article: Any, mode: str, override: dict[str, Any] | None, loader: Loader) -> Verdict:
    if claim.parts:
        return _judge_compound(claim, article, mode, override, loader)
    if not claim.checkable:  # its evidence is context: resolved and shown, never deciding
        shown = tuple(replace(with_reading(resolve(e, article, mode, loader=loader), claim.reading), role="context")
                      for e in claim.evidence)
        context = "".join(f" Context: {_context_text(r)}" for r in shown)
        return _plain_verdict(claim, NOT_CHECKABLE, claim.reason or "",
                              f"Not checkable: {_end(claim.reason or 'no reason given')}{context}", evidence=shown)
    stated_claimed = merge_claimed(claim.claimed, override)
    if not claim.evidence:
        if claim.public_series:  # public data exist, this copy does not hold them
            reason = f"not held here: {claim.public_series}" + (f" ({claim.reason})" if claim.reason else "")
            return _plain_verdict(claim, NOT_HELD, reason, f"This copy does not hold the public data that would check it: "
                                  f"{_end(claim.public_series)}" + (f" {_end(claim.reason)}" if claim.reason else ""),
                                  claimed=stated_claimed)
        reason = claim.reason or "no evidence is listed for this claim"
        return _plain_verdict(claim, UNVERIFIABLE, reason, f"No public evidence was found: {_end(reason)}", claimed=stated_claimed)

    # resolve (every observation the policy may need) -> assess (judge/policy.py) -> word (the sentence)
    table = observe(stated_claimed, _by_named_source(claim), article, mode, loader, claim.reading)
    stated_results = table.results
    stated, vintages = _revisions_and_bands(stated_claimed, _assess(stated_claimed, stated_results), table)
    stated = _named_source_note(claim, stated)
    evidence = list(stated_results) + [with_reading(v, claim.reading) for v in vintages]
    alternatives: list[tuple[str, _Assessment]] = []
    for reading in claim.readings:
        reading_claimed = merge_claimed(claim.claimed, reading.claimed, override)
        if reading.evidence:
            results = tuple(with_reading(resolve(e, article, mode, loader=loader), reading.label) for e in reading.evidence)
            results = in_claimed_units(reading_claimed, results, loader)
            evidence += results
        else:
            results = stated_results
        alternatives.append((reading.label, _assess(reading_claimed, results)))
    evidence_t = tuple(evidence)
    outcomes = tuple(_outcome(label, alt) for label, alt in alternatives)
    verdict = _judge_stated(claim, stated, stated_claimed, alternatives, evidence_t)
    return replace(verdict, readings=outcomes)


# ------------------------------------------------------------------ revisions and source disagreement



def _by_named_source(claim: Claim) -> list[Any]:
    """The stated evidence, the source the article names first (``according_to``), otherwise in order."""
    named = [e for e in claim.evidence if claim.according_to and getattr(e, "source", None) == claim.according_to]
    return named + [e for e in claim.evidence if e not in named]


def _named_source_note(claim: Claim, assessment: _Assessment) -> _Assessment:
    if not claim.according_to or assessment.decider is None:
        return assessment
    check = assessment.decider
    if check.result.provenance and any(p.get("source") == claim.according_to for p in check.result.provenance):
        note = f" The article names {claim.according_to} as its source, and that source decides."
    else:
        note = (f" The article names {claim.according_to} as its source, but no evidence from it could be read; "
                f"{check.result.label} decides.")
    return _with_decider(assessment, replace(check, policy=check.policy + note))


def _with_decider(assessment: _Assessment, check: _Check) -> _Assessment:
    old = assessment.decider
    checks = tuple(check if c is old else c for c in assessment.checks)
    return replace(assessment, checks=checks)


def _revisions_and_bands(claimed: Claimed | None, assessment: _Assessment,
                         table: Observations) -> tuple[_Assessment, list[EvidenceResult]]:
    """Resolve -> decide -> word, for a figure the current data do not round to: the policy
    (``policy.decide``) decides from the resolved table (``judge/observations.py``) alone; this words it."""
    check = assessment.decider
    if claimed is None or check is None or check.comparison.holds or check.result.kind != "dataset":
        return assessment, []
    releases = table.of(check.result)

    def holds(observation: EvidenceResult) -> bool | None:
        then = _assess(claimed, [observation]).decider
        return None if then is None else then.comparison.holds

    decision = policy.decide(claimed, check.result, releases, table.day is not None, holds)
    revised = f" It has been revised since to {_reference_text(check.result)} (version {check.result.version})."
    used = [] if decision.basis == policy.CURRENT else [decision.reference]
    if used and _same_figure(decision.reference.value, check.result.value):
        revised = ""  # an older copy of today's figure: nothing was revised
    if used:
        then = _assess(claimed, used).decider
        version = decision.reference.version
        where = {
            policy.MATCHES_RELEASE: f"{'the newest' if decision.newest else 'published'} on or before the article's date",
            policy.NEWEST_BEFORE: "the newest on or before the article's date",
            policy.EARLIEST_LATER: "the earliest stored after the article's date that holds the figure",
        }[decision.basis]
        check = replace(then, comparison=Comparison(then.comparison.holds, f"{then.comparison.rule}, against the version "
                                                                           f"of {version}, {where}"))
    else:
        revised = ""  # the current figure decides: nothing was revised away from
    if decision.basis == policy.MATCHES_RELEASE:  # right when it was written
        note = f" It matches the release of {decision.reference.version}, published on or before the article's date."
        return _with_decider(assessment, replace(check, policy=check.policy + note + revised)), used
    if decision.zone is None:
        return (_with_decider(assessment, replace(check, policy=check.policy + revised)) if used else assessment), used
    return _with_decider(assessment, _worded(check, decision, releases.band, revised)), used


def _worded(check: _Check, decision: policy.Decision, band: Band, revised: str) -> _Check:
    """The decider with the band's zone in words: the rule, and what the sentence adds."""
    found = decision.zone
    usual, widest = policy.amount(band.supported, band), policy.amount(band.contradicted, band)
    rule = check.comparison.rule
    if decision.rival is not None:  # a rank, by its margin
        wanted, (_, rival, value) = decision.rival
        lead = (f" {_entity_name(check.result)} would need a figure {policy.amount(found.difference, band)} "
                f"{'higher' if found.above else 'lower'} to rank {ordinal(wanted)} ({rival} is at "
                f"{display_value(value, check.result.extra.get('unit'))})")
        of, usual_text = " of the ranked figures", (f"so the data cannot tell {ordinal(wanted)} from "
                                                     f"{ordinal(float(check.result.value))}.")
        rules = {policy.SUPPORTED: f"{rule}; within the agreement band ±{usual} for {band.label}{of}",
                 policy.IMPRECISE: (f"{rule}; the ranked figures are beyond the agreement band ±{usual} for {band.label}, "
                                    f"within the largest honest differences ±{widest}"),
                 policy.CONTRADICTED: f"{rule}; the ranked figures are beyond the largest honest differences ±{widest} for {band.label}"}
        texts = {policy.SUPPORTED: f"{lead}; estimates of {band.label} differ between sources and vintages by up to {usual}, {usual_text}",
                 policy.IMPRECISE: (f"{lead}: more than estimates of {band.label} usually differ (up to {usual}), though within "
                                    f"the largest differences between honest figures (up to {widest})."),
                 policy.CONTRADICTED: f"{lead}: more than estimates of {band.label} differ between sources and vintages (up to {widest})."}
    else:
        gap = f"{policy.amount(found.difference, band)} {'above' if found.above else 'below'} the article's"
        lead = f" The reference figure is {display_value(check.result.value, check.result.unit)}, {gap}"
        beyond = (f"{rule}; beyond the agreement band ±{widest} for {band.label}" if usual == widest else
                  f"{rule}; beyond the largest honest differences ±{widest} for {band.label}")
        rules = {policy.SUPPORTED: f"{rule}; within the agreement band ±{usual} for {band.label}",
                 policy.IMPRECISE: (f"{rule}; beyond the agreement band ±{usual} for {band.label}, "
                                    f"within the largest honest differences ±{widest}"),
                 policy.CONTRADICTED: beyond}
        texts = {policy.SUPPORTED: (f"{lead}; estimates of {band.label} differ between sources and vintages by up to {usual}, "
                                    "so the difference is within that band."),
                 policy.IMPRECISE: (f"{lead}: more than estimates of {band.label} usually differ between sources and vintages "
                                    f"(up to {usual}), though within the largest differences between honest figures (up to {widest})."),
                 policy.CONTRADICTED: f"{lead}: more than estimates of {band.label} differ between sources and vintages (up to {widest})."}
    return replace(check, comparison=Comparison(decision.holds, rules[found.name]), policy=texts[found.name] + revised,
                   zone=found.name)


def _same_figure(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    return a == b


def _judge_stated(claim: Claim, stated: _Assessment, stated_claimed: Claimed, alternatives: list[tuple[str, _Assessment]],
                  evidence_t: tuple[EvidenceResult, ...]) -> Verdict:

    if stated.decider is not None:
        finding = _finding(stated.decider.result)
        extra = stated.decider.policy + _disagreement(stated) + _unusable(stated)
        if stated.holds:
            if stated_claimed.comparator is Comparator.attested:
                sentence = f"{finding}, as the article says."
            elif stated.decider.zone == policy.SUPPORTED:  # not to the digit: within the usual difference
                sentence = (f"{finding}; the article's “{claimed_text(stated_claimed)}” is within the usual difference "
                            "between sources and releases.")
            else:
                sentence = f"{finding}, which bears out the article's “{claimed_text(stated_claimed)}”."
            return _decided(claim, SUPPORTED, claim.reading, stated, sentence + extra, evidence_t)
        if stated.decider.zone == IMPRECISE:  # close, but outside the usual difference between sources
            sentence = (f"{finding}, close to the article's “{claimed_text(stated_claimed)}” but not within the usual "
                        f"difference between sources ({stated.decider.comparison.rule}).")
            return _decided(claim, IMPRECISE, claim.reading, stated, sentence + extra + _alternative_text(alternatives),
                            evidence_t)
        holding = next(((label, alt) for label, alt in alternatives if alt.holds), None)
        if holding is not None:
            label, alt = holding
            sentence = (
                f"It holds only {label}, not {claim.reading}: {_lower(_finding(alt.decider.result))}, "
                f"but {_lower(_finding(stated.decider.result))}{_which_way(stated_claimed, stated.decider)}"
                f" Read {claim.reading}, that goes against the claim: {_end(claim.statement)}"
            )
            verdict = _decided(claim, MISLEADING, label, alt, sentence + extra, evidence_t)
            return verdict
        sentence = (
            f"{finding}, which does not bear out the article's “{claimed_text(stated_claimed)}” "
            f"({stated.decider.comparison.rule}){_which_way(stated_claimed, stated.decider)}"
            f" That goes against the claim: {_end(claim.statement)}"
        )
        return _decided(claim, CONTRADICTED, claim.reading, stated, sentence + extra + _alternative_text(alternatives), evidence_t)

    decisive = stated.decisive
    alt_text = _alternative_text(alternatives)
    if not decisive:
        reason = claim.reason or "only context evidence is listed; none can decide the claim"
        return _plain_verdict(claim, UNVERIFIABLE, reason, f"No public evidence decides it: {_end(reason)}{alt_text}",
                              claimed=stated_claimed, evidence=evidence_t)
    errors = _reasons(decisive, ERROR)
    unusable = [c.note for c in stated.checks if c.comparison is None]
    if errors or unusable:
        reason = "; ".join(filter(None, [errors, *unusable]))
        return _plain_verdict(claim, ERROR_VERDICT, reason, f"Could not check it: {_end(reason)}{alt_text}",
                              claimed=stated_claimed, evidence=evidence_t)
    reason = _reasons(decisive, MISSING) or "no offline data"
    return _plain_verdict(claim, NOT_HELD, reason,
                          f"This copy does not hold the data that would check it (a refresh could fetch them): "
                          f"{_end(reason)}{alt_text}",
                          claimed=stated_claimed, evidence=evidence_t)


def _which_way(claimed: Claimed, check: _Check) -> str:
    """": 36.3% is above 14.3%: higher than the claim allows." — which way the data differ, in words."""
    result = check.result
    if result.extra.get("series") or result.extra.get("fails"):
        return "."
    words = explain(claimed, result.value, check.comparison.holds)
    return f": {words}." if words else "."


def _validate_overrides(claims: list[Claim], overrides: dict[str, dict[str, Any]]) -> None:
    known = {c.id: c for c in claims}
    problems = []
    for claim_id, fields in overrides.items():
        claim = known.get(claim_id)
        if claim is None:
            problems.append(f"overrides: no claim {claim_id!r}")
            continue
        if not isinstance(fields, dict):
            problems.append(f"overrides[{claim_id!r}]: expected a dict of claimed fields, got {type(fields).__name__}")
            continue
        try:
            merge_claimed(claim.claimed, fields)
        except ValidationError as exc:
            problems += [f"overrides[{claim_id!r}].{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
    if problems:
        raise ValueError("\n".join(problems))


def judge_all(
    article: Any,
    claim_ids: list[str] | None = None,
    family: str | None = None,
    mode: str = "offline",
    overrides: dict[str, dict[str, Any]] | None = None,
    loader: Loader | None = None,
    broken: Mapping[str, str] | None = None,
) -> list[Verdict]:
    """Judge the article's claims (all, the ids given, and/or one family) in registry order.

    Snapshots and documents are loaded once for the whole call, or once per ``loader`` passed in.
    Unknown claim ids or override fields raise ``KeyError``/``ValueError`` before anything is judged; a failing evidence only
    turns its own claim into an ``error`` verdict. So does a claim in ``broken`` (claim id → why its
    registry entry cannot be checked, e.g. an evidence naming a column the data lack), without
    resolving any of its evidence.
    """
    claims = list(article.claims)
    if claim_ids is not None:
        known = {c.id for c in claims}
        unknown = [i for i in claim_ids if i not in known]
        if unknown:
            raise KeyError(f"article {getattr(article, 'id', '?')!r} has no claim(s) {', '.join(unknown)}")
        wanted = list(dict.fromkeys(claim_ids))
        by_id = {c.id: c for c in claims}
        claims = [by_id[i] for i in wanted]
    if family is not None:
        claims = [c for c in claims if c.family == family]
    overrides = overrides or {}
    _validate_overrides(list(article.claims), overrides)
    loader = loader or Loader(mode)
    broken = broken or {}
    return [broken_entry(c, broken[c.id]) if c.id in broken else
            judge(c, article, mode, override=overrides.get(c.id), loader=loader) for c in claims]


#: The ``rule`` of a verdict whose claim has a broken registry entry (``broken_entry``).
BROKEN_ENTRY_RULE = "the claims file names what does not exist"


def broken_entry(claim: Claim, reason: str) -> Verdict:
    """The ``error`` verdict of a claim whose registry entry cannot be checked, with ``reason``."""
    return replace(_plain_verdict(claim, ERROR_VERDICT, reason, f"Could not check it: {_end(reason)}"),
                   rule=BROKEN_ENTRY_RULE)


def verdicts_frame(verdicts: Iterable[Verdict]) -> pd.DataFrame:
    """The verdict rows as a table sorted by claim id (the content of verdicts.csv)."""
    rows = sorted((v.row() for v in verdicts), key=lambda r: r["claim_id"])
    return pd.DataFrame(rows, columns=ROW_COLUMNS)


__all__ = [
    "BROKEN_ENTRY_RULE", "CONTRADICTED", "ERROR_VERDICT", "IMPRECISE", "MISLEADING", "NOT_CHECKABLE", "NOT_HELD", "ROW_COLUMNS",
    "SUPPORTED", "UNVERIFIABLE", "VERDICTS", "Verdict", "VerdictName", "broken_entry",
    "claimed_text", "judge", "judge_all", "merge_claimed", "verdicts_frame",
]
