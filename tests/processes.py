"""Helpers of the tests that start real runs and kill them: the processes a run started, the build
lock, and a runtime folder short enough for a kernel's IPC sockets."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TAG = "CLAIMCHECK_TEST_RUN"  # inherited by every process the run starts, however it is reparented


def tagged(tag: str) -> list[tuple[int, str]]:
    """Processes started with ``TAG=<tag>`` in their environment: the run and all it started."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"{TAG}={tag}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":  # a zombie is already dead
                    found.append((int(entry.name), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except OSError:  # ended meanwhile
            continue
    return found


def survivors(tag: str, within: float = 15.0) -> list[tuple[int, str]]:
    """What is still alive after ``within`` seconds (kernels poll for their parent once a second)."""
    deadline = time.monotonic() + within
    while (alive := tagged(tag)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


def lock_is_free(build: Path) -> bool:
    """Whether the run lock of ``build`` can be taken now (no lock file: no run ever held it)."""
    if not (build / ".lock").exists():
        return True
    fd = os.open(build / ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


@contextmanager
def short_runtime_dir() -> Iterator[Path]:
    """A fresh Jupyter runtime folder directly under the temporary folder, removed afterwards.

    A kernel's IPC socket path must fit in 107 bytes, and a test's ``tmp_path`` inside a
    pytest-xdist worker (``…/pytest-N/popen-gwN/<test name>/``) leaves too little room for
    ``runtime/claimcheck-<pid>-<id>-<n>``."""
    folder = Path(tempfile.mkdtemp(prefix="cc-rt-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
