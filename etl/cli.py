"""The `geoevents` command line."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import duckdb

EXIT_OK = 0
EXIT_SKIPPED_LINES = 1
EXIT_USAGE = 2
EXIT_RUN_FAILED = 3
EXIT_QUERY_FAILED = 4


def _open_input(path: str) -> IO[str]:
    if path == "-":
        return sys.stdin
    return open(path, encoding="utf-8", errors="replace")


def _open_output(path: str | None) -> IO[str]:
    if not path or path == "-":
        return sys.stdout
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return open(path, "w", encoding="utf-8")


def read_documents(handle: IO[str], problems: list[str]) -> Iterator[dict]:
    """Documents from JSON Lines; a bad line is reported in `problems` (with its number) and skipped."""
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            document = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not valid JSON ({error.msg} at column {error.colno})")
            continue
        if not isinstance(document, dict):
            problems.append(f"line {number}: not a JSON object")
            continue
        text = document.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"line {number}: no text")
            continue
        yield document


def command_code(args: argparse.Namespace) -> int:
    from etl.coder import code_records

    problems: list[str] = []
    reported = 0
    documents = events = 0
    started = time.perf_counter()
    with _open_input(args.input) as source:
        output = _open_output(args.output)
        try:
            def counted() -> Iterator[dict]:
                nonlocal documents, reported
                for document in read_documents(source, problems):
                    while reported < len(problems):
                        print(f"geoevents code: {problems[reported]}; skipped", file=sys.stderr)
                        reported += 1
                    documents += 1
                    yield document

            for event in code_records(counted(), lang=args.lang):
                output.write(json.dumps(event, ensure_ascii=False) + "\n")
                events += 1
        finally:
            if output is not sys.stdout:
                output.close()
            else:
                output.flush()
    for problem in problems[reported:]:
        print(f"geoevents code: {problem}; skipped", file=sys.stderr)
    elapsed = time.perf_counter() - started
    if not args.quiet:
        print(f"geoevents code: {documents} documents, {events} events, {len(problems)} lines skipped, "
              f"{elapsed:.2f} s", file=sys.stderr)
    return EXIT_SKIPPED_LINES if problems else EXIT_OK


def command_evaluate(args: argparse.Namespace) -> int:
    from etl.coder import code_records
    from etl.evaluate import read_jsonl, score

    gold = read_jsonl(Path(args.gold))
    predictions = list(code_records(gold))
    if args.predictions:
        with _open_output(args.predictions) as handle:
            for event in predictions:
                handle.write(json.dumps(event, ensure_ascii=False) + "\n")
    report = score(gold, predictions)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(report.table())
    return EXIT_OK


def _database(args: argparse.Namespace) -> Path:
    """The warehouse file a command works on: --database, else GEOEVENTS_DATABASE / the default."""
    from etl.settings import DATABASE_PATH

    return Path(args.database).resolve() if args.database else DATABASE_PATH


def _storage(args: argparse.Namespace, *, terminal_progress: bool) -> object:
    from etl.defs.resources import PipelineStorage

    overrides = {
        name: str(Path(value).resolve())
        for name, value in (("landing_dir", args.landing), ("database", args.database))
        if value
    }
    return PipelineStorage(terminal_progress=terminal_progress, **overrides)


def _run_and_summarise(args: argparse.Namespace, title: str) -> int:
    from etl.runner import run_ingest_job, warehouse_summary

    storage = _storage(args, terminal_progress=sys.stderr.isatty() or args.progress)
    started = time.perf_counter()
    print(f"{title}: reading {storage.landing_dir}", file=sys.stderr)
    outcome = run_ingest_job(storage)
    elapsed = time.perf_counter() - started
    if not outcome.success:
        print(f"{title}: the run failed (Dagster run {outcome.run_id}); nothing was loaded from it.", file=sys.stderr)
        for check in outcome.failed_checks:
            print(f"  failed check {check}", file=sys.stderr)
        print("  see the run's logs with `./run dev` (Runs tab), fix the cause and run again.", file=sys.stderr)
        return EXIT_RUN_FAILED
    print(f"{title}: done in {elapsed:.1f} s (Dagster run {outcome.run_id})")
    print(warehouse_summary(Path(storage.database), outcome))
    return EXIT_OK


def command_run(args: argparse.Namespace) -> int:
    return _run_and_summarise(args, "geoevents run")


def command_demo(args: argparse.Namespace) -> int:
    from etl.settings import LANDING_DIR, SAMPLES_DIR

    landing = Path(args.landing).resolve() if args.landing else LANDING_DIR
    copied = copy_samples(SAMPLES_DIR / "news", landing / "samples")
    print(f"geoevents demo: {copied} bundled sample files placed in {landing / 'samples'}", file=sys.stderr)
    args.landing = str(landing)
    return _run_and_summarise(args, "geoevents demo")


def copy_samples(source: Path, destination: Path) -> int:
    """Copy the bundled sample files into the landing folder (unchanged files are left alone)."""
    destination.mkdir(parents=True, exist_ok=True)
    copied = 0
    for path in sorted(source.iterdir()):
        if path.is_file() and not path.name.startswith(".") and path.name != "README.md":
            target = destination / path.name
            if not target.exists() or target.read_bytes() != path.read_bytes():
                target.write_bytes(path.read_bytes())
            copied += 1
    return copied


def command_sql(args: argparse.Namespace) -> int:
    from etl import warehouse

    database = _database(args)
    query = sys.stdin.read() if args.query == "-" else args.query
    if args.format == "parquet" and not args.output:
        print("geoevents sql: --format parquet needs -o FILE", file=sys.stderr)
        return EXIT_USAGE
    try:
        with warehouse.connect(database, read_only=True, timeout_s=args.wait) as con:
            # Read-only for the database is not enough: SQL can also read and write files (COPY, read_csv,
            # ATTACH). A user's query sees the warehouse and nothing else.
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
            relation = con.sql(query)
            if relation is None:
                print("geoevents sql: the statement returned no rows to show", file=sys.stderr)
                return EXIT_OK
            if args.format == "table":
                relation.show(max_rows=args.max_rows, max_width=shutil.get_terminal_size().columns)
                return EXIT_OK
            frame = relation.pl()
    except (duckdb.Error, FileNotFoundError, warehouse.WarehouseBusy) as error:
        print(f"geoevents sql: {error}", file=sys.stderr)
        return EXIT_QUERY_FAILED
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    target = args.output or sys.stdout
    if args.format == "csv":
        frame.write_csv(target)
    elif args.format == "json":
        frame.write_ndjson(target)
    else:
        frame.write_parquet(args.output)
    if args.output:
        print(f"geoevents sql: {frame.height} rows written to {args.output}", file=sys.stderr)
    return EXIT_OK


def command_import_gdelt(args: argparse.Namespace) -> int:
    from etl.gdelt import import_gdelt
    from etl.settings import QUARANTINE_DIR

    database = _database(args)
    report = import_gdelt([Path(f) for f in args.files], database, QUARANTINE_DIR)
    print(f"geoevents import-gdelt: {report.files} files, {report.rows_loaded:,} rows loaded "
          f"({report.rows_replaced:,} replaced rows already imported), {report.rows_quarantined:,} rows and "
          f"{report.files_quarantined} whole files quarantined, {report.seconds:.1f} s into {database}")
    if report.rows_quarantined or report.files_quarantined:
        print("  see them with: geoevents sql \"SELECT file, file_line, reason FROM quarantine "
              "ORDER BY quarantined_at DESC\"", file=sys.stderr)
    return EXIT_OK


def command_export_gdelt(args: argparse.Namespace) -> int:
    import datetime as dt

    from etl.gdelt import export_gdelt

    database = _database(args)
    try:
        start, end = dt.date.fromisoformat(args.date_from), dt.date.fromisoformat(args.date_to)
    except ValueError as error:
        print(f"geoevents export-gdelt: {error} (dates are YYYY-MM-DD)", file=sys.stderr)
        return EXIT_USAGE
    source = None if args.source == "all" else args.source
    rows = export_gdelt(database, start, end, Path(args.output), source=source)
    print(f"geoevents export-gdelt: {rows:,} events from {start} to {end} written to {args.output}")
    return EXIT_OK


def command_report(args: argparse.Namespace) -> int:
    import datetime as dt

    from etl.report import build_report, parse_actors

    database = _database(args)
    try:
        start = dt.date.fromisoformat(args.date_from) if args.date_from else None
        end = dt.date.fromisoformat(args.date_to) if args.date_to else None
        summary = build_report(database, Path(args.output), start=start, end=end, actors=parse_actors(args.actors))
    except ValueError as error:
        print(f"geoevents report: {error}", file=sys.stderr)
        return EXIT_USAGE
    except FileNotFoundError as error:
        print(f"geoevents report: {error}", file=sys.stderr)
        return EXIT_QUERY_FAILED
    dyads = ", ".join(f"{source}->{target}" for source, target in summary.dyads) or "none"
    first, last = summary.period
    print(f"geoevents report: {summary.events:,} events from {first} to {last}; dyads charted: {dyads}; "
          f"written to {summary.output}")
    return EXIT_OK


def _sources_config(args: argparse.Namespace):
    from etl.fetch_sources import load_sources, sources_path

    path = Path(args.sources).resolve() if args.sources else sources_path()
    if not path.exists():
        raise FileNotFoundError(f"no sources file at {path}: copy sources.example.yaml to sources.yaml "
                                "(or pass --sources FILE / set GEOEVENTS_SOURCES)")
    return path, load_sources(path)


def command_sources_check(args: argparse.Namespace) -> int:
    from etl.sources import Fetcher, SourcesError, check_source

    try:
        path, config = _sources_config(args)
    except (FileNotFoundError, SourcesError) as error:
        print(f"geoevents sources check: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{path}: {len(config.sources)} sources ({len(config.enabled)} enabled)")
    failures = 0
    with Fetcher(config.fetch) as fetcher:
        for source in config.sources:
            if not source.enabled:
                print(f"  {source.name:<24} {source.kind:<6} disabled")
                continue
            check = check_source(source, fetcher)
            failures += not check.ok
            status = "ok" if check.ok else "FAILED"
            detail = check.reason or (f"{check.items} items" if check.items is not None else "")
            print(f"  {source.name:<24} {source.kind:<6} {status:<6} {detail}")
    return EXIT_RUN_FAILED if failures else EXIT_OK


def command_fetch(args: argparse.Namespace) -> int:
    from etl.fetch_sources import fetch_due_sources
    from etl.settings import LANDING_DIR
    from etl.sources import SourcesError

    try:
        _, config = _sources_config(args)
    except (FileNotFoundError, SourcesError) as error:
        print(f"geoevents fetch: {error}", file=sys.stderr)
        return EXIT_USAGE
    landing = Path(args.landing).resolve() if args.landing else LANDING_DIR
    database = _database(args)
    report = fetch_due_sources(config, landing=landing, database=database, force=args.all)
    for result in report.polled:
        health = result.health
        status = "ok" if health.ok else "FAILED"
        print(f"  {result.source:<24} {status:<6} {health.articles} articles, {health.items_new} new items"
              + (f"; {health.reason}" if health.reason else ""))
    print(f"geoevents fetch: {len(report.polled)} sources polled ({len(report.skipped_not_due)} not due), "
          f"{report.articles} articles into {landing}")
    args.landing = str(landing)
    return _run_and_summarise(args, "geoevents fetch") if not args.no_run else EXIT_OK


def command_backfill(args: argparse.Namespace) -> int:
    import datetime as dt

    from etl.pipeline import stale_days
    from etl.runner import run_recode_job

    storage = _storage(args, terminal_progress=sys.stderr.isatty())
    if args.stale:
        days = stale_days(Path(storage.database))
        if not days:
            print("geoevents backfill: every day is coded by the current coder; nothing to do")
            return EXIT_OK
        first, last = days[0], days[-1]
    else:
        try:
            first, last = dt.date.fromisoformat(args.date_from), dt.date.fromisoformat(args.date_to)
        except (TypeError, ValueError):
            print("geoevents backfill: give --from and --to (YYYY-MM-DD), or --stale", file=sys.stderr)
            return EXIT_USAGE
        if last < first:
            print("geoevents backfill: --to is before --from", file=sys.stderr)
            return EXIT_USAGE
    outcome = run_recode_job(storage, first, last)
    if not outcome.success:
        print(f"geoevents backfill: the run failed (Dagster run {outcome.run_id}); no day was half-written",
              file=sys.stderr)
        return EXIT_RUN_FAILED
    metadata = outcome.metadata.get("warehouse/coded_days", {})
    print(f"geoevents backfill: re-coded {metadata.get('days', 0)} days from {first} to {last}; "
          f"{metadata.get('days_rewritten', 0)} changed ({metadata.get('rewritten', 'none')}), the others were "
          f"already right; mentions {metadata.get('mentions_before', 0)} -> {metadata.get('mentions_after', 0)} "
          f"(Dagster run {outcome.run_id})")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="geoevents", description="News text to CAMEO events in DuckDB.")
    commands = parser.add_subparsers(dest="command", required=True)

    code = commands.add_parser("code", help="code JSON Lines documents into JSON Lines events")
    code.add_argument("input", help="JSON Lines file, one document per line ({id, text, published_at, lang}); - for stdin")
    code.add_argument("-o", "--output", help="where to write events (JSON Lines); default stdout")
    code.add_argument("--lang", choices=["auto", "en", "id"], default="auto",
                      help="language of every document; auto uses each document's lang or detects it")
    code.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    code.set_defaults(func=command_code)

    evaluate = commands.add_parser("evaluate", help="code a gold file and print precision, recall and F1")
    evaluate.add_argument("gold", help="gold JSON Lines: {id, lang, published_at, text, events: [...]}")
    evaluate.add_argument("--predictions", help="also write the coded events to this file")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluate.set_defaults(func=command_evaluate)

    for name, help_text, func in (
        ("run", "read new files in the landing folder, code them and load the warehouse (the Dagster job)",
         command_run),
        ("demo", "put the bundled sample news in the landing folder, run the pipeline and summarise", command_demo),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--landing", help="landing folder (default $GEOEVENTS_LANDING_DIR or warehouse/landing)")
        command.add_argument("--database", help="DuckDB file (default $GEOEVENTS_DATABASE or warehouse/events.duckdb)")
        command.add_argument("--progress", action="store_true", help="draw progress bars even when not on a terminal")
        command.set_defaults(func=func)

    sources = commands.add_parser("sources", help="news sources declared in sources.yaml")
    sources_commands = sources.add_subparsers(dest="sources_command", required=True)
    check = sources_commands.add_parser("check", help="validate the sources file and try every source once")
    check.add_argument("--sources", help="sources file (default $GEOEVENTS_SOURCES or sources.yaml)")
    check.set_defaults(func=command_sources_check)

    fetch = commands.add_parser("fetch", help="poll every due source once, then run the pipeline on what arrived")
    fetch.add_argument("--sources", help="sources file (default $GEOEVENTS_SOURCES or sources.yaml)")
    fetch.add_argument("--all", action="store_true", help="poll every enabled source, due or not")
    fetch.add_argument("--no-run", action="store_true", help="only fetch into the landing folder")
    fetch.add_argument("--landing", help="landing folder (default $GEOEVENTS_LANDING_DIR or warehouse/landing)")
    fetch.add_argument("--database", help="DuckDB file (default $GEOEVENTS_DATABASE or warehouse/events.duckdb)")
    fetch.add_argument("--progress", action="store_true", help="draw progress bars even when not on a terminal")
    fetch.set_defaults(func=command_fetch)

    backfill = commands.add_parser("backfill", help="re-code stored articles of a range of publication days")
    backfill.add_argument("--from", dest="date_from", help="first publication day, YYYY-MM-DD")
    backfill.add_argument("--to", dest="date_to", help="last publication day, YYYY-MM-DD")
    backfill.add_argument("--stale", action="store_true",
                          help="every day coded by an older coder version (after a dictionary change)")
    backfill.add_argument("--database", help="DuckDB file (default $GEOEVENTS_DATABASE or warehouse/events.duckdb)")
    backfill.set_defaults(func=command_backfill, landing=None)

    gdelt_in = commands.add_parser("import-gdelt", help="load GDELT 2.0 Event export files (.CSV/.tsv or .zip)")
    gdelt_in.add_argument("files", nargs="+", help="GDELT 2.0 export files, plain or zipped as GDELT publishes them")
    gdelt_in.add_argument("--database", help="DuckDB file (default $GEOEVENTS_DATABASE or warehouse/events.duckdb)")
    gdelt_in.set_defaults(func=command_import_gdelt)

    gdelt_out = commands.add_parser("export-gdelt", help="write events as a GDELT 2.0 Event export file")
    gdelt_out.add_argument("--from", dest="date_from", required=True, help="first event date, YYYY-MM-DD")
    gdelt_out.add_argument("--to", dest="date_to", required=True, help="last event date, YYYY-MM-DD")
    gdelt_out.add_argument("-o", "--output", required=True, help="file to write (.zip for a zipped CSV)")
    gdelt_out.add_argument("--source", choices=["geoevents", "gdelt", "all"], default="geoevents",
                           help="which events: coded here (default), imported from GDELT, or all")
    gdelt_out.add_argument("--database", help="DuckDB file (default $GEOEVENTS_DATABASE or warehouse/events.duckdb)")
    gdelt_out.set_defaults(func=command_export_gdelt)

    report = commands.add_parser("report", help="write a self-contained HTML report with charts and a map")
    report.add_argument("--from", dest="date_from", help="first event date, YYYY-MM-DD (default: the first in the data)")
    report.add_argument("--to", dest="date_to", help="last event date, YYYY-MM-DD (default: the last in the data)")
    report.add_argument("--actors", help="comma-separated actor codes, e.g. CHN,RUS: the dyads among them "
                        "(default: the five busiest dyads)")
    report.add_argument("-o", "--output", required=True, help="HTML file to write")
    report.add_argument("--database", help="DuckDB file (default $GEOEVENTS_DATABASE or warehouse/events.duckdb)")
    report.set_defaults(func=command_report)

    sql = commands.add_parser("sql", help="query the warehouse (read-only) and print or export the result")
    sql.add_argument("query", help="a SQL query; - reads it from stdin")
    sql.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table",
                     help="table (default) prints a table; csv and json (JSON Lines) print or write -o; parquet needs -o")
    sql.add_argument("-o", "--output", help="write the result to this file instead of standard output")
    sql.add_argument("--database", help="DuckDB file (default $GEOEVENTS_DATABASE or warehouse/events.duckdb)")
    sql.add_argument("--max-rows", type=int, default=40, help="rows shown in table format (default 40)")
    sql.add_argument("--wait", type=float, default=60.0,
                     help="seconds to wait while a pipeline run is writing the warehouse (default 60)")
    sql.set_defaults(func=command_sql)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
