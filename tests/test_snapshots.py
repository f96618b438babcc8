"""The snapshot store: checksums, atomic writes, refresh through a replay server, modes, and the CLI."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from claimcheck import cli
from claimcheck.reference.http import HttpClient, SourceError
from claimcheck.reference.snapshots import (
    SnapshotInvalid,
    SnapshotMissing,
    get_snapshot,
    load_snapshot,
    refresh,
    render_csv,
    snapshot_dir,
    snapshot_paths,
    write_snapshot,
)
from claimcheck.reference.commands import sources_table
from conftest import REPO, Reply, recorded_rows, shared_dir

WB_PATH = "/v2/country/all/indicator/NY.GDP.MKTP.CD"
# A real /v2/countries page (wbdata-go cassette, 2020-04-05): ARB among its aggregates, no JPN.
COUNTRIES = REPO / "tests/recordings/worldbank/countries_per_page10_page1.json"
PAGE = WB_PATH + "?format=json&per_page=1000&page={}"


def fast_client() -> HttpClient:
    return HttpClient(timeout=(1, 0.3), max_retries=1, backoff=0.001, max_backoff=0.01, retry_after_cap=0.05)


def snapshot_bytes(source: str = "worldbank", name: str = "gdp_current_usd") -> list[bytes]:
    return [path.read_bytes() for path in snapshot_paths(source, name)]


@pytest.fixture
def world_bank_replay(replay_server, data_copy, monkeypatch):
    """The replay server standing in for api.worldbank.org, with CLAIMCHECK_DATA on a scratch copy."""
    monkeypatch.setenv("CLAIMCHECK_WORLDBANK_URL", f"{replay_server.url}/v2")
    replay_server.script("/v2/country", Reply.file(COUNTRIES))
    return replay_server


def serve_recorded_pages(server, api_samples) -> None:
    """Page 1 = the recorded JPN-USA body (it announces 2 pages); page 2 = the recorded all-countries page 1.

    The recordings hold only Japan and the Arab World, so the stored snapshot is first cut down to
    those two series (from the seeded file): a refresh may not drop series the store already has.
    """
    stored = load_snapshot("worldbank", "gdp_current_usd")
    write_snapshot("worldbank", "gdp_current_usd", recorded_rows(stored.frame),
                   stored.meta)
    samples = api_samples / "worldbank"
    server.script(PAGE.format(1), Reply.file(samples / "indicator_JPN-USA_NY.GDP.MKTP.CD_2018-2019_per_page2.json"))
    server.script(PAGE.format(2), Reply.file(samples / "indicator_all_NY.GDP.MKTP.CD_page1.json"))


# ------------------------------------------------------------------------------------------- loading


def test_the_seeded_snapshots_load_with_valid_checksums_and_provenance():
    gdp = load_snapshot("worldbank", "gdp_current_usd", version="2024-10-21")
    assert len(gdp.frame) == 13979 and gdp.frame["value"].dtype == float
    assert gdp.provenance.method == "transcribed"
    assert "822019c80142c162e4ca4eb1a63699ae36075078" in gdp.provenance.transcribed_from
    assert gdp.provenance.licence == "ODC-PDDL-1.0"
    dots = load_snapshot("imf", "dots_china_belgium_annual")
    assert len(dots.frame) == 420 and dots.frame["period"].max() == "2020"
    row = dots.frame.set_index(["entity", "partner", "measure", "period"]).loc[("CHN", "BEL", "exports_fob", "2020")]
    assert row["value"] == 20776479300.000004 and row["unit"] == "USD"  # 20776.479300000003 US$ m in the xlsx


def test_a_changed_byte_is_reported_as_a_checksum_mismatch_with_what_to_do(data_copy):
    csv_path, _ = snapshot_paths("worldbank", "gdp_current_usd", "2024-10-21")
    csv_path.write_bytes(csv_path.read_bytes().replace(b"17820459508852.184", b"17820459508852.185"))
    with pytest.raises(SnapshotInvalid) as caught:
        load_snapshot("worldbank", "gdp_current_usd", version="2024-10-21")
    message = str(caught.value)
    assert "checksum mismatch" in message and "git checkout --" in message
    assert "claimcheck refresh --source worldbank --snapshot gdp_current_usd" in message


def test_a_missing_snapshot_says_how_to_refresh_and_offline_opens_no_socket(data_copy):
    shutil.rmtree(snapshot_dir("worldbank", "gdp_current_usd"))
    with pytest.raises(SnapshotMissing, match="claimcheck refresh --source worldbank --snapshot gdp_current_usd"):
        get_snapshot("worldbank", "gdp_current_usd", mode="offline")


def test_a_sidecar_without_its_csv_is_invalid_not_missing(data_copy):
    snapshot_paths("worldbank", "gdp_current_usd")[0].unlink()
    with pytest.raises(SnapshotInvalid, match="incomplete"):
        load_snapshot("worldbank", "gdp_current_usd")


# ------------------------------------------------------------------------------------------- writing


def tiny_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"entity": ["USA", "CHN", "doc"], "partner": ["", "", ""], "period": ["2022", "2022", "1971-10-25"],
         "measure": ["gdp", "gdp", "established"], "value": [25744108000000.0, 17881783387000.867, "1971-10-25"],
         "unit": ["USD", "USD", "date"]}
    )  # fmt: skip


def test_rendering_is_deterministic_sorted_lf_and_round_trips_floats(data_copy):
    frame = tiny_frame()
    assert render_csv(frame) == render_csv(frame.iloc[::-1])
    data = render_csv(frame)
    assert b"\r" not in data and data.endswith(b"\n")
    assert data.splitlines()[1:] == [
        b"CHN,,2022,gdp,17881783387000.867,USD",
        b"USA,,2022,gdp,25744108000000.0,USD",
        b"doc,,1971-10-25,established,1971-10-25,date",
    ]
    write_snapshot("test", "tiny", frame, {"method": "transcribed", "dataset": "x"})
    loaded = load_snapshot("test", "tiny").frame
    assert loaded["value"].dtype == object and loaded["value"].tolist()[0] == 17881783387000.867


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda f: f.iloc[0:0], "no rows"),
        (lambda f: f.drop(columns="unit"), "missing tidy column"),
        (lambda f: f.assign(value=[float("nan"), 1.0, "1971-10-25"]), "empty 'value'"),
        (lambda f: f.assign(value=["n/a", 1.0, "1971-10-25"]), "non-numeric"),
        (lambda f: f.assign(entity=["USA", None, "doc"]), "empty 'entity'"),
        (lambda f: f.assign(entity=["USA", "USA", "doc"]), "duplicate key"),
    ],
)
def test_an_invalid_frame_is_refused_and_leaves_the_stored_files_untouched(data_copy, damage, message):
    before = snapshot_bytes()
    with pytest.raises(SnapshotInvalid, match=message):
        write_snapshot("worldbank", "gdp_current_usd", damage(tiny_frame()), {"method": "api"})
    assert snapshot_bytes() == before


def test_a_failing_replace_leaves_the_old_files_and_no_temporary_files(data_copy, monkeypatch):
    before = snapshot_bytes()
    folder = snapshot_paths("worldbank", "gdp_current_usd")[0].parent
    files = sorted(p.name for p in folder.iterdir())

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_snapshot("worldbank", "gdp_current_usd", tiny_frame(), {"method": "api"})
    assert snapshot_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == files


# ------------------------------------------------------------------------------------------- refresh

FAILURES = {
    "always 500": [Reply(500, b"Internal Server Error")],
    "always 429": [Reply(429, b"Too Many Requests", {"Retry-After": "1"})],
    "read timeout": [Reply(200, b"[]", delay=0.8)],
    "malformed JSON": [Reply(200, b'[{"page":1,"pages":1', {"Content-Type": "application/json"})],
    "truncated body": [Reply(200, b'[{"page":1,"pages":1,', {"Content-Length": "4096"})],
    "empty body": [Reply(200, b"")],
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failed_refresh_leaves_the_snapshot_byte_identical(world_bank_replay, failure):
    world_bank_replay.script(WB_PATH, *FAILURES[failure])
    before = snapshot_bytes()
    with pytest.raises(SourceError):
        refresh("worldbank", "gdp_current_usd", http=fast_client())
    assert snapshot_bytes() == before
    assert load_snapshot("worldbank", "gdp_current_usd").meta["method"] == "transcribed"


@pytest.mark.parametrize(
    "sample, status, content_type",
    [
        ("error_120_invalid_value_http200.json", 200, "application/json;charset=utf-8"),
        ("error_http400_invalid_source.html", 400, "text/html"),
    ],
)
def test_a_recorded_world_bank_error_fails_the_refresh_and_keeps_the_snapshot(
    world_bank_replay, api_samples, sample, status, content_type
):
    world_bank_replay.script(WB_PATH, Reply.file(api_samples / "worldbank" / sample, status, content_type))
    before = snapshot_bytes()
    with pytest.raises(SourceError) as caught:
        refresh("worldbank", "gdp_current_usd", http=fast_client())
    assert caught.value.status == status
    assert snapshot_bytes() == before


def test_a_refresh_whose_second_page_was_never_recorded_keeps_the_snapshot(world_bank_replay, api_samples):
    samples = api_samples / "worldbank"
    world_bank_replay.script(PAGE.format(1), Reply.file(samples / "indicator_JPN-USA_NY.GDP.MKTP.CD_2018-2019_per_page2.json"))
    before = snapshot_bytes()
    with pytest.raises(SourceError, match="HTTP 404"):
        refresh("worldbank", "gdp_current_usd", http=fast_client())
    assert snapshot_bytes() == before


def test_a_successful_refresh_writes_an_api_snapshot_with_a_redacted_url_and_valid_checksum(
    world_bank_replay, api_samples
):
    serve_recorded_pages(world_bank_replay, api_samples)
    snap = refresh("worldbank", "gdp_current_usd", http=fast_client())
    assert snap.meta["method"] == "api" and snap.provenance.method == "api"
    assert snap.meta["url"] == f"{world_bank_replay.url}{PAGE.format(1)}"
    assert snap.meta["retrieved_at"].endswith("+00:00")
    assert snap.meta["licence"] == "CC BY 4.0"
    csv_path, meta_path = snapshot_paths("worldbank", "gdp_current_usd")
    assert yaml.safe_load(meta_path.read_text())["sha256"] == hashlib.sha256(csv_path.read_bytes()).hexdigest()
    assert len(snap.frame) == 2 + 49  # JPN 2019, 2018 + Arab World 1971-2019 (2020 is null)
    values = snap.frame.set_index(["entity", "period"])
    assert values.loc[("JPN", "2019"), "value"] == 5081769542379.77
    assert values.loc[("ARB", "2019"), "aggregate"] and not values.loc[("JPN", "2019"), "aggregate"]
    assert "transcribed_from" not in snap.meta


def test_a_url_with_a_key_is_stored_without_it(data_copy):
    write_snapshot("test", "keyed", tiny_frame(), {"method": "api", "url": "https://x.example/d?subscription-key=S3CRET&a=1"})
    sidecar = snapshot_paths("test", "keyed")[1].read_text()
    assert "S3CRET" not in sidecar and "https://x.example/d?a=1" in sidecar


def test_refresh_mode_fetches_once_per_process_and_auto_only_when_missing(world_bank_replay, api_samples):
    serve_recorded_pages(world_bank_replay, api_samples)
    assert get_snapshot("worldbank", "gdp_current_usd", mode="auto").meta["method"] == "transcribed"
    assert world_bank_replay.requests == []
    get_snapshot("worldbank", "gdp_current_usd", mode="refresh", http=fast_client())
    get_snapshot("worldbank", "gdp_current_usd", mode="refresh", http=fast_client())
    assert len(world_bank_replay.requests_to(WB_PATH)) == 2  # two pages, fetched once
    shutil.rmtree(snapshot_dir("worldbank", "gdp_current_usd"))
    assert get_snapshot("worldbank", "gdp_current_usd", mode="auto", http=fast_client()).meta["method"] == "api"
    assert len(world_bank_replay.requests_to(WB_PATH)) == 4


# ----------------------------------------------------------------------------------------------- CLI


def test_cli_refresh_of_the_world_bank_works_against_the_replay_server(world_bank_replay, api_samples, capsys):
    serve_recorded_pages(world_bank_replay, api_samples)
    assert cli.main(["refresh", "--source", "worldbank", "--snapshot", "gdp_current_usd"]) == 0
    assert "worldbank/gdp_current_usd: refreshed, 51 rows" in capsys.readouterr().out
    assert load_snapshot("worldbank", "gdp_current_usd").meta["method"] == "api"


def test_cli_refresh_failure_exits_1_and_keeps_the_snapshot(world_bank_replay, api_samples, capsys):
    world_bank_replay.script(WB_PATH, Reply.file(api_samples / "worldbank/error_120_invalid_value_http200.json"))
    before = snapshot_bytes()
    assert cli.main(["refresh", "--source", "worldbank", "--snapshot", "gdp_current_usd"]) == 1
    assert "FAILED, kept the stored snapshot" in capsys.readouterr().out
    assert snapshot_bytes() == before


def test_cli_refresh_of_an_undeclared_snapshot_says_it_cannot(data_copy, capsys):
    assert cli.main(["refresh", "--source", "worldbank", "--snapshot", "no_such"]) == 2
    assert "the worldbank catalogue has no snapshot 'no_such'" in capsys.readouterr().out


def test_cli_refresh_of_a_misspelt_snapshot_suggests_the_nearest(data_copy, capsys):
    assert cli.main(["refresh", "--source", "worldbank", "--snapshot", "gdp_curent_usd"]) == 2
    assert "did you mean 'gdp_current_usd'?" in capsys.readouterr().out


def test_cli_refresh_of_a_transcription_without_a_query_says_it_cannot(data_copy, capsys):
    before = snapshot_paths("imf", "dots_china_belgium_annual")[0].read_bytes()
    assert cli.main(["refresh", "--source", "imf", "--snapshot", "dots_china_belgium_annual"]) == 1
    assert "is a transcription with no query" in capsys.readouterr().out
    assert snapshot_paths("imf", "dots_china_belgium_annual")[0].read_bytes() == before


def test_cli_refresh_of_an_unknown_source_lists_the_known_ones(data_copy, capsys):
    assert cli.main(["refresh", "--source", "nowhere"]) == 2
    assert "unknown source 'nowhere'; known: " in capsys.readouterr().out


def test_cli_sources_lists_the_snapshots(data_copy, capsys):
    assert cli.main(["sources"]) == 0
    out = capsys.readouterr().out
    assert "gdp_current_usd" in out and "dots_china_belgium_annual" in out and "documents" in out


def test_sources_table_shows_a_declared_snapshot_missing_offline(data_copy):
    shutil.rmtree(snapshot_dir("worldbank", "gdp_current_usd"))
    table = sources_table().set_index(["source", "snapshot"])
    status = table.loc[("worldbank", "gdp_current_usd"), "status"]
    assert status.startswith("missing offline; a refresh would fetch worldbank indicator=NY.GDP.MKTP.CD countries=all")
    assert table.loc[("imf", "dots_china_belgium_annual"), "method"] == "transcribed"


# Stored values in a numeric unit as someone might edit them (re-summing the sidecar): each reads as
# float() reads it, or the version is invalid; never a traceback, never a boolean word read as 1.0.
ODD_VALUES = ["1_0", "\u0661\u0662", "1e999", " 1", "+1", "1.", ".5", "-0.0", "nan", "inf", "NaN", "", "True", "FALSE",
              "one", "1,5", "0x10", "1e", "9007199254740993", "4.9e-324"]  # fmt: skip


def edited_value(source: str, name: str, stored: str, text: str) -> None:
    """The first row's value of the newest version (``stored``) replaced by ``text``, its sidecar re-summed."""
    csv_path, meta_path = snapshot_paths(source, name)
    header, first, rest = stored.split("\n", 2)
    cells = first.split(",")
    cells[header.split(",").index("value")] = f'"{text}"' if "," in text else text
    data = "\n".join([header, ",".join(cells), rest]).encode("utf-8")
    csv_path.write_bytes(data)
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["sha256"] = hashlib.sha256(data).hexdigest()
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("source, name", [("imf", "dots_china_belgium_annual"), ("worldbank", "population")])
def test_an_edited_value_reads_as_float_reads_it_or_makes_the_version_invalid(data_copy, source, name):
    stored = snapshot_paths(source, name)[0].read_text(encoding="utf-8")
    for text in ODD_VALUES:
        edited_value(source, name, stored, text)
        try:
            expected = float(text)
        except ValueError:
            with pytest.raises(SnapshotInvalid, match=re.escape(f"the value {text!r} of a row whose unit is not text is no number")):
                load_snapshot(source, name)
            continue
        value = load_snapshot(source, name).frame["value"].iloc[0]
        assert repr(float(value)) == repr(expected), text


# ------------------------------------------------------------------------------------------- seeding


def test_the_seed_script_reproduces_the_committed_files_byte_for_byte(tmp_path):
    shared = shared_dir()
    if not (shared / "reference").is_dir():
        pytest.skip(f"shared reference folder not found at {shared} (set CLAIMCHECK_SHARED)")
    env = {**os.environ, "CLAIMCHECK_DATA": str(tmp_path), "CLAIMCHECK_SHARED": str(shared)}
    subprocess.run([sys.executable, str(REPO / "scripts/seed_snapshots.py")], env=env, check=True, capture_output=True)
    made = sorted(p for p in (tmp_path / "reference").rglob("*.*") if "catalogue" not in p.relative_to(tmp_path).parts)
    declared = {"README.md", "groups.yaml", "draft_words.yaml"}  # written by hand, like the catalogue, not seeded
    committed_files = [p for p in (REPO / "data/reference").rglob("*.*") if "catalogue" not in p.parts and p.name not in declared]
    assert len(made) == len(committed_files) > 60
    for path in made:  # the committed files came from an earlier run, so equality means reruns are identical
        committed = REPO / "data" / path.relative_to(tmp_path)
        assert path.read_bytes() == committed.read_bytes(), f"{committed} differs from a fresh seed"


def test_a_refresh_that_would_drop_stored_series_is_refused_and_keeps_the_snapshot(world_bank_replay, api_samples):
    samples = api_samples / "worldbank"
    world_bank_replay.script(PAGE.format(1), Reply.file(samples / "indicator_JPN-USA_NY.GDP.MKTP.CD_2018-2019_per_page2.json"))
    world_bank_replay.script(PAGE.format(2), Reply.file(samples / "indicator_all_NY.GDP.MKTP.CD_page1.json"))
    before = snapshot_bytes()
    with pytest.raises(SnapshotInvalid, match=r"lacks \d{3} of the \d{3} stored series \(e.g. ABW//NY.GDP.MKTP.CD"):
        refresh("worldbank", "gdp_current_usd", http=fast_client())
    assert snapshot_bytes() == before


def test_refresh_mode_reads_a_transcription_its_source_cannot_fetch_without_asking_the_network(data_copy):
    snap = get_snapshot("imf", "dots_china_belgium_annual", mode="refresh")
    assert snap.meta["method"] == "transcribed"
    assert set(snap.frame["entity"]) >= {"BLX", "CHN", "BEL"}


def test_cli_refresh_all_refreshes_what_it_can_names_each_failure_and_keeps_the_rest(
    world_bank_replay, api_samples, data_copy, monkeypatch, capsys
):
    from claimcheck.reference.sources import SOURCE_MODULES

    for source in set(SOURCE_MODULES) - {"worldbank"}:  # unscripted paths: the replay server answers 404
        monkeypatch.setenv(f"CLAIMCHECK_{source.upper()}_URL", world_bank_replay.url)
    serve_recorded_pages(world_bank_replay, api_samples)
    others = {p: p.read_bytes() for p in (data_copy / "reference").rglob("*") if p.is_file() and "worldbank" not in p.parts}

    assert cli.main(["refresh", "--all"]) == 1

    out = capsys.readouterr().out
    assert "worldbank/gdp_current_usd: refreshed" in out
    lines = out.splitlines()
    for source in ("comtrade", "imf", "eurostat", "wikidata", "owid"):
        assert any(line.startswith(f"{source}/") and "FAILED" in line for line in lines), source
    summary = lines[-1]
    assert summary.startswith("refresh: 1 of ") and "failed, each kept as it was: " in summary
    assert all(f"{source}/" in summary for source in ("comtrade", "imf", "eurostat", "wikidata", "owid"))
    assert load_snapshot("worldbank", "gdp_current_usd").meta["method"] == "api"
    assert {p: p.read_bytes() for p in others} == others
