"""What a check notebook displays for each claim: one HTML block holding its quote, verdict, tables and
charts, the charts as images the site also keeps."""

import base64
import re

from claimcheck import paths
from claimcheck.show import notebook, report

SEED = "china-belgium-ties-2023-02-26"


def shown(monkeypatch, tmp_path, family: str) -> tuple[list, list]:
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path))
    outputs = []
    monkeypatch.setattr(report, "display", lambda *objects, **options: outputs.extend(objects))
    ctx = notebook.start({"article": SEED, "output_dir": "run"}, family, family=family)
    verdicts = notebook.check(ctx)
    report.show_all(ctx, verdicts)
    return verdicts, outputs


def test_each_claim_is_one_html_block_with_its_quote_verdict_and_tables(monkeypatch, tmp_path):
    verdicts, outputs = shown(monkeypatch, tmp_path, "trade")
    assert len(outputs) == len(verdicts) > 1
    for verdict, output in zip(verdicts, outputs):
        html = output.data
        assert f'<h3 id="claim-{verdict.claim_id}">' in html and f">{verdict.verdict}</span>" in html
        assert html.count('<div style="overflow-x:auto') == html.count("<table") >= 1  # wide tables scroll alone


def test_the_charts_shown_are_the_images_the_site_keeps(monkeypatch, tmp_path):
    verdicts, outputs = shown(monkeypatch, tmp_path, "documented")
    kept = sorted((paths.build_dir() / "run" / "charts" / "documented").glob("*.svg"))
    images = [base64.b64decode(source).decode("utf-8")
              for output in outputs for source in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', output.data)]
    assert kept and sorted(images) == sorted(path.read_text(encoding="utf-8") for path in kept)
