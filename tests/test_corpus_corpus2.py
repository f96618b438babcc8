"""The held-out corpus (tests/corpus/dev and tests/corpus/sealed): every text's reviewed claims validate
against its text and cover every number in it, and its key gives each claim a verdict from the fixed list."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from claimcheck.registry.articles import Metadata
from claimcheck.registry.claims import load_claims
from claimcheck.registry.coverage import find_uncovered

CORPUS = Path(__file__).parent / "corpus"
HALVES = ("dev", "sealed")
VERDICTS = {"supported", "imprecise", "misleading", "contradicted", "unverifiable", "not-held", "not-checkable", "error"}
FOLDERS = sorted(p for half in HALVES for p in (CORPUS / half).glob("*/") if p.is_dir())
README = CORPUS / "README.corpus2.md"  # this branch's rows; other branches list theirs in their own file


def _rows(readme: Path) -> list[tuple[str, str]]:
    """(folder, half) of each table row of a corpus README."""
    rows = []
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`"):
            rows.append((cells[0].strip("`"), cells[3]))
    return rows


OWN = {folder for folder, _ in _rows(README)}


def _ids(folder: Path) -> list[str]:
    claims, _ = load_claims(folder / "expected.yaml", (folder / "article.txt").read_text(encoding="utf-8"), folder.name)
    return [c.id for c in claims]


def test_the_corpus_is_not_empty_and_no_text_is_in_both_halves():
    assert FOLDERS, "no texts under tests/corpus/dev or tests/corpus/sealed"
    names = [p.name for p in FOLDERS]
    assert len(names) == len(set(names)), "a text is in both halves"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_reviewed_claims_validate_and_cover_every_number(folder: Path):
    text = (folder / "article.txt").read_text(encoding="utf-8")
    claims, not_claims = load_claims(folder / "expected.yaml", text, folder.name)  # quotes verbatim, ids unique
    assert claims
    uncovered = find_uncovered(SimpleNamespace(text=text, claims=claims, not_claims=not_claims))
    assert [m.text for m in uncovered] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_metadata_validates_and_its_date_is_the_folder_date(folder: Path):
    meta = Metadata.model_validate(yaml.safe_load((folder / "metadata.yaml").read_text(encoding="utf-8")))
    assert folder.name.endswith(meta.date.isoformat())
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", folder.name)
    words = len((folder / "article.txt").read_text(encoding="utf-8").split())
    assert 150 <= words <= 900, f"{words} words"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_key_gives_every_claim_a_verdict_from_the_fixed_list(folder: Path):
    key = yaml.safe_load((folder / "key.yaml").read_text(encoding="utf-8"))
    keyed = key["claims"]
    ids = _ids(folder)
    assert keyed and set(keyed) <= set(ids), f"keyed ids not in expected.yaml: {sorted(set(keyed) - set(ids))}"
    if folder.name in OWN:  # this branch keys every claim of its texts
        assert sorted(keyed) == sorted(ids)
    for claim_id, entry in keyed.items():
        assert entry["verdict"] in VERDICTS, f"{claim_id}: {entry['verdict']}"
        also = entry.get("also_right") or []
        assert set(also) <= VERDICTS and entry["verdict"] not in also, f"{claim_id}: also_right {also}"
        assert str(entry.get("why") or "").strip(), f"{claim_id}: no why"


def test_this_branchs_texts_are_listed_and_split_by_id_order():
    rows = _rows(README)
    assert len(rows) >= 20
    for folder, half in rows:
        assert (CORPUS / half / folder / "article.txt").is_file(), f"{half}/{folder} is listed but missing"
    ordered = sorted(rows)
    assert [half for _, half in ordered] == ["dev" if i % 2 == 0 else "sealed" for i in range(len(ordered))]
