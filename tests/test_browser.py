"""The headless Chromium helper itself: it sees a script from data run, and sees none when the data are escaped."""

from __future__ import annotations

import html

from browser import hostile


def page(tmp_path, body: str):
    path = tmp_path / "page.html"
    path.write_text(f"<!doctype html><html><head><title>t</title></head><body><p>{body}</p></body></html>",
                    encoding="utf-8")
    return path


def test_a_raw_payload_runs_in_chromium_and_is_reported(browser, tmp_path):
    assert browser.scripts_ran(page(tmp_path, hostile("raw"))) == ["raw:img", "raw:script", "raw:svg"]


def test_an_escaped_payload_is_shown_as_text_and_runs_nothing(browser, tmp_path):
    dom = browser.dump_dom(page(tmp_path, html.escape(hostile("escaped"))))
    assert "&lt;script&gt;" in dom
    assert browser.scripts_ran(page(tmp_path, html.escape(hostile("escaped")))) == []
