"""Benchmark writing and reading the reference snapshots: the seed script and ``claimcheck sources``.

Each round runs, for every tree given (default: this one), ``scripts/seed_snapshots.py`` into an
empty data folder and ``claimcheck sources`` over the committed data, each in a fresh process, and
prints the median wall time over the rounds, and the median processor time (user and system) the
process used, which a shared machine's other work stretches less. Trees are interleaved within a round, so a shared
machine's drift falls on all of them alike. A tree is a folder holding ``src/`` and ``scripts/``
(an older commit: ``git archive COMMIT src scripts | tar -x -C DIR``, with ``DIR/data`` linked to
this repository's data). Usage: ``python scripts/bench_snapshots.py [--repeat 3] [TREE ...]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and processor seconds (user and system) of one run of ``command``."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def seed_time(tree: Path, shared: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PYTHONPATH": str(tree / "src"), "CLAIMCHECK_DATA": data, "CLAIMCHECK_SHARED": shared}
        return timed([sys.executable, str(tree / "scripts/seed_snapshots.py")], env)


def sources_time(tree: Path) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "CLAIMCHECK_DATA": str(ROOT / "data")}
    return timed([sys.executable, "-m", "claimcheck", "sources"], env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[ROOT])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared", default=os.environ.get("CLAIMCHECK_SHARED", str(ROOT.parent / "shared")))
    args = parser.parse_args()
    times: dict[tuple[str, Path], list[tuple[float, float]]] = {}
    for n in range(args.repeat):
        for tree in args.trees:
            times.setdefault(("seed", tree), []).append(seed_time(tree, args.shared))
            times.setdefault(("sources", tree), []).append(sources_time(tree))
            print(f"round {n + 1} {tree}: " + ", ".join(
                f"{what} {times[what, tree][-1][0]:.1f} s ({times[what, tree][-1][1]:.1f} s cpu)" for what in ("seed", "sources")),
                flush=True)  # fmt: skip
    for (what, tree), values in times.items():
        walls, cpus = zip(*values)
        print(f"{what:8} {tree}: median {statistics.median(walls):.1f} s ({', '.join(f'{v:.1f}' for v in walls)}), "
              f"cpu {statistics.median(cpus):.1f} s ({', '.join(f'{v:.1f}' for v in cpus)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
