"""Execution keys: a hash of everything one notebook run reads, so an unchanged run can be reused.

A key covers the notebook file, its parameters and the ``CLAIMCHECK_*`` settings it inherits (such
as the ``--as-of`` date), the article's files (text, metadata, claims), the reference files its
claims name (every version of a named snapshot, the documents registry when a document is
named), the catalogue,
the claimcheck source and the versions of Python and the packages that execute and draw a
notebook. The claims notebook judges nothing, so its key leaves out the snapshots.

jupyter-cache was considered: its key is the notebook's code cells and kernel only (it requires
notebooks that "do not depend on external resources (e.g. files) that change over time"), it
runs notebooks with its own executor instead of the batch's workers, and it keeps no side files
(the verdicts JSON, the HTML pages). Hashing the inputs here and reusing the published files is
smaller than adapting it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from claimcheck import paths
from claimcheck.show.notebook import SCORECARD

# what executes, judges and draws a notebook: a new version may change its outputs
PACKAGES = ("papermill", "nbclient", "nbformat", "nbconvert", "ipykernel", "jupyter_client",
            "pandas", "numpy", "matplotlib", "pydantic", "PyYAML")
JUDGING_NOTHING = {"claims"}  # notebooks that show the registry but read no reference data


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _digest(files: list[Path], root: Path, h, inputs: Inputs | None = None) -> None:
    for path in files:
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(inputs.sha256(path) if inputs else hashlib.sha256(path.read_bytes()).digest())


class Inputs:
    """The input files of one batch, each listed and hashed once however many notebooks read it (the
    catalogue and an article's files are read by each of its notebooks, a snapshot by many articles).

    Hold one only while computing the keys of one run: a file changed after it was hashed is not seen."""

    def __init__(self) -> None:
        self._listings: dict[tuple[Path, str], list[Path]] = {}
        self._digests: dict[Path, bytes] = {}

    def files_under(self, folder: Path) -> list[Path]:
        return self.listing(folder, "**")

    def listing(self, folder: Path, pattern: str) -> list[Path]:
        """``**``: every file under ``folder``; otherwise the files matching ``pattern`` in it, and every
        file under the folders matching it."""
        found = self._listings.get((folder, pattern))
        if found is None:
            if pattern == "**":
                found = _files_under(folder)
            else:
                matches = sorted(set(folder.glob(pattern)))
                found = [f for path in matches for f in ([path] if path.is_file() else _files_under(path))]
            self._listings[(folder, pattern)] = found
        return found

    def sha256(self, path: Path) -> bytes:
        digest = self._digests.get(path)
        if digest is None:
            digest = self._digests[path] = hashlib.sha256(path.read_bytes()).digest()
        return digest


@lru_cache(maxsize=1)
def _environment() -> str:
    """Python, the packages and the claimcheck source (read once per process)."""
    h = hashlib.sha256(sys.version.encode())
    for name in PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none\0".encode())
    source = Path(__file__).resolve().parents[1]
    _digest(sorted(source.rglob("*.py")), source, h)
    return h.hexdigest()


def _named(node: Any, snapshots: set[tuple[str, str]], documents: set[str]) -> None:
    """Every (source, snapshot) and document id named anywhere in a claim (readings, parts, evidence)."""
    if isinstance(node, dict):
        if isinstance(node.get("source"), str) and isinstance(node.get("snapshot"), str):
            snapshots.add((node["source"], node["snapshot"]))
        if "document" in node:
            ids = node["document"] if isinstance(node["document"], list) else [node["document"]]
            documents.update(str(i) for i in ids)
        for value in node.values():
            _named(value, snapshots, documents)
    elif isinstance(node, list):
        for value in node:
            _named(value, snapshots, documents)


@lru_cache(maxsize=64)
def _registry(text: bytes) -> Any:
    """A claims file parsed once for all of an article's notebooks (with libyaml's parser when present:
    the pure-Python one took most of a run in which every notebook was reused)."""
    return yaml.load(text.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


def _reads(article_id: str, notebook: str) -> tuple[set[tuple[str, str]], set[str]]:
    """The snapshots and documents named by the claims a notebook checks (all claims for the scorecard)."""
    try:
        registry = _registry((paths.articles_dir() / article_id / "claims.yaml").read_bytes())
    except (OSError, UnicodeDecodeError, yaml.YAMLError):  # the notebook will say what is wrong
        return set(), set()
    claims = registry.get("claims") if isinstance(registry, dict) else None
    snapshots, documents = set(), set()
    if notebook in JUDGING_NOTHING:
        return snapshots, documents
    for claim in claims if isinstance(claims, list) else []:
        if notebook == SCORECARD or (isinstance(claim, dict) and claim.get("family", "other") == notebook):
            _named(claim, snapshots, documents)
    return snapshots, documents


def execution_key(article_id: str, notebook: str, parameters: dict, html: bool,
                  inputs: Inputs | None = None) -> dict[str, Any]:
    """``{"key": sha256, "reads": [...]}``: the hash of a notebook run's inputs and what it covered.

    ``inputs`` shares the listing and hashing of files between the keys of one batch."""
    inputs = inputs or Inputs()
    reference = paths.reference_dir()
    h = hashlib.sha256(_environment().encode())
    # the settings notebooks inherit, e.g. the date `--as-of` pins every snapshot version to
    settings = {k: v for k, v in os.environ.items() if k.startswith("CLAIMCHECK_")}
    h.update(json.dumps({"parameters": parameters, "html": html, "settings": settings},
                        sort_keys=True, default=str).encode())
    notebook_file = paths.notebooks_dir() / f"{notebook}.ipynb"
    h.update(notebook_file.read_bytes() if notebook_file.is_file() else b"no notebook")
    article_folder = paths.articles_dir() / article_id
    _digest(inputs.files_under(article_folder), article_folder, h, inputs)
    _digest(inputs.files_under(reference / "catalogue"), reference, h, inputs)
    snapshots, documents = _reads(article_id, notebook)
    reads = []
    for source, name in sorted(snapshots):
        files = inputs.listing(reference / source, f"{name}*")  # every version and sidecar
        h.update(f"{source}/{name}:{len(files)}\0".encode())
        _digest(files, reference, h, inputs)
        reads.append(f"{source}/{name}")
    if documents:
        _digest(inputs.files_under(reference / "documents"), reference, h, inputs)
        reads.append("documents")
    return {"key": h.hexdigest(), "reads": reads}
