"""The same notebook jobs on a Dask cluster: same outputs; lock, switch and history stay with the submitter."""

from __future__ import annotations

import shutil
from pathlib import Path

from dask.distributed import Client, LocalCluster

from claimcheck.cli import main
from claimcheck.publish import history
from claimcheck.publish.site import read_run

SEED = "china-belgium-ties-2023-02-26"


def tables(build: Path) -> dict[str, bytes]:
    return {name: (build / SEED / name).read_bytes() for name in ("verdicts.csv", "verdicts.json")}


def held_kernels() -> int:
    from claimcheck.batch import kernels

    return len(kernels._all_held)


def test_a_dask_cluster_runs_the_same_jobs_and_the_submitter_publishes(offline_build, tmp_path, monkeypatch):
    build = tmp_path / "build"
    shutil.copytree(offline_build, build, symlinks=True)  # a local run of every notebook, published, in its history
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(build))
    monkeypatch.delenv("CLAIMCHECK_HISTORY", raising=False)
    run = ["run", "--article", SEED, "--workers", "2", "--force"]  # with HTML: a --no-html run is not published
    assert {r["how"] for r in read_run(build / SEED)["notebooks"].values()} == {"executed"}
    assert len(history.load()) == 1
    local = tables(build)
    local_link = (build / SEED).readlink()

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert main([*run, "--scheduler", cluster.scheduler_address]) == 0
        ran = cluster.scheduler.task_prefixes.get("execute_with")
        assert ran is not None and ran.state_counts["memory"] == 7  # every notebook ran on the cluster
        with Client(cluster) as client:  # each worker process holds the kernel it ran its notebooks in
            held = list(client.run(held_kernels).values())
            assert len(held) == 2 and set(held) <= {0, 1} and sum(held) >= 1, held  # one per worker that ran any

    assert (build / SEED).readlink() != local_link  # switched into place by the submitting run
    assert tables(build) == local
    assert {r["how"] for r in read_run(build / SEED)["notebooks"].values()} == {"executed"}
    records = history.load()
    assert len(records) == 2 and records[0]["articles"] == records[1]["articles"]
    assert sorted(p.name for p in (build / SEED).glob("*.ipynb")) == sorted(
        f"{nb}.ipynb" for nb in ("claims", "climate", "dates", "documented", "economy", "scorecard", "trade"))
