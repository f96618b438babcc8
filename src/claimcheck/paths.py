"""Where the project keeps its data and outputs.

Every location can be moved with an environment variable, so tests and scheduled runs can point the
suite at a scratch copy without touching the committed data.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The data folder (``CLAIMCHECK_DATA`` or ``<project>/data``)."""
    return Path(os.environ.get("CLAIMCHECK_DATA", PROJECT_ROOT / "data"))


def articles_dir() -> Path:
    """The folder holding one sub-folder per article."""
    return data_dir() / "articles"


def reference_dir() -> Path:
    """The folder holding reference snapshots and their sidecars."""
    return data_dir() / "reference"


def build_dir() -> Path:
    """The output folder (``CLAIMCHECK_BUILD`` or ``<project>/build``)."""
    return Path(os.environ.get("CLAIMCHECK_BUILD", PROJECT_ROOT / "build"))


def notebooks_dir() -> Path:
    """The folder of the check notebooks."""
    return Path(os.environ.get("CLAIMCHECK_NOTEBOOKS", PROJECT_ROOT / "notebooks"))


def outside_data(path: Path, root: Path | None = None) -> str:
    """Why ``path`` may not be read as data ("" when it may): it resolves outside the data folder
    (or outside ``root``, the folder a caller named explicitly, such as a test text's folder).

    A link under ``data/`` to ``/etc/passwd`` or a home folder would otherwise publish that file
    (an article text is printed on its page); every file read as data must lie inside ``data/``."""
    real, root = Path(path).resolve(), (root or data_dir()).resolve()
    if real.is_relative_to(root):
        return ""
    return (f"{path}: resolves to {real}, outside the data folder {root}; claimcheck reads data only "
            "from files inside it (replace the link by the file itself)")


def data_root_of(folder: Path) -> Path:
    """The folder whose files ``folder``'s files must resolve into: the data folder for a folder
    under it (its articles), else ``folder`` itself (a text a script or a test names by its path)."""
    absolute = Path(os.path.abspath(folder))
    data = Path(os.path.abspath(data_dir()))
    return data if absolute.is_relative_to(data) else absolute
