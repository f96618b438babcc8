"""Countries named in a piece of text, as ISO 3166 alpha-3 codes (the codes the snapshots use).

The names and their variants ("UK", "Britain", "the Netherlands", "U.S.") are country_converter's:
its table ``country_data.tsv`` holds a regular expression per country, written to recognise a whole
name. The table is read by ``reference.countries`` (not through country_converter's own converter,
see there), and each capitalised name in the text is matched against its expressions, as
``coco.convert`` does with one name.

Adjectives of nationality ("Dutch exports", "German investment") are countryinfo's: each of its
country files records the English ``demonym`` with the ISO codes. A demonym it gives to several
places ("French": France, Réunion, Mayotte…) names the one that is a UN member state in
country_converter's table, and none when two members share it ("Congolese").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from claimcheck.reference.countries import country_rows, package_dir

_RUN = re.compile(r"(?:[A-Z][\w.’']*)(?:(?:\s(?:of|the)){0,2}\s[A-Z][\w.’']*)*")


@dataclass(frozen=True)
class Place:
    code: str  # ISO3, e.g. "DEU"
    name: str  # country_converter's short name
    text: str  # as written
    start: int
    demonym: bool = False  # named by its adjective ("Dutch exports"), not by its name


@lru_cache(maxsize=1)
def _rows() -> list[dict[str, str]]:
    return [r for r in country_rows() if not r.get("obsolete")]


@lru_cache(maxsize=1)
def _table() -> list[tuple[re.Pattern, str, str]]:
    return [(re.compile(r["regex"], re.I), r["ISO3"], r["name_short"]) for r in _rows() if r["regex"]]


@lru_cache(maxsize=1)
def demonyms() -> dict[str, tuple[str, str]]:
    """English demonym -> (ISO3, short name), from countryinfo's country files."""
    members = {r["ISO3"]: r["name_short"] for r in _rows() if r.get("UNmember")}
    claimed: dict[str, set[str]] = {}
    for path in sorted((package_dir("countryinfo") / "data").glob("*.json")):
        info = json.loads(path.read_text(encoding="utf-8"))
        code = (info.get("ISO") or {}).get("alpha3")
        if code and info.get("demonym"):
            claimed.setdefault(info["demonym"].strip(), set()).add(code)
    out = {}
    for demonym, codes in claimed.items():
        sovereign = [c for c in codes if c in members] if len(codes) > 1 else list(codes)
        if len(sovereign) == 1:
            out[demonym] = (sovereign[0], members.get(sovereign[0]) or demonym)
    return out


@lru_cache(maxsize=1)
def _any_country() -> re.Pattern:
    """All the table's expressions as one: most capitalised words name no country, and one search
    says so where one search per country would take 250."""
    return re.compile("|".join(f"(?:{r['regex']})" for r in _rows() if r["regex"]), re.I)


@lru_cache(maxsize=4096)
def country_of(name: str) -> tuple[str, str] | None:
    """(ISO3, short name) of one written name, or None; like ``coco.convert(name, to='ISO3')``."""
    hits = [(code, short) for pattern, code, short in _table() if pattern.search(name)] if _any_country().search(name) else []
    if len(hits) == 1:
        return hits[0]
    return demonyms().get(name) if not hits and name[:1].isupper() else None


_WORD = re.compile(r"[\w.’']+")
_PIECE = re.compile(r"[^-\s]+")


def _candidates(run: str) -> list[tuple[int, str]]:
    """Sub-names of a capitalised run: the run, then its hyphen parts and single words."""
    words = [(m.start(), m.group()) for m in _WORD.finditer(run)]
    out = [(0, run)]
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            start = words[i][0]
            end = words[i + size - 1][0] + len(words[i + size - 1][1])
            out.append((start, run[start:end]))
    for piece in _PIECE.finditer(run):
        out.append((piece.start(), piece.group()))
    return out


_CURRENCY_AFTER = re.compile(r"[\s-]+(?:dollars?|pounds?|yen|euros?|francs?|yuan|rupees?|rubles?|roubles?|pesos?)\b", re.I)


def places_in(text: str, start: int = 0, end: int | None = None) -> list[Place]:
    """Every country named in ``text[start:end]``, in order of appearance, each once."""
    return list(_places_in(text, start, end))


_POSSESSIVE_OR_STOP = re.compile(r"[’']s$|[.’']$")
_THE = re.compile(r"^(?:The|the)\s+")


@lru_cache(maxsize=4096)  # a draft asks for the same sentence's places for each of its numbers
def _places_in(text: str, start: int, end: int | None) -> tuple[Place, ...]:
    segment = text[start:end]
    found: dict[str, Place] = {}
    taken: list[tuple[int, int]] = []
    for run in _RUN.finditer(segment):
        for offset, candidate in _candidates(run.group()):
            name = _THE.sub("", _POSSESSIVE_OR_STOP.sub("", candidate.strip()))
            at = start + run.start() + offset
            after = text[at + len(candidate) : at + len(candidate) + 12]
            if not name or any(a <= at < b for a, b in taken) or after[:1] == "$" or _CURRENCY_AFTER.match(after):
                continue  # "US$", "US dollar terms", "the X dollar" name a currency, not a country
            hit = country_of(name)
            if hit:
                taken.append((at, at + len(candidate)))
                if hit[0] not in found:
                    found[hit[0]] = Place(hit[0], hit[1], candidate, at, demonym=name in demonyms())
    return tuple(sorted(found.values(), key=lambda p: p.start))
