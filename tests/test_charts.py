"""Charts: scale choice, units and titles, values as the tables write them, escaping, layout for a phone."""

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pandas as pd
import pytest

from claimcheck.judge.compare import display_value
from claimcheck.show import charts
from claimcheck.show.render import VERDICT_COLOURS

NS = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # also proves the document is well-formed XML


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in parsed(svg).iter(f"{NS}text")]


def yearly(values: dict[int, float], reporter: str = "Belgium", **columns) -> pd.DataFrame:
    return pd.DataFrame({"entity_name": reporter, "period": [str(y) for y in values], "value": list(values.values()),
                         **columns})


def evidence(label: str, value: float, unit: str = "USD", reading: str = "") -> SimpleNamespace:
    return SimpleNamespace(label=label, reading=reading, value=value, unit=unit, ok=True, extra={})


def bars(statement: str, claimed: float, refs: list, unit: str = "USD", verdict: str = "supported") -> str:
    return charts.claim_against_references(SimpleNamespace(claim_id="c", verdict=verdict, statement=statement,
                                                           evidence=refs), claimed, unit)


def test_series_over_decades_is_on_a_log_scale_with_plain_decade_labels():
    svg = charts.annual_series(yearly({1980 + i: 1e8 * 2**i for i in range(10)}, unit="USD"), "Trade", {"1980": 1980})
    words = texts(svg)
    assert "USD bn, log scale" in words
    ticks = [w for w in words if w.replace(".", "").isdigit() and len(w) < 4]
    assert ticks == ["0.1", "1", "10"], words  # the decades the data span, as plain numbers


def test_series_within_a_decade_stays_linear_with_its_unit():
    words = texts(charts.annual_series(yearly({2015 + i: 20e9 + i * 1e9 for i in range(8)}, unit="USD"), "Trade"))
    assert "USD bn" in words and not any("log" in w for w in words)


def test_a_series_is_labelled_with_its_own_unit_not_dollars():
    people = yearly({2000 + i: 10.2e6 + i * 1e5 for i in range(10)}, unit="people")
    words = texts(charts.annual_series(people, "Population, total"))
    assert "people m" in words and not any("USD" in w for w in words), words


def test_gaps_stay_gaps():
    root = parsed(charts.annual_series(yearly({2000: 1e9, 2001: 2e9, 2005: 3e9, 2006: 3.5e9}, unit="USD"), "t"))
    runs = [[float(p.split(",")[0]) for p in line.get("points").split()] for line in root.iter(f"{NS}polyline")]
    assert [len(run) for run in runs] == [2, 2]  # 2000-2001 and 2005-2006, nothing drawn across 2002-2004
    assert runs[0][-1] < runs[1][0]
    assert len(list(root.iter(f"{NS}circle"))) == 4


def test_a_flow_between_partners_names_its_reporter_and_a_country_series_its_country():
    flow = pd.concat([yearly({1990 + i: 1e9 * (i + 1) for i in range(8)}, "China", partner="BEL"),
                      yearly({1990 + i: 2e9 * (i + 1) for i in range(8)}, "Belgium", partner="CHN")])
    assert {"reported by China", "reported by Belgium"} <= set(texts(charts.annual_series(flow, "t")))
    own = yearly({1990 + i: 1e9 * (i + 1) for i in range(8)}, "Japan", partner="")
    assert "Japan" in texts(charts.annual_series(own, "t"))


def test_bar_values_are_written_as_the_tables_write_them_and_drawn_to_scale():
    svg = bars("Goods trade was $11 tn.", 11e12, [evidence("cumulative", 11e12), evidence("in 2022", 2.07e12)])
    words = texts(svg)
    assert [display_value(v, "USD") for v in (11e12, 11e12, 2.07e12)] == ["$11 tn", "$11 tn", "$2.07 tn"]
    assert [w for w in words if w.startswith("$")] == ["$11 tn", "$11 tn", "$2.07 tn"]
    rects = [r for r in parsed(svg).iter(f"{NS}rect") if r.get("height") == "16"]
    widths = [float(r.get("width")) for r in rects]
    assert widths[2] / widths[0] == pytest.approx(2.07 / 11, rel=0.02)
    assert [r.get("fill") for r in rects] == [VERDICT_COLOURS["claim"]] + [VERDICT_COLOURS["supported"]] * 2
    assert "USD tn; dashed line: the claimed value" in words


def test_negative_values_are_drawn_left_of_zero():
    svg = bars("Exports fell 30%.", -30, [evidence("World Bank", -28.4, "percent"), evidence("IMF", 5.0, "percent")],
               unit="percent")
    root = parsed(svg)
    rects = [r for r in root.iter(f"{NS}rect") if r.get("height") == "16"]
    zero = [float(line.get("x1")) for line in root.iter(f"{NS}line") if line.get("stroke") == "#888"][0]
    assert float(rects[0].get("x")) + float(rects[0].get("width")) == pytest.approx(zero, abs=0.2)  # ends at 0
    assert float(rects[2].get("x")) == pytest.approx(zero, abs=0.2)  # the positive one starts there
    assert "-28.4%" in texts(svg) and "5%" in texts(svg)


def test_dollar_signs_and_markup_in_labels_are_text():
    hostile = "MOFCOM: US$9.2 tn <script>alert(1)</script> & $1.8 tn \"quoted\""
    svg = bars("A $ statement </text><svg onload=alert(1)>", 11e12, [evidence(hostile, 11e12), evidence("b", 2e12)])
    assert "<script" not in svg and "<svg onload" not in svg
    joined = " ".join(texts(svg))
    assert "US$9.2 tn <script>alert(1)</script> &" in joined  # escaped in the file, the same words when read
    assert parsed(svg).find(f"{NS}title").text == "A $ statement </text><svg onload=alert(1)>"


def test_one_reference_beside_the_claim_reads_better_as_text():
    assert bars("c", 0.48, [evidence("GFDC", 0.48, "share")], unit="share") is None


def test_chart_titles_are_words_not_ids():
    svg = bars("Goods trade was $11 tn.", 11e12, [evidence("cumulative", 11e12), evidence("in 2022", 2.07e12)])
    assert parsed(svg).find(f"{NS}title").text == "Goods trade was $11 tn."
    assert texts(svg)[0] == "Goods trade was $11 tn." and "c" not in texts(svg)


def test_rank_leaders_highlight_the_ranked_entity():
    top = [("USA", "United States", 23.3e12), ("CHN", "China", 17.7e12), ("JPN", "Japan", 5.0e12)]
    svg = charts.rank_leaders(SimpleNamespace(label="World Bank GDP (current US$), 2021",
                                              extra={"top": top, "entity": "CHN", "unit": "USD"}))
    rects = [r for r in parsed(svg).iter(f"{NS}rect") if r.get("height") == "16"]
    assert [r.get("fill") for r in rects] == ["#9ecae1", "#d95f02", "#9ecae1"]
    words = texts(svg)
    assert words[0] == "World Bank GDP (current US$), 2021" and "USD tn" in words and "$17.7 tn" in words


def test_the_annual_series_of_a_snapshot_is_titled_by_its_catalogue_title():
    from claimcheck.judge.evidence import Loader
    from claimcheck.reference.catalogue import entry
    from claimcheck.show.report import _snapshot_title

    ctx = SimpleNamespace(loader=Loader("offline"))
    title = _snapshot_title(ctx, "imf", "dots_china_belgium_annual")
    assert title == entry("imf", "dots_china_belgium_annual").description and "/" not in title.split(" ")[0]


LONG = "a reference with a label long enough to need a second line, and then some more words than fit"


def every_chart() -> list[str]:
    refs = [evidence(LONG, 28.7e9 + i * 1e8) for i in range(3)]
    top = [(f"C{i}", f"Country number {i} with a long official name", 1e12 / (i + 1)) for i in range(10)]
    return [
        bars("A statement long enough to wrap onto a second and a third line, as the longest statements "
             "of a registry do, and beyond that.", 28.7e9, refs),
        charts.annual_series(yearly({1980 + i: 1e8 * 1.3**i for i in range(40)}, "Belgium-Luxembourg", partner="CHN",
                                    unit="USD"), "IMF Direction of Trade Statistics (annual), as reported by each side",
                             {"1980": 1980, "1989": 1989}),
        charts.rank_leaders(SimpleNamespace(label="World Bank GDP (current US$), 2021", extra={"top": top, "entity": "C1",
                                                                                              "unit": "USD"})),
    ]


def test_no_text_is_smaller_than_a_phone_can_read_and_none_runs_past_the_edge():
    """At 390 px a claim panel shows a chart 309 px wide: 12 units of a 320-unit chart are 11.6 px there."""
    for svg in every_chart():
        root = parsed(svg)
        width = float(root.get("viewBox").split()[2])
        assert width == charts.WIDTH
        for text in root.iter(f"{NS}text"):
            size = float(text.get("font-size"))
            assert size * 309 / width >= 11, (text.text, size)
            if text.get("transform"):
                continue  # a year mark's label, upright along its line
            x, extent = float(text.get("x")), charts._width(text.text or "", size)
            left = {"start": x, "middle": x - extent / 2, "end": x - extent}[text.get("text-anchor", "start")]
            assert 0 <= left and left + extent <= width, (text.text, left, extent)


MEASURE = """<script>
window.addEventListener('load', function () {
  var found = [];
  document.querySelectorAll('svg').forEach(function (svg, n) {
    var box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
    svg.querySelectorAll('text').forEach(function (t) {
      var r = t.getBoundingClientRect();
      found.push({chart: n, text: t.textContent, px: parseFloat(t.getAttribute('font-size')) * scale,
                  inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5});
    });
  });
  document.documentElement.setAttribute('data-found', JSON.stringify(found));
});
</script>"""


def test_in_a_browser_at_phone_width_every_label_is_legible_and_inside_its_chart(browser, tmp_path):
    """The charts inline in a 309 px column (the claim panel at 390 px), measured with Chromium's own fonts."""
    import html
    import json
    import re

    page = tmp_path / "charts.html"
    sized = '<svg style="width:100%;height:auto" '
    body = "".join(f'<div style="width:309px">{svg.replace("<svg ", sized, 1)}</div>' for svg in every_chart())
    page.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{body}{MEASURE}</body></html>", encoding="utf-8")
    dom = browser.dump_dom(page, "", ("--window-size=500,3000", "--virtual-time-budget=5000"))
    found = json.loads(html.unescape(re.search(r'data-found="([^"]*)"', dom).group(1)))
    assert len(found) > 40 and {f["chart"] for f in found} == {0, 1, 2}
    assert [f for f in found if f["px"] < 11] == []
    assert [f for f in found if not f["inside"]] == []


def test_a_long_series_is_a_line_and_a_year_standing_alone_a_dot():
    values = {1960 + i: 1e9 * (i + 1) for i in range(50)}
    values[2005] = 9e10  # 2004 and 2006 missing around it
    del values[2004], values[2006]
    root = parsed(charts.annual_series(yearly(values, unit="USD"), "t"))
    assert len(list(root.iter(f"{NS}polyline"))) == 2 and len(list(root.iter(f"{NS}circle"))) == 1


def test_a_rank_chart_shows_the_ranked_entity_and_its_neighbours_beyond_the_leaders():
    """Ranked 11th of 15: the chart shows the leaders, then the 10th, the 11th (highlighted) and the 12th."""
    from claimcheck.judge.compute import TOP_N, compute
    from claimcheck.registry.claims import Compute
    from test_compute import tidy

    rows = tidy([(f"C{i:02d}", None, "2021", "gdp", float(100 - i), "USD") for i in range(1, 16)])
    result = compute(Compute(op="rank", entity="C11", period="2021"), rows)
    assert result.value == 11.0
    svg = charts.rank_leaders(SimpleNamespace(label="GDP, 2021", extra=result.extra))
    words = texts(svg)
    for position in [*range(1, TOP_N + 1), 10, 11, 12]:
        assert any(w.startswith(f"{position}. C{position:02d}") for w in words), (position, words)
    highlighted = [r for r in parsed(svg).iter(f"{NS}rect") if r.get("fill") == "#d95f02"]
    assert len(highlighted) == 1
