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
