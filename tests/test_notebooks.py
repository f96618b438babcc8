"""The notebooks are thin, committed clean, and run under plain papermill with their defaults."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import papermill
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

from claimcheck import paths, stripping
from claimcheck.show.notebook import INJECTED_HEADER, ParameterError, parameters_of, start

SEED = "china-belgium-ties-2023-02-26"
NOTEBOOKS = sorted(paths.notebooks_dir().glob("*.ipynb"))
REPO = Path(__file__).resolve().parents[1]


def injected(**values) -> dict:
    """A kernel's globals after papermill injected ``values`` (the cell is in its input history)."""
    cell = INJECTED_HEADER + "\n" + "".join(f"{name} = {value!r}\n" for name, value in values.items())
    return {"In": ["", "article = 'x'", cell], **values}


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
    assert_no_dollar_is_typeset(outputs)
    assert any("supported" in o.get("data", {}).get("text/html", "") or "not-held" in
               o.get("data", {}).get("text/html", "") for o in outputs)


def test_the_claims_notebook_runs_with_its_defaults(tmp_path):
    out = tmp_path / "claims.ipynb"
    papermill.execute_notebook(str(paths.notebooks_dir() / "claims.ipynb"), str(out), progress_bar=False,
                               cwd=str(paths.notebooks_dir()))
    outputs = [o for c in nbformat.read(out, 4).cells for o in c.get("outputs", [])]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert '<mark class="claim' in html and "$28.7 billion" in html
    assert_no_dollar_is_typeset(outputs)


def assert_no_dollar_is_typeset(outputs: list) -> None:
    """JupyterLab typesets `$...$` in Markdown and HTML outputs as a formula: every HTML output that holds a
    dollar is one block MathJax skips, and every Markdown dollar is escaped."""
    for output in outputs:
        data = output.get("data", {})
        html, markdown = data.get("text/html", ""), data.get("text/markdown", "")
        if "$" in html:
            assert html.startswith('<div class="mathjax_ignore tex2jax_ignore">'), html[:120]
        assert not re.search(r"(?<!\\)\$", markdown), markdown


def test_a_markdown_output_shows_dollars_as_dollars():
    from claimcheck.show.render import html, markdown

    assert markdown("US$9.2 tn plus US$1.8 tn").data == "US\\$9.2 tn plus US\\$1.8 tn"
    assert html("<p>US$9.2 tn</p>").data.startswith('<div class="mathjax_ignore')


def test_an_unknown_parameter_is_rejected():
    with pytest.raises(ParameterError, match="unknown parameter.*artcle"):
        start(injected(article=SEED, artcle="typo"), "claims")


def test_a_parameter_of_the_wrong_type_is_rejected():
    with pytest.raises(ParameterError, match="'claims' must be a list"):
        start(injected(article=SEED, claims="one-id"), "trade", family="trade")


def test_a_claim_id_the_article_lacks_is_rejected():
    with pytest.raises(ParameterError, match="no claim"):
        start(injected(claims=["nope"]), "trade", family="trade")


def test_the_family_selects_its_claims():
    ctx = start(injected(article=SEED), "economy", family="economy")
    assert [c.id for c in ctx.claims] == ["china-second-largest-economy"]


# ------------------------------------------------------------------ JupyterLab: one kernel, many runs


def _code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.fixture
def kernel():
    """A kernel as JupyterLab starts one for a notebook of ``notebooks/``; ``run(source)`` gives the error or None."""
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(paths.notebooks_dir()),
                              extra_arguments=["--HistoryManager.hist_file=:memory:"])

    def run(source: str):
        errors = []

        def hook(message):
            if message["msg_type"] == "error":
                errors.append(message["content"])

        reply = kc.execute_interactive(source, store_history=True, output_hook=hook, timeout=120)
        if reply["content"]["status"] == "error":
            return errors[0] if errors else reply["content"]
        return None

    try:
        yield run
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


WRONG = {str: 5, list: "trade-grew-1980s", dict: 0.05}  # the wrong types a user types with `papermill -p`


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_runs_twice_in_one_kernel_and_refuses_each_parameter_of_the_wrong_type(path, kernel):
    """As in JupyterLab: run all, a scratch cell, run all again; then each parameter given a wrong
    type as papermill injects it is refused, saying what was expected, and the kernel recovers."""
    cells = _code_cells(path)
    for round_ in ("first run", "scratch", "second run"):
        sources = ["scratch_value = [1, 2, 3]\nscratch_text = 'notes'"] if round_ == "scratch" else [c.source for c in cells]
        for source in sources:
            error = kernel(source)
            assert error is None, f"{path.stem}, {round_}: {error and error['ename']}: {error and error['evalue']}"

    at = next(i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
    parameters, start_cell = cells[at].source, cells[at + 1].source
    accepted = parameters_of(path)
    for name, parameter in accepted.items():
        wrong = WRONG[type(parameter.default)]
        assert kernel(parameters) is None
        assert kernel(f"{INJECTED_HEADER}\n{name} = {wrong!r}\n") is None  # as papermill injects it
        error = kernel(start_cell)
        assert error is not None and error["ename"] == "ParameterError", (name, error)
        assert f"parameter {name!r} must be " in error["evalue"]
        assert f"got {type(wrong).__name__} {wrong!r}" in error["evalue"], error["evalue"]
    assert accepted
    assert kernel(parameters) is None and kernel(f"{INJECTED_HEADER}\narticle = {SEED!r}\n") is None
    assert kernel(start_cell) is None


def test_the_messages_say_what_was_expected():
    cases = {"claims": ("trade-grew-1980s", "must be a list"), "tolerances": (0.05, "must be a mapping"),
             "article": (5, "must be a text in quotes, e.g. 'china-belgium-ties-2023-02-26'")}
    for name, (wrong, expected) in cases.items():
        with pytest.raises(ParameterError, match=re.escape(expected)):
            start(injected(**{name: wrong}), "trade", family="trade")
    with pytest.raises(ParameterError, match="tolerances.*claim id -> relative tolerance"):
        start(injected(tolerances={"trade-2022-jan-aug-yoy": "5%"}), "trade", family="trade")


def test_plain_globals_are_not_parameters():
    namespace = {**injected(article=SEED), "verdicts": [1], "uncovered": [], "claims_frame": {"a": 1}}
    assert start(namespace, "claims").article.id == SEED


def test_the_parameters_read_are_the_ones_papermill_reads():
    for path in NOTEBOOKS:
        ours = parameters_of(path)
        theirs = papermill.inspect_notebook(str(path))
        assert list(ours) == list(theirs)
        for name, parameter in ours.items():
            assert parameter.default == ast.literal_eval(theirs[name]["default"])
            assert parameter.help == theirs[name]["help"]


# ---------------------------------------------------------------------------- committed notebooks


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_committed_notebook_is_as_nbstripout_leaves_it(path):
    """Outputs, execution counts, random cell ids or a Python version saved by JupyterLab fail here;
    ``make notebooks`` strips them (nbstripout's function with the options of ``claimcheck.stripping``)."""
    assert not stripping.strip_file(path, verify=True), f"{path.name} is not stripped: run `make notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_committed_notebook_carries_the_metadata_jupyterlab_writes(path):
    """So that opening and saving a notebook in JupyterLab changes nothing but the stripped Python version."""
    spec = KernelSpecManager().get_kernel_spec("python3")
    metadata = nbformat.read(path, as_version=4).metadata
    assert metadata.kernelspec == {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    assert set(metadata) == {"kernelspec", "language_info"} and "version" not in metadata.language_info
    assert metadata.language_info["name"] == "python"


def test_the_stripping_check_fails_on_a_notebook_with_outputs(tmp_path):
    dirty = tmp_path / "dirty.ipynb"
    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x\n")]
    notebook.metadata.language_info["version"] = "3.11.7"
    nbformat.write(notebook, dirty)
    before = dirty.read_bytes()
    assert stripping.strip_file(dirty, verify=True) and dirty.read_bytes() == before


def test_an_unknown_article_in_the_parameters_cell_shows_one_line_not_a_traceback(kernel):
    """As a user typing a wrong article in JupyterLab sees it: the clear last line alone."""
    cells = _code_cells(paths.notebooks_dir() / "trade.ipynb")
    assert kernel(cells[0].source) is None and kernel("article = 'no-such-article'") is None
    error = kernel(cells[1].source)
    assert error is not None and len(error["traceback"]) == 1, error["traceback"]
    assert "no article 'no-such-article'" in error["traceback"][0]
    assert kernel("article = 5") is None
    error = kernel(cells[1].source)
    assert len(error["traceback"]) == 1 and "ParameterError: parameter 'article' must be" in error["traceback"][0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_markdown_cell_holds_a_dollar_jupyterlab_would_typeset(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            assert not re.search(r"(?<!\\)\$", cell.source), cell.source[:120]
