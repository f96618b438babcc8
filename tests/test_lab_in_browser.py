"""An executed check notebook opened in a real JupyterLab, in Debian's headless Chromium: JupyterLab does
not trust a notebook it did not run itself, so it strips inline SVG and hides ``image/svg+xml`` outputs;
the claims' charts, images in each claim's HTML block, must show all the same, and no script from data
may run."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from browser import ran_in

SEED = "china-belgium-ties-2023-02-26"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory, hostile_statement_build):
    """JupyterLab serving a build whose documented notebook ran with a hostile claim statement (conftest.py);
    its own settings, workspace and runtime folders, so nothing of the user's is read or written."""
    root, build = tmp_path_factory.mktemp("lab"), hostile_statement_build
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / "config"), "JUPYTER_DATA_DIR": str(root / "jupyter-data"),
           "JUPYTER_RUNTIME_DIR": str(root / "runtime"), "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
         "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={build}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=1).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        yield url, build
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and any kernel it started
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_an_untrusted_notebook_in_jupyterlab_shows_its_charts_and_runs_no_script_from_data(browser, lab):
    url, build = lab
    dom = browser.dump_url(f"{url}/lab/tree/{SEED}/documented.ipynb",
                           ("--window-size=1400,3000", "--virtual-time-budget=30000"))
    assert "Notebook not trusted" in dom  # as a notebook a reader downloads and opens
    kept = sorted((build / SEED / "charts" / "documented").glob("*.svg"))
    shown = re.findall(r'<img class="chart"[^>]*src="data:image/svg\+xml;base64,', dom)
    assert kept and len(shown) == len(kept)
    assert ran_in(dom) == []
    # JupyterLab typesets `$...$` as maths unless the output is marked not to: the dollars stay dollars
    assert "US$9.2 tn" in dom and "<mjx-container" not in dom
