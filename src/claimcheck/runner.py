"""The batch: execute an article's notebooks with papermill in parallel workers.

Kernel start dominates a notebook run, so the batch runs one notebook per family of checks (never
one per claim) and keeps papermill imported in long-lived worker processes instead of spawning
the ``papermill`` command for each notebook.
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from claimcheck import paths
from claimcheck.articles import list_articles, load_article

SCORECARD = "scorecard"  # the notebook whose verdict file becomes verdicts.csv / verdicts.json
VERDICTS_DIR = "verdicts"  # where each check notebook drops its verdicts as JSON


@dataclass(frozen=True)
class Job:
    """One notebook to execute for one article."""

    article: str
    notebook: str  # file stem under notebooks/
    mode: str
    out_dir: str
    start_timeout: int
    cell_timeout: int
    html: bool


@dataclass(frozen=True)
class Outcome:
    job: Job
    ok: bool
    seconds: float
    error: str = ""


def notebooks_for(article_id: str, only: list[str] | None = None) -> list[str]:
    """The notebooks an article needs: ``claims``, one per family with claims, and the scorecard."""
    available = {p.stem for p in paths.notebooks_dir().glob("*.ipynb")}
    families = sorted({c.family for c in load_article(article_id).claims} & available)
    names = ["claims", *families, SCORECARD]
    return [n for n in names if n in available and (not only or n in only)]


def parameters_for(job: Job) -> dict:
    params = {"article": job.article}
    if job.notebook != "claims":
        params.update(mode=job.mode, output_dir=job.out_dir)
    return params


def _warm_up() -> None:
    """Worker initializer: pay the import of papermill and nbconvert once per worker."""
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401


def execute(job: Job) -> Outcome:
    """Run one notebook (and render it to HTML); never raises, the outcome says what happened."""
    import papermill

    started = time.monotonic()
    source = paths.notebooks_dir() / f"{job.notebook}.ipynb"
    target = Path(job.out_dir) / f"{job.notebook}.ipynb"
    try:
        papermill.execute_notebook(
            str(source),
            str(target),
            parameters=parameters_for(job),
            kernel_name="python3",
            start_timeout=job.start_timeout,
            execution_timeout=job.cell_timeout,
            progress_bar=False,
            cwd=str(paths.notebooks_dir()),
        )
        if job.html:
            from claimcheck.publish import render_notebook_html

            render_notebook_html(target)
    except Exception as exc:  # a failing notebook must not stop the batch
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
        return Outcome(job, False, time.monotonic() - started, f"{type(exc).__name__}: {first_line}")
    return Outcome(job, True, time.monotonic() - started)


def run_jobs(jobs: list[Job], workers: int | None = None, progress=sys.stderr) -> list[Outcome]:
    """Execute ``jobs`` in parallel worker processes, reporting progress as each one finishes."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    outcomes = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm_up) as pool:
        futures = [pool.submit(execute, job) for job in jobs]
        for done, future in enumerate(as_completed(futures), start=1):
            outcome = future.result()
            outcomes.append(outcome)
            state = "ok" if outcome.ok else f"FAILED ({outcome.error})"
            print(f"[{done}/{len(jobs)}] {outcome.job.article}/{outcome.job.notebook}: {state} "
                  f"in {outcome.seconds:.1f}s", file=progress, flush=True)
    return sorted(outcomes, key=lambda o: (o.job.article, o.job.notebook))


def collect_verdicts(out_dir: Path) -> list[dict]:
    """The scorecard's verdict rows of one article, sorted by claim id."""
    path = out_dir / VERDICTS_DIR / f"{SCORECARD}.json"
    if not path.is_file():
        return []
    return sorted(json.loads(path.read_text(encoding="utf-8")), key=lambda row: row["claim_id"])


def write_verdict_tables(out_dir: Path, rows: list[dict]) -> None:
    """``verdicts.csv`` and ``verdicts.json``: one row per claim, byte-identical for the same data."""
    import pandas as pd

    from claimcheck.verdicts import ROW_COLUMNS

    frame = pd.DataFrame(rows, columns=ROW_COLUMNS)  # the flat columns; evidence stays in the JSON
    frame.to_csv(out_dir / "verdicts.csv", index=False, lineterminator="\n")
    (out_dir / "verdicts.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                           encoding="utf-8")


def run_command(args) -> int:
    """``claimcheck run``: execute the notebooks, write the verdict tables, exit non-zero on failure."""
    article_ids = list_articles() if args.all else [load_article(args.article).id]
    jobs = []
    for article_id in article_ids:
        out_dir = paths.build_dir() / article_id
        (out_dir / VERDICTS_DIR).mkdir(parents=True, exist_ok=True)
        jobs += [Job(article_id, nb, args.mode, str(out_dir), args.start_timeout, args.cell_timeout, not args.no_html)
                 for nb in notebooks_for(article_id, args.notebook)]
    started = time.monotonic()
    outcomes = run_jobs(jobs, args.workers)
    failed = [o for o in outcomes if not o.ok]
    errors = []
    for article_id in article_ids:
        out_dir = paths.build_dir() / article_id
        rows = collect_verdicts(out_dir)
        if rows:
            write_verdict_tables(out_dir, rows)
        errors += [f"{article_id}/{r['claim_id']}: {r['sentence']}" for r in rows if r["verdict"] == "error"]
    print(f"{len(outcomes) - len(failed)}/{len(outcomes)} notebooks ran in {time.monotonic() - started:.1f}s; "
          f"outputs in {paths.build_dir()}")
    for outcome in failed:
        print(f"FAILED notebook {outcome.job.article}/{outcome.job.notebook}: {outcome.error}", file=sys.stderr)
    for line in errors:
        print(f"ERROR verdict {line}", file=sys.stderr)
    return 1 if failed or errors else 0
