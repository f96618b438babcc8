"""A drafted claim whose measure, period or country is not matched with confidence keeps its quote,
value and unit, holds its guessed evidence only as context, and says what to confirm: it is judged
`unverifiable` (needs review), never decided from a guess; the claims notebook lists the least sure first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from claimcheck.draft.propose import draft_text, most_named
from claimcheck.draft.review import confidence_of, review_table
from claimcheck.judge.verdicts import judge
from claimcheck.registry.articles import Article
from claimcheck.registry.claims import Claim
from conftest import drafted

TEXTS = Path(__file__).parent / "draft_texts"


def _article():
    return Article("china-population-falls-2023-01-17", TEXTS / "china-population-falls-2023-01-17")


def test_every_drafted_claim_notes_the_confidence_of_its_guesses():
    claims = drafted("Brazil's gross domestic product grew 2.9% in 2022.", date(2023, 3, 1))
    confidence = confidence_of(claims["2.9%"]["draft"])
    assert confidence["measure"] == "high" and confidence["period"] == "high" and confidence["entity"] == "high"
    assert confidence["comparator"] == "medium"  # no hedge: rounded assumed


def test_a_figure_with_no_period_keeps_its_guess_only_as_context_and_is_unverifiable():
    text = "Brazil's exports reached $340 billion."
    fields = drafted(text, date(2024, 3, 14))["$340 billion"]
    assert fields["claimed"]["value"] == 340e9 and fields["claimed"]["unit"] == "USD"
    assert all(e["role"] == "context" for e in fields["evidence"])
    assert fields["reason"].startswith("needs review: confirm the period")
    verdict = judge(Claim.model_validate(fields), _article())
    assert verdict.verdict == "unverifiable"


def test_a_country_guessed_from_the_article_alone_is_not_decided():
    text = "Brazil's economy is large. Brazil's people are many. Exports rose 3.1% in 2023."
    fields = draft_text("t", text, date(2024, 3, 14), None, most_named(text)).claims[-1].fields
    assert "the entity" in fields["reason"] and all(e["role"] == "context" for e in fields["evidence"])


def test_the_review_table_lists_the_least_sure_first():
    text = "Brazil's exports reached $340 billion. Brazil's gross domestic product grew 2.9% in 2022."
    claims = [d.fields for d in draft_text("t", text, date(2023, 3, 1), None, most_named(text)).claims]
    table = review_table(list(reversed(claims)))
    assert list(table["least sure"]) == ["low", "medium"]
    assert "period low" in table.iloc[0]["confidence"]
