"""Large batches are worked through in chunks (reading, coding, de-duplication), and the chunks change nothing:
the same articles, mentions and event ids come out as when the whole batch is handled at once."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pytest
from dedup_corpus import build_corpus

from etl import pipeline, warehouse
from etl.settings import SAMPLES_DIR


def run_paths(root: Path, landing: Path | None = None) -> pipeline.RunPaths:
    return pipeline.RunPaths(landing=landing or root / "landing", quarantine=root / "quarantine",
                             staging=root / "staging" / "run", database=root / "events.duckdb")


def test_reading_in_small_chunks_stages_the_same_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLES_DIR / "news", landing, ignore=shutil.ignore_patterns("README.md"))
    whole = run_paths(tmp_path / "whole", landing)
    report_whole = pipeline.stage_articles(whole)
    monkeypatch.setattr(pipeline, "READING_CHUNK_FILES", 2)
    chunked = run_paths(tmp_path / "chunked", landing)
    report_chunked = pipeline.stage_articles(chunked)
    assert len(list(chunked.articles.glob("*.parquet"))) > 1
    assert report_chunked == report_whole and report_whole.articles > 30
    columns = ["id", "text", "published_at", "language", "tone", "file"]
    assert pipeline.read_staged_articles(chunked).select(columns).sort("id").equals(
        pipeline.read_staged_articles(whole).select(columns).sort("id"))


def test_an_article_repeated_in_a_later_chunk_is_staged_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "READING_CHUNK_BYTES", 1)  # every file is a chunk of its own
    paths = run_paths(tmp_path)
    paths.landing.mkdir()
    article = {"id": "talks-1", "lang": "en", "published_at": "2025-03-01",
               "text": "Indonesian President Prabowo Subianto met Japanese Prime Minister Shigeru Ishiba in Tokyo."}
    for name in ("a.json", "b.json", "c.jsonl"):
        (paths.landing / name).write_text(json.dumps(article) + "\n", encoding="utf-8")
    staged = pipeline.stage_articles(paths)
    assert (staged.files_new, staged.articles, staged.duplicates_in_batch) == (3, 1, 2)
    assert pipeline.read_staged_articles(paths)["file"].to_list() == ["a.json"]
    report = pipeline.run_pipeline(paths)
    assert (report.load.articles, report.load.files) == (1, 3)


def _mention_ids(paths: pipeline.RunPaths) -> pl.DataFrame:
    return pipeline.read_staged_mentions(paths).select("mention_id", "global_event_id").sort("mention_id")


def test_deduplicating_in_buckets_gives_the_same_events(tmp_path: Path) -> None:
    """Blocks are de-duplicated bucket by bucket; with events already stored, as for a later drop of news."""
    _, articles = build_corpus(seed=2, events=20)
    paths = run_paths(tmp_path)
    paths.landing.mkdir()
    half = len(articles) // 2
    for name, batch in (("day1.jsonl", articles[:half]), ("day2.jsonl", articles[half:])):
        (paths.landing / name).write_text("".join(
            json.dumps({"id": a.id, "lang": a.lang, "published_at": a.published_at.isoformat(), "source": a.source,
                        "text": a.text}) + "\n" for a in batch), encoding="utf-8")
        pipeline.stage_articles(paths)
        pipeline.stage_mentions(paths, workers=1)
        whole = pipeline.stage_events(paths)
        at_once = _mention_ids(paths)
        in_buckets = pipeline.stage_events(paths, bucket_mentions=7)
        assert in_buckets.mentions == whole.mentions > 100
        assert (in_buckets.events, in_buckets.joined_existing) == (whole.events, whole.joined_existing)
        assert in_buckets.most_reported.equals(whole.most_reported)
        assert _mention_ids(paths).equals(at_once)
        pipeline.load_warehouse(paths)
        pipeline.clear_staging(paths)
    assert whole.joined_existing > 0  # the second drop joined events of the first


def test_coding_jobs_are_handed_out_a_few_at_a_time() -> None:
    """Workers get a bounded number of jobs ahead, so a large batch is never held in memory all at once."""
    taken = []

    def jobs():
        for number in range(50):
            taken.append(number)
            yield number

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = []
        for job, result in pipeline._in_order(pool, lambda n: n * n, jobs(), in_flight=4):
            results.append((job, result))
            assert len(taken) - len(results) <= 4
    assert results == [(n, n * n) for n in range(50)]


def _events(database: Path) -> list[tuple]:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("SELECT * EXCLUDE (date_added, avg_tone), round(avg_tone, 9) FROM events ORDER BY ALL").fetchall()


def test_events_rebuilt_a_few_at_a_time_are_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The load rebuilds events in bounded statements (their aggregates cannot all spill to disk)."""
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLES_DIR / "news", landing, ignore=shutil.ignore_patterns("README.md"))
    whole = run_paths(tmp_path / "whole", landing)
    pipeline.run_pipeline(whole)
    monkeypatch.setattr(warehouse, "EVENTS_PER_REBUILD", 7)
    chunked = run_paths(tmp_path / "chunked", landing)
    report = pipeline.run_pipeline(chunked)
    assert report.load.events_touched > 100
    assert _events(chunked.database) == _events(whole.database)
