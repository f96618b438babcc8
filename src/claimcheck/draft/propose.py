"""Assemble the drafted registry: one claim per quantity, the rest of the numbers under ``not_claims``.

A number is a claim unless it only qualifies another one in its clause: a year or a span of months is
then the other number's period, "first" in "the first eight months" part of that period. A number
that is no quantity at all ("CO2", "two-way", a clock time, the dateline) goes under ``not_claims``
with the reason, so a drafted registry passes ``claimcheck coverage`` as it stands.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from claimcheck.draft import subjects
from claimcheck.draft.subjects import claim_places
from claimcheck.draft.regions import among_group
from claimcheck.draft import changes, context, shapes
from claimcheck.draft.evidence import measure_of, propose_evidence
from claimcheck.draft.places import Place, places_in
from claimcheck.draft.quantity import Quantity, read_quantity
from claimcheck.draft.confidence import abstain_unless_sure, confidence
from claimcheck.draft.structure import Reading, Structure
from claimcheck.registry.units import known_unit
from claimcheck.registry.coverage import find_numbers

_CHANGE = re.compile(r"\b(?:increase[sd]?|rise|rose|risen|rising|grew|grow(?:th|ing|n)?|gain(?:ed|s)?|up|down|fell|fall(?:en|ing)?|"
                     r"drop(?:ped|s)?|decline[sd]?|declining|expand(?:ed|s)?|jump(?:ed|s)?|surge[sd]?|year-on-year|"
                     r"shr[ai]nk|shrank|contract(?:ed|ion)|edged|slowed|slump(?:ed)?)\b", re.I)
_SHARE = re.compile(r"\b(?:share|of (?:the|all|total|world|global)|accounting for|per ?cent of|% of)\b", re.I)
_FISCAL = re.compile(r"\bfiscal\b|\bFY\s?\d|\b(?:19|20)\d\d\s?[-–/]\s?\d\d\b(?![-–/\d])", re.I)
_ESTIMATE = re.compile(r"\bestimates?\b", re.I)  # "its 2013 estimate" (a noun); "an estimated 340 million" is a hedge
_LINKED = re.compile(r"^-(?!(?:years?|decades?|months?|weeks?|days?|largest|biggest|million|billion|trillion)\b)[a-z]", re.I)


@dataclass
class Drafted:
    """One proposed claim, with where its quote sits in the text."""

    fields: dict[str, Any]
    start: int
    end: int
    quantity: Quantity
    also: list[Quantity] = field(default_factory=list)  # the other numbers of a claim in parts ("rose 7% to $3.9 tn")

    @property
    def quantities(self) -> list[Quantity]:
        return [self.quantity, *self.also]

    def views(self) -> list[tuple[Quantity | None, dict[str, Any]]]:
        """The claim, or each of its parts as a claim of its own, with the number it is about."""
        parts = self.fields.get("parts")
        if not parts:
            return [(self.quantity, self.fields)]
        own = {k: v for k, v in self.fields.items() if k not in {"parts", "id", "statement"}}
        numbers = self.quantities + [None] * len(parts)
        kinds = [self.fields["kind"]] * len(parts) if not self.also else [d.get("kind", self.fields["kind"]) for d in parts]
        return [(numbers[i], {**own, "id": part["id"], "kind": _part_kind(kinds[i], part), "statement": part["statement"],
                              "claimed": part["claimed"], "evidence": part["evidence"]})
                for i, part in enumerate(parts)]


@dataclass
class Draft:
    """A drafted registry: claims and not-claims, as mappings ready to write."""

    article: str
    claims: list[Drafted] = field(default_factory=list)
    not_claims: list[dict[str, str]] = field(default_factory=list)
    not_claim_spans: list[tuple[int, int]] = field(default_factory=list)  # the number each not-claim is for
    listed: set[str] = field(default_factory=set, repr=False, compare=False)  # the not-claims' texts, looked up per call

    def registry(self) -> dict[str, Any]:
        return {"article": self.article, "claims": [d.fields for d in self.claims], "not_claims": self.not_claims}

    def add_not_claim(self, text: str, reason: str, start: int, end: int) -> None:
        if text not in self.listed:
            self.listed.add(text)
            self.not_claims.append({"text": text, "reason": reason})
            self.not_claim_spans.append((start, end))


def _part_kind(kind: str, part: dict[str, Any]) -> str:
    unit = part["claimed"].get("unit")
    return "date" if unit == "date" else "rank" if unit == "rank" else "change" if unit == "percent" and kind == "change" else (
        kind if kind not in {"change", "rank", "date"} else "amount")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "n"


def _not_a_quantity(text: str, q: Quantity) -> str:
    """Why this mention is no quantity ('' when it is one)."""
    if q.shape == "none":
        return q.read_as
    before, after = text[max(0, q.start - 2) : q.start], text[q.end : q.end + 8]
    prefix = re.search(r"(\w+)-$", text[max(0, q.start - 8) : q.start])
    if text[q.start - 1 : q.start] == "(" and text[q.end : q.end + 1] == ")" and q.shape == "number" and q.unit == "count":
        return f"'({q.text})' is a bare number in brackets beside another (a day of the month, an earlier or revised figure)"
    currency_code = q.text[:1] in "$€£¥" and re.search(r"(?<![A-Za-z])[A-Z]{1,3}$", text[max(0, q.start - 4) : q.start])
    if before[-1:].isalpha() and not currency_code or (prefix and prefix.group(1).lower() not in {"mid", "late", "early", "pre", "post"}):
        return f"'{q.text}' is part of a name ({text[max(0, q.start - 6):q.end].split()[-1]})"
    if q.shape in {"number", "fraction"} and _LINKED.match(after) and not q.text[0].isdigit():
        return f"'{q.text}{after.split()[0]}' is a compound word, not a quantity"
    return ""


def _qualifies(text: str, q: Quantity, clause: context.Span) -> bool:
    """True when the mention only qualifies another number of the clause (its period, an ordinal of a span)."""
    near = text[q.start : min(clause.end, q.end + 20)].lower()
    before = text[max(clause.start, q.start - 12) : q.start].lower()
    if q.shape in {"year", "decade"}:
        return not shapes.since_year(text, q, clause.start)  # "the highest since 1981" is a claim of its own
    if q.shape == "duration" and re.search(r"\b(?:first|last|past|next|previous)\s+$", before):
        return True
    run = re.match(r"\s*(?:year|month|quarter|time)?\s*(?:straight|consecutive|successive|in a row)", text[q.end : q.end + 30].lower()) \
        and re.search(r"\b(?:largest|biggest|highest|lowest|smallest|top|most|leading)\b", clause.text(text), re.I)
    if q.text.lower() in {"first", "last"} or q.read_as.startswith("ordinal") and not run:  # "the fourth quarter": no rank
        return True
    if q.shape == "fraction" and re.match(r"quarter\s+of\b", near):
        return True
    return False


def _kind(q: Quantity, clause_text: str, forecast_word: str) -> str:
    if forecast_word:
        return "forecast"
    if q.shape in {"year", "decade"}:
        return "date"
    if q.shape == "duration":
        return "duration"
    if q.unit == "rank":
        return "rank"
    if q.shape in {"percent", "fraction"}:
        return "change" if _CHANGE.search(clause_text) and not _SHARE.search(clause_text) else "share"
    if q.shape == "money":
        return "amount"
    return "count" if q.unit in {"people", "count", "jobs", "TEU"} else "amount"


def _period(text: str, q: Quantity, clause: context.Span, today: date, carried: str | None,
            others: list[Quantity]) -> tuple[str | None, str | None, str, bool]:
    """The claim's period, its base period (for changes) and the rule used."""
    clause_text = clause.text(text)
    offsets = tuple(o.start - clause.start for o in others if o is not q and o.shape not in {"year", "decade"}
                    and not shapes.reached_level(text[q.end : o.start]))  # "rose 7% to $3.9 tn in 2022": both 2022
    period, base, rule = context.explicit_period(clause_text, q.end - clause.start, offsets)
    if period:
        return period, base, f"period {period}: {rule}", True
    relative, rule = context.relative_period(clause_text, today, carried, q.start - clause.start)
    if relative:
        return relative, base, f"period {relative}: {rule}", True
    if carried:
        return carried, base, f"period {carried}: carried from the clause or sentence before, same paragraph", False
    return None, base, "", False


_COMPARATOR_WORDS = {"exceeds": "more than ", "at_least": "at least ", "at_most": "at most ", "about": "about ",
                     "before": "before ", "by": "by ", "min_duration": "over "}


def _statement(kind: str, q: Quantity, comparator: str, period: str | None, places: list[Place],
               evidence: list[dict]) -> str:
    """The claim in a plain line, as a reader sees it on the site: whose, what, the figure as written,
    when ("India, population: 1428.6 million (2023)."). A reviewer rewrites it as the article means it."""
    measure = measure_of(evidence)
    named = _codes_in(evidence)
    whose = [p for p in places if p.code in named] or places[:1 if kind == "rank" or measure else 2]
    who = " and ".join(p.name for p in whose[:2])
    figure = q.text
    if q.unit in {"people", "tonnes"} and q.unit not in figure.lower() and not measure:
        figure += f" {q.unit}"
    if kind == "rank":
        line = f"{who or 'It'} ranks {figure}" + (f" by {measure}" if measure else "")
    else:
        subject = ", ".join(part for part in (who, measure) if part)
        figure = ("a change of " if kind == "change" else "") + _COMPARATOR_WORDS.get(comparator, "") + (
            q.read_as if kind == "date" else figure)
        line = f"{subject}: {figure}" if subject else figure
    when = f" ({period})" if period and period not in figure else ""
    return f"{line[:1].upper()}{line[1:]}{when}."


def _codes_in(evidence: list[dict]) -> set[str]:
    """The countries a drafted evidence selects or ranks."""
    codes = set()
    for e in evidence:
        codes |= {str(v) for k, v in (e.get("select") or {}).items() if k in {"entity", "partner"}}
        codes |= {str(v) for k, v in (e.get("compute") or {}).items() if k in {"entity", "other"}}
    return codes


def draft_text(article_id: str, text: str, today: date, dateline: str | None = None,
               most_named: list[Place] | None = None) -> Draft:
    """Draft the registry of ``text``, published on ``today``."""
    from claimcheck.draft.measures import held_catalogue

    with held_catalogue():
        return _draft_text(article_id, text, today, dateline, most_named)


def _draft_text(article_id: str, text: str, today: date, dateline: str | None,
                most_named: list[Place] | None) -> Draft:
    draft = Draft(article_id)
    skip: list[tuple[int, int]] = []
    if dateline and dateline in text:
        at = text.index(dateline)
        skip.append((at, at + len(dateline)))
        draft.add_not_claim(dateline, "dateline of the article (draft: from metadata.yaml)", at, at + len(dateline))
    mentions = [read_quantity(text, m.start, m.end) for m in find_numbers(text)]
    mentions = [q for q in mentions if not any(a <= q.start < b for a, b in skip)]
    mentions = _outside_earlier(mentions)  # "two and a half"
    structure = Structure(text, [(q.start, q.end) for q in mentions if q.shape != "none"])
    sentences = context.sentences(text)
    by_sentence = _by_sentence(mentions, sentences)
    starts = [s.start for s in sentences]
    ids: set[str] = set()
    carried: str | None = None
    previous: list[Place] = []
    recent: list[Quantity] = []  # quantities of this sentence and the one before, for a unit left unwritten
    for number, sentence in enumerate(sentences):
        inside = by_sentence[number]
        clauses = context.clauses(text, sentence)
        first_clause_period: str | None = None
        carried_here = False  # whether ``carried`` was set by a claim of this sentence
        for clause in clauses:
            here = [q for q in inside if clause.start <= q.start < clause.end]
            reasons = {id(q): _not_a_quantity(text, q) for q in here}
            for q in here:
                if reasons[id(q)]:
                    draft.add_not_claim(_not_claim_text(text, q), f"{reasons[id(q)]} (draft: confirm)", q.start, q.end)
            real = [q for q in here if not reasons[id(q)]]
            main = [q for q in real if not _qualifies(text, q, clause) or _ranked(q, structure)]
            if not main:  # a year alone is a date claim; a lone ordinal or span a qualifier of nothing
                main = [q for q in real if q.shape in {"year", "decade"} or q.shape == "duration"]
                lone = main[0] if len(main) == 1 and main[0].shape == "year" else None
                if lone and _period_of_what_follows(text, lone, clause, inside):
                    draft.add_not_claim(_not_claim_text(text, lone), f"the year {lone.value}: the period of the figures "
                                        "after it in the sentence (draft: confirm)", lone.start, lone.end)
                    carried, main = str(lone.value), []
                leftovers = [q for q in real if q not in main]
                for q in leftovers:
                    draft.add_not_claim(_not_claim_text(text, q), f"{q.read_as} (draft: not a quantity on its own; confirm)",
                                        q.start, q.end)
            for q in main:
                q = _inherit_unit(text, q, clause, recent)
                recent.append(q)
                fields = _claim(text, q, clause, sentence, today, carried, previous, most_named or [], here, inside,
                                structure.read(q.start, q.end), carried_here)
                cid = base = fields["id"]
                n = 2
                while cid in ids:
                    cid, n = f"{base}-{n}", n + 1
                ids.add(cid)
                fields["id"] = cid
                last = draft.claims[-1] if draft.claims else None
                joined = (shapes.compound(last.fields, fields, text[last.quantity.end : q.start])
                          if last and last.start == clause.start and not last.also else None)
                if joined:  # "rose 7 per cent to $3.9 trillion": one claim, two parts
                    unsure = [r for r in (last.fields.get("reason"), fields.get("reason")) if r and "needs review" in r]
                    if unsure and not joined.get("reason"):
                        joined["reason"] = "; ".join(dict.fromkeys(unsure))
                    last.fields, last.also = joined, [q]
                    ids.discard(cid)
                    continue
                draft.claims.append(Drafted(fields, clause.start, clause.end, q))
                period = fields.get("claimed", {}).get("period")
                guessed = any("latest annual figures" in n for n in fields.get("draft") or [])  # an assumed period carries no further
                if period and q.shape not in {"year", "decade"} and not guessed:
                    carried = period if clause is clauses[0] or first_clause_period is None else carried
                    carried_here = True
                    first_clause_period = first_clause_period or period
        following = bisect.bisect_left(starts, sentence.end)
        if "\n\n" in text[sentence.end : starts[following] if following < len(starts) else len(text)]:
            previous = []  # a new paragraph: no claim before to be about
        carried = first_clause_period  # a period carries into the next sentence only
        recent = [q for q in recent if q.start >= sentence.start]
    return draft


# A long text has thousands of numbers and sentences: each step below is one pass or a binary
# search, where a scan of every number per number (or per sentence) made a 5 MB text take minutes.

def _outside_earlier(mentions: list[Quantity]) -> list[Quantity]:
    """The mentions not inside an earlier one (``o.start < q.start < o.end``), in one pass: those
    before start no later, so the furthest end of the ones starting strictly before decides."""
    kept, reach, furthest, last_start = [], -1, -1, None
    for q in mentions:
        if last_start is not None and q.start < last_start:  # out of order: the exact scan
            return [q for i, q in enumerate(mentions) if not any(o.start < q.start < o.end for o in mentions[:i])]
        if last_start is not None and q.start > last_start:
            reach = furthest
        if not q.start < reach:
            kept.append(q)
        furthest, last_start = max(furthest, q.end), q.start
    return kept


def _by_sentence(mentions: list[Quantity], sentences: list[context.Span]) -> list[list[Quantity]]:
    """For each sentence, the mentions starting inside it, in the order of ``mentions``."""
    grouped: list[list[Quantity]] = [[] for _ in sentences]
    starts = [s.start for s in sentences]
    ordered = all(a.end <= b.start for a, b in zip(sentences, sentences[1:]))
    for q in mentions:
        if ordered:
            at = bisect.bisect_right(starts, q.start) - 1
            if at >= 0 and q.start < sentences[at].end:
                grouped[at].append(q)
        else:  # overlapping sentences: every one that holds it
            for at, sentence in enumerate(sentences):
                if sentence.start <= q.start < sentence.end:
                    grouped[at].append(q)
    return grouped


def _ranked(q: Quantity, structure: Structure) -> bool:
    """An ordinal the parse reads as a place reached or held ("France slipped to seventh"), not a period's."""
    if q.shape != "ordinal":
        return False
    reading = structure.read(q.start, q.end)
    if reading is None or reading.entity != "ORDINAL":  # "the fourth quarter" is a DATE to the parser
        return False
    after = structure.text[q.end : q.end + 40].lower()
    if re.match(r"[\s-]*(?:consecutive\s+|straight\s+|successive\s+)?(?:time|times|quarter|half|year|month|week|day|"
                r"anniversary|century|decade|round|phase|stage|edition|session|term|wave)s?\b", after):
        return False  # "the third consecutive year", "the first time": no place in a ranking
    return reading.role == "rank" or reading.dep in {"xcomp", "attr", "acomp", "oprd", "npadvmod", "advmod", "dobj"} or (
        reading.dep == "amod" and reading.verb.lower() in {"is", "was", "are", "were", "remains", "remained", "ranks",
                                                           "ranked", "placed", "became", "becomes"})


def _period_of_what_follows(text: str, year: Quantity, clause: context.Span, inside: list[Quantity]) -> bool:
    """Whether a year alone in its clause is the period of the numbers in the clauses after it ("X
    emerged with the highest growth rate in 2023, registering at 7.7 percent"), not a date claim."""
    if context.hedge(text, clause, year.start, "year")[0] != "equals" or shapes.since_year(text, year, clause.start):
        return False
    if not re.search(r"\b(?:in|during|for)\s+$", text[clause.start : year.start], re.I):
        return False
    return any(q.start >= clause.end and q.shape not in {"year", "decade", "none"} and not _not_a_quantity(text, q)
               for q in inside)


def _inherit_unit(text: str, q: Quantity, clause: context.Span, recent: list[Quantity]) -> Quantity:
    """A scaled number written without a unit ("1.41260 billion a year earlier", "to 2.7 trillion")
    takes the unit of the population it names or of the last scaled figure just before it."""
    if q.read_as.endswith("no unit written") and (q.value or 0) >= 1e6:
        from claimcheck.draft.evidence import prose_words

        said = next((w for w in prose_words()["people_measures"] if re.search(rf"\b{re.escape(w)}\b", clause.text(text), re.I)), None)
        if said:
            return replace(q, unit="people", read_as=q.read_as.replace("no unit written", f"people (the clause says {said})"))
        for earlier in reversed(recent):
            if earlier.unit not in {None, "count"} and isinstance(earlier.value, float) and earlier.value >= 1e6:
                return replace(q, unit=earlier.unit, shape=earlier.shape,
                               read_as=q.read_as.replace("no unit written", f"{earlier.unit} (the unit of '{earlier.text}' just before)"))
    return q


def _not_claim_text(text: str, q: Quantity) -> str:
    """A span around the mention long enough to be unmistakable, verbatim."""
    start = max(0, text.rfind(" ", 0, max(0, q.start - 1)) + 1) if q.start else 0
    gap = re.compile(r"\s").search(text, q.end + 1)
    end = gap.start() if gap else len(text)
    return text[start:end].strip(" ,.;:()\"'“”‘’\n")


def _claim(text: str, q: Quantity, clause: context.Span, sentence: context.Span, today: date, carried: str | None,
           previous: list[Place], most_named: list[Place], neighbours: list[Quantity],
           in_sentence: list[Quantity], reading: Reading | None = None, carried_here: bool = True) -> dict[str, Any]:
    clause_text = clause.text(text)
    after_previous = max([n.end for n in neighbours if n.end <= q.start] + [clause.start])
    near = text[after_previous : q.start]
    q, series_note = changes.years_of_a_series(q, near, sentence.text(text), clause_text)
    notes = [f"value: {q.read_as} (from '{q.text}')", *series_note]
    comparator, words = context.hedge(text, clause, q.start, q.shape)
    notes.append(f"comparator {comparator}: " + (f"'{words}' before the number" if words else "no hedge written"))
    others = tuple(n.start - clause.start for n in neighbours if n.start != q.start)
    if q.shape in {"year", "decade"}:
        forecast_word = ""
    elif reading is not None:  # the number's own verb: "GDP grew 2.5%, and the bank expects 1.8%" forecasts only the 1.8%
        forecast_word = reading.future
    else:
        forecast_word = context.is_forecast(clause_text, q.start - clause.start, others)
    if q.shape == "year" and int(q.value) > today.year and comparator != "by":  # "by 2060" states a target
        forecast_word = f"the year {q.value} is after the article's date"
    elif q.shape == "year" and int(q.value) == today.year and comparator == "equals":  # "He expects 2024's exports to …"
        forecast_word = context.is_forecast(clause_text, q.start - clause.start, others)
    kind = _kind(q, clause_text, forecast_word)
    if kind == "share" and reading is not None and reading.role == "change" and q.shape == "percent":
        kind = "change"  # "the economy shrank by 4.9 percent in 2020 as a result of the pandemic": its verb says change
    sign, sign_words = changes.direction(near, text[q.end : clause.end])
    listed = changes.listed_before(text, q, in_sentence)  # "declines of 0.8 percent and 0.3 percent"
    if not sign and listed is not None:
        sign, sign_words = changes.direction(text[max(sentence.start, listed.start - 60) : listed.start], "")
        kind = "change" if sign and kind == "share" else kind  # the list shares its verb
    if sign and kind in {"count", "amount"} and (series_note or q.shape in {"number", "money"}):
        kind = "change"  # "fell by 2.7 years", "an increase of 181 million people": a change in the series' unit
    period = base = None
    written = False
    period_how: tuple[str, str] | None = None
    if q.shape not in {"year", "decade", "duration"}:
        period, base, rule, written = _period(text, q, clause, today, carried, neighbours)
        own = _own_period(reading, carried)
        if own and "structure" in own[1] and own[0] not in clause_text:
            own = None  # a year the parse reached outside the number's clause (a headline run into the first line)
        if own and (own[0] == base or re.search(rf"\b(?:since|from)\s+(?:the\s+)?(?:\w+\s+){{0,3}}?(?:in\s+)?{own[0]}\b", clause_text)):
            own = None  # "an increase of 181 million since the last Census in 2001": the base, not the period
        taken = period and reading is not None and any(re.search(rf"\b{re.escape(period)}\b", d) for d in reading.elsewhere)
        if own and own[0] != period and (taken or not written):  # the year the regex took belongs to another verb
            period, rule, written = own[0], f"period {own[0]}: {own[1]}", True
        if period and written and re.search(rf"\bsince\s+(?:the\s+)?(?:end\s+of\s+)?{re.escape(period)}\b", clause_text):
            period, written, rule = None, False, ""  # "in double digits since 2016, reached 17.33%": no period of it
        if kind == "rank" and not written:  # "the world's second largest economy" describes, at the latest figures
            period = None
        if period is None and kind in {"rank", "amount", "count", "share"}:
            period, rule = context.latest_annual(today)
            period_how = (("low", "a rank with no period written: the latest annual figures out at the article's date")
                          if kind == "rank" else ("low", "no period written: the latest annual figures assumed"))
        if period:
            notes.append(rule)
            if context.period_start(period) > today and kind != "forecast":
                kind, forecast_word = "forecast", f"period {period} after the article's date"
            elif kind != "forecast" and context.month_end(period.split("/")[-1]) > today and _ESTIMATE.search(sentence.text(text)):
                kind, forecast_word = "forecast", f"an estimate for {period}, not over at the article's date"
            elif (kind not in {"forecast", "count"} and q.shape in {"percent", "money"} and re.fullmatch(r"\d{4}", period)
                  and context.month_end(period) > today
                  and written and reading is not None and reading.period_words):  # "growth of 2.4% in 2024", said in February
                kind, forecast_word = "forecast", f"the year {period} is not over at the article's date"
    notes.append(f"kind {kind}" + (f": '{forecast_word}'" if forecast_word else ""))
    places, how = claim_places(text, q, kind, clause, sentence, most_named, previous)
    owned = places_in(reading.owner) if reading is not None and reading.owner and " lost " not in how else []
    if owned and _between(text, sentence, reading.owner, q.start, owned[0].code):
        owned = []  # another country is named between: the parse's subject is too far to trust
    if owned and not owned[0].code.startswith("@"):  # "France slipped to seventh", "Brazil's GDP grew": the tree says whose
        place = next((p for p in places_in(text, sentence.start, sentence.end) if p.code == owned[0].code), owned[0])
        places, how = [place] + [p for p in places if p.code != place.code], (
            f"'{reading.owner}', the possessor or subject of the number's verb in the sentence's structure")
    paired = changes.respectively(text, q, sentence.start, sentence.end, in_sentence, places_in(text, sentence.start, sentence.end))
    if paired is not None:
        places, how = [paired] + [p for p in places if p.code != paired.code], "'respectively': the country in the same place of its list"
    if len(places) < 2 and len(most_named) >= 2 and re.search(r"\bbilateral\b", sentence.text(text), re.I):
        places, how = most_named[:2], "'bilateral': the two countries the article names most"
    if places:
        notes.append("entity " + ", ".join(f"{p.code} ('{p.text}')" for p in places[:2]) + f": {how}")
        if kind not in {"date", "duration"}:
            previous[:] = places[:1]
    claimed = _claimed(q, comparator, period, notes)
    if claimed and kind in {"change", "forecast"} and sign < 0 and isinstance(claimed["value"], float):
        changes.as_fall(claimed, sign_words, notes)
    fields: dict[str, Any] = {
        "id": _slug(f"{q.text}-{period or ''}")[:48].strip("-"),
        "quote": clause_text,
        "kind": kind,
        "family": "other",
        "statement": "",  # written once the evidence says what is measured
    }
    if claimed:
        fields["claimed"] = claimed
    guess: dict[str, tuple[str, str]] = {}
    evidence, reason, family, evidence_notes = propose_evidence(
        kind=kind, quantity=q, claimed=claimed, sentence=sentence.text(text), places=places, period=period, base=base,
        clause=clause_text, near=_ranked_noun(text[q.end : clause.end]) if kind == "rank" else near,
        measured=reading.measured if reading is not None else "", counted=reading.counted if reading is not None else "",
        partner=reading.partner if reading is not None else "",
        measured_how=reading.how if reading is not None else "",
        grain=_grain(reading, period), before=text[sentence.start : q.start], guess=guess)
    notes += evidence_notes
    within = subjects.within_country(text[sentence.start : q.start], places, text[clause.start : clause.end])
    if within and evidence and evidence[0]["kind"] == "dataset":  # "the state of X … with 199 million people"
        evidence, reason = [], (f"the sentence is about a {within} within a country, which no catalogue entry holds; "
                                "confirm the place and find its figure by hand")
        notes.append(f"evidence: '{within}' before the number; no country series proposed")
    fields["family"] = family or ("dates" if kind in {"date", "duration"} else "other")
    fields["statement"] = _statement(kind, q, comparator, period, places, evidence)
    if evidence and claimed:
        fields["evidence"] = evidence
    if kind == "forecast":
        fields["reason"] = f"A forecast ('{forecast_word}'): it cannot be checked before its period ends."
    elif not evidence or not claimed:
        fields["reason"] = reason or "no evidence proposed"
    fields["draft"] = notes
    if kind != "forecast":
        shape = shapes.Shape(text, (clause.start, clause.end), (sentence.start, sentence.end), q, places, period, written,
                             context.latest_annual(today)[0])
        fields = shapes.refine(fields, shape)
    fields = among_group(fields, fields["quote"], text[: clause.start])
    if not evidence and guess.get("measure", ("",))[0] in {"low", "none"} and (fields.get("evidence") or fields.get("parts")):
        guess["measure"] = ("low", "only the shape of the sentence (a record, a first since) points at the series")
    if period is None and kind in {"change", "amount", "count", "share"}:
        period_how = ("none", "no period written, carried or relative to the article's date")
    if period_how is None and period:
        period_how = (("high", "written for the number") if written else
                      ("medium", "carried from the clause before, same sentence") if carried_here else
                      ("low", "carried from the sentence before"))
    if period and _FISCAL.search(sentence.text(text)):  # "2018-19", "this fiscal year": not a calendar year
        period_how = ("low", f"the sentence speaks of a fiscal year; {period} read as a calendar year")
    return abstain_unless_sure(fields, confidence(guess, period_how, how, places, q, comparator, reading, period,
                                                    clause_text))


_YEAR_BEFORE = re.compile(r"^(?:a|the) year (?:before|earlier)$|^the previous year$|^a year ago$", re.I)


def _own_period(reading: Reading | None, carried: str | None) -> tuple[str, str] | None:
    """A year the parse attaches to the number's own verb ("In 2010 the economy grew 5.2% and in 2011, 6%"), or
    the year before the one carried when "the year before" hangs from the number itself ("compared with 7.6
    percent the year before"); None when the parse attaches none of these."""
    if reading is None or not reading.period_words:
        return None
    words = reading.period_words.strip()
    year = re.fullmatch(r"(?:the year\s+|in\s+)?((?:19|20)\d\d)", words)
    if year:
        return year.group(1), f"'{words}', attached to the number's verb in the sentence's structure"
    if _YEAR_BEFORE.match(words) and carried and re.fullmatch(r"\d{4}", carried):
        return str(int(carried) - 1), f"'{words}' attached to the number itself: the year before {carried}"
    return None


def _grain(reading: Reading | None, period: str | None) -> str:
    """The grain of the claim's figure: the period attached to it in the parse, else its period's form."""
    if reading is not None and reading.grain in {"monthly", "quarterly"}:
        return reading.grain
    if period and re.fullmatch(r"\d{4}-\d\d(?:/\d{4}-\d\d)?", period):
        first, _, last = period.partition("/")
        months = (int(last[:4]) * 12 + int(last[5:]) - int(first[:4]) * 12 - int(first[5:]) + 1) if last else 1
        return "quarterly" if months == 3 and int(first[5:]) % 3 == 1 else "monthly"
    return "annual" if period else ""


def _between(text: str, sentence: context.Span, owner: str, at: int, code: str) -> bool:
    """Whether a country other than ``code`` is named between the last ``owner`` before ``at`` and ``at``."""
    where = text.rfind(owner, sentence.start, at)
    return where >= 0 and any(p.code != code for p in places_in(text, where + len(owner), at))


def _ranked_noun(after: str) -> str:
    """The noun a rank is about, right after the ordinal ("second largest economy with a trade surplus")."""
    found = re.match(r"[\s-]*([A-Za-z-]+)(?:\s+(?!(?:with|in|of|by|as|for|after|and|since|on|at|to|the|a|is|was)\b)([A-Za-z-]+))?", after)
    return " ".join(g for g in found.groups() if g) if found else ""


def _claimed(q: Quantity, comparator: str, period: str | None, notes: list[str]) -> dict[str, Any] | None:
    unit = q.unit
    if not unit or not known_unit(unit):
        notes.append(f"unit {unit} is not a registry unit: claimed left out, value {q.value!r}")
        return None
    claimed: dict[str, Any] = {"value": q.value, "unit": unit, "comparator": comparator}
    if period:
        claimed["period"] = period
    if q.precision and q.shape in {"money", "percent", "number"}:
        claimed["precision"] = q.precision
    return claimed


def most_named(text: str) -> list[Place]:
    """The countries the text names, most often first (a fallback entity for a sentence that names none).
    Names count before adjectives: "Dutch companies" are about companies, "the Netherlands" is the subject."""
    counts: dict[str, tuple[int, int, Place]] = {}
    for sentence in context.sentences(text):
        for place in places_in(text, sentence.start, sentence.end):
            names, adjectives, first = counts.get(place.code, (0, 0, place))
            counts[place.code] = (names + (not place.demonym), adjectives + place.demonym, first)
    return [p for _, _, p in sorted(counts.values(), key=lambda c: (-c[0], -c[1], c[2].start))]


def draft_article(article: Any) -> Draft:
    """Draft the registry of an ``Article`` from its text and metadata (date, dateline)."""
    meta = article.metadata
    return draft_text(article.id, article.text, meta.date, meta.dateline, most_named(article.text))
