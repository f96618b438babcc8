"""A refresh refuses a fetch that is no plausible revision of the stored snapshot, unless told to accept it.

The fetched tables are the seeded World Bank GDP snapshot itself, cut or altered the way a broken
answer would be (the issue's cases: only the even years, every value 0); the source's fetch is
replaced so no response body is invented.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from claimcheck import cli
from claimcheck.reference import snapshots
from claimcheck.reference.errors import SnapshotInvalid
from claimcheck.reference.plausibility import implausible_changes
from claimcheck.reference.sources.worldbank import WorldBank

SOURCE, NAME = "worldbank", "gdp_current_usd"


@pytest.fixture
def stored(data_copy):
    return snapshots.load_snapshot(SOURCE, NAME).frame


def odd_periods(frame) -> int:
    """How many stored periods an answer with only the even years lacks."""
    return sum(int(p) % 2 == 1 for p in frame["period"].unique())


def even_years(frame):
    return frame[frame["period"].astype(int) % 2 == 0].reset_index(drop=True)


def scaled(frame, factor, rows=None):
    out = frame.copy()
    index = out.index if rows is None else out.index[:rows]
    out.loc[index, "value"] = out.loc[index, "value"] * factor
    return out


def test_only_the_even_years_is_refused_for_lost_periods_and_shrinking(stored):
    problems = implausible_changes(stored, even_years(stored))
    assert any(p.startswith(f"it lacks {odd_periods(stored)} stored periods (1961, 1963") for p in problems), problems
    assert any(f"where the stored snapshot has {len(stored)}" in p for p in problems), problems


def test_every_value_zero_is_refused(stored):
    problems = implausible_changes(stored, stored.assign(value=0.0))
    assert "every value is 0, where the stored values differ" in problems
    assert any(p.endswith("stored values are now 0") for p in problems)


def test_values_moved_beyond_a_revision_are_refused(stored):
    problems = implausible_changes(stored, scaled(stored, 1.5, rows=100))
    assert problems == [problems[0]] and problems[0].startswith("100 stored values move by more than 20%")


def test_lost_series_are_refused(stored):
    problems = implausible_changes(stored, stored[stored["entity"] != stored["entity"].iloc[0]])
    assert problems and problems[0].startswith("it lacks 1 of the")


@pytest.mark.parametrize("fetched", [
    pytest.param(lambda f: scaled(f, 1.03), id="3% on every cell"),
    pytest.param(lambda f: scaled(f, 2.0, rows=5), id="a few large revisions"),
    pytest.param(lambda f: f[f.index % 25 != 1], id="4% fewer rows, no series or period lost"),
    pytest.param(lambda f: f, id="identical"),
])
def test_ordinary_revisions_are_accepted(stored, fetched):
    assert implausible_changes(stored, fetched(stored)) == []


@pytest.fixture
def fetch_returns(monkeypatch, data_copy):
    def install(frame):
        monkeypatch.setattr(WorldBank, "fetch", lambda self, spec, http: (frame, "https://api.example/v2/gdp"))
    return install


def test_a_refresh_with_only_the_even_years_keeps_the_snapshot_byte_identical(stored, fetch_returns, capsys):
    before = {p: p.read_bytes() for p in snapshots.snapshot_dir(SOURCE, NAME).iterdir()}
    fetch_returns(even_years(stored))
    with pytest.raises(SnapshotInvalid, match="refused, the fetched data are no plausible revision"):
        snapshots.refresh(SOURCE, NAME)
    assert cli.main(["refresh", "--source", SOURCE, "--snapshot", NAME]) == 1
    out = capsys.readouterr().out
    assert "FAILED, kept the stored snapshot" in out and f"lacks {odd_periods(stored)} stored periods" in out and "--accept-changes" in out
    assert {p: p.read_bytes() for p in snapshots.snapshot_dir(SOURCE, NAME).iterdir()} == before


def test_accept_changes_stores_it_anyway_and_the_sidecar_records_it_was_forced(stored, fetch_returns, capsys):
    fetch_returns(stored.assign(value=0.0))
    assert cli.main(["refresh", "--source", SOURCE, "--snapshot", NAME, "--accept-changes"]) == 0
    assert "forced with --accept-changes: every value is 0" in capsys.readouterr().out
    newest = snapshots.load_snapshot(SOURCE, NAME)
    assert newest.meta["method"] == "api" and (newest.frame["value"] == 0).all()
    meta = yaml.safe_load(snapshots.version_paths(SOURCE, NAME, newest.version)[1].read_text())
    assert "every value is 0, where the stored values differ" in meta["accepted_changes"]


def test_a_revision_within_bounds_is_stored_without_being_forced(stored, fetch_returns):
    revised = stored.copy()
    revised["value"] = revised["value"] * np.where(revised.index % 3 == 0, 1.01, 1.0)
    fetch_returns(revised)
    before = snapshots.versions(SOURCE, NAME)
    snap = snapshots.refresh(SOURCE, NAME)
    assert "accepted_changes" not in snap.meta and snapshots.versions(SOURCE, NAME) == [*before, snap.version]
