"""Backfills and re-coding: a dictionary edit re-codes only the publication days it changes."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from etl import pipeline
from etl.settings import LANG_DIR

ARTICLES = [  # one article per publication day
    {"id": "day1", "lang": "en", "published_at": "2025-03-04",
     "text": "Indonesian police arrested two Malaysian nationals in Batam on Tuesday."},
    {"id": "day2", "lang": "en", "published_at": "2025-03-05",
     "text": "Zorvan Kettel met Indonesian President Prabowo Subianto in Jakarta on Wednesday."},
    {"id": "day3", "lang": "en", "published_at": "2025-03-06",
     "text": "Thai troops shelled Cambodian border posts on Thursday, the Cambodian defence ministry said."},
]
# A new leader the dictionaries do not know yet; only day 2's article names him.
NEW_PERSON = "Zorvan Kettel\tPOLGOV\t2024-01-01\t\tinvented for the re-coding test"


def rows_by_article(database: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute("SELECT article_id, * EXCLUDE (article_id) FROM mentions ORDER BY ALL").fetchall()
    found: dict[str, list[tuple]] = {}
    for row in rows:
        found.setdefault(row[0], []).append(row)
    return found


@pytest.fixture
def coded_warehouse(tmp_path: Path) -> pipeline.RunPaths:
    paths = pipeline.RunPaths(landing=tmp_path / "landing", quarantine=tmp_path / "quarantine",
                              staging=tmp_path / "staging" / "run", database=tmp_path / "warehouse" / "events.duckdb")
    paths.landing.mkdir()
    (paths.landing / "news.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    pipeline.run_pipeline(paths)
    return paths


def test_nothing_is_stale_after_a_run_and_an_unchanged_backfill_rewrites_nothing(coded_warehouse) -> None:
    database = coded_warehouse.database
    assert pipeline.stale_days(database) == []
    before = rows_by_article(database)
    days = [dt.date(2025, 3, d) for d in (4, 5, 6)]
    report = pipeline.recode_days(days, database)
    assert report.days == 3 and report.changed_days == () and report.articles == 3
    assert rows_by_article(database) == before


def test_a_new_dictionary_entry_recodes_only_the_day_it_changes(coded_warehouse, tmp_path: Path,
                                                               geoevents_command: list[str]) -> None:
    database = coded_warehouse.database
    before = rows_by_article(database)
    assert not any(row for row in before.get("day2", []) if "POLGOV" in row)
    edited = tmp_path / "lang"
    shutil.copytree(LANG_DIR, edited)
    with (edited / "xx" / "people.tsv").open("a", encoding="utf-8") as people:
        people.write(NEW_PERSON + "\n")
    env = dict(os.environ, GEOEVENTS_LANG_DIR=str(edited), GEOEVENTS_WAREHOUSE_DIR=str(database.parent),
               DAGSTER_HOME=str(tmp_path / "dagster"))
    (tmp_path / "dagster").mkdir()
    result = subprocess.run(geoevents_command + ["backfill", "--stale"], env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "re-coded 3 days from 2025-03-04 to 2025-03-06; 1 changed (2025-03-05)" in result.stdout
    after = rows_by_article(database)
    assert after["day1"] == before["day1"] and after["day3"] == before["day3"], "other days are not touched"
    assert any("POLGOV" in row for row in after["day2"]), after["day2"]
    with duckdb.connect(str(database), read_only=True) as con:
        versions = {row[0] for row in con.execute("SELECT DISTINCT coder_version FROM coded_days").fetchall()}
        events_of_day2 = con.execute("""
            SELECT e.actor1_code, e.event_code, e.actor2_code, e.coder_version FROM events e
            JOIN mentions m USING (global_event_id) WHERE m.article_id = 'day2'
        """).fetchall()
    new_version = versions.pop()
    assert not versions, "every day is stamped with the new coder version"
    assert any(row[0] == "POLGOV" and row[3] == new_version for row in events_of_day2)
    again = subprocess.run(geoevents_command + ["backfill", "--stale"], env=env, capture_output=True, text=True,
                           timeout=300)
    assert "nothing to do" in again.stdout
