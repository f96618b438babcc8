"""``--scheduler`` at an address where no Dask scheduler answers: one line, exit 1, in seconds, and
nothing left behind (no run folder, the lock free)."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claimcheck.batch import scheduler
from claimcheck.cli import main
from processes import lock_is_free

SEED = "china-belgium-ties-2023-02-26"


@pytest.fixture
def http_port():
    class Quiet(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("where, says", [
    ("http", "no Dask scheduler answered at tcp://127.0.0.1:{port} within 2 s"),
    ("dead", "cannot connect to a Dask scheduler at tcp://127.0.0.1:{port}"),
    ("scheme", "is not a Dask scheduler address (unknown address scheme 'nonsense'"),
])
def test_a_scheduler_address_where_none_answers_is_one_line_and_leaves_nothing(
        where, says, http_port, tmp_path, monkeypatch, capsys):
    build = tmp_path / "build"
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(build))
    monkeypatch.setattr(scheduler, "TIMEOUT", 2.0)
    port = {"http": http_port, "dead": free_port(), "scheme": 0}[where]
    address = f"tcp://127.0.0.1:{port}" if where != "scheme" else "nonsense://x"
    started = time.monotonic()
    assert main(["run", "--article", SEED, "--scheduler", address]) == 1
    assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("claimcheck: --scheduler: ") and says.format(port=port) in err, err
    assert not (build / ".runs").exists() or not any((build / ".runs").iterdir())
    assert lock_is_free(build)


def test_a_live_scheduler_passes_the_probe():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=True, dashboard_address=None) as cluster:
        scheduler.check_scheduler(cluster.scheduler_address, timeout=5)


def test_a_scheduler_gone_after_the_probe_is_one_line_and_leaves_no_run_folder(tmp_path, monkeypatch, capsys):
    build = tmp_path / "build"
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(build))
    monkeypatch.setattr(scheduler, "TIMEOUT", 2.0)
    monkeypatch.setattr(scheduler, "check_scheduler", lambda address, timeout=None: None)  # it answered, then died
    assert main(["run", "--article", SEED, "--force", "--scheduler", f"tcp://127.0.0.1:{free_port()}"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("claimcheck: --scheduler: the Dask scheduler at tcp://127.0.0.1:") and "could not be used" in err
    assert not any((build / ".runs").iterdir())
    assert lock_is_free(build)
