"""Scheduled runs: a lock, a run folder switched into place when complete, a history line per run."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimcheck.publish import history
from claimcheck.batch import runner
from claimcheck.publish import site
from claimcheck.registry.articles import load_article
from claimcheck.cli import main

SEED = "china-belgium-ties-2023-02-26"
REPO = Path(__file__).resolve().parents[1]


class FakeBatch:
    """Stands in for ``runner.run_jobs``: writes what each notebook would, from ``self.rows``."""

    def __init__(self):
        self.reference = "$28.9 bn"
        self.fail: set[str] = set()
        self.calls: list[list[runner.Job]] = []

    def rows(self) -> list[dict]:
        return [{"claim_id": c.id, "verdict": "supported", "reading": "as stated", "claimed": "x",
                 "reference": self.reference if c.id == "trade-2022-jan-aug-total" else "y",
                 "reference_value": "", "difference_abs": "", "difference_rel": "", "rule": "", "source": "s",
                 "sentence": "ok"} for c in load_article(SEED).claims]

    def __call__(self, jobs, workers=None, progress=None, meanwhile=None, **options):
        self.calls.append(list(jobs))
        if meanwhile:
            meanwhile()
        outcomes = []
        for job in jobs:
            out = Path(job.out_dir)
            if job.notebook in self.fail:
                outcomes.append(runner.Outcome(job, False, 0.1, "PapermillExecutionError: boom"))
                continue
            for suffix in (".ipynb", ".html", ".code.html"):
                (out / f"{job.notebook}{suffix}").write_text(f"{job.notebook} {self.reference}", encoding="utf-8")
            if job.notebook == runner.SCORECARD:
                (out / runner.VERDICTS_DIR / "scorecard.json").write_text(json.dumps(self.rows()), encoding="utf-8")
            outcomes.append(runner.Outcome(job, True, 0.1))
        return outcomes


@pytest.fixture
def build(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "build"
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(folder))
    monkeypatch.delenv("CLAIMCHECK_HISTORY", raising=False)
    return folder


@pytest.fixture
def batch(monkeypatch) -> FakeBatch:
    fake = FakeBatch()
    monkeypatch.setattr(runner, "run_jobs", fake)
    return fake


def run(*extra: str) -> int:
    return main(["run", "--article", SEED, "--site-url", "https://checks.example/", *extra])


def test_a_run_publishes_the_article_folder_as_a_link_into_its_run_folder(build, batch):
    assert run() == 0
    public = build / SEED
    assert public.is_symlink()
    target = Path(os.readlink(public))
    assert target.parts[0] == ".runs" and target.parts[2] == SEED
    for name in ("index.html", "verdicts.html", "claimreview.jsonld", "verdicts.csv", "verdicts.json", "trade.html"):
        assert (public / name).is_file(), name
    assert (build / "index.html").is_file()
    assert site.check_site(build) == []


def test_a_run_appends_one_history_line_with_snapshots_and_each_claims_verdict(build, batch):
    assert run() == 0 and run("--mode", "offline") == 0
    records = history.load()
    assert len(records) == 2 and records[0]["run"] != records[1]["run"]
    claims = records[1]["articles"][SEED]["claims"]
    assert len(claims) == len(load_article(SEED).claims)
    assert claims["trade-2022-jan-aug-total"] == {"verdict": "supported", "reference": "$28.9 bn", "reference_value": ""}
    assert records[1]["mode"] == "offline" and "imf/dots_china_belgium_annual" in records[1]["snapshots"]


def test_a_revised_reference_shows_in_diff_and_on_the_pages(build, batch, capsys):
    assert run() == 0
    batch.reference = "$27.1 bn"
    assert run("--force") == 0  # the same inputs: only a forced run executes again
    capsys.readouterr()
    assert main(["diff", "--article", SEED]) == 0
    assert "trade-2022-jan-aug-total: reference $28.9 bn → $27.1 bn" in capsys.readouterr().out
    for page in ("index.html", "verdicts.html"):
        html = (build / SEED / page).read_text(encoding="utf-8")
        assert "Changed since the last run" in html and "$28.9 bn → $27.1 bn" in html


def test_a_failed_notebook_leaves_the_previous_outputs_in_place(build, batch, capsys):
    assert run() == 0
    before_link = os.readlink(build / SEED)
    before = (build / SEED / "trade.html").read_text()
    batch.reference, batch.fail = "$1 bn", {"trade"}
    assert run("--force") == 1
    err = capsys.readouterr().err
    assert "FAILED notebook" in err and f"NOT PUBLISHED {SEED}" in err
    assert os.readlink(build / SEED) == before_link
    assert (build / SEED / "trade.html").read_text() == before
    assert len(history.load()) == 1
    assert len(list((build / runner.RUNS_DIR).iterdir())) == 2  # the failed run's folder stays for inspection


def test_a_second_concurrent_run_exits_non_zero_without_touching_the_build(build, batch, capsys):
    build.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys, time\n"
         f"fd = os.open({str(build / '.lock')!r}, os.O_RDWR | os.O_CREAT)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\n"
         "os.write(fd, f'pid {os.getpid()}'.encode())\n"
         "print('locked', flush=True)\n"
         "time.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert run() == runner.EXIT_LOCKED
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert "another claimcheck run is writing" in err and f"pid {holder.pid}" in err
    assert batch.calls == [] and not (build / runner.RUNS_DIR).exists() and not (build / SEED).exists()
    assert run() == 0  # the holder is gone: its lock went with it


def test_a_lock_file_left_by_a_dead_run_does_not_block_the_next(build, batch):
    build.mkdir(parents=True)
    (build / ".lock").write_text("pid 999999 on elsewhere since 2020-01-01T00:00:00Z\n")
    assert run() == 0
    assert (build / ".lock").read_text().startswith(f"pid {os.getpid()} ")


def test_the_lock_is_exclusive_within_one_process_too(build):
    with runner.build_lock(build):
        with pytest.raises(runner.BuildLocked):
            with runner.build_lock(build):
                pass
    with runner.build_lock(build):
        pass


def test_an_article_folder_from_the_older_layout_is_moved_aside_once(build, batch):
    (build / SEED).mkdir(parents=True)
    (build / SEED / "old.txt").write_text("old")
    assert run() == 0
    assert (build / SEED).is_symlink() and not (build / SEED / "old.txt").exists()
    (aside,) = (build / runner.RUNS_DIR).glob(f"*-previous/{SEED}/old.txt")
    assert aside.read_text() == "old"


def test_old_run_folders_are_pruned_but_never_the_live_one(build, batch):
    for _ in range(runner.KEEP_RUNS + 2):
        assert run() == 0
    folders = sorted(p.name for p in (build / runner.RUNS_DIR).iterdir())
    assert len(folders) == runner.KEEP_RUNS
    assert Path(os.readlink(build / SEED)).parts[1] == folders[-1]


def test_a_run_of_some_notebooks_keeps_the_other_notebooks_outputs(build, batch):
    assert run() == 0
    batch.reference = "$27.1 bn"
    assert run("--notebook", "trade", "--force") == 0
    assert [j.notebook for j in batch.calls[-1]] == ["trade"]
    assert (build / SEED / "trade.html").read_text() == "trade $27.1 bn"
    assert (build / SEED / "dates.html").read_text() == "dates $28.9 bn"


def test_the_ci_workflow_refreshes_on_a_schedule_and_uploads_the_build():
    import yaml

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "refresh.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["schedule"][0]["cron"]
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    text = json.dumps(steps)
    assert "claimcheck run --all --refresh" in text
    assert "${{ secrets.COMTRADE_API_KEY }}" in text
    upload = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["path"].rstrip("/") == "build"


def test_the_docs_explain_sharing_and_scheduling():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/sharing.md" in readme and "docs/scheduling.md" in readme
    scheduling = (REPO / "docs" / "scheduling.md").read_text(encoding="utf-8")
    for needle in ("claimcheck run --all --refresh", "build/.lock", "build/.runs/", "history.jsonl",
                   "claimcheck diff", "refresh.yml", "make clean", "75"):
        assert needle in scheduling, needle
    sharing = (REPO / "docs" / "sharing.md").read_text(encoding="utf-8")
    for needle in ("verdicts.html", "scorecard.html", "claimreview.jsonld", "build/index.html"):
        assert needle in sharing, needle
