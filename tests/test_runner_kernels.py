"""Kernels started ahead: a notebook runs in the kernel booted for it, and no kernel outlives the batch."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from claimcheck.batch import kernels, runner
from claimcheck.batch.runner import Job, execute, run_jobs


BATCH_TAG = "CLAIMCHECK_TEST_BATCH"  # an environment variable every process of one test's batch inherits


def kernel_pids(tag: str | None = None) -> set[int]:
    """Running ipykernels; with ``tag``, only those started with ``BATCH_TAG=<tag>`` in their environment.

    The machine is shared: other users' kernels (a JupyterLab, another test suite) come and go at
    any time, so a test counts only the processes its own batch started, found by the tag they
    inherit however they were reparented.
    """
    pids = set()
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or b"ipykernel_launcher" not in (entry / "cmdline").read_bytes():
                continue
            if tag is None or f"{BATCH_TAG}={tag}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                pids.add(int(entry.name))
        except OSError:  # the process ended meanwhile, or is not ours to read
            continue
    return pids


@pytest.fixture
def pid_notebooks(tmp_path, monkeypatch) -> Path:
    """A notebooks folder whose notebooks write their kernel's PID and IPython history file to ``<output_dir>``."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("one", "two", "three"):
        notebook = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell('article = ""\nmode = "offline"\noutput_dir = ""')
        params.metadata["tags"] = ["parameters"]
        write = (f"import os, pathlib\npathlib.Path(output_dir, '{name}.pid').write_text(str(os.getpid()))\n"
                 f"pathlib.Path(output_dir, '{name}.history').write_text(str(get_ipython().history_manager.hist_file))")
        notebook.cells = [params, nbformat.v4.new_code_cell(write)]
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, folder / f"{name}.ipynb")
    monkeypatch.setenv("CLAIMCHECK_NOTEBOOKS", str(folder))
    monkeypatch.setattr(kernels._mine, "spare", None, raising=False)
    return folder


def job(name: str, out: Path) -> Job:
    return Job("china-belgium-ties-2023-02-26", name, "offline", str(out), 60, 60, False)


def test_a_notebook_runs_in_the_kernel_started_ahead_and_stops_it(pid_notebooks, tmp_path):
    kernels._mine.spare = kernels.start_kernel()
    ahead = kernels._mine.spare.provisioner.pid
    outcome = execute(job("one", tmp_path))
    assert outcome.ok, outcome.error
    assert int((tmp_path / "one.pid").read_text()) == ahead
    assert (tmp_path / "one.history").read_text() == ":memory:"  # like nbclient's own kernels
    assert getattr(kernels._mine, "spare", None) is None
    assert ahead not in kernel_pids()


def test_a_dead_kernel_started_ahead_is_replaced_and_its_files_removed(pid_notebooks, tmp_path):
    kernels._mine.spare = kernels.start_kernel()
    sockets = Path(kernels._mine.spare.ip)  # IPC transport: <runtime dir>/claimcheck-<id>-<port>
    deadline = time.monotonic() + 30
    while len(list(sockets.parent.glob(f"{sockets.name}-*"))) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)  # until the kernel has bound its five sockets
    dead = kernels._mine.spare.provisioner.pid
    os.kill(dead, 9)
    os.waitpid(dead, 0)
    outcome = execute(job("one", tmp_path))
    assert outcome.ok, outcome.error
    assert int((tmp_path / "one.pid").read_text()) != dead
    assert not list(sockets.parent.glob(f"{sockets.name}-*"))


def test_start_next_leaves_a_kernel_for_the_next_notebook(pid_notebooks, tmp_path, monkeypatch):
    tag = uuid.uuid4().hex
    monkeypatch.setenv(BATCH_TAG, tag)
    try:
        assert execute(job("one", tmp_path), start_next=True).ok
        ahead = kernels._mine.spare.provisioner.pid
        assert ahead in kernel_pids(tag)  # the tag finds a batch's kernels
        assert execute(job("two", tmp_path)).ok
        assert int((tmp_path / "two.pid").read_text()) == ahead
    finally:
        kernels.discard_spare()


@pytest.mark.parametrize("fresh", [True, False])
def test_no_kernel_outlives_a_batch(pid_notebooks, tmp_path, monkeypatch, fresh):
    tag = uuid.uuid4().hex
    monkeypatch.setenv(BATCH_TAG, tag)
    foreign = []

    def someone_elses_kernel():  # started while the batch runs, by another user of the machine
        env = {k: v for k, v in os.environ.items() if k != BATCH_TAG}
        foreign.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "ipykernel_launcher"],
                                        env=env))

    try:
        outcomes = run_jobs([job(name, tmp_path) for name in ("one", "two", "three")], workers=2,
                            progress=open(os.devnull, "w"), meanwhile=someone_elses_kernel, fresh_kernels=fresh)
        assert all(o.ok for o in outcomes), [o.error for o in outcomes]
        pids = {name: int((tmp_path / f"{name}.pid").read_text()) for name in ("one", "two", "three")}
        # fresh: a kernel for every notebook; else at most one per worker, reused
        assert len(set(pids.values())) == 3 if fresh else len(set(pids.values())) <= 2, json.dumps(pids)
        assert foreign[0].pid in kernel_pids() and foreign[0].pid not in kernel_pids(tag)
        assert not kernel_pids(tag)
    finally:
        for process in foreign:
            process.kill()
            process.wait()


def test_work_meanwhile_waits_for_a_worker_to_run_out_of_notebooks(pid_notebooks, tmp_path):
    progress, seen = io.StringIO(), []
    outcomes = run_jobs([job(name, tmp_path) for name in ("one", "two", "three")], workers=2, progress=progress,
                        meanwhile=lambda: seen.append((len(multiprocessing.active_children()),
                                                       progress.getvalue().count("\n"))))
    assert all(o.ok for o in outcomes)
    assert seen == [(2, 2)]  # both workers forked; two notebooks done, so one worker is idle


def test_the_claims_notebook_goes_last_and_dataset_families_go_first():
    article = "china-belgium-ties-2023-02-26"
    jobs = [Job(article, name, "offline", "", 60, 60, False) for name in runner.notebooks_for(article)]
    costs = {j.notebook: c for j, c in runner._expected_costs(jobs).items()}
    assert min(costs, key=costs.get) == "claims"
    assert costs["trade"] > costs["dates"]  # same number of claims; trade reads datasets


def test_a_kernel_that_cannot_start_ahead_costs_nothing_but_speed(pid_notebooks, tmp_path, monkeypatch):
    def broken():
        raise RuntimeError("no such kernel")

    monkeypatch.setattr(kernels, "start_kernel", broken)
    outcome = execute(job("one", tmp_path), start_next=True)
    assert outcome.ok, outcome.error
    assert getattr(kernels._mine, "spare", None) is None


def test_outputs_stay_complete_without_the_fixed_waits(tmp_path, monkeypatch):
    """The first cell's output right after the kernel is ready, and the last cell's right before it
    is killed, are all in the executed notebook, with a kernel started ahead and without."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('article = ""\nmode = "offline"\noutput_dir = ""')
    params.metadata["tags"] = ["parameters"]
    noisy = ("import sys\nfrom IPython.display import display, Markdown\n"
             "for i in range(2000):\n    print(i)\n"
             "print('to stderr', file=sys.stderr)\n"
             "for i in range(50):\n    display(Markdown(f'm{i}'))")
    notebook.cells = [params, nbformat.v4.new_code_cell(noisy), nbformat.v4.new_code_cell(noisy)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "noisy.ipynb")
    monkeypatch.setenv("CLAIMCHECK_NOTEBOOKS", str(folder))
    monkeypatch.setattr(kernels._mine, "spare", None, raising=False)
    for ahead in (True, False):
        if ahead:
            kernels._mine.spare = kernels.start_kernel()
        assert execute(job("noisy", tmp_path)).ok
        cells = nbformat.read(tmp_path / "noisy.ipynb", as_version=4).cells
        for cell in cells[-2:]:
            stdout = "".join(o["text"] for o in cell.outputs if o.get("name") == "stdout")
            assert stdout == "".join(f"{i}\n" for i in range(2000))
            assert "".join(o["text"] for o in cell.outputs if o.get("name") == "stderr") == "to stderr\n"
            shown = [o["data"]["text/markdown"] for o in cell.outputs if o["output_type"] == "display_data"]
            assert shown == [f"m{i}" for i in range(50)]


def test_no_fixed_wait_when_a_kernel_is_ready_or_killed(pid_notebooks):
    """jupyter_client waits 0.2 s for IOPub to stay quiet after every ready check and polls a
    killed kernel every 0.1 s; the batch's manager does neither (the fastest of a few tries
    is taken, the machine being shared)."""
    from jupyter_core.utils import run_sync

    ready, stops = [], []
    for _ in range(3):
        manager = kernels.start_kernel()
        client = manager.client()
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=60)
        for _ in range(3):
            began = time.monotonic()
            run_sync(client.wait_for_ready)(timeout=60)
            ready.append(time.monotonic() - began)
        client.stop_channels()
        began = time.monotonic()
        run_sync(manager.shutdown_kernel)(now=True)
        stops.append(time.monotonic() - began)
    assert min(ready) < 0.15, ready
    assert min(stops) < 0.08, stops


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_live_bar_on_a_terminal_and_plain_lines_elsewhere(pid_notebooks, tmp_path):
    jobs = [job(name, tmp_path) for name in ("one", "two", "three")]
    plain = io.StringIO()
    assert all(o.ok for o in run_jobs(jobs, workers=2, progress=plain, reused=4))
    lines = plain.getvalue().splitlines()
    assert len(lines) == 3 and lines[-1].startswith("[7/7] ") and "\r" not in plain.getvalue()
    terminal = Terminal()
    assert all(o.ok for o in run_jobs(jobs, workers=2, progress=terminal, reused=4))
    shown = terminal.getvalue()
    assert "\r" in shown and "7/7" in shown and "reused 4, failed 0" in shown
    assert "<" in shown.split("\r")[-1]  # elapsed<remaining


def test_a_runtime_folder_too_deep_for_a_kernels_sockets_is_one_line_not_a_hang(tmp_path):
    """A kernel's IPC sockets live in Jupyter's runtime folder, and a socket path holds at most 107
    bytes: deeper, every kernel fails to bind and the run used to wait for them forever."""
    deep, build = tmp_path / ("d" * 100) / "runtime", tmp_path / "build"
    env = {**os.environ, "CLAIMCHECK_BUILD": str(build), "JUPYTER_RUNTIME_DIR": str(deep)}
    env.pop("CLAIMCHECK_HISTORY", None)
    done = subprocess.run([sys.executable, "-m", "claimcheck", "run", "--article", "china-belgium-ties-2023-02-26",
                           "--force"], env=env, capture_output=True, text=True, timeout=45)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert str(deep) in done.stderr and "set JUPYTER_RUNTIME_DIR to a shorter folder" in done.stderr, done.stderr
    assert not (build / ".runs").exists()  # refused before the lock and the run folder
