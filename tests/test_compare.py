"""Each comparator, holding and failing, and the formatting of rule text."""

import pytest

from claimcheck.registry.claims import Claimed, Comparator
from claimcheck.judge.compare import (
    COMPARATORS, DEFAULT_ABOUT_TOLERANCE, CompareError, compare, display_value, format_value, infer_precision,
)


def claimed(comparator, value, unit="USD", **extra):
    return Claimed(comparator=comparator, value=value, unit=unit, **extra)


def test_every_comparator_has_a_rule():
    assert set(COMPARATORS) == set(Comparator)


def test_exceeds_holds_above_and_fails_when_exactly_equal():
    c = claimed("exceeds", 28.7e9)
    assert compare(c, 28.8e9) == (True, "exceeds: reference > 28.7 bn USD")
    assert compare(c, 28.7e9).holds is False
    assert compare(c, 20e9).holds is False


def test_at_least_holds_when_equal_and_fails_below():
    c = claimed("at_least", 100, "jobs")
    assert compare(c, 100).holds and not compare(c, 99).holds


def test_at_most_holds_when_equal_and_fails_above():
    c = claimed("at_most", 48, "percent")
    assert compare(c, 48).holds and not compare(c, 48.1).holds
    assert compare(c, 40).rule == "at most: reference <= 48%"


def test_about_uses_five_percent_by_default():
    assert DEFAULT_ABOUT_TOLERANCE == 0.05
    c = claimed("about", 100.0, "count")
    assert compare(c, 105.0).holds and compare(c, 95.0).holds
    assert not compare(c, 105.1).holds
    assert compare(c, 100).rule == "about: reference within ±5% of 100 count"


def test_about_honours_an_explicit_tolerance():
    assert compare(claimed("about", 100.0, "count", tolerance=0.2), 119.0).holds


@pytest.mark.parametrize("value, precision", [(28.7e9, 0.1e9), (11e12, 1e12), (48, 1), (14.3, 0.1), (230e9, 1e9), (38.95e9, 0.01e9)])
def test_precision_is_inferred_from_the_written_digits(value, precision):
    assert infer_precision(value) == pytest.approx(precision)


def test_rounded_holds_within_half_the_precision_including_the_edges():
    c = claimed("rounded", 28.7e9)
    assert compare(c, 28.65e9).holds and compare(c, 28.75e9).holds and compare(c, 28.7e9).holds
    assert not compare(c, 28.64e9).holds and not compare(c, 28.76e9).holds
    assert compare(c, 28.7e9).rule == "rounded: reference in [28.65 bn USD, 28.75 bn USD] (precision 0.1 bn USD)"


def test_rounded_uses_an_explicit_precision():
    c = claimed("rounded", 11e12, precision=0.1e12)
    assert not compare(c, 11.3e12).holds
    assert compare(claimed("rounded", 11e12), 11.3e12).holds


def test_rounded_is_widened_by_a_relative_tolerance():
    c = claimed("rounded", 48, "percent", tolerance=0.05)
    assert compare(c, 50.0).holds and not compare(c, 51.0).holds
    assert "widened by ±5%" in compare(c, 50).rule


def test_equals_on_numbers_and_on_dates():
    assert compare(claimed("equals", 360, "jobs"), 360.0).holds
    assert not compare(claimed("equals", 360, "jobs"), 361).holds
    year = claimed("equals", "1971", "date")
    assert compare(year, "1971-10-25").holds and not compare(year, "1972-01-01").holds


def test_before_is_strictly_earlier():
    c = claimed("before", "1972", "date")
    assert compare(c, "1971-10-25").holds
    assert not compare(c, "1972-01-01").holds


def test_by_a_year_means_by_the_end_of_that_year():
    c = claimed("by", 2060, "year")
    assert compare(c, 2060).holds and compare(c, "2060-12-31").holds
    assert not compare(c, 2061).holds


def test_within_decade_holds_inside_the_decade_only():
    c = claimed("within_decade", "1980s", "decade")
    assert compare(c, "1985-06").holds and compare(c, 1989).holds
    assert not compare(c, "1991-04").holds
    assert compare(c, 1985).rule == "within decade: reference date between 1980-01-01 and 1989-12-31"


def test_min_duration_holds_at_or_above_the_claimed_years():
    c = claimed("min_duration", 50, "years")
    assert compare(c, 51.3).holds and compare(c, 50.0).holds
    assert not compare(c, 49.9).holds


def test_rank_holds_for_the_same_rank_only():
    c = claimed("rank", 2, "rank")
    assert compare(c, 2.0) == (True, "rank: reference rank = 2nd")
    assert not compare(c, 3.0).holds


def test_attested_holds_once_a_document_records_it():
    assert compare(Claimed(comparator="attested"), None).holds


def test_a_date_against_a_number_comparator_cannot_be_compared():
    with pytest.raises(CompareError, match="not a number"):
        compare(claimed("exceeds", 28.7e9), "1971-10-25")
    with pytest.raises(CompareError, match="not a date"):
        compare(claimed("before", "1972", "date"), "soon")


def test_values_are_formatted_for_rules_and_for_readers():
    assert format_value(11e12, "USD") == "11 tn USD"
    assert format_value(14.3, "percent") == "14.3%"
    assert format_value(2, "rank") == "2nd"
    assert display_value(28.7e9, "USD") == "$28.7 bn"
    assert display_value(1.2e9, "EUR") == "€1.2 bn"
    assert display_value(360, "jobs") == "360 jobs"


# Each comparator's wording, both ways, on real figures: the seed article's $28.7 bn (Jan–Aug 2022) against
# GACC's $28.2 bn (Jan–Sep 2021) and the embassy's $38.95 bn and +36.3% (2021); US GDP 2017 (19.612 tn in the
# World Bank's 2026-07-01 release); relations established on 1971-10-25; China's net-zero target 2060;
# India 6th by GDP in 2019 (World Bank, 2024-10-21 copy).
BOTH_WAYS = [
    ("exceeds", 28.7e9, "USD", 38.95e9, True, "$38.95 bn is above $28.7 bn, as the claim says"),
    ("exceeds", 28.7e9, "USD", 28.2e9, False, "$28.2 bn is below $28.7 bn: the data fall short of what the claim says"),
    ("at_least", 14.3, "percent", 36.3, True, "36.3% is above 14.3%, as the claim says"),
    ("at_least", 36.3, "percent", 14.3, False, "14.3% is below 36.3%: the data fall short of what the claim says"),
    ("at_most", 36.3, "percent", 14.3, True, "14.3% is no more than 36.3%, as the claim says"),
    ("at_most", 14.3, "percent", 36.3, False, "36.3% is above 14.3%: higher than the claim allows"),
    ("about", 28.7e9, "USD", 28.2e9, True, "$28.2 bn agrees with $28.7 bn, as the claim says"),
    ("about", 28.7e9, "USD", 38.95e9, False, "$38.95 bn is above $28.7 bn: the article's figure is too low"),
    ("rounded", 19.6e12, "USD", 19_612_102_000_000.0, True, "$19.612 tn rounds to $19.6 tn, as the claim says"),
    ("rounded", 19.7e12, "USD", 19_612_102_000_000.0, False, "$19.612 tn is below $19.7 tn: the article's figure is too high"),
    ("equals", "1971", "date", "1971-10-25", True, "1971-10-25 fits “1971”, as the claim says"),
    ("equals", "1981", "date", "1971-10-25", False, "1971-10-25 is earlier than the claim says (“1981”)"),
    ("before", "1972", "date", "1971-10-25", True, "1971-10-25 fits “1972”, as the claim says"),
    ("before", "1971", "date", "1971-10-25", False, "1971-10-25 is later than the claim says (“1971”)"),
    ("by", 2060, "year", "2060", True, "2060 fits “2060”, as the claim says"),
    ("by", 2050, "year", "2060", False, "2060 is later than the claim says (“2050”)"),
    ("within_decade", "1970s", "decade", "1971-10-25", True, "1971-10-25 fits “1970s”, as the claim says"),
    ("within_decade", "1980s", "decade", "1971-10-25", False, "1971-10-25 is earlier than the claim says (“1980s”)"),
    ("min_duration", 50, "years", 51.3, True, "51.3 years is at least 50 years, as the claim says"),
    ("min_duration", 60, "years", 51.3, False, "51.3 years is shorter than the 60 years the claim says"),
    ("rank", 6, "rank", 6, True, "it ranks 6th, as the claim says"),
    ("rank", 5, "rank", 6, False, "it ranks 6th, not 5th: lower than the claim says"),
]


@pytest.mark.parametrize("comparator, value, unit, reference, holds, words", BOTH_WAYS)
def test_each_comparator_says_in_words_which_way_the_data_differ_both_ways(comparator, value, unit, reference, holds, words):
    from claimcheck.judge.compare import explain

    claimed = Claimed(value=value, unit=unit, comparator=comparator)
    assert compare(claimed, reference).holds is holds
    assert explain(claimed, reference, holds) == words
