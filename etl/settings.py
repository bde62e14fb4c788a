"""Every path and setting in one place. Each can be overridden by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
CODEBOOK_DIR = PACKAGE_DIR / "codebook"
#: Per-language dictionaries; point GEOEVENTS_LANG_DIR at a reviewed copy to code with edited dictionaries.
LANG_DIR = Path(os.environ.get("GEOEVENTS_LANG_DIR") or PACKAGE_DIR / "lang").expanduser().resolve()
SAMPLES_DIR = PACKAGE_DIR / "samples"
SQL_DIR = PROJECT_DIR / "sql"


def _path(variable: str, default: Path) -> Path:
    return Path(os.environ.get(variable) or default).expanduser().resolve()


#: Everything the pipeline writes lives under this folder unless a more specific variable says otherwise.
WAREHOUSE_DIR = _path("GEOEVENTS_WAREHOUSE_DIR", PROJECT_DIR / "warehouse")
#: The DuckDB database file analysts query.
DATABASE_PATH = _path("GEOEVENTS_DATABASE", WAREHOUSE_DIR / "events.duckdb")
#: News files dropped here are picked up by `geoevents run` and the Dagster sensor.
LANDING_DIR = _path("GEOEVENTS_LANDING_DIR", WAREHOUSE_DIR / "landing")
#: The bytes of every file or line that could not be read, next to the `quarantine` table's rows.
QUARANTINE_DIR = _path("GEOEVENTS_QUARANTINE_DIR", WAREHOUSE_DIR / "quarantine")
#: What readers use instead of the live file: a DuckDB snapshot and Parquet files, replaced after each run.
EXPORTS_DIR = _path("GEOEVENTS_EXPORTS_DIR", WAREHOUSE_DIR / "exports")
#: Intermediate Parquet files of a run between its steps; emptied when the run has loaded the warehouse.
STAGING_DIR = _path("GEOEVENTS_STAGING_DIR", WAREHOUSE_DIR / "staging")

#: Files larger than this are quarantined unread (JSON Lines files are read line by line and may be larger).
MAX_FILE_BYTES = int(os.environ.get("GEOEVENTS_MAX_FILE_MB", "64")) * 1024 * 1024
#: Articles whose text is longer than this are quarantined: no news article is this long.
MAX_ARTICLE_CHARS = int(os.environ.get("GEOEVENTS_MAX_ARTICLE_CHARS", "1000000"))
#: How long a writer waits for another process to release the warehouse before giving up.
WAREHOUSE_LOCK_TIMEOUT_S = float(os.environ.get("GEOEVENTS_LOCK_TIMEOUT_S", "300"))
#: Memory DuckDB may use in the pipeline's connections before it spills to disk (its own default is 80% of
#: the machine's memory, which a large load would take); a DuckDB size such as "2GB" or "500MB".
WAREHOUSE_MEMORY_LIMIT = os.environ.get("GEOEVENTS_DUCKDB_MEMORY_LIMIT", "2GB")

#: Languages the coder has dictionaries for; language detection chooses among these.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "id")

#: Longer runs of text without a sentence end are coded in pieces of at most this many characters:
#: news sentences are far shorter, and the cap bounds the coder's work on hostile input.
MAX_SENTENCE_CHARS = int(os.environ.get("GEOEVENTS_MAX_SENTENCE_CHARS", "2000"))
