"""The `geoevents` command line."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

EXIT_OK = 0
EXIT_SKIPPED_LINES = 1


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


def command_demo(args: argparse.Namespace) -> int:
    from etl.demo import run_demo

    return run_demo(Path(args.warehouse) if args.warehouse else None)


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

    demo = commands.add_parser("demo", help="code the bundled sample news into the warehouse and summarise")
    demo.add_argument("--warehouse", help="DuckDB file to write (default warehouse/events.duckdb)")
    demo.set_defaults(func=command_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
