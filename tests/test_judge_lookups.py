"""Judging reads a loaded snapshot through look-ups, not passes over every row: the same rows, the same errors.

``RowIndex.select`` (what a loader's ``rows`` uses) must give exactly what ``select_rows`` (a pandas
mask per item) gives: on every select of the seed and test articles against the stored snapshots,
and on generated frames and selects (a hypothesis property), errors included. A sum over the rows
of one frame builds its rows as one ``take``: the same rows as the two selections concatenated.
A loader reads a stored version once, whatever date asks for it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck import paths
from claimcheck.judge import evidence
from claimcheck.judge.compute import ComputeError, ComputeMissing, RowIndex, compute, row_period, rows_within, select_rows, take_rows
from claimcheck.judge.evidence import Loader, resolve_vintage
from claimcheck.registry.articles import load_article
from claimcheck.registry.claims import Compute, DatasetEvidence
from claimcheck.registry.periods import parse_period
from claimcheck.reference.snapshots import load_snapshot, versions

TEST_ARTICLES = Path(__file__).parent / "articles"


def selection_outcome(select_one, frame: pd.DataFrame, select: dict) -> tuple[str, object]:
    try:
        return "rows", select_one(frame, select)
    except Exception as exc:  # the error, as the verdict's reason would show it
        return "error", f"{type(exc).__name__}: {exc}"


def assert_same_selection(frame: pd.DataFrame, select: dict) -> None:
    plain = selection_outcome(select_rows, frame, select)
    indexed = selection_outcome(lambda f, s: RowIndex(f).select(s), frame, select)
    assert plain[0] == indexed[0], (select, plain, indexed)
    if plain[0] == "error":
        assert indexed[1] == plain[1]
    else:
        pd.testing.assert_frame_equal(indexed[1], plain[1])


def dataset_evidence(article) -> list[DatasetEvidence]:
    found = []
    for claim in article.claims:
        specs = list(claim.evidence) + [e for r in claim.readings for e in r.evidence]
        specs += [e for part in claim.parts for e in part.evidence]
        found += [e for e in specs if isinstance(e, DatasetEvidence)]
    return found


@pytest.fixture
def with_test_articles(data_copy):
    for folder in TEST_ARTICLES.iterdir():
        target = paths.articles_dir() / folder.name
        target.mkdir()
        for file in folder.iterdir():
            (target / file.name).write_bytes(file.read_bytes())
    return sorted(p.name for p in paths.articles_dir().iterdir())


def test_every_select_of_the_seed_and_test_articles_gives_the_rows_of_a_plain_selection(with_test_articles):
    selects = {}
    for article_id in with_test_articles:
        for spec in dataset_evidence(load_article(article_id)):
            for source, name, select in [(spec.source, spec.snapshot, spec.select)] + [
                    (more.source or spec.source, more.snapshot, more.select) for more in spec.also]:
                selects.setdefault((source, name), []).append(select)
    assert len(selects) >= 5 and sum(map(len, selects.values())) >= 30
    forms = set()
    frames = [(load_snapshot(source, name, version).frame, wanted)  # every stored version: their frames differ
              for (source, name), wanted in selects.items() for version in versions(source, name)]
    for frame, wanted in frames:
        index = RowIndex(frame)
        for select in wanted:
            forms.add(tuple(sorted(select)))
            assert_same_selection(frame, select)
            pd.testing.assert_frame_equal(index.select(select), select_rows(frame, select))  # one index, many selects
        for select in [{}, {"entity": "NO-SUCH"}, {"no_such_column": "x"}, {"group": "no-such-group"}]:
            assert_same_selection(frame, select)
    assert {("entity",), ("measure",), ("group",), ("entity", "measure", "partner")} <= forms


CELLS = st.one_of(st.sampled_from(["A", "B", "nan", "None", "2021", "2021-01", ""]), st.none(),
                  st.just(float("nan")), st.integers(2020, 2022))


@st.composite
def frames_and_selects(draw):
    n = draw(st.integers(0, 12))
    columns = {c: draw(st.lists(CELLS, min_size=n, max_size=n)) for c in ("entity", "partner", "period", "measure")}
    frame = pd.DataFrame({**columns, "value": np.arange(n, dtype=float), "unit": ["USD"] * n})
    if draw(st.booleans()):  # as a snapshot is loaded: text columns
        frame = frame.astype({c: str for c in columns})
    if draw(st.booleans()):
        frame.index = frame.index * 2 + 5
    keys = draw(st.lists(st.sampled_from(["entity", "partner", "period", "measure", "flow"]), max_size=3, unique=True))
    value = st.one_of(st.sampled_from(["A", "B", "nan", "None", "2021", ""]), st.integers(2020, 2022))
    select = {k: draw(st.one_of(value, st.lists(value, max_size=3))) for k in keys}
    return frame, select


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames_and_selects())
def test_indexed_selection_equals_a_plain_selection_on_any_frame(case):
    frame, select = case
    assert_same_selection(frame, select)


def snapshot_rows(source="worldbank", name="merchandise_exports", entity=None) -> pd.DataFrame:
    frame = load_snapshot(source, name).frame
    entity = entity or frame["entity"].iloc[0]
    return select_rows(frame, {"entity": entity})


@pytest.mark.parametrize("op", ["growth", "change", "cagr"])
def test_a_change_over_one_series_has_the_rows_of_both_periods(op):
    rows = snapshot_rows()
    years = sorted(rows["period"].unique())
    base, period = years[2], years[-3]
    result = compute(Compute(op=op, period=period, base_period=base), rows)
    expected = pd.concat([rows_within(rows, parse_period(base)), rows_within(rows, parse_period(period))])
    pd.testing.assert_frame_equal(result.rows, expected)
    values = dict(zip(rows["period"], rows["value"]))
    if op == "growth":
        assert result.value == 100.0 * (values[period] / values[base] - 1.0)


def test_a_monthly_sum_equals_pandas_sum_to_the_last_bit():
    rows = pd.DataFrame({"entity": "X", "partner": "Y", "period": [f"2022-{m:02d}" for m in range(1, 13)],
                         "measure": "exports", "unit": "USD",
                         "value": [1.0, 0.1, 1e16, -1e16, 1e16, 3.3, 3.3, 3.3, 3.3, 1.0, 1e16, 3.3]})
    result = compute(Compute(op="sum", period="2022"), rows)
    assert result.value == float(rows["value"].sum())
    assert result.value != sum(rows["value"].tolist())  # pairwise, as pandas sums, not one by one


def test_a_sum_over_rows_with_a_nan_names_it_and_duplicates_name_their_keys():
    rows = pd.DataFrame({"entity": "X", "partner": "Y", "period": ["2021", "2022"], "measure": "m",
                         "value": [1.0, float("nan")], "unit": "USD"})
    with pytest.raises(ComputeError, match=r"^sum over 2021/2022: non-numeric values \[nan\]$"):
        compute(Compute(op="sum", period="2021/2022"), rows)
    twice = pd.concat([rows.assign(value=1.0)] * 2, ignore_index=True)
    with pytest.raises(ComputeError, match=r"^sum over 2021: 2 rows share entity=X, partner=Y, measure=m, period=2021; "):
        compute(Compute(op="sum", period="2021"), twice)
    none_partner = twice.assign(partner=pd.Series([None, "Y", float("nan"), "Y"], dtype=object))  # None and NaN: one missing key, as in pandas
    with pytest.raises(ComputeError, match=r"2 rows share entity=X, partner=None, measure=m, period=2021"):
        compute(Compute(op="sum", period="2021"), none_partner)


def test_a_loader_reads_a_stored_version_once_whatever_date_asks_for_it(monkeypatch):
    calls = []
    original = evidence.get_snapshot

    def counting(source, name, mode="offline", as_of=None):
        calls.append((name, as_of))
        return original(source, name, mode, as_of=as_of)

    monkeypatch.setattr(evidence, "get_snapshot", counting)
    loader = Loader()
    spec = DatasetEvidence.model_validate({"kind": "dataset", "source": "worldbank", "snapshot": "merchandise_exports",
                                           "select": {"entity": "FRA"}, "compute": {"op": "value", "period": "2020"}})
    newest = loader.snapshot("worldbank", "merchandise_exports")
    assert resolve_vintage(spec, date(2099, 1, 1), loader).version == newest.version
    assert calls == [("merchandise_exports", None)]
    gdp = load_snapshot("worldbank", "gdp_current_usd")
    older = loader.snapshot("worldbank", "gdp_current_usd", as_of=date(2024, 12, 31))
    assert older.version == "2024-10-21" != gdp.version and len(calls) == 2
    assert loader.snapshot("worldbank", "gdp_current_usd").version == gdp.version and len(calls) == 3


# ------------------------------------------------- a sum over generated rows, against plain pandas

MONTHS = [f"2022-{m:02d}" for m in range(1, 5)]


def plain_sum(frame: pd.DataFrame, period_text: str, require_complete: bool) -> tuple[float, pd.DataFrame]:
    """What a sum over ``period`` is, written with one pandas call per step: the oracle."""
    period = parse_period(period_text)
    inside = frame[[(p := row_period(t)) is not None and p in period for t in frame["period"]]]
    if inside.empty:
        raise ComputeMissing("no rows")
    keys = ["entity", "partner", "measure"]
    if inside.duplicated(subset=keys + ["period"], keep=False).any():
        raise ComputeError("rows share")
    if require_complete:
        absent = False
        for _, group in inside.groupby(keys, dropna=False):
            kinds = {"month" if len(str(t)) == 7 else "year" if len(str(t)) == 4 and str(t).isdigit() else "other"
                     for t in group["period"]}
            if kinds == {"month", "year"}:
                raise ComputeError("mixed monthly and annual")
            if len(kinds) == 1 and kinds != {"other"}:
                expected = period.months() if kinds == {"month"} else [str(y) for y in range(period.start.year, period.end.year + 1)]
                absent |= bool(set(expected) - {str(t) for t in group["period"]})
        if absent:
            raise ComputeMissing("incomplete")
    values = pd.to_numeric(inside["value"], errors="coerce")
    if values.isna().any():
        raise ComputeError("non-numeric")
    if len({str(u) for u in inside["unit"].dropna()}) > 1:
        raise ComputeError("mixed units")
    return float(values.astype(float).sum()), inside


@st.composite
def tidy_rows(draw):
    cells = st.tuples(st.sampled_from(["A", "B"]), st.sampled_from(["P", None, float("nan")]),
                      st.sampled_from(MONTHS + ["2021", "2022", "unstated"]), st.sampled_from(["x", "y"]),
                      st.one_of(st.floats(-1e12, 1e12), st.just(float("nan"))), st.sampled_from(["USD", "USD", "EUR"]))
    rows = draw(st.lists(cells, max_size=10))
    frame = pd.DataFrame(rows, columns=["entity", "partner", "period", "measure", "value", "unit"])
    if draw(st.booleans()):  # as a snapshot is loaded: text columns, float values
        frame = frame.astype({"entity": str, "period": str, "measure": str, "unit": str})
    return frame


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tidy_rows(), st.sampled_from(["2022", "2022-01/2022-03", "2021/2022", "2022-02"]), st.booleans())
def test_a_sum_over_any_rows_is_what_plain_pandas_gives(frame, period, require_complete):
    try:
        expected = plain_sum(frame, period, require_complete)
    except (ComputeMissing, ComputeError) as exc:
        with pytest.raises(type(exc)):
            compute(Compute(op="sum", period=period, require_complete=require_complete), frame)
        return
    result = compute(Compute(op="sum", period=period, require_complete=require_complete), frame)
    assert result.value == expected[0]
    pd.testing.assert_frame_equal(result.rows, expected[1])


@pytest.mark.parametrize("positions", [[], [7], [3, 4, 5, 6], [3, 5], [6, 5, 4], [9, 10, 2], list(range(66))])
def test_taking_rows_as_a_slice_gives_what_take_gives(positions):
    frame = load_snapshot("worldbank", "merchandise_exports").frame
    for chosen in (frame, frame.iloc[100:200]):
        pd.testing.assert_frame_equal(take_rows(chosen, positions), chosen.take(positions), check_index_type=True)
        pd.testing.assert_frame_equal(take_rows(chosen, np.array(positions, dtype=np.intp)), chosen.take(positions))
