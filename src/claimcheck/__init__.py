"""claimcheck: verify the quantitative claims of an article against public reference data."""

__version__ = "0.1.0"
