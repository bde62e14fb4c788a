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
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl import warehouse
from etl.coder import CODER_VERSION, EVENT_SCHEMA
from etl.faults import checkpoint
from etl.ingest import (
    ARTICLE_SCHEMA,
    FILE_SCHEMA,
    QUARANTINE_SCHEMA,
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
from etl.transform import (
    DEDUP_COLUMNS,
    DedupRule,
    article_facts,
    assign_events,
    dedup_blocks,
    mentions_fingerprint,
    prepare_mentions,
    summarise_events,
)

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

#: Landing files read per chunk at most, and their size in all: a chunk's articles are staged as one part, so
#: these bound the memory of reading whatever the size of the batch.
READING_CHUNK_FILES = 200
READING_CHUNK_BYTES = 32 * 1024 * 1024
#: Processes that code articles in parallel (one chunk each at a time).
CODING_WORKERS = int(os.environ.get("GEOEVENTS_WORKERS") or os.cpu_count() or 1)
#: Articles coded per chunk: bounds memory and sets how often progress is reported.
CODING_CHUNK_ARTICLES = 500

#: About how many mentions are de-duplicated together: a batch's blocks are spread over enough buckets (of
#: whole blocks) for each to hold about this many, so memory stays bounded whatever the size of the batch.
DEDUP_BUCKET_MENTIONS = 300_000
#: About how many stored articles a backfill reads, codes and writes together (days are never split).
RECODE_GROUP_ARTICLES = 2_000
#: Events listed in a run's metadata as the most reported.
MOST_REPORTED = 10

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
        return self.staging / "articles"

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


def _reading_chunks(files: list[LandingFile]) -> Iterator[list[LandingFile]]:
    chunk: list[LandingFile] = []
    size = 0
    for landing_file in files:
        if chunk and (len(chunk) >= READING_CHUNK_FILES or size + landing_file.size > READING_CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(landing_file)
        size += landing_file.size
    if chunk:
        yield chunk


def stage_articles(paths: RunPaths, progress: Progress = _no_progress, *, now: dt.datetime | None = None) -> StagedArticles:
    """Read the new landing files, chunk by chunk, into staged article parts, quarantine rows and the ledger."""
    paths.staging.mkdir(parents=True, exist_ok=True)
    _clear(paths.articles)
    now = now or dt.datetime.now(dt.UTC)
    new, seen = new_landing_files(paths)
    progress("read landing files", 0, len(new))
    quarantine, files = [pl.DataFrame(schema=QUARANTINE_SCHEMA)], [pl.DataFrame(schema=FILE_SCHEMA)]
    staged_ids: set[str] = set()
    articles = in_batch = stored = read = 0
    for index, chunk in enumerate(_reading_chunks(new)):
        result = read_landing_files(chunk, quarantine_dir=paths.quarantine, now=now)
        quarantine.append(result.quarantine)
        files.append(result.files)
        batch = result.articles.unique(subset="id", keep="first", maintain_order=True)
        batch = batch.filter(~pl.col("id").is_in(list(staged_ids)))
        in_batch += result.articles.height - batch.height
        already = warehouse.existing_article_ids(batch["id"], paths.database)
        if already:
            batch = batch.filter(~pl.col("id").is_in(list(already)))
            stored += len(already)
        staged_ids.update(batch["id"].to_list())
        articles += batch.height
        batch = with_tone(batch).with_columns(pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("ingested_at"))
        batch.select(list(STAGED_ARTICLE_SCHEMA)).cast(STAGED_ARTICLE_SCHEMA).write_parquet(
            paths.articles / f"part-{index:05d}.parquet")
        read += len(chunk)
        progress("read landing files", read, len(new))
    checkpoint("ingest")
    quarantined = pl.concat(quarantine)
    quarantined.write_parquet(paths.quarantined)
    pl.concat(files).write_parquet(paths.files)
    return StagedArticles(
        files_seen=seen,
        files_new=len(new),
        articles=articles,
        already_stored=stored,
        duplicates_in_batch=in_batch,
        quarantined=quarantined.height,
    )


def with_tone(articles: pl.DataFrame) -> pl.DataFrame:
    """Articles with their document tone (etl.tone, GDELT's scale)."""
    tones = tone_frame(articles["text"], articles["language"])
    return pl.concat([articles, tones.select(
        pl.col("tone"), pl.col("positive").alias("tone_positive"), pl.col("negative").alias("tone_negative"),
        pl.col("polarity").alias("tone_polarity"), pl.col("word_count").cast(pl.Int32),
    )], how="horizontal")


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet")) if folder.exists() else []


def _scan(folder: Path, schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    parts = _parts(folder)
    return pl.scan_parquet(parts) if parts else pl.LazyFrame(schema=schema)


def scan_staged_articles(paths: RunPaths) -> pl.LazyFrame:
    return _scan(paths.articles, STAGED_ARTICLE_SCHEMA)


def read_staged_articles(paths: RunPaths) -> pl.DataFrame:
    return scan_staged_articles(paths).collect()


@dataclass(frozen=True)
class StagedMentions:
    articles_coded: int
    articles_not_coded: int  # in a language the coder has no dictionaries for
    mentions: int


def _clear(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def _coding_jobs(paths: RunPaths, chunk_articles: int) -> Iterator[tuple[Path, pl.DataFrame]]:
    """(target part, articles to code) in chunks of `chunk_articles`, reading one staged part at a time."""
    index = 0
    for part in _parts(paths.articles):
        codable = (pl.scan_parquet(part).filter(pl.col("language").is_in(SUPPORTED_LANGUAGES))
                   .select("id", "text", "published_at", pl.col("language").alias("lang")).collect())
        for start in range(0, codable.height, chunk_articles):
            yield paths.coded / f"part-{index:05d}.parquet", codable.slice(start, chunk_articles)
            index += 1


def _in_order(pool: Executor, function: Callable, jobs: Iterator, in_flight: int) -> Iterator[tuple]:
    """(job, result) in the jobs' order, with at most `in_flight` jobs submitted and not yet collected (unlike
    pool.map, which submits every job at once and so would hold them all in memory)."""
    pending: deque = deque()
    for job in jobs:
        pending.append((job, pool.submit(function, job)))
        if len(pending) >= in_flight:
            job, future = pending.popleft()
            yield job, future.result()
    while pending:
        job, future = pending.popleft()
        yield job, future.result()


def _on_coders(function: Callable, jobs: Iterator, workers: int) -> Iterator[tuple]:
    """(job, function(job)) in the jobs' order, on `workers` processes with the coder loaded (here when 1)."""
    if workers <= 1:
        for job in jobs:
            yield job, function(job)
        return
    # A forkserver that has imported the warmed-up coder: workers start with the dictionaries loaded, and
    # never inherit polars' threads (forking a process that runs them can deadlock).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["etl.coding_worker"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from _in_order(pool, function, jobs, in_flight=2 * workers)


def stage_mentions(
    paths: RunPaths, progress: Progress = _no_progress, *, chunk_articles: int = CODING_CHUNK_ARTICLES,
    workers: int = CODING_WORKERS,
) -> StagedMentions:
    """Code the staged articles, chunk by chunk, into Parquet parts of coder output, on `workers` processes."""
    _clear(paths.coded)
    languages = scan_staged_articles(paths).select(
        pl.len().alias("all"), pl.col("language").is_in(SUPPORTED_LANGUAGES).sum().alias("codable")).collect()
    total, everything = int(languages["codable"][0]), int(languages["all"][0])
    from etl.coding_worker import code_chunk  # loads the coder: only here, not for every user of this module

    mentions = done = 0
    progress("code articles", 0, total)
    jobs = _coding_jobs(paths, chunk_articles)
    for (_, chunk), coded in _on_coders(code_chunk, jobs, workers if total > chunk_articles else 1):
        checkpoint("coding")
        mentions += coded
        done += chunk.height
        progress("code articles", done, total)
    return StagedMentions(articles_coded=total, articles_not_coded=everything - total, mentions=mentions)


def scan_coded(paths: RunPaths) -> pl.LazyFrame:
    return _scan(paths.coded, EVENT_SCHEMA)


def read_coded(paths: RunPaths) -> pl.DataFrame:
    return scan_coded(paths).collect()


@dataclass(frozen=True)
class StagedEvents:
    mentions: int
    events: int
    joined_existing: int  # events already in the warehouse that this batch reports again
    most_reported: pl.DataFrame  # the MOST_REPORTED events with the most mentions (summarise_events' columns)


def staged_article_facts(paths: RunPaths) -> pl.DataFrame:
    """etl.transform.article_facts of the staged articles, read without holding their text."""
    return article_facts(scan_staged_articles(paths)).collect()


def _by_mentions(events: pl.DataFrame) -> pl.DataFrame:
    return events.sort("num_mentions", "global_event_id", descending=[True, False])


def stage_events(paths: RunPaths, *, coded_at: dt.datetime | None = None, rule: DedupRule | None = None,
                 bucket_mentions: int = DEDUP_BUCKET_MENTIONS) -> StagedEvents:
    """Turn the coded mentions into warehouse mentions and decide which event each reports (etl.transform).

    Works part by part and block by block, so memory does not grow with the batch: each part of coder output
    is prepared and staged without event ids; then the mentions' de-duplication columns are read bucket by
    bucket (a bucket holds whole blocks, which are independent of each other); finally each staged part gets
    its ids. The result is the same as de-duplicating the whole batch at once.
    """
    rule = rule or DedupRule()
    prepared_folder = paths.staging / "prepared"
    _clear(prepared_folder)
    _clear(paths.mentions)
    facts = staged_article_facts(paths)
    total = 0
    for part in _parts(paths.coded):
        prepared = prepare_mentions(pl.read_parquet(part), facts, coded_at=coded_at)
        if prepared.height:
            prepared.with_columns(dedup_blocks(prepared)).write_parquet(prepared_folder / part.name)
            total += prepared.height
    if not total:
        empty = assign_events(prepare_mentions(pl.DataFrame(schema=EVENT_SCHEMA), facts))
        return StagedEvents(mentions=0, events=0, joined_existing=0, most_reported=summarise_events(empty))

    keys = pl.scan_parquet(_parts(prepared_folder), include_file_paths="part").select(
        *DEDUP_COLUMNS, "dedup_block", "part")
    dates = keys.select(pl.col("event_date").min().alias("first"), pl.col("event_date").max().alias("last")).collect()
    window = dt.timedelta(days=rule.window_days)
    existing = warehouse.existing_events(paths.database, dates["first"][0] - window, dates["last"][0] + window)
    buckets = -(-total // bucket_mentions)
    existing_buckets = dedup_blocks(existing).hash() % buckets
    assigned, summaries = [], []
    events = joined = 0
    for bucket in range(buckets):
        chunk = keys.filter(pl.col("dedup_block").hash() % buckets == bucket).collect().drop("dedup_block")
        chunk = assign_events(chunk, existing.filter(existing_buckets == bucket), rule)
        assigned.append(chunk.select("part", "mention_id", "global_event_id"))
        summary = summarise_events(chunk)
        events += summary.height
        joined += summary.filter(pl.col("global_event_id").is_in(existing["global_event_id"].implode())).height
        summaries.append(_by_mentions(summary).head(MOST_REPORTED))
    ids_by_part = pl.concat(assigned).partition_by("part", as_dict=True, include_key=False)
    for part in _parts(prepared_folder):
        mentions = pl.read_parquet(part).drop("dedup_block")
        ids = ids_by_part[(str(part),)]
        mentions.join(ids, on="mention_id", how="left", validate="1:1", maintain_order="left").write_parquet(
            paths.mentions / part.name)
    shutil.rmtree(prepared_folder)
    return StagedEvents(mentions=total, events=events, joined_existing=joined,
                        most_reported=_by_mentions(pl.concat(summaries)).head(MOST_REPORTED))


def scan_staged_mentions(paths: RunPaths) -> pl.LazyFrame:
    if not _parts(paths.mentions):
        return assign_events(prepare_mentions(pl.DataFrame(schema=EVENT_SCHEMA), staged_article_facts(paths))).lazy()
    return pl.scan_parquet(_parts(paths.mentions))


def read_staged_mentions(paths: RunPaths) -> pl.DataFrame:
    return scan_staged_mentions(paths).collect()


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


def _day_groups(database: Path, days: list[dt.date]) -> list[list[dt.date]]:
    """The days in order, in groups of about RECODE_GROUP_ARTICLES articles (a busier day is a group alone)."""
    with warehouse.connect(database, read_only=True) as con:
        sizes = dict(con.execute(
            "SELECT published_at, count(*) FROM articles WHERE published_at IN (SELECT unnest(?::DATE[])) GROUP BY 1",
            [days]).fetchall())
    groups: list[list[dt.date]] = []
    size = 0
    for day in days:
        if not groups or size + sizes.get(day, 0) > RECODE_GROUP_ARTICLES:
            groups.append([])
            size = 0
        groups[-1].append(day)
        size += sizes.get(day, 0)
    return groups


def _stored_days(database: Path, days: list[dt.date]) -> dict[dt.date, tuple[pl.DataFrame, pl.DataFrame]]:
    """Each day's stored articles and mentions."""
    with warehouse.connect(database, read_only=True) as con:
        articles = con.execute(
            "SELECT * FROM articles WHERE published_at IN (SELECT unnest(?::DATE[])) ORDER BY id", [days]).pl()
        mentions = con.execute(
            "SELECT m.*, a.published_at AS publication_day FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE a.published_at IN (SELECT unnest(?::DATE[]))", [days]).pl()
    articles_of = articles.partition_by("published_at", as_dict=True)
    mentions_of = mentions.partition_by("publication_day", as_dict=True, include_key=False)
    return {day: (articles_of.get((day,), articles.clear()), mentions_of.get((day,), mentions.drop("publication_day").clear()))
            for day in days}


def recode_days(
    days: list[dt.date], database: Path = DATABASE_PATH, progress: Progress = _no_progress,
    *, rule: DedupRule | None = None, workers: int = CODING_WORKERS,
) -> RecodeReport:
    """Code the stored articles of each day again; rewrite a day's mentions and events only if they change.

    Each day is one transaction: its old mentions are replaced, and every event they or the new ones belong
    to is rebuilt from its remaining mentions (an event left without any disappears). Other days' rows are
    not touched, except events shared with them, which are rebuilt from all their mentions. Days are read
    and written in groups (one connection each), and coded on `workers` processes while the main process
    compares and writes.
    """
    from etl.coding_worker import code_articles  # loads the coder: only here, not for every user of this module

    rule = rule or DedupRule()
    window = dt.timedelta(days=rule.window_days)
    groups = _day_groups(database, days) if days else []
    stored: dict[dt.date, tuple[pl.DataFrame, pl.DataFrame]] = {}

    def jobs() -> Iterator[tuple[dt.date, pl.DataFrame]]:
        for group in groups:
            stored.update(_stored_days(database, group))
            for day in group:
                codable = stored[day][0].filter(pl.col("language").is_in(SUPPORTED_LANGUAGES))
                yield day, codable.select("id", "text", "published_at", pl.col("language").alias("lang"))

    changed: list[dt.date] = []
    articles_total = before = after = done = 0
    progress("re-code days", 0, len(days))
    results = _on_coders(code_articles, jobs(), workers if len(days) > 1 else 1)
    for group in groups:
        coded_group = [next(results) for _ in group]
        with warehouse.connect(database) as con:
            for (day, _), coded in coded_group:
                articles, old = stored.pop(day)
                new = prepare_mentions(coded, article_facts(articles))
                articles_total += articles.height
                before += old.height
                after += new.height
                if articles.height and mentions_fingerprint(new) != mentions_fingerprint(old):
                    dates = new["event_date"] if new.height else pl.Series([day])
                    existing = warehouse.events_between(con, dates.min() - window, dates.max() + window)
                    new = assign_events(new, existing, rule) if new.height else assign_events(new)
                    warehouse.replace_day(con, day, articles["id"], new)
                    changed.append(day)
                done += 1
                progress("re-code days", done, len(days))
            warehouse.record_coded_days(con, group, CODER_VERSION)
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
