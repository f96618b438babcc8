"""Hostile JSON values in an answer are refused on refresh, never stored: a boolean or a text with
underscores is no number, a key given twice is no answer, and a period is a year, month, day or quarter."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from claimcheck.reference.errors import SnapshotInvalid
from claimcheck.reference.http import HttpClient, SourceError
from claimcheck.reference.snapshots import validate_frame
from claimcheck.reference.sources.base import decimal_text, number
from claimcheck.reference.sources.imf import _number
from claimcheck.reference.sources.owid import _cell
from claimcheck.reference.sources.worldbank import parse_indicator_page
from conftest import Reply


def page(**row) -> list:
    base = {"indicator": {"id": "NY.GDP.MKTP.CD", "value": "GDP"}, "country": {"id": "CN", "value": "China"},
            "countryiso3code": "CHN", "date": "2021", "value": 1.5}
    return [{"page": 1, "pages": 1, "per_page": 50, "total": 1}, [{**base, **row}]]


@pytest.mark.parametrize("value", [True, False, "1_500_000_000_000", "nan", "Infinity", " 12", "12%", [1], {"v": 1}])
def test_a_value_that_is_no_plain_number_fails_the_fetch(value):
    with pytest.raises(SourceError, match="is not a number; nothing was stored"):
        parse_indicator_page(page(value=value))


@pytest.mark.parametrize("value, read", [(12, 12.0), (-1.5, -1.5), ("2e9", 2e9), ("-0.25", -0.25), (".5", 0.5)])
def test_numbers_and_plain_decimal_texts_still_read(value, read):
    assert number(value, "x") == read
    assert parse_indicator_page(page(value=value))[0]["value"].tolist() == [read]


def test_text_sources_read_no_underscored_or_special_number():
    assert decimal_text("1_500") is None and decimal_text("nan") is None and decimal_text("1e3") == 1000.0
    assert _number("1_500") is None and _number(True) is None and _number("7.5") == 7.5
    assert _cell("1_500") == "1_500" and _cell("inf") == "inf" and _cell("42") == 42.0


def test_a_key_given_twice_in_an_answer_is_refused(replay_server):
    body = b'[{"page": 1, "pages": 1}, [{"value": 1.0, "value": 999.0}]]'
    replay_server.script("/dup", Reply(200, body, {"Content-Type": "application/json"}))
    with pytest.raises(SourceError, match="the key 'value' occurs twice in one object"):
        HttpClient(max_retries=0).get_json(f"{replay_server.url}/dup")


def tidy(period) -> pd.DataFrame:
    return pd.DataFrame([{"entity": "CHN", "partner": "", "period": period, "measure": "m", "value": 1.0, "unit": "USD"}])


@pytest.mark.parametrize("period", [str(["2021", {"x": 1}]), "2021; <script>", "2021-13", "21", "2021-02-30x",
                                    "2021\n", "2021-Q5", "FY2021"])
def test_a_period_that_is_no_year_month_day_or_quarter_is_refused(period):
    with pytest.raises(SnapshotInvalid, match="are not a year, month, day or quarter"):
        validate_frame(tidy(period), "worldbank/x")


@pytest.mark.parametrize("period", ["2021", "2021-08", "2021-08-31", "2021-Q3"])
def test_stored_period_forms_pass(period):
    validate_frame(tidy(period), "worldbank/x")


def test_a_list_as_the_date_of_a_row_never_reaches_the_store():
    frame = parse_indicator_page(page(date=["2021", {"x": 1}]))[0]
    with pytest.raises(SnapshotInvalid, match="not a year, month, day or quarter"):
        validate_frame(frame, "worldbank/x")
    assert json.loads(json.dumps(page()))  # the page itself is ordinary JSON


def test_blank_texts_are_counted_whatever_stands_for_missing_and_a_list_is_no_crash():
    frame = pd.DataFrame({"entity": list("ABCDE"), "partner": "", "period": "2021",
                          "measure": ["m", "", " \t", None, float("nan")], "value": 1.0, "unit": "USD"})
    with pytest.raises(SnapshotInvalid, match=r"4 row\(s\) with an empty 'measure'"):
        validate_frame(frame, "worldbank/x")
    listed = frame.assign(measure=pd.Series([["m"]] * 5, dtype=object), unit=["USD", "", "USD", "USD", "USD"])
    with pytest.raises(SnapshotInvalid, match=r"1 row\(s\) with an empty 'unit'"):
        validate_frame(listed, "worldbank/x")
