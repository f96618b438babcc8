"""What a notebook calls right after its ``parameters`` cell: validate the parameters, load the article.

Papermill injects any ``-p name value`` as a new cell, even for names the notebook does not know,
so an unknown name would otherwise pass silently. ``start`` rejects it instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from claimcheck.registry.articles import Article, load_article
from claimcheck.registry.claims import Claim

SCORECARD = "scorecard"  # the notebook whose verdict file becomes verdicts.csv / verdicts.json
VERDICTS_DIR = "verdicts"  # under output_dir: where each check notebook drops its verdicts as JSON
_LITERALS = (str, int, float, bool, list, dict, tuple, type(None))
_IPYTHON_NAMES = {"In", "Out", "exit", "quit", "get_ipython", "open"}


class ParameterError(ValueError):
    """A notebook parameter that is unknown or of the wrong type."""


@dataclass
class Context:
    """The validated parameters of a check notebook and what they select."""

    article: Article
    family: str | None
    claims: list[Claim]
    mode: str = "offline"
    tolerances: dict[str, float] = field(default_factory=dict)
    output_dir: str = ""  # set by the batch: where this notebook drops its verdicts as JSON

    @cached_property
    def loader(self):
        """Snapshots and documents loaded once for the whole notebook."""
        from claimcheck.judge.evidence import Loader

        return Loader(self.mode)

    @property
    def overrides(self) -> dict[str, dict[str, Any]]:
        """Per-claim overrides of ``Claimed`` fields, as the verdict engine takes them."""
        return {cid: {"tolerance": tol} for cid, tol in self.tolerances.items()}


def _given(namespace: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_")
        and name not in _IPYTHON_NAMES
        and isinstance(value, _LITERALS)
    }


def start(namespace: dict[str, Any], family: str | None = None, **defaults: Any) -> Context:
    """Validate the notebook's parameters found in ``namespace`` (its ``globals()``).

    ``defaults`` names every parameter the notebook accepts with its default; any other plain
    literal defined in the namespace is an unknown parameter and an error.
    """
    given = _given(namespace)
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ParameterError(f"unknown parameter(s): {', '.join(unknown)}; this notebook accepts: {', '.join(sorted(defaults))}")
    params = {**defaults, **{k: v for k, v in given.items() if k in defaults}}
    for name, default in defaults.items():
        if default is not None and not isinstance(params[name], type(default)):
            raise ParameterError(f"parameter {name!r} must be {type(default).__name__}, got {params[name]!r}")
    if params.get("mode", "offline") not in {"offline", "refresh", "auto"}:
        raise ParameterError(f"parameter 'mode' must be offline, refresh or auto, got {params['mode']!r}")

    article = load_article(params["article"])
    wanted = list(params.get("claims") or [])
    claims = [c for c in article.claims if (c.family == family or family is None) and (not wanted or c.id in wanted)]
    missing = sorted(set(wanted) - {c.id for c in article.claims})
    if missing:
        raise ParameterError(f"article {article.id!r} has no claim(s): {', '.join(missing)}")
    tolerances = params.get("tolerances") or {}
    return Context(article, family, claims, params.get("mode", "offline"), dict(tolerances),
                   params.get("output_dir") or "")


def check(ctx: Context) -> list:
    """Judge the selected claims in one call and, in a batch, save them for the verdict tables."""
    from claimcheck.judge.verdicts import judge_all

    verdicts = judge_all(ctx.article, [c.id for c in ctx.claims], mode=ctx.mode, overrides=ctx.overrides,
                         loader=ctx.loader)
    if ctx.output_dir:
        folder = Path(ctx.output_dir) / VERDICTS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        name = ctx.family or SCORECARD
        records = [v.as_dict() for v in verdicts]
        (folder / f"{name}.json").write_text(json.dumps(records, indent=2, ensure_ascii=False, sort_keys=True,
                                                        default=str) + "\n", encoding="utf-8")
    return verdicts
