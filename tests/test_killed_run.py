"""A real ``claimcheck run`` killed with SIGKILL leaves no process, no lock and, after the next run, no files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from claimcheck.batch import kernels
from processes import TAG, lock_is_free, survivors, tagged

SEED = "china-belgium-ties-2023-02-26"


def test_a_run_killed_at_any_moment_leaves_nothing_behind(offline_build, tmp_path, runtime_dir):
    build, runtime = tmp_path / "build", runtime_dir
    shutil.copytree(offline_build, build, symlinks=True)  # a run of every notebook, published, in its history
    tag = uuid.uuid4().hex
    env = {**os.environ, "CLAIMCHECK_BUILD": str(build), "JUPYTER_RUNTIME_DIR": str(runtime), TAG: tag}
    env.pop("CLAIMCHECK_HISTORY", None)
    command = [sys.executable, "-m", "claimcheck", "run", "--article", SEED, "--force"]  # every notebook executes

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    assert len((build / "history.jsonl").read_text().splitlines()) == 1
    published = os.readlink(build / SEED)
    page = (build / SEED / "verdicts.html").read_bytes()
    history = (build / "history.jsonl").read_bytes()

    def kernel_booting() -> bool:
        return runtime.is_dir() and any(runtime.iterdir())

    def notebooks_running() -> bool:  # one notebook of this run has judged its claims, others still run
        return any(p for p in (build / ".runs").glob("*/*/verdicts/*.json") if p.stat().st_mtime > launched)

    # starting up, kernels booting, notebooks running: a run of the seed can end within 4 s, so the
    # last two moments are waited for, not guessed
    for delay, moment in ((0.3, None), (0, kernel_booting), (0, notebooks_running)):
        for path in runtime.glob("*") if runtime.is_dir() else []:
            path.unlink()  # the first run's or a killed run's: the next run would remove them anyway
        launched = time.time()
        victim = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        while moment is not None and not moment() and victim.poll() is None:
            time.sleep(0.02)
        assert victim.poll() is None, "the run ended before it could be killed"
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        assert survivors(tag) == [], f"killed at {delay}s"
        assert lock_is_free(build), f"killed at {delay}s: the lock is still held"
        assert os.readlink(build / SEED) == published  # readers keep the published outputs
        assert (build / SEED / "verdicts.html").read_bytes() == page
        assert (build / "history.jsonl").read_bytes() == history

    assert any(runtime.iterdir()), "the kills left no kernel file: the test proves nothing"
    after = run()
    assert after.returncode in (0, 1), after.stderr
    assert os.readlink(build / SEED) != published  # this run took the lock and published
    assert len((build / "history.jsonl").read_text().splitlines()) == 2
    assert json.loads((build / "history.jsonl").read_text().splitlines()[-1])["articles"]
    left = sorted(p.name for p in runtime.iterdir())
    assert left == [], f"kernel files or IPC sockets of a dead run are left: {left}"
    assert survivors(tag, within=0) == []


def test_only_the_files_of_dead_owners_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine = [tmp_path / f"claimcheck-{os.getpid()}-abc{suffix}" for suffix in ("-1", ".json")]
    theirs = [tmp_path / f"claimcheck-{dead.pid}-def{suffix}" for suffix in ("-1", "-5", ".json")]
    unknown = [tmp_path / "claimcheck-0e2f8e9ef496-1", tmp_path / "kernel-1234.json"]
    for path in mine + theirs + unknown:
        path.write_text("")
    assert sorted(kernels.remove_dead_kernel_files(tmp_path)) == sorted(theirs)
    assert sorted(tmp_path.iterdir()) == sorted(mine + unknown)


WORKER = """
import sys, time
from jupyter_core.utils import run_sync
import pytest

from claimcheck.batch import kernels

manager = kernels.start_kernel()
client = manager.client()
client.start_channels()
run_sync(client.wait_for_ready)(timeout=60)
client.execute("import time; time.sleep(0.3); sum(range(10**13))")  # C code holding the GIL for hours
print(manager.provisioner.pid, flush=True)
time.sleep(120)
"""


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_kernel_busy_holding_the_gil_dies_within_two_seconds_of_its_worker(runtime_dir, signum):
    """ipykernel's parent poller is a thread that a kernel computing in C never lets run."""
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime_dir)}
    worker = subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdout=subprocess.PIPE, text=True)
    kernel = 0
    try:
        kernel = int(worker.stdout.readline())
        time.sleep(1.0)  # the kernel is inside sum() by now
        assert not _gone(kernel)
        os.kill(worker.pid, signum)
        worker.wait(timeout=10)
        deadline = time.monotonic() + 2.0
        while not _gone(kernel) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(kernel), f"the busy kernel {kernel} outlived its worker by 2 s"
    finally:
        for pid in (worker.pid, kernel):
            if pid and not _gone(pid):
                os.kill(pid, signal.SIGKILL)  # never leave a process computing on a shared machine


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_run_killed_while_a_notebook_computes_in_c_leaves_no_kernel(tmp_path, runtime_dir, signum):
    """The run's kernel is busy holding the GIL (the case where ipykernel's parent poller never runs)."""
    notebooks, marker, tag = tmp_path / "notebooks", tmp_path / "computing", uuid.uuid4().hex
    shutil.copytree(Path(kernels.__file__).resolve().parents[3] / "notebooks", notebooks)
    claims = json.loads((notebooks / "claims.ipynb").read_text())
    claims["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                            "source": f"open({str(marker)!r}, 'w').close()\nsum(range(10**13))"})
    (notebooks / "claims.ipynb").write_text(json.dumps(claims))
    env = {**os.environ, "CLAIMCHECK_BUILD": str(tmp_path / "build"), "CLAIMCHECK_NOTEBOOKS": str(notebooks),
           "JUPYTER_RUNTIME_DIR": str(runtime_dir), TAG: tag}
    env.pop("CLAIMCHECK_HISTORY", None)
    run = subprocess.Popen([sys.executable, "-m", "claimcheck", "run", "--article", SEED, "--force", "--workers", "1",
                            "--notebook", "claims"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists() and run.poll() is None, "the notebook never reached its busy cell"
        time.sleep(0.5)
        os.kill(run.pid, signum)
        run.wait(timeout=10)
        assert survivors(tag, within=3) == []
    finally:
        for pid, _ in tagged(tag):
            os.kill(pid, signal.SIGKILL)  # never leave a process computing on a shared machine
