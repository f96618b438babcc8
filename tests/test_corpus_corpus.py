"""The held-out corpus for `claimcheck draft` (tests/corpus/{dev,sealed}/<id>/): every text's reviewed
claims validate against its text, cover every number, and its key gives each claim one known verdict.

The evidence may name snapshots the catalogue does not hold yet, so expected.yaml is validated
without the catalogue cross-check (as `load_claims` does)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from claimcheck.registry.articles import Metadata
from claimcheck.registry.claims import load_claims
from claimcheck.registry.coverage import find_numbers

CORPUS = Path(__file__).parent / "corpus"
HALVES = ("dev", "sealed")
# the verdicts a careful checker may give; `error` is a failure of the tool, never a reviewed verdict
VERDICTS = {"supported", "imprecise", "misleading", "contradicted", "unverifiable", "not-held", "not-checkable"}
FILES = ("article.txt", "metadata.yaml", "expected.yaml", "key.yaml")
METADATA = ("title", "author", "publication", "url", "date", "language")
FOLDER_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-(\d{4}-\d{2}-\d{2})$")

FOLDERS = sorted(d for half in HALVES if (CORPUS / half).is_dir() for d in (CORPUS / half).iterdir() if d.is_dir())


def _load(folder: Path):
    text = (folder / "article.txt").read_text(encoding="utf-8")
    claims, not_claims = load_claims(folder / "expected.yaml", text, folder.name)
    key = yaml.safe_load((folder / "key.yaml").read_text(encoding="utf-8"))
    return text, claims, not_claims, key


def test_the_corpus_has_both_halves_and_no_text_in_both():
    names = {half: {d.name for d in (CORPUS / half).iterdir() if d.is_dir()} for half in HALVES}
    assert names["dev"] and names["sealed"]
    assert not names["dev"] & names["sealed"]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda d: f"{d.parent.name}/{d.name}")
def test_a_text_folder_is_complete_and_named_by_its_date(folder):
    missing = [f for f in FILES if not (folder / f).is_file()]
    assert not missing, f"{folder}: missing {missing}"
    match = FOLDER_NAME.match(folder.name)
    assert match, f"{folder.name}: not lower-case-hyphen ending in its date"
    metadata = yaml.safe_load((folder / "metadata.yaml").read_text(encoding="utf-8"))
    assert set(METADATA) <= set(metadata), f"{folder}/metadata.yaml lacks {set(METADATA) - set(metadata)}"
    assert str(Metadata.model_validate(metadata).date) == match.group(1)  # loads as an article's metadata does


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda d: f"{d.parent.name}/{d.name}")
def test_reviewed_claims_validate_and_cover_every_number(folder):
    text, claims, not_claims, _ = _load(folder)  # quotes verbatim, ids unique, fields valid
    assert claims
    spans = []
    for needle in [c.quote for c in claims] + [n.text for n in not_claims]:
        at = text.find(needle)
        while at >= 0:
            spans.append((at, at + len(needle)))
            at = text.find(needle, at + 1)
    uncovered = [m.text for m in find_numbers(text) if not any(s <= m.start and m.end <= e for s, e in spans)]
    assert not uncovered, f"{folder.name}: numbers neither a claim nor a not-claim: {uncovered}"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda d: f"{d.parent.name}/{d.name}")
def test_the_key_gives_every_claim_one_known_verdict(folder):
    _, claims, _, key = _load(folder)
    ids = {c.id for c in claims}
    keyed = key["claims"]
    assert set(keyed) <= ids, f"{folder.name}: key ids not in expected.yaml: {set(keyed) - ids}"
    assert ids <= set(keyed), f"{folder.name}: claims without a key: {ids - set(keyed)}"
    for claim_id, entry in keyed.items():
        assert entry["verdict"] in VERDICTS, f"{folder.name}: {claim_id}: verdict {entry['verdict']!r}"
        also = entry.get("also_right") or []
        assert set(also) <= VERDICTS and entry["verdict"] not in also, f"{folder.name}: {claim_id}: also_right {also}"
        assert str(entry.get("why") or "").strip(), f"{folder.name}: {claim_id}: no why"
