"""Drafting a rank, share or sum among the members of a country group the sentence names."""

from __future__ import annotations

from datetime import date

from claimcheck.draft.propose import draft_text, most_named
from claimcheck.draft.regions import group_named


def _claims(text: str, today: date = date(2023, 7, 5)):
    return {c.quantity.text: c.fields for c in draft_text("t", text, today, None, most_named(text)).claims}


def test_a_group_is_found_by_its_longest_earliest_name_and_never_inside_a_country_name():
    assert group_named("Nigeria is Africa’s largest economy")[0] == "africa"
    assert group_named("the biggest economy in sub-Saharan Africa")[0] == "sub_saharan_africa"
    assert group_named("Germany, the EU's largest economy")[0] == "eu27"
    assert group_named("it overtook South Africa as the largest") is None
    assert group_named("the world's second-largest economy") is None


def test_a_rank_among_a_named_group_selects_its_members():
    fields = _claims("Egypt was Africa’s second-largest economy in 2022.")["second-largest"]
    (evidence,) = fields["evidence"]
    assert evidence["compute"]["op"] == "rank" and evidence["compute"]["entity"] == "EGY"
    assert evidence["select"]["group"] == "africa"
    assert any("select group africa" in note for note in fields["draft"])


def test_a_rank_among_the_world_keeps_every_economy():
    fields = _claims("Egypt was the world’s 33rd-largest economy in 2022.")["33rd"]
    assert "group" not in fields["evidence"][0].get("select", {})


def test_the_largest_for_n_consecutive_years_is_rank_one_throughout_those_years():
    fields = _claims("Nigeria retained its position as Africa’s largest economy for five consecutive years in 2022.")["five"]
    (evidence,) = fields["evidence"]
    assert fields["kind"] == "rank" and fields["claimed"]["value"] == 1.0
    assert evidence["compute"] == {"op": "throughout", "each": "rank", "entity": "NGA", "period": "2018/2022"}
    assert evidence["select"]["group"] == "africa"
    ordinal = _claims("Nigeria was Africa’s largest economy for the fifth year in a row in 2022.")["fifth year"]
    assert ordinal["evidence"][0]["compute"] == evidence["compute"] and ordinal["claimed"]["period"] == "2018/2022"
