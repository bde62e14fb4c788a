"""Publishing the warehouse to a real PostgreSQL server (tests/postgres_server.py), read back with psql and
SQLAlchemy as BI tools read it: counts, types, the read-only role, atomic replacement under concurrent readers,
and passwords kept out of every message."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from postgres_server import PostgresServer, PostgresUnavailable, start_postgres

from etl import publish_postgres as pp
from etl import warehouse

READER = "geoevents_reader"
#: (event code, Goldstein, QuadClass) of the synthetic events; all in the codebook.
CODES = [("010", 0.0, 1), ("020", 3.0, 1), ("036", 4.0, 1), ("042", 1.9, 1), ("057", 8.0, 1),
         ("111", -2.0, 3), ("112", -2.0, 3), ("141", -6.5, 3), ("173", -5.0, 4), ("190", -10.0, 4)]
COUNTRIES = ["CHN", "RUS", "USA", "IDN", "THA", "KHM", "GBR"]
TEST_VIEW = "test_daily_counts"


# -- fixtures ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg() -> PostgresServer:
    try:
        server = start_postgres()
    except PostgresUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _no_reader_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pp.READER_PASSWORD_VARIABLE, raising=False)


def insert_events(database: Path, count: int, first_id: int) -> None:
    """`count` synthetic events with ids from `first_id`: varied dates, dyads, codes; some NULLs and ''."""
    codes = "[" + ", ".join(f"{{'c': '{c}', 'g': {g}, 'q': {q}}}" for c, g, q in CODES) + "]"
    countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
    with warehouse.connect(database) as con:
        con.execute(f"""
            INSERT INTO events BY NAME
            WITH base AS (
                SELECT i, DATE '2025-01-01' + CAST(i % 120 AS INTEGER) AS d,
                       {codes}[1 + i % {len(CODES)}] AS code,
                       {countries}[1 + i % {len(COUNTRIES)}] AS a1,
                       {countries}[1 + (i // 3 + 1) % {len(COUNTRIES)}] AS a2
                FROM range(?, ? + ?) t(i)
            )
            SELECT i AS global_event_id,
                   CAST(strftime(d, '%Y%m%d') AS INTEGER) AS sql_date,
                   CAST(strftime(d, '%Y%m') AS INTEGER) AS month_year,
                   year(d) AS year,
                   year(d) + (month(d) * 30 + day(d)) / 365 AS fraction_date,
                   d AS event_date,
                   a1 || 'GOV' AS actor1_code,
                   CASE WHEN i % 11 = 0 THEN '' ELSE a1 || ' government' END AS actor1_name,
                   a1 AS actor1_country_code, 'GOV' AS actor1_type1_code,
                   CASE WHEN i % 5 = 0 THEN NULL ELSE a2 || 'MIL' END AS actor2_code,
                   CASE WHEN i % 5 = 0 THEN NULL ELSE a2 || ' military' END AS actor2_name,
                   CASE WHEN i % 5 = 0 THEN NULL ELSE a2 END AS actor2_country_code,
                   CAST(i % 2 AS INTEGER) AS is_root_event,
                   code.c AS event_code, left(code.c, 3) AS event_base_code, left(code.c, 2) AS event_root_code,
                   code.q AS quad_class, code.g AS goldstein_scale,
                   CAST(1 + i % 4 AS INTEGER) AS num_mentions, CAST(1 + i % 3 AS INTEGER) AS num_sources,
                   CAST(1 + i % 3 AS INTEGER) AS num_articles, (i % 21) - 10.25 AS avg_tone,
                   4 AS action_geo_type, 'Jakarta, Jakarta Raya, Indonesia' AS action_geo_fullname,
                   'ID' AS action_geo_country_code, -6.2 + (i % 100) / 1000 AS action_geo_lat,
                   106.8 AS action_geo_long, '1642911' AS action_geo_feature_id,
                   CAST(strftime(d, '%Y%m%d') || '120000' AS BIGINT) AS date_added,
                   'https://news.example/' || i || '?q="x",y' AS source_url, 'geoevents' AS source,
                   'IDN' AS action_geo_country_iso3, 'test' AS coder_version
            FROM base
        """, [first_id, first_id, count])


def build_warehouse(database: Path, events: int) -> Path:
    with warehouse.connect(database) as con:
        warehouse.create_schema(con)  # the tables, the codebook and the marts of sql/views
        warehouse.load_codebook(con)
        con.execute(f"""
            CREATE OR REPLACE VIEW {TEST_VIEW} AS
            SELECT event_date, count(*) AS events, sum(num_mentions) AS mentions, avg(goldstein_scale) AS goldstein
            FROM events GROUP BY event_date
        """)
    insert_events(database, events, first_id=1)
    return database


def duckdb_counts(database: Path, relations) -> dict[str, int]:
    with warehouse.connect(database, read_only=True) as con:
        return {r: con.execute(f'SELECT count(*) FROM "{r}"').fetchone()[0] for r in relations}


def engine(pg: PostgresServer, user: str, password: str) -> sa.Engine:
    url = sa.URL.create("postgresql+psycopg", username=user, password=password, host=pg.host, port=pg.port,
                        database=pg.database)
    return sa.create_engine(url, pool_size=2, pool_pre_ping=True)


def psql_value(pg: PostgresServer, query: str, **kwargs) -> str:
    return pg.psql(query, **kwargs).stdout.strip()


# -- tests -------------------------------------------------------------------------------------------------------


def test_publishes_events_and_marts_with_their_counts_types_and_keys(pg: PostgresServer, tmp_path: Path) -> None:
    database = build_warehouse(tmp_path / "events.duckdb", 400)
    report = pp.publish_to_postgres(database, pg.writer_url())

    with warehouse.connect(database, read_only=True) as con:
        views = pp._warehouse_views(con)
    assert TEST_VIEW in views and set(report.marts) == set(views)
    assert report.tables == duckdb_counts(database, ["events", *views])
    assert report.tables["events"] == 400 and report.loader == "duckdb-postgres"
    assert pg.writer_password not in report.target and "***" in report.target

    # psql, as the writer (password in PGPASSWORD): every table holds the warehouse's rows.
    for name, rows in report.tables.items():
        assert psql_value(pg, f"SELECT count(*) FROM geoevents.{name}") == str(rows), name
    # SQLAlchemy + psycopg: types and keys as BI tools will see them.
    writer = engine(pg, pg.writer, pg.writer_password)
    try:
        with writer.connect() as con:
            types = dict(con.execute(sa.text(
                "SELECT column_name, data_type || ':' || is_nullable FROM information_schema.columns "
                "WHERE table_schema = 'geoevents' AND table_name = 'events'")).all())
            assert types["global_event_id"] == "bigint:NO"
            assert types["event_date"] == "date:NO"
            assert types["sql_date"] == "integer:NO"
            assert types["goldstein_scale"] == "double precision:NO"
            assert types["actor1_name"] == "text:YES"
            assert types["avg_tone"] == "double precision:YES"
            mart = dict(con.execute(sa.text(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'geoevents' AND table_name = :t"), {"t": TEST_VIEW}).all())
            assert mart == {"event_date": "date", "events": "bigint", "mentions": "bigint",
                            "goldstein": "double precision"}
            indexes = {row[0] for row in con.execute(sa.text(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'geoevents' AND tablename = 'events'"))}
            assert any("UNIQUE" in d and "(global_event_id)" in d for d in indexes), indexes
            assert any("(event_date)" in d for d in indexes), indexes
            assert any("(event_date)" in row[0] for row in con.execute(sa.text(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'geoevents' AND tablename = :t"), {"t": TEST_VIEW}))
            analyzed = con.execute(sa.text(  # reltuples is -1 until a table is analysed
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'geoevents' AND c.relkind = 'r' AND c.reltuples >= 0")).scalar_one()
            assert analyzed == len(report.tables)
            # Values survive the trip: '' stays '', NULL stays NULL, quotes and commas in text.
            summary = con.execute(sa.text(
                "SELECT count(*) FILTER (WHERE actor1_name = ''), count(*) FILTER (WHERE actor2_code IS NULL), "
                "sum(goldstein_scale), sum(avg_tone), min(source_url) FROM geoevents.events")).one()
            mart_total = con.execute(sa.text(f"SELECT sum(events), sum(mentions) FROM geoevents.{TEST_VIEW}")).one()
    finally:
        writer.dispose()
    with warehouse.connect(database, read_only=True) as con:
        expected = con.execute(
            "SELECT count(*) FILTER (WHERE actor1_name = ''), count(*) FILTER (WHERE actor2_code IS NULL), "
            "sum(goldstein_scale), sum(avg_tone), min(source_url) FROM events").fetchone()
        expected_mart = con.execute(f"SELECT sum(events), sum(mentions) FROM {TEST_VIEW}").fetchone()
    assert summary[:2] == expected[:2] and summary[0] > 0 and summary[1] > 0
    assert summary[2] == pytest.approx(expected[2]) and summary[3] == pytest.approx(expected[3])
    assert summary[4] == expected[4] and '"x",y' in summary[4]
    assert tuple(mart_total) == tuple(expected_mart)


def test_both_loaders_publish_the_same_rows(pg: PostgresServer, tmp_path: Path) -> None:
    database = build_warehouse(tmp_path / "events.duckdb", 300)
    views = [TEST_VIEW]
    fast = pp.publish_to_postgres(database, pg.writer_url(), views=views, schema="geoevents_ext", loader="duckdb")
    csv = pp.publish_to_postgres(database, pg.writer_url(), views=views, schema="geoevents_csv", loader="copy")
    assert (fast.loader, csv.loader) == ("duckdb-postgres", "psycopg-csv-copy")
    assert fast.tables == csv.tables == {"events": 300, TEST_VIEW: 120}
    for table, key in (("events", "global_event_id"), (TEST_VIEW, "event_date")):
        digests = {
            schema: psql_value(pg, f"SELECT md5(string_agg(t::text, '|' ORDER BY {key})) FROM {schema}.{table} t")
            for schema in ("geoevents_ext", "geoevents_csv")
        }
        assert len(set(digests.values())) == 1, (table, digests)
    structure = {
        schema: psql_value(pg, "SELECT string_agg(table_name || '.' || column_name || ' ' || data_type || ' ' || "
                               "is_nullable, ', ' ORDER BY table_name, ordinal_position) FROM "
                               f"information_schema.columns WHERE table_schema = '{schema}'")
        for schema in ("geoevents_ext", "geoevents_csv")
    }
    assert structure["geoevents_ext"] == structure["geoevents_csv"]


def test_the_reader_role_can_read_but_not_write(pg: PostgresServer, tmp_path: Path) -> None:
    database = build_warehouse(tmp_path / "events.duckdb", 200)
    reader_password = "reader-" + pg.writer_password[2:10] + "@:/%'x"
    pp.publish_to_postgres(database, pg.writer_url(), views=[TEST_VIEW], reader_password=reader_password)

    def as_reader(query: str):
        return pg.psql(query, user=READER, password=reader_password, check=False)

    # The role's search_path starts with the schema: BI tools may write `events`.
    assert as_reader("SELECT count(*) FROM events").stdout.strip() == "200"
    assert as_reader(f"SELECT count(*) FROM geoevents.{TEST_VIEW}").stdout.strip() == "120"
    read_write = "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; "
    for statement, refusal in (
        ("INSERT INTO geoevents.events (global_event_id) VALUES (-1)", "permission denied"),
        ("UPDATE geoevents.events SET avg_tone = 0", "permission denied"),
        ("DELETE FROM geoevents.events", "permission denied"),
        ("TRUNCATE geoevents.events", "permission denied"),
        ("DROP TABLE geoevents.events", "must be owner"),
        ("DROP SCHEMA geoevents CASCADE", "must be owner"),
        ("CREATE TABLE geoevents.mine (x int)", "permission denied"),
    ):
        result = as_reader(read_write + statement)
        assert result.returncode != 0 and refusal in result.stderr, (statement, result.stderr)
    # Without asking for READ WRITE the session is read-only to begin with.
    assert "read-only transaction" in as_reader("INSERT INTO geoevents.events (global_event_id) VALUES (-1)").stderr
    assert psql_value(pg, "SELECT count(*) FROM geoevents.events") == "200"

    reader = engine(pg, READER, reader_password)
    try:
        with reader.connect() as con:
            assert con.execute(sa.text("SELECT count(*) FROM geoevents.events")).scalar_one() == 200
            with pytest.raises(sa.exc.DBAPIError, match="permission denied|read-only"):
                con.execute(sa.text("DELETE FROM geoevents.events"))
    finally:
        reader.dispose()
    # A wrong password is refused, and the role cannot log in at all without one (NOLOGIN by default).
    assert as_reader("SELECT 1").returncode == 0
    assert pg.psql("SELECT 1", user=READER, password="wrong", check=False).returncode != 0
    assert psql_value(pg, f"SELECT rolcanlogin, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = '{READER}'") \
        == "t|f|f"


def test_republishing_replaces_the_data_atomically_while_readers_query(pg: PostgresServer, tmp_path: Path) -> None:
    database = build_warehouse(tmp_path / "events.duckdb", 20_000)
    reader_password = "rd" + pg.writer_password[2:12]
    views = [TEST_VIEW, "dyad_day_events"] if "dyad_day_events" in duckdb_views(database) else [TEST_VIEW]
    pp.publish_to_postgres(database, pg.writer_url(), views=views, reader_password=reader_password)
    counts = [20_000]

    stop = threading.Event()
    seen: dict[str, list[tuple[float, int]]] = {"sqlalchemy": [], "psql": [], "mart": []}
    errors: list[str] = []

    def sqlalchemy_reader() -> None:
        reader = engine(pg, READER, reader_password)
        try:
            while not stop.is_set():
                with reader.connect() as con:
                    events = con.execute(sa.text("SELECT count(*) FROM geoevents.events")).scalar_one()
                    seen["sqlalchemy"].append((time.monotonic(), events))
                    total = con.execute(sa.text(f"SELECT sum(events) FROM geoevents.{TEST_VIEW}")).scalar_one()
                    seen["mart"].append((time.monotonic(), int(total or 0)))
        except Exception as error:  # any error fails the test
            errors.append(f"sqlalchemy: {error}")
        finally:
            reader.dispose()

    def psql_reader() -> None:
        while not stop.is_set():
            result = pg.psql("SELECT count(*) FROM geoevents.events", user=READER, password=reader_password,
                             check=False)
            if result.returncode != 0 or not result.stdout.strip():
                errors.append(f"psql: {result.returncode} {result.stderr.strip()}")
                return
            seen["psql"].append((time.monotonic(), int(result.stdout)))

    threads = [threading.Thread(target=sqlalchemy_reader), threading.Thread(target=psql_reader)]
    for thread in threads:
        thread.start()
    windows = []
    try:
        time.sleep(0.3)
        for added, loader in ((7_000, "duckdb"), (5_000, "copy")):
            insert_events(database, added, first_id=counts[-1] + 1)
            counts.append(counts[-1] + added)
            began = time.monotonic()
            report = pp.publish_to_postgres(database, pg.writer_url(), views=views, loader=loader,
                                            reader_password=reader_password)
            windows.append((began, time.monotonic()))
            assert report.tables["events"] == counts[-1]
            time.sleep(0.2)
        # Let every reader answer at least once after the last publish.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not errors and not all(
                observed and observed[-1][0] > windows[-1][1] for observed in seen.values()):
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    for name in ("sqlalchemy", "psql", "mart"):
        values = [value for _, value in seen[name]]
        assert values, name
        # Every answer is one whole version (never empty or partial), and versions only move forward.
        assert set(values) <= set(counts), (name, sorted(set(values)))
        assert values == sorted(values), name
        assert values[0] == counts[0] and values[-1] == counts[-1], name
    during = [v for t, v in seen["sqlalchemy"] if any(a <= t <= b for a, b in windows)]
    assert len(during) >= 3, "the reader should have been answered while publishing"
    assert psql_value(pg, "SELECT count(*) FROM geoevents.events") == str(counts[-1])
    # Only the published schemas are left: no staging schema, no old version.
    schemas = psql_value(pg, "SELECT string_agg(nspname, ',') FROM pg_namespace WHERE nspname LIKE 'geoevents%'")
    assert "__staging" not in schemas and "__retired" not in schemas, schemas


def duckdb_views(database: Path) -> list[str]:
    with warehouse.connect(database, read_only=True) as con:
        return pp._warehouse_views(con)


def test_passwords_never_appear_in_errors_or_logs(pg: PostgresServer, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    database = build_warehouse(tmp_path / "events.duckdb", 50)
    secret = pg.writer_password
    forms = (secret, quote(secret, safe=""), quote(secret))
    caplog.set_level(logging.DEBUG)

    def refused(url: str, **options) -> pp.PublishError:
        with pytest.raises(pp.PublishError) as caught:
            pp.publish_to_postgres(database, url, **options)
        error = caught.value
        assert error.__cause__ is None and error.__context__ is None  # nothing chained can leak the original
        text = str(error) + repr(error.args)
        assert not any(form in text for form in forms), text
        return error

    wrong = pg.url(pg.writer, secret + "x")  # the real password is a prefix of this one
    assert "password authentication failed" in str(refused(wrong))
    assert "***" in str(refused(pg.url(pg.writer, secret).replace(f":{pg.port}/", ":99999/")))
    refused(f"postgresql://{pg.writer}:{quote(secret, safe='')}@127.0.0.1:notaport/x")
    assert "invalid URI query parameter" in str(refused(pg.writer_url() + "?no_such_option=1"))
    assert "IPv6" in str(refused(f"postgresql://{pg.writer}:{quote(secret, safe='')}@[::1/x"))
    refused(f"host=127.0.0.1 port={pg.port} dbname={pg.database} user=nobody password={secret}")

    # DuckDB quotes its whole conninfo when its own connection fails: a role allowed one connection lets
    # the publisher's control connection in and makes DuckDB's ATTACH fail.
    limited = "publisher_one_connection"
    pg.psql(f"CREATE ROLE {limited} LOGIN CONNECTION LIMIT 1 PASSWORD '{secret}'; "
            f"GRANT CREATE ON DATABASE {pg.database} TO {limited}",
            user=pg.superuser, password=pg.superuser_password)
    error = refused(pg.url(limited, secret), schema="limited_publish", reader_role=None, loader="duckdb")
    assert "too many connections" in str(error) and "***" in str(error)

    # A publish that works logs where it published to, redacted.
    pp.publish_to_postgres(database, pg.writer_url(), views=[])
    assert any("published" in r.getMessage() for r in caplog.records)
    for record in caplog.records:
        assert not any(form in record.getMessage() for form in forms), record.getMessage()


def test_redaction_helpers() -> None:
    url = "postgresql://writer:s3cr%40t%3Apw@db.example:5432/geoevents?sslmode=require"
    assert pp.redact_url(url) == "postgresql://writer:***@db.example:5432/geoevents?sslmode=require"
    assert pp.redact_url("postgresql://writer@db.example/geoevents") == "postgresql://writer@db.example/geoevents"
    message = "failed at \"host=db password='s3cr@t:pw' user=writer\" (s3cr@t:pw, s3cr%40t%3Apw)"
    assert "s3cr" not in pp.redact(message, url)
    assert "s3cr" not in pp.redact("postgresql://u:s3cr@t@h/db password=s3cr@t", "s3cr@t")
    assert pp.redact("postgresql://u:s3cr@t@h/db") == "postgresql://u:***@h/db"  # a URL redacts itself
    assert pp.redact("host=h password=s3cr3t user=u") == "host=h password=*** user=u"


def test_publishing_is_off_without_a_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(pp.URL_VARIABLE, raising=False)
    assert pp.postgres_url() is None and pp.publish_configured(tmp_path / "none.duckdb") is None
    monkeypatch.setenv(pp.URL_VARIABLE, "  postgresql://w:p@h/db  ")
    assert pp.postgres_url() == "postgresql://w:p@h/db"


@pytest.mark.parametrize("options", [
    {"schema": "Geoevents"}, {"schema": "geo; DROP SCHEMA public"}, {"schema": "1geo"}, {"schema": "x" * 64},
    {"reader_role": "reader\"; --"}, {"tables": ["events", "Events"]}, {"views": ["a-b"]}, {"loader": "magic"},
])
def test_identifiers_are_validated_before_anything_runs(options: dict, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        pp.publish_to_postgres(tmp_path / "none.duckdb", "postgresql://w:p@127.0.0.1:1/db", **options)


def test_a_schema_geoevents_did_not_create_is_never_replaced(pg: PostgresServer, tmp_path: Path) -> None:
    database = build_warehouse(tmp_path / "events.duckdb", 20)
    pg.psql("CREATE SCHEMA someone_elses; CREATE TABLE someone_elses.keep (x int)")
    with pytest.raises(pp.PublishError, match="not created by geoevents"):
        pp.publish_to_postgres(database, pg.writer_url(), schema="someone_elses", views=[])
    assert psql_value(pg, "SELECT count(*) FROM someone_elses.keep") == "0"


def test_missing_server_binaries_fail_with_install_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    import postgres_server

    monkeypatch.setattr(postgres_server, "_is_server_bindir", lambda folder: False)
    with pytest.raises(PostgresUnavailable, match="apt-get install -y postgresql"):
        postgres_server.find_bindir()


def test_a_missing_relation_is_an_error(pg: PostgresServer, tmp_path: Path) -> None:
    database = build_warehouse(tmp_path / "events.duckdb", 10)
    with pytest.raises(pp.PublishError, match="not in the warehouse: no_such_mart"):
        pp.publish_to_postgres(database, pg.writer_url(), views=["no_such_mart"], schema="geoevents_missing")
    assert psql_value(pg, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'geoevents_missing%'") == "0"
    # The warehouse file was released: it opens read-write again at once.
    with warehouse.connect(database, timeout_s=1) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 10


def test_a_failed_publish_leaves_the_published_version_alone(pg: PostgresServer, tmp_path: Path) -> None:
    database = build_warehouse(tmp_path / "events.duckdb", 100)
    pp.publish_to_postgres(database, pg.writer_url(), views=[TEST_VIEW], schema="geoevents_failing")
    insert_events(database, 50, first_id=101)
    with warehouse.connect(database) as con:  # a mart that fails only when it is read
        con.execute("CREATE VIEW broken_mart AS SELECT CAST(actor1_code AS INTEGER) AS n FROM events")
    with pytest.raises(pp.PublishError, match="broken_mart|Conversion"):
        pp.publish_to_postgres(database, pg.writer_url(), views=[TEST_VIEW, "broken_mart"], schema="geoevents_failing")
    assert psql_value(pg, "SELECT count(*) FROM geoevents_failing.events") == "100"
    assert psql_value(pg, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'geoevents_failing_%'") == "0"


def test_duplicate_event_ids_get_an_index_instead_of_a_key(pg: PostgresServer, tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    database = build_warehouse(tmp_path / "events.duckdb", 30)
    insert_events(database, 5, first_id=1)
    report = pp.publish_to_postgres(database, pg.writer_url(), views=[], schema="geoevents_dups")
    assert report.tables == {"events": 35}
    assert "not unique" in caplog.text
    indexes = psql_value(pg, "SELECT string_agg(indexdef, ';') FROM pg_indexes WHERE schemaname = 'geoevents_dups'")
    assert "(global_event_id)" in indexes and "UNIQUE" not in indexes


def test_bi_readers_query_postgres_while_the_dagster_pipeline_publishes(pg: PostgresServer, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole path: a Dagster run codes news and publishes; psql and SQLAlchemy readers keep answering."""
    import dagster as dg

    from etl.defs.resources import PipelineStorage
    from etl.runner import run_ingest_job
    from etl.settings import SAMPLES_DIR

    reader_password = "read-only pass@word"
    monkeypatch.setenv("GEOEVENTS_POSTGRES_URL", pg.writer_url())
    monkeypatch.setenv(pp.READER_PASSWORD_VARIABLE, reader_password)
    storage = PipelineStorage(landing_dir=str(tmp_path / "landing"), quarantine_dir=str(tmp_path / "quarantine"),
                              staging_dir=str(tmp_path / "staging"), database=str(tmp_path / "events.duckdb"),
                              exports_dir=str(tmp_path / "exports"))
    lines = (SAMPLES_DIR / "news" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "landing").mkdir()
    (tmp_path / "landing" / "first.jsonl").write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")
    count = "SELECT count(*) FROM geoevents.events"
    with dg.instance_for_test() as instance:
        assert run_ingest_job(storage, instance=instance).success
        before = int(psql_value(pg, count, user=READER, password=reader_password))
        assert before > 0
        (tmp_path / "landing" / "second.jsonl").write_text("\n".join(lines[10:]) + "\n", encoding="utf-8")
        outcome: dict = {}
        run = threading.Thread(target=lambda: outcome.update(result=run_ingest_job(storage, instance=instance)))
        answers, errors = [], []
        reader_engine = engine(pg, READER, reader_password)
        run.start()
        while run.is_alive() or not answers:
            try:
                with reader_engine.connect() as connection:
                    answers.append(connection.execute(sa.text(count)).scalar_one())
                answers.append(int(psql_value(pg, count, user=READER, password=reader_password)))
            except Exception as error:  # any failure a BI tool would see
                errors.append(repr(error))
            time.sleep(0.05)
        run.join()
        reader_engine.dispose()
    assert outcome["result"].success
    after = int(psql_value(pg, count, user=READER, password=reader_password))
    with warehouse.connect(tmp_path / "events.duckdb", read_only=True) as con:
        assert after == con.execute("SELECT count(*) FROM events").fetchone()[0] > before
    assert not errors, errors[:3]
    assert set(answers) <= {before, after} and answers == sorted(answers)
