"""The notebooks are thin, committed clean, and run under plain papermill with their defaults."""

from __future__ import annotations

import json

import nbformat
import papermill
import pytest

from claimcheck import paths
from claimcheck.show.notebook import ParameterError, start

SEED = "china-belgium-ties-2023-02-26"
NOTEBOOKS = sorted(paths.notebooks_dir().glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_is_committed_without_outputs(path):
    notebook = json.loads(path.read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_has_one_parameters_cell_of_plain_literals(path):
    notebook = nbformat.read(path, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    namespace: dict = {}
    exec(tagged[0].source, {}, namespace)  # literals only: no imports, no calls into the package
    assert namespace and all(isinstance(v, (str, int, float, bool, list, dict, type(None))) for v in namespace.values())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_keeps_its_logic_in_the_package(path):
    notebook = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    for reach_around in ("requests", "read_csv", "urlopen", "yaml.safe_load", "open("):
        assert reach_around not in code


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem != "claims"], ids=lambda p: p.stem)
def test_each_check_notebook_runs_with_its_defaults_as_in_jupyterlab(path, tmp_path):
    out = tmp_path / path.name
    papermill.execute_notebook(str(path), str(out), progress_bar=False, cwd=str(paths.notebooks_dir()))
    outputs = [o for c in nbformat.read(out, 4).cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("supported" in o.get("data", {}).get("text/html", "") or "no-data-offline" in
               o.get("data", {}).get("text/html", "") for o in outputs)


def test_the_claims_notebook_runs_with_its_defaults(tmp_path):
    out = tmp_path / "claims.ipynb"
    papermill.execute_notebook(str(paths.notebooks_dir() / "claims.ipynb"), str(out), progress_bar=False,
                               cwd=str(paths.notebooks_dir()))
    html = "".join(o.get("data", {}).get("text/html", "") for c in nbformat.read(out, 4).cells for o in c.get("outputs", []))
    assert '<mark class="claim' in html and "$28.7 billion" in html


def test_an_unknown_parameter_is_rejected():
    with pytest.raises(ParameterError, match="unknown parameter.*artcle"):
        start({"article": SEED, "artcle": "typo"}, article=SEED)


def test_a_parameter_of_the_wrong_type_is_rejected():
    with pytest.raises(ParameterError, match="'claims' must be list"):
        start({"article": SEED, "claims": "one-id"}, article=SEED, claims=[])


def test_a_claim_id_the_article_lacks_is_rejected():
    with pytest.raises(ParameterError, match="no claim"):
        start({"article": SEED, "claims": ["nope"]}, article=SEED, claims=[])


def test_the_family_selects_its_claims():
    ctx = start({"article": SEED}, family="economy", article=SEED)
    assert [c.id for c in ctx.claims] == ["china-second-largest-economy"]
