"""Evidence for a drafted claim: the catalogue entry whose words match the sentence, with the
``select`` and ``compute`` that the claim's shape implies.

Each catalogue entry is described by its title and its "for" text. A sentence matches an entry on
the words they share, each weighted by how few entries use it (so "every economy and aggregate",
in every World Bank title, decides nothing), after a few everyday words are mapped to the words
the catalogue uses (draft_words.yaml's `synonyms`). The entry must also
fit the claim: its unit (a currency for an amount, people for a population, a date for a year) and,
when its title names countries, the claim's countries. No match gives a reason naming the words
looked for.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from claimcheck.draft.places import country_of, places_in
from claimcheck.registry.units import is_currency



class DraftDataError(ValueError):
    """A data file the draft reads that does not validate; one line naming the file and the field."""


#: draft_words.yaml's fields and the kind of each
_FIELDS = {"synonyms": dict, "expands": dict, "other_measure": list, "holdings": list, "neutral": list,
           "confirm": dict, "people_measures": list, "whole_words": list, "unit_words": dict, "per_person": dict,
           "country_nouns": list, "counted_nouns": dict, "families": dict}


@lru_cache(maxsize=1)
def prose_words() -> dict[str, Any]:
    """``data/reference/draft_words.yaml``: the everyday words mapped to the catalogue's, the words that
    make another measure, the words of a stock or an investment (a measure's vocabulary is data)."""
    from claimcheck import paths
    from claimcheck.registry.yamltext import read_yaml_file

    path = paths.reference_dir() / "draft_words.yaml"
    try:
        raw = read_yaml_file(path, DraftDataError) or {}
    except OSError as exc:
        raise DraftDataError(f"{path}: cannot be read ({type(exc).__name__})") from None
    if not isinstance(raw, dict):
        raise DraftDataError(f"{path}: expected a mapping of {', '.join(_FIELDS)}")
    for field, kind in _FIELDS.items():
        if not isinstance(raw.get(field) or kind(), kind):
            raise DraftDataError(f"{path}, field {field}: expected a {'mapping' if kind is dict else 'list'}")
    per_person = raw.get("per_person") or {}
    for field, listed in (("whole_words", raw.get("whole_words")), ("country_nouns", raw.get("country_nouns")),
                          ("per_person.of", per_person.get("of")), ("per_person.per", per_person.get("per")),
                          *((f"unit_words.{k}", v) for k, v in (raw.get("unit_words") or {}).items())):
        if not isinstance(listed or [], list) or not all(isinstance(w, str) and w.strip() for w in listed or []):
            raise DraftDataError(f"{path}, field {field}: expected a list of words")
    return {"synonyms": {str(k): str(v) for k, v in (raw.get("synonyms") or {}).items()},
            "expands": {str(k): [str(w) for w in v] for k, v in (raw.get("expands") or {}).items()},
            "other_measure": {str(w) for w in raw.get("other_measure") or []},
            "holdings": {str(w) for w in raw.get("holdings") or []},
            "neutral": {str(w) for w in raw.get("neutral") or []},
            "confirm": {str(k): str(v) for k, v in (raw.get("confirm") or {}).items()},
            "people_measures": [str(w) for w in raw.get("people_measures") or []],
            "whole_words": tuple(w.lower() for w in raw.get("whole_words") or []),
            "unit_words": {str(k): {str(w) for w in v} for k, v in (raw.get("unit_words") or {}).items()},
            "per_person": {"of": list(per_person.get("of") or []), "per": list(per_person.get("per") or [])},
            "country_nouns": list(raw.get("country_nouns") or []),
            "counted_nouns": {str(k).lower(): str(v) for k, v in (raw.get("counted_nouns") or {}).items()},
            "families": {str(k): str(v) for k, v in (raw.get("families") or {}).items()}}


def family_of(source: str, default: str | None = None) -> str | None:
    """The check notebook that judges a source's claims (``families`` of draft_words.yaml)."""
    return prose_words()["families"].get(source, default)


def counted_nouns() -> dict[str, str]:
    """A noun right after a number and the unit it counts (``counted_nouns`` of draft_words.yaml)."""
    return prose_words()["counted_nouns"]


def synonyms() -> dict[str, str]:
    return prose_words()["synonyms"]


def holding_words() -> set[str]:
    """Words of a stock or an investment ("two-way investments exceeding $230 billion"): a figure they lead
    to is no trade flow, whatever else its sentence says, and only an entry that measures one can hold it."""
    return prose_words()["holdings"]


def _everyday(word: str) -> str:
    """The everyday word the synonyms map to ``word`` (the first listed), for a message; else ``word``."""
    return next((k for k, v in synonyms().items() if v == word), word)


def _other_measure() -> set[str]:
    return prose_words()["other_measure"]


_STOP = set(
    "the a an of in on at to for and or but with by from as is are was were be been its it this that these those "
    "than then there their which who whom while has have had not no per cent percent every all each any other "
    "aggregate aggregates flagged dropped before after total totals annual monthly current year years month "
    "months data country countries world world's s us us$ one two first second third also more most over some "
    "about around said says say report reported according showed shows according new record time times".split()
)
_CHANGE_WORDS = re.compile(r"\b(?:rose|rise|risen|increase|grew|growth|gain|up|fell|fall|drop|decline|expanded|"
                           r"jump|shrank|contracted|year-on-year|slowed|edged)\w*", re.I)
_CAGR_WORDS = re.compile(r"\b(?:annual(?:ly)? (?:average )?growth|a year on average|per year|each year|annually)\b", re.I)


def _stem(word: str, synonyms: dict[str, str] | None = None) -> str:
    synonyms = _synonyms_or(synonyms)
    named = word[:1].isupper() and not word.isupper()  # "People's Republic" is a name, not people
    word = word.lower().strip("'’-")
    word = re.sub(r"['’]s$", "", word)
    if named:
        return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
    word = synonyms.get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return synonyms.get(word, word)


_IN_CURRENCY = re.compile(r"\b(?:in|measured in)\s+(?:US\s+|U\.S\.\s+)?(?:dollar terms|dollars|dollar)\b", re.I)


def _synonyms_or(given: dict[str, str] | None) -> dict[str, str]:
    return synonyms() if given is None else given


def words(text: str, synonyms: dict[str, str] | None = None) -> set[str]:
    """The content words of ``text``, stemmed and mapped to the catalogue's vocabulary (a catalogue
    text itself is read with ``synonyms={}``: "every economy and aggregate" in a title is no GDP)."""
    found = set()
    text = _IN_CURRENCY.sub(" ", text)  # "measured in US dollar terms" says the unit, not the measure
    whole, spaced = _whole_words(prose_words()["whole_words"])
    for raw in re.findall(r"[A-Za-z][A-Za-z0-9'’-]*", text):
        for part in [raw, *raw.split("-")] if "-" in raw and raw.lower() not in whole else [raw]:
            if part.lower() in _STOP or len(part) < 3 or country_of(part.rstrip("'’s")):
                continue  # a country's name says who, not what: the select carries it
            found.add(_stem(part, synonyms))
    if spaced is not None:  # "net zero" written with a space is the one word "net-zero"
        found |= {m.lower().replace(" ", "-") for m in spaced.findall(text)}
    for word, measures in prose_words()["expands"].items():  # "trade" is exports and imports
        if word in found:
            found |= set(measures)
    return found - _stop_stems(synonyms)


@lru_cache(maxsize=4)
def _whole_words(whole: tuple[str, ...]) -> tuple[frozenset[str], re.Pattern | None]:
    """draft_words.yaml's ``whole_words``, and an expression finding them written with a hyphen or a space."""
    alternatives = "|".join(r"[- ]".join(map(re.escape, w.split("-"))) for w in whole)
    return frozenset(whole), re.compile(rf"\b(?:{alternatives})\b", re.I) if whole else None


def _stop_stems(given: dict[str, str] | None) -> frozenset[str]:
    """The stop words as ``_stem`` leaves them with these synonyms (once for the two mappings in use:
    words() runs for every clause and catalogue entry)."""
    return _stop_plain() if given is not None and not given else _stop_mapped() if given is None else frozenset(
        _stem(w, given) for w in _STOP)


@lru_cache(maxsize=1)
def _stop_mapped() -> frozenset[str]:
    return frozenset(_stem(w) for w in _STOP)


@lru_cache(maxsize=1)
def _stop_plain() -> frozenset[str]:
    return frozenset(_stem(w, {}) for w in _STOP)


@dataclass(frozen=True)
class Entry:
    source: str
    name: str
    title: str
    unit: str
    words: frozenset[str]
    title_words: frozenset[str]  # the measure the title names
    countries: tuple[str, ...]  # ISO3 codes the title names (an entry about particular countries)
    measure: str  # what it measures, in words ("population")


def measure_name(spec: Any) -> str:
    """What a catalogue entry measures, in words: its ``measure_names``, else its title up to a comma,
    a bracket or "by country"."""
    names = list(spec.measure_names.values())
    whose = "|".join(map(re.escape, prose_words()["country_nouns"])) or "(?!)"
    name = names[0] if len(names) == 1 else re.split(rf",| \(| by (?:{whose})", spec.description)[0]
    return re.sub(r"^the ", "", name)


@lru_cache(maxsize=4)
def _entries(signature: Any) -> tuple[list[Entry], dict[str, float]]:
    from claimcheck.reference import catalogue

    out = []
    # Generated entries (catalogue/generated/, hundreds of WDI indicators) are left to `claimcheck sources
    # --search` until the draft matches by their names: by title words alone they outvote the reviewed
    # entries ("GDP" is in "Expense (% of GDP)"). An entry a person edited in <source>.yaml takes part.
    for spec in (s for s in catalogue.load_catalogue().entries() if not catalogue.is_generated(s)):
        text = f"{spec.description} {spec.used_for}"
        out.append(Entry(spec.source, spec.name, spec.description, spec.unit, frozenset(words(text, {})),
                         frozenset(words(spec.description, {})), tuple(p.code for p in places_in(spec.description)),
                         measure_name(spec)))
    df: dict[str, int] = {}
    for entry in out:
        for word in entry.words:
            df[word] = df.get(word, 0) + 1
    idf = {w: math.log((1 + len(out)) / n) for w, n in df.items()}
    return out, idf


def catalogue_entries() -> tuple[list[Entry], dict[str, float]]:
    """The catalogue's entries as word sets, and each word's weight (re-read when the catalogue changes;
    a draft checks its files once, see ``measures.held_catalogue``)."""
    from claimcheck.draft.measures import signature

    return _entries(signature())


def vocabulary() -> frozenset[str]:
    """Every word some catalogue entry's title or use holds."""
    return frozenset(w for entry in catalogue_entries()[0] for w in entry.words)


def _fits(entry: Entry, kind: str, unit: str | None) -> bool:
    """Whether the entry's unit can answer a claim of this kind and unit."""
    eu = entry.unit
    if kind == "rank":
        return eu not in {"date", "year", "category", "wikidata-item"}
    if kind == "date":
        return eu in {"date", "year"}
    if is_currency(unit or ""):  # another currency converts at the stored exchange rates when judged
        return is_currency(eu)
    if unit in {"people", "count"}:
        return eu in {"people", "count"}
    if unit == "tonnes":
        return eu in {"tonnes", "kilotonnes"}
    if unit == "tonnes_per_person":
        return eu == "tonnes_per_person"
    if unit == "years":  # a figure of a series measured in years (life expectancy), not a span
        return eu == "years"
    if unit in {"percent", "percentage_points"}:
        return eu not in {"date", "year", "category", "wikidata-item"}
    return False


def best_entry(sentence: str, kind: str, unit: str | None, codes: list[str], clause: str = "",
               period: str | None = None, holdings: bool = False) -> tuple[Entry | None, list[str], set[str]]:
    """The best-matching entry, the words it matched, and the words looked for: the clause's words
    first, the whole sentence's when the clause matches nothing. ``holdings``: the figure is a stock or
    an investment, which only an entry measuring one can hold."""
    if clause:
        found = best_entry(clause, kind, unit, codes, period=period, holdings=holdings)
        if found[0] is not None:
            return found
    looked = words(sentence) | prose_words()["unit_words"].get(unit or "", set())
    entries, idf = catalogue_entries()
    scored = []
    for entry in entries:
        if not _fits(entry, kind, unit) or holdings and not entry.words & holding_words():
            continue
        if entry.countries and not (set(entry.countries) <= set(codes[:2]) if len(entry.countries) > 1
                                    else entry.countries[0] in codes[:1]):
            continue  # an entry about named countries (a bilateral series) holds nobody else
        shared = looked & entry.words
        other = {_stem(w) for w in _other_measure()}
        if (looked & other) - entry.words or (entry.title_words & other) - looked:
            continue  # "trade surplus", "GDP per capita": another measure than the entry's, though it shares words
        score = sum(idf.get(w, 0.0) for w in shared)
        if " per " in entry.unit and len(shared & entry.title_words) < 2:
            continue  # a rate between units (currency per USD) needs more than "rate" in common: "growth rate" is none
        # the measure its title names must be among the words, and a date needs a second word to agree
        if score >= 1.0 and shared & entry.title_words and (kind != "date" or len(shared) >= 2):
            monthly = "monthly" in entry.title.lower()
            if period and "-" in period and not monthly:
                continue  # a month or a quarter is no figure of an annual series
            frequency = monthly == bool(period and "-" in period)  # years want an annual series first
            unmatched = len(entry.title_words - shared)  # "GDP per capita" is not the GDP a sentence names
            scored.append((frequency, score, -unmatched, -len(entry.words), entry.source, entry.name, entry, sorted(shared)))
    if not scored:
        return None, [], looked
    best = max(scored, key=lambda s: s[:4])
    return best[6], best[7], looked


def _growth_series(entry: Entry, looked: set[str]) -> Entry:
    """For a rate of change, the catalogue's growth series of the same measure, when it has one ("GDP …
    a 1.7 percent increase" is GDP growth, not the growth of GDP in current dollars); else ``entry``."""
    if entry.unit == "percent":
        return entry
    other = {_stem(w) for w in _other_measure()}
    rates = [e for e in catalogue_entries()[0] if e.unit == "percent" and "growth" in e.title_words
             and entry.title_words <= e.title_words and not (e.title_words & other) - looked]
    return min(rates, key=lambda e: (len(e.title_words - entry.title_words), e.name), default=entry)


def _year_before(period: str) -> str | None:
    return str(int(period) - 1) if re.fullmatch(r"\d{4}", period or "") else None


def _compute(entry: Entry, kind: str, claimed: dict, sentence: str, codes: list[str], period: str | None,
             base: str | None) -> tuple[dict | None, str]:
    """The compute the claim's shape implies, with the rule, or None when the shape has none."""
    entity = codes[0] if codes else None
    if kind == "rank":
        if not entity:
            return None, "a rank needs the country ranked; none is named"
        out = {"op": "rank", "entity": entity}
        if period:
            out["period"] = period
        return out, "rank: an ordinal with 'largest', 'biggest', 'place'…"
    if kind == "date":
        return {"op": "value"}, "value: the date the data record"
    if kind == "share" and entry.unit not in {"percent", "percentage_points"}:  # "17.5 per cent of the world's population"
        if not entity or not period:
            return None, "a share needs the country and a period"
        out = {"op": "share", "entity": entity}
        from claimcheck.draft.regions import group_named

        if not re.search(r"\b(?:world(?:'s|’s|wide)?|global)\b", sentence, re.I) and not group_named(sentence):
            return None, "a share of what is not named (the world, a group): a part of the country's own total is no share of it"
        if re.search(r"\b(?:world(?:'s|’s|wide)?|global)\b", sentence, re.I):
            from claimcheck.draft.aggregates import aggregate_code

            if total := aggregate_code(entry.source, entry.name, "@world"):
                out["total"] = total
        out["period"] = period
        return out, "share: of the country in the total" + (f" ({out['total']})" if "total" in out else " of the rows")
    if not period:
        return None, "no period to read"
    own_unit = claimed.get("unit") == entry.unit != "percent" or (claimed.get("unit"), entry.unit) == ("percentage_points", "percent")
    if kind == "change" and own_unit:  # "fell by 2.7 years", "down 0.5 percentage points": a difference, not a rate
        span = re.fullmatch(r"(\d{4})/(\d{4})", period)
        end, start = (span[2], span[1]) if span else (period, base or _year_before(period))
        if start:
            return {"op": "change", "period": end, "base_period": start}, f"change: {end} minus {start} in the series' unit"
        return None, "a change with no base period"
    if kind == "change" and entry.unit not in {"percent", "percentage_points"}:
        if "/" in period and len(period) > 9:  # a span of months: against the same months a year before
            return {"op": "yoy_change", "period": period}, "yoy_change: a change over a span of months"
        span = re.fullmatch(r"(\d{4})/(\d{4})", period)
        if span and _CAGR_WORDS.search(sentence):
            return {"op": "cagr", "period": span[2], "base_period": span[1]}, "cagr: an annual rate over a span"
        start = base or _year_before(period)
        if start:
            rule = f"growth from {base}, the base written" if base else "growth on the year before"
            return {"op": "growth", "period": period, "base_period": start}, rule
        return None, "a change with no base period"
    if "/" in period and len(period) > 9:
        return {"op": "sum", "period": period}, "sum: an amount over a span of months"
    return {"op": "value", "period": period}, "value: the figure for the period"


def entry_of(evidence: dict) -> Entry | None:
    """The catalogue entry a drafted dataset evidence reads."""
    wanted = (evidence.get("source"), evidence.get("snapshot"))
    return next((e for e in catalogue_entries()[0] if (e.source, e.name) == wanted), None)


def measure_of(evidence: list[dict]) -> str:
    """What the first dataset evidence measures, in words ('' for a document or none)."""
    first = next((e for e in evidence if e.get("kind") == "dataset"), None)
    entry = entry_of(first) if first else None
    return entry.measure if entry else ""


def _by_names(old: Entry | None, kind: str, unit: str | None, codes: list[str], measured: str, how: str, ranked: str,
              before: str, grain: str, guess: dict, holdings: bool = False, counted: str = "",
              partner: str = "") -> tuple[Entry | None, str]:
    """The entry whose ``names:`` the number's measured phrase (or, for a rank, the noun after the ordinal;
    else the sentence before the number) holds, with ``guess["measure"]`` set to (confidence, how found);
    or None and what a reviewer must confirm."""
    from claimcheck.draft import measures

    entries = {(e.source, e.name): e for e in catalogue_entries()[0]}
    partners = {p.code for p in places_in(partner)} if partner else set()

    def fits(named: Any) -> bool:
        entry = entries.get((named.source, named.name))
        if entry is None or not _fits(entry, kind, unit) or kind == "rank" and not named.rankable:
            return False
        if holdings and not entry.words & holding_words():
            return False
        if partners and not partners <= set(entry.countries):  # "exports to Brazil": a bilateral flow
            return False
        if codes and codes[0].startswith("@") and kind not in {"rank", "share"}:  # a world or group total
            from claimcheck.draft.aggregates import aggregate_code

            if not aggregate_code(entry.source, entry.name, codes[0]):
                return False
        if entry.countries and not (set(entry.countries) <= set(codes[:2]) if len(entry.countries) > 1
                                    else entry.countries[0] in codes[:1]):
            return False
        return named.grain == grain if grain in {"monthly", "quarterly"} else True

    old_key = (old.source, old.name) if old is not None else None
    other = {_stem(w, {}) for w in _other_measure()}
    per = unit.split("_per_")[1] if unit and "_per_" in unit else ""  # "EU emissions were 7.5 tonnes per capita"
    if per and measured:
        measured = f"{measured} per {per}"
    phrases = [(p, h) for p, h in ((ranked, "the noun after the ordinal"), (measured, how), (counted, "the noun the number counts")) if p]
    for phrase, said in phrases:
        found, name = measures.by_phrase(phrase, fits, other)
        if found:
            pick = measures.prefer(found, kind, unit, grain, old_key)
            extra = measures.extra_words(phrase, name, prose_words()["neutral"], pick)
            guess["measure"] = (("low", f"'{phrase}' holds the name '{name}' but also says '{' '.join(extra)}' ({said})")
                                if extra else ("high", f"'{name}' names it, in '{phrase}' ({said})"))
            return entries[(pick.source, pick.name)], ""
    named = [(p, h) for p, h in phrases if measures.heads(p) and p != counted]  # a unit's noun ("reais") names no measure
    if named:  # the parse names a measure that no entry of this grain and unit names
        phrase, said = named[0]
        phrase += f" {partner}" if partners else ""
        guess["measure"] = ("none", f"'{phrase}' ({said})")
        grained = f"; a {grain} figure takes only a {grain} series" if grain in {"monthly", "quarterly"} else ""
        return None, (f"no catalogue entry matches; looked for: '{phrase}' ({said}){grained}; needs review: "
                      "confirm what the figure measures")
    found, name = measures.in_words(before + (" " + ranked if ranked else ""), fits)
    if found:
        pick = measures.prefer(found, kind, unit, grain, old_key)
        guess["measure"] = ("medium", f"'{name}' named before the number in its sentence (the parse names no measure)")
        return entries[(pick.source, pick.name)], ""
    guess["measure"] = ("low", "only words shared with an entry's title" if old is not None else "nothing matched")
    if grain in {"monthly", "quarterly"}:
        return None, f"needs review: a {grain} figure, and no {grain} series is named in its sentence; confirm the measure and the series"
    return None, ("needs review: no catalogue entry matches; looked for: a catalogue entry's name in the sentence before the number"
                  + (f" (its words are closest to {old.source}/{old.name})" if old is not None else "")
                  + "; confirm what the figure measures")


def evidence_label(entry: Entry, place: str = "") -> str:
    """"World Bank World Development Indicators, population of India": who publishes it and what it is,
    which a verdict's sentence reads as "According to …"."""
    from claimcheck.reference.sources import get_source

    try:
        publisher = get_source(entry.source).title.split(" (")[0]
    except KeyError:  # a source kept as transcribed tables only: its catalogue name
        publisher = entry.source
    named = place and not entry.countries  # an entry about named countries says whose in its title
    return f"{publisher}, {entry.measure}" + (f" of {place}" if named else "")


def propose_evidence(*, kind: str, quantity: Any, claimed: dict | None, sentence: str, places: list,
                     period: str | None, base: str | None, clause: str = "",
                     near: str = "", measured: str = "", measured_how: str = "", grain: str = "",
                     before: str = "", guess: dict | None = None, counted: str = "", partner: str = "") -> tuple[list[dict], str, str | None, list[str]]:
    """(evidence list, reason when there is none, the family notebook, draft notes). ``near``: the words
    of the clause from the number before this one (what a document's fact must be about)."""
    codes = [p.code for p in places]
    unit = claimed.get("unit") if claimed else quantity.unit
    from claimcheck.draft.documents import propose_document

    if kind == "forecast" or quantity.shape in {"decade"} or claimed is None:
        return [], "", None, []
    if kind == "duration":
        document, note, _ = propose_document(sentence, claimed, clause=near)
        return ([document], "", "dates", [note]) if document else ([], "no document states the start of the span", None, [])
    unit_wanted = quantity.unit if quantity.unit == "people" else unit
    holdings = sorted(words(near) & holding_words()) if kind != "rank" else []
    entry, matched, looked = (best_entry(near, kind, unit_wanted, codes, period=period, holdings=bool(holdings))
                              if near.strip() else (None, [], set()))  # for a rank, the words after it: "second largest economy"
    if entry is None:  # the words leading to the number first: "a surplus of $N as exports rose 7%" is no export figure
        entry, matched, looked = best_entry(sentence, kind, unit_wanted, codes, clause, period, bool(holdings))
    guess = {} if guess is None else guess
    old = entry
    entry, why = _by_names(old, kind, unit_wanted, codes, measured, measured_how, near if kind == "rank" else "",
                           before, grain, guess, bool(holdings), counted, partner)
    if entry is not None and entry is not old:
        matched = [guess["measure"][1]]
    document, note, specific = propose_document(sentence, claimed, vocabulary(), near if kind != "rank" else "")
    if document and (entry is None or specific):  # "trade … along the BRI route": a name no entry knows
        if (entry or old) is not None:
            shown = entry or old
            guess["measure"] = ("medium", "a document whose words the sentence shares, naming what no catalogue entry knows")
            note += (f" (preferred to the catalogue entry {shown.source}/{shown.name}: the sentence names "
                     f"{', '.join(sorted(specific))}, which no catalogue entry knows)")
        from claimcheck.draft.quantity import SCALES

        expanded = {w for ws in prose_words()["expands"].values() for w in ws}  # "trade" brings export and import
        said = re.search(r"the words (.*?) match its text", note)
        shared = len(set(said.group(1).split(", ")) - set(SCALES) - expanded) if said else 0
        named = {p.code for p in places_in(sentence)}
        about = named & {p.code for p in places_in(note)}
        if specific or about or shared >= 5:  # a name, a country or many uncommon words in common
            guess["measure"] = ("medium", f"a document sharing {shared} uncommon words with the sentence"
                                + (f" and the name {', '.join(sorted(specific))}" if specific else ""))
        else:
            guess["measure"] = ("low", f"a document sharing only {shared} uncommon words with the sentence, "
                                "no name or country of it")
        return [document], "", "documented", [note]
    if entry is None and holdings:
        said = ", ".join(_everyday(w) for w in holdings)
        return [], (f"the words leading to the number ({said}) name money invested or owed, which no catalogue "
                    "entry or document of this period holds; find the series or the statement by hand"), None, [
            f"evidence: '{said}' before the number names money invested or owed, so the series of goods "
            "the sentence also names were not proposed; confirm what the figure measures"]
    if entry is None:
        return [], why + f" (words looked for: {', '.join(sorted(looked)) or 'none'})", None, [f"evidence: {why}"]
    entry = _growth_series(entry, looked) if kind == "change" and unit == "percent" and entry.unit != "percent" else entry
    caveat = prose_words()["confirm"].get(f"{entry.source}/{entry.name}")
    if caveat and guess.get("measure", ("",))[0] in {"high", "medium"}:  # a definition the sentence may not share
        guess["measure"] = ("low", f"{entry.source}/{entry.name}: {caveat}")
    if claimed.get("unit") == "count" and entry.unit == "people":  # "the least populated, at 64,429": inhabitants
        claimed["unit"] = unit = "people"
    compute, rule = _compute(entry, kind, claimed, sentence, codes, period, base)
    if compute is None:
        return [], f"the catalogue entry {entry.source}/{entry.name} matches ({', '.join(matched)}) but {rule}", None, []
    select: dict[str, Any] = {}
    among = kind == "rank" or compute.get("op") == "share"  # taken among the rows: the entity is the compute's
    if not among and entry.countries:  # an entry about named countries: as its title orders them
        select["entity"] = entry.countries[0]
        if len(entry.countries) > 1:
            select["partner"] = entry.countries[1]
    elif not among and codes and codes[0].startswith("@"):  # the world, a group: the snapshot's aggregate row
        from claimcheck.draft.aggregates import aggregate_code

        select["entity"] = aggregate_code(entry.source, entry.name, codes[0]) or ""
        if not select["entity"]:
            return [], (f"the catalogue entry {entry.source}/{entry.name} matches ({', '.join(matched)}) but keeps no "
                        f"row for {places[0].name}"), None, []
    elif not among and codes:
        select["entity"] = codes[0]
    if kind == "date":  # a year kept beside other measures ("status", "target_year"): the measure in years
        from claimcheck.draft.aggregates import date_measure

        if measure := date_measure(entry.source, entry.name):
            select["measure"] = measure
    evidence = {"kind": "dataset", "source": entry.source, "snapshot": entry.name}
    if select:
        evidence["select"] = select
    evidence["compute"] = compute
    evidence["label"] = evidence_label(entry, places[0].name if places else "")
    note = (f"evidence {entry.source}/{entry.name}: the words {', '.join(matched)} match its title or use; "
            f"{rule}" + (f"; select {select}" if select else ""))
    return [evidence], "", family_of(entry.source), [note]
