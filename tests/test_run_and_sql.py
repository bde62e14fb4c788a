"""`geoevents demo`, `geoevents run` and `geoevents sql` as users run them, paths from the environment."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import polars as pl
import pytest


def _run(command: list[str], *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory, geoevents_command: list[str]):
    import os

    root = tmp_path_factory.mktemp("cli")
    env = dict(os.environ, GEOEVENTS_WAREHOUSE_DIR=str(root / "warehouse"), DAGSTER_HOME=str(root / "dagster"))
    (root / "dagster").mkdir()
    result = _run(geoevents_command, "demo", env=env)
    assert result.returncode == 0, result.stderr
    return root / "warehouse", env, result


def test_demo_prints_a_summary_and_fills_the_configured_warehouse(demo_warehouse) -> None:
    folder, _, result = demo_warehouse
    assert (folder / "events.duckdb").is_file()
    assert (folder / "landing" / "samples").is_dir()
    for expected in ("new articles", "quarantined", "events by CAMEO root code", "top dyads", "query it",
                     str(folder / "events.duckdb")):
        assert expected in result.stdout, expected


def test_run_again_finds_nothing_new(demo_warehouse, geoevents_command: list[str]) -> None:
    _, env, _ = demo_warehouse
    result = _run(geoevents_command, "run", env=env)
    assert result.returncode == 0, result.stderr
    assert "0 new landing files, 0 new articles" in result.stdout


def test_sql_prints_a_table(demo_warehouse, geoevents_command: list[str]) -> None:
    _, env, _ = demo_warehouse
    result = _run(geoevents_command, "sql", "SELECT count(*) AS n_articles FROM articles", env=env)
    assert result.returncode == 0, result.stderr
    assert "n_articles" in result.stdout and "32" in result.stdout


def test_sql_exports_csv_json_and_parquet(demo_warehouse, geoevents_command: list[str], tmp_path: Path) -> None:
    _, env, _ = demo_warehouse
    query = "SELECT global_event_id, event_date, actor1_code, event_code FROM events ORDER BY global_event_id"
    csv_file, parquet_file = tmp_path / "out" / "events.csv", tmp_path / "events.parquet"
    assert _run(geoevents_command, "sql", query, "--format", "csv", "-o", str(csv_file), env=env).returncode == 0
    assert _run(geoevents_command, "sql", query, "--format", "parquet", "-o", str(parquet_file),
                env=env).returncode == 0
    as_json = _run(geoevents_command, "sql", query, "--format", "json", env=env)
    assert as_json.returncode == 0, as_json.stderr
    rows = [json.loads(line) for line in as_json.stdout.splitlines()]
    from_csv, from_parquet = pl.read_csv(csv_file), pl.read_parquet(parquet_file)
    assert len(rows) == from_csv.height == from_parquet.height > 0
    assert from_parquet["global_event_id"].to_list() == [row["global_event_id"] for row in rows] \
        == from_csv["global_event_id"].to_list()


def test_sql_opens_the_warehouse_read_only(demo_warehouse, geoevents_command: list[str]) -> None:
    _, env, _ = demo_warehouse
    result = _run(geoevents_command, "sql", "DELETE FROM events", env=env)
    assert result.returncode == 4
    assert "read-only" in result.stderr.lower()
    count = _run(geoevents_command, "sql", "SELECT count(*) FROM events", "--format", "csv", env=env)
    assert int(count.stdout.splitlines()[1]) > 0


def test_sql_explains_usage_errors(demo_warehouse, geoevents_command: list[str], tmp_path: Path) -> None:
    _, env, _ = demo_warehouse
    assert _run(geoevents_command, "sql", "SELECT 1", "--format", "parquet", env=env).returncode == 2
    missing = _run(geoevents_command, "sql", "SELECT 1", "--database", str(tmp_path / "none.duckdb"), env=env)
    assert missing.returncode == 4 and "geoevents run" in missing.stderr
