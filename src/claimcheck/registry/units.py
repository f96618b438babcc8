"""The units a claim or a snapshot may state, and how they relate.

A unit is a base unit with an optional scale word in front: an ISO 4217 currency (``EUR``,
``billion INR``, ``crore INR``), a count of something (``people``, ``jobs``, ``count``), a mass of
CO2 or anything else (``tonnes``, ``kilotonnes``, ``megatonnes``: what was weighed stays in the
measure), a rate (``percent``, ``percentage_points``), ``index_points``, or one of the suite's
own (``rank``, ``year``…). Two units are comparable when their bases are the same (``kilotonnes``
and ``tonnes``; ``billion USD`` and ``USD``) or both are currencies (through exchange rates,
``claimcheck.judge.currency``). The currency list is ISO 4217's current codes, from pycountry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

SCALE_WORDS = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "lakh": 1e5, "crore": 1e7,  # South Asian numbering: 1 lakh = 100,000; 1 crore = 10,000,000
}  # fmt: skip

# unit -> (base unit, how many base units one of it is)
QUANTITIES = {
    "people": ("people", 1.0), "jobs": ("jobs", 1.0), "count": ("count", 1.0), "TEU": ("TEU", 1.0),
    "tonnes": ("tonnes", 1.0), "kilotonnes": ("tonnes", 1e3), "megatonnes": ("tonnes", 1e6),
    "gigatonnes": ("tonnes", 1e9), "tonnes_per_person": ("tonnes_per_person", 1.0),
    "percent": ("percent", 1.0), "percentage_points": ("percentage_points", 1.0),
    "index_points": ("index_points", 1.0), "international_dollars": ("international_dollars", 1.0),
    "years": ("years", 1.0), "year": ("year", 1.0), "date": ("date", 1.0), "decade": ("decade", 1.0),
    "rank": ("rank", 1.0), "places": ("places", 1.0), "times": ("times", 1.0),
    # rates per so many of something (what is counted, per what, stays in the measure): as per thousand
    "per_100": ("per_1000", 10.0), "per_1000": ("per_1000", 1.0), "per_100000": ("per_1000", 0.01),
    "per_million": ("per_1000", 0.001),
}  # fmt: skip

_CODE = re.compile(r"[A-Z]{3}\Z")


@dataclass(frozen=True)
class Unit:
    """A parsed unit: ``billion EUR`` is base ``EUR``, factor 1e9, a currency."""

    base: str
    factor: float = 1.0
    currency: bool = False

    def comparable(self, other: Unit) -> bool:
        return self.base == other.base or (self.currency and other.currency)


@lru_cache(maxsize=None)
def currency_codes() -> frozenset[str]:
    """The current ISO 4217 alphabetic codes (pycountry's copy of the standard)."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def is_currency(code: str) -> bool:
    return bool(_CODE.match(code or "")) and code in currency_codes()


@lru_cache(maxsize=1024)
def parse_unit(text: str | None) -> Unit | None:
    """``Unit`` for ``"EUR"``, ``"billion USD"``, ``"kilotonnes"``, ``"million people"``; None if unknown."""
    if not text:
        return None
    words = str(text).split()
    factor = 1.0
    if len(words) == 2 and words[0].lower() in SCALE_WORDS:
        factor, words = SCALE_WORDS[words[0].lower()], words[1:]
    if len(words) != 1:
        return None
    word = words[0]
    if is_currency(word):
        return Unit(word, factor, currency=True)
    if word in QUANTITIES:
        base, size = QUANTITIES[word]
        return Unit(base, factor * size)
    return None


def known_unit(text: str | None) -> bool:
    return parse_unit(text) is not None
