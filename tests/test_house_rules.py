"""No string constant in src/ names a particular measure, snapshot or country: the world is described in
data/ (the catalogue's entries and their ``names:``, draft_words.yaml, country_converter's table), and the
code reads it from there. Docstrings and comments may name examples; string constants may not."""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from claimcheck.draft.measures import norm
from claimcheck.reference import catalogue
from claimcheck.reference.countries import country_rows
from claimcheck.registry.units import QUANTITIES

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "claimcheck"
#: draft_words.yaml's lists of measure words (the others are units, notebook names and neutral words)
MEASURE_LISTS = ("synonyms", "expands", "other_measure", "holdings", "people_measures")
#: synonyms of draft_words.yaml whose value is no measure though a catalogue name holds the word
#: ("population in the largest city"): a rank's word; a change's word is a catalogue shape (growth)
GRAMMAR = {"largest"}

#: The few places a constant may hold such a word: file under src/claimcheck -> (the words, why).
ALLOWED: dict[str, tuple[set[str], str]] = {
    # a source adapter speaks its API's protocol: its code lists and its own title
    "reference/sources/comtrade.py": ({"export", "import", "trade"},
                                      "Comtrade's flowCode list (X exports, M imports, RX re-exports…) and its title"),
    "reference/sources/eurostat.py": ({"export", "import", "trade"}, "Comext's FLOW codes (1 imports, 2 exports) and its title"),
    "reference/sources/imf.py": ({"export", "import", "trade", "balance"},
                                 "IMTS/DOTS indicator codes (XG_FOB_USD, TBG_USD…) and the database's title"),
    "reference/sources/worldbank.py": ({"economy"}, "the Indicators API's title: rows are by economy"),
    "reference/sources/_iso.py": ({"GRC", "GBR", "XKX"}, "agencies' codes outside ISO 3166 (EL, UK, XK) mapped to ISO3"),
    # help that shows a command's syntax by example
    "cli.py": ({"population", "government debt", "debt", "USA", "economy", "output"},
               "examples of `catalog add` and `sources --search` syntax (an indicator, a phrase, an IMF series key); "
               "'economies' counts the rows of a World Bank snapshot; 'output' is the command's output"),
    "reference/search.py": ({"economy"}, "`sources --search` counts a World Bank snapshot's rows as economies"),
    # the word in its other sense
    "batch/runner.py": ({"output"}, "a run's outputs and the notebooks' output_dir parameter"),
    "show/notebook.py": ({"output"}, "the notebooks' output_dir parameter"),
    "publish/site.py": ({"import"}, "CSS @import, refused in a published page"),
    "judge/currency.py": ({"exchange rate"}, "converting currencies is the module's task: its messages say which rate "
                                             "was used; which entries hold the rates is the catalogue's converts_currency"),
}


def _documentation(tree: ast.AST) -> set[int]:
    """The ids of string constants that are documentation: any string standing alone as a statement
    (a module's, class's or function's docstring, or an attribute's)."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


def constants(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module that is not documentation, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docs = _documentation(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs]


@lru_cache(maxsize=1)
def measure_names() -> frozenset[tuple[str, ...]]:
    """Every phrase the catalogue and draft_words.yaml name a measure by, as normalised words."""
    phrases: set[str] = set()
    for entry in catalogue.load_catalogue().entries():
        phrases.update(entry.names)
        for measure in (entry.measures or {}).values():
            phrases.update(measure.get("names") or ())
    named = {w for p in phrases for w in norm(p)} - set(catalogue.SHAPES)
    for key in MEASURE_LISTS:
        listed = draft_words()[key]
        items = listed.items() if isinstance(listed, dict) else [(w, None) for w in listed]
        for k, v in items:
            values = [str(x) for x in (v if isinstance(v, list) else [v] if v is not None else [])]
            if key == "synonyms" and (not set(norm(values[0])) & named or values[0] in GRAMMAR):
                continue  # a word of the drafting's grammar ("biggest" read as "largest", "contraction" as growth)
            phrases.update([str(k), *values])
    units = {w for u in QUANTITIES for w in norm(u)}
    return frozenset(n for n in map(norm, phrases) if n and not set(n) <= units | set(catalogue.SHAPES))


@lru_cache(maxsize=1)
def draft_words() -> dict:
    return yaml.safe_load((ROOT / "data" / "reference" / "draft_words.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def snapshot_names() -> frozenset[str]:
    """Every catalogue entry's name, and its source/name pair."""
    entries = catalogue.load_catalogue().entries()
    return frozenset({e.name for e in entries} | {f"{e.source}/{e.name}" for e in entries})


@lru_cache(maxsize=1)
def articles_and_documents() -> frozenset[str]:
    """Every article's id and its claims' ids, every document's id and the measures its facts name."""
    names = set()
    for folder in (p for p in (ROOT / "data" / "articles").iterdir() if p.is_dir()):
        names.add(folder.name)
        claims = folder / "claims.yaml"
        body = yaml.safe_load(claims.read_text(encoding="utf-8")) if claims.is_file() else None
        listed = body.get("claims", []) if isinstance(body, dict) else body or []
        names.update(str(c["id"]) for c in listed if isinstance(c, dict) and c.get("id"))
    for doc in yaml.safe_load((ROOT / "data" / "reference" / "documents" / "documents.yaml").read_text(encoding="utf-8")):
        names.add(str(doc["id"]))
        names.update(str(f["measure"]) for f in doc.get("facts") or [] if f.get("measure"))
    return frozenset(names)


@lru_cache(maxsize=1)
def countries() -> tuple[frozenset[str], frozenset[str]]:
    """ISO3 codes and short names of every country in country_converter's table."""
    rows = country_rows()
    return frozenset(r["ISO3"] for r in rows if r["ISO3"]), frozenset(r["name_short"] for r in rows if r["name_short"])


@lru_cache(maxsize=1)
def _names_by_first_word() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for name in measure_names():
        index.setdefault(name[0], []).append(name)
    return index


@lru_cache(maxsize=1)
def _country_patterns() -> list[tuple[str, re.Pattern]]:
    return [(n, re.compile(rf"(?<!\w){re.escape(n)}(?!\w)")) for n in countries()[1]]


def violations(text: str) -> list[str]:
    """What a string constant names: measure names, snapshot names, articles, claims and documents, ISO3
    codes, country names."""
    found = []
    words = norm(text)
    found += [" ".join(n) for i, w in enumerate(words) for n in _names_by_first_word().get(w, ()) if words[i : i + len(n)] == n]
    tokens = set(re.findall(r"[A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)?", text)) | set(re.findall(r"[A-Za-z0-9_]+", text))
    found += sorted(tokens & snapshot_names())
    found += sorted(set(re.findall(r"[A-Za-z0-9_-]+", text)) & articles_and_documents())
    found += sorted(set(re.findall(r"\b[A-Z]{3}\b", text)) & countries()[0])
    found += sorted(n for n, pattern in _country_patterns() if pattern.search(text))
    return sorted(set(found))


def scan() -> list[str]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        for line, text in constants(path):
            if text in draft_words():
                continue  # a field of draft_words.yaml, read by its name
            for word in violations(text):
                if word not in ALLOWED.get(rel, (set(), ""))[0]:
                    out.append(f"src/claimcheck/{rel}:{line}: {text!r} names {word!r}")
    return out


def test_no_string_constant_in_src_names_a_measure_snapshot_or_country():
    found = scan()
    assert not found, f"{len(found)} string constants in src/ name what data/ describes:\n" + "\n".join(found)


def test_every_allowed_word_is_still_found_where_it_is_allowed():
    found: dict[str, set[str]] = {}
    for rel in ALLOWED:
        for _, text in constants(SRC / rel):
            found.setdefault(rel, set()).update(violations(text))
    stale = {rel: words - found.get(rel, set()) for rel, (words, _) in ALLOWED.items() if words - found.get(rel, set())}
    assert not stale, f"allowed words no longer in their files (drop them from ALLOWED): {stale}"


@pytest.mark.parametrize("text, word", [
    ("gross domestic product", "gross domestic product"),  # a catalogue name
    ("Brazil's exports", "Brazil"),  # a country's name, and a measure's
    ("(?:co2|carbon)", "co2"),  # inside an expression
    ("gdp_growth", "gdp_growth"),  # a snapshot
    ("worldbank/population", "worldbank/population"),  # a source and its snapshot
    ("entity == 'DEU'", "DEU"),  # an ISO3 code
    ("china-belgium-ties-2023-02-26", "china-belgium-ties-2023-02-26"),  # an article
])
def test_the_scan_finds_what_data_describe(text, word):
    assert word in violations(text)


def test_the_scan_leaves_docstrings_and_plain_words_alone(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""GDP of Brazil."""\n\ndef f():\n    """exports"""\n    return "the figure for the period"\n',
                      encoding="utf-8")
    assert constants(module) == [(5, "the figure for the period")] and not violations("the figure for the period")
