"""Installs are reproducible: requirements.lock pins every requirement to one version with hashes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def _pins(lock: Path) -> dict[str, tuple[str, int]]:
    """Each pinned package of a lock file: its version and how many hashes it carries."""
    pins, current = {}, None
    for line in lock.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", line):
            current = canonicalize_name(m.group(1).split("[")[0])
            pins[current] = (m.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def _requirements(path: Path) -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [Requirement(line) for line in lines if line]


def test_every_requirement_is_locked_to_a_version_in_its_range_with_hashes():
    pins = _pins(ROOT / "requirements.lock")
    for requirement in _requirements(ROOT / "requirements.txt"):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: run `make lock`"
        version, hashes = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), f"{name} {version} outside {requirement.specifier}"
        assert hashes >= 1, f"{name} has no hash in requirements.lock"
    assert all(hashes for _, hashes in pins.values()), "every locked package carries a hash"


def test_the_installer_is_locked_too_and_the_makefile_installs_only_from_the_locks():
    (uv,) = _requirements(ROOT / "requirements-uv.txt")
    assert canonicalize_name(uv.name) in _pins(ROOT / "requirements-uv.lock")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if " install " in line and "-e ." not in line]
    assert installs and all("--require-hashes" in line and ".lock" in line for line in installs), installs


def test_the_lock_leaves_out_the_excluded_packages_and_the_install_keeps_them_out():
    excluded = [canonicalize_name(r.name) for r in _requirements(ROOT / "requirements-excluded.txt")]
    assert excluded and not set(excluded) & set(_pins(ROOT / "requirements.lock"))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--excludes requirements-excluded.txt requirements.txt" in makefile
    assert all("--no-deps" in line for line in makefile.splitlines() if "-r requirements.lock" in line)


def test_reading_a_notebook_builds_no_iri_grammar():
    # jsonschema imports rfc3987_syntax when it is installed: a second of CPU in every process that
    # imports nbformat (every run's workers, every test process)
    code = "import sys, nbformat; print('rfc3987_syntax' in sys.modules, 'lark' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
