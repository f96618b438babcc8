"""What one number in the text says: its value in base units, its unit and the unit of its last digit.

The coverage finder (``registry.coverage.find_numbers``) locates the numbers; this module reads them.
Cardinal number words go to text2num (``five``, ``twenty-one``, ``two hundred``); ordinals, fractions
and multipliers are a closed list of English words that text2num leaves alone or misreads ("second").
quantulum3 was measured on the same texts and not used: it read "fifth" as 0.2, "third" as 1/3,
"09:20 am" as attometres and "1.41260 billion a year" as a rate, and took 15 s for the seed article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from text_to_num import text2num

SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
          "trillion": 1e12, "tn": 1e12}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY"}
_CODES = {"usd": "USD", "us$": "USD", "us $": "USD", "eur": "EUR", "cny": "CNY", "rmb": "CNY", "jpy": "JPY",
          "gbp": "GBP"}
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "yuan": "CNY",
                   "renminbi": "CNY", "yen": "JPY", "pound": "GBP", "pounds": "GBP", "real": "BRL", "reais": "BRL",
                   "rupee": "INR", "rupees": "INR", "rupiah": "IDR", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB",
                   "rubles": "RUB", "won": "KRW", "rand": "ZAR", "lira": "TRY", "naira": "NGN", "ringgit": "MYR"}
_SCALE_LETTERS = {"t": 1e12, "b": 1e9, "m": 1e6, "k": 1e3}  # written against the number: "$2.4T", "$3bn" is a word
def _counted_nouns() -> dict[str, str]:
    from claimcheck.draft.evidence import counted_nouns  # the draft's word lists, read once (data)

    return counted_nouns()


_DURATIONS = {"year": 1, "years": 1, "decade": 10, "decades": 10, "month": 1 / 12, "months": 1 / 12,
              "century": 100, "centuries": 100}
ORDINALS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_FRACTIONS = {"half": 50.0, "quarter": 25.0, "third": 100 / 3, "fifth": 20.0, "tenth": 10.0}
_MULTIPLIERS = {"twice": 2.0, "double": 2.0, "triple": 3.0, "dozen": 12.0, "dozens": 12.0}
_RANK_WORDS = r"(?:largest|biggest|highest|lowest|smallest|richest|poorest|most|place|position|spot|rank|ranked)"


def _per_person() -> re.Pattern:
    """Tonnes per person after a number ("7.5 tonnes of CO2 per capita"): ``per_person`` of draft_words.yaml
    says what the tonnes may be of and the words that make them a figure per person."""
    from claimcheck.draft.evidence import prose_words

    words = prose_words()["per_person"]
    return _per_person_of(tuple(words["of"]), tuple(words["per"]))


@lru_cache(maxsize=4)
def _per_person_of(of: tuple[str, ...], per: tuple[str, ...]) -> re.Pattern:
    def either(phrases: tuple[str, ...]) -> str:  # the longest first: "carbon dioxide" before "carbon"
        return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))

    what = rf"(?:of\s+(?:{either(of)})\s+)?" if of else ""
    return re.compile(rf"\s*(?:metric\s+)?(?:tonnes?|tons?)\s+{what}(?:{either(per) or '(?!)'})\b", re.I)


_NUMBER = re.compile(r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)")
_ORDINAL_NUMERAL = re.compile(r"^(?P<n>\d+)(?:st|nd|rd|th)$", re.I)
_AFTER = re.compile(r"^\s*(?:-\s*)?(?P<word>[A-Za-z$€]+(?:[- ][A-Za-z]+)?)")


@dataclass(frozen=True)
class Quantity:
    """One number of the text, read."""

    text: str  # the mention as the finder found it
    start: int
    end: int
    shape: str  # number, percent, money, year, decade, ordinal, duration, fraction, none
    value: float | str | None = None  # base units; a year or decade as text
    unit: str | None = None  # USD, percent, people, years, rank, date, decade, count, ...
    precision: float | None = None  # the unit of the last written digit, in base units
    read_as: str = ""  # how the value was read, for the draft note


def _digits_precision(number: str, scale: float) -> float:
    decimals = len(number.split(".")[1]) if "." in number else 0
    return float(Decimal(1).scaleb(-decimals) * Decimal(str(scale)))


def _words_after(text: str, end: int, n: int = 3) -> list[str]:
    return re.findall(r"[A-Za-z$€%]+", text[end : end + 40])[:n]


def _currency_before(text: str, start: int) -> str | None:
    before = text[max(0, start - 5) : start].lower()
    for code, unit in sorted(_CODES.items(), key=lambda kv: -len(kv[0])):
        if before.rstrip().endswith(code):
            return unit
    return None


def read_quantity(text: str, start: int, end: int) -> Quantity:
    """Read the mention ``text[start:end]`` with the words around it."""
    mention = text[start:end].strip()
    lower = mention.lower()
    after = [w.lower() for w in _words_after(text, end)]
    base = dict(text=mention, start=start, end=end)

    if re.fullmatch(r"\d{1,2}:\d\d", mention):
        return Quantity(**base, shape="none", read_as="a clock time")
    if re.fullmatch(r"\d{3}0s", mention):
        return Quantity(**base, shape="decade", value=mention, unit="decade", read_as=f"the decade {mention}")
    ordinal = _ORDINAL_NUMERAL.match(mention)
    if ordinal:
        return _ordinal(base, int(ordinal["n"]), after, mention)
    first = lower.split()[0].split("-")[0]
    if first in _FRACTIONS and re.search(r"\b(?:a|one)\s+$", text[max(0, start - 5) : start].lower()) and after[:1] == ["of"]:
        share = _FRACTIONS[first]  # "a fifth of", "a third of": a share, not a rank
        return Quantity(**base, shape="fraction", value=share, unit="percent", read_as=f"a {first} = {share:g} per cent")
    if first in ORDINALS:
        return _ordinal(base, ORDINALS[first], lower.split()[1:] + after, mention)
    number = _NUMBER.search(mention)
    if number is None:
        return _word(base, lower, after, text)
    digits = number["num"].replace(",", "")
    rest = mention[number.end() :].strip().lower().replace(" ", "")
    if re.fullmatch(r"\d{4}", digits) and 1800 <= int(digits) <= 2100 and not rest and not _currency(mention, text, start, after):
        return Quantity(**base, shape="year", value=digits, unit="date", read_as=f"the year {digits}")
    scale_word = next((w for w in (rest, *after[:1]) if w in SCALES), None)
    scale = SCALES[scale_word] if scale_word and (scale_word == rest or rest == "") else 1.0
    if scale_word and scale_word != rest:  # the scale word follows the mention ("850 thousand")
        after = after[1:]
    letter = re.match(r"([TtBbMmKk])(?![A-Za-z])", text[end : end + 2])
    if not rest and scale == 1.0 and letter:  # "$2.4T": the letter is the scale, written against the number
        scale, after = _SCALE_LETTERS[letter.group(1).lower()], after[1:]
    value = float(Decimal(digits) * Decimal(str(scale)))
    precision = _digits_precision(digits, scale)
    shown = f"{digits}{' × ' + format(scale, 'g') if scale != 1 else ''}"
    if rest.endswith("%") or rest.endswith("percent") or rest.endswith("percent") or after[:2] in (["per", "cent"],) or (after[:1] == ["percent"]):
        if after[:2] == ["percentage", "points"] or after[:2] == ["percentage", "point"]:
            return Quantity(**base, shape="percent", value=value, unit="percentage_points", precision=precision, read_as=f"{digits} percentage points")
        return Quantity(**base, shape="percent", value=value, unit="percent", precision=precision, read_as=f"{digits} per cent")
    if after[:2] in (["percentage", "points"], ["percentage", "point"]):
        return Quantity(**base, shape="percent", value=value, unit="percentage_points", precision=precision, read_as=f"{digits} percentage points")
    currency = _currency(mention, text, start, after)
    if currency:
        return Quantity(**base, shape="money", value=value, unit=currency, precision=precision, read_as=f"{currency} {shown}")
    noun = next((nouns[w] for w in after[:2] if w in (nouns := _counted_nouns())), None)
    if noun == "tonnes" and _per_person().match(text, end):
        noun = "tonnes_per_person"
    if noun:
        return Quantity(**base, shape="number", value=value, unit=noun, precision=precision, read_as=f"{shown} {noun}")
    if after and after[0] in _DURATIONS:
        years = value * _DURATIONS[after[0]]
        return Quantity(**base, shape="duration", value=years, unit="years", precision=precision * _DURATIONS[after[0]],
                        read_as=f"{shown} {after[0]} = {years:g} years")
    return Quantity(**base, shape="number", value=value, unit="count", precision=precision, read_as=f"{shown}, no unit written")


def _currency(mention: str, text: str, start: int, after: list[str]) -> str | None:
    for symbol, unit in _SYMBOLS.items():
        if symbol in mention:
            return "USD" if symbol == "$" and text[max(0, start - 2) : start].upper() == "US" else unit
    coded = _currency_before(text, start)
    if coded:
        return coded
    return next((_CURRENCY_WORDS[w] for w in after[:2] if w in _CURRENCY_WORDS), None)


def _ordinal(base: dict, n: int, following: list[str], mention: str) -> Quantity:
    joined = " ".join(following[:2])
    if re.search(_RANK_WORDS, joined) or "-" in mention and re.search(_RANK_WORDS, mention.lower()):
        return Quantity(**base, shape="ordinal", value=float(n), unit="rank", precision=1.0, read_as=f"rank {n}")
    return Quantity(**base, shape="ordinal", value=float(n), unit="rank", precision=1.0, read_as=f"ordinal {n}, not a rank word after it")


def _word(base: dict, lower: str, after: list[str], text: str) -> Quantity:
    words = re.split(r"[\s-]+", lower)
    head, tail = words[0], words[1:]
    half = re.match(r"\s+and\s+a\s+half\b", text[base["end"] :]) if not tail else None
    if half:  # "two and a half years": one number, the finder's "half years" lies inside it
        end = base["end"] + half.end()
        base, lower, after = {**base, "end": end, "text": text[base["start"] : end]}, f"{lower} and a half", [
            w.lower() for w in _words_after(text, end)]
    if head in _FRACTIONS and not tail and not (after[:1] == ["of"] or re.search(r"\bby\s+(?:a|one)\s+$", text[max(0, base["start"] - 8) : base["start"]], re.I)):
        return Quantity(**base, shape="none", read_as=f"'{head}' with no 'of' after it is a period or a part, no share")
    if head in _FRACTIONS and not tail:
        return Quantity(**base, shape="fraction", value=_FRACTIONS[head], unit="percent", read_as=f"a {head} = {_FRACTIONS[head]:g} per cent")
    if head in _MULTIPLIERS:
        return Quantity(**base, shape="number", value=_MULTIPLIERS[head], unit="count", read_as=f"{head} = {_MULTIPLIERS[head]:g}")
    try:
        value = float(text2num(head, "en")) + (0.5 if half else 0.0)
    except ValueError:
        return Quantity(**base, shape="none", read_as=f"{lower!r} is not a number")
    unit_word = tail[0] if tail else (after[0] if after else "")
    if unit_word in _DURATIONS:
        years = value * _DURATIONS[unit_word]
        return Quantity(**base, shape="duration", value=years, unit="years", precision=_DURATIONS[unit_word],
                        read_as=f"{lower} {unit_word} = {years:g} years")
    if unit_word in SCALES:
        value *= SCALES[unit_word]
    if after[:2] == ["per", "cent"] or after[:1] == ["percent"] or tail[:2] == ["per", "cent"] or tail[:1] == ["percent"]:
        return Quantity(**base, shape="percent", value=value, unit="percent", read_as=f"{lower} per cent")
    noun = next((nouns[w] for w in after[:2] if w in (nouns := _counted_nouns())), None)
    return Quantity(**base, shape="number", value=value, unit=noun or "count", precision=None, read_as=f"{lower} = {value:g}")
