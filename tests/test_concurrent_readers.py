"""Readers of the published snapshot and Parquet files keep answering, consistently, while runs publish."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import duckdb

from etl import pipeline
from etl.publish import publish
from etl.settings import SAMPLES_DIR


def snapshot_reader(snapshot: Path, stop: threading.Event, seen: list, errors: list) -> None:
    while not stop.is_set():
        try:
            with duckdb.connect(str(snapshot), read_only=True) as con:
                events, mentions, reported = con.execute(
                    "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM mentions), "
                    "(SELECT coalesce(sum(num_mentions), 0) FROM events)").fetchone()
            seen.append((events, mentions, reported))
        except Exception as error:  # whatever a BI tool would see
            errors.append(repr(error))


def parquet_reader(current: Path, stop: threading.Event, seen: list, errors: list) -> None:
    while not stop.is_set():
        try:
            version = current.resolve()  # one version for both tables, as a careful reader does
            events, reported = duckdb.sql(
                f"SELECT count(*), coalesce(sum(num_mentions), 0) FROM read_parquet('{version}/events/*/*/*.parquet')"
            ).fetchone()
            mentions = duckdb.sql(f"SELECT count(*) FROM read_parquet('{version}/mentions/*/*/*.parquet')").fetchone()[0]
            seen.append((events, mentions, reported))
        except Exception as error:
            errors.append(repr(error))


def test_readers_see_whole_versions_while_runs_publish(tmp_path: Path) -> None:
    lines = (SAMPLES_DIR / "news" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    drops = [lines[:8], lines[8:18], lines[18:]]
    paths = pipeline.RunPaths(landing=tmp_path / "landing", quarantine=tmp_path / "quarantine",
                              staging=tmp_path / "staging" / "run", database=tmp_path / "events.duckdb")
    exports = tmp_path / "exports"
    paths.landing.mkdir()

    def run_and_publish(index: int) -> None:
        (paths.landing / f"drop{index}.jsonl").write_text("\n".join(drops[index]) + "\n", encoding="utf-8")
        pipeline.run_pipeline(paths)
        publish(paths.database, exports)

    run_and_publish(0)
    stop = threading.Event()
    seen_snapshot, seen_parquet, errors = [], [], []
    readers = [
        threading.Thread(target=snapshot_reader, args=(exports / "geoevents.duckdb", stop, seen_snapshot, errors)),
        threading.Thread(target=parquet_reader, args=(exports / "parquet" / "current", stop, seen_parquet, errors)),
    ]
    for reader in readers:
        reader.start()
    try:
        for index in (1, 2):
            run_and_publish(index)
            for _ in range(3):  # publishing again without new data must not disturb readers either
                publish(paths.database, exports)
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
    assert not errors, errors[:3]
    with duckdb.connect(str(paths.database), read_only=True) as con:
        final = con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM mentions), "
                            "(SELECT sum(num_mentions) FROM events)").fetchone()
    for seen in (seen_snapshot, seen_parquet):
        assert len(seen) >= 10, "the readers kept reading during the runs"
        # Every answer is one whole version: the events' mention counts add up to that version's mentions.
        assert all(mentions == reported for _, mentions, reported in seen), json.dumps(seen[:5])
        events_seen = [events for events, _, _ in seen]
        assert events_seen == sorted(events_seen), "no reader went back to an older version"
        assert len(set(events_seen)) >= 2 and events_seen[-1] == final[0]
