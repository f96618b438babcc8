"""How often the verdict policy gives a reviewed registry the verdict a careful checker gives
(`make bench-verdicts`): each corpus half's reviewed claims (tests/corpus/<half>/*/expected.yaml),
judged as they stand with the committed snapshots, against the text's key.yaml. A judged verdict is
right (the key's or one of its ``also_right``; a non-decisive verdict where the key is non-decisive),
CONFIDENTLY WRONG (a decisive verdict the key does not give) or abstained (non-decisive where the key
is decisive). With --details, each wrong claim with its verdict, its key and the key's reason.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_draft import CORPUS, _key, outcome  # noqa: E402 (the key and the outcome rules are the draft bench's)


def judged(folder: Path) -> list[tuple[str, str, dict]]:
    """(claim id, judged verdict, key entry) for each keyed claim of one corpus text."""
    from claimcheck.judge.evidence import Loader
    from claimcheck.judge.verdicts import judge
    from claimcheck.registry.articles import Article
    from claimcheck.registry.claims import load_claims

    article = Article(folder.name, folder)
    claims, _ = load_claims(folder / "expected.yaml", article.text, folder.name)
    key, loader = _key(folder), Loader("offline")
    return [(c.id, judge(c, article, loader=loader).verdict, key[c.id]) for c in claims if c.id in key]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--halves", nargs="*", default=["dev", "sealed"], choices=["dev", "sealed"])
    parser.add_argument("--details", action="store_true", help="print each confidently wrong claim")
    args = parser.parse_args()
    for half in args.halves:
        counts, texts = Counter(), sorted(p for p in (CORPUS / half).iterdir() if (p / "key.yaml").is_file())
        for folder in texts:
            for claim_id, verdict, key in judged(folder):
                result = outcome(verdict, key["verdict"], tuple(key.get("also_right") or ()))
                counts[result] += 1
                if result == "wrong" and args.details:
                    print(f"  {folder.name}/{claim_id}: {verdict}, key {key['verdict']} ({key.get('why', '')})")
        total = sum(counts.values())
        print(f"Corpus, {half} half ({len(texts)} texts, {total} keyed claims), reviewed registries as they stand:")
        for name, label in (("right", "right"), ("wrong", "CONFIDENTLY WRONG"), ("abstained", "abstained")):
            print(f"  {label + ':':<20}{counts[name]}/{total} ({counts[name] / max(total, 1):.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
