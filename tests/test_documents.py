"""The documents registry: checksum, models, tidy rows, provenance, and the live quote check (replayed)."""

from __future__ import annotations

import html

import pytest

from claimcheck.reference.documents import check_quote_live, load_documents, normalise_text, registry_paths
from claimcheck.reference.http import HttpClient, SourceError
from claimcheck.reference.snapshots import SnapshotInvalid
from claimcheck.reference.sources.base import TIDY_COLUMNS
from conftest import Reply, shared_dir


def test_the_registry_loads_all_65_documents_with_a_verified_checksum():
    documents = load_documents()
    assert len(documents) == 65
    shared = shared_dir() / "reference/documents.yaml"
    if shared.exists():
        assert registry_paths()[0].read_bytes() == shared.read_bytes()


def test_a_changed_registry_is_refused_with_what_to_do(data_copy):
    registry, _ = registry_paths()
    registry.write_text(registry.read_text(encoding="utf-8").replace("28.2e+9", "28.3e+9"), encoding="utf-8")
    with pytest.raises(SnapshotInvalid, match="checksum mismatch.*git checkout --"):
        load_documents()


def test_a_document_gives_tidy_rows_with_dates_kept_as_text():
    document = load_documents()["wikipedia-belgium-china-relations-1980s"]
    frame = document.frame()
    assert list(frame.columns[: len(TIDY_COLUMNS)]) == TIDY_COLUMNS
    assert frame["entity"].unique().tolist() == [document.id] and (frame["partner"] == "").all()
    assert frame["value"].tolist() == ["1991-04", "1992-03"] and (frame["unit"] == "date").all()


def test_numeric_facts_become_floats_with_their_unit_period_and_basis():
    rows = [row for d in load_documents().values() for row in d.frame().to_dict("records") if row["unit"] == "USD"]
    assert rows and all(isinstance(row["value"], float) for row in rows)
    assert all(row["period"] for row in rows)


def test_provenance_says_transcribed_and_points_at_the_document_url():
    document = load_documents()["xinhua-xi-king-philippe-50th-anniversary-messages"]
    provenance = document.provenance
    assert provenance.source == "documents" and provenance.method == "transcribed"
    assert provenance.url == "http://en.people.cn/n3/2021/1025/c90000-9911262.html"
    assert provenance.retrieved_at is None  # nothing was fetched
    assert provenance.sha256 and provenance.snapshot == "reference/documents/documents.yaml"


def test_normalising_strips_tags_and_decodes_entities():
    assert normalise_text("<p>King&nbsp;Philippe&#8217;s\n  <b>visit</b></p>") == "King Philippe's visit"


def page_with(quote: str) -> bytes:
    """A synthetic test page: the recorded quote, HTML-escaped, split by markup and line breaks."""
    words = html.escape(quote).split(" ")
    middle = len(words) // 2
    body = " ".join(words[:middle]) + "\n  <em>" + " ".join(words[middle:]) + "</em>"
    return f"<html><head><style>p {{}}</style></head><body><p>{body}</p></body></html>".encode()


def test_the_live_quote_check_finds_the_quote_through_markup(replay_server):
    document = load_documents()["xinhua-xi-king-philippe-50th-anniversary-messages"]
    replay_server.script("/page", Reply(200, page_with(document.quote), {"Content-Type": "text/html; charset=utf-8"}))
    moved = document.model_copy(update={"url": f"{replay_server.url}/page"})
    found, detail = check_quote_live(moved, HttpClient(max_retries=0))
    assert found and "quote found" in detail and "fetched" in detail


def test_the_live_quote_check_reports_a_page_without_the_quote(replay_server, api_samples):
    document = load_documents()["xinhua-xi-king-philippe-50th-anniversary-messages"]
    page = api_samples / "worldbank/error_http400_invalid_source.html"  # a real page that lacks the quote
    replay_server.script("/page", Reply.file(page, 200, "text/html"))
    moved = document.model_copy(update={"url": f"{replay_server.url}/page"})
    found, detail = check_quote_live(moved, HttpClient(max_retries=0))
    assert not found and detail.startswith("quote not found")


def test_the_live_quote_check_never_claims_a_fetch_that_failed(replay_server):
    document = load_documents()["xinhua-xi-king-philippe-50th-anniversary-messages"]
    replay_server.script("/gone", Reply(404, b"Not Found"))
    with pytest.raises(SourceError):
        check_quote_live(document.model_copy(update={"url": f"{replay_server.url}/gone"}), HttpClient(max_retries=0))
    without_url = next(d for d in load_documents().values() if d.url is None)
    with pytest.raises(ValueError, match="records no URL"):
        check_quote_live(without_url, HttpClient(max_retries=0))
