"""Publishing the warehouse for readers who must never hold the live DuckDB file (BI tools, notebooks).

After each run the pipeline writes
- a read-only DuckDB snapshot, `exports/geoevents.duckdb`, built beside it and swapped in with one rename:
  a reader that has the old file open keeps reading it, the next one opens the new one;
- Parquet files of events, mentions and every mart (view in sql/views/), partitioned by year and month of
  their date, in a new version folder `exports/parquet/<version>/`; the `exports/parquet/current` link is
  switched to it with one rename, so a reader that follows the link sees one whole version; older versions
  are deleted once they are ten minutes old (a killed publication's half-written folder too).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import warehouse
from etl.faults import checkpoint
from etl.settings import DATABASE_PATH, EXPORTS_DIR

SNAPSHOT_NAME = "geoevents.duckdb"
PARQUET_DIR_NAME = "parquet"
CURRENT_LINK = "current"
#: Older Parquet versions are deleted only once they are this old, so readers that started on one finish.
OLD_VERSION_GRACE_S = 600
#: Tables exported as Parquet besides the marts, with the date column they are partitioned by.
EXPORTED_TABLES: dict[str, str | None] = {"events": "event_date", "mentions": "event_date", "articles": "published_at"}
#: Marts' date columns, tried in order, to partition their Parquet files by.
DATE_COLUMNS = ("event_date", "week", "month")


@dataclass
class PublishReport:
    snapshot: Path
    parquet: Path
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def publish_snapshot(database: Path = DATABASE_PATH, exports: Path = EXPORTS_DIR) -> Path:
    """Copy the warehouse into `exports/geoevents.duckdb` and swap it in atomically."""
    exports.mkdir(parents=True, exist_ok=True)
    target = exports / SNAPSHOT_NAME
    building = exports / f".{SNAPSHOT_NAME}.{os.getpid()}.building"
    for leftover in exports.glob(f".{SNAPSHOT_NAME}.*.building"):
        leftover.unlink(missing_ok=True)  # from a publication that was killed
    # A read-only connection cannot create the snapshot file: attach both to an in-memory database instead.
    with duckdb.connect(config=warehouse.duckdb_config(spill_to=exports / ".spill")) as con:
        warehouse.wait_for_lock(
            lambda: con.execute(f"ATTACH {_quote_literal(str(database))} AS geoevents_live (READ_ONLY)"), database)
        # ATTACH takes no prepared parameters; the paths are ours (settings), quoted as literals.
        con.execute(f"ATTACH {_quote_literal(str(building))} AS geoevents_snapshot")
        con.execute("COPY FROM DATABASE geoevents_live TO geoevents_snapshot")
        con.execute("DETACH geoevents_snapshot")
        con.execute("DETACH geoevents_live")
    os.replace(building, target)
    return target


def _date_column(con, relation: str) -> str | None:
    columns = {row[0] for row in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [relation]).fetchall()}
    return EXPORTED_TABLES.get(relation) or next((c for c in DATE_COLUMNS if c in columns), None)


def publish_parquet(database: Path = DATABASE_PATH, exports: Path = EXPORTS_DIR) -> tuple[Path, dict[str, int]]:
    """Write events, mentions, articles and the marts as Parquet into a new version; switch `current` to it."""
    root = exports / PARQUET_DIR_NAME
    root.mkdir(parents=True, exist_ok=True)
    version = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = root / version
    folder.mkdir()
    rows: dict[str, int] = {}
    with warehouse.connect(database, read_only=True) as con:
        marts = [name for (name,) in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY view_name"
        ).fetchall()]
        for relation in [*EXPORTED_TABLES, *marts]:
            date_column = _date_column(con, relation)
            destination = folder / relation
            source = _quote_identifier(relation)
            if date_column:
                column = _quote_identifier(date_column)
                query = (f"SELECT *, year({column}) AS year, month({column}) AS month FROM {source}")
                options = "FORMAT parquet, PARTITION_BY (year, month), COMPRESSION zstd"
            else:
                query, options = f"SELECT * FROM {source}", "FORMAT parquet, COMPRESSION zstd"
                destination.mkdir(parents=True, exist_ok=True)
                destination = destination / f"{relation}.parquet"
            con.execute(f"COPY ({query}) TO {_quote_literal(str(destination))} ({options})")
            rows[relation] = int(con.execute(f"SELECT count(*) FROM {source}").fetchone()[0])
    _switch_current(root, version)
    return root / CURRENT_LINK, rows


def _switch_current(root: Path, version: str) -> None:
    link = root / CURRENT_LINK
    pending = root / f".{CURRENT_LINK}.{os.getpid()}"
    pending.unlink(missing_ok=True)
    pending.symlink_to(version, target_is_directory=True)
    os.replace(pending, link)
    cutoff = time.time() - OLD_VERSION_GRACE_S
    for old in root.iterdir():
        if old.is_dir() and not old.is_symlink() and old.name != version and old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)


def publish(database: Path = DATABASE_PATH, exports: Path = EXPORTS_DIR) -> PublishReport:
    """The snapshot and the Parquet exports, after a run."""
    started = time.perf_counter()
    snapshot = publish_snapshot(database, exports)
    checkpoint("publish")
    parquet, rows = publish_parquet(database, exports)
    return PublishReport(snapshot=snapshot, parquet=parquet, rows=rows, seconds=time.perf_counter() - started)
