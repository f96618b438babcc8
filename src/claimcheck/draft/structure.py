"""What each number is in its sentence's structure, read from spaCy's dependency parse.

For a number: the noun phrase it measures and that phrase's possessor or the country it is about
("Brazil's gross domestic product grew 6.1%": "gross domestic product", "Brazil"), the verb that
governs it and what the verb makes of it (a level, a change, the level reached "to", the base "from",
a rank), the period attached to that number's own verb or noun ("in December", "the third quarter",
"a year earlier") with its grain, spaCy's entity over it, and the word that makes that verb a forecast.
Only the sentences holding a number are parsed. Each field is read from the tree, so a word
elsewhere in the sentence ("helped by exports") never becomes the measure.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from claimcheck.draft import context, parse  # parse loads spaCy on first use only
from claimcheck.draft.measures import EMPTY, norm

_CHANGE_VERBS = re.compile(r"^(?:increase[sd]?|rise|rises|rose|risen|rising|grew|grow(?:s|ing|n)?|gain(?:ed|s)?|fell|fall(?:s|en|ing)?|"
                           r"drop(?:ped|s)?|decline[sd]?|declining|expand(?:ed|s|ing)?|jump(?:ed|s)?|surge[sd]?|shr[ai]nk|"
                           r"shrunk|contract(?:ed|s|ing)?|edged|slowed|slump(?:ed|s)?|climb(?:ed|s)?|plunge[sd]?|"
                           r"soar(?:ed|s)?|tumble[sd]?|slid|slip(?:ped|s)?|accelerated|decelerated|dipped|add(?:ed|s)?|lost)$", re.I)
_CHANGE_NOUNS = re.compile(r"^(?:increase|rise|growth|gain|fall|drop|decline|expansion|jump|surge|contraction|"
                           r"slump|dip|decrease|reduction|cut|change)s?$", re.I)
_FORECAST_AUX = {"will", "would", "shall", "could", "may", "might", "'ll"}
_FORECAST_HEADS = re.compile(r"^(?:expect(?:s|ed)?|project(?:s|ed)?|forecasts?|forecasted|set|likely|poised|due|"
                             r"predict(?:s|ed)?|anticipate[sd]?|estimates?|see|sees|target(?:s|ed)?|aims?|plans?|"
                             r"outlook|projections?|predictions?)$", re.I)
_FORECAST_NOUNS = re.compile(r"^(?:forecasts?|projections?|outlook|predictions?|targets?|guidance)$", re.I)
_RANK_WORDS = re.compile(r"^(?:largest|biggest|highest|lowest|smallest|richest|poorest|most|place|position|spot|rank|"
                         r"ranked|top)$", re.I)
_QUALIFYING_PREPS = {"of", "per", "from", "by", "for", "on"}  # "GDP per capita", "emissions from coal", "spending on defence"
_STATIVE = {"is", "are", "was", "were", "be", "been", "has", "have", "had", "reached", "hit", "stood", "totalled",
            "totaled", "numbered", "rose", "fell", "grew", "live", "lived", "lives"}
_CLAUSE_EDGES = {"advcl", "ccomp", "conj", "relcl", "parataxis", "acl"}  # a period past these belongs to another verb
_BASE_PREPS = {"from", "than", "since", "versus", "over", "on", "with"}
_MONTHS = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                     r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|month(?:s|ly)?)\b", re.I)


@dataclass(frozen=True)
class Reading:
    """One number's place in its sentence."""

    measured: str = ""  # the noun phrase the number measures, lower case ("gross domestic product")
    partner: str = ""  # the country a measured flow goes to or comes from ("exports to Brazil")
    counted: str = ""  # the noun the number counts ("1.34 billion people"; a currency's name too)
    owner: str = ""  # its possessor, or the subject's ("Brazil")
    verb: str = ""  # the verb governing the number
    role: str = "level"  # level, change, to (the level reached), from (the base), rank
    period_words: str = ""  # the period attached to the number's own verb or noun ("in December" → "December")
    base_words: str = ""  # a period it is compared with ("a year earlier" after "from")
    elsewhere: tuple[str, ...] = ()  # the sentence's other dates, attached to other verbs
    grain: str = ""  # annual, quarterly, monthly; '' when no period is attached
    entity: str = ""  # spaCy's entity label over the number (MONEY, PERCENT, DATE, CARDINAL, ORDINAL…)
    dep: str = ""  # the dependency label of the number's head word
    future: str = ""  # the word that makes the number's verb a forecast ("will", "expects")
    how: str = ""  # how the measure was found, for the draft note


class Structure:
    """The readings of the numbers at the given spans (character offsets), from the parses of the
    sentences that hold them. The sentences are parsed in batches, in order, each batch when a reading
    of it is first asked for (in the parser's worker, while the batch before is drafted)."""

    BATCH = 24  # sentences per batch: small enough to overlap, large enough for the parser's matrices

    def __init__(self, text: str, spans: list[tuple[int, int]]):
        starts = sorted(a for a, _ in spans)
        wanted = [s for s in context.sentences(text) if _any_within(starts, s.start, s.end)]
        self.text = text
        self.offsets = [s.start for s in wanted]  # sentences are disjoint and in order: found by bisection
        self._ends = [s.end for s in wanted]
        self._readings: dict[tuple[int, int], Reading | None] = {}
        self._parsed = 0  # how many of the wanted sentences have their readings in
        if not wanted:  # no number: the parser is not even loaded
            self._pending: Iterator[list[tuple[tuple[int, int], Reading | None]]] = iter(())
            return
        held: list[list[tuple[int, int]]] = [[] for _ in wanted]
        for span in sorted(set(spans)):
            at = bisect.bisect_right(self.offsets, span[0]) - 1
            if at >= 0 and span[0] < self._ends[at]:
                held[at].append(span)
        batches = [[(s.text(text), s.start, held[i]) for i, s in enumerate(wanted[k : k + self.BATCH], k)]
                   for k in range(0, len(wanted), self.BATCH)]
        self._pending = parse.run(read_batch, batches)

    def read(self, start: int, end: int) -> Reading | None:
        """The reading of the number at ``text[start:end]``, or None when no parsed sentence holds it."""
        at = bisect.bisect_right(self.offsets, start) - 1  # the one parsed sentence that may hold it
        if at < 0 or not start < self._ends[at]:
            return None
        while self._parsed <= at:
            batch = next(self._pending)
            self._readings.update(batch)
            self._parsed = min(self._parsed + self.BATCH, len(self.offsets))
        if (start, end) not in self._readings:  # a span not given at the start: its sentence read again
            sentence = (self.text[self.offsets[at] : self._ends[at]], self.offsets[at], [(start, end)])
            self._readings.update(next(parse.run(read_batch, [[sentence]])))
        return self._readings[(start, end)]


def read_batch(batch: list[tuple[str, int, list[tuple[int, int]]]]) -> list[tuple[tuple[int, int], Reading | None]]:
    """Parse a batch of sentences (each its text, its offset in the article, the number spans in it)
    and read each number: runs where the parser is."""
    out = []
    for (_, offset, spans), doc in zip(batch, parse.nlp().pipe((s for s, _, _ in batch), batch_size=256)):
        # a Doc's entities and tokens are rebuilt on every access, so kept once
        dates = [e for e in doc.ents if e.label_ == "DATE"]
        starts, ends = [t.idx for t in doc], [t.idx + len(t) for t in doc]
        for start, end in spans:
            # the tokens overlapping the number: ending after its start, starting before its end
            first, past = bisect.bisect_right(ends, start - offset), bisect.bisect_left(starts, end - offset)
            tokens = [doc[i] for i in range(first, past)]
            out.append(((start, end), _reading(doc, tokens, dates) if tokens else None))
    return out


def _any_within(starts: list[int], low: int, high: int) -> bool:
    at = bisect.bisect_left(starts, low)
    return at < len(starts) and starts[at] < high


def _phrase(token: Any) -> str:
    """A noun with its compounds and adjectives, no determiner or possessor ("gross domestic product")."""
    words = [t for t in token.lefts if t.dep_ in {"compound", "amod", "nmod"} and t.ent_type_ not in {"GPE", "NORP"}]
    words = [w for left in words for w in left.subtree if w.dep_ not in {"det", "poss", "case", "punct"}] + [token]
    tail = ""
    for prep in (c for c in token.rights if c.dep_ == "prep" and c.lower_ in _QUALIFYING_PREPS):
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if not objects or objects[0].like_num or objects[0].ent_type_ in {"MONEY", "PERCENT", "CARDINAL", "QUANTITY", "DATE"}:
            continue
        if prep.lower_ != "of" and objects[0].ent_type_ in {"GPE", "NORP"}:
            continue  # "exports to Brazil": whose flow, read as the partner
        tail += f" {prep.lower_} " + (objects[0].text if prep.lower_ == "per" else _phrase(objects[0]))
        for also in (c for c in objects[0].children if c.dep_ == "conj"):  # "exports of goods and services"
            tail += " and " + _phrase(also)
    return (" ".join(t.text for t in sorted(words, key=lambda t: t.i)) + tail).lower().strip()


def _owner(noun: Any) -> str:
    """The possessor of a noun ("Brazil's GDP"), else a country or nationality among its modifiers."""
    for child in noun.children:
        if child.dep_ == "poss":
            return " ".join(t.text for t in child.subtree if t.dep_ != "case").strip()
    for child in noun.lefts:
        if child.ent_type_ in {"GPE", "NORP"}:
            return child.text
    return ""


def _number_root(tokens: list[Any]) -> Any:
    """The number's head word, climbed through its unit and scale ("5.2" → "%", "4.1" → "trillion" → "reais")."""
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    while root.dep_ in {"nummod", "quantmod", "compound"} and root.head.i != root.i and (
            root.head.pos_ in {"NOUN", "NUM", "SYM", "PROPN"} and root.head.ent_type_ in {"MONEY", "PERCENT", "QUANTITY", "CARDINAL", ""}):
        root = root.head
    return root


def _verb_of(token: Any) -> Any:
    node, steps = token, 0
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i and steps < 6:
        node, steps = node.head, steps + 1
    return node


def _reading(doc: Any, tokens: list[Any], dates: list[Any]) -> Reading:
    entity = next((t.ent_type_ for t in tokens if t.ent_type_), "")
    root = _number_root(tokens)
    role, measured, owner, how = "level", "", "", ""
    measured_noun = None
    if any(_RANK_WORDS.match(t.text) for t in [*tokens, *(tokens[-1].nbor(i) for i in (1, 2) if tokens[-1].i + i < len(doc))]) \
            or entity == "ORDINAL" and root.dep_ in {"xcomp", "attr", "pobj", "acomp"}:
        role = "rank"
    unit = root if root.pos_ in {"NOUN", "PROPN"} and root not in tokens and root.text != "%" else None
    node = root
    if node.dep_ == "pobj" and node.head.dep_ in {"prep", "agent", "dative"}:
        prep = node.head
        word = prep.lower_
        if role != "rank":
            role = {"to": "to", "from": "from", "by": "change"}.get(word, role)
        if prep.head.ent_type_ in {"GPE", "NORP"} and prep.head.pos_ == "PROPN":  # "…, and Türkiye at 4.5 percent"
            owner, how = prep.head.text, f"the country '{prep.head.text}' the number is '{word}'"
        if word == "of" and prep.head.pos_ in {"NOUN", "PROPN"}:
            noun = prep.head
            if _CHANGE_NOUNS.match(noun.text):
                role = "change" if role != "rank" else role
            elif noun.ent_type_ not in {"GPE"} and not set(norm(noun.text)) <= EMPTY:
                measured, owner, how = _phrase(noun), _owner(noun), f"the noun '{noun.text}' the number is 'of'"
                measured_noun = noun
        node = prep.head
    verb = _verb_of(node)
    if role == "level" and verb.pos_ in {"VERB", "AUX"} and _CHANGE_VERBS.match(verb.text):
        role = "change"
    if role == "level" and node.dep_ == "pobj" and node.head.lower_ == "at" and _CHANGE_VERBS.match(verb.text):
        role = "to"  # "fell at 2.4%" reads as the level reached
    if not measured and verb.pos_ in {"VERB", "AUX"}:
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and subject.lower_ in {"which", "that", "who"} and verb.dep_ == "relcl":
            subject = verb.head  # "exports, which surged 7 percent": the noun the clause is about
        if subject is None and verb.dep_ in {"xcomp", "conj", "advcl"}:  # "expects GDP to grow", "…and rose"
            subject = next((c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"} and c.i < verb.i), None)
        if subject is not None and subject.i not in {t.i for t in tokens} and subject.pos_ in {"NOUN", "PROPN", "PRON"}:
            if subject.ent_type_ in {"GPE", "NORP"} and subject.pos_ == "PROPN":
                owner, how = owner or subject.text, how or f"the subject '{subject.text}' of '{verb.text}'"
            elif subject.pos_ != "PRON":
                measured, owner, how = _phrase(subject), owner or _owner(subject), f"the subject of '{verb.text}'"
                measured_noun = subject
    counted = _phrase(unit) if unit is not None else ""
    if counted and root.dep_ in {"nsubj", "nsubjpass"} and verb.pos_ == "VERB" and verb.lower_ not in _STATIVE:
        counted = ""  # "719 million people were living on $2.15 a day": a group that does something, no population
    of = next((c for c in root.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    objects = [c for c in of.children if c.dep_ == "pobj"] if of is not None else []
    if objects and not measured and (root.text == "%" or root.lower_ in {"percent", "cent", "per"} or entity == "PERCENT"):
        measured, how = _phrase(objects[0]), f"what the share is 'of' ('{objects[0].text}')"  # "17.5 per cent of the world's population"
    if not owner and role == "rank" and verb.pos_ in {"VERB", "AUX"}:
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        owner = subject.text if subject is not None and subject.ent_type_ in {"GPE", "NORP"} else _owner(subject) if subject is not None else ""
    period, base = _period(doc, verb, root, tokens, dates)
    elsewhere = _elsewhere(dates, verb, root, tokens)
    partner = _partner(measured_noun) if measured_noun is not None else ""
    return Reading(dep=root.dep_, measured=measured, counted=counted, partner=partner, owner=owner, verb=verb.text if verb.pos_ in {"VERB", "AUX"} else "", role=role,
                   period_words=period, base_words=base, elsewhere=elsewhere, grain=grain_of(period), entity=entity,
                   future=_future(verb, root), how=how)


def _partner(noun: Any) -> str:
    """The country a flow goes to or comes from ("exports to Brazil", "imports from the US")."""
    for prep in noun.rights:
        if prep.dep_ == "prep" and prep.lower_ in {"to", "from", "with", "between"}:
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.ent_type_ in {"GPE", "NORP"}:
                    return " ".join(t.text for t in obj.subtree if t.dep_ not in {"det", "punct"})
    return ""


def _attached_to(token: Any, anchors: set[int]) -> tuple[bool, str]:
    """Whether ``token`` hangs from one of ``anchors`` without crossing into another clause (a participle
    of an anchor itself, "3.8 per cent recorded in 2022", is no other clause), and the preposition it
    hangs from ('' when none)."""
    node, prep, steps = token, "", 0
    while node.i not in anchors and steps < 8:
        if node.head.i == node.i or node.dep_ in _CLAUSE_EDGES and not (node.dep_ == "acl" and node.head.i in anchors):
            return False, prep
        if node.dep_ in {"prep", "pcomp"} and not prep:
            prep = node.lower_
        node, steps = node.head, steps + 1
    return node.i in anchors, prep


def _period(doc: Any, verb: Any, root: Any, tokens: list[Any], dates: list[Any]) -> tuple[str, str]:
    """The period words attached to the number's verb or noun, and a base period ("from a year earlier")."""
    own = {t.i for t in tokens}
    period = base = ""
    for anchors in ({root.i, *own}, {verb.i, root.i, *own}):  # the number's own period first, then its verb's
        for ent in dates:
            if own & {t.i for t in ent}:
                continue
            attached, prep = _attached_to(ent.root, anchors)
            if not attached:
                continue
            words = ent.text
            if prep in _BASE_PREPS or re.search(r"\b(?:compared|than|from)\s*$", doc[max(0, ent.start - 3) : ent.start].text):
                base = base or words
            else:
                period = period or words
        if period:
            break
    return period, base


def _elsewhere(dates: list[Any], verb: Any, root: Any, tokens: list[Any]) -> tuple[str, ...]:
    """The dates of the sentence attached neither to the number nor to its verb (another verb's)."""
    anchors = {verb.i, root.i, *(t.i for t in tokens)}
    return tuple(e.text for e in dates if not _attached_to(e.root, anchors)[0])


def grain_of(period_words: str) -> str:
    """The grain of a written period: monthly for a month, quarterly for a quarter, annual for a year."""
    if not period_words:
        return ""
    if re.search(r"\bquarter\b|\bq[1-4]\b", period_words, re.I):
        return "quarterly"
    if _MONTHS.search(period_words) and not re.search(r"\bmay\b", period_words) or re.search(r"\bMay\b", period_words):
        return "monthly"
    return "annual"


def _future(verb: Any, root: Any) -> str:
    """The word that makes this number's own verb (or the noun it measures) a forecast; '' when none."""
    node, steps = verb, 0
    while steps < 3:
        for child in node.children:
            if child.dep_ in {"aux", "auxpass"} and child.lower_ in _FORECAST_AUX:
                return child.text
        if node.dep_ in {"xcomp", "ccomp"} and _FORECAST_HEADS.match(node.head.text):
            return node.head.text
        if _FORECAST_HEADS.match(node.text) and node.i != root.i and node.pos_ in {"VERB", "NOUN"}:
            return node.text
        for child in node.children:  # "raised its growth forecast to 2.1%": the forecast is what the verb changes
            if child.dep_ in {"dobj", "nsubj", "nsubjpass"} and _FORECAST_NOUNS.match(child.text):
                return child.text
        if node.dep_ not in {"xcomp", "conj"} or node.head.i == node.i:
            break
        node, steps = node.head, steps + 1
    if root.dep_ == "pobj" and _FORECAST_HEADS.match(root.head.head.text):  # "a forecast of 3%"
        return root.head.head.text
    return ""
