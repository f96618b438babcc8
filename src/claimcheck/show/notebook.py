"""What a notebook calls right after its ``parameters`` cell: validate the parameters, load the article.

The parameters are the names assigned in the notebook's cell tagged ``parameters``; their defaults
there give their types. Papermill injects any ``-p name value`` as a new cell headed
``# Parameters`` right after it, even for names the notebook does not know, so ``start`` reads
that cell (the kernel's input history) and rejects an unknown name or a value of the wrong type.
Other globals are never parameters: running a notebook again in the same kernel, as JupyterLab
does, or a scratch cell, changes nothing.

The parameters cell is read with ``json`` and ``ast``, not papermill (whose import costs seconds
in every kernel); ``papermill.inspect_notebook`` reads the same names (a test checks).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimcheck import files, paths
from claimcheck.reference.crosscheck import checked_article
from claimcheck.registry.articles import Article, ArticleError
from claimcheck.registry.claims import Claim, ClaimsError

SCORECARD = "scorecard"  # the notebook whose verdict file becomes verdicts.csv / verdicts.json
VERDICTS_DIR = "verdicts"  # under output_dir: where each check notebook drops its verdicts as JSON
CHARTS_DIR = "charts"  # under output_dir: the charts a notebook displays, as SVG, for the site's claim panels
CHART_SUFFIX = ".svg"
INJECTED_HEADER = "# Parameters"  # the first line of the cell papermill injects
MODES = ("offline", "refresh", "auto")
_KINDS = {str: "a text in quotes", list: "a list", dict: "a mapping {...}", int: "a whole number",
          float: "a number", bool: "True or False"}


class ParameterError(ValueError):
    """A notebook parameter that is unknown or of the wrong type."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this line, not the stack (it is no bug of the code)
        return [f"{type(self).__name__}: {self}"]


def _one_line(exc: Exception) -> Exception:
    """``exc``, shown by IPython (JupyterLab, papermill) as its one line instead of a traceback."""
    exc._render_traceback_ = lambda: [f"{type(exc).__name__}: {exc}"]  # type: ignore[attr-defined]
    return exc


@dataclass(frozen=True)
class Parameter:
    """One name of a notebook's parameters cell: its default and the comment that explains it."""

    name: str
    default: Any
    help: str = ""


def _assigned(source: str) -> dict[str, ast.expr]:
    """The plain ``name = value`` assignments of a cell's source, in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    found = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name):
                found[target.id] = node.value
    return found


def parameters_of(notebook: str | Path) -> dict[str, Parameter]:
    """The parameters of a notebook (a name under ``notebooks/`` or a path): its ``parameters`` cell."""
    path = Path(notebook) if str(notebook).endswith(".ipynb") else paths.notebooks_dir() / f"{notebook}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        return {}
    source = "".join(tagged[0]["source"])
    lines = source.splitlines()
    params = {}
    for name, value in _assigned(source).items():
        line = lines[value.lineno - 1]
        comment = line.split("#", 1)[1].strip() if "#" in line[value.end_col_offset:] else ""
        params[name] = Parameter(name, ast.literal_eval(value), comment)
    return params


def injected_names(namespace: dict[str, Any]) -> list[str]:
    """The names papermill's injected cell assigned, from the latest such cell the kernel ran."""
    for source in reversed(namespace.get("In") or []):
        if isinstance(source, str) and source.lstrip().startswith(INJECTED_HEADER):
            return list(_assigned(source))
    return []


def _expected(parameter: Parameter) -> str:
    kind = _KINDS.get(type(parameter.default), type(parameter.default).__name__)
    example = f", e.g. {parameter.default!r}" if parameter.default not in ("", [], {}) else ""
    return f"{kind}{example}" + (f" ({parameter.help})" if parameter.help else "")


def _check_type(parameter: Parameter, value: Any) -> None:
    default = parameter.default
    if default is None:
        return
    wanted = (int, float) if type(default) is float else type(default)
    ok = isinstance(value, wanted) and not (isinstance(value, bool) and type(default) is not bool)
    if ok and isinstance(value, list):
        ok = all(isinstance(item, str) for item in value)
    if ok and isinstance(value, dict) and parameter.name == "tolerances":
        ok = all(isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) for k, v in value.items())
    if not ok:
        raise ParameterError(f"parameter {parameter.name!r} must be {_expected(parameter)}; "
                             f"got {type(value).__name__} {value!r}")


@dataclass
class Context:
    """The validated parameters of a check notebook and what they select."""

    article: Article
    family: str | None
    claims: list[Claim]
    mode: str = "offline"
    tolerances: dict[str, float] = field(default_factory=dict)
    output_dir: str = ""  # set by the batch: where under build/ this notebook drops its verdicts as JSON
    broken: dict[str, str] = field(default_factory=dict)  # claim id -> why its registry entry cannot be checked
    loader: Any = field(default=None, repr=False)  # snapshots and documents, loaded once for the whole notebook

    def __post_init__(self) -> None:
        if self.loader is None:
            from claimcheck.judge.evidence import Loader

            self.loader = Loader(self.mode)

    @property
    def overrides(self) -> dict[str, dict[str, Any]]:
        """Per-claim overrides of ``Claimed`` fields, as the verdict engine takes them."""
        return {cid: {"tolerance": tol} for cid, tol in self.tolerances.items()}


def start(namespace: dict[str, Any], notebook: str, family: str | None = None) -> Context:
    """Validate the parameters of ``notebook`` (its name under ``notebooks/``) found in ``namespace``
    (its ``globals()``) and select what they name.

    Only the names of its parameters cell are parameters; a name papermill injected that is not
    one of them is an error, and so is a value whose type differs from its default's.
    """
    accepted = parameters_of(notebook)
    unknown = sorted(set(injected_names(namespace)) - set(accepted))
    if unknown:
        raise ParameterError(f"unknown parameter(s): {', '.join(unknown)}; this notebook accepts: "
                             f"{', '.join(sorted(accepted))}")
    params = {}
    for name, parameter in accepted.items():
        params[name] = namespace.get(name, parameter.default)
        _check_type(parameter, params[name])
    mode = params.get("mode", "offline")
    if mode not in MODES:
        raise ParameterError(f"parameter 'mode' must be one of {', '.join(MODES)}; got {mode!r}")

    from claimcheck.judge.evidence import Loader

    loader = Loader(mode)
    # evidence names checked against the catalogue and the documents (read once, by the notebook's
    # loader): a name that does not exist costs its claim only, which `check` judges `error`
    try:
        article, broken = checked_article(params["article"], documents=loader.documents)
    except (ArticleError, ClaimsError) as exc:  # an unknown article or a broken registry: the user's input
        raise _one_line(exc) from None
    wanted = list(params.get("claims") or [])
    claims = [c for c in article.claims if (c.family == family or family is None) and (not wanted or c.id in wanted)]
    missing = sorted(set(wanted) - {c.id for c in article.claims})
    if missing:
        raise ParameterError(f"article {article.id!r} has no claim(s): {', '.join(missing)}")
    return Context(article, family, claims, mode, dict(params.get("tolerances") or {}),
                   check_output_dir(params.get("output_dir") or ""), broken, loader)


def check_output_dir(output_dir: str) -> str:
    """``output_dir`` if it names a folder inside the build folder, relative to it ("" for none);
    an absolute path, ``..``, or a folder that resolves outside the build folder is refused."""
    if not output_dir:
        return ""
    parts = Path(output_dir).parts
    root = paths.build_dir().resolve()
    if (Path(output_dir).is_absolute() or ".." in parts or "\x00" in output_dir
            or not (root / output_dir).resolve().is_relative_to(root)):
        raise ParameterError(f"parameter 'output_dir' must be a folder inside the build folder, relative to it "
                             f"and without '..' (as `claimcheck run` passes, e.g. '.runs/<run>/<article>'); "
                             f"got {output_dir!r}")
    return output_dir


def check(ctx: Context) -> list:
    """Judge the selected claims in one call and, in a batch, save them for the verdict tables."""
    from claimcheck.judge.verdicts import judge_all

    verdicts = judge_all(ctx.article, [c.id for c in ctx.claims], mode=ctx.mode, overrides=ctx.overrides,
                         loader=ctx.loader, broken=ctx.broken)
    if ctx.output_dir:  # relative to the build folder, so executed notebooks carry no local path
        folder = paths.build_dir() / ctx.output_dir / VERDICTS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        name = ctx.family or SCORECARD
        records = [v.as_dict() for v in verdicts]
        files.write_text(folder / f"{name}.json", json.dumps(records, indent=2, ensure_ascii=False, sort_keys=True,
                                                             default=str) + "\n")
    return verdicts


def save_chart(ctx: Context, name: str, svg: str) -> None:
    """In a batch, keep a chart the notebook displays as ``<output_dir>/charts/<notebook>/<name>.svg``
    (one folder per notebook, so a run that reuses a notebook's outputs takes its charts along)."""
    if ctx.output_dir:
        folder = paths.build_dir() / ctx.output_dir / CHARTS_DIR / (ctx.family or SCORECARD)
        folder.mkdir(parents=True, exist_ok=True)
        files.write_text(folder / f"{name}{CHART_SUFFIX}", svg)
