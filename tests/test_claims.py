"""The registry validates, and every kind of mistake in it is reported with file, claim and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claimcheck.registry.articles import load_article
from claimcheck.registry.claims import ClaimsError, Kind, load_claims

SEED = "china-belgium-ties-2023-02-26"
TEXT = "Trade exceeded $28.7 billion in 2022, up 14.3 per cent."


def good_claim(**changes):
    claim = {
        "id": "trade-2022",
        "quote": "Trade exceeded $28.7 billion in 2022",
        "kind": "amount",
        "statement": "Trade exceeded US$28.7 billion in 2022.",
        "claimed": {"value": 28.7e9, "unit": "USD", "comparator": "exceeds", "period": "2022"},
        "evidence": [{"kind": "document", "document": "some-doc", "measures": ["bilateral_trade"]}],
    }
    claim.update(changes)
    return claim


def write_registry(tmp_path: Path, claims: list[dict], **extra) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump({"article": "a", "claims": claims, **extra}, allow_unicode=True))
    return path


def problems_of(tmp_path: Path, claims: list[dict], **extra) -> list[str]:
    with pytest.raises(ClaimsError) as caught:
        load_claims(write_registry(tmp_path, claims, **extra), TEXT)
    return caught.value.problems


def test_the_seed_registry_validates_with_every_claim_quoted_verbatim():
    article = load_article(SEED)
    assert len(article.claims) >= 20
    for claim in article.claims:
        assert claim.quote in article.text


def test_the_seed_registry_covers_more_than_plain_amounts():
    kinds = {c.kind for c in load_article(SEED).claims}
    assert {Kind.amount, Kind.change, Kind.share, Kind.rank, Kind.date, Kind.duration, Kind.forecast,
            Kind.characterisation, Kind.opinion} <= kinds


def test_uncheckable_claims_carry_their_reason():
    for claim in load_article(SEED).claims:
        if not claim.checkable:
            assert claim.reason


def test_a_good_registry_loads(tmp_path):
    claims, not_claims = load_claims(write_registry(tmp_path, [good_claim()]), TEXT)
    assert [c.id for c in claims] == ["trade-2022"]
    assert not_claims == []


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
        ({"quote": "Trade fell"}, "quote", "not found verbatim"),
        ({"kind": "prophecy"}, "kind", "Input should be"),
        ({"claimed": {"value": 1, "unit": "USD", "comparator": "roughly"}}, "claimed.comparator", "Input should be"),
        ({"claimed": {"value": 1, "unit": "USD", "comparator": "exceeds", "period": "2022-13"}}, "claimed.period", "month 13"),
        ({"claimed": {"value": 1, "unit": "USD", "comparator": "exceeds", "period": "last year"}}, "claimed.period", "cannot read period"),
        ({"claimed": {"value": "lots", "unit": "USD", "comparator": "exceeds"}}, "claimed", "not a number"),
        ({"claimed": {"value": "19x1", "unit": "date", "comparator": "before"}}, "claimed", "cannot read period"),
        ({"claimed": {"value": 1, "unit": "florins", "comparator": "exceeds"}}, "claimed.unit", "unknown unit"),
        ({"evidence": [{"kind": "dataset", "source": "x", "snapshot": "y", "compute": {"op": "magic"}}]},
         "evidence.0.compute.op", "unknown op"),
    ],
)
def test_each_mistake_names_the_file_the_claim_and_the_field(tmp_path, change, field, words):
    problems = problems_of(tmp_path, [good_claim(**change)])
    assert len(problems) == 1, problems
    assert str(tmp_path / "claims.yaml") in problems[0]
    assert "claim 'trade-2022'" in problems[0]
    assert f"field '{field}'" in problems[0]
    assert words in problems[0]


def test_a_missing_field_is_named(tmp_path):
    claim = good_claim()
    del claim["statement"]
    (problem,) = problems_of(tmp_path, [claim])
    assert "claim 'trade-2022': field 'statement': Field required" in problem


def test_a_duplicate_id_is_reported(tmp_path):
    (problem,) = problems_of(tmp_path, [good_claim(), good_claim()])
    assert "claim 'trade-2022': field 'id': duplicate id" in problem


def test_a_claim_without_an_id_is_located_by_position(tmp_path):
    claim = good_claim()
    del claim["id"]
    (problem,) = problems_of(tmp_path, [claim])
    assert "claim #1 (no id): field 'id': Field required" in problem


def test_all_problems_are_reported_together(tmp_path):
    problems = problems_of(tmp_path, [good_claim(kind="prophecy"), good_claim(id="other", quote="absent")])
    assert len(problems) == 2


def test_a_forecast_without_a_reason_is_refused(tmp_path):
    (problem,) = problems_of(tmp_path, [good_claim(kind="forecast", evidence=[])])
    assert "needs a 'reason'" in problem


def test_a_not_claim_must_occur_in_the_text(tmp_path):
    (problem,) = problems_of(tmp_path, [good_claim()], not_claims=[{"text": "1999", "reason": "x"}])
    assert "not_claims #1 '1999': field 'text'" in problem


def test_unreadable_yaml_names_the_file(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text("claims: [unclosed")
    with pytest.raises(ClaimsError, match="claims.yaml: not valid YAML"):
        load_claims(path, TEXT)
