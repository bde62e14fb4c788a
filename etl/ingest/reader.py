"""Reading landing files into article, quarantine and file rows, one file or line at a time."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import polars as pl

from etl import settings
from etl.ingest.articles import build_article
from etl.ingest.formats import (
    SUPPORTED_SUFFIXES,
    Decoded,
    Problem,
    Record,
    Rejected,
    bom_codec,
    decode_text,
    iter_jsonl,
    parse_html,
    parse_json,
    parse_jsonl_text,
    parse_text,
    unmarked_utf16_codec,
)
from etl.ingest.landing import LandingFile
from etl.ingest.quarantine import keep_copy, kept_name

#: The columns of an article read from the landing folder.
ARTICLE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String,
    "url": pl.String,
    "source": pl.String,
    "title": pl.String,
    "published_at": pl.Date,
    #: Where published_at came from: "metadata", "text" (a dateline) or "file_time" (the file's mtime).
    "date_source": pl.String,
    "language": pl.String,
    "text": pl.String,
    "file": pl.String,
    #: The line (JSON Lines) or list position (JSON list) of the article; null when it is the whole file.
    "file_line": pl.Int32,
}
#: The columns of a file, line or list item that could not be read, with where its bytes are kept.
QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "file": pl.String,
    "file_line": pl.Int32,
    "reason": pl.String,
    #: Path of the kept bytes relative to the quarantine folder; null when none were kept (unreadable, too large).
    "kept_as": pl.String,
    "sha256": pl.String,
    "quarantined_at": pl.Datetime("us", "UTC"),
}
#: The columns of a landing file that was read, with how many articles and quarantine rows it gave.
FILE_SCHEMA: dict[str, pl.DataType] = {
    "file": pl.String,
    "size": pl.Int64,
    "mtime_ns": pl.Int64,
    #: Null when the file's bytes were not read (too large, or unreadable).
    "sha256": pl.String,
    "articles": pl.Int32,
    "quarantined": pl.Int32,
}

_SNIFF_BYTES = 8192
_BINARY_REASON = "binary file (contains NUL bytes)"


@dataclass
class IngestResult:
    """What reading a batch of landing files gave."""

    articles: pl.DataFrame
    quarantine: pl.DataFrame
    files: pl.DataFrame


def _too_large_reason(size: int) -> str:
    return f"file too large ({size} bytes; limit {settings.MAX_FILE_BYTES}, set GEOEVENTS_MAX_FILE_MB)"


def _too_large(size: int) -> Rejected:
    return Rejected(_too_large_reason(size))


class _Reader:
    def __init__(self, quarantine_dir: Path, now: dt.datetime) -> None:
        self.quarantine_dir = quarantine_dir
        self.now = now
        self.today = now.date()
        self.articles: list[tuple] = []
        self.quarantine: list[tuple] = []
        self.files: list[tuple] = []
        # The current file's bytes and hash, once read.
        self.data: bytes | None = None
        self.sha256: str | None = None

    def result(self) -> IngestResult:
        def frame(rows: list[tuple], schema: dict[str, pl.DataType]) -> pl.DataFrame:
            return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)

        return IngestResult(frame(self.articles, ARTICLE_SCHEMA), frame(self.quarantine, QUARANTINE_SCHEMA),
                            frame(self.files, FILE_SCHEMA))

    # -- quarantine ----------------------------------------------------------------------------

    def _keep(self, relative: str, data: bytes, reason: str) -> tuple[str | None, str]:
        return keep_copy(self.quarantine_dir, relative, data, reason)

    def quarantine_file(self, landing_file: LandingFile, reason: str, data: bytes | None) -> None:
        kept_as = sha256 = None
        if data is not None:
            sha256 = hashlib.sha256(data).hexdigest()
            kept_as, reason = self._keep(kept_name(landing_file.name, sha256), data, reason)
        self.quarantine.append((landing_file.name, None, _storable(reason), kept_as, sha256, self.now))

    def quarantine_record(self, landing_file: LandingFile, item: Record | Problem, reason: str) -> None:
        if item.file_line is None:
            self.quarantine_file(landing_file, reason, self.data)
            return
        raw = item.raw() if callable(item.raw) else item.raw
        kept_as = sha256 = None
        if raw is not None:
            sha256 = hashlib.sha256(raw).hexdigest()
            kept_as, reason = self._keep(kept_name(landing_file.name, sha256, item.file_line), raw, reason)
        self.quarantine.append((landing_file.name, item.file_line, _storable(reason), kept_as, sha256, self.now))

    # -- reading -------------------------------------------------------------------------------

    def add(self, landing_file: LandingFile, item: Record | Problem) -> None:
        if isinstance(item, Problem):
            self.quarantine_record(landing_file, item, item.reason)
            return
        try:
            self.articles.append(build_article(
                item.fields, default_title=item.default_title, file=landing_file.name, file_line=item.file_line,
                mtime_ns=landing_file.mtime_ns, today=self.today,
            ))
        except Rejected as rejected:
            self.quarantine_record(landing_file, item, rejected.reason)
        except Exception as error:  # one record's surprise must not cost the file's other articles
            self.quarantine_record(landing_file, item, f"could not read record: {type(error).__name__}: {error}")

    def read(self, landing_file: LandingFile) -> None:
        articles, quarantined = len(self.articles), len(self.quarantine)
        self.data = self.sha256 = None
        try:
            if PurePosixPath(landing_file.name).suffix.lower() == ".jsonl":
                self._read_jsonl(landing_file)
            else:
                self._read_whole(landing_file)
        except Rejected as rejected:
            self.quarantine_file(landing_file, rejected.reason, self.data)
        except OSError as error:
            self.quarantine_file(landing_file, f"could not read file: {error.strerror or error}", self.data)
        except Exception as error:  # one file's surprise must not stop the others; the reason names it
            del self.articles[articles:], self.quarantine[quarantined:]
            self.quarantine_file(landing_file, f"could not read file: {type(error).__name__}: {error}", self.data)
        self.files.append((landing_file.name, landing_file.size, landing_file.mtime_ns, self.sha256,
                           len(self.articles) - articles, len(self.quarantine) - quarantined))

    def _read_bytes(self, landing_file: LandingFile, handle: BinaryIO) -> bytes:
        """The whole file (at most MAX_FILE_BYTES), remembered for quarantining it and hashed."""
        data = handle.read(settings.MAX_FILE_BYTES + 1)
        if len(data) > settings.MAX_FILE_BYTES:  # grew since it was listed
            raise _too_large(len(data))
        self.data, self.sha256 = data, hashlib.sha256(data).hexdigest()
        return data

    def _read_whole(self, landing_file: LandingFile) -> None:
        suffix = PurePosixPath(landing_file.name).suffix.lower()
        if landing_file.size > settings.MAX_FILE_BYTES:
            # Neither read nor copied: it stays in the landing folder and is read once the limit is raised.
            raise Rejected(_unsupported(suffix) if suffix not in SUPPORTED_SUFFIXES else _too_large_reason(
                landing_file.size))
        with open(landing_file.path, "rb") as handle:
            data = self._read_bytes(landing_file, handle)
        if suffix not in SUPPORTED_SUFFIXES:
            raise Rejected(_unsupported(suffix))
        if not data.strip():
            raise Rejected("empty file")
        decoded = decode_text(data, declared_charset=suffix in (".html", ".htm"))
        text = decoded.text
        if not text.strip():
            raise Rejected("empty file")
        try:
            if suffix == ".json":
                for item in parse_json(text):
                    self.add(landing_file, item)
            elif suffix in (".html", ".htm"):
                self.add(landing_file, parse_html(text))
            else:
                self.add(landing_file, parse_text(text, markdown=suffix == ".md"))
        except Rejected as rejected:
            raise _read_as(rejected, decoded) from None

    def _read_jsonl(self, landing_file: LandingFile) -> None:
        with open(landing_file.path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            handle.seek(0)
            bom = bom_codec(head)
            utf16 = bom is None and b"\x00" in head and unmarked_utf16_codec(head) is not None
            if (bom and bom[2] != "UTF-8") or utf16 or (b"\x00" in head and not _starts_like_jsonl(head)):
                # UTF-16/32 (with a BOM or told by its NUL bytes) cannot be split into lines as bytes; a binary
                # file is one problem, not one per line.
                if landing_file.size > settings.MAX_FILE_BYTES:
                    raise _too_large(landing_file.size) if bom or utf16 else Rejected(_BINARY_REASON)
                decoded = decode_text(self._read_bytes(landing_file, handle))
                if not decoded.text.strip():
                    raise Rejected("empty file")
                for item in parse_jsonl_text(decoded.text, decoded.line_codec):
                    self.add(landing_file, item)
                return
            digest = hashlib.sha256()
            records = 0
            for item in iter_jsonl(handle, max_line_bytes=settings.MAX_FILE_BYTES, on_bytes=digest.update):
                records += 1
                self.add(landing_file, item)
            self.sha256 = digest.hexdigest()
            if not records:
                handle.seek(0)
                self._read_bytes(landing_file, handle)
                raise Rejected("empty file")


def _starts_like_jsonl(head: bytes) -> bool:
    """Whether a file whose first bytes contain a NUL byte still starts like JSON Lines (an object on its first
    line): then only the lines with NUL bytes are quarantined, not the whole file."""
    first = head.lstrip(b" \t\r\n").removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n").split(b"\n", 1)[0]
    return first.startswith(b"{") and b"\x00" not in first


def _read_as(rejected: Rejected, decoded: Decoded) -> Rejected:
    """A file-level rejection of a file whose encoding was inferred, saying which, since a wrong guess may be why."""
    if not decoded.guessed:
        return rejected
    return Rejected(f"{rejected.reason} (read as {decoded.label})")


def _storable(text: str) -> str:
    """Text that can be stored: lone surrogates (from a file name or a JSON escape) written as escapes."""
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


def _unsupported(suffix: str) -> str:
    if not suffix:
        return f"unsupported file type (no suffix; expected one of {', '.join(SUPPORTED_SUFFIXES)})"
    return f"unsupported file type '{suffix}'"


def _utc(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return dt.datetime.now(dt.UTC)
    return now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now.astimezone(dt.UTC)


def read_landing_files(files: Iterable[LandingFile], *, quarantine_dir: Path,
                       now: dt.datetime | None = None) -> IngestResult:
    """Read landing files into articles, quarantine rows (with the bad bytes kept under quarantine_dir) and one
    row per file; a file, line or list item that cannot be read is quarantined and never stops the others.

    `now` (default: the current time) stamps the quarantine rows and resolves datelines without a year."""
    reader = _Reader(Path(quarantine_dir), _utc(now))
    for landing_file in files:
        reader.read(landing_file)
    return reader.result()
