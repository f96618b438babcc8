"""Benchmark what charts cost: one check notebook with N different claims, and with 10 N.

The claims are generated into a temporary article from the World Bank snapshots under
``data/reference``: each says how much one economy's merchandise exports (or imports) grew between
two years, with the value the snapshot gives, rounded (every fourth one is off by a third, so the
verdicts differ too). No two claims share an economy and period, so no two draw the same chart:
each claim has the growth of the claimed series and of the other series (exports beside imports)
as evidence, and so two annual-series charts and one bar chart, all different. The notebook runs
as the batch runs it (``claimcheck.batch.runner.execute``, papermill, no HTML), in a fresh kernel
each time and in the batch's reused kernel (brought back to its baseline before each notebook).

Rounds are interleaved (N, then 10 N, in each round) and each round's ratio is taken within the
round before the median, as the machine's speed drifts. Prints each round, the median times, and
the median ratio with its range. Usage:
``python scripts/bench_charts.py [--claims 4] [--repeat 5] [--notebook trade] [--kernels fresh|reused|both]``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

from claimcheck import paths
from claimcheck.batch import kernels
from claimcheck.batch.runner import Job, execute
from claimcheck.reference.snapshots import load_snapshot

SERIES = {  # snapshot -> the words a claim uses for it
    "merchandise_exports": "merchandise exports",
    "merchandise_imports": "merchandise imports",
}


def _candidates(seed: int = 14) -> list[tuple[str, str, str, int, int, float]]:
    """(snapshot, entity, name, base year, year, growth in percent) for distinct economies, each
    with both series stored in both years, in a fixed pseudo-random order, from the stored data."""
    series = {}
    for name in SERIES:
        frame = load_snapshot("worldbank", name).frame
        frame = frame[~frame["aggregate"].astype(str).str.lower().eq("true") & (frame["value"] > 0)]
        for (entity, entity_name), rows in frame.groupby(["entity", "entity_name"]):
            series.setdefault((entity, entity_name), {})[name] = dict(zip(rows["period"].astype(int), rows["value"]))
    rng = random.Random(seed)
    economies = sorted(series)
    rng.shuffle(economies)
    picked = []
    for entity, entity_name in economies:
        both = series[(entity, entity_name)]
        if len(both) < len(SERIES):
            continue
        years = sorted(set.intersection(*(set(values) for values in both.values())))
        pairs = [(a, b) for a in years for b in years if 6 <= b - a <= 20]
        if not pairs:
            continue
        name = rng.choice(sorted(SERIES))
        start, end = rng.choice(pairs)
        values = both[name]
        picked.append((name, entity, entity_name, start, end, 100 * (values[end] / values[start] - 1)))
    return picked


def write_article(root: Path, article_id: str, count: int, notebook: str) -> None:
    """``count`` different growth claims of family ``notebook`` under ``root/articles/<article_id>``."""
    folder = root / "articles" / article_id
    folder.mkdir(parents=True)
    sentences, claims = [], []
    for number, (name, entity, entity_name, start, end, growth) in enumerate(_candidates()[:count]):
        claimed = round(growth * (1.33 if number % 4 == 3 else 1.0))
        other = next(s for s in SERIES if s != name)
        verb = "grew" if claimed >= 0 else "fell"
        quote = f"{entity_name}'s {SERIES[name]} {verb} {abs(claimed)} per cent between {start} and {end}"
        sentences.append(quote + ".")

        def growth_of(snapshot: str, role: str = "decisive") -> dict:
            return {"kind": "dataset", "source": "worldbank", "snapshot": snapshot, "role": role,
                    "select": {"entity": entity},
                    "compute": {"op": "growth", "period": str(end), "base_period": str(start)},
                    "label": f"World Bank, {SERIES[snapshot]} of {entity_name}"}

        claims.append({
            "id": f"growth-{entity.lower()}-{start}-{end}", "quote": quote, "kind": "change",
            "family": notebook,
            "statement": f"{entity_name}'s {SERIES[name]} {verb} {abs(claimed)}% from {start} to {end}.",
            "claimed": {"value": claimed, "unit": "percent", "comparator": "rounded", "period": str(end)},
            "evidence": [growth_of(name), growth_of(other, "context")],
        })
    if len(claims) < count:
        raise SystemExit(f"only {len(claims)} different claims can be made from the stored series")
    (folder / "article.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    (folder / "metadata.yaml").write_text(yaml.safe_dump({
        "title": f"Trade growth around the world ({count} claims)", "author": "bench_charts.py",
        "affiliation": None, "dateline": "1 July 2026", "date": "2026-07-01", "publication": None,
        "url": None, "language": "en"}, sort_keys=False), encoding="utf-8")
    (folder / "claims.yaml").write_text(yaml.safe_dump({"article": article_id, "claims": claims, "not_claims": []},
                                                       allow_unicode=True, sort_keys=False), encoding="utf-8")


def run_notebook(data: Path, article: str, notebook: str, out: Path, reuse: bool) -> float:
    os.environ["CLAIMCHECK_DATA"] = str(data)
    try:
        out.mkdir(parents=True, exist_ok=True)
        outcome = execute(Job(article, notebook, "offline", str(out), 60, 600, False), reuse=reuse)
        if not outcome.ok:
            raise SystemExit(f"{article}/{notebook}: {outcome.error}")
        return outcome.seconds
    finally:
        del os.environ["CLAIMCHECK_DATA"]


def charts_drawn(out: Path, notebook: str) -> int:
    return len(list((out / "charts" / notebook).glob("*")))


def spread(values: list[float], digits: int = 2, unit: str = "") -> str:
    ordered = sorted(values)
    return (f"{statistics.median(ordered):.{digits}f}{unit} "
            f"(rounds {ordered[0]:.{digits}f}-{ordered[-1]:.{digits}f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=4, help="claims of the 1x article (the seed's trade notebook has 4)")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds; medians are kept")
    parser.add_argument("--notebook", default="trade", help="the check notebook (family) the claims belong to")
    parser.add_argument("--kernels", choices=["fresh", "reused", "both"], default="both",
                        help="a fresh kernel for each notebook, the batch's reused one (its default), or both")
    args = parser.parse_args()
    sizes = {"1x": args.claims, "10x": 10 * args.claims}
    modes = ["fresh", "reused"] if args.kernels == "both" else [args.kernels]
    times = {(mode, label): [] for mode in modes for label in sizes}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            data = root / "data"
            shutil.copytree(paths.data_dir() / "reference", data / "reference")
            for label, count in sizes.items():
                write_article(data, f"bench-charts-{label}", count, args.notebook)
            for mode in modes:  # warm the disk cache and compiled bytecode, and start the held kernel
                for label in sizes:
                    run_notebook(data, f"bench-charts-{label}", args.notebook, root / f"warm-{mode}-{label}",
                                 mode == "reused")
            drawn = {label: charts_drawn(root / f"warm-{modes[0]}-{label}", args.notebook) for label in sizes}
            for i in range(args.repeat):
                for mode in modes:
                    for label in sizes:
                        times[mode, label].append(run_notebook(data, f"bench-charts-{label}", args.notebook,
                                                               root / f"r{i}-{mode}-{label}", mode == "reused"))
                    print(f"  round {i + 1}, {mode} kernel: 1x {times[mode, '1x'][-1]:.2f} s, "
                          f"10x {times[mode, '10x'][-1]:.2f} s, ratio {times[mode, '10x'][-1] / times[mode, '1x'][-1]:.2f}",
                          file=sys.stderr)
    finally:
        kernels.release()
    print(f"{args.notebook} notebook, {args.repeat} interleaved rounds, no HTML; "
          f"{sizes['1x']} and {sizes['10x']} different claims drawing {drawn['1x']} and {drawn['10x']} charts:")
    for mode in modes:
        ratios = [ten / one for one, ten in zip(times[mode, "1x"], times[mode, "10x"])]  # paired within each round
        print(f"  {mode} kernel: 1x {spread(times[mode, '1x'], unit=' s')}, 10x {spread(times[mode, '10x'], unit=' s')}; "
              f"10x / 1x {spread(ratios, unit='x')} (target <= 1.3x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
