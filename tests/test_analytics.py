"""The analyst's side: the marts in sql/views, the worked questions in sql/examples, and the exports."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import pipeline
from etl.publish import publish
from etl.settings import SAMPLES_DIR, SQL_DIR

VIEWS = sorted((SQL_DIR / "views").glob("*.sql"))
EXAMPLES = sorted((SQL_DIR / "examples").glob("*.sql"))


@pytest.fixture(scope="module")
def samples_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("analytics")
    shutil.copytree(SAMPLES_DIR / "news", root / "landing", ignore=shutil.ignore_patterns("README.md"))
    paths = pipeline.RunPaths(landing=root / "landing", quarantine=root / "quarantine",
                              staging=root / "staging" / "run", database=root / "events.duckdb")
    pipeline.run_pipeline(paths)
    return paths.database


def example_of(path: Path) -> str:
    """The query after "-- Example:" in a view file's header comment."""
    header = [line[3:] for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("-- ")]
    start = next(i for i, line in enumerate(header) if line.startswith("Example:"))
    lines = [header[start][len("Example:"):]] + [line for line in header[start + 1 :] if line.startswith(" ")]
    return " ".join(line.strip() for line in lines)


@pytest.mark.parametrize("path", VIEWS, ids=[p.stem for p in VIEWS])
def test_every_mart_documents_a_question_and_its_example_runs(path: Path, samples_warehouse: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"-- {path.stem}"), "the header names what the file produces"
    assert "Answers:" in text and "Example:" in text
    with duckdb.connect(str(samples_warehouse), read_only=True) as con:
        rows = con.execute(example_of(path)).fetchall()
    assert rows, f"{path.stem}'s example returns nothing on the bundled samples"


def test_the_marts_agree_with_the_events(samples_warehouse: Path) -> None:
    with duckdb.connect(str(samples_warehouse), read_only=True) as con:
        dyadic = con.execute("SELECT count(*) FROM events WHERE actor1_code IS NOT NULL AND actor2_code IS NOT NULL"
                             ).fetchone()[0]
        assert con.execute("SELECT sum(events) FROM dyad_day_events").fetchone()[0] == dyadic
        shares = con.execute("SELECT max(abs(total - 1)) FROM (SELECT sum(share) AS total FROM "
                             "country_month_quad_shares GROUP BY country, month)").fetchone()[0]
        assert shares < 1e-9
        bad_index = con.execute("SELECT count(*) FROM dyad_week_cooperation_index "
                                "WHERE net_cooperation NOT BETWEEN -1 AND 1 OR actor_a > actor_b").fetchone()[0]
        assert bad_index == 0
        assert con.execute("SELECT max(rank) FROM actor_top_root_codes").fetchone()[0] <= 5
        between = con.execute("SELECT DISTINCT sentence, url FROM what_happened_between('CHN', 'RUS', "
                              "DATE '2025-05-01', DATE '2025-05-31')").fetchall()
        assert between and all(sentence for sentence, _ in between)


def test_ten_worked_questions_answer_on_the_samples(samples_warehouse: Path) -> None:
    assert len(EXAMPLES) >= 10
    with duckdb.connect(str(samples_warehouse), read_only=True) as con:
        for path in EXAMPLES:
            text = path.read_text(encoding="utf-8")
            assert re.match(r"-- Question: [^?]+\?", text), f"{path.name} starts with its question"
            assert con.execute(text).fetchall(), f"{path.name} returns nothing on the bundled samples"


def test_published_snapshot_and_parquet_match_the_warehouse(samples_warehouse: Path, tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    report = publish(samples_warehouse, exports)
    with duckdb.connect(str(samples_warehouse), read_only=True) as con:
        events, mentions = con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM mentions)").fetchone()
    reader = duckdb.connect(str(report.snapshot), read_only=True)
    assert reader.execute("SELECT count(*) FROM events").fetchone()[0] == events
    assert reader.execute("SELECT count(*) FROM dyad_day_events").fetchone()[0] > 0
    parquet = exports / "parquet" / "current"
    counted = duckdb.sql(f"SELECT count(*) FROM read_parquet('{parquet}/mentions/*/*/*.parquet', "
                         "hive_partitioning = true)").fetchone()[0]
    assert counted == mentions == report.rows["mentions"]
    assert {p.name for p in parquet.iterdir()} >= {"events", "mentions", "articles"} | {p.stem for p in VIEWS
                                                                                     if "MACRO" not in p.read_text()}
    # Publishing again swaps both in; a reader holding the old snapshot keeps a consistent answer.
    first_version = parquet.resolve()
    publish(samples_warehouse, exports)
    assert reader.execute("SELECT count(*) FROM events").fetchone()[0] == events
    reader.close()
    assert parquet.resolve() != first_version
    with duckdb.connect(str(report.snapshot), read_only=True) as fresh:
        assert fresh.execute("SELECT count(*) FROM events").fetchone()[0] == events
