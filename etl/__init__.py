"""geoevents: news text to CAMEO event records, loaded into DuckDB."""

__version__ = "0.1.0"
