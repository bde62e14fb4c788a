"""The quickstart's main job writes a real DuckDB warehouse, and re-running it changes nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb


def test_demo_loads_the_warehouse_idempotently(geoevents_command: list[str], tmp_path: Path) -> None:
    database = tmp_path / "events.duckdb"
    counts = []
    for _ in range(2):
        result = subprocess.run(geoevents_command + ["demo", "--warehouse", str(database)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert "events by CAMEO root code" in result.stdout and "top dyads" in result.stdout
        with duckdb.connect(str(database), read_only=True) as con:
            counts.append(con.sql("""
                SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM event_mentions),
                       (SELECT count(DISTINCT article_id) FROM event_mentions)
            """).fetchone())
            orphans = con.sql("""
                SELECT count(*) FROM event_mentions m ANTI JOIN articles a ON a.article_id = m.article_id
            """).fetchone()[0]
            assert orphans == 0
    assert counts[0] == counts[1]
    articles, mentions, coded_articles = counts[0]
    assert articles >= 1 and mentions >= 5 and coded_articles >= 1
