"""Polling every due source once: what `geoevents fetch` and the Dagster fetch schedule run.

The state between polls (items seen, validators for conditional requests, failed attempts, last poll) and
every poll's health live in the warehouse (`source_items`, `source_state`, `source_health`, DDL in
sql/tables/), written in one transaction after the articles are safely in the landing folder: a poll that
dies half-way fetches the same items again next time, and the landing reader de-duplicates them by url.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from etl import warehouse
from etl.settings import DATABASE_PATH, LANDING_DIR, PROJECT_DIR
from etl.sources import (
    Fetcher,
    PollResult,
    SourcesConfig,
    Validators,
    is_due,
    load_sources,
    poll_source,
    write_landing_file,
)


def sources_path() -> Path:
    """The sources file: GEOEVENTS_SOURCES, else sources.yaml at the project root."""
    return Path(os.environ.get("GEOEVENTS_SOURCES") or PROJECT_DIR / "sources.yaml").expanduser().resolve()


@dataclass
class SourceMemory:
    last_polled_at: dt.datetime | None = None
    last_ok: bool = True
    validators: Validators | None = None
    attempts: dict[str, int] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)


def read_memory(database: Path) -> dict[str, SourceMemory]:
    """What the warehouse remembers of each source."""
    memory: dict[str, SourceMemory] = {}
    if not database.exists():
        return memory
    with warehouse.connect(database, read_only=True) as con:
        if not warehouse.has_table(con, "source_state"):
            return memory
        for source, polled, ok, validators, attempts in con.execute(
                "SELECT source, last_polled_at, last_ok, validators, attempts FROM source_state").fetchall():
            memory[source] = SourceMemory(
                last_polled_at=polled,
                last_ok=ok,
                validators=Validators.from_dict(json.loads(validators)) if validators else None,
                attempts=json.loads(attempts) if attempts else {},
            )
        for source, key in con.execute("SELECT source, item_key FROM source_items").fetchall():
            memory.setdefault(source, SourceMemory()).seen.add(key)
    return memory


def record_polls(database: Path, results: list[PollResult], polled_at: dt.datetime) -> None:
    """Store the polls' health, newly seen items and state, in one transaction."""
    if not results:
        return
    health = pl.DataFrame([{
        "source": r.health.source, "checked_at": r.health.checked_at, "ok": r.health.ok, "reason": r.health.reason,
        "http_status": r.health.http_status, "items_seen": r.health.items_seen, "items_new": r.health.items_new,
        "articles": r.health.articles, "duration_s": float(r.health.duration_s),
    } for r in results], schema_overrides={"http_status": pl.Int32, "checked_at": pl.Datetime("us", "UTC")})
    items = pl.DataFrame(
        [{"source": r.source, "item_key": s.key, "url": s.url, "seen_at": polled_at, "reason": s.reason}
         for r in results for s in r.new_seen],
        schema={"source": pl.String, "item_key": pl.String, "url": pl.String,
                "seen_at": pl.Datetime("us", "UTC"), "reason": pl.String},
    )
    state = pl.DataFrame([{
        "source": r.source, "last_polled_at": polled_at, "last_ok": r.health.ok,
        "validators": json.dumps(r.validators.to_dict()) if r.validators else None,
        "attempts": json.dumps(r.attempts) if r.attempts else None,
    } for r in results], schema_overrides={"last_polled_at": pl.Datetime("us", "UTC")})
    with warehouse.connect(database) as con:
        warehouse.create_schema(con)
        con.execute("BEGIN")
        try:
            for table, frame in (("source_health", health), ("source_items", items), ("source_state", state)):
                con.register("polled_rows", frame)
                verb = "INSERT INTO" if table == "source_health" else "INSERT OR REPLACE INTO"
                con.execute(f"{verb} {table} BY NAME SELECT * FROM polled_rows")
                con.unregister("polled_rows")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


@dataclass
class FetchReport:
    polled: list[PollResult]
    skipped_not_due: list[str]
    landing_files: list[Path]

    @property
    def articles(self) -> int:
        return sum(len(r.articles) for r in self.polled) + sum(len(r.files) for r in self.polled)

    @property
    def failed(self) -> list[PollResult]:
        return [r for r in self.polled if not r.health.ok]


def fetch_due_sources(config: SourcesConfig, *, landing: Path = LANDING_DIR, database: Path = DATABASE_PATH,
                      now: dt.datetime | None = None, force: bool = False,
                      only: Collection[str] = ()) -> FetchReport:
    """Poll every enabled source that is due (all of them with force; a source that failed last time is always
    due), writing what arrives to the landing folder. A failing source is recorded in source_health and does
    not stop the others."""
    now = now or dt.datetime.now(dt.UTC)
    memory = read_memory(database)
    polled: list[PollResult] = []
    skipped: list[str] = []
    files: list[Path] = []
    with Fetcher(config.fetch) as fetcher:
        for source in config.enabled:
            if only and source.name not in only:
                continue
            remembered = memory.get(source.name, SourceMemory())
            # A source that failed last time is retried on the next tick, whatever its interval.
            due = force or not remembered.last_ok or is_due(source, remembered.last_polled_at, now)
            if not due:
                skipped.append(source.name)
                continue
            result = poll_source(source, fetcher, landing_dir=landing, seen=remembered.seen,
                                 validators=remembered.validators, attempts=remembered.attempts, now=now)
            written = write_landing_file(result.articles, landing, source.name, now)
            files += [written] if written else []
            files += result.files
            polled.append(result)
    record_polls(database, polled, now)
    return FetchReport(polled=polled, skipped_not_due=skipped, landing_files=files)


__all__ = ["FetchReport", "fetch_due_sources", "load_sources", "read_memory", "record_polls", "sources_path"]
