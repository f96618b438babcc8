"""A worker's kernel reused across notebooks: nothing one notebook leaves reaches the next, a crash
costs only its own notebook, and the executed notebooks are the same as on fresh kernels."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from claimcheck.batch import kernels
from claimcheck.batch.runner import Job, execute, notebooks_for, run_jobs

SEED = "china-belgium-ties-2023-02-26"

LEAVE = r"""
import os, sys, warnings, pathlib
import matplotlib, matplotlib.pyplot as plt, pandas as pd, numpy as np
import claimcheck
from claimcheck.registry import units
from claimcheck.reference import catalogue
left_behind = 42
units.parse_unit("billion USD")                  # an lru_cache of claimcheck's
catalogue._cache["left"] = "behind"              # a module-level cache of claimcheck's
claimcheck.left_behind = True                    # a module attribute
plt.rcParams["lines.linewidth"] = 9.5
matplotlib.units.registry[complex] = matplotlib.units.ConversionInterface()
plt.figure()                                     # never closed
pd.set_option("display.max_rows", 3)
np.set_printoptions(precision=2)
np.seterr(all="raise")
warnings.warn("shown once")
warnings.simplefilter("error")
os.chdir(output_dir)
os.environ["CLAIMCHECK_LEFT_BEHIND"] = "1"
os.environ.pop("CLAIMCHECK_KEPT", None)
pathlib.Path(output_dir, "leftover_module.py").write_text("VALUE = 1\n")
sys.path.insert(0, output_dir)
import leftover_module
sys.argv.append("--left")
get_ipython().events.register("post_run_cell", lambda result: print("left behind"))
get_ipython().display_formatter.formatters["text/plain"].for_type(int, lambda n, p, cycle: p.text("left"))
"""

LOOK = r"""
import sys
_drawing = sorted(m for m in ("matplotlib.pyplot", "matplotlib.backends.backend_agg", "matplotlib_inline") if m in sys.modules)
import os, json, warnings, pathlib
import matplotlib, matplotlib.pyplot as plt, pandas as pd, numpy as np
import claimcheck
from claimcheck.registry import units
from claimcheck.reference import catalogue
plt.close(plt.figure())  # matplotlib picks its backend, which hooks into IPython's events
seen = {
    "names": sorted(k for k in globals() if not k.startswith("_")),
    "unit_cache": units.parse_unit.cache_info().currsize,
    "catalogue_cache": sorted(map(str, catalogue._cache)),
    "claimcheck_attribute": hasattr(claimcheck, "left_behind"),
    "linewidth": plt.rcParams["lines.linewidth"],
    "units": complex in matplotlib.units.registry,
    "figures": plt.get_fignums(),
    "max_rows": pd.get_option("display.max_rows"),
    "numpy": [np.get_printoptions()["precision"], np.geterr()],
    "warnings": [repr(f) for f in warnings.filters],
    "cwd": os.getcwd(),
    "env": dict(os.environ),
    "path": sys.path,
    "drawing_modules": _drawing,  # pyplot and its backend, before this notebook imports them
    "leftover_module": "leftover_module" in sys.modules,
    "argv": [a for a in sys.argv if not a.endswith(".json")],  # but the kernel's connection file
    "events": {name: [getattr(c, "__qualname__", repr(c)) for c in callbacks] for name, callbacks in get_ipython().events.callbacks.items()},
}
pathlib.Path(output_dir, "NAME.json").write_text(json.dumps(seen, default=str))
pathlib.Path(output_dir, "NAME.pid").write_text(str(os.getpid()));  # no output: its length varies with the pid's
"""


def notebook(folder: Path, name: str, *cells: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('article = ""\nmode = "offline"\noutput_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(c.replace("NAME", name)) for c in cells)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / f"{name}.ipynb")


@pytest.fixture
def notebooks(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    look = [LOOK, "40 + 2", "print('look')\nwarnings.warn('shown once')"]
    for name in ("look", "look1", "look2"):
        notebook(folder, name, *look)
    notebook(folder, "leave", LEAVE, "40 + 2")
    notebook(folder, "crash", "import os\nos._exit(1)")
    monkeypatch.setenv("CLAIMCHECK_NOTEBOOKS", str(folder))
    monkeypatch.setenv("CLAIMCHECK_KEPT", "kept")
    monkeypatch.setattr(kernels._mine, "spare", None, raising=False)
    yield folder
    kernels.release()


def job(name: str, out: Path) -> Job:
    return Job(SEED, name, "offline", str(out), 60, 60, False)


def cells(path: Path) -> list:
    """What a notebook run put in the notebook: each code cell's execution count and outputs (a
    warning names the cell's file, which carries the kernel's pid). Consecutive pieces of one
    stream are joined, as Jupyter shows them: the kernel sends what a cell printed in pieces cut
    by a 0.2 s flush timer, so a kernel paused by a busy machine between ``print``'s two writes
    ("look", then its newline) sends two pieces where another sends one."""
    nb = nbformat.read(path, as_version=4)
    shown = [(c.execution_count, joined_streams(c.outputs)) for c in nb.cells if c.cell_type == "code"]
    return json.loads(re.sub(r"ipykernel_\d+", "ipykernel_PID", json.dumps(shown)))


def joined_streams(outputs: list) -> list:
    joined = []
    for output in outputs:
        if (output["output_type"] == "stream" and joined and joined[-1]["output_type"] == "stream"
                and joined[-1]["name"] == output["name"]):
            joined[-1] = {**joined[-1], "text": joined[-1]["text"] + output["text"]}
        else:
            joined.append(output)
    return joined


def test_nothing_one_notebook_leaves_reaches_the_next_in_a_reused_kernel(notebooks, tmp_path):
    fresh, reused = tmp_path / "fresh", tmp_path / "reused"
    fresh.mkdir()
    reused.mkdir()
    assert execute(job("look", fresh)).ok  # a kernel of its own
    for name in ("look1", "leave", "look2"):
        outcome = execute(job(name, reused), reuse=True)
        assert outcome.ok, outcome.error
    pids = {name: (reused / f"{name}.pid").read_text() for name in ("look1", "look2")}
    assert pids["look1"] == pids["look2"] != (fresh / "look.pid").read_text()  # one kernel, reused
    expected = json.loads((fresh / "look.json").read_text())
    assert expected["unit_cache"] == 0 and not expected["claimcheck_attribute"]  # the test can fail
    assert expected["drawing_modules"] == []  # and a held kernel does not preload pyplot either
    assert expected["env"]["CLAIMCHECK_KEPT"] == "kept" and "CLAIMCHECK_LEFT_BEHIND" not in expected["env"]
    for name in ("look1", "look2"):
        assert json.loads((reused / f"{name}.json").read_text()) == expected, name
        assert cells(reused / f"{name}.ipynb") == cells(fresh / "look.ipynb"), name
    left = cells(reused / "leave.ipynb")
    assert [n for n, _ in left] == [1, 2, 3, 4] and left[-1][1][0]["data"]["text/plain"] == "left"  # it did change things


FETCH = r"""
import sys, http, requests
from claimcheck.reference.http import _key_safe_session
print(requests.compat.cookielib is sys.modules["http.cookiejar"] is http.cookiejar)
_key_safe_session().prepare_request(requests.Request("GET", "http://127.0.0.1:9/x"))  # merges cookie jars
"""


def test_a_submodule_of_a_kept_package_is_imported_afresh_whole_by_the_next_notebook(notebooks, tmp_path):
    # http stays in the kernel (IPython imports it), http.cookiejar comes with requests and goes: the
    # next notebook's "from http import cookiejar" must not find the dropped module on the package
    for name in ("fetch1", "fetch2"):
        notebook(notebooks, name, FETCH)
        outcome = execute(job(name, tmp_path), reuse=True)
        assert outcome.ok, outcome.error
        assert cells(tmp_path / f"{name}.ipynb")[-1][1][0]["text"] == "True\n"


def test_a_crashed_kernel_costs_only_its_notebook_and_the_next_runs_on_a_new_kernel(notebooks, tmp_path):
    outcomes = run_jobs([job(name, tmp_path) for name in ("look1", "crash", "look2")], workers=1,
                        progress=open(os.devnull, "w"))
    ok = {o.job.notebook: o.ok for o in outcomes}
    assert ok == {"look1": True, "crash": False, "look2": True}
    assert (tmp_path / "look1.pid").read_text() != (tmp_path / "look2.pid").read_text()
    assert cells(tmp_path / "look1.ipynb") == cells(tmp_path / "look2.ipynb")


def test_a_kernel_is_reused_only_after_a_notebook_that_ran_to_its_end(notebooks, tmp_path):
    notebook(notebooks, "fails", "raise ValueError('a failing cell')")
    assert execute(job("look1", tmp_path), reuse=True).ok
    held = kernels._mine.held
    assert not execute(job("fails", tmp_path), reuse=True).ok
    assert getattr(kernels._mine, "held", None) is None and not kernels._is_alive(held)
    assert execute(job("look2", tmp_path), reuse=True).ok
    assert (tmp_path / "look1.pid").read_text() != (tmp_path / "look2.pid").read_text()


def test_a_kernel_that_cannot_be_brought_back_is_replaced_by_a_fresh_one(notebooks, tmp_path, monkeypatch):
    monkeypatch.setattr(kernels, "_restore_code", lambda: "raise RuntimeError('cannot restore')")
    outcome = execute(job("look1", tmp_path), reuse=True)
    assert outcome.ok, outcome.error
    assert getattr(kernels._mine, "held", None) is None  # the notebook ran in a kernel of its own


def test_the_seed_notebooks_are_the_same_on_reused_and_on_fresh_kernels(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path))  # a notebook's output_dir lies inside the build folder
    out = tmp_path / "out"
    jobs = [job(name, out) for name in notebooks_for(SEED)]
    runs = {}
    for fresh in (True, False):  # the same folder, so the parameters and chart paths are the same
        (out / "verdicts").mkdir(parents=True)
        outcomes = run_jobs(jobs, workers=2, progress=open(os.devnull, "w"), fresh_kernels=fresh)
        assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
        runs[fresh] = {j.notebook: cells(out / f"{j.notebook}.ipynb") for j in jobs}
        runs[fresh, "verdicts"] = sorted((p.name, p.read_bytes()) for p in (out / "verdicts").iterdir())
        shutil.rmtree(out)
    assert len(runs[True]) == 7 and all(runs[True].values())
    for name in runs[True]:
        assert runs[False][name] == runs[True][name], name
    assert runs[False, "verdicts"] == runs[True, "verdicts"]


def test_fresh_kernels_is_an_option_of_claimcheck_run():
    from claimcheck.cli import build_parser

    assert build_parser().parse_args(["run", "--all", "--fresh-kernels"]).fresh_kernels
    assert not build_parser().parse_args(["run", "--all"]).fresh_kernels


def test_a_notebook_that_comes_back_incomplete_from_the_held_kernel_runs_again_in_a_new_one(notebooks, tmp_path,
                                                                                           monkeypatch):
    import papermill

    real, managers = papermill.execute_notebook, []

    def losing_a_count(*args, **kwargs):
        executed = real(*args, **kwargs)
        managers.append(kwargs["km"])
        if len(managers) == 1:  # as when the kernel's execute_input message for a cell never arrived
            executed.cells[0].execution_count = None
        return executed

    monkeypatch.setattr(papermill, "execute_notebook", losing_a_count)
    out = tmp_path / "out"
    out.mkdir()
    outcome = execute(job("look", out), reuse=True)
    assert outcome.ok, outcome.error
    assert len(managers) == 2 and managers[0] is not None and managers[1] is None  # held, then a kernel of its own
    assert getattr(kernels._mine, "held", None) is None  # the held kernel was not kept
    assert all(count is not None for count, _ in cells(out / "look.ipynb"))
