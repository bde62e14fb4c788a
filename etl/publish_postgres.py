"""Publishing the warehouse into PostgreSQL, for BI tools that must never hold the live DuckDB file.

When GEOEVENTS_POSTGRES_URL (a libpq URL such as `postgresql://writer:secret@db.example:5432/geoevents`) is set,
each run copies the `events` table and the marts (the views of sql/views/, materialised as tables with their
current contents) into one PostgreSQL schema, `geoevents` by default. Metabase, Superset, Grafana, Tableau or
Power BI then read that schema with their stock PostgreSQL driver, as a read-only role.

How a publish goes:
1. A PostgreSQL advisory lock serialises publishers of the same schema.
2. The tables are created, with PostgreSQL types, in a fresh staging schema, and filled from the warehouse
   (opened read-only, only for the length of the copy) through DuckDB's postgres extension, which streams
   binary COPY (about twice as fast as CSV COPY through psycopg, which is the fallback when the extension
   is not installed).
3. Keys and indexes (events.global_event_id, date columns), grants to the reader role, ANALYZE.
4. One short transaction renames the published schema away and the staging schema into its place: it takes
   no lock on any table, so queries running meanwhile finish on the old tables and every later query sees
   the whole new version; a reader never sees a half-published schema.
5. The old version is dropped (RESTRICT, never CASCADE: an object someone built on it is never destroyed; the
   old version is then kept, with a warning, and retried at the next publish).

Passwords never reach logs or messages: URLs are shown through `redact_url`, a reader password is sent as a
SCRAM verifier (not in clear), and every error raised from here is a PublishError (or WarehouseBusy) whose
message went through `redact` and that carries no chained original error (DuckDB quotes connection strings).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import duckdb

from etl import warehouse
from etl.settings import DATABASE_PATH

URL_VARIABLE = "GEOEVENTS_POSTGRES_URL"
READER_PASSWORD_VARIABLE = "GEOEVENTS_POSTGRES_READER_PASSWORD"
DEFAULT_SCHEMA = "geoevents"
DEFAULT_READER_ROLE = "geoevents_reader"
#: PostgreSQL identifiers we create (schema, role, table names): lower case, unquoted-safe, at most 63 bytes.
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
#: Every schema this module creates carries a comment starting with this: it only ever replaces or drops those.
SCHEMA_MARK = "geoevents:"
#: The alias the PostgreSQL database is attached under in DuckDB.
ATTACHED = "geoevents_publish_target"
#: Tables that get a primary key when the warehouse declares none (the warehouse keeps them unique).
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {"events": ("global_event_id",)}
#: Columns indexed wherever they appear (besides a primary key): the ids and dates BI filters use.
INDEXED_COLUMNS = ("global_event_id", "event_date", "sql_date")
#: DATE/TIMESTAMP columns with these names (or ending in `_date`) are indexed too: the marts' time axes.
DATE_AXIS_NAMES = ("date", "day", "week", "month")
CONNECT_TIMEOUT_S = 30
#: How long the swap (and dropping the old version) waits for a lock before giving up.
SWAP_LOCK_TIMEOUT = "60s"
DROP_LOCK_TIMEOUT = "5s"
CSV_BATCH_ROWS = 100_000

log = logging.getLogger(__name__)


class PublishError(RuntimeError):
    """Publishing to PostgreSQL failed; the message is redacted (no password) and the readers' schema is intact."""


# -- settings and redaction --------------------------------------------------------------------------------------


def postgres_url() -> str | None:
    """The PostgreSQL URL to publish to (GEOEVENTS_POSTGRES_URL), or None when publishing is off."""
    return os.environ.get(URL_VARIABLE, "").strip() or None


def postgres_reader_password() -> str | None:
    """The reader role's password (GEOEVENTS_POSTGRES_READER_PASSWORD): the role may log in only when set."""
    return os.environ.get(READER_PASSWORD_VARIABLE) or None


_URL_CREDENTIALS = re.compile(r"(?P<head>[a-z][a-z0-9+.\-]*://[^:/?#@\s]*:)(?P<password>[^@\s]*)@", re.IGNORECASE)
_KEYWORD_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<password>'(?:[^'\\]|\\.)*'|[^\s&]+)", re.IGNORECASE)


def _passwords_in(url: str | None) -> list[str]:
    """The password(s) a URL or conninfo string carries, raw and percent-encoded."""
    if not url:
        return []
    found: list[str] = []
    with contextlib.suppress(ValueError):
        parts = urlsplit(url)
        if parts.password:
            found += [parts.password, unquote(parts.password)]
    for match in _KEYWORD_PASSWORD.finditer(url):
        value = match.group("password").strip("'")
        found += [value, unquote(value)]
    return found


def redact(text: str, *secrets: str | None) -> str:
    """The text with every password removed: URL credentials, `password=...`, and the given secrets verbatim.

    `redact(url)` alone is a URL fit to show; pass the URL (or password) as a secret to clean another message.
    """
    values: set[str] = set(_passwords_in(text))
    for secret in filter(None, secrets):
        # A URL or conninfo string stands for the password(s) in it; anything else is a password itself.
        found = _passwords_in(secret) or [secret]
        values.update(found)
        values.update(quote(value, safe="") for value in found)
    for value in sorted((v for v in values if len(v) >= 3), key=len, reverse=True):
        text = text.replace(value, "***")
    text = _URL_CREDENTIALS.sub(lambda m: m.group("head") + "***@", text)
    return _KEYWORD_PASSWORD.sub(lambda m: m.group("head") + "***", text)


def redact_url(url: str) -> str:
    """The URL as it may be shown: `postgresql://writer:***@host:5432/geoevents`."""
    return redact(url)


def validate_identifier(name: str, what: str = "identifier") -> str:
    """The name, when it is a plain lower-case PostgreSQL identifier; ValueError otherwise."""
    if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
        raise ValueError(f"invalid {what} {name!r}: use lower-case letters, digits and _ (at most 63, not a digit first)")
    return name


# -- the report --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishReport:
    """What one publish wrote: rows per published table (warehouse tables first, then the marts)."""

    schema: str
    tables: dict[str, int]
    marts: tuple[str, ...]
    seconds: float
    loader: str
    copy_seconds: dict[str, float] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()  # views whose names PostgreSQL cannot take as they are
    target: str = ""  # the URL, redacted

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


# -- types -------------------------------------------------------------------------------------------------------

#: DuckDB type -> (PostgreSQL column type, what DuckDB casts the column to before the copy).
_TYPES: dict[str, tuple[str, str]] = {
    "BOOLEAN": ("BOOLEAN", "BOOLEAN"),
    "TINYINT": ("SMALLINT", "SMALLINT"),
    "UTINYINT": ("SMALLINT", "SMALLINT"),
    "SMALLINT": ("SMALLINT", "SMALLINT"),
    "USMALLINT": ("INTEGER", "INTEGER"),
    "INTEGER": ("INTEGER", "INTEGER"),
    "UINTEGER": ("BIGINT", "BIGINT"),
    "BIGINT": ("BIGINT", "BIGINT"),
    # sum() of integers is a HUGEINT in DuckDB; counts and sums fit a BIGINT, and the cast fails loudly if not.
    "HUGEINT": ("BIGINT", "BIGINT"),
    "UBIGINT": ("NUMERIC(20,0)", "DECIMAL(20,0)"),
    "UHUGEINT": ("NUMERIC(38,0)", "DECIMAL(38,0)"),
    "FLOAT": ("REAL", "FLOAT"),
    "DOUBLE": ("DOUBLE PRECISION", "DOUBLE"),
    "VARCHAR": ("TEXT", "VARCHAR"),
    "JSON": ("TEXT", "VARCHAR"),
    "UUID": ("UUID", "UUID"),
    "DATE": ("DATE", "DATE"),
    "TIME": ("TIME", "TIME"),
    "TIMESTAMP": ("TIMESTAMP", "TIMESTAMP"),
    "TIMESTAMP_S": ("TIMESTAMP", "TIMESTAMP"),
    "TIMESTAMP_MS": ("TIMESTAMP", "TIMESTAMP"),
    "TIMESTAMP_NS": ("TIMESTAMP", "TIMESTAMP"),
    "TIMESTAMP WITH TIME ZONE": ("TIMESTAMPTZ", "TIMESTAMPTZ"),
    "INTERVAL": ("INTERVAL", "INTERVAL"),
    "BLOB": ("BYTEA", "BLOB"),
}
_DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")
#: Types pyarrow's CSV writer renders the way PostgreSQL reads them; the others are cast to text first.
_CSV_NATIVE = {"BOOLEAN", "SMALLINT", "INTEGER", "BIGINT", "REAL", "DOUBLE PRECISION", "TEXT", "DATE", "TIMESTAMP",
               "TIMESTAMPTZ"}


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str
    not_null: bool

    @property
    def types(self) -> tuple[str, str]:
        if found := _TYPES.get(self.duckdb_type):
            return found
        if match := _DECIMAL.match(self.duckdb_type):
            precision, scale = match.groups()
            return f"NUMERIC({precision},{scale})", f"DECIMAL({precision},{scale})"
        return "TEXT", "VARCHAR"  # ENUM, lists, structs, maps ...: their text form

    @property
    def postgres_type(self) -> str:
        return self.types[0]

    def duckdb_select(self, *, csv: bool = False) -> str:
        """The column as DuckDB should hand it over (for the extension, or for pyarrow's CSV writer)."""
        source = _duck_identifier(self.name)
        if csv and self.postgres_type == "BYTEA":
            return f"'\\x' || hex({source}) AS {source}"
        if csv and self.postgres_type not in _CSV_NATIVE and not self.postgres_type.startswith("NUMERIC"):
            return f"CAST({source} AS VARCHAR) AS {source}"
        return f"CAST({source} AS {self.types[1]}) AS {source}"

    @property
    def is_date_axis(self) -> bool:
        if self.name in INDEXED_COLUMNS:
            return True
        temporal = self.postgres_type in {"DATE", "TIMESTAMP", "TIMESTAMPTZ"}
        return temporal and (self.name in DATE_AXIS_NAMES or self.name.endswith("_date"))


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str  # "table" or "mart"
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()


def _duck_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _describe(con: duckdb.DuckDBPyConnection, name: str, kind: str) -> Relation:
    rows = con.execute(f"DESCRIBE SELECT * FROM main.{_duck_identifier(name)}").fetchall()
    columns = []
    for column_name, column_type, nullable, *_ in rows:
        if len(column_name.encode()) > 63:
            raise PublishError(f"{name}.{column_name}: column names longer than 63 bytes do not fit PostgreSQL")
        columns.append(Column(column_name, column_type, kind == "table" and nullable == "NO"))
    primary_key: tuple[str, ...] = ()
    if kind == "table":
        declared = con.execute(
            "SELECT constraint_column_names FROM duckdb_constraints() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = ? AND constraint_type = 'PRIMARY KEY'", [name]
        ).fetchone()
        names = {c.name for c in columns}
        primary_key = tuple(declared[0]) if declared else tuple(
            c for c in PRIMARY_KEYS.get(name, ()) if c in names)
    return Relation(name, kind, tuple(columns), primary_key)


def _warehouse_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary "
        "AND database_name = current_database() AND schema_name = 'main' ORDER BY view_name"
    ).fetchall()]


def _warehouse_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'"
    ).fetchall()}


# -- the connection ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """The connection parameters without the password, and the password apart."""

    params: dict[str, str]
    password: str | None

    @classmethod
    def parse(cls, url: str) -> _Target:
        from psycopg.conninfo import conninfo_to_dict

        try:
            params, problem = {k: str(v) for k, v in conninfo_to_dict(url).items() if v is not None}, None
        except Exception as error:
            params, problem = {}, str(error).strip()
        if problem is not None:  # raised out here: the original error (which quotes the URL) is not chained
            raise PublishError(f"not a valid libpq URL or conninfo string: {redact(problem, url)}")
        password = params.pop("password", None) or None
        params.setdefault("connect_timeout", str(CONNECT_TIMEOUT_S))
        params.setdefault("application_name", "geoevents-publish")
        return cls(params, password)

    def conninfo(self, **extra: str) -> str:
        from psycopg.conninfo import make_conninfo

        return make_conninfo("", **self.params, **extra)

    def connect(self, **kwargs):
        import psycopg

        extra = {"password": self.password} if self.password else {}
        return psycopg.connect(self.conninfo(), **extra, **kwargs)


# -- the DuckDB postgres extension -------------------------------------------------------------------------------


def postgres_extension_file() -> Path | None:
    """The postgres extension shipped by the `duckdb-extension-postgres` wheel for this DuckDB, if installed."""
    try:
        import duckdb_extension_postgres
    except ImportError:
        return None
    folder = Path(duckdb_extension_postgres.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    found = sorted(folder.glob("**/*.duckdb_extension"))
    return found[0] if found else None


def _load_postgres_extension(con: duckdb.DuckDBPyConnection, scratch: Path) -> bool:
    """Load DuckDB's postgres extension (from the wheel, else an installed copy); False when there is none."""
    shipped = postgres_extension_file()
    if shipped is not None:
        # DuckDB derives the entry point from the file name: the extension's name is postgres_scanner.
        named = scratch / "postgres_scanner.duckdb_extension"
        try:
            named.symlink_to(shipped)
        except OSError:
            shutil.copyfile(shipped, named)
        try:
            con.execute(f"LOAD '{str(named).replace(chr(39), chr(39) * 2)}'")
            return True
        except duckdb.Error as error:
            log.warning("could not load DuckDB's postgres extension from %s: %s", shipped, error)
    try:
        con.execute("LOAD postgres")
        return True
    except duckdb.Error:
        return False


# -- the publish -------------------------------------------------------------------------------------------------


def _side_names(schema: str) -> tuple[str, str]:
    """The staging schema's name and the prefix of retired versions' names (both valid identifiers)."""
    base = schema if len(schema) <= 40 else schema[:31] + "_" + hashlib.sha1(schema.encode()).hexdigest()[:8]
    return f"{base}__staging", f"{base}__retired_"


def _unique(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(names))


@contextlib.contextmanager
def _private_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="geoevents-publish-"))
    try:
        folder.chmod(0o700)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish_to_postgres(
    database: Path,
    url: str,
    *,
    tables: Sequence[str] = ("events",),
    views: Sequence[str] | None = None,
    schema: str = DEFAULT_SCHEMA,
    reader_role: str | None = DEFAULT_READER_ROLE,
    reader_password: str | None = None,
    loader: str = "auto",
) -> PublishReport:
    """Copy the warehouse's `tables` and `views` (all of its views when None) into PostgreSQL schema `schema`.

    The views are materialised as tables with their current contents. Readers see the previous version until
    the new one is complete, then all of it. `reader_role` (created NOLOGIN when missing, or LOGIN with
    `reader_password`, which defaults to GEOEVENTS_POSTGRES_READER_PASSWORD) may read the schema and nothing
    else. `loader`: "duckdb" (DuckDB's postgres extension), "copy" (CSV COPY through psycopg) or "auto" (the
    extension when installed). Raises PublishError (redacted) or ValueError (a bad identifier).
    """
    validate_identifier(schema, "schema")
    if reader_role is not None:
        validate_identifier(reader_role, "role")
    if loader not in {"auto", "duckdb", "copy"}:
        raise ValueError(f"loader must be 'auto', 'duckdb' or 'copy', not {loader!r}")
    tables = [validate_identifier(t, "table") for t in _unique(tables)]
    if views is not None:
        views = [validate_identifier(v, "view") for v in _unique(views) if v not in tables]
    if reader_role is not None and reader_password is None:
        reader_password = postgres_reader_password()
    secrets = (url, reader_password)
    try:
        target = _Target.parse(url)
        return _publish(database, target, tables, views, schema, reader_role, reader_password, loader, url)
    except (PublishError, warehouse.WarehouseBusy, FileNotFoundError) as error:
        kind, message = type(error), redact(str(error), *secrets)
    except Exception as error:
        kind, message = PublishError, (f"publishing to PostgreSQL ({redact_url(url)}) failed: "
                                       f"{type(error).__name__}: {redact(str(error), *secrets)}")
    # Raised outside the except blocks: the original error (DuckDB and psycopg may quote connection strings,
    # passwords included) is neither the cause nor the context of what callers and their logs see.
    raise kind(message)


def _publish(database: Path, target: _Target, tables: list[str], views: list[str] | None, schema: str,
             reader_role: str | None, reader_password: str | None, loader: str, url: str) -> PublishReport:
    from psycopg import sql

    started = time.perf_counter()
    staging, retired_prefix = _side_names(schema)
    with target.connect(autocommit=True) as control:
        # One publisher per schema at a time; the lock goes with the session.
        control.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [f"geoevents.publish:{schema}"])
        _check_target_is_ours(control, schema)
        _drop_leftovers(control, staging, retired_prefix)
        if reader_role is not None:
            _ensure_reader(control, reader_role, reader_password, schema)
        try:
            counts, copy_seconds, relations, skipped, use_extension = _load_staging(
                control, database, target, staging, tables, views, loader)
            # The warehouse file is free again: what is left happens in PostgreSQL only.
            for relation in relations:
                _index(control, staging, relation)
            if reader_role is not None:
                _grant(control, staging, reader_role)
            for relation in relations:
                control.execute(sql.SQL("ANALYZE {}.{}").format(sql.Identifier(staging), sql.Identifier(relation.name)))
            retired = _swap(control, schema, staging, retired_prefix)
        except BaseException:
            with contextlib.suppress(Exception):  # best effort: the next publish drops it otherwise
                if not control.closed:
                    control.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(staging)))
            raise
        if retired:
            _drop_retired(control, retired)
    seconds = time.perf_counter() - started
    report = PublishReport(
        schema=schema, tables=counts, marts=tuple(r.name for r in relations if r.kind == "mart"), seconds=seconds,
        loader="duckdb-postgres" if use_extension else "psycopg-csv-copy", copy_seconds=copy_seconds,
        skipped=tuple(skipped), target=redact_url(url),
    )
    log.info("published %d rows in %d tables to %s schema %s in %.1f s (%.0f rows/s)", report.rows, len(counts),
             report.target, schema, seconds, report.rows_per_second)
    return report


def _load_staging(control, database: Path, target: _Target, staging: str, tables: list[str],
                  views: list[str] | None, loader: str):
    """Create the staging schema and its tables and fill them from the warehouse (held read-only meanwhile)."""
    from psycopg import sql

    with _private_folder() as scratch, warehouse.connect(database, read_only=True) as duck:
        relations, skipped = _relations(duck, tables, views)
        with control.transaction():
            control.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(staging)))
            control.execute(sql.SQL("COMMENT ON SCHEMA {} IS {}").format(sql.Identifier(staging), sql.Literal(
                f"{SCHEMA_MARK} geoevents warehouse published {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ} "
                "(replaced as a whole by each publish; do not create objects here)")))
            for relation in relations:
                _create_table(control, staging, relation)
        use_extension = loader != "copy" and _load_postgres_extension(duck, scratch)
        if loader == "duckdb" and not use_extension:
            raise PublishError(
                f"DuckDB's postgres extension is not available: pip install duckdb-extension-postgres=="
                f"{duckdb.__version__}")
        if not use_extension and loader == "auto":
            log.warning("DuckDB's postgres extension is not installed (pip install duckdb-extension-postgres=="
                        "%s): publishing through CSV COPY, about half as fast", duckdb.__version__)
        counts, copy_seconds = (
            _copy_with_extension(duck, target, staging, relations) if use_extension
            else _copy_with_psycopg(duck, control, staging, relations)
        )
    return counts, copy_seconds, relations, skipped, use_extension


def _relations(duck: duckdb.DuckDBPyConnection, tables: list[str], views: list[str] | None
               ) -> tuple[list[Relation], list[str]]:
    existing_tables = _warehouse_tables(duck)
    existing_views = _warehouse_views(duck)
    missing = [t for t in tables if t not in existing_tables and t not in existing_views]
    skipped: list[str] = []
    if views is None:
        views = []
        for name in existing_views:
            if name in tables:
                continue
            if IDENTIFIER.fullmatch(name):
                views.append(name)
            else:
                skipped.append(name)
                log.warning("view %r not published: PostgreSQL table names here are lower-case [a-z0-9_]", name)
    else:
        missing += [v for v in views if v not in existing_views and v not in existing_tables]
    if missing:
        raise PublishError(f"not in the warehouse: {', '.join(missing)}")
    relations = [_describe(duck, t, "table" if t in existing_tables else "mart") for t in tables]
    relations += [_describe(duck, v, "mart" if v in existing_views else "table") for v in views]
    return relations, skipped


def _create_table(control, staging: str, relation: Relation) -> None:
    from psycopg import sql

    columns = sql.SQL(", ").join(
        sql.SQL("{} {}{}").format(sql.Identifier(c.name), sql.SQL(c.postgres_type),
                                  sql.SQL(" NOT NULL" if c.not_null else ""))
        for c in relation.columns
    )
    control.execute(sql.SQL("CREATE TABLE {}.{} ({})").format(
        sql.Identifier(staging), sql.Identifier(relation.name), columns))
    kind = "warehouse table" if relation.kind == "table" else "mart (a DuckDB view, materialised)"
    control.execute(sql.SQL("COMMENT ON TABLE {}.{} IS {}").format(
        sql.Identifier(staging), sql.Identifier(relation.name), sql.Literal(f"geoevents {kind} {relation.name}")))


def _copy_with_extension(duck: duckdb.DuckDBPyConnection, target: _Target, staging: str,
                         relations: list[Relation]) -> tuple[dict[str, int], dict[str, float]]:
    # The password goes into the conninfo: a password file would lose against PGPASSWORD in the environment.
    # DuckDB quotes the conninfo in its connection errors: those are redacted before they leave this module.
    extra = {"password": target.password} if target.password else {}
    conninfo = target.conninfo(**extra)
    # ATTACH takes no parameters: the conninfo (no password in it) is quoted as a literal.
    duck.execute(f"ATTACH '{conninfo.replace(chr(39), chr(39) * 2)}' AS {ATTACHED} (TYPE postgres, READ_ONLY false)")
    counts: dict[str, int] = {}
    seconds: dict[str, float] = {}
    try:
        for relation in relations:
            began = time.perf_counter()
            names = ", ".join(_duck_identifier(c.name) for c in relation.columns)
            select = ", ".join(c.duckdb_select() for c in relation.columns)
            inserted = duck.execute(
                f"INSERT INTO {ATTACHED}.{_duck_identifier(staging)}.{_duck_identifier(relation.name)} ({names}) "
                f"SELECT {select} FROM main.{_duck_identifier(relation.name)}"
            ).fetchone()
            counts[relation.name] = int(inserted[0]) if inserted else 0
            seconds[relation.name] = time.perf_counter() - began
    finally:
        duck.execute(f"DETACH {ATTACHED}")
    return counts, seconds


def _copy_with_psycopg(duck: duckdb.DuckDBPyConnection, control, staging: str,
                       relations: list[Relation]) -> tuple[dict[str, int], dict[str, float]]:
    import pyarrow.csv as pa_csv
    from psycopg import sql

    counts: dict[str, int] = {}
    seconds: dict[str, float] = {}
    options = pa_csv.WriteOptions(include_header=False)
    for relation in relations:
        began = time.perf_counter()
        select = ", ".join(c.duckdb_select(csv=True) for c in relation.columns)
        batches = duck.execute(f"SELECT {select} FROM main.{_duck_identifier(relation.name)}").to_arrow_reader(
            CSV_BATCH_ROWS)
        statement = sql.SQL("COPY {}.{} ({}) FROM STDIN (FORMAT csv)").format(
            sql.Identifier(staging), sql.Identifier(relation.name),
            sql.SQL(", ").join(sql.Identifier(c.name) for c in relation.columns))
        rows = 0
        with control.transaction(), control.cursor() as cursor, cursor.copy(statement) as copy:
            for batch in batches:
                buffer = io.BytesIO()
                pa_csv.write_csv(batch, buffer, options)
                copy.write(buffer.getbuffer())
                rows += batch.num_rows
        counts[relation.name] = rows
        seconds[relation.name] = time.perf_counter() - began
    return counts, seconds


def _index(control, staging: str, relation: Relation) -> None:
    import psycopg
    from psycopg import sql

    table = sql.SQL("{}.{}").format(sql.Identifier(staging), sql.Identifier(relation.name))
    indexed: set[str] = set()
    if relation.primary_key:
        try:
            control.execute(sql.SQL("ALTER TABLE {} ADD PRIMARY KEY ({})").format(
                table, sql.SQL(", ").join(map(sql.Identifier, relation.primary_key))))
            indexed.add(relation.primary_key[0])
        except psycopg.errors.UniqueViolation:
            log.warning("%s: %s is not unique in the warehouse; published with a plain index instead of a key",
                        relation.name, ", ".join(relation.primary_key))
    for column in relation.columns:
        if column.is_date_axis and column.name not in indexed:
            control.execute(sql.SQL("CREATE INDEX ON {} ({})").format(table, sql.Identifier(column.name)))
            indexed.add(column.name)


def _grant(control, schema: str, role: str) -> None:
    from psycopg import sql

    names = {"schema": sql.Identifier(schema), "role": sql.Identifier(role)}
    with control.transaction():
        control.execute(sql.SQL("GRANT USAGE ON SCHEMA {schema} TO {role}").format(**names))
        control.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}").format(**names))
        control.execute(sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {role}").format(**names))


def _ensure_reader(control, role: str, password: str | None, schema: str) -> None:
    """The read-only role: created when missing (LOGIN only with a password); readers default to the schema."""
    import psycopg
    from psycopg import sql

    exists = control.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone() is not None
    identifier = sql.Identifier(role)
    try:
        if password:
            # A SCRAM verifier, computed here: the password itself reaches neither the server nor its logs.
            verifier = control.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()
            action = "ALTER" if exists else "CREATE"
            control.execute(sql.SQL(action + " ROLE {} LOGIN PASSWORD {}").format(identifier, sql.Literal(verifier)))
        elif not exists:
            control.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(identifier))
    except psycopg.errors.InsufficientPrivilege:
        raise PublishError(
            f"the publishing role may not {'change' if exists else 'create'} role {role}: give it CREATEROLE, "
            f"or create {role} yourself (CREATE ROLE {role} LOGIN PASSWORD '...')") from None
    database = control.execute("SELECT current_database()").fetchone()[0]
    for statement in (
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), identifier),
        sql.SQL("ALTER ROLE {} SET search_path = {}, public").format(identifier, sql.Identifier(schema)),
        sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(identifier),
    ):
        try:
            control.execute(statement)
        except psycopg.errors.InsufficientPrivilege as error:
            log.warning("reader role %s: %s", role, str(error).strip())


def _schema_comment(control, name: str) -> tuple[bool, str | None]:
    row = control.execute(
        "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s", [name]).fetchone()
    return (row is not None), (row[0] if row else None)


def _check_target_is_ours(control, schema: str) -> None:
    exists, comment = _schema_comment(control, schema)
    if not exists or (comment or "").startswith(SCHEMA_MARK):
        return
    relations = control.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
        [schema]).fetchone()[0]
    if relations:
        raise PublishError(
            f"schema {schema} exists in PostgreSQL and was not created by geoevents (it holds {relations} "
            "objects): publishing replaces the whole schema, so choose another schema or drop this one")


def _drop_leftovers(control, staging: str, retired_prefix: str) -> None:
    """A staging schema left by a publish that died, and old versions not dropped yet."""
    from psycopg import sql

    exists, comment = _schema_comment(control, staging)
    if exists and (comment or "").startswith(SCHEMA_MARK):
        control.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(staging)))
    elif exists:
        raise PublishError(f"schema {staging} exists and was not created by geoevents: drop or rename it")
    leftovers = control.execute(
        "SELECT nspname FROM pg_namespace WHERE left(nspname, length(%s)) = %s "
        "AND coalesce(obj_description(oid, 'pg_namespace'), '') LIKE %s",
        [retired_prefix, retired_prefix, SCHEMA_MARK + "%"]).fetchall()
    for (name,) in leftovers:
        _drop_retired(control, name)


def _swap(control, schema: str, staging: str, retired_prefix: str) -> str | None:
    """Put the staging schema in place of the published one in one transaction; the old one's new name."""
    from psycopg import sql

    retired = None
    with control.transaction():
        control.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(SWAP_LOCK_TIMEOUT)))
        if _schema_comment(control, schema)[0]:
            retired = f"{retired_prefix}{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}_{os.urandom(3).hex()}"
            control.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                sql.Identifier(schema), sql.Identifier(retired)))
        control.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(staging), sql.Identifier(schema)))
    return retired


def _drop_retired(control, name: str) -> None:
    """Drop an old version, unless something outside it depends on it or readers hold it for too long."""
    import psycopg
    from psycopg import sql

    try:
        with control.transaction():
            control.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(DROP_LOCK_TIMEOUT)))
            tables = control.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'p')", [name]).fetchall()
            if tables:
                control.execute(sql.SQL("DROP TABLE {} RESTRICT").format(sql.SQL(", ").join(
                    sql.SQL("{}.{}").format(sql.Identifier(name), sql.Identifier(t)) for (t,) in tables)))
            control.execute(sql.SQL("DROP SCHEMA {} RESTRICT").format(sql.Identifier(name)))
    except (psycopg.errors.LockNotAvailable, psycopg.errors.DependentObjectsStillExist) as error:
        log.warning("old published version %s kept for now (dropped at the next publish): %s", name,
                    str(error).strip().splitlines()[0])


def publish_configured(database: Path = DATABASE_PATH, **options) -> PublishReport | None:
    """Publish when GEOEVENTS_POSTGRES_URL is set (what a pipeline run calls); None when it is not."""
    url = postgres_url()
    if url is None:
        return None
    return publish_to_postgres(database, url, **options)
