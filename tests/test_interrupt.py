"""Ctrl-C in ``run`` or ``refresh``: one line, exit 130, no traceback, nothing left running or half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from conftest import Reply
from processes import TAG, lock_is_free, survivors

SEED = "china-belgium-ties-2023-02-26"


def _interruptible() -> None:
    """SIGINT at its default in the started command, as from a terminal: a suite started in the
    background (``make test &``, nohup) ignores SIGINT, and so would every process it starts."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt(command: list[str], env: dict, ready) -> subprocess.CompletedProcess:
    """Start ``command`` in a process group of its own, wait for ``ready()``, then Ctrl-C it as a
    terminal does: SIGINT to the whole foreground group."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, preexec_fn=_interruptible)
    deadline = time.monotonic() + 120
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "it ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # never leave a hung run on a shared machine
        out, err = process.communicate()
        raise AssertionError(f"still running 60 s after Ctrl-C: {err[-2000:]}") from None
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def test_ctrl_c_in_run_is_one_line_exit_130_and_stops_every_worker_and_kernel(tmp_path, runtime_dir):
    build, runtime, tag = tmp_path / "build", runtime_dir, uuid.uuid4().hex
    env = {**os.environ, "CLAIMCHECK_BUILD": str(build), "JUPYTER_RUNTIME_DIR": str(runtime), TAG: tag}
    env.pop("CLAIMCHECK_HISTORY", None)
    done = interrupt([sys.executable, "-m", "claimcheck", "run", "--article", SEED, "--force"], env,
                     lambda: runtime.is_dir() and any(runtime.glob("*.json")))  # kernels are booting
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "claimcheck: run interrupted (Ctrl-C)"
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr
    assert survivors(tag, within=5) == []
    assert lock_is_free(build)
    assert not (build / SEED).exists() and not (build / "history.jsonl").exists()
    assert not any((build / ".runs").iterdir()), list((build / ".runs").rglob("*"))  # the interrupted run's folder is removed


def test_ctrl_c_in_refresh_is_one_line_exit_130_and_keeps_the_stored_snapshot(data_copy, replay_server):
    replay_server.script("/v2/country/all/indicator/NY.GDP.MKTP.KD.ZG", Reply(200, b"[]", delay=60))
    folder = data_copy / "reference" / "worldbank" / "gdp_growth"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    env = {**os.environ, "CLAIMCHECK_WORLDBANK_URL": f"{replay_server.url}/v2"}
    done = interrupt([sys.executable, "-m", "claimcheck", "refresh", "--source", "worldbank", "--snapshot",
                      "gdp_growth"], env, lambda: bool(replay_server.requests))
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines() == ["claimcheck: refresh interrupted (Ctrl-C)"]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_ctrl_c_python_could_only_report_as_unraisable_still_interrupts_the_command(capsys):
    """Raised inside a weak-reference callback (as after an import), a KeyboardInterrupt cannot
    propagate: without ``swallowed_ctrl_c_noticed`` the command would end as if no key was pressed."""
    import gc
    import weakref

    from claimcheck import workers

    class Held:
        pass

    def pressed(_):
        raise KeyboardInterrupt

    finished = []
    with pytest.raises(KeyboardInterrupt):
        with workers.swallowed_ctrl_c_noticed():
            held = Held()
            ref = weakref.ref(held, pressed)  # noqa: F841 - the callback runs when ``held`` goes
            del held
            gc.collect()
            finished.append(True)  # what the command was doing goes on to its end
    assert finished == [True]
    assert "Exception ignored" not in capsys.readouterr().err
