"""Benchmark many articles: N copies of the seed article, cold, warm and after one snapshot changes.

For each N (default 1, 4, 16, 64) the seed article is copied N times under generated ids into a
scratch data folder, and each round measures, in this order:

- floor: a bare notebook with the check notebooks' imports, run alone in a fresh kernel the way the
  batch ran each notebook before it reused kernels, times the notebooks of the N articles, divided
  by the workers (as ``bench.py``);
- cold:  ``claimcheck run --all`` into an empty build folder (every notebook executes);
- fresh (with ``--fresh``): the cold run with ``--fresh-kernels``;
- warm:  the same again, nothing changed (every notebook is reused);
- changed: the same after one snapshot's newest sidecar changed bytes (only the notebooks whose
  claims name it execute);
- dask (with ``--scheduler local``): the cold run again on a Dask ``LocalCluster`` with the same
  number of workers.

It also times one family notebook for the seed article and for a copy whose claims of that family
are repeated ten times (``--family``, default trade), to show what ten times the claims cost.

Times are medians over rounds, ratios are taken within a round before the median (the machine is
shared and its speed drifts). Usage:
``python scripts/bench_scale.py [--sizes 1,4,16,64] [--repeat 3] [--scheduler local] [--fresh]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from bench import bare_jobs, bare_notebooks, floor, timed
from claimcheck import paths
from claimcheck.batch.runner import Job, execute, notebooks_for

SEED_ID = "china-belgium-ties-2023-02-26"


def copy_article(source: Path, target_root: Path, new_id: str, repeat_family: str | None = None) -> None:
    """The seed article under another id; with ``repeat_family``, that family's claims ten times over."""
    target = target_root / new_id
    shutil.copytree(source, target)
    registry = yaml.safe_load((target / "claims.yaml").read_text(encoding="utf-8"))
    registry["article"] = new_id
    if repeat_family:
        family = [c for c in registry["claims"] if c.get("family") == repeat_family]
        for n in range(1, 10):
            registry["claims"] += [{**c, "id": f"{c['id']}-copy{n}"} for c in family]
    (target / "claims.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), encoding="utf-8")


def scratch_data(root: Path, count: int, label: str = "") -> Path:
    """A data folder holding ``count`` copies of the seed article and the committed reference data."""
    data = root / f"data-{count}{label}"
    shutil.copytree(paths.data_dir() / "reference", data / "reference")
    (data / "articles").mkdir(parents=True)
    for i in range(count):
        copy_article(paths.articles_dir() / SEED_ID, data / "articles", f"bench-copy-{i:04d}")
    return data


def touch_snapshot(data: Path, source: str, name: str) -> None:
    """Change one snapshot's newest sidecar by a comment: new bytes, same data and checksum."""
    sidecar = sorted((data / "reference" / source / name).glob("*.meta.yaml"))[-1]
    with sidecar.open("a", encoding="utf-8") as out:
        out.write("# bench: changed\n")


def run_all(data: Path, build: Path, workers: int, *extra: str) -> float:
    env = {**os.environ, "CLAIMCHECK_DATA": str(data), "CLAIMCHECK_BUILD": str(build)}
    env.pop("CLAIMCHECK_HISTORY", None)
    # with HTML: a --no-html run is not published, so it would leave nothing to reuse
    command = [sys.executable, "-m", "claimcheck", "run", "--all", "--workers", str(workers), *extra]

    def go():
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode not in (0, 1):  # 1: an offline error verdict, still published
            raise SystemExit(f"claimcheck run failed ({done.returncode}): {done.stderr[-2000:]}")

    return timed(go)


def family_notebook(data: Path, article: str, family: str, out: Path) -> float:
    os.environ["CLAIMCHECK_DATA"] = str(data)
    try:
        out.mkdir(parents=True, exist_ok=True)
        outcome = execute(Job(article, family, "offline", str(out), 60, 600, False))
        if not outcome.ok:
            raise SystemExit(f"{article}/{family}: {outcome.error}")
        return outcome.seconds
    finally:
        del os.environ["CLAIMCHECK_DATA"]


def spread(values: list[float], digits: int = 2) -> str:
    ordered = sorted(values)
    return f"{statistics.median(ordered):.{digits}f} (rounds {ordered[0]:.{digits}f}-{ordered[-1]:.{digits}f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,4,16,64", help="numbers of articles, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="rounds at each size; medians are kept")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--snapshot", default="worldbank/gdp_current_usd", help="the snapshot changed between runs")
    parser.add_argument("--family", default="trade", help="the family whose claims are repeated ten times")
    parser.add_argument("--scheduler", help="also time the cold run on Dask: 'local' starts a LocalCluster")
    parser.add_argument("--fresh", action="store_true", help="also time the cold run with --fresh-kernels")
    args = parser.parse_args()
    source, snapshot = args.snapshot.split("/")
    per_article = len(notebooks_for(SEED_ID))
    workers = args.workers
    print(f"{per_article} notebooks an article, {workers} workers, HTML on; the machine is shared, "
          "so times are medians of rounds and ratios are paired within a round")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        jobs = bare_jobs(SEED_ID, 1, root / "bare")

        # ten times the claims of one family, one notebook alone
        data = scratch_data(root, 1, "-tenfold")
        copy_article(paths.articles_dir() / SEED_ID, data / "articles", "bench-tenfold", args.family)
        family_notebook(data, "bench-copy-0000", args.family, root / "warm")  # warm the caches
        one, ten = [], []
        for i in range(args.repeat):
            one.append(family_notebook(data, "bench-copy-0000", args.family, root / f"f1-{i}"))
            ten.append(family_notebook(data, "bench-tenfold", args.family, root / f"f10-{i}"))
        print(f"\n{args.family} notebook alone: seed claims {spread(one)} s, ten times its claims {spread(ten)} s, "
              f"ratio {spread([b / a for a, b in zip(one, ten)])}x (target <= 1.3)")

        cluster = None
        if args.scheduler == "local":
            from dask.distributed import LocalCluster

            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        print("\n   N | cold s (s/article, nb/min) | warm s (% of cold) | changed s (executed) | floor s | cold/floor"
              + (" | dask cold s (dask/local)" if cluster else "") + (" | fresh kernels" if args.fresh else ""))
        for count in [int(n) for n in args.sizes.split(",")]:
            data = scratch_data(root, count)
            notebooks = per_article * count
            rounds = {k: [] for k in ("floor", "cold", "warm", "changed", "dask", "fresh")}
            for i in range(args.repeat):
                with bare_notebooks(root / "bare"):
                    single = floor(jobs, 1)  # one bare notebook alone
                rounds["floor"].append(single * notebooks / workers)
                build = root / f"build-{count}-{i}"
                rounds["cold"].append(run_all(data, build, workers))
                rounds["warm"].append(run_all(data, build, workers))
                touch_snapshot(data, source, snapshot)
                rounds["changed"].append(run_all(data, build, workers))
                if cluster:
                    rounds["dask"].append(run_all(data, root / f"dask-{count}-{i}", workers,
                                                  "--scheduler", cluster.scheduler_address))
                if args.fresh:
                    rounds["fresh"].append(run_all(data, root / f"fresh-{count}-{i}", workers, "--fresh-kernels"))
                print(f"  round {i + 1} at N={count}: " + ", ".join(f"{k} {v[-1]:.1f}s" for k, v in rounds.items() if v),
                      flush=True)
            executed = sum(r["how"] == "executed" for article in (build.glob("bench-copy-*"))
                           for r in yaml.safe_load((article / "run.json").read_text())["notebooks"].values())
            cold = rounds["cold"]
            line = (f"{count:4d} | {spread(cold, 1)} ({spread([c / count for c in cold])}, "
                    f"{spread([notebooks * 60 / c for c in cold], 0)}) | {spread(rounds['warm'])} "
                    f"({spread([100 * w / c for w, c in zip(rounds['warm'], cold)], 1)}%) | "
                    f"{spread(rounds['changed'])} ({executed} of {notebooks}) | {spread(rounds['floor'], 1)} | "
                    f"{spread([c / f for c, f in zip(cold, rounds['floor'])])}")
            if cluster:
                line += f" | {spread(rounds['dask'], 1)} ({spread([d / c for d, c in zip(rounds['dask'], cold)])})"
            if args.fresh:
                line += (f" | fresh kernels cold {spread(rounds['fresh'], 1)} (cold/fresh "
                         f"{spread([c / f for c, f in zip(cold, rounds['fresh'])])}, fresh/floor "
                         f"{spread([f / fl for f, fl in zip(rounds['fresh'], rounds['floor'])])})")
            print(line, flush=True)
        if cluster:
            cluster.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
