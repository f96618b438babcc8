"""The rendered site: article page, verdict table, index; offline pages, escaped data, working links."""

from __future__ import annotations

import json
from html import unescape
import re
from pathlib import Path

import nbformat
import pytest

from claimcheck.publish import labels, site
from claimcheck.registry.articles import load_article
from claimcheck.publish.notebook_html import render_notebook_html
from claimcheck.show.render import VERDICT_COLOURS
from claimcheck.judge.verdicts import VERDICTS

SEED = "china-belgium-ties-2023-02-26"
NO_NETWORK = re.compile(r'<script[^>]*src="http|<link[^>]*href="http|@import url\(http', re.IGNORECASE)


def fake_rows(article_id: str = SEED) -> list[dict]:
    """One verdict row per claim, the verdicts taken in turn, with the keys of ``Verdict.row()``."""
    rows = []
    for i, claim in enumerate(load_article(article_id).claims):
        verdict = VERDICTS[i % len(VERDICTS)]
        rows.append({
            "claim_id": claim.id, "verdict": verdict, "reading": "as stated", "claimed": f"> ${i}.5 bn",
            "claimed_value": f"{i}.5e9", "reference": f"${i}.7 bn", "reference_value": f"{i}.7e9",
            "difference_abs": "2e8", "difference_rel": "0.05", "rule": "exceeds: reference > claimed",
            "source": f"Source {i} [reference/imf/dots_china_belgium_annual.csv]",
            "sentence": f"Sentence about claim {i}.", "reason": "",
            "decided_by": f"Source {i}",
            "evidence": [{"label": f"Source {i}", "provenance": [{"source": "documents", "url": f"https://example.org/doc{i}",
                                                                 "snapshot": "reference/documents/documents.yaml"}]}],
        })
    return rows


def fake_build(build: Path, article_id: str = SEED, rows: list[dict] | None = None, run: dict | None = None,
               notebooks=("claims", "trade", "dates", "documented", "economy", "climate", "scorecard")) -> Path:
    """An article folder as the batch leaves it: notebooks and their HTML, verdict tables, run.json."""
    folder = build / article_id
    folder.mkdir(parents=True, exist_ok=True)
    for name in notebooks:
        for suffix in (".ipynb", ".html", ".code.html"):
            (folder / f"{name}{suffix}").write_text("<html></html>" if suffix != ".ipynb" else "{}", encoding="utf-8")
    rows = fake_rows(article_id) if rows is None else rows
    (folder / "verdicts.json").write_text(json.dumps(rows), encoding="utf-8")
    (folder / "verdicts.csv").write_text("claim_id\n", encoding="utf-8")
    if run is not None:
        (folder / site.RUN_FILE).write_text(json.dumps(run), encoding="utf-8")
    return folder


RUN = {
    "run": "20260301T061700Z", "started": "2026-03-01T06:17:00Z", "finished": "2026-03-01T06:17:30Z",
    "mode": "refresh", "previous_run": "20260222T061700Z",
    "snapshots": {"imf/dots_china_belgium_annual": {"sha256": "ab" * 32, "date": "2026-02-28", "method": "api"}},
    "changes": [{"claim_id": "trade-2022-jan-aug-total", "what": "changed", "old_verdict": "supported",
                 "new_verdict": "contradicted", "old_reference": "$28.9 bn", "new_reference": "$27.1 bn"}],
}


@pytest.fixture
def built(tmp_path) -> Path:
    fake_build(tmp_path, run=RUN)
    site.build_site(tmp_path, [SEED])
    return tmp_path


def page(built: Path, name: str) -> str:
    return (built / SEED / name).read_text(encoding="utf-8")


def test_the_article_page_marks_every_claim_in_its_verdicts_colour(built):
    html = page(built, "index.html")
    for row in fake_rows():
        colour = VERDICT_COLOURS[row["verdict"]]
        assert re.search(rf'<a href="#claim-{row["claim_id"]}"><mark class="claim {row["verdict"]}"[^>]*'
                         rf'style="background:{colour}"', html), row["claim_id"]


def test_selecting_a_claim_shows_its_claimed_value_reference_sentence_sources_and_notebook(built):
    html = page(built, "index.html")
    assert ".claim-detail:target{display:block}" in html  # selection works without any script
    article = load_article(SEED)
    for i, claim in enumerate(article.claims):
        panel = re.search(rf'<section class="claim-detail" id="claim-{claim.id}">(.*?)</section>', html, re.S)
        assert panel, claim.id
        body = panel.group(1)
        from claimcheck.publish.wording import reader_claimed

        shown = reader_claimed(claim) or f"> ${i}.5 bn"  # the claim's figure in words, else the row's claimed cell
        assert shown in unescape(body) and f"${i}.7 bn" in body
        if VERDICTS[i % len(VERDICTS)] not in ("not-held", "error"):  # those get a reader's sentence
            assert f"Sentence about claim {i}." in body
        assert f'href="https://example.org/doc{i}"' in body
        family = claim.family if claim.family != "other" else "scorecard"
        assert f'href="{family}.html"' in body and f'href="{family}.code.html"' in body


def test_the_verdict_table_has_one_sortable_row_per_claim_a_legend_counts_and_data_versions(built):
    html = page(built, site.VERDICTS_PAGE)
    rows = fake_rows()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") == len(rows)
    assert '<table class="sortable cards" id="verdicts">' in html and "addEventListener('click'" in html
    for name in VERDICTS:
        assert labels.meaning(name) in unescape(html)
    tally = {name: sum(r["verdict"] == name for r in rows) for name in VERDICTS}
    counts = html.split('<p class="counts">', 1)[1].split("</p>", 1)[0]
    for name, n in tally.items():
        if n:
            assert f"{labels.label(name)}: {n}</span>" in counts
    footer = html.split("<footer>", 1)[1]
    assert "ab" * 32 in footer and "2026-03-01T06:17:30Z" in footer and "imf/dots_china_belgium_annual" in footer


def test_the_verdict_table_does_not_overwrite_the_scorecard_notebook_page(built):
    assert page(built, "scorecard.html") == "<html></html>"
    assert site.VERDICTS_PAGE != "scorecard.html"


def test_both_pages_show_what_changed_since_the_last_run(built):
    for name in ("index.html", site.VERDICTS_PAGE):
        html = page(built, name)
        section = html.split('<section class="changes">', 1)[1].split("</section>", 1)[0]
        assert "20260222T061700Z" in section and "trade-2022-jan-aug-total" in section
        assert "supported → contradicted" in section and "$28.9 bn → $27.1 bn" in section


def test_without_a_previous_run_there_is_no_changes_section(tmp_path):
    fake_build(tmp_path, run={**RUN, "previous_run": None, "changes": []})
    site.build_site(tmp_path, [SEED])
    assert '<section class="changes">' not in page(tmp_path, "index.html")


def test_the_index_lists_each_article_with_author_date_counts_and_links(built):
    html = (built / "index.html").read_text(encoding="utf-8")
    meta = load_article(SEED).metadata
    assert meta.title in html and meta.author in html and meta.date.isoformat() in html
    assert f'href="{SEED}/index.html"' in html and f'href="{SEED}/verdicts.html"' in html
    assert f"{labels.label('supported')}: " in html


def test_an_article_without_verdicts_still_gets_its_pages(tmp_path):
    fake_build(tmp_path, rows=[], notebooks=("claims",))
    site.build_site(tmp_path, [SEED])
    html = page(tmp_path, "index.html")
    assert 'class="claim claim"' in html and f"{labels.label(None)}: 25" in html
    assert "No verdicts in this build yet" in page(tmp_path, site.VERDICTS_PAGE)
    assert site.check_site(tmp_path) == []


def test_every_link_of_the_site_resolves_to_a_file(built):
    assert site.check_site(built) == []
    checked = 0
    for html_page in site.site_pages(built):
        for link in re.findall(r'(?:href|src)="([^"]*)"', html_page.read_text(encoding="utf-8")):
            if link.startswith(("#", "http://", "https://")):
                continue
            target = (html_page.parent / link.split("#", 1)[0])
            assert target.exists(), f"{html_page}: {link}"
            checked += 1
    assert checked > 30


def test_the_link_check_reports_a_missing_file_and_a_resource_from_another_host(tmp_path):
    (tmp_path / "a.html").write_text('<a href="gone.html#x">x</a><script src="https://cdn.example/x.js"></script>'
                                     '<style>@import url(https://fonts.example/f.css);</style><a href="#top">t</a>')
    problems = site.check_site(tmp_path)
    assert any("missing file: gone.html#x" in p for p in problems)
    assert any("loads from another host" in p for p in problems)
    assert any("@import" in p for p in problems)


def test_no_generated_page_requests_anything_from_the_network(built):
    for html_page in site.site_pages(built):
        assert not NO_NETWORK.search(html_page.read_text(encoding="utf-8")), html_page


def test_notebook_html_loads_nothing_from_a_cdn_and_the_readers_version_has_no_code(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title $x^2$"),
                      nbformat.v4.new_code_cell("secret_code_marker = 1", outputs=[
                          nbformat.v4.new_output("stream", name="stdout", text="printed output\n")])]
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, path)
    readers, full = render_notebook_html(path)
    for html_page in (readers, full):
        text = html_page.read_text(encoding="utf-8")
        assert not NO_NETWORK.search(text) and "cdnjs" not in text and "cdn.jsdelivr" not in text
        assert not site.EXTERNAL_RESOURCE.search(text)
        assert "printed output" in text
    assert "secret_code_marker" not in readers.read_text(encoding="utf-8")
    assert "secret_code_marker" in full.read_text(encoding="utf-8")


def test_the_article_page_embeds_its_claimreview_as_inert_json_ld(tmp_path):
    fake_build(tmp_path, run=RUN)
    site.build_site(tmp_path, [SEED], site_url="https://checks.example/")
    html = page(tmp_path, "index.html")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert len(json.loads(block)["@graph"]) == len(fake_rows())


def test_only_http_urls_become_links(tmp_path):
    rows = fake_rows()
    rows[0]["evidence"] = [{"label": "bad", "provenance": [{"url": "javascript:alert(1)"}]},
                           {"label": "data", "provenance": [{"url": "data:text/html,x"}]}]
    fake_build(tmp_path, rows=rows)
    site.build_site(tmp_path, [SEED])
    for html_page in site.site_pages(tmp_path):
        text = html_page.read_text(encoding="utf-8")
        assert 'href="javascript:' not in text and 'href="data:' not in text


# ------------------------------------------------------------------------- what a reader sees


@pytest.fixture(scope="module")
def real_rows() -> list[dict]:
    """The seed article's verdict rows as the scorecard notebook saves them (offline)."""
    from claimcheck.judge.verdicts import judge_all

    return [v.as_dict() for v in judge_all(load_article(SEED), mode="offline")]


@pytest.fixture
def real_site(tmp_path, real_rows) -> Path:
    fake_build(tmp_path, rows=real_rows, run=RUN)
    site.build_site(tmp_path, [SEED])
    return tmp_path


def panel_of(html: str, claim_id: str) -> str:
    return re.search(rf'<section class="claim-detail" id="claim-{claim_id}">(.*?)</section>', html, re.S).group(1)


def visible(html: str) -> str:
    """The page without its details elements, scripts and JSON-LD: what a reader sees at first."""
    return re.sub(r"<details>.*?</details>|<script.*?</script>", "", html, flags=re.S)


def test_pages_speak_to_readers_not_developers(real_site, real_rows):
    for name in ("index.html", site.VERDICTS_PAGE):
        shown = visible(page(real_site, name))
        for developer_text in ("SnapshotMissing", "claimcheck refresh", "documents.yaml", "sha256", "(absolute)",
                               "bilateral_trade_yoy_change", "china_bri_goods_trade"):
            assert developer_text not in shown, (name, developer_text)
    missing = [r["claim_id"] for r in real_rows if r["verdict"] == "not-held"]
    assert missing
    for claim_id in missing:
        body = panel_of(page(real_site, "index.html"), claim_id)
        assert "not yet collected for this page" in body and "January–August 2022" in body


def test_provenance_sits_behind_a_details_element_and_sources_are_named_by_publisher_and_title(real_site, real_rows):
    html = page(real_site, "index.html")
    body = panel_of(html, "relations-since-1971")
    details = re.findall(r"<details>.*?</details>", body, re.S)
    assert details and any("checksum (sha256)" in d and "transcribed" in d for d in details)
    from claimcheck.reference.documents import load_documents

    row = next(r for r in real_rows if r["claim_id"] == "relations-since-1971")
    provenance = next(p for e in row["evidence"] for p in e["provenance"] if p["source"] == "documents")
    document = load_documents()[provenance["dataset"]]
    assert re.search(rf'<a href="{re.escape(document.url)}"[^>]*><bdi>{re.escape(document.publisher)}', body)


def test_what_we_found_leads_with_the_worst_verdicts_one_line_each(real_site, real_rows):
    from claimcheck.publish.wording import severity

    for name in ("index.html", site.VERDICTS_PAGE):
        section = page(real_site, name).split('<section class="found" id="found">', 1)[1].split("</section>", 1)[0]
        lines = re.findall(r'<li><span class="badge"[^>]*>([^<]+)</span>', section)
        assert len(lines) == len(real_rows)
        names = [next(n for n in VERDICTS if labels.label(n) == line) for line in lines]
        assert [severity(v) for v in names] == sorted(severity(v) for v in names)
        assert lines[0] == labels.label("contradicted")


def test_every_row_of_the_verdict_table_gives_its_reason(real_site, real_rows):
    body = page(real_site, site.VERDICTS_PAGE).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    reasons = re.findall(r'<td data-label="why">(.*?)</td>', body, re.S)
    assert len(reasons) == len(real_rows) and all(len(r.strip()) > 20 for r in reasons)
    verdicts = re.findall(r'<td data-sort="\d+"><span class="badge"[^>]*>([^<]+)</span>', body)
    assert verdicts[0] == labels.label("contradicted")


def test_the_original_article_is_linked_when_its_url_is_known(tmp_path, data_copy):
    meta = data_copy / "articles" / SEED / "metadata.yaml"
    meta.write_text(meta.read_text().replace("url: null", "url: https://paper.example/ties"))
    fake_build(tmp_path, run=RUN)
    site.build_site(tmp_path, [SEED])
    for name in ("index.html", site.VERDICTS_PAGE):
        assert '<a href="https://paper.example/ties" rel="noopener noreferrer">Read the original article</a>' in page(tmp_path, name)


def test_without_a_url_no_original_link(built):
    assert "Read the original article" not in page(built, "index.html")


READ_IN_2022 = """  - id: bri-goods-trade-11-trillion
    quote: "the total volume of trade in goods between countries along the BRI route and China amounted to $11 trillion"
    kind: amount
    family: documented
    statement: "China's goods trade with Belt and Road countries amounted to US$11 trillion in 2022."
    claimed: {value: 11.0e+12, unit: USD, comparator: rounded, period: "2022"}
    reading: "in 2022"
    evidence:
      - {kind: document, document: scio-mofcom-2023-03-bri-trade-2013-2022-zh, measures: [china_bri_goods_trade], period: "2022", label: "MOFCOM (SCIO press conference, Mar 2023): 2022"}
    readings:
      - id: cumulative-2013-2021
        label: "cumulative since 2013, through 2021"
        claimed: {value: 11.0e+12, unit: USD, comparator: rounded, period: "2013/2021"}
        evidence:
          - {kind: document, document: [mofcom-xinhua-2021-04-bri-goods-trade-since-2013, mofcom-sheng-qiuping-2022-05-bri-annual-trade], measures: [china_bri_goods_trade], period: ["2013/2021-04", "2021"], compute: {op: sum}, label: "MOFCOM: US$9.2 tn since 2013 plus US$1.8 tn in 2021 (derived sum)"}

"""


def test_a_misleading_claim_shows_the_figure_that_makes_it_misleading_as_prominently(tmp_path, data_copy):
    from claimcheck.judge.verdicts import judge_all

    registry = data_copy / "articles" / SEED / "claims.yaml"  # a reviewer reads the $11 tn as 2022's alone
    text = registry.read_text(encoding="utf-8")
    start, end = text.index("  - id: bri-goods-trade-11-trillion"), text.index("  - id: bri-two-way")
    registry.write_text(text[:start] + READ_IN_2022 + text[end:], encoding="utf-8")
    rows = [v.as_dict() for v in judge_all(load_article(SEED), mode="offline")]
    site_dir = tmp_path / "site"
    fake_build(site_dir, rows=rows, run=RUN)
    site.build_site(site_dir, [SEED])
    row = next(r for r in rows if r["verdict"] == "misleading")
    claim = load_article(SEED).claim(row["claim_id"])
    body = panel_of(page(site_dir, "index.html"), row["claim_id"])
    figures = re.findall(r'<li class="(stated|other-reading)"><span class="figure-value"><bdi>([^<]+)</bdi></span>', body)
    assert ("stated", "$2.1 tn") in figures and ("other-reading", "$11 tn") in figures  # 11: to 0.1 tn
    assert figures[0][0] == "stated"  # the stated reading first
    assert '<li class="claimed"><span class="figure-value"><bdi>$11 tn (2022)</bdi></span>' in body  # as the article states it
    assert claim.reading and claim.reading in body


def test_a_difference_is_written_in_the_claims_unit(real_site):
    body = panel_of(page(real_site, "index.html"), "trade-growth-exponential")
    assert re.search(r"<dt>Difference</dt><dd><bdi>[\d.]+ percentage points</bdi></dd>", body)


def test_each_highlight_carries_its_verdict_word_and_the_statement_as_tooltip(real_site, real_rows):
    html = page(real_site, "index.html")
    article = load_article(SEED)
    for row in real_rows:
        claim = article.claim(row["claim_id"])
        marks = re.findall(rf'<a href="#claim-{claim.id}"><mark class="claim [^"]*"[^>]*title="([^"]*)"[^>]*>(.*?)</mark></a>',
                           html, re.S)
        assert marks, claim.id
        assert any(claim.statement.replace("'", "&#x27;").replace('"', "&quot;") in t for t, _ in marks), claim.id
        assert f'<span class="verdict-word">{labels.label(row["verdict"])}</span>' in "".join(b for _, b in marks), claim.id


def test_each_panel_shows_the_charts_its_notebook_drew(tmp_path, real_rows):
    folder = fake_build(tmp_path, rows=real_rows, run=RUN)
    (folder / "charts" / "documented").mkdir(parents=True)
    (folder / "charts" / "documented" / "bri-goods-trade-11-trillion-1.svg").write_text("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", encoding="utf-8")
    site.build_site(tmp_path, [SEED])
    body = panel_of(page(tmp_path, "index.html"), "bri-goods-trade-11-trillion")
    assert re.search(r'<img class="chart" src="charts/documented/bri-goods-trade-11-trillion-1.svg" alt="Chart 1: [^"]+">', body)
    assert "<img" not in panel_of(page(tmp_path, "index.html"), "relations-since-1971")
    assert site.check_site(tmp_path) == []


def test_each_panel_links_back_to_its_place_in_the_text(built):
    html = page(built, "index.html")
    for claim in load_article(SEED).claims:
        assert f'href="#text-{claim.id}"' in panel_of(html, claim.id) and f'id="text-{claim.id}"' in html


def test_templates_escape_data_by_themselves(tmp_path):
    rows = fake_rows()
    rows[0]["claimed"] = rows[0]["reference"] = rows[0]["sentence"] = "<b>bold</b>"
    rows[0]["evidence"][0]["label"] = "<script>alert(1)</script>"
    fake_build(tmp_path, rows=rows)
    site.build_site(tmp_path, [SEED])
    for name in ("index.html", site.VERDICTS_PAGE):
        html = page(tmp_path, name)
        assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
        assert "<script>alert(1)" not in html
    assert site.templates().autoescape is not False


FINAL_VERDICTS = ("supported", "imprecise", "misleading", "contradicted", "unverifiable", "not-held", "not-checkable",
                  "error")


@pytest.mark.parametrize("name", sorted({*VERDICTS, *FINAL_VERDICTS}))
def test_each_verdict_has_a_reader_label_and_one_sentence(name):
    label, sentence = labels.label(name), labels.meaning(name)
    assert label and label != labels.label(None) and "-" not in label
    assert sentence.endswith(".") and sentence.count(". ") == 0 and sentence[0].isupper()


def test_a_reason_is_shortened_by_whole_sentences_never_mid_word():
    text = ("The first sentence says what was found at most fourteen. The second one is long enough to pass the "
            "limit of the summary line by itself, and more. A third.")
    short = site._first_sentence(text, 80)
    assert short == "The first sentence says what was found at most fourteen."
    assert site._first_sentence("One sentence far longer than the limit, all-round and whole.", 20) == \
        "One sentence far longer than the limit, all-round and whole."


def test_readers_get_the_claimed_figure_in_words_and_found_figures_at_its_precision_plus_one_digit():
    from types import SimpleNamespace

    from claimcheck.publish import wording
    from claimcheck.registry.claims import Comparator

    def claim(comparator, value, unit, period=None):
        return SimpleNamespace(claimed=SimpleNamespace(comparator=comparator, value=value, unit=unit, period=period,
                                                       precision=None))

    assert wording.reader_claimed(claim(Comparator.at_most, 14.3, "percent")) == "at most 14.3%"
    assert wording.reader_claimed(claim(Comparator.at_least, 50, "percent", "1989")) == "at least 50% (1989)"
    assert wording.reader_claimed(claim(Comparator.exceeds, 230e9, "USD")) == "more than $230 bn"
    assert wording.reader_figure(3.017, "percent", claim(Comparator.rounded, 2.9, "percent")) == "3.02%"
    assert wording.reader_figure(260.961, "percent", claim(Comparator.at_least, 50, "percent")) == "261%"
    assert wording.reader_figure(107.08, "percent", claim(Comparator.at_least, 50, "percent")) == "107.1%"


def test_the_same_figure_of_two_versions_of_a_source_is_one_row_of_the_panel():
    from types import SimpleNamespace

    from claimcheck.publish import wording

    evidence = {"label": "World Bank GDP (current US$)", "status": "ok", "value": 2008, "unit": "year",
                "role": "decisive"}
    row = {"decided_by": evidence["label"], "evidence": [{**evidence, "version": "2024-10-21"},
                                                         {**evidence, "version": "2026-07-01"}]}
    figures = wording.figures(row, SimpleNamespace(reading=None, claimed=None))
    assert len(figures) == 1 and figures[0].decided


@pytest.mark.parametrize("name", sorted({*VERDICTS, *FINAL_VERDICTS}))
def test_each_verdict_has_a_colour_and_a_place_in_the_order_of_what_we_found(name):
    from claimcheck.publish.wording import SEVERITY

    assert name in SEVERITY and name in VERDICT_COLOURS


def test_a_difference_and_a_context_figure_are_at_the_claims_precision_plus_one_digit():
    from types import SimpleNamespace

    from claimcheck.publish import wording
    from claimcheck.registry.claims import Comparator

    claim = SimpleNamespace(claimed=SimpleNamespace(comparator=Comparator.min_duration, value=50, unit="years",
                                                    period=None, precision=None))
    assert wording.difference_text({"difference_abs": 1.341, "difference_rel": 0.0268}, claim).startswith("1.3 years")
    row = {"evidence": [{"role": "context", "status": "ok", "label": "a count", "value": 51.341, "unit": "years"}]}
    assert wording.context_lines(row, claim) == ["a count: 51.3 years"]
    amount = SimpleNamespace(claimed=SimpleNamespace(comparator=Comparator.exceeds, value=28.7e9, unit="USD",
                                                     period=None, precision=None))
    assert wording.reader_figure(25.109e9, None, amount) == "25.11 bn"  # the article's own figure, without a unit
    assert wording.reader_figure(25.109e9, "EUR", amount) == "€25.109 bn"  # another unit: as the source gives it


def test_a_panel_without_figures_gives_the_claimed_figure_in_words_not_rule_notation(tmp_path):
    article = load_article(SEED)
    claim = next(c for c in article.claims if getattr(c.claimed, "comparator", None) is not None
                 and c.claimed.comparator.value == "at_least")
    panel = site._panel(claim, {"verdict": "unverifiable", "claimed": f">= {claim.claimed.value:g}%"}, tmp_path, [])
    assert panel["claimed"].startswith(f"at least {claim.claimed.value:g}%") and ">=" not in panel["claimed"]


def test_the_article_text_in_any_notebook_writes_the_reader_s_word_for_a_verdict():
    from claimcheck.show.render import highlight_article

    article = load_article(SEED)
    text = highlight_article(article, {article.claims[0].id: "not-held"})
    assert labels.label("not-held") in text and "not-held</" not in text
