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
        assert f'<h3 id="claim-{verdict.claim_id}">' in html and f'data-verdict="{verdict.verdict}"' in html
        assert html.count('<div style="overflow-x:auto') == html.count("<table") >= 1  # wide tables scroll alone


def test_the_charts_shown_are_the_images_the_site_keeps(monkeypatch, tmp_path):
    verdicts, outputs = shown(monkeypatch, tmp_path, "documented")
    kept = sorted((paths.build_dir() / "run" / "charts" / "documented").glob("*.svg"))
    images = [base64.b64decode(source).decode("utf-8")
              for output in outputs for source in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', output.data)]
    assert kept and sorted(images) == sorted(path.read_text(encoding="utf-8") for path in kept)


# what the code calls things, which a reader of a notebook's tables should not meet
CODE_WORDS = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|SnapshotMissing|Error:|<=|>=|\breference (?:in|<|>)|\.csv\b|\.yaml\b"
                        r"|^(?:reading|role|decisive|transcribed|where|claim_id|reference)$")


def test_the_notebook_tables_speak_plain_language(monkeypatch, tmp_path):
    """The summary and each claim's tables, outside "How we checked": no identifiers of the data, no
    exception names, no rule notation, no file paths, plain column heads."""
    verdicts, outputs = shown(monkeypatch, tmp_path, "trade")
    monkeypatch.setattr(report, "display", lambda *objects, **options: outputs.extend(objects))
    ctx = notebook.start({"article": SEED}, "trade", family="trade")
    report.summary(verdicts, ctx)
    assert any("no offline snapshot" in (v.sentence + str([e.reason for e in v.evidence])) for v in verdicts)
    for output in outputs:
        visible = re.sub(r"<details>.*?</details>", "", output.data, flags=re.S)
        visible = re.sub(r"<style>.*?</style>|<[^>]+>", "\n", visible)
        for line in filter(None, (line.strip() for line in visible.splitlines())):
            if line.startswith("trade-") or line.startswith("“"):  # a claim id, the heading to set `claims` with; a quote
                continue
            assert not CODE_WORDS.search(line), line
