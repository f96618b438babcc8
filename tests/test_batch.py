"""The batch: every claim gets a verdict, failures are contained and named, tables are deterministic."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import nbformat

from claimcheck import paths
from claimcheck.registry.articles import load_article
from claimcheck.cli import main
from claimcheck.batch.runner import RUNS_DIR, notebooks_for
from claimcheck.reference.sources import SOURCE_MODULES
from claimcheck.judge.verdicts import VERDICTS

SEED = "china-belgium-ties-2023-02-26"


def read_verdicts(build: Path) -> dict[str, dict[str, str]]:
    with open(build / SEED / "verdicts.csv", encoding="utf-8") as handle:
        return {row["claim_id"]: row for row in csv.DictReader(handle)}


def test_the_batch_runs_one_notebook_per_family_not_per_claim():
    families = {c.family for c in load_article(SEED).claims}
    names = notebooks_for(SEED)
    assert names[0] == "claims" and names[-1] == "scorecard"
    assert len(names) <= len(families) + 2 < len(load_article(SEED).claims)


def test_every_claim_gets_exactly_one_known_verdict(offline_build):
    verdicts = read_verdicts(offline_build)
    assert sorted(verdicts) == sorted(c.id for c in load_article(SEED).claims)
    assert {row["verdict"] for row in verdicts.values()} <= set(VERDICTS)


def test_claims_whose_data_are_not_offline_say_so_and_are_not_guessed(offline_build):
    verdicts = read_verdicts(offline_build)
    for claim_id in ("trade-2022-jan-aug-total", "trade-2022-jan-aug-yoy"):
        assert verdicts[claim_id]["verdict"] == "not-held"
        assert "claimcheck refresh" in verdicts[claim_id]["sentence"]


def test_decided_verdicts_carry_reference_rule_and_source(offline_build):
    for row in read_verdicts(offline_build).values():
        if row["verdict"] in {"supported", "contradicted", "misleading"}:
            assert row["reference"] and row["rule"] and row["source"] and row["sentence"]


def test_the_json_table_carries_the_evidence_with_provenance(offline_build):
    records = json.loads((offline_build / SEED / "verdicts.json").read_text())
    gdp = next(r for r in records if r["claim_id"] == "china-second-largest-economy")
    assert gdp["verdict"] == "supported"
    provenance = gdp["evidence"][0]["provenance"][0]
    assert provenance["method"] == "transcribed" and provenance["sha256"]


def test_each_notebook_is_executed_and_rendered(offline_build):
    out = offline_build / SEED
    for name in notebooks_for(SEED):
        assert nbformat.read(out / f"{name}.ipynb", 4).cells
        assert (out / f"{name}.html").stat().st_size > 0


def test_executed_notebooks_and_their_pages_carry_no_local_path_in_their_parameters(offline_build):
    out = offline_build / SEED
    local = str(offline_build.resolve())
    for name in notebooks_for(SEED):
        notebook = nbformat.read(out / f"{name}.ipynb", 4)
        injected = [c.source for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert injected and local not in injected[0] and str(offline_build) not in injected[0]
        assert local not in json.dumps(notebook.metadata.papermill.parameters)
        page = (out / f"{name}.code.html").read_text(encoding="utf-8")
        assert local not in page and str(offline_build) not in page
        if name != "claims":
            assert f'output_dir = "{RUNS_DIR}/' in injected[0]


def test_the_verdict_tables_are_byte_identical_across_runs(offline_build, tmp_path, monkeypatch):
    """Another run, in another build folder and of the scorecard alone, writes the full run's bytes."""
    tables = []
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "second"))
    assert main(["run", "--article", SEED, "--notebook", "scorecard"]) == 0
    for build in (offline_build, tmp_path / "second"):
        tables.append([(build / SEED / name).read_bytes() for name in ("verdicts.csv", "verdicts.json")])
    assert tables[0] == tables[1]


def test_a_failing_notebook_is_named_and_the_others_still_run(tmp_path, monkeypatch, capsys):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.notebooks_dir(), notebooks)
    broken = nbformat.read(notebooks / "economy.ipynb", 4)
    broken.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('deliberately broken')"))
    nbformat.write(broken, notebooks / "economy.ipynb")
    monkeypatch.setenv("CLAIMCHECK_NOTEBOOKS", str(notebooks))
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))

    code = main(["run", "--article", SEED, "--notebook", "economy", "--notebook", "dates", "--no-html"])

    assert code == 1
    assert "economy" in capsys.readouterr().err
    # the run is incomplete, so it is not switched into place; its finished notebooks are kept for inspection
    assert any((tmp_path / "build").rglob("dates.ipynb"))


def test_a_failing_source_gives_error_verdicts_while_the_other_claims_complete(
    tmp_path, monkeypatch, capsys, replay_server, data_copy
):
    for source in SOURCE_MODULES:  # every API answers 404: the replay server has no scripted reply
        monkeypatch.setenv(f"CLAIMCHECK_{source.upper()}_URL", replay_server.url)
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    stored = {p: p.read_bytes() for p in (data_copy / "reference").rglob("*") if p.is_file()}

    code = main(["run", "--article", SEED, "--mode", "refresh", "--notebook", "scorecard"])

    assert code == 1
    verdicts = read_verdicts(tmp_path / "build")
    assert verdicts["china-second-largest-economy"]["verdict"] == "error"
    assert "404" in verdicts["china-second-largest-economy"]["sentence"]
    assert verdicts["bri-investment-share-2022"]["verdict"] == "supported"
    assert len(verdicts) == len(load_article(SEED).claims)
    assert "china-second-largest-economy" in capsys.readouterr().err
    assert replay_server.requests, "refresh mode should have asked the (replayed) APIs"
    assert {p: p.read_bytes() for p in (data_copy / "reference").rglob("*") if p.is_file()} == stored
