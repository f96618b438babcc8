"""A refresh stored while a run's notebooks execute: the run reads the versions stored when it
started, and its run file, its history record and its "Data versions" name those, not the new one."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from claimcheck.batch import runner
from claimcheck.cli import main
from claimcheck.reference.snapshots import load_snapshot, pick_version, write_snapshot

SEED = "china-belgium-ties-2023-02-26"
KEY = ("imf", "dots_china_belgium_annual")


def refresh_meanwhile(monkeypatch):
    """Store a revised version of a snapshot the article reads once the run has started, as a
    concurrent ``claimcheck refresh`` would (the values doubled, so a verdict would tell)."""
    real = runner.run_jobs
    stored = {}

    def run_jobs(*args, **kwargs):
        before = load_snapshot(*KEY)
        frame = before.frame.copy()
        frame["value"] = frame["value"] * 2
        now = datetime.now(timezone.utc).replace(microsecond=0)
        meta = {k: v for k, v in before.meta.items() if k not in ("version", "published", "published_means")}
        path = write_snapshot(*KEY, frame, {**meta, "method": "api", "retrieved_at": now.isoformat(),
                                            "published_means": "when the data were retrieved from the API"})
        stored.update(old=before.version, new=path.name.removesuffix(".csv"), old_sha=before.meta["sha256"])
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run_jobs", run_jobs)
    return stored


def test_a_run_records_and_reads_the_versions_stored_when_it_started(data_copy, tmp_path, monkeypatch):
    build = tmp_path / "build"
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(build))
    monkeypatch.setenv("CLAIMCHECK_HISTORY", str(tmp_path / "history.jsonl"))
    stored = refresh_meanwhile(monkeypatch)
    assert main(["run", "--article", SEED, "--force", "--workers", "2"]) in (0, 1)
    assert stored["new"] > stored["old"] and pick_version(*KEY) == stored["new"]  # the refresh did land
    run = json.loads((build / SEED / "run.json").read_text())
    assert run["snapshots"]["/".join(KEY)]["sha256"] == stored["old_sha"]
    record = json.loads((tmp_path / "history.jsonl").read_text().splitlines()[-1])
    assert record["snapshots"]["/".join(KEY)]["sha256"] == stored["old_sha"]
    read = {p["sha256"] for row in json.loads((build / SEED / "verdicts.json").read_text())
            for e in row.get("evidence") or [] for p in e.get("provenance") or []
            if "/dots_china_belgium_annual/" in p.get("snapshot", "")}
    assert read == {stored["old_sha"]}, read
    page = (build / SEED / "verdicts.html").read_text()
    assert stored["old_sha"][:12] in page and stored["new"] not in page.split("Data versions", 1)[-1][:5000]
