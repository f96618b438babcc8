"""Snapshot versions: a refresh adds a version beside the old, identical data add none, ``as_of`` picks
the newest on or before a date, verdicts record the version they used, ``run --as-of`` pins a run."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest
import yaml

from claimcheck import cli
from claimcheck.judge.evidence import Loader
from claimcheck.judge.verdicts import judge_all
from claimcheck.publish.site import RUN_FILE
from claimcheck.reference.snapshots import (
    AS_OF_ENV,
    SnapshotMissing,
    get_snapshot,
    load_snapshot,
    refresh,
    revision_changes,
    snapshot_dir,
    version_paths,
    versions,
    write_snapshot,
)
from claimcheck.registry.articles import load_article
from conftest import REPO, Reply, recorded_rows

SEED = "china-belgium-ties-2023-02-26"
WB_PAGE = "/v2/country/all/indicator/NY.GDP.MKTP.CD?format=json&per_page=1000&page={}"
SEEDED = "2024-10-21"  # the transcribed datasets/gdp copy
NEWEST = "2026-07-01"  # the datasets/world-development-indicators copy


def version_bytes(source: str, name: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(snapshot_dir(source, name).iterdir())}


@pytest.fixture
def two_series_store(replay_server, data_copy, monkeypatch, api_samples):
    """The seeded GDP version cut to the two economies the recorded World Bank pages hold (Japan, Arab World),
    and the replay server serving those pages, so a refresh is a real revision of the same series."""
    monkeypatch.setenv("CLAIMCHECK_WORLDBANK_URL", f"{replay_server.url}/v2")
    replay_server.script("/v2/country", Reply.file(REPO / "tests/recordings/worldbank/countries_per_page10_page1.json"))
    seeded = load_snapshot("worldbank", "gdp_current_usd", version=SEEDED)
    shutil.rmtree(snapshot_dir("worldbank", "gdp_current_usd"))
    write_snapshot("worldbank", "gdp_current_usd", recorded_rows(seeded.frame),
                   seeded.meta, version=SEEDED)
    samples = api_samples / "worldbank"
    # the World Bank's own country metadata, which a refresh reads to flag aggregates (ARB is one)
    replay_server.script("/v2/country", Reply.file(REPO / "tests/recordings/worldbank/countries_per_page10_page1.json"))
    replay_server.script(WB_PAGE.format(1), Reply.file(samples / "indicator_JPN-USA_NY.GDP.MKTP.CD_2018-2019_per_page2.json"))
    replay_server.script(WB_PAGE.format(2), Reply.file(samples / "indicator_all_NY.GDP.MKTP.CD_page1.json"))
    return replay_server


def test_the_two_seeded_snapshots_kept_their_bytes_and_checksums_in_the_versioned_layout():
    # the sha256 the sidecars recorded before snapshots had versions
    expected = {("worldbank", "gdp_current_usd", "2024-10-21"): "d14f5fa4df2253369d824d33fe10efaeac2b1ebe5504d408477d3081e8a1cc21",
                ("imf", "dots_china_belgium_annual", "2022-02-02"): "4ae1e56e1cd031ea61612ea32a6124d4f11211089a715dd90e06103e0e03661d"}  # fmt: skip
    for (source, name, version), digest in expected.items():
        csv_path, meta_path = version_paths(source, name, version)
        assert hashlib.sha256(csv_path.read_bytes()).hexdigest() == digest
        meta = yaml.safe_load(meta_path.read_text())
        assert meta["sha256"] == digest and meta["version"] == version and meta["published"] == version
        assert "not a" in meta["published_means"] and "release date" in meta["published_means"]


def test_a_refresh_that_changes_data_writes_a_second_version_and_identical_data_write_none(two_series_store):
    before = version_bytes("worldbank", "gdp_current_usd")
    snap = refresh("worldbank", "gdp_current_usd", http=None)
    stored = versions("worldbank", "gdp_current_usd")
    assert stored == [SEEDED, snap.version] and snap.version > SEEDED
    assert {k: v for k, v in version_bytes("worldbank", "gdp_current_usd").items() if k in before} == before
    meta = yaml.safe_load(version_paths("worldbank", "gdp_current_usd", snap.version)[1].read_text())
    assert meta["method"] == "api" and meta["version"] == snap.version and meta["published"] == meta["retrieved_at"]
    assert meta["sha256"] == hashlib.sha256(version_paths("worldbank", "gdp_current_usd", snap.version)[0].read_bytes()).hexdigest()
    assert snap.provenance.version == snap.version

    after_first = version_bytes("worldbank", "gdp_current_usd")
    again = refresh("worldbank", "gdp_current_usd", http=None)
    assert again.version == snap.version
    assert version_bytes("worldbank", "gdp_current_usd") == after_first  # nothing new, nothing rewritten


def test_as_of_reads_the_newest_version_on_or_before_the_date(two_series_store):
    new = refresh("worldbank", "gdp_current_usd").version
    assert get_snapshot("worldbank", "gdp_current_usd").version == new
    assert get_snapshot("worldbank", "gdp_current_usd", as_of="2024-10-21").version == SEEDED
    assert get_snapshot("worldbank", "gdp_current_usd", as_of=new[:10]).version == new
    with pytest.raises(SnapshotMissing, match="no version of worldbank/gdp_current_usd published on or before 2024-10-20"):
        get_snapshot("worldbank", "gdp_current_usd", as_of="2024-10-20")


def test_the_run_pin_caps_every_read_even_a_later_as_of(two_series_store, monkeypatch):
    refresh("worldbank", "gdp_current_usd")
    monkeypatch.setenv(AS_OF_ENV, "2025-01-01")
    assert get_snapshot("worldbank", "gdp_current_usd").version == SEEDED
    assert get_snapshot("worldbank", "gdp_current_usd", as_of="2030-01-01").version == SEEDED


def test_a_revision_lists_the_cells_that_moved_with_old_and_new_values(two_series_store, capsys):
    new = refresh("worldbank", "gdp_current_usd").version
    changes = revision_changes("worldbank", "gdp_current_usd", SEEDED, new).set_index(["entity", "period"])
    seeded = load_snapshot("worldbank", "gdp_current_usd", version=SEEDED).frame.set_index(["entity", "period"])
    jpn = changes.loc[("JPN", "2019")]
    assert jpn["change"] == "revised" and jpn["new"] == 5081769542379.77
    assert jpn["old"] == seeded.loc[("JPN", "2019"), "value"] != jpn["new"]
    assert set(changes["change"]) == {"revised", "added"}  # the Arab World arrives as a new series
    assert cli.main(["diff", "--snapshot", "worldbank/gdp_current_usd"]) == 0
    out = capsys.readouterr().out
    assert f"worldbank/gdp_current_usd: {SEEDED} -> {new}:" in out and "revised" in out and "5081769542379.77" in out


def test_diff_of_an_unknown_version_names_the_stored_ones(data_copy, capsys):
    assert cli.main(["diff", "--snapshot", "worldbank/gdp_current_usd", "--from", "1999-01-01"]) == 1
    assert "no version '1999-01-01'; stored: 2018-08-01, 2024-10-21, 2025-12-17, 2026-05-01, 2026-07-01" in capsys.readouterr().out


def test_sources_versions_lists_every_version_and_marks_the_one_read(two_series_store, capsys):
    new = refresh("worldbank", "gdp_current_usd").version
    assert cli.main(["sources", "--versions"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "gdp_current_usd" in line]
    assert len(lines) == 2 and SEEDED in lines[0] and "transcribed" in lines[0]
    assert new in lines[1] and " * " in lines[1] and "api" in lines[1]


def test_a_verdict_records_the_snapshot_version_it_used(data_copy):
    article = load_article(SEED)

    def versions_used(as_of=None):
        verdict = judge_all(article, ["china-second-largest-economy"], loader=Loader("offline", as_of=as_of))[0]
        assert verdict.verdict == "supported"
        used = [s for s in verdict.sources if s.get("source") == "worldbank"]
        assert used and all(s["snapshot"] == f"reference/worldbank/gdp_current_usd/{s['version']}.csv" for s in used)
        return {s["version"] for s in used}

    assert versions_used() == {NEWEST}
    assert versions_used(as_of="2025-06-29") == {SEEDED}
    # the same table published again later (an unchanged re-release) is a further version
    newest = load_snapshot("worldbank", "gdp_current_usd")
    write_snapshot("worldbank", "gdp_current_usd", newest.frame, {**newest.meta, "published": "2026-08-01"},
                   version="2026-08-01")
    assert versions_used() == {"2026-08-01"}
    assert versions_used(as_of="2026-07-31") == {NEWEST}


def test_run_as_of_pins_the_notebooks_to_the_vintage_of_that_date_and_records_it(data_copy, tmp_path, monkeypatch):
    """A real batch run as of the article's date: the kernels inherit the pin, so the GDP claim reads the
    2018-08-01 vintage (the only one taken before 26 Feb 2023), which ends in 2016 and cannot rank 2021."""
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    code = cli.main(["run", "--article", SEED, "--notebook", "economy", "--as-of", "2023-02-26"])
    assert code == 0
    run_file = json.loads((tmp_path / "build" / SEED / RUN_FILE).read_text())
    assert run_file["as_of"] == "2023-02-26"
    assert run_file["snapshots"]["worldbank/gdp_current_usd"]["version"] == "2018-08-01"
    assert run_file["snapshots"]["imf/dots_china_belgium_annual"]["version"] == "2022-02-02"
    assert run_file["snapshots"]["worldbank/population"]["version"] == "2018-08-01"  # a release of the 2018 copy
    trade = run_file["snapshots"]["worldbank/merchandise_trade_share_of_gdp"]  # no copy taken on or before the date
    assert "version" not in trade and "on or before 2023-02-26" in trade["problem"]
    rows = json.loads((tmp_path / "build" / SEED / "verdicts" / "economy.json").read_text())
    row = {r["claim_id"]: r for r in rows}["china-second-largest-economy"]
    assert row["verdict"] == "not-held" and "no rows to rank in 2021" in row["sentence"]
    assert AS_OF_ENV not in os.environ  # the pin ends with the run

    code = cli.main(["run", "--article", SEED, "--notebook", "economy", "--as-of", "2018-07-31"])
    rows = json.loads((tmp_path / "build" / SEED / "verdicts" / "economy.json").read_text())
    row = {r["claim_id"]: r for r in rows}["china-second-largest-economy"]
    assert row["verdict"] == "not-held"
    assert "published on or before 2018-07-31" in row["sentence"]


def test_run_as_of_refuses_a_date_that_is_not_one(capsys):
    with pytest.raises(SystemExit):
        cli.main(["run", "--article", SEED, "--as-of", "26/02/2023"])
    assert "is not a date in the form YYYY-MM-DD" in capsys.readouterr().err
