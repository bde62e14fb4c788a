"""Code the bundled sample news into a DuckDB warehouse and print what came out.

This is the quickstart's main job until the Dagster pipeline takes over the same work: it reads the
samples, calls the coder core, and loads `articles` and `event_mentions` (schemas in sql/).
Re-running replaces the rows of the same articles, so it is idempotent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from pathlib import Path

import duckdb
import polars as pl

from etl.coder import EVENT_SCHEMA, code_documents, detect_language
from etl.coder.dates import find_dates
from etl.settings import PROJECT_DIR, SAMPLES_DIR, WAREHOUSE_DIR

SQL_DIR = PROJECT_DIR / "sql"
ARTICLE_COLUMNS = ("id", "title", "url", "source", "published_at", "lang", "text")


def _date_from_text(text: str, lang: str) -> str | None:
    """The first explicit date in the opening of an article (for text files without metadata)."""
    for mention in find_dates(text[:600], lang, dt.date.today()):
        if any(ch.isdigit() for ch in mention.text) and len(mention.text) > 6:
            return mention.day.isoformat()
    return None


def load_samples(folder: Path = SAMPLES_DIR / "news") -> pl.DataFrame:
    """Bundled articles: JSON Lines files and plain-text files."""
    rows: list[dict] = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                rows.append({column: record.get(column) for column in ARTICLE_COLUMNS})
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8").strip()
        lang = detect_language(text)
        rows.append({
            "id": "sample-" + path.stem,
            "title": text.splitlines()[0][:120],
            "url": None,
            "source": "bundled sample",
            "published_at": _date_from_text(text, lang),
            "lang": lang,
            "text": text,
        })
    for row in rows:
        if not row["id"]:
            row["id"] = hashlib.sha1(row["text"].encode()).hexdigest()[:16]
    return pl.DataFrame(rows, schema={column: pl.String for column in ARTICLE_COLUMNS}, orient="row")


def load_warehouse(con: duckdb.DuckDBPyConnection, articles: pl.DataFrame, mentions: pl.DataFrame) -> None:
    for name in ("articles", "event_mentions"):
        con.execute((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"))
    con.execute("BEGIN")
    con.register("new_articles", articles)
    con.register("new_mentions", mentions)
    con.execute("DELETE FROM event_mentions WHERE article_id IN (SELECT id FROM new_articles)")
    con.execute("DELETE FROM articles WHERE article_id IN (SELECT id FROM new_articles)")
    con.execute("""
        INSERT INTO articles (article_id, title, url, source, published_at, lang, text)
        SELECT id, title, url, source, TRY_CAST(published_at AS DATE), lang, text FROM new_articles
    """)
    columns = [c for c in EVENT_SCHEMA if c != "doc_id"]
    con.execute(f"""
        INSERT INTO event_mentions (article_id, {", ".join(columns)})
        SELECT doc_id, {", ".join(columns)} FROM new_mentions
    """)
    con.execute("COMMIT")
    con.unregister("new_articles")
    con.unregister("new_mentions")


def run_demo(database: Path | None = None) -> int:
    database = database or WAREHOUSE_DIR / "events.duckdb"
    database.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    articles = load_samples()
    mentions = code_documents(articles)
    with duckdb.connect(str(database)) as con:
        load_warehouse(con, articles, mentions)
        roots = con.sql("""
            SELECT event_root_code AS root, count(*) AS events FROM event_mentions
            GROUP BY ALL ORDER BY events DESC, root LIMIT 20
        """).fetchall()
        dyads = con.sql("""
            SELECT source_code, target_code, count(*) AS events FROM event_mentions
            WHERE target_code IS NOT NULL GROUP BY ALL ORDER BY events DESC, source_code, target_code LIMIT 10
        """).fetchall()
        totals = con.sql("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM event_mentions)").fetchone()
    elapsed = time.perf_counter() - started
    print(f"geoevents demo: coded {articles.height} bundled articles into {mentions.height} event mentions "
          f"in {elapsed:.1f} s")
    print(f"warehouse: {database} ({totals[0]} articles, {totals[1]} event mentions)")
    print("events by CAMEO root code: " + ", ".join(f"{root}:{count}" for root, count in roots))
    print("top dyads:")
    for source, target, count in dyads:
        print(f"  {source:>10} -> {target:<10} {count}")
    print(f'query it: .venv/bin/python -c "import duckdb; '
          f"print(duckdb.connect('{database}', read_only=True).sql('SELECT * FROM event_mentions LIMIT 5'))\"")
    return 0
