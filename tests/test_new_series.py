"""A new article that needs a series the repository never had: one catalogue entry, a refresh, verdicts.

The series is Our World in Data's oil production by country, served by the loopback replay server
from the real download in ``shared/api-samples/owid``. Nothing under ``src/`` changes.
"""

from __future__ import annotations

import hashlib
import json
import textwrap

import pytest

from claimcheck import cli
from claimcheck.reference import catalogue
from claimcheck.reference.snapshots import load_snapshot
from conftest import REPO, Reply

ARTICLE = "oil-2020"
TEXT = ("Oil production in the United States fell by about 5% in 2020. "
        "Saudi Arabia's fell by about 12% that year.\n")
CLAIMS = """
article: oil-2020
claims:
  - id: us-oil-fell-5-percent
    quote: "Oil production in the United States fell by about 5% in 2020"
    kind: change
    family: economy
    statement: "US oil production fell by about 5% from 2019 to 2020."
    claimed: {value: -5, unit: percent, comparator: about, period: "2020", tolerance: 0.05}
    evidence:
      - kind: dataset
        source: owid
        snapshot: oil_production
        select: {entity: USA}
        compute: {op: growth, period: "2020", base_period: "2019"}
  - id: saudi-oil-fell-12-percent
    quote: "Saudi Arabia's fell by about 12% that year"
    kind: change
    family: economy
    statement: "Saudi Arabia's oil production fell by about 12% from 2019 to 2020."
    claimed: {value: -12, unit: percent, comparator: about, period: "2020", tolerance: 0.05}
    evidence:
      - kind: dataset
        source: owid
        snapshot: oil_production
        select: {entity: SAU}
        compute: {op: growth, period: "2020", base_period: "2019"}
"""


def src_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((REPO / "src").rglob("*.py")):
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_a_new_series_is_a_catalogue_entry_a_refresh_and_a_run(data_copy, api_samples, replay_server, tmp_path,
                                                                monkeypatch, capsys):  # fmt: skip
    before = src_digest()
    monkeypatch.setenv("CLAIMCHECK_OWID_URL", replay_server.url)
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    samples = api_samples / "owid"
    replay_server.script("/grapher/oil-production-by-country.csv",
                         Reply.file(samples / "oil-production-by-country.csv", content_type="text/csv"))
    replay_server.script("/grapher/oil-production-by-country.metadata.json",
                         Reply.file(samples / "oil-production-by-country.metadata.json"))
    with pytest.raises(catalogue.CatalogueError):
        catalogue.entry("owid", "oil_production")  # the repository never had it

    assert cli.main(["catalog", "add", "owid", "oil_production", "--title", "Oil production by country",
                     "--unit", "TWh", "--for", "oil production and its changes",
                     "slug=oil-production-by-country", "column=Oil production (TWh)"]) == 0
    assert cli.main(["refresh", "--source", "owid", "--snapshot", "oil_production"]) == 0
    assert "owid/oil_production: refreshed, 750 rows" in capsys.readouterr().out
    snap = load_snapshot("owid", "oil_production")
    assert snap.meta["method"] == "api" and snap.meta["query"]["slug"] == "oil-production-by-country"

    folder = data_copy / "articles" / ARTICLE
    folder.mkdir()
    (folder / "article.txt").write_text(TEXT, encoding="utf-8")
    (folder / "metadata.yaml").write_text(textwrap.dedent("""\
        title: Oil in 2020
        author: A. Writer
        date: 2021-06-01
        """), encoding="utf-8")
    (folder / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    assert cli.main(["coverage", "--article", ARTICLE]) == 0
    assert cli.main(["run", "--article", ARTICLE, "--workers", "1"]) == 0  # published: --no-html runs are not

    rows = json.loads((tmp_path / "build" / ARTICLE / "verdicts.json").read_text(encoding="utf-8"))
    verdicts = {row["claim_id"]: row["verdict"] for row in rows}
    # USA 8298.5 / 8735.463 - 1 = -5.0%; Saudi Arabia 6042.749 / 6472.84 - 1 = -6.6%, not about -12%.
    assert verdicts == {"us-oil-fell-5-percent": "supported", "saudi-oil-fell-12-percent": "contradicted"}
    assert src_digest() == before
