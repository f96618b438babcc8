"""An article's id, checked before anything of the article is read (the command line checks it on
its own, without the registry's models).

An id is a folder name and a path component of build/: lower-case letters, digits, hyphens, short
enough for every path built from it. Always matched whole (fullmatch: `$` would let "evil\n" in).
"""

from __future__ import annotations

import re

MAX_ID_LENGTH = 100
ARTICLE_ID = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{MAX_ID_LENGTH - 1}}}")


class ArticleError(ValueError):
    """An article folder that is missing or malformed."""


def check_article_id(article_id: str) -> str:
    """``article_id`` if it is lower-case letters, digits and hyphens; else an error (no paths, no ``..``)."""
    if not isinstance(article_id, str) or not ARTICLE_ID.fullmatch(article_id):
        shown = article_id if not isinstance(article_id, str) or len(article_id) <= 60 else article_id[:60] + "…"
        raise ArticleError(f"article id {shown!r} is not valid: an id is lower-case letters, digits and "
                           f"hyphens, at most {MAX_ID_LENGTH} characters (a folder name under data/articles/, never a path)")
    return article_id
