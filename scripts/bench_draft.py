"""How well `claimcheck draft` proposes what a reviewer wrote, and how fast (`make bench-draft`).

For the seed article (its reviewed claims.yaml) and each real news text under tests/draft_texts/
(its hand-reviewed expected.yaml, in the registry's own format):

- spans: the share of reviewed claims whose number the draft proposes a claim for (a drafted
  claim whose number lies inside the reviewed quote; for a drafted claim in parts, the part about
  that number, judged as a claim of its own); over every claim, and over the claims whose quote
  holds a number;
- fields: of those, the share whose drafted value, unit, period and comparator all equal the
  reviewed ones (and each field alone), and whose country matches where the reviewed claim names one;
- verdicts (news texts): the share of those drafted claims whose verdict, judged as drafted with
  the committed snapshots, equals the reviewed claim's verdict; over all, and over the claims
  whose reviewed verdict is decided by data (supported, contradicted, misleading);
- outcomes (news texts, and the corpus halves tests/corpus/dev and tests/corpus/sealed when present):
  for each reviewed claim whose quote holds a number, with its key (the reviewed claim's verdict as
  the committed snapshots judge it; for the corpus, the text's key.yaml: ``claims: {<claim id>:
  {verdict, also_right, why}}``), the drafted claim's verdict with no edit is right (the key's verdict
  or one of ``also_right``; a non-decisive verdict where the key is non-decisive), CONFIDENTLY WRONG
  (a decisive verdict, supported / imprecise / misleading / contradicted, that the key does not give),
  abstained (non-decisive where the key is decisive), or missed (no drafted claim for the number);
  and the drafting time per 1,000 words (the parser loaded);
- speed: drafting a 5,000-word article (the news texts and the seed repeated), median of rounds,
  and the import time of the drafting modules.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "tests" / "draft_texts"
SEED = "china-belgium-ties-2023-02-26"
DECIDED = {"supported", "contradicted", "misleading"}
DECISIVE = {"supported", "imprecise", "misleading", "contradicted"}
CORPUS = ROOT / "tests" / "corpus"


def outcome(drafted: str | None, key: str, also_right: tuple[str, ...] = ()) -> str:
    """right, wrong (confidently), abstained or missed: a drafted verdict against the key."""
    if drafted is None:
        return "missed"
    if drafted == key or drafted in also_right or drafted not in DECISIVE and key not in DECISIVE:
        return "right"
    return "wrong" if drafted in DECISIVE else "abstained"


def _key(folder: Path) -> dict[str, dict]:
    """A corpus text's key.yaml (``claims: {id: {verdict, also_right, why}}``), or {} when it has none."""
    import yaml

    path = folder / "key.yaml"
    if not path.is_file():
        return {}
    return {str(k): v or {} for k, v in ((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("claims") or {}).items()}


def _same_value(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9)
    return str(a) == str(b)


def _entity(claim) -> str | None:
    for evidence in claim.evidence:
        if evidence.kind == "dataset":
            return evidence.compute.entity or (evidence.select.get("entity") if isinstance(evidence.select.get("entity"), str) else None)
    return None


def _pairs(text, reviewed, drafted):
    """Each reviewed claim with the drafted claim (or part of a drafted claim in parts) proposed for its number."""
    from claimcheck.registry.coverage import find_numbers

    numbers = find_numbers(text)
    views = [(q, view) for d in drafted for q, view in d.views() if q is not None]
    pairs = []
    for claim in reviewed:
        at = text.find(claim.quote)
        span = (at, at + len(claim.quote))
        inside = [m for m in numbers if span[0] <= m.start and m.end <= span[1]]
        match = next((view for q, view in views if span[0] <= q.start and q.end <= span[1]), None)
        pairs.append((claim, bool(inside), match))
    return pairs


def _fields(claim, drafted_claim) -> dict[str, bool]:
    a, b = claim.claimed, drafted_claim.claimed
    if a is None or b is None:
        return {k: a is None and b is None for k in ("value", "unit", "period", "comparator")}
    return {
        "value": _same_value(a.value, b.value),
        "unit": a.unit == b.unit,
        "period": (a.period or None) == (b.period or None),
        "comparator": a.comparator == b.comparator,
    }


def measure(article_id: str, folder: Path, reviewed_path: Path) -> dict:
    from claimcheck.draft.propose import draft_article
    from claimcheck.judge.evidence import Loader
    from claimcheck.judge.verdicts import judge
    from claimcheck.registry.articles import Article
    from claimcheck.registry.claims import Claim, load_claims

    article = Article(article_id, folder)
    reviewed, _ = load_claims(reviewed_path, article.text, article_id)
    key = _key(folder)
    started = time.perf_counter()
    draft = draft_article(article)
    seconds = time.perf_counter() - started
    for drafted in draft.claims:
        Claim.model_validate(drafted.fields)  # the drafted file validates as it stands
    loader = Loader("offline")
    rows = []
    for claim, has_number, match in _pairs(article.text, reviewed, draft.claims):
        row = {"id": claim.id, "number": has_number, "proposed": match is not None}
        if match is not None:
            drafted_claim = Claim.model_validate(match)
            row.update(_fields(claim, drafted_claim))
            want = _entity(claim)
            row["entity"] = None if want is None else want == _entity(drafted_claim)
            row["verdict_reviewed"] = judge(claim, article, loader=loader).verdict
            row["verdict_drafted"] = judge(drafted_claim, article, loader=loader).verdict
        keyed = key.get(claim.id) or {}
        row["key"] = keyed.get("verdict") or row.get("verdict_reviewed") or judge(claim, article, loader=loader).verdict
        also = tuple(keyed.get("also_right") or ())
        row["outcome"] = outcome(row.get("verdict_drafted"), row["key"], also) if has_number else None
        rows.append(row)
    return {"article": article_id, "rows": rows, "drafted": len(draft.claims), "seconds": seconds,
            "words": len(article.text.split())}


def _share(rows, test, among) -> tuple[int, int]:
    pool = [r for r in rows if among(r)]
    return sum(1 for r in pool if test(r)), len(pool)


def _pct(pair) -> str:
    n, d = pair
    return f"{n}/{d} ({100 * n / d:.0f}%)" if d else "0/0"


def report(results: list[dict], verdicts: bool) -> None:
    rows = [r for res in results for r in res["rows"]]
    all4 = lambda r: r["proposed"] and all(r[k] for k in ("value", "unit", "period", "comparator"))  # noqa: E731
    print(f"  spans proposed, every reviewed claim:        {_pct(_share(rows, lambda r: r['proposed'], lambda r: True))}")
    print(f"  spans proposed, reviewed claims with a number: {_pct(_share(rows, lambda r: r['proposed'], lambda r: r['number']))}")
    print(f"  of those, value+unit+period+comparator equal:  {_pct(_share(rows, all4, lambda r: r['proposed']))}")
    for key in ("value", "unit", "period", "comparator"):
        print(f"      {key:10} equal: {_pct(_share(rows, lambda r: r[key], lambda r: r['proposed']))}")
    print(f"      country equal (where reviewed names one): {_pct(_share(rows, lambda r: r['entity'], lambda r: r['proposed'] and r['entity'] is not None))}")
    if verdicts:
        same = lambda r: r["verdict_drafted"] == r["verdict_reviewed"]  # noqa: E731
        print(f"  drafted claims reaching the reviewed verdict with no edit: {_pct(_share(rows, same, lambda r: r['proposed']))}")
        print(f"      where the reviewed verdict is decided by data:         {_pct(_share(rows, same, lambda r: r['proposed'] and r['verdict_reviewed'] in DECIDED))}")


def outcomes(results: list[dict]) -> None:
    """right / confidently wrong / abstained / missed over the keyed claims with a number, and time per 1,000 words."""
    rows = [r for res in results for r in res["rows"] if r["outcome"]]
    n = len(rows)
    for name, label in (("right", "right with no edit"), ("wrong", "CONFIDENTLY WRONG with no edit"),
                        ("abstained", "abstained (needs review)"), ("missed", "missed (no drafted claim)")):
        print(f"  {label + ':':34} {_pct((sum(r['outcome'] == name for r in rows), n))}")
        if name == "wrong":
            policy = sum(r["outcome"] == "wrong" and r.get("verdict_drafted") == r.get("verdict_reviewed") for r in rows)
            print(f"      of which the reviewed claim itself is judged so (the verdict policy, not the draft, "
                  f"differs from the key): {policy}")
    words = sum(res["words"] for res in results)
    seconds = sum(res["seconds"] for res in results)
    print(f"  drafting time per 1,000 words:     {1000 * seconds / max(words, 1):.3f} s ({words} words)")


def _texts(folder: Path, only: list[str] | None) -> list[dict]:
    dirs = [d for d in sorted(folder.iterdir()) if (d / "expected.yaml").is_file() and (not only or d.name in only)]
    return [measure(d.name, d, d / "expected.yaml") for d in dirs]


def speed(rounds: int) -> None:
    from claimcheck.draft.propose import draft_text, most_named
    from datetime import date

    pieces = [(TEXTS / d / "article.txt").read_text(encoding="utf-8") for d in sorted(p.name for p in TEXTS.iterdir() if p.is_dir())]
    pieces.append((ROOT / "data" / "articles" / SEED / "article.txt").read_text(encoding="utf-8"))
    text = ""
    while len(text.split()) < 5000:
        text += "\n\n".join(pieces) + "\n\n"
    words = len(text.split())
    draft_text("warm", text[:2000], date(2023, 2, 26))  # the country table and the catalogue, read once
    from claimcheck.draft.places import _places_in, country_of
    from claimcheck.draft.regions import _first_group

    times = []
    for _ in range(rounds):
        for cache in (_places_in, country_of, _first_group):  # what was read of this very text: a new text knows none of it
            cache.cache_clear()
        start = time.perf_counter()
        draft = draft_text("bench", text, date(2023, 2, 26), None, most_named(text))
        times.append(time.perf_counter() - start)
    print(f"  drafting {words} words ({len(draft.claims)} claims): median {statistics.median(times):.3f} s "
          f"over {rounds} rounds (min {min(times):.3f}, max {max(times):.3f})")
    code = ("import time; t=time.perf_counter(); import claimcheck.draft.propose, claimcheck.draft.write; "
            "from claimcheck.draft.places import _table; _table(); print(time.perf_counter()-t)")
    imports = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
               for _ in range(3)]
    print(f"  importing the drafting modules and reading the country table: median {statistics.median(imports):.3f} s")
    code = ("import time, sys; from datetime import date; t=time.perf_counter(); "
            "from claimcheck.draft.propose import draft_text, most_named; "
            "text=open(sys.argv[1], encoding='utf-8').read(); draft_text('cold', text, date(2023, 2, 26), None, most_named(text)); "
            "print(time.perf_counter()-t)")
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write(text)
    import resource

    cold, cpu = [], []
    for _ in range(5):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, "-c", code, handle.name], capture_output=True, text=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cold.append(float(done.stdout))
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    print(f"  drafting {words} words in a new process, imports and the parser's model load included: "
          f"median {statistics.median(cold):.3f} s (min {min(cold):.3f}); the process's CPU time, which a busy "
          f"machine inflates less: median {statistics.median(cpu):.3f} s (load average {os.getloadavg()[0]:.1f})")
    command(Path(handle.name), words)
    Path(handle.name).unlink()
    code = "import time; t=time.perf_counter(); import country_converter; print(time.perf_counter()-t)"
    coco = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(3)]
    print(f"  (importing country_converter itself, which pulls in pandas: median {statistics.median(coco):.3f} s)")


def command(text: Path, words: int, rounds: int = 5) -> None:
    """``claimcheck draft --write`` on a ``words``-word article, start to end, as a user runs it: the
    interpreter's start, the parser loaded in its worker meanwhile, the draft written."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("articles"))  # 35 MB: a fraction of a second
        folder = data / "articles" / "bench-draft"
        folder.mkdir(parents=True)
        shutil.copyfile(text, folder / "article.txt")
        (folder / "metadata.yaml").write_text("title: A long text\ndate: 2023-02-26\nlanguage: en\n", encoding="utf-8")
        env = {**os.environ, "CLAIMCHECK_DATA": str(data)}
        argv = [sys.executable, "-m", "claimcheck", "draft", "--article", "bench-draft", "--write"]
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            subprocess.run(argv, env=env, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
    print(f"  `claimcheck draft --write` on a {words}-word article, start to end: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, load average {os.getloadavg()[0]:.1f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds for the 5,000-word draft")
    parser.add_argument("--details", action="store_true", help="print each reviewed claim's row")
    parser.add_argument("--texts", nargs="+", metavar="FOLDER", help="only these news texts (folder names under tests/draft_texts)")
    parser.add_argument("--halves", nargs="*", default=["dev", "sealed"], choices=["dev", "sealed"],
                        help="the corpus halves to measure when present (default both; --halves dev while tuning)")
    args = parser.parse_args()

    seed = measure(SEED, ROOT / "data" / "articles" / SEED, ROOT / "data" / "articles" / SEED / "claims.yaml")
    texts = _texts(TEXTS, args.texts)
    halves = {h: _texts(CORPUS / h, None) for h in args.halves if (CORPUS / h).is_dir()}
    for result in [seed, *texts, *(r for h in halves.values() for r in h)] if args.details else []:
        print(result["article"])
        for row in result["rows"]:
            print("   ", row)
    print(f"Seed article ({len(seed['rows'])} reviewed claims, {seed['drafted']} drafted):")
    report([seed], verdicts=True)
    print(f"{len(texts)} real news texts ({sum(len(t['rows']) for t in texts)} reviewed claims, "
          f"{sum(t['drafted'] for t in texts)} drafted):")
    report(texts, verdicts=True)
    outcomes(texts)
    for half, results in halves.items():
        print(f"Corpus, {half} half ({len(results)} texts, {sum(len(t['rows']) for t in results)} reviewed claims, "
              f"{sum(t['drafted'] for t in results)} drafted):")
        outcomes(results)
    print("Speed:")
    speed(args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
