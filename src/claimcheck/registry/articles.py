"""Articles as data: a folder per article holding its text, metadata and claims registry.

``data/articles/<article-id>/`` must contain ``article.txt``, ``metadata.yaml`` and ``claims.yaml``.
Adding an article is adding such a folder; no code changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from claimcheck import paths
from claimcheck.registry.article_id import ARTICLE_ID, ArticleError, check_article_id
from claimcheck.registry.claims import Claim, ClaimsError, NotClaim, load_claims
from claimcheck.registry.yamltext import load_yaml, yaml_error_line


class Metadata(BaseModel):
    """What the article says about itself, as printed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    author: str | None = None  # as printed; a wire story or an editorial may name none
    affiliation: str | None = None  # as printed in the article's byline or footer
    dateline: str | None = None  # as printed, e.g. "26th Feb, 2023. 09:20 am"
    date: date  # publication date, ISO
    publication: str | None = None  # where it appeared
    url: str | None = None
    language: str = "en"


    @field_validator("author", "affiliation", "dateline", "publication", "url", mode="after")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value if value is None or value.strip() else None  # "" means not printed


@dataclass
class Article:
    """One article folder, loaded lazily."""

    id: str
    folder: Path

    @cached_property
    def text(self) -> str:
        return read_text(self.folder / "article.txt", paths.data_root_of(self.folder))

    @cached_property
    def metadata(self) -> Metadata:
        path = self.folder / "metadata.yaml"
        if not path.is_file():
            raise ArticleError(f"{path}: missing; every article needs metadata.yaml")
        try:
            return Metadata.model_validate(load_yaml(read_text(path, paths.data_root_of(self.folder))))
        except yaml.YAMLError as exc:
            raise ArticleError(f"{path}: not valid YAML: {yaml_error_line(exc)}") from None
        except ValidationError as exc:
            lines = [f"{path}: field '{'.'.join(map(str, e['loc']))}': {e['msg']}" for e in exc.errors()]
            raise ArticleError("\n".join(lines)) from None

    @property
    def claims_path(self) -> Path:
        return self.folder / "claims.yaml"

    @cached_property
    def _registry(self) -> tuple[list[Claim], list[NotClaim]]:
        if problem := paths.outside_data(self.claims_path, paths.data_root_of(self.folder)):
            raise ClaimsError([problem])
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


def read_text(path: Path, root: Path | None = None) -> str:
    """A UTF-8 text file inside the data folder (or ``root``); one line naming the file and what to do
    when it is not UTF-8, unreadable or outside that folder."""
    if problem := paths.outside_data(path, root):
        raise ArticleError(problem)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                           "save it as UTF-8") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def list_articles() -> list[str]:
    """The ids of every article folder, sorted; folders whose name is no valid id are left out."""
    root = paths.articles_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if ARTICLE_ID.fullmatch(p.name) and (p / "article.txt").is_file())


def load_article(article_id: str) -> Article:
    """The article with this id; a clear error lists the known ids when it does not exist."""
    check_article_id(article_id)
    folder = paths.articles_dir() / article_id
    if not (folder / "article.txt").is_file():
        known = ", ".join(list_articles()) or "none"
        raise ArticleError(f"no article {article_id!r} in {paths.articles_dir()} (known: {known})")
    return Article(article_id, folder)


__all__ = ["ARTICLE_ID", "Article", "ArticleError", "check_article_id", "ClaimsError", "Metadata", "list_articles", "load_article"]
