"""The compute ops over tidy rows (built in the tests; no snapshot files)."""

from datetime import date

import pandas as pd
import pytest
from pydantic import ValidationError

from claimcheck.registry.claims import Compute
from claimcheck.judge.compute import (
    ComputeError,
    ComputeMissing,
    _aggregate_mask,
    compute,
    inputs_frame,
    rows_within,
    scaled_unit,
    select_rows,
)
from claimcheck.registry.periods import parse_period


def tidy(rows):
    """Tidy rows from tuples (entity, partner, period, measure, value, unit[, aggregate])."""
    columns = ["entity", "partner", "period", "measure", "value", "unit", "aggregate"]
    return pd.DataFrame([r + (False,) * (7 - len(r)) for r in rows], columns=columns)


def monthly(year, months, measure="exports", value=1.0, entity="CHN", partner="BEL"):
    return [(entity, partner, f"{year}-{m:02d}", measure, value, "USD") for m in months]


# ------------------------------------------------------------------------------------------ value


def test_value_returns_the_single_row():
    result = compute(Compute(op="value"), tidy([("CHN", None, "2021", "gdp", 17.7e12, "USD")]))
    assert result.value == 17.7e12 and result.unit == "USD" and len(result.rows) == 1


def test_value_within_a_period_picks_the_row_of_that_period():
    rows = tidy([("CHN", None, "2020", "gdp", 1.0, "USD"), ("CHN", None, "2021", "gdp", 2.0, "USD")])
    assert compute(Compute(op="value", period="2021"), rows).value == 2.0


def test_value_with_two_rows_is_an_ambiguous_error():
    rows = tidy([("CHN", None, "2020", "gdp", 1.0, "USD"), ("CHN", None, "2021", "gdp", 2.0, "USD")])
    with pytest.raises(ComputeError, match="ambiguous: 2 rows"):
        compute(Compute(op="value"), rows)


def test_value_without_rows_is_missing():
    with pytest.raises(ComputeMissing):
        compute(Compute(op="value", period="2022"), tidy([("CHN", None, "2021", "gdp", 2.0, "USD")]))


def test_value_of_a_date_fact_is_its_iso_text():
    rows = tidy([("doc", None, "1971-10-25", "established", "1971-10-25", "date")])
    assert compute(Compute(op="value"), rows).value == "1971-10-25"


# -------------------------------------------------------------------------------------------- sum


def test_sum_adds_the_months_within_the_period_and_describes_them():
    rows = tidy(monthly(2022, range(1, 13), "exports", 2.0) + monthly(2022, range(1, 13), "imports", 1.0))
    result = compute(Compute(op="sum", period="2022-01/2022-08"), rows)
    assert result.value == 24.0
    assert len(result.rows) == 16
    assert result.description == "sum of 8 months 2022-01..2022-08 of exports+imports"


def test_sum_with_a_missing_month_is_missing_and_lists_the_absent_month():
    rows = tidy(monthly(2022, [1, 2, 3, 4, 5, 6, 8]))
    with pytest.raises(ComputeMissing, match="2022-07") as caught:
        compute(Compute(op="sum", period="2022-01/2022-08"), rows)
    assert caught.value.absent == ["CHN/BEL/exports 2022-07"]


def test_sum_without_require_complete_adds_the_months_present():
    rows = tidy(monthly(2022, [1, 2, 3]))
    assert compute(Compute(op="sum", period="2022-01/2022-08", require_complete=False), rows).value == 3.0


def test_sum_over_years_requires_every_year():
    rows = tidy([("CHN", "BEL", "2013", "fdi", 1.0, "USD"), ("CHN", "BEL", "2015", "fdi", 1.0, "USD")])
    with pytest.raises(ComputeMissing, match="2014"):
        compute(Compute(op="sum", period="2013/2015"), rows)


def test_sum_refuses_monthly_and_annual_rows_of_the_same_series():
    rows = tidy(monthly(2022, range(1, 13)) + [("CHN", "BEL", "2022", "exports", 12.0, "USD")])
    with pytest.raises(ComputeError, match="mixed monthly and annual"):
        compute(Compute(op="sum", period="2022"), rows)


def test_sum_refuses_duplicate_rows_for_one_period():
    rows = tidy(monthly(2022, [1]) + monthly(2022, [1]))
    with pytest.raises(ComputeError, match="narrow the select"):
        compute(Compute(op="sum", period="2022-01"), rows)


def test_sum_refuses_mixed_units():
    rows = tidy([("a", None, "2022", "x", 1.0, "USD"), ("b", None, "2022", "x", 1.0, "EUR")])
    with pytest.raises(ComputeError, match="mixed units"):
        compute(Compute(op="sum", period="2022"), rows)


# ------------------------------------------------------------------------------- changes and growth


def test_yoy_change_compares_with_the_same_months_a_year_earlier():
    rows = tidy(monthly(2021, range(1, 13), value=2.0) + monthly(2022, range(1, 13), value=2.5))
    result = compute(Compute(op="yoy_change", period="2022-01/2022-08"), rows)
    assert result.value == pytest.approx(25.0)
    assert result.unit == "percent"
    assert set(result.rows["period"]) == {f"{y}-{m:02d}" for y in (2021, 2022) for m in range(1, 9)}


def test_yoy_change_with_the_previous_year_incomplete_is_missing():
    rows = tidy(monthly(2021, range(1, 8)) + monthly(2022, range(1, 9)))
    with pytest.raises(ComputeMissing, match="2021-08"):
        compute(Compute(op="yoy_change", period="2022-01/2022-08"), rows)


def test_growth_compares_with_the_base_period():
    rows = tidy([("CHN", "BEL", "2020", "trade", 100.0, "USD"), ("CHN", "BEL", "2021", "trade", 136.3, "USD")])
    assert compute(Compute(op="growth", period="2021", base_period="2020"), rows).value == pytest.approx(36.3)


def test_growth_without_base_period_is_refused_when_the_registry_loads():
    with pytest.raises(ValidationError, match="op growth needs 'base_period'"):
        Compute(op="growth", period="2021")


def test_cagr_is_the_compound_annual_rate_between_start_years():
    rows = tidy([("a", None, "2010", "x", 100.0, "USD"), ("a", None, "2012", "x", 121.0, "USD")])
    assert compute(Compute(op="cagr", period="2012", base_period="2010"), rows).value == pytest.approx(10.0)


def test_cagr_refuses_a_base_period_that_is_not_earlier():
    rows = tidy([("a", None, "2010", "x", 100.0, "USD")])
    with pytest.raises(ComputeError, match="at least a year"):
        compute(Compute(op="cagr", period="2010", base_period="2010"), rows)


# ---------------------------------------------------------------------------------- share and rank


def test_share_is_the_entity_part_of_all_rows_without_aggregates():
    rows = tidy([
        ("CHN", None, "2021", "gdp", 30.0, "USD"), ("USA", None, "2021", "gdp", 70.0, "USD"),
        ("WLD", None, "2021", "gdp", 100.0, "USD", True),
    ])
    assert compute(Compute(op="share", entity="CHN", period="2021"), rows).value == pytest.approx(30.0)


def test_share_of_an_entity_the_data_never_hold_is_an_error_not_a_gap():
    rows = tidy([("USA", None, "2021", "gdp", 70.0, "USD")])
    with pytest.raises(ComputeError, match="'CHN' matches no row"):
        compute(Compute(op="share", entity="CHN", period="2021"), rows)


def test_share_of_an_entity_without_a_row_in_the_period_is_missing():
    rows = tidy([("USA", None, "2021", "gdp", 70.0, "USD"), ("CHN", None, "2020", "gdp", 10.0, "USD")])
    with pytest.raises(ComputeMissing, match="CHN"):
        compute(Compute(op="share", entity="CHN", period="2021"), rows)


def gdp_rows():
    return tidy([
        ("WLD", None, "2021", "gdp", 96e12, "USD", True),
        ("EUU", None, "2021", "gdp", 17.3e12, "USD", True),
        ("USA", None, "2021", "gdp", 23.3e12, "USD"),
        ("CHN", None, "2021", "gdp", 17.7e12, "USD"),
        ("JPN", None, "2021", "gdp", 5.0e12, "USD"),
        ("CHN", None, "2020", "gdp", 14.7e12, "USD"),
    ])


def test_rank_excludes_aggregates_and_returns_the_leaders():
    result = compute(Compute(op="rank", entity="CHN", period="2021"), gdp_rows())
    assert result.value == 2.0 and result.unit == "rank"
    assert result.extra["n"] == 3
    assert [code for code, _, _ in result.extra["top"]] == ["USA", "CHN", "JPN"]
    assert "aggregates excluded" in result.description


def test_rank_with_aggregates_included_counts_them():
    result = compute(Compute(op="rank", entity="CHN", period="2021", exclude_aggregates=False), gdp_rows())
    assert result.value == 3.0


def test_rank_of_an_entity_the_data_never_hold_is_an_error_not_a_gap():
    with pytest.raises(ComputeError, match="'BEL' matches no row"):
        compute(Compute(op="rank", entity="BEL", period="2021"), gdp_rows())


def test_rank_of_an_entity_without_a_row_in_the_period_is_missing():
    rows = pd.concat([gdp_rows(), tidy([("BEL", None, "2020", "gdp", 0.5e12, "USD")])])
    with pytest.raises(ComputeMissing, match="BEL"):
        compute(Compute(op="rank", entity="BEL", period="2021"), rows)


# ------------------------------------------------------------------------------ dates and internal


def test_years_between_a_date_literal_and_the_article_date():
    result = compute(Compute(op="years_between", start="1971-10-25", end="article"), tidy([]),
                     article_date=date(2023, 2, 26))
    assert result.value == pytest.approx((date(2023, 2, 26) - date(1971, 10, 25)).days / 365.2425)
    assert result.unit == "years"


def test_years_between_reads_a_start_date_from_a_measure():
    rows = tidy([("doc", None, "1971-10-25", "established", "1971-10-25", "date")])
    result = compute(Compute(op="years_between", start="established", end="2021-10-25"), rows)
    assert result.value == pytest.approx(50.0, abs=0.01)
    assert len(result.rows) == 1


def test_years_between_to_the_article_without_an_article_date_is_an_error():
    with pytest.raises(ComputeError, match="article date"):
        compute(Compute(op="years_between", start="1971", end="article"), tidy([]))


def test_implied_base_divides_by_one_plus_the_rate():
    inputs = {"value": 28.7e9, "rate": 14.3, "unit": "USD"}
    result = compute(Compute(op="implied_base"), inputs_frame(inputs), inputs=inputs)
    assert result.value == pytest.approx(28.7e9 / 1.143)
    assert result.unit == "USD"


def test_implied_base_without_a_rate_is_an_error():
    inputs = {"value": 28.7e9}
    with pytest.raises(ComputeError, match="rate"):
        compute(Compute(op="implied_base"), inputs_frame(inputs), inputs=inputs)


# ----------------------------------------------------------------------------------- select, scale


def test_select_keeps_rows_matching_a_value_or_a_list_of_values():
    rows = tidy(monthly(2022, [1], "exports") + monthly(2022, [1], "imports") + monthly(2022, [1], "balance"))
    assert list(select_rows(rows, {"measure": ["exports", "imports"], "entity": "CHN"})["measure"]) == ["exports", "imports"]


def test_select_on_an_unknown_column_is_an_error():
    with pytest.raises(ComputeError, match="no column 'reporter'"):
        select_rows(tidy([]), {"reporter": "CHN"})


def test_scale_multiplies_the_result_and_drops_the_multiplier_from_the_unit():
    rows = tidy([("CHN", "BEL", "2020", "exports", 1500.5, "USD millions")])
    result = compute(Compute(op="value", scale=1e6), rows)
    assert result.value == pytest.approx(1.5005e9)
    assert result.unit == "USD"
    assert scaled_unit("USD", 1e6) == "USD"


# ------------------------------------------------------------------------------------ row filters


def test_rows_within_keeps_the_periods_inside_and_drops_unreadable_ones():
    frame = pd.DataFrame({"period": ["2021-01", "2021-12", "2022-01", 2021, "2021", "unstated", None, float("nan")],
                          "value": range(8)})
    kept = rows_within(frame, parse_period("2021"))
    assert kept["value"].tolist() == [0, 1, 3, 4]


def test_aggregates_are_flagged_however_the_flag_is_written():
    rows = pd.DataFrame({"aggregate": [True, "true", " TRUE ", "1", "yes", False, "false", "0", None, float("nan")]})
    assert _aggregate_mask(rows).tolist() == [True] * 5 + [False] * 5
