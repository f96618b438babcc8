"""The batch: execute an article's notebooks with papermill in parallel workers.

Kernel start dominates a notebook run, so the batch runs one notebook per family of checks (never
one per claim) and keeps papermill imported in long-lived worker processes instead of spawning
the ``papermill`` command for each notebook. Each worker holds one kernel and reuses it for all
its notebooks, brought back to a clean state before each (``claimcheck.batch.kernels``); with
fresh kernels, it starts the kernel of its next notebook while the current one runs.

``claimcheck run`` is safe to schedule:

- it holds ``build/.lock`` (``fcntl.flock``) for the whole run; a second run exits with status 75
  (``EX_TEMPFAIL``) naming the holder. The kernel drops the lock when its holder dies, so a crashed
  run leaves no stale lock: the file stays, holding the last holder's PID, and is simply reused;
- it writes into a new run folder ``build/.runs/<run-id>/<article>/`` and, once an article's
  notebooks, tables and pages are complete, switches ``build/<article>`` (a symlink) to it with one
  atomic ``rename``. A failed notebook leaves that article's previous outputs in place; the failed
  run's folder stays for inspection until pruned (the last ``KEEP_RUNS`` run folders are kept);
- each published run appends one line to the history (``claimcheck.publish.history``), and the pages
  show what changed since the previous run.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import datetime, timezone
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from claimcheck import files, paths
from claimcheck.workers import ctrl_c_held_while_forking, start_worker
from claimcheck.batch import preview
from claimcheck.batch import kernels
from claimcheck.reference.crosscheck import checked_article
from claimcheck.registry.articles import Article, list_articles, load_article
from claimcheck.show.notebook import CHART_SUFFIX, CHARTS_DIR, SCORECARD, VERDICTS_DIR

LOCK_FILE = ".lock"  # under the build folder; held with flock for the whole run
RUNS_DIR = ".runs"  # under the build folder: one folder per run; build/<article> links into the live one
KEEP_RUNS = 3  # run folders kept besides the live ones (older ones are deleted after a run)
PUBLISHING = ("claimcheck.publish.history", "claimcheck.publish.site")  # what the run needs after the notebooks
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the lock; try again later


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


def notebooks_for(article: str | Article, only: list[str] | None = None) -> list[str]:
    """The notebooks an article (its id, or the article loaded) needs: ``claims``, one per family
    with claims, and the scorecard."""
    available = {p.stem for p in paths.notebooks_dir().glob("*.ipynb")}
    article = load_article(article) if isinstance(article, str) else article
    families = sorted({c.family for c in article.claims} & available)
    names = ["claims", *families, SCORECARD]
    return [n for n in names if n in available and (not only or n in only)]


def parameters_for(job: Job) -> dict:
    params = {"article": job.article}
    if job.notebook != "claims":
        out_dir = Path(job.out_dir)  # relative under build/, so published notebooks carry no local path
        inside = out_dir.is_relative_to(paths.build_dir())
        params.update(mode=job.mode, output_dir=str(out_dir.relative_to(paths.build_dir()) if inside else out_dir))
    return params


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` dies, even by SIGKILL (Linux: a
    parent-death signal). The worker's kernels follow it: ipykernel exits when its parent changes."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)


def _warm_up(html: bool, parent: int | None = None) -> None:
    """Worker initializer: die with the run, start the first kernel, and meanwhile import papermill (and nbconvert)."""
    from multiprocessing.util import Finalize

    start_worker()  # forked under ctrl_c_held_while_forking (see run_jobs)
    if parent is not None:
        _die_with(parent)
    kernels.start_ahead()
    Finalize(None, kernels.release, exitpriority=10)  # workers leave by os._exit: atexit never runs
    import papermill  # noqa: F401

    if html:
        import nbconvert  # noqa: F401


def _expected_costs(jobs: list[Job]) -> dict[Job, int]:
    """Rough cost of each notebook beyond its kernel, for longest-first scheduling.

    A family notebook resolves its claims' evidence, a dataset costing more (a snapshot to read,
    often a chart); the scorecard judges every claim but shows each in one line; the claims
    notebook judges nothing, so it comes last.
    """
    costs = {}
    for article_id in {job.article for job in jobs}:
        claims = load_article(article_id).claims
        per_family = Counter()
        for claim in claims:
            per_family[claim.family] += sum(3 if e.kind == "dataset" else 1 for e in claim.evidence)
        for job in (j for j in jobs if j.article == article_id):
            costs[job] = (0 if job.notebook == "claims" else len(claims) if job.notebook == SCORECARD
                          else per_family[job.notebook])
    return costs


class LostMessages(RuntimeError):
    """An executed notebook whose code cell came back without its execution count: the kernel's
    IOPub messages for it (and so perhaps its outputs) did not all arrive."""


def _check_complete(notebook) -> None:
    lost = [number for number, cell in enumerate(notebook.cells, start=1)
            if cell.cell_type == "code" and cell.source.strip() and cell.get("execution_count") is None]
    if lost:
        raise LostMessages(f"cell {lost[0]} came back without its execution count: the kernel's messages were lost")


def execute(job: Job, start_next: bool = False, reuse: bool = False) -> Outcome:
    """Run one notebook (and render it to HTML); never raises, the outcome says what happened.

    With ``reuse`` the notebook runs in this worker's held kernel, brought back to its baseline
    (see ``kernels``); otherwise in the kernel started ahead for it, if any, and with
    ``start_next`` the worker starts the kernel of its next notebook at once, to boot meanwhile.
    A notebook that came back incomplete from the held kernel runs once more in a new kernel,
    and that kernel is not kept.
    """
    import papermill

    started = time.monotonic()
    source = paths.notebooks_dir() / f"{job.notebook}.ipynb"
    target = Path(job.out_dir) / f"{job.notebook}.ipynb"
    try:
        kernel, ran = kernels.for_notebook(reuse, start_next, job.start_timeout), False
        try:
            executed = papermill.execute_notebook(
                str(source),
                str(target),
                parameters=parameters_for(job),
                kernel_name="python3",
                start_timeout=job.start_timeout,
                execution_timeout=job.cell_timeout,
                progress_bar=False,
                request_save_on_cell_execute=False,  # one write at the end, not one per cell
                cwd=str(paths.notebooks_dir()),
                km=kernel,  # None: nbclient starts a kernel of this class, and stops it
                kernel_manager_class=kernels.ipc_kernel_manager(),
                # every output is saved by now: stop the kernel at once instead of waiting up to
                # jupyter_client's graceful-shutdown timeout (2.5 s stalls measured here)
                shutdown_kernel="immediate",
            )
            _check_complete(executed)
            ran = True
        finally:
            kernels.done_with(kernel, keep=reuse and ran)  # a kernel is reused only after a notebook that ran to its end
        if job.html:
            from claimcheck.publish.notebook_html import render_notebook_html

            render_notebook_html(target)
    except LostMessages as exc:
        if reuse:
            return execute(job, start_next, reuse=False)
        return Outcome(job, False, time.monotonic() - started, f"LostMessages: {exc}")
    except Exception as exc:  # a failing notebook must not stop the batch
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
        return Outcome(job, False, time.monotonic() - started, f"{type(exc).__name__}: {first_line}")
    return Outcome(job, True, time.monotonic() - started)


class _Progress:
    """Progress of a batch: a live bar (tqdm) with done/total, reused, failed and time left when
    ``stream`` is a terminal; one plain line per notebook otherwise (logs, cron, CI)."""

    def __init__(self, stream, total: int, reused: int = 0):
        self.stream, self.total, self.reused, self.failed, self.done = stream, total, reused, 0, reused
        self.bar = None
        if getattr(stream, "isatty", lambda: False)():
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=reused, file=stream, unit="nb", dynamic_ncols=True,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]")
            self.bar.set_postfix_str(self._postfix())

    def _postfix(self) -> str:
        return f"reused {self.reused}, failed {self.failed}"

    def finished(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += not outcome.ok
        state = "ok" if outcome.ok else f"FAILED ({outcome.error})"
        line = f"{outcome.job.article}/{outcome.job.notebook}: {state} in {outcome.seconds:.1f}s"
        if self.bar is None:
            print(f"[{self.done}/{self.total}] {line}", file=self.stream, flush=True)
            return
        if not outcome.ok:
            self.bar.write(line, file=self.stream)
        self.bar.set_postfix_str(self._postfix(), refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_jobs(jobs: list[Job], workers: int | None = None, progress=None,
             meanwhile: Callable[[], object] | None = None, scheduler: str | None = None,
             reused: int = 0, fresh_kernels: bool = False) -> list[Outcome]:
    """Execute ``jobs`` in parallel worker processes, reporting progress as each one finishes.

    ``meanwhile`` runs in a thread of this process once a worker has no notebook left, so that it
    takes the core that worker frees rather than one a kernel needs; and never before the workers
    are forked, since a fork copies a lock held by another thread (an import's, say) with no
    thread left to release it. With ``scheduler`` (a Dask scheduler address) the same jobs go to
    a Dask cluster instead of local workers. ``reused`` counts notebooks of the batch reused
    without a job, for the progress report. Each worker holds one kernel for all its notebooks
    (``kernels``); with ``fresh_kernels`` every notebook gets a new one, started ahead.
    """
    progress = progress or sys.stderr  # looked up now: a default bound at import would outlive a replaced stderr
    if scheduler:
        return _run_on_dask(jobs, scheduler, progress, meanwhile, reused, fresh_kernels)
    if not jobs:  # everything reused: no worker, no kernel
        (meanwhile or (lambda: None))()
        return []
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    outcomes = []
    html = any(job.html for job in jobs)
    costs = _expected_costs(jobs)
    # longest first, so no worker is left alone with a long notebook at the end
    ordered = sorted(jobs, key=costs.__getitem__, reverse=True)
    report = _Progress(progress, len(jobs) + reused, reused)
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm_up, initargs=(html, os.getpid())) as pool:
        # the first submit forks every worker. With fresh kernels, a worker starts its next kernel
        # ahead unless the jobs left can all go to kernels already started.
        try:
            with ctrl_c_held_while_forking():  # the first submit forks the workers
                futures = [pool.submit(execute, job, fresh_kernels and i + workers < len(ordered), not fresh_kernels)
                           for i, job in enumerate(ordered)]
            side = threading.Thread(target=meanwhile or (lambda: None), daemon=True)
            for done, future in enumerate(as_completed(futures), start=1):
                outcome = future.result()
                outcomes.append(outcome)
                report.finished(outcome)
                if side.ident is None and len(jobs) - done < workers:
                    side.start()
            if side.ident is None:  # no job at all
                side.start()
            side.join()
        except KeyboardInterrupt:  # Ctrl-C: stop now, not once the notebooks running have finished
            processes = list((pool._processes or {}).values())  # shutdown forgets them
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.kill()  # its kernels die with it (a parent-death signal, see kernels)
                process.join(2)  # before the run removes its folder: a dying worker writes nothing more
            raise
    report.close()
    return sorted(outcomes, key=lambda o: (o.job.article, o.job.notebook))


def execute_with(settings: dict[str, str], job: Job, reuse: bool = True) -> Outcome:
    """``execute`` on a Dask worker, with the submitting run's ``CLAIMCHECK_*`` settings (data,
    notebooks, ``--as-of``) in place of the worker's own for the length of the job; the worker
    process holds its kernel from job to job, as a local worker does."""
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        return execute(job, reuse=reuse)
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _run_on_dask(jobs: list[Job], scheduler: str, progress, meanwhile, reused: int,
                 fresh_kernels: bool = False) -> list[Outcome]:
    """The same jobs through a Dask distributed scheduler: each runs ``execute`` on a worker, which
    writes into the run folder (a path every worker must see, as it sees the project and data)."""
    from dask.distributed import Client, as_completed as completed

    settings = {k: v for k, v in os.environ.items() if k.startswith("CLAIMCHECK_")}
    costs = _expected_costs(jobs)
    ordered = sorted(jobs, key=costs.__getitem__, reverse=True)
    report = _Progress(progress, len(jobs) + reused, reused)
    side = threading.Thread(target=meanwhile or (lambda: None), daemon=True)
    side.start()  # the notebooks run elsewhere: this process has a core to spare at once
    outcomes = []
    from claimcheck.batch.scheduler import TIMEOUT, SchedulerUnreachable

    try:
        client = Client(scheduler, set_as_default=False, timeout=TIMEOUT)
    except (OSError, TimeoutError) as exc:  # it answered the probe, then went away
        raise SchedulerUnreachable(f"the Dask scheduler at {scheduler} could not be used: "
                                   f"{' '.join(str(exc).split())[:200] or type(exc).__name__}") from None
    with client:
        # pure=False: a notebook run is not a pure function of its arguments; priority keeps the
        # longest first, as the local pool does
        futures = [client.submit(execute_with, settings, job, not fresh_kernels, pure=False, priority=len(ordered) - i)
                   for i, job in enumerate(ordered)]
        for future in completed(futures, loop=client.loop):
            try:
                outcome = future.result()
            except Exception as exc:  # the worker died or the job could not be sent
                job = ordered[futures.index(future)]
                outcome = Outcome(job, False, 0.0, f"{type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            report.finished(outcome)
    side.join()
    report.close()
    return sorted(outcomes, key=lambda o: (o.job.article, o.job.notebook))


def collect_verdicts(out_dir: Path) -> list[dict]:
    """The scorecard's verdict rows of one article, sorted by claim id."""
    path = out_dir / VERDICTS_DIR / f"{SCORECARD}.json"
    if not path.is_file():
        return []
    return sorted(json.loads(path.read_text(encoding="utf-8")), key=lambda row: row["claim_id"])


def write_verdict_tables(out_dir: Path, rows: list[dict], same_inputs: Path | None = None) -> None:
    """``verdicts.csv`` and ``verdicts.json``: one row per claim, byte-identical for the same data.

    ``same_inputs``: the published folder of the article when every notebook of this run was reused
    from it, so the same code and packages wrote its tables: they are linked when they hold these rows."""
    text = json.dumps(rows, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if same_inputs is not None and _regular(same_inputs / "verdicts.csv") and _regular(same_inputs / "verdicts.json") \
            and _holds(same_inputs / "verdicts.json", text):
        for name in ("verdicts.csv", "verdicts.json"):
            _link(same_inputs / name, out_dir / name)
        return
    from claimcheck.cells import csv_text
    from claimcheck.judge.verdicts import ROW_COLUMNS

    # the flat columns (evidence stays in the JSON); no cell runs as a formula in a spreadsheet
    table = csv_text(ROW_COLUMNS, ([row.get(c) for c in ROW_COLUMNS] for row in rows))
    files.write_text(out_dir / "verdicts.csv", table)
    files.write_text(out_dir / "verdicts.json", text)


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _link(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy across file systems): run folders are never
    written twice, so sharing a file between them is safe."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


# ------------------------------------------------------------------------------------ scheduled runs


class BuildLocked(RuntimeError):
    """Another ``claimcheck run`` holds the build lock."""


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_held_locks: set[int] = set()  # descriptors of build locks this process holds


def _drop_locks_in_child() -> None:
    """In a forked child (a pool worker): close the lock's descriptor. A flock belongs to the open
    file description, which a fork shares, so a worker that outlived its run would hold the lock."""
    for fd in list(_held_locks):
        try:
            os.close(fd)
        except OSError:
            pass
    _held_locks.clear()


os.register_at_fork(after_in_child=_drop_locks_in_child)


@contextmanager
def build_lock(build_dir: Path):
    """Hold ``<build>/.lock`` (an exclusive ``flock``) or raise ``BuildLocked`` naming the holder at once.

    The lock belongs to the open file, so the kernel releases it when the process ends, however it
    ends: there is no stale lock to clean up. Forked workers close their copy of the descriptor,
    and kernels never get one (it is not inheritable across exec). The file is never deleted
    (deleting a locked file lets a third run lock a new file while the second waits on the old
    one); it records the last holder. A lock that is a symbolic link or not a regular file is
    refused (``files.UnsafeFile``), never written through.
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / LOCK_FILE
    fd = files.open_regular(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "unknown holder"
        os.close(fd)
        raise BuildLocked(f"another claimcheck run is writing {build_dir} ({holder}; lock {path}); "
                          "this run stopped without touching it") from None
    _held_locks.add(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()} since {_now()}\n".encode(), 0)
        yield path
    finally:
        _held_locks.discard(fd)
        os.close(fd)  # releases the lock


def new_run_folder(build_dir: Path) -> tuple[str, Path]:
    """A fresh ``<build>/.runs/<run-id>/``: a UTC timestamp to the microsecond, so names sort in run order.

    (Whole seconds are not enough: a pruned name would be reused by a later run in the same second
    and sort before the runs it follows.)
    """
    root = build_dir / RUNS_DIR
    if root.is_symlink():  # every output would land where the link points
        raise files.UnsafeFile(errno.ELOOP, "is a symbolic link, not the run folders' folder; remove it", str(root))
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    for n in range(1000):
        run_id = stamp if n == 0 else f"{stamp}-{n}"
        try:
            (root / run_id).mkdir()
            return run_id, root / run_id
        except FileExistsError:
            continue
    raise RuntimeError(f"cannot create a run folder under {root}")


def switch_into_place(build_dir: Path, run_dir: Path, article_id: str) -> Path:
    """Point ``<build>/<article>`` at ``<run_dir>/<article>`` with one atomic rename of a symlink.

    A real folder left by an older layout is first moved aside into ``.runs/<run-id>-previous/``.
    """
    public = build_dir / article_id
    if public.exists() and not public.is_symlink():
        aside = run_dir.parent / f"{run_dir.name}-previous"
        aside.mkdir(exist_ok=True)
        os.rename(public, aside / article_id)
    temporary = build_dir / f".{article_id}.switch"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(Path(RUNS_DIR) / run_dir.name / article_id, temporary, target_is_directory=True)
    os.replace(temporary, public)
    return public


def published_folder(build_dir: Path, article_id: str) -> Path | None:
    """``<build>/<article>`` when it holds published outputs a run may read and reuse: a link into
    ``<build>/.runs/`` (or a real folder of the older layout). A link anywhere else (planted, to a
    foreign folder) is reported and never read from; the run's switch then replaces it."""
    public = build_dir / article_id
    if not public.is_symlink():
        return public if public.is_dir() else None
    runs = (build_dir / RUNS_DIR).resolve()
    if public.resolve().parent.parent == runs and public.resolve().is_dir():
        return public
    print(f"claimcheck: {public} is not a run folder (a link to {os.readlink(public)}); "
          "nothing is read or reused from it, and this run replaces it", file=sys.stderr)
    return None


def _regular(path: Path) -> bool:
    """A regular file, not a link to one (which could point anywhere)."""
    return path.is_file() and not path.is_symlink()


def _links_in(folder: str, names: list[str]) -> set[str]:
    """``shutil.copytree``'s ``ignore``: the symbolic links of a folder copied, never followed or kept."""
    return {name for name in names if os.path.islink(os.path.join(folder, name))}


def live_runs(build_dir: Path) -> set[str]:
    """The run folders some ``<build>/<article>`` link points into."""
    live = set()
    for entry in build_dir.iterdir() if build_dir.is_dir() else []:
        if entry.is_symlink():
            parts = Path(os.readlink(entry)).parts
            if len(parts) >= 2 and parts[0] == RUNS_DIR:
                live.add(parts[1])
    return live


def prune_runs(build_dir: Path, keep: int = KEEP_RUNS) -> list[Path]:
    """Delete run folders older than the newest ``keep``, never one that is live; the folders removed."""
    root = build_dir / RUNS_DIR
    if not root.is_dir():
        return []
    live = live_runs(build_dir)
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    removed = []
    for folder in folders[: max(0, len(folders) - keep)]:
        if folder.name not in live:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _write_run_file(out_dir: Path, facts: dict) -> None:
    from claimcheck.publish.site import RUN_FILE

    files.write_text(out_dir / RUN_FILE, json.dumps(facts, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def run_command(args) -> int:
    """``claimcheck run``: execute the notebooks into a new run folder, publish it, record it in the history.

    Exit status: 0 when every notebook ran and no verdict is ``error``; 1 otherwise (the articles
    whose notebooks all ran are still published); ``EXIT_LOCKED`` when another run holds the lock.
    """
    unknown = unknown_notebooks(args.notebook)
    if unknown:
        available = sorted(p.stem for p in paths.notebooks_dir().glob("*.ipynb"))
        print(f"claimcheck: no notebook {', '.join(map(repr, unknown))}; the notebooks are: {', '.join(available)}",
              file=sys.stderr)
        return 2
    article_ids = list_articles() if args.all else [load_article(args.article).id]
    articles, skipped = _loadable(article_ids, args.all)
    if not articles:
        return 1
    if args.notebook and not any(notebooks_for(a, args.notebook) for a in articles.values()):
        print(f"claimcheck: no article has claims for notebook(s) {', '.join(args.notebook)}; nothing to run",
              file=sys.stderr)
        return 2
    build_dir = paths.build_dir()
    as_of = getattr(args, "as_of", None)
    if getattr(args, "scheduler", None):  # before the lock and the run folder: a failure leaves neither
        from claimcheck.batch.scheduler import SchedulerUnreachable, check_scheduler

        try:
            check_scheduler(args.scheduler)
        except SchedulerUnreachable as exc:
            print(f"claimcheck: --scheduler: {exc}", file=sys.stderr)
            return 1
    from claimcheck.batch.scheduler import SchedulerUnreachable

    if not getattr(args, "scheduler", None):  # the kernels run here: their sockets must fit (Dask workers have their own)
        try:
            kernels.check_runtime_dir()
        except kernels.RuntimeFolderTooDeep as exc:
            print(f"claimcheck: {exc}", file=sys.stderr)
            return 2
    drafts = {} if getattr(args, "publish", False) else {a: art for a, art in articles.items() if preview.has_draft_notes(art)}
    reviewed = {a: art for a, art in articles.items() if a not in drafts}
    try:
        with build_lock(build_dir), pinned(as_of):
            status = _run_locked(args, reviewed, build_dir) if reviewed else 0
            if drafts:  # an unreviewed draft runs as a preview, never into the published site or history
                with preview.preview_build(build_dir) as folder:
                    status = max(status, _run_locked(args, drafts, folder))
                for article_id in drafts:
                    preview.mark_pages(folder / article_id)
                preview.mark_pages(folder / "index.html")
                print(f"PREVIEW {', '.join(drafts)}: the registry still carries draft: notes, so the run went to "
                      f"{_shown_path(folder)}/ and is not published; review the claims and remove the notes, or "
                      "run with --publish")
            return max(status, 1) if skipped and status == 0 else status
    except BuildLocked as exc:
        print(f"claimcheck: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except SchedulerUnreachable as exc:
        print(f"claimcheck: --scheduler: {exc}", file=sys.stderr)
        return 1


def _loadable(article_ids: list[str], every: bool) -> tuple[dict[str, Article], list[str]]:
    """The articles whose text, metadata and registry load, by id, and the ids of those skipped
    (``--all`` only; a single one raises). The run uses these, each registry parsed once."""
    from functools import cache

    from claimcheck.reference.documents import load_documents
    from claimcheck.registry.articles import ArticleError
    from claimcheck.registry.claims import ClaimsError

    documents = cache(load_documents)  # the documents registry, read once for all articles
    ready, skipped = {}, []
    for article_id in article_ids:  # a registry that does not load stops its article before the run starts
        try:  # (an evidence naming what does not exist costs its claim only: an `error` verdict)
            article = checked_article(article_id, documents)[0]
            article.metadata
            ready[article_id] = article
        except (ArticleError, ClaimsError) as exc:
            if not every:
                raise
            print(f"claimcheck: {article_id}: skipped, not published: {exc}", file=sys.stderr)
            skipped.append(article_id)
    return ready, skipped


@contextmanager
def pinned(as_of: str | None):
    """``--as-of DATE``: every snapshot the run's notebooks (which inherit the environment) read is the
    newest version on or before DATE. And whatever the date, none newer than the newest stored when
    the run started: a refresh during the run adds a version that its notebooks do not read and its
    run file, history and "Data versions" do not name. The previous settings are restored afterwards."""
    from claimcheck.reference.snapshots import AS_OF_ENV, SEEN_ENV, newest_versions, parse_as_of

    before = {name: os.environ.get(name) for name in (AS_OF_ENV, SEEN_ENV)}
    if as_of:
        os.environ[AS_OF_ENV] = parse_as_of(as_of).isoformat()
    os.environ[SEEN_ENV] = json.dumps(newest_versions(), sort_keys=True)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _outputs(notebook: str, html: bool, public: Path | None = None) -> list[str]:
    """The files one notebook run leaves in its article folder (the verdicts file when it judges, and
    the charts it drew, found in ``public``)."""
    charts = sorted(f"{CHARTS_DIR}/{notebook}/{p.name}" for p in (public / CHARTS_DIR / notebook).glob(f"*{CHART_SUFFIX}")) \
        if public is not None else []
    return [f"{notebook}.ipynb", *([f"{notebook}.html", f"{notebook}.code.html"] if html else []),
            f"{VERDICTS_DIR}/{notebook}.json", *charts]


def _reuse(job: Job, key: dict, public: Path, previous: dict) -> str | None:
    """Link the published outputs of ``job`` into its run folder if they came from the same key;
    the run they came from, or None (then the notebook executes)."""
    record = previous.get("notebooks", {}).get(job.notebook, {})
    if record.get("key") != key["key"]:
        return None
    wanted = [name for name in _outputs(job.notebook, job.html, public) if _regular(public / name)]
    if f"{job.notebook}.ipynb" not in wanted or (job.html and f"{job.notebook}.html" not in wanted):
        return None
    for name in wanted:
        target = Path(job.out_dir) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        _link(public / name, target)
    return record.get("run") or previous.get("run") or "an earlier run"


def verdict_summary(article_id: str, rows: list[dict]) -> str:
    """``<article>: 12 supported, 1 contradicted, …`` in the order of the verdict names."""
    from claimcheck.judge.verdicts import VERDICTS

    tally = Counter(str(row.get("verdict") or "") for row in rows)
    parts = [f"{tally[v]} {v}" for v in [*VERDICTS, *sorted(set(tally) - set(VERDICTS))] if tally.get(v)]
    return f"{article_id}: {', '.join(parts) or 'no verdicts'} ({len(rows)} claims)"


def _shown_path(path: Path) -> str:
    """``path`` relative to the working folder when it lies inside it (``build/index.html``)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def unknown_notebooks(names: list[str] | None) -> list[str]:
    """The names given to ``--notebook`` that are no notebook under ``notebooks/``."""
    available = {p.stem for p in paths.notebooks_dir().glob("*.ipynb")}
    return sorted(set(names or []) - available)


def _run_locked(args, articles: dict[str, Article], build_dir: Path) -> int:
    from claimcheck.batch.scheduler import SchedulerUnreachable

    started_at = _now()
    kernels.remove_dead_kernel_files()  # a run killed earlier could not remove its own
    run_id, run_dir = new_run_folder(build_dir)
    try:
        return _run_into(args, articles, build_dir, run_id, run_dir, started_at)
    except (KeyboardInterrupt, SchedulerUnreachable):  # a run folder nothing is published from goes with the run
        if run_id not in live_runs(build_dir):
            shutil.rmtree(run_dir, ignore_errors=True)
        raise


def _run_into(args, articles: dict[str, Article], build_dir: Path, run_id: str, run_dir: Path, started_at: str) -> int:
    from claimcheck.batch.keys import Inputs, execution_key
    from claimcheck.publish.site import read_run

    article_ids = list(articles)
    # incremental: offline notebooks whose inputs are unchanged since the published run are reused
    incremental = args.mode == "offline" and not getattr(args, "force", False)
    jobs, executions, reused = [], {}, 0
    inputs = Inputs()  # each input file hashed once for all the keys of the run
    for article_id in article_ids:
        out_dir = run_dir / article_id
        public = published_folder(build_dir, article_id)
        previous = read_run(public) if public else {}
        executions[article_id] = dict(previous.get("notebooks", {})) if args.notebook else {}
        if args.notebook and public:  # a partial run starts from the published outputs (links left out)
            shutil.copytree(public, out_dir, ignore=_links_in)
        (out_dir / VERDICTS_DIR).mkdir(parents=True, exist_ok=True)
        for nb in notebooks_for(articles[article_id], args.notebook):
            job = Job(article_id, nb, args.mode, str(out_dir), args.start_timeout, args.cell_timeout, not args.no_html)
            key = execution_key(article_id, nb, {k: v for k, v in parameters_for(job).items() if k != "output_dir"},
                                job.html, inputs, articles[article_id].claims)
            source_run = _reuse(job, key, public, previous) if incremental and public else None
            if source_run:
                executions[article_id][nb] = {**key, "how": "reused", "run": source_run}
                reused += 1
                print(f"[reused] {article_id}/{nb}: inputs unchanged since run {source_run}", file=sys.stderr)
            else:
                executions[article_id][nb] = {**key, "how": "executed", "run": run_id}
                jobs.append(job)
    started = time.monotonic()
    # the publishing modules import (pandas and all, 0.4 s) while the notebooks run
    outcomes = run_jobs(jobs, args.workers, meanwhile=lambda: [import_module(m) for m in PUBLISHING],
                        scheduler=getattr(args, "scheduler", None), reused=reused,
                        fresh_kernels=getattr(args, "fresh_kernels", False))
    from claimcheck.publish import history
    from claimcheck.publish import site
    from claimcheck.reference.snapshots import stored_versions

    failed = [o for o in outcomes if not o.ok]
    executed = {job.article for job in jobs}
    failed_articles = {o.job.article for o in failed}

    records = history.load()
    snapshots = stored_versions()
    finished_at = _now()
    ready, rows_by_article, errors, failed_evidence = [], {}, [], []
    for article_id in article_ids:
        if article_id in failed_articles:
            continue
        out_dir = run_dir / article_id
        rows = collect_verdicts(out_dir)
        if rows:
            every_one_reused = article_id not in executed and not args.notebook
            write_verdict_tables(out_dir, rows, build_dir / article_id if every_one_reused else None)
        previous, changes = history.changes_since_last(article_id, rows, records)
        _write_run_file(out_dir, {
            "run": run_id, "started": started_at, "finished": finished_at, "mode": args.mode,
            "as_of": getattr(args, "as_of", None), "snapshots": snapshots, "previous_run": previous["run"] if previous else None,
            "changes": [c.as_dict() for c in changes],
            "notebooks": executions[article_id],  # per notebook: its key, what it read, executed or reused
        })
        rows_by_article[article_id] = rows
        errors += [f"{article_id}/{r['claim_id']}: {r.get('sentence', '')}" for r in rows if r["verdict"] == "error"]
        # an evidence whose source failed, though another evidence decided the claim: said, and counted
        failed_evidence += [f"{article_id}/{r['claim_id']}: {e.get('label') or e.get('kind')}: {e.get('reason')}"
                            for r in rows if r["verdict"] != "error"
                            for e in r.get("evidence") or [] if e.get("status") == "error"]
        ready.append(article_id)

    site_url = getattr(args, "site_url", None)
    site_error, unpublished = "", []
    if args.no_html:  # no notebook pages: publishing would break the pages' links to them
        unpublished, ready = ready, []
    try:
        if ready:
            site.build_site(run_dir, ready, site_url=site_url, articles=articles)
    except Exception as exc:  # no half-built site goes live
        site_error = f"{type(exc).__name__}: {exc}"
        ready = []
    history_error = ""
    if ready:  # recorded first: a run the history cannot hold (a full disk, a planted link) is not published
        try:
            history.append(history.make_record(run_id, started_at, finished_at, args.mode,
                                               {a: rows_by_article[a] for a in ready}, snapshots))
        except OSError as exc:
            history_error = str(exc) if isinstance(exc, files.UnsafeFile) else \
                f"{exc.filename or history.history_path()}: {exc.strerror or exc}"
            ready = []
    for article_id in ready:
        switch_into_place(build_dir, run_dir, article_id)
    if ready:
        site.write_index(build_dir, articles)
    prune_runs(build_dir)

    print(f"{len(outcomes) - len(failed)}/{len(outcomes)} notebooks ran in {time.monotonic() - started:.1f}s"
          f"{f', {reused} reused (inputs unchanged)' if reused else ''}")
    for outcome in failed:
        print(f"FAILED notebook {outcome.job.article}/{outcome.job.notebook}: {outcome.error}", file=sys.stderr)
    if site_error:
        print(f"FAILED site: {site_error}", file=sys.stderr)
    if history_error:
        print(f"FAILED history: {history_error}; the history is unchanged and nothing was published", file=sys.stderr)
    for article_id in unpublished:
        print(f"not published (--no-html renders no notebook pages for the site to link to): "
              f"{article_id}'s outputs are in {run_dir / article_id}")
    kept = sorted(set(article_ids) - set(ready) - set(unpublished))
    for article_id in kept:
        print(f"NOT PUBLISHED {article_id}: the previous outputs stay in {build_dir / article_id}; "
              f"this run's are in {run_dir / article_id}", file=sys.stderr)
    for line in errors:
        print(f"ERROR verdict {line}", file=sys.stderr)
    for line in failed_evidence:
        print(f"FAILED evidence {line}", file=sys.stderr)
    if failed_evidence:
        print(f"{len(failed_evidence)} evidence failed (a source or snapshot could not be read) "
              "where other evidence decided the claim")
    for article_id in [*ready, *unpublished]:
        print(verdict_summary(article_id, rows_by_article[article_id]))
    if ready:
        if not site_url:
            print("ClaimReview left out: it needs the site's public address (--site-url URL or CLAIMCHECK_SITE_URL)")
        print(f"open {_shown_path(build_dir / 'index.html')}")
    return 1 if failed or errors or failed_evidence or site_error or history_error else 0
