"""The run history: one JSON line per published run, and what changed between runs.

Each line of ``history.jsonl`` records a run that published outputs: its id and time, the data mode,
the snapshot versions it read (sha256 and date of every sidecar under ``data/reference``) and, per
article, each claim's verdict and reference value. ``claimcheck diff`` compares an article's last
two entries, so a statistical revision that moves a reference value (or flips a verdict) shows up.

The file lives at ``build/history.jsonl`` beside the outputs it describes (``CLAIMCHECK_HISTORY``
moves it): ``make clean`` deletes it with them, and a scheduled job that must keep it across clean
checkouts points ``CLAIMCHECK_HISTORY`` somewhere durable or caches it (see docs/scheduling.md).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from claimcheck import files, paths
from claimcheck.reference.snapshots import stored_versions

HISTORY_FILE = "history.jsonl"
TRACKED = ("verdict", "reference", "reference_value")  # what a history entry keeps of each verdict row


def history_path() -> Path:
    """``CLAIMCHECK_HISTORY`` or ``<build>/history.jsonl``."""
    return Path(os.environ.get("CLAIMCHECK_HISTORY", paths.build_dir() / HISTORY_FILE))


# ------------------------------------------------------------------------------------------ records


def claims_of(rows: Iterable[dict]) -> dict[str, dict[str, str]]:
    """The part of each verdict row the history keeps, by claim id."""
    return {row["claim_id"]: {key: _text(row.get(key)) for key in TRACKED} for row in rows}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def make_record(run_id: str, started: str, finished: str, mode: str,
                articles: dict[str, list[dict]], snapshots: dict | None = None) -> dict[str, Any]:
    """One history entry: the run, its data versions and, per article, each claim's verdict and reference."""
    return {
        "run": run_id,
        "started": started,
        "finished": finished,
        "mode": mode,
        "snapshots": stored_versions() if snapshots is None else snapshots,
        "articles": {article: {"claims": claims_of(rows)} for article, rows in sorted(articles.items())},
    }


def append(record: dict[str, Any], path: Path | None = None) -> Path:
    """Append ``record`` as one line, all or nothing, fsynced (``files.append_line``); the caller
    holds the build lock. A short write (a full disk) raises and leaves the file as it was; a
    history that is a symbolic link is refused."""
    path = path or history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
    return files.append_line(path, line.encode("utf-8"))


def _not_a_record(entry: Any) -> str:
    """Why ``entry`` (a parsed line) is no run record; "" when it is one."""
    if not isinstance(entry, dict) or not isinstance(entry.get("run"), str):
        return "not a run record (no run id)"
    articles = entry.get("articles")
    if not isinstance(articles, dict):
        return "not a run record (no articles)"
    for article, facts in articles.items():
        claims = facts.get("claims") if isinstance(facts, dict) else None
        if not isinstance(claims, dict) or not all(isinstance(c, dict) for c in claims.values()):
            return f"not a run record (article {str(article)[:40]!r} has no claims mapping)"
    snapshots = entry.get("snapshots", {})
    if not isinstance(snapshots, dict) or not all(isinstance(v, dict) for v in snapshots.values()):
        return "not a run record (snapshots is no mapping of versions)"
    return ""


def load(path: Path | None = None) -> list[dict[str, Any]]:
    """Every run record, oldest first. A line that is not UTF-8, not JSON (a torn write) or no run
    record is skipped with a warning naming the line: one bad line never costs the others."""
    path = path or history_path()
    if not path.is_file():
        return []
    records = []
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            why = "not UTF-8"
        except json.JSONDecodeError:
            why = "not a JSON line"
        else:
            why = _not_a_record(entry)
        if why:
            print(f"claimcheck: {path}:{number}: {why}; skipped", file=sys.stderr)
        else:
            records.append(entry)
    return records


def runs_of(article_id: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries that include ``article_id``, oldest first."""
    return [r for r in records if article_id in r.get("articles", {})]


# ------------------------------------------------------------------------------------------ changes


@dataclass(frozen=True)
class Change:
    """A claim whose verdict or reference value differs between two runs."""

    claim_id: str
    what: str  # "changed", "added" or "removed"
    old_verdict: str = ""
    new_verdict: str = ""
    old_reference: str = ""
    new_reference: str = ""

    @property
    def verdict_changed(self) -> bool:
        return self.old_verdict != self.new_verdict

    @property
    def reference_changed(self) -> bool:
        return self.old_reference != self.new_reference

    def describe(self) -> str:
        """One plain line: ``trade-2022: verdict supported → contradicted; reference $28.9 bn → $27.1 bn``."""
        if self.what == "added":
            return f"{self.claim_id}: new claim, {self.new_verdict or 'no verdict'}"
        if self.what == "removed":
            return f"{self.claim_id}: no longer checked (was {self.old_verdict or 'no verdict'})"
        parts = []
        if self.verdict_changed:
            parts.append(f"verdict {self.old_verdict or '-'} → {self.new_verdict or '-'}")
        if self.reference_changed:
            parts.append(f"reference {self.old_reference or '-'} → {self.new_reference or '-'}")
        return f"{self.claim_id}: " + "; ".join(parts)

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _reference(entry: dict[str, str]) -> str:
    """The value compared between runs: the display text, else the raw value."""
    return entry.get("reference") or entry.get("reference_value") or ""


def _reference_key(entry: dict[str, str]) -> str:
    return entry.get("reference_value") or entry.get("reference") or ""


def compare(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[Change]:
    """Claims whose verdict or reference value differs, plus claims added or removed, sorted by id."""
    changes = []
    for claim_id in sorted(set(old) | set(new)):
        before, after = old.get(claim_id), new.get(claim_id)
        if before is None:
            changes.append(Change(claim_id, "added", new_verdict=after.get("verdict", ""),
                                  new_reference=_reference(after)))
        elif after is None:
            changes.append(Change(claim_id, "removed", old_verdict=before.get("verdict", ""),
                                  old_reference=_reference(before)))
        elif before.get("verdict") != after.get("verdict") or _reference_key(before) != _reference_key(after):
            old_ref, new_ref = _reference(before), _reference(after)
            if old_ref == new_ref:  # same display text, different raw value: show the raw values
                old_ref, new_ref = _reference_key(before), _reference_key(after)
            changes.append(Change(claim_id, "changed", before.get("verdict", ""), after.get("verdict", ""),
                                  old_ref, new_ref))
    return changes


def changes_since_last(article_id: str, rows: list[dict], records: list[dict] | None = None
                       ) -> tuple[dict[str, Any] | None, list[Change]]:
    """The article's last recorded run and what ``rows`` (a new run) changed since it."""
    previous = runs_of(article_id, load() if records is None else records)
    if not previous:
        return None, []
    last = previous[-1]
    return last, compare(last["articles"][article_id]["claims"], claims_of(rows))


def snapshot_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Snapshots whose sha256 differs between two entries' ``snapshots``, one line each."""
    lines = []
    for name in sorted(set(old) | set(new)):
        a, b = (old.get(name) or {}).get("sha256"), (new.get(name) or {}).get("sha256")
        if a != b:
            lines.append(f"{name}: {str(a or 'absent')[:12]} → {str(b or 'absent')[:12]}")
    return lines


# ------------------------------------------------------------------------------------------- command


def diff_command(args) -> int:
    """``claimcheck diff [--article ID]``: what changed between each article's last two recorded runs.

    Exit status 0 (also when something changed; the report is the output), 2 for an unknown article.
    """
    from claimcheck.registry.articles import ArticleError

    records = load()
    if args.article:
        articles = [args.article]
        if not runs_of(args.article, records):
            known = sorted({a for r in records for a in r.get("articles", {})})
            raise ArticleError(f"no run of article {args.article!r} in {history_path()} "
                               f"(recorded: {', '.join(known) or 'none'})")
    else:
        articles = sorted({a for r in records for a in r.get("articles", {})})
    if not articles:
        print(f"no runs recorded yet in {history_path()}; `claimcheck run` adds one per run")
        return 0
    for article_id in articles:
        runs = runs_of(article_id, records)
        if len(runs) < 2:
            print(f"{article_id}: only one run recorded ({runs[-1]['run']}); nothing to compare yet")
            continue
        old, new = runs[-2], runs[-1]
        changes = compare(old["articles"][article_id]["claims"], new["articles"][article_id]["claims"])
        head = f"{article_id}: run {old['run']} ({old.get('mode', '?')}) → {new['run']} ({new.get('mode', '?')})"
        if not changes:
            print(f"{head}: no verdict or reference value changed")
        else:
            print(f"{head}: {len(changes)} claim(s) changed")
            for change in changes:
                print(f"  {change.describe()}")
        for line in snapshot_changes(old.get("snapshots", {}), new.get("snapshots", {})):
            print(f"  snapshot {line}")
    return 0
