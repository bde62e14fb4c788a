"""Ingestion: the files of the landing folder become article rows, and whatever cannot be read becomes
quarantine rows, with its bytes kept under the quarantine folder. Plain functions over polars frames.

    >>> from etl import settings
    >>> from etl.ingest import list_landing_files, read_landing_files
    >>> result = read_landing_files(list_landing_files(settings.LANDING_DIR),
    ...                             quarantine_dir=settings.QUARANTINE_DIR)  # doctest: +SKIP
    >>> result.articles, result.quarantine, result.files  # doctest: +SKIP

Formats, chosen by suffix: .txt and .md (plain text with an optional `key: value` header or front matter),
.json (one article object or a list of them), .jsonl (one article per line, read line by line), .html and
.htm (main text extracted by trafilatura). Any other file is quarantined, so nothing is silently lost.
A file, JSON Lines line or JSON list item that cannot be read is quarantined on its own and never stops
the others. Article ids are stable: the given id, else a hash of the normalised URL, else of the text.

Encodings (formats.decode_text, which also says which it found): a byte order mark decides (UTF-8/16/32);
NUL bytes mean UTF-16/32 without a BOM when every other byte (three in four) is 0 as in mostly-ASCII text,
else a binary file; then strict UTF-8; then an HTML page's declared <meta> charset; last Windows-1252
(ISO-8859-1 when no byte 0x80-0x9F is used), accepted only when the result reads like Western European text
(not damaged UTF-8, no undefined bytes or control characters, at most 30% non-ASCII, no runs of accented
letters or symbols inside words). JSON Lines lines that are not UTF-8 are decoded the same way, one by one.
"""

from __future__ import annotations

from etl.ingest.articles import article_id
from etl.ingest.formats import SUPPORTED_SUFFIXES
from etl.ingest.landing import LandingFile, list_landing_files
from etl.ingest.quarantine import file_sha256
from etl.ingest.reader import ARTICLE_SCHEMA, FILE_SCHEMA, QUARANTINE_SCHEMA, IngestResult, read_landing_files

__all__ = [
    "ARTICLE_SCHEMA",
    "FILE_SCHEMA",
    "QUARANTINE_SCHEMA",
    "SUPPORTED_SUFFIXES",
    "IngestResult",
    "LandingFile",
    "article_id",
    "file_sha256",
    "list_landing_files",
    "read_landing_files",
]
