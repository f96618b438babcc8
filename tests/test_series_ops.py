"""Operations over series: ranks of periods, throughout, crossings, rank changes, first-since, ratios, shares, sums."""

import pandas as pd
import pytest
from pydantic import ValidationError

from claimcheck.judge.compute import NEVER, ComputeError, ComputeMissing, compute
from claimcheck.registry.claims import Claimed, Compute
from claimcheck.registry.periods import parse_period


def series(entity, values, measure="gdp", unit="USD", name=None, aggregate=False):
    return [(entity, None, str(year), measure, value, unit, name or entity, aggregate) for year, value in values.items()]


def tidy(*groups):
    columns = ["entity", "partner", "period", "measure", "value", "unit", "entity_name", "aggregate"]
    return pd.DataFrame([row for group in groups for row in group], columns=columns)


A = {2018: 5.0, 2019: 7.0, 2020: 6.0, 2021: 9.0, 2022: 8.0}
B = {2018: 6.0, 2019: 8.0, 2020: 7.0, 2021: 8.5, 2022: 9.5}
ROWS = tidy(series("AAA", A, name="Aland"), series("BBB", B, name="Bland"),
            series("WLD", {y: 100.0 for y in A}, name="World", aggregate=True))


# ---------------------------------------------------------------------------- load-time validation


@pytest.mark.parametrize("fields, message", [
    ({"op": "period_rank"}, "needs 'period'"),
    ({"op": "rank", "entity": "AAA", "since": "2000"}, "does not use 'since'"),
    ({"op": "crossing", "entity": "AAA"}, "needs 'other'"),
    ({"op": "ratio", "period": "2021", "entity": "AAA"}, "needs 'other'"),
    ({"op": "throughout", "period": "2018/2022", "each": "growth"}, "each 'growth' is not one of"),
    ({"op": "throughout", "period": "2018/2022", "each": "rank"}, "needs 'entity'"),
    ({"op": "rank", "entity": "2013"}, "looks like a period"),
    ({"op": "rank_change", "entity": "AAA", "period": "2022"}, "needs 'base_period'"),
    ({"op": "share", "period": "2022"}, "needs 'entity' or 'entities'"),
    ({"op": "ratio", "period": "2022", "entity": "AAA", "other": "BBB", "unit": "USD per head"}, "unknown unit"),
])
def test_fields_are_checked_when_the_registry_loads(fields, message):
    with pytest.raises(ValidationError, match=message):
        Compute.model_validate(fields)


def test_an_entity_that_matches_nothing_is_an_error_with_the_nearest_codes_not_a_gap():
    with pytest.raises(ComputeError, match=r"'AAB' \(nearest: AAA\) matches no row"):
        compute(Compute(op="rank", entity="AAB", period="2021"), ROWS)


# ------------------------------------------------------------------------------------- period_rank


def test_period_rank_on_record_counts_only_periods_up_to_the_one_ranked():
    result = compute(Compute(op="period_rank", entity="AAA", period="2021"), ROWS)
    assert result.value == 1.0 and result.extra["n"] == 4  # 2022 (8.0) comes later and does not count
    assert "on record (2018–2021)" in result.description


def test_period_rank_second_highest_and_since():
    assert compute(Compute(op="period_rank", entity="AAA", period="2022"), ROWS).value == 2.0
    assert compute(Compute(op="period_rank", entity="AAA", period="2020", since="2020"), ROWS).value == 1.0


def test_period_rank_of_an_absent_period_is_missing():
    with pytest.raises(ComputeMissing):
        compute(Compute(op="period_rank", entity="AAA", period="2030"), ROWS)


# ---------------------------------------------------------------------------------------- throughout


def test_throughout_returns_every_period_of_the_span():
    result = compute(Compute(op="throughout", each="rank", entity="BBB", period="2018/2022"), ROWS)
    assert [p for p, _ in result.extra["series"]] == ["2018", "2019", "2020", "2021", "2022"]
    assert [v for _, v in result.extra["series"]] == [1.0, 1.0, 1.0, 2.0, 1.0]


def test_throughout_with_a_period_missing_is_missing_naming_it():
    with pytest.raises(ComputeMissing, match="2023"):
        compute(Compute(op="throughout", each="value", entity="AAA", period="2021/2023"), ROWS.query("entity == 'AAA'"))


# ------------------------------------------------------------------------------------------ crossing


def test_crossing_is_the_first_period_a_exceeds_b_after_being_below():
    result = compute(Compute(op="crossing", entity="AAA", other="BBB"), ROWS)
    assert result.value == "2021" and result.unit == "date"
    assert "Aland exceeds Bland" in result.description


def test_no_crossing_says_so():
    result = compute(Compute(op="crossing", entity="BBB", other="AAA", period="2018/2020"), ROWS)
    assert result.value is None and "already exceeds" in result.extra["fails"]


# --------------------------------------------------------------------------------------- rank_change


def test_rank_change_counts_places_gained():
    result = compute(Compute(op="rank_change", entity="AAA", period="2021", base_period="2020"), ROWS)
    assert result.value == 1.0 and result.unit == "places"  # 2nd -> 1st
    assert compute(Compute(op="rank_change", entity="AAA", period="2022", base_period="2021"), ROWS).value == -1.0


# --------------------------------------------------------------------------------------- first_since


def test_first_since_is_the_latest_earlier_period_meeting_the_condition():
    rows = tidy(series("AAA", {2015: 9.0, 2016: 4.0, 2017: 5.0, 2018: 8.0}))
    highest = compute(Compute(op="first_since", entity="AAA", period="2018"), rows)
    assert highest.value == "2015"  # the highest since 2015
    above = compute(Compute(op="first_since", entity="AAA", period="2018", threshold=6.0), rows)
    assert above.value == "2015"
    assert compute(Compute(op="first_since", entity="AAA", period="2017", threshold=4.5, direction="below"),
                   rows).extra["fails"].startswith("AAA is 5 in 2017, not below 4.5")


def test_first_since_without_an_earlier_period_is_never():
    rows = tidy(series("AAA", {2016: 4.0, 2017: 5.0}))
    assert compute(Compute(op="first_since", entity="AAA", period="2017"), rows).value == NEVER


# ------------------------------------------------------------------------------ ratio and difference


def test_ratio_between_two_entities_is_in_times():
    result = compute(Compute(op="ratio", entity="BBB", other="AAA", period="2018"), ROWS)
    assert result.value == pytest.approx(1.2) and result.unit == "times"


def test_ratio_between_two_series_per_capita_takes_the_stated_unit():
    rows = tidy(series("AAA", {2020: 50.0}), series("AAA", {2020: 10.0}, measure="pop", unit="people"))
    result = compute(Compute(op="ratio", entity="AAA", measure="gdp", other_measure="pop", period="2020", unit="USD"), rows)
    assert result.value == 5.0 and result.unit == "USD"


def test_difference_of_rates_is_in_percentage_points():
    rows = tidy(series("AAA", {2020: 3.0}, unit="percent"), series("BBB", {2020: 1.0}, unit="percent"))
    result = compute(Compute(op="difference", entity="AAA", other="BBB", period="2020"), rows)
    assert result.value == 2.0 and result.unit == "percentage_points"


def test_difference_of_mixed_units_is_an_error():
    rows = tidy(series("AAA", {2020: 3.0}, unit="percent"), series("BBB", {2020: 1.0}))
    with pytest.raises(ComputeError, match="units differ"):
        compute(Compute(op="difference", entity="AAA", other="BBB", period="2020"), rows)


# ---------------------------------------------------------------------------------- share and sum


def test_share_of_a_named_total_uses_that_row():
    result = compute(Compute(op="share", entity="AAA", total="WLD", period="2021"), ROWS)
    assert result.value == pytest.approx(9.0) and "World total" in result.description


def test_share_of_several_entities():
    result = compute(Compute(op="share", entities=["AAA", "BBB"], total="WLD", period="2021"), ROWS)
    assert result.value == pytest.approx(17.5)


def test_sum_over_entities_needs_every_entity_in_the_period():
    assert compute(Compute(op="sum", entities=["AAA", "BBB"], period="2021"), ROWS).value == 17.5
    partial = ROWS[~((ROWS["entity"] == "BBB") & (ROWS["period"] == "2021"))]
    with pytest.raises(ComputeMissing, match="BBB"):
        compute(Compute(op="sum", entities=["AAA", "BBB"], period="2021"), partial)
    with pytest.raises(ComputeError, match="matches no row"):
        compute(Compute(op="sum", entities=["AAA", "CCC"], period="2021"), ROWS)


# ------------------------------------------------------------------------------------------ windows


def test_a_part_of_a_decade_is_a_window_of_years():
    early = parse_period("early 2020s")
    assert (early.start.year, early.end.year) == (2020, 2023)
    assert (parse_period("late 1990s").start.year, parse_period("late 1990s").end.year) == (1997, 1999)
    assert Claimed(value="early 2020s", unit="date", comparator="equals").value == "early 2020s"


def test_change_is_the_later_period_minus_the_earlier_in_the_series_unit():
    years = tidy(series("AAA", {2019: 78.8, 2021: 76.1}, measure="life", unit="years"))
    fell = compute(Compute(op="change", period="2021", base_period="2019"), years)
    assert fell.value == pytest.approx(-2.7) and fell.unit == "years"
    rates = tidy(series("AAA", {2019: 3.5, 2021: 5.25}, measure="unemployment", unit="percent"))
    rose = compute(Compute(op="change", period="2021", base_period="2019"), rates)
    assert rose.value == pytest.approx(1.75) and rose.unit == "percentage_points"
    with pytest.raises(ValidationError, match="needs 'base_period'"):
        Compute(op="change", period="2021")


def test_change_on_the_world_bank_life_expectancy_snapshot():
    from claimcheck.judge.compute import select_rows
    from claimcheck.reference.snapshots import get_snapshot

    frame = get_snapshot("worldbank", "life_expectancy").frame
    usa = select_rows(frame, {"entity": "USA"})
    by_year = {str(p): float(v) for p, v in zip(usa["period"], usa["value"])}
    result = compute(Compute(op="change", period="2021", base_period="2019"), usa)
    assert result.value == pytest.approx(by_year["2021"] - by_year["2019"]) and result.value < 0
    assert result.unit == "years"
