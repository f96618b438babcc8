"""Evidence naming a source, snapshot, column or document that does not exist is a claims-file error."""

from __future__ import annotations

import pytest

from claimcheck import cli
from claimcheck.reference.crosscheck import evidence_problems, load_checked_article
from claimcheck.registry.articles import load_article
from claimcheck.registry.claims import ClaimsError

SEED = "china-belgium-ties-2023-02-26"


def claims_file(data):
    return data / "articles" / SEED / "claims.yaml"


def replace_once(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_seed_article_names_only_what_exists():
    assert evidence_problems(load_article(SEED)) == []


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("snapshot: gdp_current_usd", "snapshot: gdp_curent_usd",
         "field 'evidence.0.snapshot': no snapshot 'gdp_curent_usd' in the worldbank catalogue (did you mean 'gdp_current_usd'?)"),
        ("source: worldbank", "source: worldbnk",
         "field 'evidence.0.source': no source 'worldbnk' in the catalogue (did you mean 'worldbank'?)"),
        ("document: mfa-readout-qin-lahbib-call-2023-02-10", "document: mfa-readout-qin-lahbib-call-2023-02-11",
         "claim 'qin-lahbib-phone-call': field 'evidence.0.document': no document 'mfa-readout-qin-lahbib-call-2023-02-11' "
         "in the documents registry (did you mean 'mfa-readout-qin-lahbib-call-2023-02-10'?)"),
        ("select: {entity: CHN, measure: target_year}", "select: {entty: CHN, measure: target_year}",
         "claim 'china-carbon-neutrality-2060': field 'evidence.0.select.entty': the snapshot owid/net_zero_targets "
         "has no column 'entty' (did you mean 'entity'?)"),
    ],
)
def test_a_name_that_does_not_exist_is_one_line_naming_file_claim_and_field(data_copy, old, new, expected):
    replace_once(claims_file(data_copy), old, new)
    with pytest.raises(ClaimsError) as caught:
        load_checked_article(SEED)
    (line,) = caught.value.problems
    assert line.startswith(f"{claims_file(data_copy)}: claim '") and expected in line


def test_claimcheck_claims_reports_it_and_exits_2(data_copy, capsys):
    replace_once(claims_file(data_copy), "snapshot: gdp_current_usd", "snapshot: gdp_curent_usd")
    assert cli.main(["claims", "--article", SEED]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'gdp_current_usd'?" in err and "Traceback" not in err


BROKEN = "trade-grew-1980s"
BROKEN_SELECT = ("select: {entity: BLX, partner: CHN, measure: [exports_fob, imports_cif]}",
                 "select: {entity: BLX, partnr: CHN, measure: [exports_fob, imports_cif]}")
BROKEN_REASON = (f"claim '{BROKEN}': field 'evidence.0.select.partnr': the snapshot imf/dots_china_belgium_annual "
                 "has no column 'partnr' (did you mean 'partner'?)")


def test_claimcheck_claims_reports_a_missing_column_in_one_line_and_exits_2(data_copy, capsys):
    replace_once(claims_file(data_copy), *BROKEN_SELECT)
    assert cli.main(["claims", "--article", SEED]) == 2
    err = capsys.readouterr().err
    (line,) = err.strip().splitlines()
    assert line.startswith(f"claimcheck: {claims_file(data_copy)}: ") and BROKEN_REASON in line, line


def expected_verdicts():
    """Every claim's verdict as the engine gives it on the unbroken registry."""
    from claimcheck.judge.verdicts import judge_all

    return {v.claim_id: v.verdict for v in judge_all(load_article(SEED))}


def test_a_notebook_judges_a_broken_claim_as_an_error_and_the_others_as_before(data_copy):
    from claimcheck.show.notebook import check, start

    expected = expected_verdicts()
    replace_once(claims_file(data_copy), *BROKEN_SELECT)
    ctx = start({"article": SEED, "mode": "offline"}, "trade", family="trade")
    verdicts = {v.claim_id: v for v in check(ctx)}
    assert verdicts[BROKEN].verdict == "error"
    assert verdicts[BROKEN].reason == f"data/articles/{SEED}/claims.yaml: {BROKEN_REASON}"
    assert BROKEN_REASON in verdicts[BROKEN].sentence
    others = {cid: v.verdict for cid, v in verdicts.items() if cid != BROKEN}
    assert len(others) >= 2 and others == {cid: expected[cid] for cid in others}


def test_each_broken_claim_gets_its_own_reason(data_copy):
    from claimcheck.show.notebook import check, start

    replace_once(claims_file(data_copy), *BROKEN_SELECT)
    replace_once(claims_file(data_copy), "snapshot: gdp_current_usd", "snapshot: gdp_curent_usd")
    replace_once(claims_file(data_copy), "document: mfa-readout-qin-lahbib-call-2023-02-10",
                 "document: mfa-readout-qin-lahbib-call-2023-02-11")
    verdicts = check(start({"article": SEED, "mode": "offline"}, "scorecard"))
    errors = {v.claim_id: v.reason for v in verdicts if v.verdict == "error"}
    assert set(errors) == {BROKEN, "qin-lahbib-phone-call", "china-second-largest-economy"}, errors
    assert "no snapshot 'gdp_curent_usd'" in errors["china-second-largest-economy"]
    assert "no document 'mfa-readout-qin-lahbib-call-2023-02-11'" in errors["qin-lahbib-phone-call"]
    assert len(verdicts) == len(load_article(SEED).claims)


def test_claimcheck_run_judges_the_broken_claim_as_an_error_and_publishes_the_rest(tmp_path):
    import html
    import json
    import os
    import re
    import shutil
    import subprocess
    import sys

    from conftest import REPO

    data, build = tmp_path / "data", tmp_path / "build"
    shutil.copytree(REPO / "data", data)
    env = {**os.environ, "CLAIMCHECK_DATA": str(data), "CLAIMCHECK_BUILD": str(build)}
    env.pop("CLAIMCHECK_HISTORY", None)
    os.environ["CLAIMCHECK_DATA"] = str(data)
    try:
        expected = expected_verdicts()
    finally:
        os.environ.pop("CLAIMCHECK_DATA")
    replace_once(claims_file(data), *BROKEN_SELECT)
    done = subprocess.run([sys.executable, "-m", "claimcheck", "run", "--article", SEED], env=env,
                          capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output
    assert f"ERROR verdict {SEED}/{BROKEN}: " in done.stderr and BROKEN_REASON in done.stderr
    rows = {row["claim_id"]: row for row in json.loads((build / SEED / "verdicts.json").read_text())}
    assert rows[BROKEN]["verdict"] == "error" and BROKEN_REASON in rows[BROKEN]["reason"]
    assert {cid: row["verdict"] for cid, row in rows.items() if cid != BROKEN} == \
        {cid: verdict for cid, verdict in expected.items() if cid != BROKEN}
    assert str(tmp_path) not in (build / SEED / "verdicts.json").read_text()  # no local path published
    # published: the front page, the article page with every claim's panel, the other trade claim's chart
    assert (build / "index.html").is_file() and (build / "history.jsonl").is_file()
    assert (build / SEED / "charts" / "trade" / "trade-growth-exponential-1.svg").is_file()
    page = (build / SEED / "index.html").read_text(encoding="utf-8")
    panels = dict(re.findall(r'<section class="claim-detail" id="claim-([a-z0-9-]+)">(.*?)</section>', page, re.S))
    assert set(panels) == set(expected)
    panel = html.unescape(panels[BROKEN])
    from claimcheck.publish.labels import label

    assert label("error") in panel and BROKEN_REASON in panel  # the reader's label; the reason behind "How we checked"
    assert "its entry in the claims file" in panel.lower()  # the reader is told why, not that a source failed
    assert "source failed" not in panel.lower() and "source could not be read" not in panel.lower()
    registry_page = html.unescape((build / SEED / "claims.html").read_text(encoding="utf-8"))
    assert "1 claim cannot be checked until its entry is corrected" in registry_page
    assert BROKEN_REASON in registry_page


def test_a_claims_file_that_does_not_parse_still_stops_the_article(data_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    replace_once(claims_file(data_copy), "snapshot: gdp_current_usd", "snapshot: [gdp_current_usd")
    assert cli.main(["run", "--article", SEED, "--no-html"]) == 2
    assert "claims.yaml" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()


def test_a_catalogue_that_does_not_load_still_stops_the_article(data_copy, tmp_path, monkeypatch, capsys):
    from claimcheck.show.notebook import start

    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    (data_copy / "reference" / "catalogue" / "worldbank.yaml").write_text("entries: [unclosed\n", encoding="utf-8")
    assert cli.main(["run", "--article", SEED, "--no-html"]) == 2
    assert "the reference catalogue does not load" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()
    with pytest.raises(ClaimsError, match="the reference catalogue does not load"):
        start({"article": SEED, "mode": "offline"}, "economy", family="economy")


def test_a_notebook_loads_the_documents_registry_once(monkeypatch):
    from claimcheck.reference import documents
    from claimcheck.show.notebook import check, start

    calls = []
    original = documents.load_documents
    monkeypatch.setattr(documents, "load_documents", lambda: calls.append(1) or original())
    check(start({"article": SEED, "mode": "offline"}, "documented", family="documented"))
    assert len(calls) == 1


def test_a_broken_claims_reason_names_every_file_from_the_data_folder_on(data_copy):
    """The reason is published (verdicts, pages): it names no local path, the groups file included."""
    from claimcheck.show.notebook import check, start

    replace_once(claims_file(data_copy), "select: {measure: NY.GDP.MKTP.CD}",
                 "select: {measure: NY.GDP.MKTP.CD, group: africaa}")
    verdicts = {v.claim_id: v for v in check(start({"article": SEED, "mode": "offline"}, "economy", family="economy"))}
    reason = verdicts["china-second-largest-economy"].reason
    assert verdicts["china-second-largest-economy"].verdict == "error"
    assert "no country group 'africaa' in data/reference/groups.yaml (did you mean 'africa'?)" in reason, reason
    assert str(data_copy) not in reason


def test_a_documents_registry_that_does_not_load_fails_only_the_evidence_citing_it(data_copy):
    """A failing source, not a broken entry: the claims that rest on a document are `error`, those that
    cite one as context only are judged as before (the run prints the failed context evidence)."""
    from claimcheck.show.notebook import check, start

    expected = expected_verdicts()
    claims = load_article(SEED).claims
    rest_on_documents = {c.id for c in claims if any(e.kind == "document" and e.role != "context" for e in c.evidence)}
    context_only = {c.id for c in claims if c.id not in rest_on_documents and any(
        e.kind == "document" for e in c.evidence)}
    registry = data_copy / "reference" / "documents" / "documents.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")  # checksum no longer matches
    verdicts = {v.claim_id: v for v in check(start({"article": SEED, "mode": "offline"}, "scorecard"))}
    broken = {cid for cid, v in verdicts.items() if v.verdict == "error"}
    assert rest_on_documents and context_only and broken <= rest_on_documents, broken
    assert all("checksum mismatch" in verdicts[cid].reason for cid in broken)
    assert {cid: verdicts[cid].verdict for cid in context_only} == {cid: expected[cid] for cid in context_only}
    assert any(e.status == "error" and "checksum mismatch" in e.reason
               for cid in context_only for e in verdicts[cid].evidence)
    others = set(verdicts) - rest_on_documents
    assert {cid: verdicts[cid].verdict for cid in others} == {cid: expected[cid] for cid in others}


def test_claimcheck_claims_still_reports_a_documents_registry_that_does_not_load(data_copy, capsys):
    registry = data_copy / "reference" / "documents" / "documents.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert cli.main(["claims", "--article", SEED]) == 2
    err = capsys.readouterr().err
    assert "cannot check" in err and "checksum mismatch" in err and "Traceback" not in err
