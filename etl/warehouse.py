"""The DuckDB warehouse: connecting with DuckDB's single writer in mind, the schema from sql/, and loads.

Every load runs in one transaction: a run that dies half-way leaves the warehouse as it was, and the next
run, finding the same landing files still unread, completes it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from etl.codebook import CODEBOOK_DIR, _read_tsv
from etl.faults import checkpoint
from etl.settings import DATABASE_PATH, SQL_DIR, WAREHOUSE_LOCK_TIMEOUT_S, WAREHOUSE_MEMORY_LIMIT

#: Bumped when a table's columns change; a warehouse built with another version is refused with advice.
SCHEMA_VERSION = "3"
TABLES_DIR = SQL_DIR / "tables"
LOAD_DIR = SQL_DIR / "load"
VIEWS_DIR = SQL_DIR / "views"
#: Dimension tables loaded from the codebook files: table -> (TSV file, columns).
CODEBOOK_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "cameo_event_codes": ("cameo_events.tsv", ("code", "root", "level", "name", "goldstein", "quad_class")),
    "cameo_actor_types": ("actor_roles.tsv", ("code", "kind", "name")),
    "countries": ("countries.tsv", ("code", "iso2", "name", "kind")),
}
#: Fact tables whose DDL is run by create_schema (the codebook tables are replaced by load_codebook).
FACT_TABLES = ("warehouse_info", "articles", "mentions", "events", "quarantine", "landing_files", "coded_days",
               "source_health", "source_items", "source_state")


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse file for longer than we were willing to wait."""


class WarehouseMismatch(RuntimeError):
    """The warehouse file was built by a geoevents with another schema."""


def _is_lock_conflict(error: duckdb.Error) -> bool:
    message = str(error)
    return "Could not set lock" in message or "Conflicting lock" in message


def wait_for_lock(action, database: Path, timeout_s: float = WAREHOUSE_LOCK_TIMEOUT_S):
    """Run `action()` (which opens the database), retrying with backoff while another process holds it."""
    deadline = time.monotonic() + timeout_s
    delay = 0.05
    while True:
        try:
            return action()
        except duckdb.Error as error:
            if not _is_lock_conflict(error):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"{database} is held by another process (a pipeline run or an open client) "
                    f"for more than {timeout_s:.0f} s; set GEOEVENTS_LOCK_TIMEOUT_S to wait longer"
                ) from error
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def duckdb_config(spill_to: Path | None = None) -> dict[str, str]:
    """Settings of every connection the pipeline opens; `spill_to` for in-memory databases, which have no
    file next to which DuckDB would spill."""
    config = {"memory_limit": WAREHOUSE_MEMORY_LIMIT}
    if spill_to is not None:
        config["temp_directory"] = str(spill_to)
    return config


@contextmanager
def connect(
    database: Path = DATABASE_PATH, *, read_only: bool = False, timeout_s: float = WAREHOUSE_LOCK_TIMEOUT_S
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse, waiting (with backoff) while another process holds the file.

    DuckDB lets one process write, and refuses every other process, readers included, meanwhile; our
    writers hold the file only for the length of a load, so waiting is the right answer to a conflict.
    """
    if read_only and not database.exists():
        raise FileNotFoundError(f"no warehouse at {database}: run `geoevents run` (or `./run demo`) first")
    database.parent.mkdir(parents=True, exist_ok=True)
    con = wait_for_lock(lambda: duckdb.connect(str(database), read_only=read_only, config=duckdb_config()),
                        database, timeout_s)
    try:
        yield con
    finally:
        con.close()


def sql_file(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the fact tables that do not exist yet; refuse a warehouse built with another schema."""
    for table in FACT_TABLES:
        con.execute(sql_file(TABLES_DIR / f"{table}.sql"))
    found = con.execute("SELECT value FROM warehouse_info WHERE key = 'schema_version'").fetchone()
    if found is None:
        con.execute("INSERT INTO warehouse_info VALUES ('schema_version', ?)", [SCHEMA_VERSION])
    elif found[0] != SCHEMA_VERSION:
        raise WarehouseMismatch(
            f"the warehouse has schema version {found[0]}, this geoevents writes version {SCHEMA_VERSION}: "
            "move the old database file away and run again (the landing files are read anew)"
        )
    if not has_table(con, "cameo_event_codes"):
        load_codebook(con)
    create_views(con)


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """(Re)create the analytic views and macros of sql/views/, one file each; returns their names."""
    names = []
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        con.execute(sql_file(path))
        names.append(path.stem)
    return names


def codebook_frames() -> dict[str, pl.DataFrame]:
    """The codebook tables as frames, typed as their DDL says."""
    frames = {}
    for table, (file_name, columns) in CODEBOOK_TABLES.items():
        rows = _read_tsv(CODEBOOK_DIR / file_name)
        frame = pl.DataFrame([{c: (row.get(c) or None) for c in columns} for row in rows])
        if table == "cameo_event_codes":
            frame = frame.with_columns(pl.col("goldstein").cast(pl.Float64), pl.col("quad_class").cast(pl.Int8))
        frames[table] = frame
    return frames


def load_codebook(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Replace the codebook dimension tables with the codebook files' contents; rows per table."""
    counts = {}
    con.execute("BEGIN")
    for table, frame in codebook_frames().items():
        con.execute(sql_file(TABLES_DIR / f"{table}.sql"))
        con.register("codebook_rows", frame)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM codebook_rows")
        con.unregister("codebook_rows")
        counts[table] = frame.height
    con.execute("COMMIT")
    return counts


#: Events rebuilt by one statement at most: bounds the memory of the rebuild's aggregates (which DuckDB cannot
#: all spill to disk) whatever the size of the batch.
EVENTS_PER_REBUILD = 200_000


def rebuild_events(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the events listed in the temporary table touched_events from their mentions
    (sql/load/events.sql), a bounded number at a time."""
    touched = _count(con, "SELECT count(*) FROM touched_events")
    chunks = max(1, -(-touched // EVENTS_PER_REBUILD))
    con.execute("CREATE OR REPLACE TEMP TABLE events_by_chunk AS "
                f"SELECT global_event_id, hash(global_event_id) % {chunks} AS chunk FROM touched_events")
    for chunk in range(chunks):
        con.execute(f"CREATE OR REPLACE TEMP TABLE events_to_rebuild AS "
                    f"SELECT global_event_id FROM events_by_chunk WHERE chunk = {chunk}")
        con.execute(sql_file(LOAD_DIR / "events.sql"))


@dataclass(frozen=True)
class StagedBatch:
    """The Parquet files one run staged for loading (any of them may be absent when it had nothing)."""

    articles: Path
    quarantine: Path
    files: Path
    mentions: Path  # a folder of Parquet parts: mentions with their event ids


@dataclass(frozen=True)
class LoadReport:
    articles: int
    duplicate_articles: int
    mentions: int
    events_touched: int
    quarantined: int
    files: int


def _parquet(path: Path) -> str | None:
    if path.is_dir():
        return str(path / "*.parquet") if any(path.glob("*.parquet")) else None
    return str(path) if path.exists() else None


def _count(con: duckdb.DuckDBPyConnection, query: str, parameters: list | None = None) -> int:
    return int(con.execute(query, parameters or []).fetchone()[0])


#: Integrity rules checked inside the load transaction, before it commits: name -> query counting violations.
INTEGRITY_RULES: dict[str, str] = {
    "unique_article_ids": "SELECT count(*) - count(DISTINCT id) FROM articles",
    "unique_mention_ids": "SELECT count(*) - count(DISTINCT mention_id) FROM mentions "
    "WHERE article_id IN (SELECT id FROM loaded_articles)",
    "unique_event_ids": "SELECT count(*) - count(DISTINCT global_event_id) FROM events "
    "WHERE global_event_id IN (SELECT global_event_id FROM touched_events)",
    "mentions_point_to_articles": "SELECT count(*) FROM mentions m WHERE m.article_id IN "
    "(SELECT id FROM loaded_articles) AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = m.article_id)",
    "events_have_mentions": "SELECT count(*) FROM touched_events t WHERE NOT EXISTS "
    "(SELECT 1 FROM events e WHERE e.global_event_id = t.global_event_id)",
    "event_codes_in_codebook": "SELECT count(*) FROM events e WHERE e.global_event_id IN "
    "(SELECT global_event_id FROM touched_events) AND e.event_code NOT IN (SELECT code FROM cameo_event_codes)",
}


def load_batch(con: duckdb.DuckDBPyConnection, batch: StagedBatch, *, loaded_at: dt.datetime | None = None,
               coder_version: str = "") -> LoadReport:
    """Load one run's staged files in a single transaction; articles already stored are skipped.

    Raises (and rolls everything back) when an integrity rule fails after the load.
    """
    loaded_at = loaded_at or dt.datetime.now(dt.UTC)
    create_schema(con)
    articles, quarantine, files, mentions = (
        _parquet(batch.articles), _parquet(batch.quarantine), _parquet(batch.files), _parquet(batch.mentions)
    )
    con.execute("BEGIN")
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE loaded_articles (id VARCHAR)")
        con.execute("CREATE OR REPLACE TEMP TABLE touched_events (global_event_id BIGINT)")
        staged_articles = duplicates = 0
        if articles:
            staged_articles = _count(con, "SELECT count(*) FROM read_parquet(?)", [articles])
            con.execute(
                """
                INSERT INTO loaded_articles
                SELECT DISTINCT s.id FROM read_parquet(?) s
                WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = s.id)
                """,
                [articles],
            )
            columns = table_columns(con, "articles")
            con.execute(
                f"""
                INSERT INTO articles ({columns})
                SELECT {columns} FROM (
                    SELECT *, row_number() OVER (PARTITION BY id ORDER BY file, file_line) AS rank
                    FROM read_parquet(?)
                ) WHERE rank = 1 AND id IN (SELECT id FROM loaded_articles)
                """,
                [articles],
            )
            duplicates = staged_articles - _count(con, "SELECT count(*) FROM loaded_articles")
        loaded_mentions = 0
        if mentions:
            columns = table_columns(con, "mentions")
            con.execute(
                f"""
                INSERT INTO mentions ({columns})
                SELECT {columns} FROM read_parquet(?) WHERE article_id IN (SELECT id FROM loaded_articles)
                """,
                [mentions],
            )
            loaded_mentions = _count(
                con, "SELECT count(*) FROM mentions WHERE article_id IN (SELECT id FROM loaded_articles)"
            )
            con.execute("""
                INSERT INTO touched_events
                SELECT DISTINCT global_event_id FROM mentions WHERE article_id IN (SELECT id FROM loaded_articles)
            """)
            rebuild_events(con)
        quarantined = 0
        if quarantine:
            before = _count(con, "SELECT count(*) FROM quarantine")
            con.execute(
                """
                INSERT INTO quarantine BY NAME
                SELECT * FROM read_parquet(?) s WHERE NOT EXISTS (
                    SELECT 1 FROM quarantine q WHERE q.file = s.file AND q.sha256 IS NOT DISTINCT FROM s.sha256
                    AND q.file_line IS NOT DISTINCT FROM s.file_line
                )
                """,
                [quarantine],
            )
            quarantined = _count(con, "SELECT count(*) FROM quarantine") - before
        read_files = 0
        if files:
            read_files = _count(con, "SELECT count(*) FROM read_parquet(?)", [files])
            con.execute(
                """
                INSERT OR IGNORE INTO landing_files BY NAME
                SELECT coalesce(sha256, 'not read') AS sha256, file, size, mtime_ns, articles, quarantined,
                       ?::TIMESTAMPTZ AS read_at
                FROM read_parquet(?)
                """,
                [loaded_at, files],
            )
        problems = tuple(
            f"{rule}: {violations} violation(s)"
            for rule, query in INTEGRITY_RULES.items()
            if (violations := _count(con, query))
        )
        if problems:
            raise RuntimeError("the load broke the warehouse's integrity rules: " + "; ".join(problems))
        checkpoint("load")
        report = LoadReport(
            articles=_count(con, "SELECT count(*) FROM loaded_articles"),
            duplicate_articles=duplicates,
            mentions=loaded_mentions,
            events_touched=_count(con, "SELECT count(*) FROM touched_events"),
            quarantined=quarantined,
            files=read_files,
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    days = [day for (day,) in con.execute(
        "SELECT DISTINCT published_at FROM articles WHERE id IN (SELECT id FROM loaded_articles)").fetchall()]
    record_coded_days(con, days, coder_version, all_current=False)
    return report


def replace_day(con: duckdb.DuckDBPyConnection, day: dt.date, article_ids: pl.Series, mentions: pl.DataFrame) -> None:
    """Replace the mentions of one publication day's articles and rebuild the events they touch, in one
    transaction (checked against the integrity rules before it commits)."""
    create_schema(con)
    columns = table_columns(con, "mentions")
    con.execute("BEGIN")
    try:
        con.register("day_article_ids", article_ids.to_frame("id"))
        con.register("day_mentions", mentions)
        con.execute("CREATE OR REPLACE TEMP TABLE loaded_articles AS SELECT DISTINCT id FROM day_article_ids")
        con.execute("""
            CREATE OR REPLACE TEMP TABLE touched_events AS
            SELECT DISTINCT global_event_id FROM mentions WHERE article_id IN (SELECT id FROM loaded_articles)
        """)
        con.execute("DELETE FROM mentions WHERE article_id IN (SELECT id FROM loaded_articles)")
        if mentions.height:
            con.execute(f"INSERT INTO mentions ({columns}) SELECT {columns} FROM day_mentions")
            con.execute("""
                INSERT INTO touched_events SELECT DISTINCT global_event_id FROM day_mentions
                WHERE global_event_id NOT IN (SELECT global_event_id FROM touched_events)
            """)
        rebuild_events(con)
        problems = [f"{rule}: {n} violation(s)" for rule, query in INTEGRITY_RULES.items()
                    if rule != "events_have_mentions" and (n := _count(con, query))]
        if problems:
            raise RuntimeError(f"re-coding {day} broke the warehouse's integrity rules: " + "; ".join(problems))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("day_article_ids")
        con.unregister("day_mentions")


def record_coded_days(con: duckdb.DuckDBPyConnection, days: list[dt.date], coder_version: str,
                      *, all_current: bool = True) -> None:
    """Record which coder version coded each day's articles. With all_current=False (after an ingest, which
    codes only new articles) a day stays out of date while any of its mentions came from another version."""
    if not days:
        return
    create_schema(con)
    con.execute(
        """
        INSERT OR REPLACE INTO coded_days
        SELECT
            a.published_at,
            CASE WHEN ? OR count(m.mention_id) FILTER (WHERE m.coder_version <> ?) = 0 THEN ? ELSE 'mixed' END,
            count(DISTINCT a.id),
            count(m.mention_id),
            md5(coalesce(string_agg(m.mention_id || ':' || m.event_code || ':' || coalesce(m.actor2_code, ''), ','
                                    ORDER BY m.mention_id), '')),
            now()
        FROM articles a LEFT JOIN mentions m ON m.article_id = a.id
        WHERE a.published_at IN (SELECT unnest(?::DATE[]))
        GROUP BY a.published_at
        """,
        [all_current, coder_version, coder_version, days],
    )


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The table's columns, quoted and comma-separated, in their DDL order (the schema in sql/ decides)."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]
    ).fetchall()
    return ", ".join('"' + name.replace('"', '""') + '"' for (name,) in rows)


def events_between(con: duckdb.DuckDBPyConnection, first_day: dt.date, last_day: dt.date) -> pl.DataFrame:
    """Our events dated between the two days: the ones new mentions may turn out to report
    (etl.transform.EXISTING_EVENT_SCHEMA)."""
    from etl.transform import EXISTING_EVENT_SCHEMA  # the coder's modules are not loaded for plain queries

    if not has_table(con, "events"):
        return pl.DataFrame(schema=EXISTING_EVENT_SCHEMA)
    found = con.execute(
        f"SELECT {', '.join(EXISTING_EVENT_SCHEMA)} FROM events WHERE source = 'geoevents' AND event_date BETWEEN ? AND ?",
        [first_day, last_day],
    ).pl()
    return found.cast(EXISTING_EVENT_SCHEMA)


def existing_events(database: Path, first_day: dt.date, last_day: dt.date) -> pl.DataFrame:
    """events_between on the warehouse file (none when there is no warehouse yet)."""
    if not database.exists():
        from etl.transform import EXISTING_EVENT_SCHEMA

        return pl.DataFrame(schema=EXISTING_EVENT_SCHEMA)
    with connect(database, read_only=True) as con:
        return events_between(con, first_day, last_day)


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(_count(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]))


def read_ledger(database: Path = DATABASE_PATH) -> tuple[set[tuple[str, int, int]], set[tuple[str, str]]]:
    """What landing files were read already: (file, size, mtime_ns) signatures and (file, sha256) pairs."""
    if not database.exists():
        return set(), set()
    with connect(database, read_only=True) as con:
        if not has_table(con, "landing_files"):
            return set(), set()
        rows = con.execute("SELECT file, size, mtime_ns, sha256 FROM landing_files").fetchall()
    return {(file, size, mtime) for file, size, mtime, _ in rows}, {(file, sha) for file, _, _, sha in rows}


def existing_article_ids(ids: pl.Series, database: Path = DATABASE_PATH) -> set[str]:
    """Which of these article ids the warehouse holds already."""
    if not database.exists() or ids.is_empty():
        return set()
    with connect(database, read_only=True) as con:
        if not has_table(con, "articles"):
            return set()
        con.register("candidate_ids", ids.to_frame("id"))
        found = con.execute("SELECT a.id FROM articles a JOIN candidate_ids c ON c.id = a.id").fetchall()
    return {row[0] for row in found}
