"""Benchmark what judging costs per claim: ``notebook.check`` of N and of 10 N different claims.

The articles are those of ``bench_charts.py`` (growth claims from the World Bank merchandise
snapshots, each with two dataset evidences), judged in this process as a check notebook judges
them: ``notebook.start`` (a fresh loader, so every round loads its snapshots) and then
``notebook.check``. Only ``check`` is timed. Rounds are interleaved (N, then 10 N); each round's
cost of one more claim is ``(t(10 N) - t(N)) / 9 N``, so what every notebook pays once (loading the
snapshots) cancels. Prints each round, then the medians with the range of rounds. Usage:
``python scripts/bench_judge.py [--claims 4] [--repeat 9] [--notebook trade]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_charts import spread, write_article

from claimcheck import paths


def judge_once(article: str, notebook: str) -> float:
    """Seconds ``notebook.check`` takes for the article's claims of family ``notebook``."""
    from claimcheck.show import notebook as nb

    ctx = nb.start({"article": article}, notebook, family=notebook)
    began = time.perf_counter()
    nb.check(ctx)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=4, help="claims of the 1x article (the seed's trade notebook has 4)")
    parser.add_argument("--repeat", type=int, default=9, help="interleaved rounds; medians are kept")
    parser.add_argument("--notebook", default="trade", help="the check notebook (family) the claims belong to")
    args = parser.parse_args()
    sizes = {"1x": args.claims, "10x": 10 * args.claims}
    times: dict[str, list[float]] = {label: [] for label in sizes}
    per_claim: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(paths.data_dir() / "reference", data / "reference")
        for label, count in sizes.items():
            write_article(data, f"bench-judge-{label}", count, args.notebook)
        os.environ["CLAIMCHECK_DATA"] = str(data)
        os.environ["CLAIMCHECK_BUILD"] = str(Path(tmp) / "build")
        for label in sizes:  # warm the disk cache and the imports
            judge_once(f"bench-judge-{label}", args.notebook)
        for i in range(args.repeat):
            for label in sizes:
                times[label].append(judge_once(f"bench-judge-{label}", args.notebook))
            per_claim.append(1000 * (times["10x"][-1] - times["1x"][-1]) / (sizes["10x"] - sizes["1x"]))
            print(f"  round {i + 1}: 1x {1000 * times['1x'][-1]:.1f} ms, 10x {1000 * times['10x'][-1]:.1f} ms, "
                  f"{per_claim[-1]:.2f} ms per further claim", file=sys.stderr)
    print(f"{args.notebook} notebook, notebook.check in process, {args.repeat} interleaved rounds, "
          f"{sizes['1x']} and {sizes['10x']} different claims:")
    print(f"  1x {spread([1000 * t for t in times['1x']], 1, ' ms')}, 10x {spread([1000 * t for t in times['10x']], 1, ' ms')}")
    print(f"  judging one further claim: {spread(per_claim, 2, ' ms')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
