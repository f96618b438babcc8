"""Hostile input against what a run writes: planted links under build/, a full disk, a damaged history."""

from __future__ import annotations

import errno
import json
import os
from contextlib import contextmanager

import pytest

from claimcheck.batch import runner
from claimcheck.cli import main
from claimcheck.publish import history
from test_runner_schedule import SEED, build, batch, run  # noqa: F401 (fixtures)


# --------------------------------------------------------------------------------- planted links


def test_a_lock_that_is_a_link_is_refused_and_its_target_untouched(build, batch, tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    build.mkdir(parents=True)
    (build / ".lock").symlink_to(notes)
    assert run() == 1
    err = capsys.readouterr().err
    assert notes.read_text() == "my notes\n"
    assert err.count("\n") == 1 and ".lock is a symbolic link" in err and "Traceback" not in err
    assert batch.calls == [] and not (build / SEED).exists()


def test_a_dangling_link_as_lock_or_history_creates_nothing(build, batch, tmp_path, capsys):
    build.mkdir(parents=True)
    for name in (".lock", "history.jsonl"):
        (build / name).symlink_to(tmp_path / f"created-by-{name}")
        assert run() == 1
        assert not (tmp_path / f"created-by-{name}").exists()
        (build / name).unlink()
    assert "is a symbolic link" in capsys.readouterr().err


def test_a_lock_that_is_a_fifo_is_refused(build, batch, capsys):
    build.mkdir(parents=True)
    os.mkfifo(build / ".lock")
    assert run() == 1  # not left waiting on the fifo
    assert ".lock is not a regular file" in capsys.readouterr().err


def test_a_history_that_is_a_link_is_refused_and_nothing_is_published(build, batch, tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    build.mkdir(parents=True)
    (build / "history.jsonl").symlink_to(notes)
    assert run() == 1
    err = capsys.readouterr().err
    assert notes.read_text() == "my notes\n"
    assert "history.jsonl is a symbolic link" in err and "Traceback" not in err
    assert not (build / SEED).exists()  # the run is not published without its history line


def test_a_link_planted_in_the_published_folder_is_not_written_through_by_a_partial_run(build, batch, tmp_path):
    assert run() == 0
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    public = build / SEED
    for name in ("verdicts.csv", "run.json", "scorecard.html", "claimreview.jsonld"):
        (public / name).unlink()
        (public / name).symlink_to(notes)
    assert run("--notebook", "scorecard") == 0
    assert notes.read_text() == "my notes\n"
    for name in ("verdicts.csv", "run.json", "scorecard.html", "claimreview.jsonld"):
        assert not (build / SEED / name).is_symlink(), name


def test_a_published_link_to_a_foreign_folder_is_not_copied_from(build, batch, tmp_path, capsys):
    assert run() == 0
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "private.txt").write_text("private")
    (build / SEED).unlink()
    (build / SEED).symlink_to(foreign, target_is_directory=True)
    run("--notebook", "scorecard")
    for folder, _, names in os.walk(build / runner.RUNS_DIR):
        assert "private.txt" not in names, folder
    assert "not a run folder" in capsys.readouterr().err


def test_a_runs_folder_that_is_a_link_is_refused(build, batch, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    build.mkdir(parents=True)
    (build / runner.RUNS_DIR).symlink_to(elsewhere, target_is_directory=True)
    assert run() == 1
    assert ".runs is a symbolic link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == [] and not (build / SEED).exists()


def test_write_text_replaces_a_link_instead_of_following_it(tmp_path):
    from claimcheck import files

    target = tmp_path / "target"
    target.write_text("keep")
    (tmp_path / "out").symlink_to(target)
    files.write_text(tmp_path / "out", "new")
    assert target.read_text() == "keep" and not (tmp_path / "out").is_symlink()
    assert (tmp_path / "out").read_text() == "new"


# ------------------------------------------------------------------------------ history integrity


def record(run_id: str, verdict: str = "supported") -> dict:
    return history.make_record(run_id, "t", "t", "offline", {"art": [
        {"claim_id": "a", "verdict": verdict, "reference": "r", "reference_value": "1"}]}, snapshots={})


@pytest.fixture
def history_file(tmp_path, monkeypatch):
    path = tmp_path / "history.jsonl"
    monkeypatch.setenv("CLAIMCHECK_HISTORY", str(path))
    return path


@contextmanager
def short_writes(allowed: int):
    """``os.write`` as on a nearly full disk: ``allowed`` bytes in all, then ENOSPC."""
    real = os.write
    left = [allowed]

    def write(fd, data):
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        done = real(fd, bytes(data)[: left[0]])
        left[0] -= done
        return done

    os.write = write
    try:
        yield
    finally:
        os.write = real


def test_a_short_write_fails_and_leaves_the_history_as_it_was(history_file):
    history.append(record("r1"))
    before = history_file.read_bytes()
    with short_writes(100), pytest.raises(OSError) as raised:
        history.append(record("r2"))
    assert raised.value.errno == errno.ENOSPC
    assert history_file.read_bytes() == before


def test_odd_values_inside_a_run_record_do_not_stop_diff(history_file, capsys):
    history.append(record("r1"))
    odd = record("r2", "contradicted")
    odd["snapshots"] = {"s": {"sha256": 12345}}
    odd["articles"]["art"]["claims"]["a"]["reference"] = 7
    history.append(odd)
    assert main(["diff"]) == 0
    out = capsys.readouterr().out
    assert "verdict supported → contradicted" in out and "snapshot s: absent → 12345" in out


def test_after_a_cut_off_line_the_next_record_starts_on_its_own_line(history_file, capsys):
    history.append(record("r1"))
    with history_file.open("a") as handle:
        handle.write('{"run": "r2", "arti')  # a line cut off by an older version
    history.append(record("r3"))
    history.append(record("r4", "contradicted"))
    assert [r["run"] for r in history.load()] == ["r1", "r3", "r4"]
    assert main(["diff"]) == 0
    assert "art: run r3 (offline) → r4 (offline): 1 claim(s) changed" in capsys.readouterr().out


@pytest.mark.parametrize("line", [b"[]", b'{"run": "x", "articles": {"a": 5}}', b'{"run": "x"}', b"5", b"null",
                                  b'{"run": 3, "articles": {}}', b'{"run": "x", "articles": {"a": {"claims": []}}}',
                                  b'{"run": "x", "articles": {"a": {"claims": {"c": 1}}}}',
                                  b'{"run": "x", "articles": {}, "snapshots": {"s": [1]}}',
                                  b"\xff\xfe", b'{"run": "\xff"}'])
def test_a_line_that_is_no_run_record_is_skipped_and_reported(history_file, line, capsys):
    history.append(record("r1"))
    with history_file.open("ab") as handle:
        handle.write(line + b"\n")
    history.append(record("r2", "contradicted"))
    assert [r["run"] for r in history.load()] == ["r1", "r2"]
    err = capsys.readouterr().err
    assert f"{history_file}:2:" in err and "skipped" in err and "Traceback" not in err
    assert main(["diff"]) == 0
    assert "1 claim(s) changed" in capsys.readouterr().out


def test_a_run_after_a_line_that_is_no_run_record_publishes_and_records(build, batch, capsys):
    assert run() == 0
    with (build / "history.jsonl").open("ab") as handle:
        handle.write(b'[]\n{"run":"x","articles":{"' + SEED.encode() + b'":5}}\n\xff\n')
    assert run("--force") == 0
    assert len(history.load()) == 2
    assert "skipped" in capsys.readouterr().err
    assert json.loads((build / SEED / "run.json").read_text())["previous_run"]


def test_a_run_on_a_full_disk_fails_in_one_line_and_keeps_the_history(build, batch, monkeypatch, capsys):
    assert run() == 0
    before = (build / "history.jsonl").read_bytes()
    link = os.readlink(build / SEED)
    from claimcheck import files

    real = files.append_line

    def full(path, line):
        with short_writes(10):
            return real(path, line)

    monkeypatch.setattr(files, "append_line", full)
    assert run("--force") == 1
    err = capsys.readouterr().err
    assert "FAILED history" in err and "No space left on device" in err and "Traceback" not in err
    assert (build / "history.jsonl").read_bytes() == before
    assert os.readlink(build / SEED) == link  # not published without its history line


def test_draft_write_replaces_a_planted_link_instead_of_writing_through_it(data_copy, tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    target = data_copy / "articles" / SEED / "claims.draft.yaml"
    target.symlink_to(notes)
    assert main(["draft", "--article", SEED, "--write"]) == 0
    assert notes.read_text() == "my notes\n"
    assert not target.is_symlink() and "claims:" in target.read_text(encoding="utf-8")
