"""What a committed notebook keeps, in one place: nbstripout's strip with the project's options.

``make notebooks`` (``python -m claimcheck.stripping``) and JupyterLab's saves (``pre_save_hook``, named in
the project's ``jupyter_server_config.json``, which ``make lab`` has Jupyter read) strip with ``strip``, so
a notebook opened, run and saved in JupyterLab is on disk what ``make notebooks`` leaves: the committed file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbstripout import strip_output

from claimcheck import files, paths

# nbstripout's command line strips these besides outputs, execution counts and cell ids; its Python
# function does not (nbstripout 0.9.1, `main`). tests/test_lab_save.py checks that `nbstripout` with
# `command_line_options()` and `strip` write the same bytes.
NBSTRIPOUT_COMMAND_KEYS = (
    "metadata.signature", "metadata.widgets", "cell.metadata.collapsed", "cell.metadata.ExecuteTime",
    "cell.metadata.execution", "cell.metadata.heading_collapsed", "cell.metadata.hidden", "cell.metadata.scrolled",
)
# The project's own: the kernel's Python version differs from machine to machine, and JupyterLab writes
# it into every notebook whose kernel starts.
EXTRA_KEYS = ("metadata.language_info.version",)


def command_line_options() -> list[str]:
    """The options that make the ``nbstripout`` command strip as ``strip`` does (for a git filter)."""
    return ["--extra-keys", " ".join(EXTRA_KEYS)]


def strip(notebook: dict) -> nbformat.NotebookNode:
    """``notebook`` without outputs, execution counts, random cell ids and machine-specific metadata."""
    return strip_output(nbformat.from_dict(notebook), keep_output=None, keep_count=False, keep_id=False,
                        extra_keys=[*NBSTRIPOUT_COMMAND_KEYS, *EXTRA_KEYS])


def is_project_notebook(path: Path) -> bool:
    """Whether ``path`` is one of the notebooks ``make notebooks`` strips: an ``.ipynb`` directly in the
    project's notebooks folder. A notebook anywhere else, a sub-folder of it included, keeps its outputs."""
    path = Path(path).resolve()
    return path.suffix == ".ipynb" and path.parent == paths.notebooks_dir().resolve()


def pre_save_hook(model: dict, path: str, contents_manager, **kwargs) -> None:
    """jupyter_server's pre-save hook: strip a project notebook's model before the server writes it."""
    if model.get("type") != "notebook" or "content" not in model:
        return
    if is_project_notebook(Path(contents_manager.root_dir, path.strip("/"))):
        model["content"] = strip(model["content"])


def strip_file(path: Path, verify: bool = False) -> bool:
    """Strip the notebook at ``path`` in place, as nbstripout writes it; whether it changed (with ``verify``,
    only whether it would change)."""
    original = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    stripped = strip(original)
    if stripped == original:
        return False
    if not verify:  # as nbformat.write writes it, through a temporary file: a reader never meets half a notebook
        text = nbformat.writes(stripped)
        files.write_text(path, text if text.endswith("\n") else text + "\n")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimcheck.stripping",
                                     description="Strip notebooks as they are committed (default: the project's).")
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--verify", action="store_true", help="change nothing; exit 1 when a notebook is not stripped")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted(paths.notebooks_dir().glob("*.ipynb"))
    changed = []
    for notebook in notebooks:
        try:
            if strip_file(notebook, args.verify):
                changed.append(notebook)
        except (OSError, ValueError) as error:  # nbformat's NotJSONError is a ValueError
            print(f"{notebook}: cannot strip: {error}", file=sys.stderr)
            return 2
    for notebook in changed:
        print(f"{notebook}: {'not stripped (run `make notebooks`)' if args.verify else 'stripped'}")
    return 1 if args.verify and changed else 0


if __name__ == "__main__":
    sys.exit(main())
