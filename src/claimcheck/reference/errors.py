"""The two ways reading reference data fails, shared by snapshots and documents."""

from __future__ import annotations


class SnapshotMissing(LookupError):
    """No stored snapshot of that name; the message says how to fetch it."""


class SnapshotInvalid(ValueError):
    """A snapshot that fails validation or its checksum; the message says what to do."""
