"""Live checks against the real public APIs: excluded by default, run with ``pytest -m network``.

Each fetches every snapshot a source declares, exactly as ``claimcheck refresh`` would, but keeps
the result in memory, so the committed snapshots are never touched.
"""

from __future__ import annotations

import pytest

from claimcheck.reference.http import HttpClient
from claimcheck.reference.sources import all_sources
from claimcheck.reference.sources.base import TIDY_COLUMNS

DECLARED = [(source, spec) for source in all_sources() for spec in source.snapshots.values()]


@pytest.mark.network
@pytest.mark.parametrize("source, spec", DECLARED, ids=[f"{s.name}/{spec.name}" for s, spec in DECLARED])
def test_each_declared_snapshot_fetches_live_into_a_tidy_table(source, spec):
    with HttpClient() as http:
        frame, url = source.fetch(spec, http)
    assert list(frame.columns[: len(TIDY_COLUMNS)]) == TIDY_COLUMNS
    assert len(frame) > 0
    assert url.startswith(source.base_url())
