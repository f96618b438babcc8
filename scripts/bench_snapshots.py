"""Benchmark writing and reading the reference snapshots: the seed script and ``claimcheck sources``.

Each round runs, for every tree given (default: this one), ``scripts/seed_snapshots.py`` into an
empty data folder and ``claimcheck sources`` over the committed data, each in a fresh process, and
prints the median wall time over the rounds. Trees are interleaved within a round, so a shared
machine's drift falls on all of them alike. A tree is a folder holding ``src/`` and ``scripts/``
(an older commit: ``git archive COMMIT src scripts | tar -x -C DIR``, with ``DIR/data`` linked to
this repository's data). Usage: ``python scripts/bench_snapshots.py [--repeat 3] [TREE ...]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def seed_time(tree: Path, shared: str) -> float:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PYTHONPATH": str(tree / "src"), "CLAIMCHECK_DATA": data, "CLAIMCHECK_SHARED": shared}
        return timed([sys.executable, str(tree / "scripts/seed_snapshots.py")], env)


def sources_time(tree: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "CLAIMCHECK_DATA": str(ROOT / "data")}
    return timed([sys.executable, "-m", "claimcheck", "sources"], env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[ROOT])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared", default=os.environ.get("CLAIMCHECK_SHARED", str(ROOT.parent / "shared")))
    args = parser.parse_args()
    times: dict[tuple[str, Path], list[float]] = {}
    for n in range(args.repeat):
        for tree in args.trees:
            times.setdefault(("seed", tree), []).append(seed_time(tree, args.shared))
            times.setdefault(("sources", tree), []).append(sources_time(tree))
            print(f"round {n + 1} {tree}: seed {times['seed', tree][-1]:.1f} s, "
                  f"sources {times['sources', tree][-1]:.1f} s", flush=True)
    for (what, tree), values in times.items():
        print(f"{what:8} {tree}: median {statistics.median(values):.1f} s "
              f"({', '.join(f'{v:.1f}' for v in values)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
