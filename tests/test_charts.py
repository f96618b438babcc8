"""Charts: scale choice, readable labels, PNG output."""

from types import SimpleNamespace

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.cbook import is_math_text

from claimcheck.show import charts


def yearly(values: dict[int, float], reporter: str = "Belgium") -> pd.DataFrame:
    return pd.DataFrame({"entity_name": reporter, "period": [str(y) for y in values], "value": list(values.values())})


def tick_labels(figure) -> list[str]:
    figure.canvas.draw()
    return [t.get_text() for t in figure.axes[0].get_yticklabels() if t.get_text()]


def test_series_over_decades_is_on_a_log_scale_with_plain_labels():
    figure = charts.annual_series(yearly({1980 + i: 1e8 * 2**i for i in range(10)}), "t", {"1980": 1980})
    axes = figure.axes[0]
    assert axes.get_yscale() == "log"
    assert "log scale" in axes.get_ylabel()
    labels = tick_labels(figure)
    assert labels and not any("$" in label or "e" in label for label in labels), labels
    plt.close(figure)


def test_series_within_a_decade_stays_linear():
    figure = charts.annual_series(yearly({2015 + i: 20e9 + i * 1e9 for i in range(8)}), "t")
    assert figure.axes[0].get_yscale() == "linear"
    assert figure.axes[0].get_ylabel() == "USD bn"
    plt.close(figure)


def test_gaps_stay_gaps():
    figure = charts.annual_series(yearly({2000: 1e9, 2001: 2e9, 2005: 3e9}), "t")
    line = figure.axes[0].get_lines()[0]
    assert list(line.get_xdata()) == [2000, 2001, 2002, 2003, 2004, 2005]
    assert pd.isna(line.get_ydata()[2])
    plt.close(figure)


def test_png_is_an_image_and_closes_the_figure():
    figure = charts.annual_series(yearly({2000 + i: 1e9 * (i + 1) for i in range(6)}), "t")
    data = charts.png(figure)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert not plt.fignum_exists(figure.number)


def evidence(label: str, value: float, unit: str = "USD") -> SimpleNamespace:
    return SimpleNamespace(label=label, reading="", value=value, unit=unit, ok=True, extra={})


def test_dollar_signs_in_labels_are_drawn_as_text_not_mathtext():
    verdict = SimpleNamespace(claim_id="c", verdict="supported", evidence=[
        evidence("MOFCOM: US$9.2 tn since 2013 (stated Apr 2021) plus US$1.8 tn in 2021 (derived sum)", 11e12),
        evidence("MOFCOM, Mar 2023: US$2.07 tn in 2022", 2.07e12),
    ])
    figure = charts.claim_against_references(verdict, 11e12, "USD")
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels[0] == "claimed"
    assert all(not is_math_text(label) for label in labels), labels
    assert labels[1].endswith("…") and len(labels[1].replace("\\$", "$")) == 60
    plt.close(figure)


def test_one_reference_beside_the_claim_reads_better_as_text():
    verdict = SimpleNamespace(claim_id="c", verdict="supported", evidence=[evidence("GFDC", 0.48, "share")])
    assert charts.claim_against_references(verdict, 0.48, "share") is None


def test_chart_titles_are_words_not_ids():
    verdict = SimpleNamespace(claim_id="bri-goods", verdict="misleading", statement="Goods trade was $11 tn.", evidence=[
        evidence("cumulative", 11e12), evidence("in 2022", 2.07e12)])
    figure = charts.claim_against_references(verdict, 11e12, "USD")
    assert figure.axes[0].get_title() == r"Goods trade was \$11 tn."
    plt.close(figure)


def test_the_annual_series_of_a_snapshot_is_titled_by_its_catalogue_title():
    from claimcheck.reference.catalogue import entry
    from claimcheck.show.report import _snapshot_title

    title = _snapshot_title("imf", "dots_china_belgium_annual")
    assert title == entry("imf", "dots_china_belgium_annual").description and "/" not in title.split(" ")[0]


def test_charts_lay_out_without_tight_layout_and_keep_their_labels_inside(monkeypatch):
    from matplotlib.figure import Figure

    def measured(*args, **kwargs):
        raise AssertionError("tight_layout draws every figure once more")

    monkeypatch.setattr(Figure, "tight_layout", measured)
    evidence = [SimpleNamespace(ok=True, value=28.7e9 + i * 1e8, unit="USD", reading="", extra={},
                                label="a reference with a label long enough to be shortened at sixty characters")
                for i in range(3)]
    figures = [
        charts.claim_against_references(SimpleNamespace(evidence=evidence, claim_id="c", verdict="supported",
                                                        statement="A statement long enough to be cut at ninety "
                                                                  "characters, as the longest chart titles are."),
                                        28.7e9, "USD"),
        charts.annual_series(yearly({1980 + i: 1e8 * 2**i for i in range(30)}), "t", {"1990": 1990}),
    ]
    for figure in figures:
        figure.canvas.draw()
        width, height = figure.canvas.get_width_height()
        box = figure.axes[0].get_tightbbox(figure.canvas.get_renderer())  # ticks, labels and title as drawn
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height, (box, width, height)
        charts.png(figure)


def test_the_same_chart_is_drawn_once_and_a_different_one_again(monkeypatch):
    drawn = []
    real = charts.png

    def counting(figure):
        drawn.append(figure)
        return real(figure)

    monkeypatch.setattr(charts, "png", counting)
    monkeypatch.setattr(charts, "_DRAWN", {})
    frame = yearly({1990 + i: 1e9 * 1.2**i for i in range(20)})
    first = charts.annual_series_png(frame, "t", {"2000": 2000})
    assert charts.annual_series_png(frame.copy(), "t", {"2000": 2000}) == first and len(drawn) == 1
    assert charts.annual_series_png(frame, "t", {"2005": 2005}) != first and len(drawn) == 2  # other marks
    changed = frame.assign(value=frame["value"] * 2)
    assert charts.annual_series_png(changed, "t", {"2000": 2000}) != first and len(drawn) == 3  # other data
    refs = [evidence("a", 1e9), evidence("b", 1.1e9)]
    bars = [SimpleNamespace(claim_id=f"c{i}", verdict="supported", statement="same words", evidence=refs) for i in range(2)]
    assert charts.claim_against_references_png(bars[0], 1e9, "USD") == charts.claim_against_references_png(bars[1], 1e9, "USD")
    assert len(drawn) == 4
    bars[1].verdict = "contradicted"  # another colour
    charts.claim_against_references_png(bars[1], 1e9, "USD")
    assert len(drawn) == 5
