"""The worker processes a command forks (the run's notebook workers, the draft's parser), and
Ctrl-C: the command's alone to handle, never lost, one line.

A terminal sends Ctrl-C to every process of the command. A worker ignores it from its first instant,
since the command stops its workers itself and each worker's own KeyboardInterrupt would only print a
traceback. A worker computes on one core, the others being its siblings' or the command's: it starts
with one BLAS thread (numpy's OpenBLAS would start a thread per core, which also costs every kernel
and parser a tenth of a second at import).

Python raises a Ctrl-C as KeyboardInterrupt wherever the main thread happens to be. If that is inside
a weak-reference callback or a finaliser (the import system runs one after each import), the
exception cannot propagate: Python prints "Exception ignored …" with a traceback and carries on, and
the command would run to its end as if no key was pressed and exit 0. ``swallowed_ctrl_c_noticed``
raises such an interrupt again when the command's work ends, so that it still exits as interrupted.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def ctrl_c_held_while_forking() -> Iterator[None]:
    """Hold Ctrl-C back while workers are forked: they start with it blocked, and a Ctrl-C pressed
    meanwhile reaches the command when the block ends."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def start_worker() -> None:
    """First thing in a worker forked under ``ctrl_c_held_while_forking``: ignore Ctrl-C, then let
    signals in; one BLAS thread for what it imports and the kernels it starts (unless set otherwise)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@contextmanager
def swallowed_ctrl_c_noticed() -> Iterator[None]:
    """A KeyboardInterrupt that Python could only report as unraisable within the block is raised
    when the block ends, without the report: the command finishes what it was doing, then stops
    as interrupted (another KeyboardInterrupt raised from the callback would be just as unraisable)."""
    previous = sys.unraisablehook
    swallowed: list[BaseException] = []

    def hook(unraisable) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            swallowed.append(unraisable.exc_value)
        else:
            previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous
    if swallowed:
        raise KeyboardInterrupt
