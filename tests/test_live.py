"""Live checks against the real public APIs: excluded by default, run with ``pytest -m network``.

Each fetches every catalogue entry that has a query, exactly as ``claimcheck refresh`` would, but keeps
the result in memory, so the committed snapshots are never touched.
"""

from __future__ import annotations

import pytest

from claimcheck.reference import catalogue
from claimcheck.reference.http import HttpClient
from claimcheck.reference.sources import get_source
from claimcheck.reference.sources.base import TIDY_COLUMNS

DECLARED = [spec for spec in catalogue.entries() if spec.refreshable]


@pytest.mark.network
@pytest.mark.parametrize("spec", DECLARED, ids=[f"{spec.source}/{spec.name}" for spec in DECLARED])
def test_each_catalogue_entry_fetches_live_into_a_tidy_table(spec):
    source = get_source(spec.source)
    with HttpClient() as http:
        frame, url = source.fetch(spec, http)
    assert list(frame.columns[: len(TIDY_COLUMNS)]) == TIDY_COLUMNS
    assert len(frame) > 0
    assert url.startswith(source.base_url())
