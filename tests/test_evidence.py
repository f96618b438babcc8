"""Resolving evidence specs, with the snapshot and document loaders replaced by in-test fakes."""

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from claimcheck.judge import evidence
from claimcheck.registry.claims import DatasetEvidence, DocumentEvidence, InternalEvidence
from claimcheck.judge.evidence import DERIVED, ERROR, MISSING, OK, Loader, resolve
from claimcheck.reference.snapshots import SnapshotInvalid, SnapshotMissing
from claimcheck.reference.sources.base import Provenance

COLUMNS = ["entity", "partner", "period", "measure", "value", "unit"]




def trade_frame():
    rows = [("CHN", "BEL", f"2022-{m:02d}", measure, 1.8e9, "USD") for m in range(1, 9) for measure in ("exports", "imports")]
    return pd.DataFrame(rows, columns=COLUMNS)


SNAPSHOT_PROVENANCE = Provenance(source="imf", dataset="DOTS", method="api", snapshot="reference/imf/dots.csv")


@pytest.fixture
def snapshots(monkeypatch):
    """A fake snapshot store: name → frame, or an exception to raise; records every call."""
    store: dict[str, object] = {"trade": trade_frame()}
    calls: list[tuple[str, str, str]] = []

    def fake_get_snapshot(source, name, mode="offline"):
        calls.append((source, name, mode))
        found = store.get(name)
        if found is None:
            raise SnapshotMissing(f"no offline snapshot {source}/{name}; run claimcheck refresh {source} {name}")
        if isinstance(found, Exception):
            raise found
        return SimpleNamespace(frame=found, provenance=SNAPSHOT_PROVENANCE, meta={})

    monkeypatch.setattr(evidence, "get_snapshot", fake_get_snapshot)
    return SimpleNamespace(store=store, calls=calls)


class FakeDocument:
    def __init__(self, doc_id, facts, quote="a quote"):
        self.id, self.publisher, self.published, self.quote = doc_id, f"Publisher of {doc_id}", "2022-10", quote
        self.facts = facts
        self.provenance = Provenance(source="document", dataset=doc_id, method="transcribed", url=f"https://example.org/{doc_id}")

    def frame(self):
        return pd.DataFrame([(self.id, None, p, m, v, u) for m, v, u, p in self.facts], columns=COLUMNS)


@pytest.fixture
def documents(monkeypatch):
    docs = {
        "oped": FakeDocument("oped", [("bilateral_trade", 28.7e9, "USD", "2022-01/2022-08")]),
        "invest-out": FakeDocument("invest-out", [("investment", 140e9, "USD", "2013/2021"), ("investment", 20e9, "USD", "2022")]),
        "invest-in": FakeDocument("invest-in", [("investment", 90e9, "USD", "2013/2021")]),
        "readout": FakeDocument("readout", [], quote="China stands ready to work with Belgium"),
    }
    monkeypatch.setattr(evidence, "load_documents", lambda: docs)
    return docs


def dataset(**fields):
    return DatasetEvidence(kind="dataset", source="imf", snapshot="trade", **fields)


def test_a_dataset_evidence_selects_computes_and_carries_the_snapshot_provenance(snapshots):
    spec = dataset(select={"measure": ["exports", "imports"]}, compute={"op": "sum", "period": "2022-01/2022-08"},
                   label="IMF DOTS, China-reported")
    result = resolve(spec)
    assert result.status == OK and result.value == pytest.approx(28.8e9) and result.unit == "USD"
    assert result.label == "IMF DOTS, China-reported"
    assert result.provenance == [SNAPSHOT_PROVENANCE.as_dict()]
    assert result.source_ref == "reference/imf/dots.csv"
    assert result.description.startswith("sum of 8 months")


def test_a_dataset_without_a_label_gets_one_from_source_snapshot_and_select(snapshots):
    result = resolve(dataset(select={"measure": "exports"}, compute={"op": "sum", "period": "2022-01/2022-08"}))
    assert result.label == "imf trade (measure=exports)"


def test_a_missing_snapshot_is_missing_with_the_message_and_why_missing(snapshots):
    spec = DatasetEvidence(kind="dataset", source="comtrade", snapshot="monthly", why_missing="needs a Comtrade key")
    result = resolve(spec)
    assert result.status == MISSING
    assert "run claimcheck refresh comtrade monthly" in result.reason and "needs a Comtrade key" in result.reason


def test_an_invalid_snapshot_is_an_error_with_its_text(snapshots):
    snapshots.store["trade"] = SnapshotInvalid("checksum mismatch for dots.csv")
    result = resolve(dataset())
    assert result.status == ERROR and "checksum mismatch" in result.reason


def test_incomplete_months_in_a_snapshot_are_missing(snapshots):
    spec = dataset(select={"measure": "exports"}, compute={"op": "sum", "period": "2022-01/2022-12"})
    result = resolve(spec)
    assert result.status == MISSING and "2022-09" in result.reason


def test_an_uncomputable_spec_is_an_error_not_an_exception(snapshots):
    result = resolve(dataset(compute={"op": "value"}))
    assert result.status == ERROR and "ambiguous: 16 rows" in result.reason


def test_the_loader_fetches_each_snapshot_once_per_run(snapshots):
    loader = Loader("offline")
    for _ in range(3):
        resolve(dataset(select={"measure": "exports"}, compute={"op": "sum", "period": "2022-01"}), loader=loader)
    assert snapshots.calls == [("imf", "trade", "offline")]


def test_a_document_fact_is_read_with_the_document_provenance(documents):
    spec = DocumentEvidence(kind="document", document="oped", measures=["bilateral_trade"])
    result = resolve(spec)
    assert result.status == OK and result.value == 28.7e9
    assert result.label == "Publisher of oped (2022-10)"
    assert result.provenance[0]["url"] == "https://example.org/oped"
    assert "note" not in result.provenance[0]


def test_document_facts_of_several_documents_can_be_summed_and_are_marked_derived(documents):
    spec = DocumentEvidence(kind="document", document=["invest-out", "invest-in"], measures=["investment"],
                            period="2013/2021", compute={"op": "sum"})
    result = resolve(spec)
    assert result.status == OK and result.value == pytest.approx(230e9)
    assert all(item["note"] == DERIVED for item in result.provenance)
    assert DERIVED in result.description


def test_document_periods_are_matched_as_written(documents):
    spec = DocumentEvidence(kind="document", document="invest-out", measures=["investment"], period=["2022"])
    assert resolve(spec).value == 20e9


def test_a_document_that_does_not_state_the_measure_is_an_error(documents):
    spec = DocumentEvidence(kind="document", document="oped", measures=["bilateral_trade"], period="2021")
    result = resolve(spec)
    assert result.status == ERROR and "states no bilateral_trade for 2021" in result.reason


def test_an_unknown_document_is_an_error(documents):
    result = resolve(DocumentEvidence(kind="document", document="nowhere"))
    assert result.status == ERROR and "no document 'nowhere'" in result.reason


def test_a_quote_only_citation_is_ok_without_a_figure(documents):
    result = resolve(DocumentEvidence(kind="document", document="readout"))
    assert result.status == OK and result.value is None
    assert "China stands ready to work with Belgium" in result.description


def test_a_failing_documents_registry_is_an_error(monkeypatch):
    def broken():
        raise ValueError("documents.yaml: entry 3 has no quote")

    monkeypatch.setattr(evidence, "load_documents", broken)
    result = resolve(DocumentEvidence(kind="document", document="oped"))
    assert result.status == ERROR and "entry 3 has no quote" in result.reason


def test_internal_evidence_computes_on_the_article_figures():
    spec = InternalEvidence(kind="internal", inputs={"value": 28.7e9, "rate": 14.3, "unit": "USD"},
                            compute={"op": "implied_base"})
    result = resolve(spec)
    assert result.status == OK and result.value == pytest.approx(25.109e9, rel=1e-4) and result.unit == "USD"
    assert result.label == "the article's own figures"
    assert result.provenance[0]["note"] == DERIVED


def test_years_to_the_article_use_the_article_publication_date():
    article = SimpleNamespace(metadata=SimpleNamespace(date=date(2023, 2, 26)))
    spec = InternalEvidence(kind="internal", inputs={}, compute={"op": "years_between", "start": "1971-10-25", "end": "article"})
    assert resolve(spec, article).value == pytest.approx(51.34, abs=0.01)


def test_an_unexpected_failure_becomes_an_error_result(monkeypatch):
    def explode(source, name, mode="offline"):
        return SimpleNamespace(frame=None, provenance=None)  # .frame is unusable

    monkeypatch.setattr(evidence, "get_snapshot", explode)
    result = resolve(dataset())
    assert result.status == ERROR and result.reason
