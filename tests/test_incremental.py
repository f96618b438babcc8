"""Incremental runs: a notebook whose inputs are unchanged is reused, and the outputs are as a full run's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from claimcheck.batch.keys import execution_key
from claimcheck.cli import main
from claimcheck.publish import history
from claimcheck.publish.site import read_run

SEED = "china-belgium-ties-2023-02-26"
REPO = Path(__file__).resolve().parents[1]
PARAMS = {"article": SEED, "mode": "offline"}


@pytest.fixture
def data(data_copy, tmp_path, monkeypatch) -> Path:
    """A copy of data/ (its compressed snapshot versions linked: a change here writes a sidecar or a new
    version, never into one), a build folder and its history."""
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    monkeypatch.delenv("CLAIMCHECK_HISTORY", raising=False)
    return data_copy


def families_naming(data: Path, source: str) -> set[str]:
    claims = yaml.safe_load((data / "articles" / SEED / "claims.yaml").read_text(encoding="utf-8"))["claims"]
    return {c.get("family", "other") for c in claims if f"source: {source}" in yaml.safe_dump(c)}


def key(notebook: str, **params) -> str:
    return execution_key(SEED, notebook, {**PARAMS, **params}, False)["key"]


def touch_newest_version(data: Path, source: str, name: str) -> None:
    """Change the bytes of the snapshot's newest sidecar (a comment: the data and checksum stay valid)."""
    sidecar = sorted((data / "reference" / source / name).glob("*.meta.yaml"))[-1]
    sidecar.open("a").write("# touched\n")


def test_a_key_changes_with_what_the_notebook_reads_and_only_with_that(data, monkeypatch):
    named = families_naming(data, "worldbank")
    other = sorted({"trade", "dates", "documented", "economy", "climate"} - named)[0]
    assert named and other
    family = sorted(named)[0]
    before = {nb: key(nb) for nb in (family, other, "scorecard", "claims")}
    assert key(family) == before[family]  # stable
    assert key(family, mode="refresh") != before[family]

    touch_newest_version(data, "worldbank", "gdp_current_usd")
    assert key(family) != before[family] and key("scorecard") != before["scorecard"]
    assert key(other) == before[other] and key("claims") == before["claims"]

    touched = {nb: key(nb) for nb in before}
    key_before_as_of = key(family)
    (data / "reference" / "worldbank" / "gdp_current_usd" / "2099-01-01.csv").write_text("a version beside it\n")
    assert key(family) != touched[family]  # a new version of a named snapshot
    monkeypatch.setenv("CLAIMCHECK_AS_OF", "2024-01-01")
    assert key(family) != key_before_as_of and key(other) != touched[other]  # `--as-of` pins versions
    monkeypatch.delenv("CLAIMCHECK_AS_OF")

    (data / "articles" / SEED / "article.txt").open("a").write("\n")
    assert all(key(nb) != touched[nb] for nb in before)  # the article is read by every notebook


def test_documents_and_the_notebook_file_are_in_the_key(data, tmp_path, monkeypatch):
    before = key("documented")
    (data / "reference" / "documents" / "documents.yaml").open("a").write("\n# touched\n")
    assert key("documented") != before
    notebooks = tmp_path / "notebooks"
    shutil.copytree(REPO / "notebooks", notebooks)
    monkeypatch.setenv("CLAIMCHECK_NOTEBOOKS", str(notebooks))
    before = key("trade")
    text = (notebooks / "trade.ipynb").read_text(encoding="utf-8")
    (notebooks / "trade.ipynb").write_text(text.replace("report.summary", "report.summary "), encoding="utf-8")
    assert key("trade") != before


def test_the_rows_an_evidence_adds_from_its_own_source_are_in_the_key(data):
    path = data / "articles" / SEED / "claims.yaml"
    registry = path.read_text(encoding="utf-8")
    label = '        label: "World Bank GDP (current US$), 2021"\n'
    assert registry.count(label) == 1
    path.write_text(registry.replace(label, label + "        also: [{snapshot: gdp_growth}]\n"), encoding="utf-8")
    family = "economy"
    assert f"family: {family}" in registry.split(label)[0].rsplit("  - id:", 1)[1]
    assert "worldbank/gdp_growth" in execution_key(SEED, family, PARAMS, False)["reads"]
    before = key(family)
    touch_newest_version(data, "worldbank", "gdp_growth")
    assert key(family) != before


def test_the_keys_from_the_loaded_claims_are_the_keys_from_the_registry_as_written(data):
    from claimcheck.batch.keys import Inputs
    from claimcheck.batch.runner import notebooks_for
    from claimcheck.registry.articles import load_article

    article = load_article(SEED)
    inputs = Inputs()
    for notebook in notebooks_for(article):
        assert execution_key(SEED, notebook, PARAMS, False, inputs, article.claims) \
            == execution_key(SEED, notebook, PARAMS, False), notebook


def tables(build: Path) -> dict[str, bytes]:
    return {name: (build / SEED / name).read_bytes() for name in ("verdicts.csv", "verdicts.json")}


def executions(build: Path) -> dict[str, str]:
    return {nb: record["how"] for nb, record in read_run(build / SEED)["notebooks"].items()}


def test_an_incremental_run_reuses_what_did_not_change_and_publishes_what_a_full_run_does(data, tmp_path, capsys):
    build = tmp_path / "build"
    run = ["run", "--all", "--workers", "2"]  # with HTML: a --no-html run is not published
    assert main(run) == 0
    full = tables(build)
    assert set(executions(build).values()) == {"executed"}

    assert main(run) == 0  # nothing changed: nothing executes
    assert set(executions(build).values()) == {"reused"}
    assert "7 reused" in capsys.readouterr().out
    assert tables(build) == full
    records = history.load()
    assert len(records) == 2 and records[0]["articles"] == records[1]["articles"]
    assert not read_run(build / SEED)["changes"]

    touch_newest_version(data, "worldbank", "gdp_current_usd")
    assert main(run) == 0
    executed = {nb for nb, how in executions(build).items() if how == "executed"}
    assert executed == families_naming(data, "worldbank") | {"scorecard"}
    incremental = tables(build)
    assert main([*run, "--force"]) == 0
    assert set(executions(build).values()) == {"executed"}
    assert tables(build) == incremental == full  # byte-identical verdict tables
    records = history.load()
    assert records[-1]["articles"] == records[-2]["articles"] == records[0]["articles"]


def test_refresh_and_force_bypass_the_reuse(data, tmp_path, monkeypatch):
    from claimcheck.batch import runner

    seen = []

    def fake_run_jobs(jobs, workers=None, progress=None, meanwhile=None, **options):
        seen.append(sorted(j.notebook for j in jobs))
        for job in jobs:
            for suffix in (".ipynb", ".html", ".code.html"):
                (Path(job.out_dir) / f"{job.notebook}{suffix}").write_text("{}")
        return [runner.Outcome(job, True, 0.0) for job in jobs]

    monkeypatch.setattr(runner, "run_jobs", fake_run_jobs)
    assert main(["run", "--article", SEED]) in (0, 1)
    assert main(["run", "--article", SEED]) in (0, 1)
    assert main(["run", "--article", SEED, "--force"]) in (0, 1)
    assert main(["run", "--article", SEED, "--mode", "auto"]) in (0, 1)
    everything = seen[0]
    assert len(everything) == 7 and seen[1] == [] and seen[2] == everything and seen[3] == everything
    assert json.loads((tmp_path / "build" / SEED / "run.json").read_text())["notebooks"]["trade"]["how"] == "executed"


def test_a_warm_run_parses_each_registry_once_hashes_each_input_once_and_links_the_tables(data, tmp_path, monkeypatch):
    from claimcheck.reference import documents
    from claimcheck.registry import articles

    copy = data / "articles" / "seed-copy"
    shutil.copytree(data / "articles" / SEED, copy)
    registry = (copy / "claims.yaml").read_text(encoding="utf-8")
    (copy / "claims.yaml").write_text(registry.replace(f"article: {SEED}", "article: seed-copy"), encoding="utf-8")
    build = tmp_path / "build"
    run = ["run", "--all", "--workers", "2"]
    assert main(run) == 0
    before = {a: ((build / a / "verdicts.csv").stat().st_ino, (build / a / "verdicts.json").read_bytes())
              for a in (SEED, "seed-copy")}

    parsed, loaded, read = [], [], []
    load_claims, load_documents, read_bytes = articles.load_claims, documents.load_documents, Path.read_bytes
    monkeypatch.setattr(articles, "load_claims", lambda path, *a, **k: parsed.append(Path(path).parent.name) or load_claims(path, *a, **k))
    monkeypatch.setattr(documents, "load_documents", lambda: loaded.append(1) or load_documents())
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or read_bytes(self))
    assert main(run) == 0
    assert set(executions(build).values()) == {"reused"}
    assert sorted(parsed) == sorted([SEED, "seed-copy"])  # each registry once, not once a notebook or page
    assert len(loaded) <= 2  # the crosscheck's and the pages' wording's, not one an article
    snapshot_files = [p for p in read if (data / "reference" / "worldbank") in p.parents]
    assert snapshot_files and len(snapshot_files) == len(set(snapshot_files))  # hashed once for both articles
    for article in (SEED, "seed-copy"):  # the same rows from the same code: the published tables, linked
        assert ((build / article / "verdicts.csv").stat().st_ino, (build / article / "verdicts.json").read_bytes()) \
            == before[article]
