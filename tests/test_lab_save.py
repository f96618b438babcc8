"""A notebook opened, run and saved in JupyterLab, then stripped by ``make notebooks``, is the committed
notebook again: the save goes through the contents API of a running ``jupyter server`` (the request
JupyterLab's browser sends), and the strip uses the options the Makefile passes to nbstripout."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from claimcheck import paths

REPO = Path(__file__).resolve().parents[1]
TOKEN = "claimcheck-test"  # a token request is exempt from the XSRF check a browser's cookie needs
NBSTRIPOUT = Path(sys.executable).parent / "nbstripout"


def strip_options() -> list[str]:
    """The nbstripout options of ``make notebooks`` (``NBSTRIPOUT_OPTIONS`` in the Makefile)."""
    found = re.search(r"^NBSTRIPOUT_OPTIONS\s*:?=\s*(.*)$", (REPO / "Makefile").read_text(), re.MULTILINE)
    assert found, "the Makefile defines NBSTRIPOUT_OPTIONS"
    return shlex.split(found.group(1))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``jupyter server`` on 127.0.0.1 with its own config, data and runtime folders, serving a temporary folder."""
    root = tmp_path_factory.mktemp("lab-save")
    (root / "files").mkdir()
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / "config"), "JUPYTER_DATA_DIR": str(root / "data"),
           "JUPYTER_RUNTIME_DIR": str(root / "runtime")}
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root / 'files'}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {TOKEN}"}),
                                       timeout=1).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("jupyter server did not answer within 60 s")
        yield url, root / "files"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _save(url: str, name: str, notebook: nbformat.NotebookNode) -> None:
    """Save as JupyterLab does: PUT the notebook model to the contents API."""
    body = json.dumps({"type": "notebook", "format": "json", "content": notebook}).encode()
    request = urllib.request.Request(f"{url}/api/contents/{name}", data=body, method="PUT",
                                     headers={"Content-Type": "application/json", "Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.status in (200, 201)


def _strip(path: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(NBSTRIPOUT), *options, str(path)], capture_output=True, text=True, cwd=REPO)


def test_a_notebook_run_and_saved_in_jupyterlab_is_the_committed_one_after_make_notebooks(server):
    url, files = server
    committed = paths.notebooks_dir() / "economy.ipynb"
    notebook = nbformat.read(committed, as_version=4)
    # run as JupyterLab runs it: a python3 kernel in notebooks/, whose kernel info fills language_info
    NotebookClient(notebook, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(paths.notebooks_dir())}}).execute()
    assert notebook.metadata.language_info.get("version")
    _save(url, committed.name, notebook)
    saved = files / committed.name
    assert any(cell.get("outputs") for cell in json.loads(saved.read_text())["cells"])  # saved as run
    assert json.loads(saved.read_text())["metadata"]["language_info"]["version"] == f"{sys.version_info.major}." \
        f"{sys.version_info.minor}.{sys.version_info.micro}"

    assert _strip(saved, *strip_options()).returncode == 0  # what `make notebooks` does
    assert _strip(saved, "--verify", *strip_options()).returncode == 0  # what the committed-notebook test checks
    assert saved.read_bytes() == committed.read_bytes()


def test_without_the_makefile_options_the_python_version_would_stay(server, tmp_path):
    """The defect the options fix: plain nbstripout keeps the version JupyterLab saved."""
    notebook = nbformat.read(paths.notebooks_dir() / "claims.ipynb", as_version=4)
    notebook.metadata.language_info["version"] = "3.11.7"
    path = tmp_path / "claims.ipynb"
    nbformat.write(notebook, path)
    assert _strip(path).returncode == 0
    assert "3.11.7" in path.read_text()
    assert _strip(path, "--verify", *strip_options()).returncode != 0


@pytest.mark.parametrize("uid, allowed", [("0", True), ("1000", False)])
def test_make_lab_allows_root_only_as_root(uid, allowed):
    """Jupyter refuses to start as root (as in a container) unless given --allow-root."""
    done = subprocess.run(["make", "-n", "lab", f"LAB_UID={uid}", f"VENV={Path(sys.executable).parent.parent}"],
                          capture_output=True, text=True, cwd=REPO)
    (line,) = [line for line in done.stdout.splitlines() if "jupyter lab" in line]
    assert ("--allow-root" in line) is allowed
