"""A notebook opened, run and saved in JupyterLab stays byte-identical to the committed one: ``make lab``
starts Jupyter with the project's ``jupyter_server_config.json``, whose pre-save hook strips every
notebook of ``notebooks/`` as ``make notebooks`` does. The server is started by ``make lab``'s own
command line; the saves go through its contents API (the request JupyterLab's browser sends) and
through JupyterLab itself in headless Chromium."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest
import websocket
from nbclient import NotebookClient

from browser import FLAGS as browser_flags
from claimcheck import paths, stripping
from conftest import built_once

REPO = Path(__file__).resolve().parents[1]
VENV = Path(sys.executable).parent.parent
TOKEN = "claimcheck-test"  # a token request is exempt from the XSRF check a browser's cookie needs
NBSTRIPOUT = Path(sys.executable).parent / "nbstripout"


def make_lab_command() -> str:
    """The shell line ``make lab`` runs (as root: with ``--allow-root``, as in a container)."""
    done = subprocess.run(["make", "-n", "lab", "LAB_UID=0", f"VENV={VENV}"], capture_output=True, text=True, cwd=REPO)
    (line,) = [line for line in done.stdout.splitlines() if "jupyter lab" in line]
    return line


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _start(command: str, scratch: Path, *options: str):
    """Run ``command`` (a ``jupyter lab`` line) from the project root, headless, on a free loopback port,
    with its own config, data, workspace and runtime folders (nothing of the user's); yield its URL."""
    port = _free_port()
    env = {**os.environ, "JUPYTER_DATA_DIR": str(scratch / "data"), "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
           "JUPYTER_CONFIG_DIR": str(scratch / "config"), "JUPYTERLAB_WORKSPACES_DIR": str(scratch / "workspaces")}
    env.pop("JUPYTER_CONFIG_PATH", None)
    headless = f" --no-browser --port={port} --ip=127.0.0.1 --IdentityProvider.token={TOKEN} " + " ".join(options)
    process = subprocess.Popen(["sh", "-c", command + headless], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {TOKEN}"}),
                                       timeout=1).read()
                break
            except OSError:
                assert process.poll() is None, f"{command} exited with {process.returncode}"
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not answer within 60 s")
        yield url
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """End a process started in its own session, and everything it started: asked first, then killed."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab as ``make lab`` starts it: serving ``notebooks/``, its app reachable from the page's
    JavaScript (which changes nothing the server does) for the test that drives it in Chromium."""
    with _start(make_lab_command(), tmp_path_factory.mktemp("lab"), "--LabApp.expose_app_in_browser=True") as url:
        yield url


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    """The same command serving a folder of the user's own, outside the project's ``notebooks/``."""
    own = tmp_path_factory.mktemp("own")
    command = make_lab_command()
    assert command.rstrip().endswith(" notebooks/"), command
    with _start(command.rstrip()[: -len("notebooks/")] + shlex.quote(str(own)), tmp_path_factory.mktemp("lab")) as url:
        yield url, own


def _save(url: str, name: str, notebook: dict) -> None:
    """Save as JupyterLab does: PUT the notebook model to the contents API."""
    body = json.dumps({"type": "notebook", "format": "json", "content": notebook}).encode()
    request = urllib.request.Request(f"{url}/api/contents/{name}", data=body, method="PUT",
                                     headers={"Content-Type": "application/json", "Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.status in (200, 201)


def _load(url: str, name: str) -> dict:
    request = urllib.request.Request(f"{url}/api/contents/{name}?content=1", headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read())["content"]


def _run_as_jupyterlab(path: Path) -> nbformat.NotebookNode:
    """``path`` run as JupyterLab runs it: a python3 kernel in notebooks/, whose kernel info fills language_info."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(paths.notebooks_dir())}}).execute()
    notebook.cells[1].metadata.update(collapsed=False, scrolled=True)  # what Lab's output toggles write
    return notebook


@pytest.fixture(scope="session")
def economy_run(tmp_path_factory):
    """A fresh copy, for each test, of ``economy.ipynb`` run once as JupyterLab runs it."""
    folder = built_once(tmp_path_factory, "economy-run", lambda folder: nbformat.write(
        _run_as_jupyterlab(paths.notebooks_dir() / "economy.ipynb"), folder / "economy.ipynb"))
    return lambda: nbformat.read(folder / "economy.ipynb", as_version=4)


def _dirty(notebook: dict) -> dict:
    """What JupyterLab's autosave sends for a notebook it opened: the kernel's Python version, new cell ids."""
    dirty = copy.deepcopy(notebook)
    dirty["metadata"]["language_info"]["version"] = "3.11.7"
    for cell in dirty["cells"]:
        cell["id"] = uuid.uuid4().hex[:8]
    return dirty


def _unchanged(path: Path, committed: bytes) -> bool:
    """Whether ``path`` holds ``committed`` byte for byte (a bool: pytest's diff of two large files takes minutes)."""
    return path.read_bytes() == committed


# It saves into the worktree's notebooks/, which other tests read at the same time: a save that works writes the
# committed bytes (atomically, as jupyter_server writes), and the file is put back only when a save did not.
def test_a_notebook_run_and_saved_in_jupyterlab_stays_the_committed_one(lab, economy_run):
    committed = paths.notebooks_dir() / "economy.ipynb"
    assert committed.parent == REPO / "notebooks"
    before = subprocess.run(["git", "show", "HEAD:notebooks/economy.ipynb"], capture_output=True, cwd=REPO, check=True).stdout
    assert committed.read_bytes() == before
    notebook = economy_run()
    assert notebook.metadata.language_info.get("version")
    assert any(cell.get("outputs") for cell in notebook.cells)
    try:
        _save(lab, "economy.ipynb", notebook)
        assert _unchanged(committed, before)
        assert subprocess.run(["git", "diff", "--quiet", "--", "notebooks/economy.ipynb"], cwd=REPO).returncode == 0
        _save(lab, "economy.ipynb", _dirty(_load(lab, "economy.ipynb")))  # the autosave of a notebook only opened
        assert _unchanged(committed, before)
    finally:
        if committed.read_bytes() != before:
            committed.write_bytes(before)


class DevTools:
    """A page of headless Chromium driven over the DevTools protocol: ``evaluate`` runs JavaScript in it."""

    def __init__(self, socket_url: str) -> None:
        self.socket = websocket.create_connection(socket_url, timeout=180, suppress_origin=True)
        self.calls = 0

    def evaluate(self, expression: str):
        """The value of ``expression`` (awaited when a promise), as JSON; evaluated again while the page is
        still loading (the token login redirects, which destroys the context an evaluation ran in)."""
        for _ in range(60):
            self.calls += 1
            self.socket.send(json.dumps({"id": self.calls, "method": "Runtime.evaluate", "params": {
                "expression": expression, "awaitPromise": True, "returnByValue": True}}))
            message = {}
            while message.get("id") != self.calls:
                message = json.loads(self.socket.recv())
            if "error" in message or "exceptionDetails" in message["result"]:
                time.sleep(0.5)
                continue
            return json.loads(message["result"]["result"]["value"])
        pytest.fail(f"the page did not evaluate the script: {message}")


@contextlib.contextmanager
def _chromium(executable: Path, url: str, profile: Path):
    """Chromium showing ``url``, with its DevTools on a port it picks (written to DevToolsActivePort)."""
    process = subprocess.Popen([str(executable), *browser_flags, f"--user-data-dir={profile}", "--remote-debugging-port=0",
                                "--window-size=1400,1000", url],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(120):
            active = profile / "DevToolsActivePort"
            if active.exists() and active.read_text().strip():
                port = active.read_text().split()[0]
                pages = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=5).read())
                (page,) = [page for page in pages if page["type"] == "page"]
                break
            assert process.poll() is None, f"chromium exited with {process.returncode}"
            time.sleep(0.5)
        else:
            pytest.fail("chromium's DevTools did not answer within 60 s")
        tools = DevTools(page["webSocketDebuggerUrl"])
        yield tools
        tools.socket.close()
    finally:
        _stop(process)


# JavaScript run in JupyterLab's page (its `--LabApp.expose_app_in_browser` puts the app in `window.jupyterapp`)
_WAIT = "for (let i = 0; i < 900; i++) {{ if ({ready}) break; await new Promise(r => setTimeout(r, 200)); }}"
_NOTEBOOK = "const w = window.jupyterapp && jupyterapp.shell.currentWidget;"
_STATE = ("JSON.stringify({dirty: w.context.model.dirty, dot: !!document.querySelector('.lm-TabBar-tab.jp-mod-dirty'),"
          " version: (w.model.getMetadata('language_info') || {}).version || null,"
          " outputs: [...w.model.cells].filter(c => c.type === 'code').map(c => c.outputs.length)})")
OPENED = ("(async () => { let w; " + _WAIT.format(ready="(w = window.jupyterapp && jupyterapp.shell.currentWidget) && "
          "w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel && "
          "w.sessionContext.session.kernel.status === 'idle' && (w.model.getMetadata('language_info') || {}).version")
          + " await new Promise(r => setTimeout(r, 500)); return " + _STATE + "; })()")
SAVED = "(async () => { " + _NOTEBOOK + " await jupyterapp.commands.execute('docmanager:save'); return " + _STATE + "; })()"
RAN = ("(async () => { " + _NOTEBOOK + " await jupyterapp.commands.execute('notebook:run-all-cells'); "
       + _WAIT.format(ready="w.sessionContext.session.kernel.status === 'idle' && [...w.model.cells].every("
                            "c => c.type !== 'code' || c.executionCount)") + " return " + _STATE + "; })()")


# It saves into the worktree's notebooks/, which other tests read at the same time: a save that works writes the
# committed bytes (atomically, as jupyter_server writes), and the file is put back only when a save did not.
def test_in_a_real_browser_a_notebook_opened_run_and_saved_in_jupyterlab_stays_the_committed_one(browser, lab, tmp_path):
    """JupyterLab in headless Chromium, started by ``make lab``'s command line: open, save (as autosave
    would), run all cells, save; the file stays the committed one while the page keeps its outputs."""
    committed = paths.notebooks_dir() / "economy.ipynb"
    before = subprocess.run(["git", "show", "HEAD:notebooks/economy.ipynb"], capture_output=True, cwd=REPO, check=True).stdout
    try:
        with _chromium(browser.executable, f"{lab}/lab/tree/economy.ipynb?token={TOKEN}", tmp_path / "profile") as page:
            opened = page.evaluate(OPENED)
            # the kernel's Python version, which the committed file leaves out, marks it modified (documented)
            assert opened["version"] and opened["dirty"] and opened["dot"], opened
            assert page.evaluate(SAVED)["dirty"] is False
            assert _unchanged(committed, before)
            ran = page.evaluate(RAN)
            assert ran["dirty"] and any(ran["outputs"]), ran  # the parameters cell prints nothing
            saved = page.evaluate(SAVED)
            assert saved["dirty"] is False and saved["outputs"] == ran["outputs"], saved  # still on screen
            assert _unchanged(committed, before)
            assert subprocess.run(["git", "diff", "--quiet", "--", "notebooks/"], cwd=REPO).returncode == 0
    finally:
        if committed.read_bytes() != before:
            committed.write_bytes(before)


def test_a_notebook_outside_the_project_notebooks_keeps_its_outputs(elsewhere, economy_run):
    url, folder = elsewhere
    notebook = economy_run()
    _save(url, "mine.ipynb", notebook)
    saved = json.loads((folder / "mine.ipynb").read_text())
    assert any(cell.get("outputs") for cell in saved["cells"])
    assert saved["metadata"]["language_info"]["version"] == notebook.metadata.language_info.version


def test_the_hook_strips_only_the_notebooks_make_notebooks_strips(tmp_path):
    folder = paths.notebooks_dir()
    assert stripping.is_project_notebook(folder / "economy.ipynb")
    assert stripping.is_project_notebook(folder / "new-one.ipynb")  # not yet committed: stripped all the same
    assert not stripping.is_project_notebook(folder / "scratch" / "mine.ipynb")  # a folder of the user's own
    assert not stripping.is_project_notebook(folder / "economy.py")
    assert not stripping.is_project_notebook(tmp_path / "economy.ipynb")
    assert not stripping.is_project_notebook(REPO / "economy.ipynb")


def test_the_strip_is_byte_for_byte_the_nbstripout_command_of_make_notebooks(tmp_path):
    """The hook calls nbstripout's Python function, which lacks the keys nbstripout's command line adds to
    its own; ``stripping`` lists them: the command and the function agree on a notebook that has them all."""
    notebook = nbformat.read(paths.notebooks_dir() / "claims.ipynb", as_version=4)
    notebook = nbformat.from_dict(_dirty(notebook))
    notebook.metadata.update(signature="sha256:00", widgets={"state": {}})
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x\n")]
    notebook.cells[1].execution_count = 3
    notebook.cells[1].metadata.update(collapsed=True, scrolled=False, ExecuteTime={"end_time": "x"}, hidden=True,
                                      execution={"iopub.status.busy": "x"}, heading_collapsed=True)
    by_command, by_function = tmp_path / "command.ipynb", tmp_path / "function.ipynb"
    nbformat.write(notebook, by_command)
    nbformat.write(notebook, by_function)
    assert subprocess.run([str(NBSTRIPOUT), *stripping.command_line_options(), str(by_command)], cwd=tmp_path).returncode == 0
    assert stripping.main([str(by_function)]) == 0
    assert by_function.read_bytes() == by_command.read_bytes()
    assert by_function.read_bytes() == (paths.notebooks_dir() / "claims.ipynb").read_bytes()


def test_plain_nbstripout_would_keep_the_python_version(tmp_path):
    """The key the project adds: nbstripout alone keeps the version JupyterLab saved."""
    notebook = nbformat.read(paths.notebooks_dir() / "claims.ipynb", as_version=4)
    notebook.metadata.language_info["version"] = "3.11.7"
    path = tmp_path / "claims.ipynb"
    nbformat.write(notebook, path)
    assert subprocess.run([str(NBSTRIPOUT), str(path)]).returncode == 0
    assert "3.11.7" in path.read_text()
    assert "3.11.7" not in json.dumps(stripping.strip(notebook))


def _strip_command(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimcheck.stripping", *args], capture_output=True, text=True, cwd=cwd)


def _strip_main(capsys, *args: str) -> subprocess.CompletedProcess:
    """What the command's ``main`` returns and prints, in this process (the command is ``sys.exit(main())``)."""
    status = stripping.main(list(args))
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["python", "-m", "claimcheck.stripping", *args], status, out, err)


def test_the_strip_command_verifies_strips_and_names_a_file_it_cannot_read(tmp_path, capsys):
    clean, dirty, broken = tmp_path / "clean.ipynb", tmp_path / "dirty.ipynb", tmp_path / "broken.ipynb"
    clean.write_bytes((paths.notebooks_dir() / "claims.ipynb").read_bytes())
    nbformat.write(nbformat.from_dict(_dirty(nbformat.read(clean, as_version=4))), dirty)
    broken.write_text("{not json")
    assert _strip_main(capsys, "--verify", str(clean)).returncode == 0
    before = dirty.read_bytes()
    done = _strip_main(capsys, "--verify", str(clean), str(dirty))
    assert done.returncode == 1 and "dirty.ipynb: not stripped" in done.stdout and dirty.read_bytes() == before
    assert _strip_main(capsys, str(dirty)).returncode == 0 and dirty.read_bytes() == clean.read_bytes()
    done = _strip_command(str(broken))  # the real command: its exit status, and no traceback from the process
    assert done.returncode == 2 and done.stderr.startswith(f"{broken}: cannot strip") and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert _strip_main(capsys, "--verify").returncode == 0  # the project's notebooks, as committed


def test_make_notebooks_strips_with_the_same_function(tmp_path):
    done = subprocess.run(["make", "-n", "notebooks", f"VENV={VENV}"], capture_output=True, text=True, cwd=REPO)
    (line,) = [line for line in done.stdout.splitlines() if "notebooks" in line and "python" in line]
    assert "-m claimcheck.stripping" in line


def test_the_project_config_names_the_hook():
    config = json.loads((REPO / "jupyter_server_config.json").read_text())
    assert config["FileContentsManager"]["pre_save_hook"] == "claimcheck.stripping.pre_save_hook"
    assert f"JUPYTER_CONFIG_PATH={shlex.quote(str(REPO))}" in make_lab_command()


@pytest.mark.parametrize("uid, allowed", [("0", True), ("1000", False)])
def test_make_lab_allows_root_only_as_root(uid, allowed):
    """Jupyter refuses to start as root (as in a container) unless given --allow-root."""
    done = subprocess.run(["make", "-n", "lab", f"LAB_UID={uid}", f"VENV={VENV}"],
                          capture_output=True, text=True, cwd=REPO)
    (line,) = [line for line in done.stdout.splitlines() if "jupyter lab" in line]
    assert ("--allow-root" in line) is allowed


def test_the_documented_git_filter_strips_the_keys_make_notebooks_strips():
    """docs/development.md gives the git filter's extra keys by hand: they are the stripping module's."""
    development = (REPO / "docs" / "development.md").read_text()
    assert f"git config filter.nbstripout.extrakeys {' '.join(stripping.EXTRA_KEYS)}`" in development
