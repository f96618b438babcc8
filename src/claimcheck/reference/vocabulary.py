"""What a measure is and how prose names it, read from ``data/reference/catalogue/vocabulary/``.

``describe(title, code)`` applies ``measures.yaml``'s rules to a publisher's title: unit, shape,
agreement band, grain. ``names_for(title, key)`` are the names a title gives, plus the names
``synonyms.yaml`` adds for that entry. ``terms(text)`` are the words a search compares, each spelling
``synonyms.yaml`` lists read as one. The code knows no measure: the rules and names are data.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from claimcheck import paths
from claimcheck.registry.yamltext import load_yaml, yaml_error_line

VOCABULARY_FOLDER = "catalogue/vocabulary"
STOPWORDS = frozenset("a an and as at by for from in into of on or the to with its their than".split())


class VocabularyError(ValueError):
    """A vocabulary file that does not load; one line naming the file and the field."""


def vocabulary_dir() -> Path:
    return paths.reference_dir() / VOCABULARY_FOLDER


def _read(name: str) -> dict[str, Any]:
    path = vocabulary_dir() / name
    if not path.is_file():
        return {}
    try:
        body = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise VocabularyError(f"{path}: not valid YAML ({yaml_error_line(exc)})") from None
    if not isinstance(body, dict):
        raise VocabularyError(f"{path}: expected a mapping")
    return body


@lru_cache(maxsize=4)
def _rules(folder: str) -> list[dict[str, Any]]:
    rules = _read("measures.yaml").get("rules") or []
    for n, rule in enumerate(rules, 1):
        for key in ("title", "code"):
            if key in rule:
                try:
                    rule[f"_{key}"] = re.compile(str(rule[key]), re.I)
                except re.error as exc:
                    raise VocabularyError(f"{vocabulary_dir() / 'measures.yaml'}: rule {n}, field {key}: {exc}") from None
    return rules


@lru_cache(maxsize=4)
def _synonyms(folder: str) -> tuple[tuple[tuple[str, str], ...], dict[str, tuple[str, ...]]]:
    body = _read("synonyms.yaml")
    words = body.get("words") or {}
    # longest phrases first, so "per person" is read before "person"
    ordered = tuple(sorted(((str(k).lower(), str(v).lower()) for k, v in words.items()), key=lambda kv: -len(kv[0])))
    names = {str(k): tuple(str(n) for n in v) for k, v in (body.get("names") or {}).items()}
    return ordered, names


def describe(title: str, code: str = "") -> dict[str, Any]:
    """``{unit, shape, grain, band}`` of a series from its title (and code), by the first matching rule."""
    from claimcheck.registry.claims import check_band

    for rule in _rules(str(vocabulary_dir())):
        if "_title" in rule and not rule["_title"].search(title):
            continue
        if "_code" in rule and not rule["_code"].search(code or ""):
            continue
        unit = rule.get("unit") or _bracket_unit(title)
        out = {"unit": unit, "shape": rule.get("shape", "level"), "grain": rule.get("grain", "annual")}
        band = rule.get("band")
        if band:
            try:
                check_band(band)
                out["band"] = band
            except ValueError:
                pass  # a band the band table does not know yet: left out, named again on the next generation
        return out
    return {"unit": _bracket_unit(title), "shape": "level", "grain": "annual"}


def unit_of(text: str) -> str:
    """A publisher's unit written out ("million tonnes") as the suite's (``megatonnes``), by
    ``measures.yaml``'s ``units``; a unit it does not list, in lower case with underscores."""
    units = {str(k).lower(): str(v) for k, v in (_read("measures.yaml").get("units") or {}).items()}
    text = " ".join(str(text).split())
    return units.get(text.lower()) or re.sub(r"[^a-z0-9%]+", "_", text.lower()).strip("_") or "count"


def _bracket_unit(title: str) -> str:
    brackets = re.findall(r"\(([^()]*)\)", title)
    text = brackets[-1] if brackets else "count"
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "count"


def plain_title(title: str) -> str:
    """The title without its brackets: what the series measures, in the publisher's words."""
    return " ".join(re.sub(r"\([^()]*\)", " ", title).split()).strip(" ,")


def names_for(title: str, key: str) -> list[str]:
    """The names of a measure: its plain title, the part before a comma, and the extra names
    ``synonyms.yaml`` gives for ``key`` (an indicator code, ``source/snapshot`` or ``source/snapshot/measure``)."""
    plain = plain_title(title)
    found = [plain.lower(), plain.split(",")[0].strip().lower()]
    found += [n for n in _synonyms(str(vocabulary_dir()))[1].get(key, ())]
    seen, out = set(), []
    for name in found:
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def terms(text: str) -> list[str]:
    """The words of ``text`` a search compares: lower case, synonyms.yaml's spellings read as one,
    stop words left out, a plural read as its singular."""
    text = f" {' '.join(re.findall(r'[a-z0-9$%]+(?:[-.][a-z0-9]+)*', str(text).lower().replace('’', chr(39))))} "
    for phrase, same in _synonyms(str(vocabulary_dir()))[0]:
        text = text.replace(f" {phrase} ", f" {same} ")
    return [_singular(w) for w in text.split() if w not in STOPWORDS]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
