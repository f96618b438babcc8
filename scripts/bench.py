"""Benchmark the batch: ``claimcheck run`` against the plain papermill command loop and the floor.

- batch:      ``python -m claimcheck run --article A --no-html`` (parallel workers, papermill imported once
              each, one kernel per worker reused across its notebooks)
- fresh:      the same with ``--fresh-kernels`` (a new kernel for every notebook, started ahead)
- sequential: ``papermill nb.ipynb out.ipynb -p article A`` for each notebook, one after another
- floor:      a bare notebook with the same imports, run alone the way the batch ran each notebook
              before kernels were reused (a fresh kernel, the same kernel manager and shutdown),
              times the notebooks, divided by the workers
- bare notebooks through the workers: the same bare notebooks run by the batch's own worker pool,
              which shows how much of the gap to the floor is the machine (two kernels starting at
              once on two cores) rather than the notebooks' own work

Prints the times and the two ratios the batch is held to: at least 2x faster than the sequential
loop, and no slower than the floor. Usage: ``python scripts/bench.py [--article A] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat

from claimcheck import paths
from claimcheck.registry.articles import list_articles
from claimcheck.batch.runner import Job, execute, notebooks_for, parameters_for, run_jobs

BIN = Path(sys.executable).parent
IMPORTS = """
from IPython.display import HTML, Markdown, display
from claimcheck.show import notebook
from claimcheck.show import render
from claimcheck.show import report
from claimcheck.show import tables
from claimcheck.registry.coverage import find_uncovered
"""  # what the notebooks import, all of them together


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def batch(article: str, workers: int, out: Path, *extra: str) -> float:
    env = {**os.environ, "CLAIMCHECK_BUILD": str(out)}
    command = [sys.executable, "-m", "claimcheck", "run", "--article", article, "--no-html", "--workers", str(workers),
               *extra]
    return timed(lambda: subprocess.run(command, env=env, check=True, capture_output=True))


def sequential(article: str, notebooks: list[str], out: Path) -> float:
    def loop():
        for name in notebooks:
            job = Job(article, name, "offline", str(out), 60, 600, False)
            params = [arg for k, v in parameters_for(job).items() for arg in ("-p", k, str(v))]
            subprocess.run([str(BIN / "papermill"), str(paths.notebooks_dir() / f"{name}.ipynb"),
                            str(out / f"{name}.ipynb"), *params, "--cwd", str(paths.notebooks_dir())],
                           check=True, capture_output=True)

    return timed(loop)


def bare_notebook(path: Path) -> Path:
    """A notebook with the check notebooks' parameters and imports, and nothing else."""
    bare = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('article = ""\nmode = "offline"\noutput_dir = ""')
    params.metadata["tags"] = ["parameters"]
    bare.cells = [params, nbformat.v4.new_code_cell(IMPORTS.strip())]
    bare.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(bare, path)
    return path


def bare_jobs(article: str, count: int, scratch: Path) -> list[Job]:
    """``count`` bare notebooks in a scratch notebooks folder (run them inside ``bare_notebooks``)."""
    folder = scratch / "bare-notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        bare_notebook(folder / f"bare{i}.ipynb")
    return [Job(article, f"bare{i}", "offline", str(scratch), 60, 600, False) for i in range(count)]


@contextmanager
def bare_notebooks(scratch: Path):
    """Point ``CLAIMCHECK_NOTEBOOKS`` at the bare notebooks for a while, not for the other measurements."""
    os.environ["CLAIMCHECK_NOTEBOOKS"] = str(scratch / "bare-notebooks")
    try:
        yield
    finally:
        del os.environ["CLAIMCHECK_NOTEBOOKS"]


def floor(jobs: list[Job], workers: int) -> float:
    """One bare notebook alone, run in a fresh kernel as the batch ran each notebook before it
    reused kernels, times the notebooks over the workers."""
    execute(jobs[0], reuse=False)  # warm the caches
    single = statistics.median(timed(lambda: execute(jobs[0], reuse=False)) for _ in range(3))
    return single * len(jobs) / workers


def parallel_floor(jobs: list[Job], workers: int) -> float:
    """The same bare notebooks run through the batch's own workers: the floor as the machine can reach it."""
    return timed(lambda: run_jobs(jobs, workers, progress=open(os.devnull, "w"), fresh_kernels=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", default=(list_articles() or [""])[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every measurement; medians are kept")
    args = parser.parse_args()
    notebooks = notebooks_for(args.article)
    workers = min(args.workers, len(notebooks))
    times: dict[str, list[float]] = {"floor": [], "batch": [], "fresh": [], "parallel": [], "sequential": []}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        run_jobs([Job(args.article, notebooks[0], "offline", str(scratch), 60, 600, False)], 1,
                 progress=open(os.devnull, "w"))  # warm the disk cache and compiled bytecode
        jobs = bare_jobs(args.article, len(notebooks), scratch / "bare")
        # The machine's speed drifts by a third over minutes here, so each round measures everything
        # once, the batch right after the floor, and each ratio is taken within a round (paired)
        # before the median across rounds.
        for i in range(args.repeat):
            with bare_notebooks(scratch / "bare"):
                times["floor"].append(floor(jobs, workers))
            times["batch"].append(batch(args.article, workers, scratch / f"b{i}"))
            times["fresh"].append(batch(args.article, workers, scratch / f"f{i}", "--fresh-kernels"))
            with bare_notebooks(scratch / "bare"):
                times["parallel"].append(parallel_floor(jobs, workers))
            times["sequential"].append(sequential(args.article, notebooks, scratch))
    t_floor, t_batch, t_fresh, t_parallel, t_seq = (statistics.median(times[k]) for k in times)

    def ratio(top: str, bottom: str) -> str:
        ratios = sorted(a / b for a, b in zip(times[top], times[bottom]))
        return f"{statistics.median(ratios):.2f}x (rounds: {ratios[0]:.2f}-{ratios[-1]:.2f})"

    print(f"article {args.article}: {len(notebooks)} notebooks, {workers} workers, median of {args.repeat} rounds")
    print(f"  batch (claimcheck run --no-html)   {t_batch:6.2f} s")
    print(f"  the same with --fresh-kernels      {t_fresh:6.2f} s")
    print(f"  sequential papermill command loop  {t_seq:6.2f} s")
    print(f"  floor (bare notebook x {len(notebooks)} / {workers})     {t_floor:6.2f} s")
    print(f"  bare notebooks through the workers {t_parallel:6.2f} s")
    print(f"  speed-up over the loop: {ratio('sequential', 'batch')} (target >= 2.0)")
    print(f"  batch / floor:          {ratio('batch', 'floor')} (target <= 1.0)")
    print(f"  fresh kernels / floor:  {ratio('fresh', 'floor')}")
    print(f"  batch / fresh kernels:  {ratio('batch', 'fresh')}")
    print(f"  batch / bare notebooks through the workers: {ratio('batch', 'parallel')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
