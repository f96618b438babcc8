"""The run history: one JSON line per published run, and `claimcheck diff` over the last two."""

from __future__ import annotations

import json

import pytest

from claimcheck.publish import history
from claimcheck.cli import main


def row(claim_id: str, verdict: str = "supported", reference: str = "$28.9 bn", value: str = "28.9e9") -> dict:
    return {"claim_id": claim_id, "verdict": verdict, "reference": reference, "reference_value": value,
            "sentence": "s", "claimed": "c"}


@pytest.fixture
def history_file(tmp_path, monkeypatch):
    path = tmp_path / "history.jsonl"
    monkeypatch.setenv("CLAIMCHECK_HISTORY", str(path))
    return path


def test_the_history_lives_in_the_build_folder_unless_moved(tmp_path, monkeypatch):
    monkeypatch.delenv("CLAIMCHECK_HISTORY", raising=False)
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "b"))
    assert history.history_path() == tmp_path / "b" / "history.jsonl"


def test_a_record_keeps_mode_snapshot_versions_and_each_claims_verdict_and_reference(history_file):
    record = history.make_record("r1", "2026-03-01T06:17:00Z", "2026-03-01T06:17:30Z", "refresh",
                                 {"art": [row("a"), row("b", "contradicted")]})
    history.append(record)
    (loaded,) = history.load()
    assert loaded["mode"] == "refresh" and loaded["run"] == "r1"
    assert loaded["articles"]["art"]["claims"]["b"] == {"verdict": "contradicted", "reference": "$28.9 bn",
                                                        "reference_value": "28.9e9"}
    assert loaded["snapshots"]["imf/dots_china_belgium_annual"]["sha256"] == (
        "4ae1e56e1cd031ea61612ea32a6124d4f11211089a715dd90e06103e0e03661d")
    assert all(len(v["sha256"]) == 64 for v in loaded["snapshots"].values())


def test_each_run_appends_exactly_one_line(history_file):
    for n in range(3):
        history.append(history.make_record(f"r{n}", "t", "t", "offline", {"art": [row("a")]}, snapshots={}))
    lines = history_file.read_text().splitlines()
    assert len(lines) == 3 and [json.loads(x)["run"] for x in lines] == ["r0", "r1", "r2"]


def test_a_torn_line_is_skipped_with_a_warning(history_file, capsys):
    history.append(history.make_record("r1", "t", "t", "offline", {"art": [row("a")]}, snapshots={}))
    with history_file.open("a") as handle:
        handle.write('{"run": "r2", "arti')
    assert [r["run"] for r in history.load()] == ["r1"]
    assert "not a JSON line" in capsys.readouterr().err


def test_compare_finds_verdict_and_reference_changes_and_added_or_removed_claims():
    old = history.claims_of([row("same"), row("revised"), row("flipped"), row("gone")])
    new = history.claims_of([row("same"), row("revised", reference="$27.1 bn", value="27.1e9"),
                             row("flipped", "contradicted"), row("new", "misleading")])
    changes = {c.claim_id: c for c in history.compare(old, new)}
    assert sorted(changes) == ["flipped", "gone", "new", "revised"]
    assert changes["revised"].reference_changed and not changes["revised"].verdict_changed
    assert changes["revised"].describe() == "revised: reference $28.9 bn → $27.1 bn"
    assert changes["flipped"].describe() == "flipped: verdict supported → contradicted"
    assert changes["new"].what == "added" and changes["gone"].what == "removed"


def test_a_raw_value_revision_under_the_same_display_text_is_still_a_change():
    old = history.claims_of([row("a", value="28.91e9")])
    new = history.claims_of([row("a", value="28.94e9")])
    (change,) = history.compare(old, new)
    assert change.describe() == "a: reference 28.91e9 → 28.94e9"


def test_diff_reports_the_claims_changed_between_the_last_two_runs(history_file, capsys):
    history.append(history.make_record("r1", "t", "t", "offline", {"art": [row("a"), row("b")]},
                                       snapshots={"imf/x": {"sha256": "1" * 64}}))
    history.append(history.make_record("r2", "t", "t", "refresh", {"art": [row("a"), row("b", reference="$27.1 bn", value="27.1e9")]},
                                       snapshots={"imf/x": {"sha256": "2" * 64}}))
    assert main(["diff"]) == 0
    out = capsys.readouterr().out
    assert "art: run r1 (offline) → r2 (refresh): 1 claim(s) changed" in out
    assert "b: reference $28.9 bn → $27.1 bn" in out and "a:" not in out.replace("art:", "")
    assert "snapshot imf/x: 111111111111 → 222222222222" in out


def test_diff_compares_the_runs_of_the_chosen_article_only(history_file, capsys):
    history.append(history.make_record("r1", "t", "t", "offline", {"one": [row("a")], "two": [row("a")]}, {}))
    history.append(history.make_record("r2", "t", "t", "offline", {"two": [row("a", "error")]}, {}))
    history.append(history.make_record("r3", "t", "t", "offline", {"one": [row("a", "misleading")]}, {}))
    assert main(["diff", "--article", "one"]) == 0
    out = capsys.readouterr().out
    assert "one: run r1 (offline) → r3 (offline)" in out and "verdict supported → misleading" in out
    assert "two" not in out


def test_diff_says_so_when_there_is_nothing_to_compare(history_file, capsys):
    assert main(["diff"]) == 0
    assert "no runs recorded yet" in capsys.readouterr().out
    history.append(history.make_record("r1", "t", "t", "offline", {"art": [row("a")]}, {}))
    assert main(["diff"]) == 0
    assert "only one run recorded" in capsys.readouterr().out


def test_diff_of_an_article_never_run_is_an_error(history_file, capsys):
    history.append(history.make_record("r1", "t", "t", "offline", {"art": [row("a")]}, {}))
    assert main(["diff", "--article", "nope"]) == 2
    assert "no run of article 'nope'" in capsys.readouterr().err
