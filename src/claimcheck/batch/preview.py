"""No unreviewed draft goes public: an article whose registry still carries `draft:` notes runs as a
preview into ``build/.preview/<article>/``, with its own history, never the published site, the run
history or ``claimcheck diff``; every preview page says "draft — not reviewed" at its top.
``claimcheck run --publish`` publishes such a registry all the same."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

PREVIEW_DIR = ".preview"  # under the build folder
BANNER = ('<p class="claimcheck-draft-banner" role="status" style="margin:0;padding:.6em 1em;background:#fff3cd;'
          'color:#5c4400;border-bottom:2px solid #c99a00;font-weight:bold">draft — not reviewed: these verdicts come '
          "from a drafted registry that no one has reviewed yet (claims with <code>draft:</code> notes); "
          "they are not published.</p>")


def has_draft_notes(article: Any) -> bool:
    """Whether a claim of the article's registry still carries ``draft:`` notes."""
    return any(getattr(claim, "draft", None) for claim in article.claims)


def preview_dir(build_dir: Path) -> Path:
    return build_dir / PREVIEW_DIR


@contextmanager
def preview_build(build_dir: Path) -> Iterator[Path]:
    """Point the build folder and the history at ``<build>/.preview`` while a preview runs (the notebook
    kernels inherit it), and put them back after."""
    folder = preview_dir(build_dir)
    folder.mkdir(parents=True, exist_ok=True)
    saved = {k: os.environ.get(k) for k in ("CLAIMCHECK_BUILD", "CLAIMCHECK_HISTORY")}
    os.environ["CLAIMCHECK_BUILD"] = str(folder)
    os.environ["CLAIMCHECK_HISTORY"] = str(folder / "history.jsonl")
    try:
        yield folder
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


_BODY = re.compile(r"<body\b[^>]*>", re.I)


def mark_pages(folder: Path) -> int:
    """Put the "draft — not reviewed" banner at the top of every HTML page under ``folder`` (or of the
    page ``folder``), each once; the number of pages marked."""
    marked = 0
    pages = sorted(folder.rglob("*.html")) if folder.is_dir() else [folder] if folder.suffix == ".html" and folder.exists() else []
    for page in pages:
        page = page.resolve()
        text = page.read_text(encoding="utf-8")
        if "claimcheck-draft-banner" in text:
            continue
        found = _BODY.search(text)
        text = text[: found.end()] + BANNER + text[found.end() :] if found else BANNER + text
        page.write_text(text, encoding="utf-8")
        marked += 1
    return marked
