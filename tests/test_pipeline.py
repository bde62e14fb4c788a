"""The Dagster pipeline end to end: landing files in, a real DuckDB warehouse out, run as Dagster runs it."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from etl import pipeline, warehouse
from etl.defs.automation import landing_folder_sensor
from etl.defs.resources import PipelineStorage
from etl.runner import run_ingest_job
from etl.settings import SAMPLES_DIR

SEED_FILE = "xi-putin-moscow-2025-05-08.id.txt"
TABLES = ("articles", "mentions", "events", "quarantine", "landing_files")


def storage_in(root: Path) -> PipelineStorage:
    return PipelineStorage(
        landing_dir=str(root / "landing"),
        quarantine_dir=str(root / "quarantine"),
        staging_dir=str(root / "staging"),
        database=str(root / "events.duckdb"),
    )


def run_job(storage: PipelineStorage, instance: dg.DagsterInstance):
    outcome = run_ingest_job(storage, instance=instance)
    assert outcome.success, outcome.failed_checks
    return outcome


def query(storage: PipelineStorage, sql: str, parameters: list | None = None) -> list[tuple]:
    with duckdb.connect(storage.database, read_only=True) as con:
        return con.execute(sql, parameters or []).fetchall()


def snapshot(storage: PipelineStorage) -> dict[str, list[tuple]]:
    return {table: query(storage, f"SELECT * FROM {table} ORDER BY ALL") for table in TABLES}


@pytest.fixture(scope="module")
def instance():
    with dg.instance_for_test() as test_instance:
        yield test_instance


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory: pytest.TempPathFactory, instance: dg.DagsterInstance):
    """The bundled samples run through the Dagster job once; tests read the resulting warehouse."""
    root = tmp_path_factory.mktemp("samples")
    shutil.copytree(SAMPLES_DIR / "news", root / "landing", ignore=shutil.ignore_patterns("README.md"))
    storage = storage_in(root)
    return storage, run_job(storage, instance)


def test_definitions_load_with_everything_the_ui_shows() -> None:
    from etl.definitions import defs

    definitions = defs()
    job = definitions.resolve_job_def("ingest_landing")
    assert job is not None
    graph = definitions.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"articles", "event_mentions", "events", "warehouse/articles", "warehouse/mentions", "warehouse/events",
            "warehouse/quarantine", "warehouse/cameo_event_codes", "warehouse/countries"} <= keys
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description and node.group_name and node.kinds, key
    checks = {key.name for key in graph.asset_check_keys}
    assert {"articles_are_complete", "mentions_use_the_codebook", "mentions_point_to_articles",
            "every_mention_points_to_an_article", "event_codes_are_in_the_codebook"} <= checks
    assert definitions.resolve_sensor_def("landing_folder_sensor") is not None
    assert definitions.resolve_schedule_def("nightly_landing_sweep") is not None


def test_samples_become_events_with_the_seed_article_coded(samples_run) -> None:
    storage, outcome = samples_run
    (articles, languages) = query(storage, "SELECT count(*), count(DISTINCT language) FROM articles")[0]
    assert articles >= 32 and languages == 2
    assert outcome.value("warehouse/articles", "new_rows") == articles
    seed = query(storage, "SELECT id, published_at::VARCHAR, date_source, language FROM articles WHERE file LIKE ?",
                 [f"%{SEED_FILE}"])
    assert len(seed) == 1 and seed[0][1:] == ("2025-05-08", "text", "id")
    seed_events = query(storage, """
        SELECT DISTINCT e.actor1_country_code, e.actor2_country_code, e.event_code, e.event_date::VARCHAR,
               e.action_geo_fullname
        FROM events e JOIN mentions m USING (global_event_id) WHERE m.article_id = ?
    """, [seed[0][0]])
    meetings = {"040", "042", "043", "044", "046"}
    assert any(row[:2] == ("CHN", "RUS") and row[2] in meetings and row[3:] == ("2025-05-08", "Moscow, Russian Federation")
               for row in seed_events), seed_events
    assert any(row[:3] == ("CHN", "RUS", "057") for row in seed_events)
    assert any(row[:3] == ("RUS", "CHN", "057") for row in seed_events)
    # Every mention keeps the sentence it came from, with offsets into the article text.
    mismatches = query(storage, """
        SELECT count(*) FROM mentions m JOIN articles a ON a.id = m.article_id
        WHERE substr(a.text, m.char_start + 1, m.char_end - m.char_start) <> m.sentence
    """)[0][0]
    assert mismatches == 0


def test_warehouse_tables_are_consistent(samples_run) -> None:
    storage, _ = samples_run
    (mentions, events, summed) = query(storage, """
        SELECT (SELECT count(*) FROM mentions), (SELECT count(*) FROM events), (SELECT sum(num_mentions) FROM events)
    """)[0]
    assert events <= mentions == summed
    assert query(storage, "SELECT count(*) FROM cameo_event_codes")[0][0] == 311
    assert query(storage, "SELECT count(*) FROM countries WHERE kind = 'country'")[0][0] >= 240
    assert query(storage, "SELECT count(*) FROM cameo_actor_types WHERE code IN ('GOV', 'MIL', 'REB')")[0][0] == 3
    unnamed = query(storage, "SELECT count(*) FROM events WHERE actor1_name IS NULL OR quad_class NOT BETWEEN 1 AND 4")
    assert unnamed[0][0] == 0
    (untoned_articles, untoned_events) = query(storage, """
        SELECT (SELECT count(*) FROM articles WHERE tone IS NULL OR word_count = 0),
               (SELECT count(*) FROM events WHERE avg_tone IS NULL)
    """)[0]
    assert untoned_articles == 0 and untoned_events == 0
    # Conflict news reads more negative than cooperation news.
    (conflict, cooperation) = query(storage, """
        SELECT avg(avg_tone) FILTER (WHERE quad_class = 4), avg(avg_tone) FILTER (WHERE quad_class IN (1, 2))
        FROM events
    """)[0]
    assert conflict < cooperation


def test_rerunning_changes_no_row(samples_run, instance: dg.DagsterInstance) -> None:
    storage, _ = samples_run
    before = snapshot(storage)
    outcome = run_job(storage, instance)
    assert outcome.value("articles", "new_files") == 0
    assert snapshot(storage) == before
    assert not any(Path(storage.staging_dir).glob("*/*")), "a finished run leaves no staged files"


def test_same_article_in_another_file_is_stored_once(tmp_path: Path, instance: dg.DagsterInstance) -> None:
    storage = storage_in(tmp_path)
    landing = Path(storage.landing_dir)
    landing.mkdir()
    article = {"url": "https://news.example.org/2025/03/01/talks?utm_source=feed", "published_at": "2025-03-01",
               "text": "Indonesian President Prabowo Subianto met Japanese Prime Minister Shigeru Ishiba in Tokyo."}
    (landing / "first.json").write_text(json.dumps(article), encoding="utf-8")
    run_job(storage, instance)
    again = dict(article, url="https://NEWS.example.org/2025/03/01/talks", title="Talks in Tokyo")
    (landing / "second.jsonl").write_text(json.dumps(again) + "\n", encoding="utf-8")
    outcome = run_job(storage, instance)
    assert outcome.value("articles", "new_files") == 1
    assert outcome.value("articles", "already_in_warehouse") == 1
    assert query(storage, "SELECT count(*), min(file) FROM articles")[0] == (1, "first.json")
    assert query(storage, "SELECT count(*) FROM landing_files")[0][0] == 2


GOOD_ARTICLES = [
    {"id": "good-1", "lang": "en", "published_at": "2025-06-02",
     "text": "Thai troops shelled Cambodian border posts on Monday, the Cambodian defence ministry said."},
    {"id": "good-2", "lang": "id", "published_at": "2025-06-03",
     "text": "Polisi Indonesia menangkap dua warga negara Malaysia di Batam pada Selasa."},
]


def write_broken_landing(landing: Path) -> dict[str, str]:
    """A landing folder with good files and broken ones; returns broken file -> expected reason fragment."""
    landing.mkdir(parents=True)
    (landing / "good.jsonl").write_text(
        json.dumps(GOOD_ARTICLES[0]) + "\n{not json\n" + json.dumps(["a list"]) + "\n"
        + json.dumps({"id": "no-text", "title": "Headline only"}) + "\n" + json.dumps(GOOD_ARTICLES[1]) + "\n",
        encoding="utf-8",
    )
    (landing / "report.txt").write_text(
        "title: Envoys meet\npublished_at: 2025-06-04\n\n"
        "Chinese Foreign Minister Wang Yi met his Indonesian counterpart Sugiono in Jakarta on Wednesday.\n",
        encoding="utf-8",
    )
    # Bytes that fit no encoding (Latin-1 and Windows-1252 text would be decoded and loaded).
    (landing / "latin1.txt").write_bytes(b"Le ministre a visit\x81 Hano\x8d aujourd'hui.")
    (landing / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (landing / "empty.json").write_bytes(b"")
    (landing / "script-only.html").write_text(
        "<html><head><script>var x = 1;</script></head><body><nav><a href='/'>Home</a></nav>"
        "<script>document.write('x')</script></body></html>",
        encoding="utf-8",
    )
    return {
        "latin1.txt": "UTF-8",
        "image.txt": "binary",
        "empty.json": "empty",
        "script-only.html": "no main text",
        "good.jsonl:2": "not valid JSON",
        "good.jsonl:3": "object",
        "good.jsonl:4": "no text",
    }


def test_broken_files_are_quarantined_and_the_rest_loaded(tmp_path: Path, instance: dg.DagsterInstance) -> None:
    storage = storage_in(tmp_path)
    expected = write_broken_landing(Path(storage.landing_dir))
    run_job(storage, instance)
    loaded = {row[0] for row in query(storage, "SELECT coalesce(title, id) FROM articles")}
    assert len(loaded) == 3 and {"good-1", "good-2", "Envoys meet"} <= loaded | {
        row[0] for row in query(storage, "SELECT id FROM articles")}
    rows = query(storage, "SELECT file, file_line, reason, kept_as FROM quarantine ORDER BY ALL")
    found = {(f"{file}:{line}" if line else file): reason for file, line, reason, _ in rows}
    assert set(found) == set(expected)
    for key, fragment in expected.items():
        assert fragment.lower() in found[key].lower(), (key, found[key])
    for *_, kept_as in rows:
        assert (Path(storage.quarantine_dir) / kept_as).is_file()
    bad_line = next(kept for file, line, _, kept in rows if file == "good.jsonl" and line == 2)
    assert (Path(storage.quarantine_dir) / bad_line).read_bytes().strip() == b"{not json"
    # Re-running quarantines nothing twice and loads nothing twice.
    before = snapshot(storage)
    run_job(storage, instance)
    assert snapshot(storage) == before


def test_a_failed_load_leaves_the_warehouse_as_it_was(tmp_path: Path) -> None:
    """A load that breaks an integrity rule is rolled back whole; the next clean run completes the work."""
    paths = pipeline.RunPaths(landing=tmp_path / "landing", quarantine=tmp_path / "quarantine",
                              staging=tmp_path / "staging" / "run-1", database=tmp_path / "events.duckdb")
    paths.landing.mkdir()
    (paths.landing / "a.jsonl").write_text(json.dumps(GOOD_ARTICLES[0]) + "\n", encoding="utf-8")
    pipeline.run_pipeline(paths)
    (paths.landing / "b.jsonl").write_text(json.dumps(GOOD_ARTICLES[1]) + "\n", encoding="utf-8")
    before = snapshot(storage_like(paths))
    pipeline.stage_articles(paths)
    pipeline.stage_mentions(paths)
    pipeline.stage_events(paths)
    staged = pipeline.read_staged_mentions(paths)
    assert staged.height >= 1
    # The same mention staged twice: the load must refuse the whole batch, articles included.
    staged.head(1).write_parquet(paths.mentions / "part-99999.parquet")
    with pytest.raises(RuntimeError, match="unique_mention_ids"):
        pipeline.load_warehouse(paths)
    assert snapshot(storage_like(paths)) == before
    pipeline.clear_staging(paths)
    pipeline.run_pipeline(paths)
    assert {row[0] for row in query(storage_like(paths), "SELECT id FROM articles")} == {"good-1", "good-2"}


def storage_like(paths: pipeline.RunPaths) -> PipelineStorage:
    return PipelineStorage(landing_dir=str(paths.landing), quarantine_dir=str(paths.quarantine),
                           staging_dir=str(paths.staging.parent), database=str(paths.database))


def test_sensor_requests_a_run_for_new_files_once(tmp_path: Path) -> None:
    storage = storage_in(tmp_path)
    landing = Path(storage.landing_dir)
    landing.mkdir()
    with dg.build_sensor_context(resources={"storage": storage}) as context:
        assert not landing_folder_sensor(context).run_requests
    old = landing / "drop.jsonl"
    old.write_text(json.dumps(GOOD_ARTICLES[0]) + "\n", encoding="utf-8")
    settled = time.time() - 60
    os.utime(old, (settled, settled))
    with dg.build_sensor_context(resources={"storage": storage}) as context:
        first = landing_folder_sensor(context)
    assert len(first.run_requests) == 1 and first.cursor
    with dg.build_sensor_context(resources={"storage": storage}, cursor=first.cursor) as context:
        assert not landing_folder_sensor(context).run_requests


def test_warehouse_of_another_schema_is_refused_with_advice(tmp_path: Path) -> None:
    database = tmp_path / "old.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("CREATE TABLE warehouse_info (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
        con.execute("INSERT INTO warehouse_info VALUES ('schema_version', '0')")
    with warehouse.connect(database) as con, pytest.raises(warehouse.WarehouseMismatch, match="move the old"):
        warehouse.create_schema(con)


def test_coding_on_several_processes_gives_the_same_mentions(tmp_path: Path) -> None:
    import polars as pl

    paths = pipeline.RunPaths(landing=tmp_path / "landing", quarantine=tmp_path / "quarantine",
                              staging=tmp_path / "staging" / "run", database=tmp_path / "events.duckdb")
    shutil.copytree(SAMPLES_DIR / "news", paths.landing, ignore=shutil.ignore_patterns("README.md"))
    pipeline.stage_articles(paths)
    results = []
    for workers in (1, 2):
        staged = pipeline.stage_mentions(paths, chunk_articles=5, workers=workers)
        results.append((staged, pipeline.read_coded(paths).sort(pl.all())))
    (one, coded_one), (two, coded_two) = results
    assert one == two and one.mentions > 0
    assert coded_one.equals(coded_two)
