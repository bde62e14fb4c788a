"""What users and strangers type never reaches SQL as code, and the SQL command cannot change anything."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from etl import pipeline
from etl.settings import PROJECT_DIR
from etl.sources import SourcesError, parse_sources

HOSTILE_FILE_NAME = "a'); DROP TABLE articles; --.jsonl"


@pytest.fixture(scope="module")
def warehouse_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("security")
    paths = pipeline.RunPaths(landing=root / "warehouse" / "landing", quarantine=root / "warehouse" / "quarantine",
                              staging=root / "warehouse" / "staging" / "run", database=root / "warehouse" / "events.duckdb")
    paths.landing.mkdir(parents=True)
    (paths.landing / HOSTILE_FILE_NAME).write_text(json.dumps({
        "id": "x'); DELETE FROM events; --", "lang": "en", "published_at": "2025-03-06",
        "source": "Robert'); DROP TABLE mentions;--",
        "text": "Indonesian police arrested two Malaysian nationals in Batam on Tuesday."}) + "\n", encoding="utf-8")
    pipeline.run_pipeline(paths)
    return paths.database, dict(os.environ, GEOEVENTS_WAREHOUSE_DIR=str(root / "warehouse"))


def counts(database: Path) -> tuple:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM mentions), "
                           "(SELECT count(*) FROM events)").fetchone()


def geoevents(command: list[str], env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(command + list(args), env=env, capture_output=True, text=True, timeout=120)


def test_hostile_file_names_and_fields_are_stored_as_data(warehouse_env) -> None:
    database, _ = warehouse_env
    with duckdb.connect(str(database), read_only=True) as con:
        row = con.execute("SELECT id, file, source FROM articles").fetchone()
    assert row == ("x'); DELETE FROM events; --", HOSTILE_FILE_NAME, "Robert'); DROP TABLE mentions;--")
    assert counts(database) == (1, 1, 1)


@pytest.mark.parametrize("statement", [
    "DELETE FROM events",
    "DROP TABLE articles",
    "CREATE TABLE evil AS SELECT 1",
    "COPY events TO '{tmp}/leak.csv'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "ATTACH '{tmp}/evil.duckdb' AS evil",
    "SET enable_external_access = true",
    "INSTALL httpfs",
])
def test_the_sql_command_changes_nothing_and_reads_no_files(statement: str, warehouse_env, tmp_path: Path,
                                                          geoevents_command: list[str]) -> None:
    database, env = warehouse_env
    before = counts(database)
    result = geoevents(geoevents_command, env, "sql", statement.format(tmp=tmp_path))
    assert result.returncode == 4, result.stdout
    assert counts(database) == before
    assert not list(tmp_path.iterdir()), "no file was written"


def test_options_are_values_not_sql(warehouse_env, tmp_path: Path, geoevents_command: list[str]) -> None:
    database, env = warehouse_env
    before = counts(database)
    injected = "x'; DROP TABLE events; --"
    assert geoevents(geoevents_command, env, "sql", "SELECT 1", "--database", injected).returncode == 4
    assert geoevents(geoevents_command, env, "sql", "SELECT 1", "--format", "csv; DROP TABLE events").returncode == 2
    assert geoevents(geoevents_command, env, "report", "-o", str(tmp_path / "r.html"),
                     "--actors", "CHN'); DROP TABLE events; --").returncode == 2
    assert geoevents(geoevents_command, env, "export-gdelt", "--from", "2025-01-01'; DROP TABLE events; --",
                     "--to", "2025-12-31", "-o", str(tmp_path / "x.CSV")).returncode == 2
    assert geoevents(geoevents_command, env, "backfill", "--from", "2025-01-01' OR 1=1 --",
                     "--to", "2025-01-02").returncode == 2
    assert counts(database) == before


def test_source_names_are_validated_identifiers() -> None:
    with pytest.raises(SourcesError):
        parse_sources({"sources": [{"name": "x'; DROP TABLE source_health; --", "kind": "feed",
                                    "url": "https://example.org/feed.xml"}]}, base_dir=Path("."))


def test_servers_bind_to_loopback_by_default() -> None:
    run_script = (PROJECT_DIR / "run").read_text(encoding="utf-8")
    assert '--host "${GEOEVENTS_UI_HOST:-127.0.0.1}"' in run_script
    assert "0.0.0.0" not in run_script
