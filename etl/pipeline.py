"""The pipeline's steps as plain functions: landing files -> staged articles -> mentions -> events -> warehouse.

Each step reads what the previous one staged (Parquet files in the run's staging folder) and writes its own,
so a step can be re-run alone and no step holds more than a chunk of the corpus in memory beyond what
polars keeps in columnar form. Dagster assets (etl/defs) call these functions; so can a notebook.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl import warehouse
from etl.coder import CODER_VERSION, EVENT_SCHEMA, code_documents
from etl.coding_worker import code_chunk
from etl.faults import checkpoint
from etl.ingest import (
    ARTICLE_SCHEMA,
    FILE_SCHEMA,
    QUARANTINE_SCHEMA,
    IngestResult,
    LandingFile,
    file_sha256,
    list_landing_files,
    read_landing_files,
)
from etl.settings import (
    DATABASE_PATH,
    LANDING_DIR,
    QUARANTINE_DIR,
    STAGING_DIR,
    SUPPORTED_LANGUAGES,
)
from etl.tone import tone_frame
from etl.transform import DedupRule, assign_events, mentions_fingerprint, prepare_mentions, summarise_events

#: Staged articles: what the reader gives, their tone, and when this run read them.
STAGED_ARTICLE_SCHEMA: dict[str, pl.DataType] = {
    **ARTICLE_SCHEMA,
    "tone": pl.Float64,
    "tone_positive": pl.Float64,
    "tone_negative": pl.Float64,
    "tone_polarity": pl.Float64,
    "word_count": pl.Int32,
    "ingested_at": pl.Datetime("us", "UTC"),
}

#: Landing files read per chunk, for progress reports.
READING_CHUNK_FILES = 200
#: Processes that code articles in parallel (one chunk each at a time).
CODING_WORKERS = int(os.environ.get("GEOEVENTS_WORKERS") or os.cpu_count() or 1)
#: Articles coded per chunk: bounds memory and sets how often progress is reported.
CODING_CHUNK_ARTICLES = 500

#: Rows per Parquet part of staged mentions.
MENTIONS_PER_PART = 200_000

#: Called as progress(step, done, total) while a step works through its items.
Progress = Callable[[str, int, int], None]


def _no_progress(step: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class RunPaths:
    """Where one run reads and writes. `staging` is this run's own folder."""

    landing: Path = LANDING_DIR
    quarantine: Path = QUARANTINE_DIR
    staging: Path = STAGING_DIR / "manual"
    database: Path = DATABASE_PATH

    @property
    def articles(self) -> Path:
        return self.staging / "articles.parquet"

    @property
    def quarantined(self) -> Path:
        return self.staging / "quarantine.parquet"

    @property
    def files(self) -> Path:
        return self.staging / "files.parquet"

    @property
    def coded(self) -> Path:
        return self.staging / "coded"

    @property
    def mentions(self) -> Path:
        return self.staging / "mentions"

    def batch(self) -> warehouse.StagedBatch:
        return warehouse.StagedBatch(
            articles=self.articles, quarantine=self.quarantined, files=self.files, mentions=self.mentions
        )


@dataclass(frozen=True)
class StagedArticles:
    files_seen: int
    files_new: int
    articles: int
    already_stored: int
    duplicates_in_batch: int
    quarantined: int


def new_landing_files(paths: RunPaths) -> tuple[list[LandingFile], int]:
    """Landing files whose content the warehouse has not read yet, and how many files there are in all."""
    files = list_landing_files(paths.landing)
    signatures, read_before = warehouse.read_ledger(paths.database)
    new = []
    for landing_file in files:
        if (landing_file.name, landing_file.size, landing_file.mtime_ns) in signatures:
            continue
        try:
            digest = file_sha256(landing_file.path)
        except OSError:
            new.append(landing_file)  # the reader quarantines it with the reason
            continue
        if (landing_file.name, digest) not in read_before:
            new.append(landing_file)
    return new, len(files)


def stage_articles(paths: RunPaths, progress: Progress = _no_progress, *, now: dt.datetime | None = None) -> StagedArticles:
    """Read the new landing files into staged articles, quarantine rows and the files ledger."""
    paths.staging.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now(dt.UTC)
    new, seen = new_landing_files(paths)
    progress("read landing files", 0, len(new))
    results = []
    for start in range(0, len(new), READING_CHUNK_FILES):
        results.append(read_landing_files(new[start : start + READING_CHUNK_FILES], quarantine_dir=paths.quarantine,
                                          now=now))
        progress("read landing files", min(start + READING_CHUNK_FILES, len(new)), len(new))
    result = IngestResult(
        articles=pl.concat([r.articles for r in results]) if results else pl.DataFrame(schema=ARTICLE_SCHEMA),
        quarantine=pl.concat([r.quarantine for r in results]) if results else pl.DataFrame(schema=QUARANTINE_SCHEMA),
        files=pl.concat([r.files for r in results]) if results else pl.DataFrame(schema=FILE_SCHEMA),
    )
    checkpoint("ingest")
    articles = result.articles.unique(subset="id", keep="first", maintain_order=True)
    in_batch = result.articles.height - articles.height
    stored = warehouse.existing_article_ids(articles["id"], paths.database)
    if stored:
        articles = articles.filter(~pl.col("id").is_in(list(stored)))
    articles = with_tone(articles).with_columns(pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("ingested_at"))
    articles.select(list(STAGED_ARTICLE_SCHEMA)).cast(STAGED_ARTICLE_SCHEMA).write_parquet(paths.articles)
    result.quarantine.write_parquet(paths.quarantined)
    result.files.write_parquet(paths.files)
    return StagedArticles(
        files_seen=seen,
        files_new=len(new),
        articles=articles.height,
        already_stored=len(stored),
        duplicates_in_batch=in_batch,
        quarantined=result.quarantine.height,
    )


def with_tone(articles: pl.DataFrame) -> pl.DataFrame:
    """Articles with their document tone (etl.tone, GDELT's scale)."""
    tones = tone_frame(articles["text"], articles["language"])
    return pl.concat([articles, tones.select(
        pl.col("tone"), pl.col("positive").alias("tone_positive"), pl.col("negative").alias("tone_negative"),
        pl.col("polarity").alias("tone_polarity"), pl.col("word_count").cast(pl.Int32),
    )], how="horizontal")


def read_staged_articles(paths: RunPaths) -> pl.DataFrame:
    if not paths.articles.exists():
        return pl.DataFrame(schema=STAGED_ARTICLE_SCHEMA)
    return pl.read_parquet(paths.articles)


@dataclass(frozen=True)
class StagedMentions:
    articles_coded: int
    articles_not_coded: int  # in a language the coder has no dictionaries for
    mentions: int


def _clear(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def stage_mentions(
    paths: RunPaths, progress: Progress = _no_progress, *, chunk_articles: int = CODING_CHUNK_ARTICLES,
    workers: int = CODING_WORKERS,
) -> StagedMentions:
    """Code the staged articles, chunk by chunk, into Parquet parts of coder output, on `workers` processes."""
    _clear(paths.coded)
    articles = read_staged_articles(paths)
    codable = articles.filter(pl.col("language").is_in(SUPPORTED_LANGUAGES))
    total = codable.height
    jobs = [
        (paths.coded / f"part-{index:05d}.parquet",
         codable.slice(start, chunk_articles).select("id", "text", "published_at", pl.col("language").alias("lang")))
        for index, start in enumerate(range(0, total, chunk_articles))
    ]
    mentions = done = 0
    progress("code articles", 0, total)
    if workers > 1 and len(jobs) > 1:
        # A forkserver that has imported the warmed-up coder: workers start with the dictionaries loaded, and
        # never inherit polars' threads (forking a process that runs them can deadlock).
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["etl.coding_worker"])
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
            for (_, chunk), coded in zip(jobs, pool.map(code_chunk, jobs)):
                checkpoint("coding")
                mentions += coded
                done += chunk.height
                progress("code articles", done, total)
    else:
        for job in jobs:
            mentions += code_chunk(job)
            checkpoint("coding")
            done += job[1].height
            progress("code articles", done, total)
    return StagedMentions(articles_coded=total, articles_not_coded=articles.height - total, mentions=mentions)


def read_coded(paths: RunPaths) -> pl.DataFrame:
    parts = sorted(paths.coded.glob("*.parquet")) if paths.coded.exists() else []
    if not parts:
        return pl.DataFrame(schema=EVENT_SCHEMA)
    return pl.concat([pl.read_parquet(part) for part in parts])


@dataclass(frozen=True)
class StagedEvents:
    mentions: int
    events: int
    joined_existing: int  # events already in the warehouse that this batch reports again
    events_frame: pl.DataFrame


def stage_events(paths: RunPaths, *, coded_at: dt.datetime | None = None, rule: DedupRule | None = None) -> StagedEvents:
    """Turn the coded mentions into warehouse mentions and decide which event each reports (etl.transform)."""
    rule = rule or DedupRule()
    _clear(paths.mentions)
    articles = read_staged_articles(paths)
    parts = sorted(paths.coded.glob("*.parquet")) if paths.coded.exists() else []
    prepared = [prepare_mentions(pl.read_parquet(part), articles, coded_at=coded_at) for part in parts]
    prepared = [frame for frame in prepared if frame.height]
    if not prepared:
        empty = assign_events(prepare_mentions(pl.DataFrame(schema=EVENT_SCHEMA), articles))
        return StagedEvents(mentions=0, events=0, joined_existing=0, events_frame=summarise_events(empty))
    mentions = pl.concat(prepared)
    window = dt.timedelta(days=rule.window_days)
    existing = warehouse.existing_events(paths.database, mentions["event_date"].min() - window,
                                         mentions["event_date"].max() + window)
    mentions = assign_events(mentions, existing, rule)
    for index, start in enumerate(range(0, mentions.height, MENTIONS_PER_PART)):
        mentions.slice(start, MENTIONS_PER_PART).write_parquet(paths.mentions / f"part-{index:05d}.parquet")
    events = summarise_events(mentions)
    joined = events.filter(pl.col("global_event_id").is_in(existing["global_event_id"].implode())).height
    return StagedEvents(mentions=mentions.height, events=events.height, joined_existing=joined, events_frame=events)


def read_staged_mentions(paths: RunPaths) -> pl.DataFrame:
    parts = sorted(paths.mentions.glob("*.parquet")) if paths.mentions.exists() else []
    if not parts:
        return assign_events(prepare_mentions(pl.DataFrame(schema=EVENT_SCHEMA), read_staged_articles(paths)))
    return pl.concat([pl.read_parquet(part) for part in parts])


def load_warehouse(paths: RunPaths) -> warehouse.LoadReport:
    """Load everything the run staged, in one transaction."""
    with warehouse.connect(paths.database) as con:
        return warehouse.load_batch(con, paths.batch(), coder_version=CODER_VERSION)


def clear_staging(paths: RunPaths) -> None:
    shutil.rmtree(paths.staging, ignore_errors=True)


# ------------------------------------------------------------------------------------------------
# Re-coding stored articles by publication day (backfills, new coder or dictionary versions)


@dataclass(frozen=True)
class RecodeReport:
    days: int
    changed_days: tuple[dt.date, ...]  # days whose mentions and events were rewritten
    articles: int
    mentions_before: int
    mentions_after: int


def stale_days(database: Path = DATABASE_PATH) -> list[dt.date]:
    """Publication days whose articles were last coded by another coder version (or never recorded)."""
    if not database.exists():
        return []
    with warehouse.connect(database, read_only=True) as con:
        if not warehouse.has_table(con, "articles"):
            return []
        if not warehouse.has_table(con, "coded_days"):
            rows = con.execute("SELECT DISTINCT published_at FROM articles ORDER BY 1").fetchall()
        else:
            rows = con.execute(
                """
                SELECT DISTINCT a.published_at FROM articles a
                LEFT JOIN coded_days c ON c.day = a.published_at
                WHERE c.day IS NULL OR c.coder_version <> ?
                ORDER BY 1
                """,
                [CODER_VERSION],
            ).fetchall()
    return [day for (day,) in rows]


def _stored_day(database: Path, day: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    with warehouse.connect(database, read_only=True) as con:
        articles = con.execute("SELECT * FROM articles WHERE published_at = ? ORDER BY id", [day]).pl()
        old = con.execute(
            "SELECT m.* FROM mentions m JOIN articles a ON a.id = m.article_id WHERE a.published_at = ?", [day]
        ).pl()
    return articles, old


def recode_days(
    days: list[dt.date], database: Path = DATABASE_PATH, progress: Progress = _no_progress,
    *, rule: DedupRule | None = None,
) -> RecodeReport:
    """Code the stored articles of each day again; rewrite a day's mentions and events only if they change.

    Each day is one transaction: its old mentions are replaced, and every event they or the new ones belong
    to is rebuilt from its remaining mentions (an event left without any disappears). Other days' rows are
    not touched, except events shared with them, which are rebuilt from all their mentions.
    """
    rule = rule or DedupRule()
    changed: list[dt.date] = []
    articles_total = before = after = 0
    progress("re-code days", 0, len(days))
    for done, day in enumerate(days, start=1):
        articles, old = _stored_day(database, day)
        codable = articles.filter(pl.col("language").is_in(SUPPORTED_LANGUAGES))
        coded = code_documents(codable.select("id", "text", "published_at", pl.col("language").alias("lang")))
        new = prepare_mentions(coded, articles)
        articles_total += articles.height
        before += old.height
        after += new.height
        if articles.height and mentions_fingerprint(new) != mentions_fingerprint(old):
            window = dt.timedelta(days=rule.window_days)
            dates = new["event_date"] if new.height else pl.Series([day])
            existing = warehouse.existing_events(database, dates.min() - window, dates.max() + window)
            new = assign_events(new, existing, rule) if new.height else assign_events(new)
            with warehouse.connect(database) as con:
                warehouse.replace_day(con, day, articles["id"], new)
            changed.append(day)
        with warehouse.connect(database) as con:
            warehouse.record_coded_days(con, [day], CODER_VERSION)
        progress("re-code days", done, len(days))
    return RecodeReport(days=len(days), changed_days=tuple(changed), articles=articles_total,
                        mentions_before=before, mentions_after=after)


@dataclass(frozen=True)
class PipelineReport:
    articles: StagedArticles
    mentions: StagedMentions
    events: StagedEvents
    load: warehouse.LoadReport


def run_pipeline(paths: RunPaths, progress: Progress = _no_progress) -> PipelineReport:
    """Every step in order, without Dagster (the Dagster job runs the same steps as assets)."""
    articles = stage_articles(paths, progress)
    mentions = stage_mentions(paths, progress)
    events = stage_events(paths)
    load = load_warehouse(paths)
    clear_staging(paths)
    return PipelineReport(articles=articles, mentions=mentions, events=events, load=load)
