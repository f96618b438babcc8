"""The built site in Debian's headless Chromium: highlights with verdict words, a claim panel with its
chart, no horizontal scroll on a phone, and no script from data executed."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest

from conftest import CHARTED  # a claim with another reading whose notebook draws a chart

SEED = "china-belgium-ties-2023-02-26"
PHONE, DESKTOP = (390, 844), (1400, 1000)

# Measures what a reader would see (added to a copy of the page only) and posts it to the frame holding
# the page: Chromium's windows are at least 500 px wide, so a phone's 390 px is an iframe that wide.
PROBE = """<script>
window.addEventListener('load', function () {
  var d = document.documentElement, id = decodeURIComponent(location.hash.slice(1));
  var panel = id ? document.getElementById(id) : null;
  var box = panel ? panel.getBoundingClientRect() : null;
  var back = panel ? panel.querySelector('a.back') : null;
  parent.postMessage(JSON.stringify({
    scrollWidth: d.scrollWidth, width: window.innerWidth,
    panelShown: !!(panel && getComputedStyle(panel).display !== 'none' && box.height > 0 && box.width > 0),
    panelInside: !!(box && box.left >= 0 && box.right <= window.innerWidth + 1),
    charts: panel ? Array.prototype.filter.call(panel.querySelectorAll('img.chart'),
                                                function (i) { return i.complete && i.naturalWidth > 0; }).length : 0,
    chartBoxes: panel ? Array.prototype.map.call(panel.querySelectorAll('img.chart'), function (i) {
      var r = i.getBoundingClientRect(); return {src: i.getAttribute('src'), left: r.left, right: r.right}; }) : [],
    pageCharts: Array.prototype.map.call(document.querySelectorAll('img.chart'),
                                         function (i) { return i.complete && i.naturalWidth > 0; }),
    backTarget: back ? !!document.getElementById(back.getAttribute('href').slice(1)) : false,
    words: Array.prototype.map.call(document.querySelectorAll('mark.claim .verdict-word'),
                                    function (w) { return w.textContent; }),
    readerText: (function () {  // what a reader reads without opening "How we checked" or the data versions
      var copy = document.body.cloneNode(true);
      copy.querySelectorAll('details, footer, script, style').forEach(function (n) { n.remove(); });
      return copy.textContent;
    })(),
    found: Array.prototype.map.call(document.querySelectorAll('#found li'), function (li) { return li.textContent; }),
    figureCells: (function () {  // each figure of the "claimed" and "found" columns against its cell's width
      var table = document.getElementById('verdicts'), out = [];
      if (!table) { return out; }
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
        if (['claimed', 'found'].indexOf(th.textContent.trim()) < 0) { return; }
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var cell = row.cells[column], figure = cell.querySelector('.figure'), style = getComputedStyle(cell);
          if (!figure || !figure.textContent) { return; }
          var box = cell.getBoundingClientRect(), shown = figure.getBoundingClientRect();
          out.push({column: th.textContent.trim(), text: figure.textContent,
                    lines: figure.getClientRects().length,  // an inline figure broken across lines has several
                    figure: shown.width, right: shown.right,
                    cell: cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
                    inner: box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth)});
        });
      });
      return out;
    })()
  }), '*');
});
</script>"""
FRAME = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="{src}" width="{width}" height="{height}" style="border:0;display:block"></iframe>
<script>window.addEventListener('message', function (e) {{
  document.documentElement.setAttribute('data-probe', e.data); }});</script></body></html>"""


@pytest.fixture(scope="session")
def hostile_build(hostile_statement_build) -> Path:
    """The seed article's pages, its charted claim's statement carrying script payloads (conftest.py)."""
    return hostile_statement_build


def probe(browser, page: Path, fragment: str, size: tuple[int, int]) -> dict:
    """What the probe measured in ``page`` (at ``#fragment``) shown ``size`` wide and high."""
    unique = uuid.uuid4().hex[:8]  # tests on other workers probe the same page at the same time
    copy = page.with_name(f"probe-{unique}-{page.name}")
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    frame = page.with_name(f"frame-{unique}-{page.name}")
    src = copy.name + (f"#{fragment}" if fragment else "")
    frame.write_text(FRAME.format(src=src, width=size[0], height=size[1]), encoding="utf-8")
    try:
        dom = browser.dump_dom(frame, "", (f"--window-size={max(size[0], 500) + 20},{size[1] + 20}",
                                           "--virtual-time-budget=8000"))
    finally:
        copy.unlink()
        frame.unlink()
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, "the probe did not run"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1400px", "390px"])
def test_a_claim_panel_opens_with_its_chart_and_a_way_back(browser, hostile_build, size):
    facts = probe(browser, hostile_build / SEED / "index.html", f"claim-{CHARTED}", size)
    assert facts["panelShown"] and facts["panelInside"], facts
    assert facts["charts"] >= 1, facts  # the notebook's image, loaded
    assert facts["backTarget"], facts


def test_a_claim_panel_chart_is_legible_on_a_phone(browser, hostile_build):
    """Each chart of the panel, shown at 390 px, keeps its smallest text at 11 px or more, inside the screen."""
    import xml.etree.ElementTree as ET

    facts = probe(browser, hostile_build / SEED / "index.html", f"claim-{CHARTED}", PHONE)
    assert facts["chartBoxes"], facts
    for box in facts["chartBoxes"]:
        svg = ET.parse(hostile_build / SEED / box["src"]).getroot()
        smallest = min(float(t.get("font-size")) for t in svg.iter("{http://www.w3.org/2000/svg}text"))
        shown = box["right"] - box["left"]
        assert 0 <= box["left"] and box["right"] <= PHONE[0], box
        assert smallest * shown / float(svg.get("viewBox").split()[2]) >= 11, (box, smallest)


@pytest.mark.parametrize("page", ["index.html", "verdicts.html", "../index.html"])
def test_no_page_scrolls_sideways_on_a_phone(browser, hostile_build, page):
    path = (hostile_build / SEED / page).resolve()
    facts = probe(browser, path, "", PHONE)
    assert facts["width"] == PHONE[0] and facts["scrollWidth"] <= facts["width"], facts


def test_every_claim_is_highlighted_with_its_verdict_word(browser, hostile_build):
    from claimcheck.publish.labels import label

    rows = json.loads((hostile_build / SEED / "verdicts.json").read_text(encoding="utf-8"))
    words = probe(browser, hostile_build / SEED / "index.html", "", DESKTOP)["words"]
    assert sorted(words) == sorted(label(r["verdict"]) for r in rows)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1400px", "390px"])
def test_a_notebook_page_shows_its_charts_and_never_scrolls_sideways(browser, hostile_build, size):
    facts = probe(browser, hostile_build / SEED / "documented.html", "", size)
    assert facts["pageCharts"] and all(facts["pageCharts"]), facts["pageCharts"]  # each chart image decoded
    assert facts["scrollWidth"] <= facts["width"], facts


@pytest.mark.parametrize("page", ["index.html", "verdicts.html", "documented.html", "documented.code.html"])
def test_no_script_from_data_runs(browser, hostile_build, page):
    html = (hostile_build / SEED / page).read_text(encoding="utf-8")
    if not page.startswith("documented"):  # the notebook shows the statement only in its charts' text
        assert "Goods trade with Belt and Road countries was $11 tn statement &lt;script&gt;" in html  # as text
    assert browser.scripts_ran(hostile_build / SEED / page) == []


# what readers must not meet outside "How we checked": rule notation, and the verdict names of verdicts.csv
# that are no words ("no-data-offline"); the plain ones ("supported") are words a label may use
RULE_NOTATION = re.compile(r"<=|>=|\breference (?:in \[|<|>|=|date)|\(precision |\b(?:at most|at least|rounded|"
                           r"exceeds|equals|rank|before|by): reference\b")


@pytest.mark.parametrize("page", ["index.html", "verdicts.html", "../index.html"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1400px", "390px"])
def test_readers_meet_whole_sentences_no_rule_notation_and_no_developer_verdict_names(browser, hostile_build, page,
                                                                                       size):
    from claimcheck.judge.verdicts import VERDICTS

    facts = probe(browser, (hostile_build / SEED / page).resolve(), "", size)
    text = " ".join(facts["readerText"].split())
    assert text and not RULE_NOTATION.search(text), RULE_NOTATION.search(text)
    for name in {*VERDICTS, "not-held", "no-data-offline", "not-checkable"}:
        if "-" in name:
            assert name not in text, name
    assert "…" not in text  # shortened by whole sentences, never with an ellipsis mid-word
    for line in facts["found"]:
        assert line.strip()[-1] in ".!?”)", line  # each summary line ends a sentence


def test_the_claimed_and_found_columns_are_as_wide_as_their_longest_figure_at_1400px(browser, hostile_build):
    cells = probe(browser, hostile_build / SEED / "verdicts.html", "", DESKTOP)["figureCells"]
    assert {c["column"] for c in cells} == {"claimed", "found"}
    for cell in cells:
        assert cell["lines"] == 1, cell  # not wrapped ("36./3%")
        assert cell["cell"] + 0.5 >= cell["figure"] and cell["right"] <= cell["inner"] + 0.5, cell  # nor cut


def test_every_rank_chart_shows_the_ranked_entity(browser, hostile_build):
    """The chart the panel shows for a rank claim names the entity ranked, highlighted, whatever its rank."""
    rows = json.loads((hostile_build / SEED / "verdicts.json").read_text(encoding="utf-8"))
    ranked = {r["claim_id"]: re.match(r"rank of (.+?) by ", e["description"]).group(1)
              for r in rows for e in r["evidence"] if e.get("unit") == "rank" and e.get("status") == "ok"}
    assert ranked
    for claim_id, entity in ranked.items():
        facts = probe(browser, hostile_build / SEED / "index.html", f"claim-{claim_id}", DESKTOP)
        assert facts["charts"] >= 1, (claim_id, facts)
        svgs = [(hostile_build / SEED / box["src"]).read_text(encoding="utf-8") for box in facts["chartBoxes"]]
        highlighted = [svg for svg in svgs if "#d95f02" in svg]
        assert highlighted and all(re.search(rf">\d+\. {re.escape(entity)}<", svg) for svg in highlighted), claim_id
