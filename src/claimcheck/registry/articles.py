"""Articles as data: a folder per article holding its text, metadata and claims registry.

``data/articles/<article-id>/`` must contain ``article.txt``, ``metadata.yaml`` and ``claims.yaml``.
Adding an article is adding such a folder; no code changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from claimcheck import paths
from claimcheck.registry.claims import Claim, ClaimsError, NotClaim, load_claims
from claimcheck.registry.yamltext import load_yaml


class Metadata(BaseModel):
    """What the article says about itself, as printed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    author: str
    affiliation: str | None = None  # as printed in the article's byline or footer
    dateline: str | None = None  # as printed, e.g. "26th Feb, 2023. 09:20 am"
    date: date  # publication date, ISO
    publication: str | None = None  # where it appeared
    url: str | None = None
    language: str = "en"


class ArticleError(ValueError):
    """An article folder that is missing or malformed."""


@dataclass
class Article:
    """One article folder, loaded lazily."""

    id: str
    folder: Path

    @cached_property
    def text(self) -> str:
        return (self.folder / "article.txt").read_text(encoding="utf-8")

    @cached_property
    def metadata(self) -> Metadata:
        path = self.folder / "metadata.yaml"
        try:
            return Metadata.model_validate(load_yaml(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise ArticleError(f"{path}: missing; every article needs metadata.yaml") from None
        except ValidationError as exc:
            lines = [f"{path}: field '{'.'.join(map(str, e['loc']))}': {e['msg']}" for e in exc.errors()]
            raise ArticleError("\n".join(lines)) from None

    @property
    def claims_path(self) -> Path:
        return self.folder / "claims.yaml"

    @cached_property
    def _registry(self) -> tuple[list[Claim], list[NotClaim]]:
        return load_claims(self.claims_path, self.text, self.id)

    @property
    def claims(self) -> list[Claim]:
        return self._registry[0]

    @property
    def not_claims(self) -> list[NotClaim]:
        return self._registry[1]

    def claim(self, claim_id: str) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise KeyError(f"article {self.id!r} has no claim {claim_id!r}")


def list_articles() -> list[str]:
    """The ids of every article folder, sorted."""
    root = paths.articles_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "article.txt").is_file())


def load_article(article_id: str) -> Article:
    """The article with this id; a clear error lists the known ids when it does not exist."""
    folder = paths.articles_dir() / article_id
    if not (folder / "article.txt").is_file():
        known = ", ".join(list_articles()) or "none"
        raise ArticleError(f"no article {article_id!r} in {paths.articles_dir()} (known: {known})")
    return Article(article_id, folder)


__all__ = ["Article", "ArticleError", "ClaimsError", "Metadata", "list_articles", "load_article"]
