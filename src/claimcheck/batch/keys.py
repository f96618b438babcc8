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
from claimcheck.registry.yamltext import load_yaml
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
        self._named: dict[str, list] = {}

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

    def named(self, article_id: str, claims: list | None = None) -> list:
        """``_claims_named`` once per article."""
        if article_id not in self._named:
            self._named[article_id] = _claims_named(article_id, claims)
        return self._named[article_id]

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
    """Every (source, snapshot) and document id named anywhere in a claim (readings, parts, evidence,
    and the rows an evidence adds with ``also``, of the evidence's own source unless they name one)."""
    if isinstance(node, dict):
        source = node.get("source")
        if isinstance(source, str) and isinstance(node.get("snapshot"), str):
            snapshots.add((source, node["snapshot"]))
            for more in node.get("also") or []:
                if isinstance(more, dict) and more.get("source") is None and isinstance(more.get("snapshot"), str):
                    snapshots.add((source, more["snapshot"]))
        if node.get("document") is not None:
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
    return load_yaml(text.decode("utf-8")) or {}


def _claims_named(article_id: str, claims: list | None = None) -> list[tuple[str, set[tuple[str, str]], set[str]]]:
    """Each claim's family and the snapshots and documents it names: from the article's validated
    ``claims`` when loaded (a dump takes a fraction of a millisecond), else from its registry as
    written (parsing it takes tens), which need not validate: the notebook will say what is wrong."""
    if claims is not None:
        entries = [claim.model_dump() for claim in claims]
    else:
        try:
            registry = _registry((paths.articles_dir() / article_id / "claims.yaml").read_bytes())
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return []
        entries = registry.get("claims") if isinstance(registry, dict) else None
        entries = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    named = []
    for entry in entries:
        snapshots, documents = set(), set()
        _named(entry, snapshots, documents)
        named.append((entry.get("family", "other"), snapshots, documents))
    return named


def _reads(notebook: str, named: list[tuple[str, set[tuple[str, str]], set[str]]]) -> tuple[set[tuple[str, str]], set[str]]:
    """The snapshots and documents named by the claims a notebook checks (all claims for the scorecard)."""
    snapshots, documents = set(), set()
    if notebook in JUDGING_NOTHING:
        return snapshots, documents
    for family, named_snapshots, named_documents in named:
        if notebook == SCORECARD or family == notebook:
            snapshots |= named_snapshots
            documents |= named_documents
    return snapshots, documents


def execution_key(article_id: str, notebook: str, parameters: dict, html: bool,
                  inputs: Inputs | None = None, claims: list | None = None) -> dict[str, Any]:
    """``{"key": sha256, "reads": [...]}``: the hash of a notebook run's inputs and what it covered.

    ``inputs`` shares the listing and hashing of files between the keys of one batch; ``claims``
    are the article's claims if already loaded (else its registry is read)."""
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
    snapshots, documents = _reads(notebook, inputs.named(article_id, claims))
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
