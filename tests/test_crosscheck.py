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


def test_claimcheck_run_refuses_before_running_anything(data_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    replace_once(claims_file(data_copy), "source: worldbank", "source: worldbnk")
    assert cli.main(["run", "--article", SEED, "--no-html"]) == 2
    assert "no source 'worldbnk' in the catalogue" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()


def test_a_notebook_start_refuses_it_too(data_copy):
    from claimcheck.show.notebook import start

    replace_once(claims_file(data_copy), "snapshot: gdp_current_usd", "snapshot: gdp_curent_usd")
    with pytest.raises(ClaimsError, match="no snapshot 'gdp_curent_usd'"):
        start({"article": SEED, "mode": "offline"}, "economy", family="economy")
