"""Turning the bytes of one landing file into records (article fields) and problems (bad lines or items)."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import IO

#: File name suffixes the reader understands (compared case-insensitively).
SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".json", ".jsonl", ".html", ".htm")

#: Metadata keys of an article and the names each may be given under (the first name is the canonical one).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text",),
    "title": ("title",),
    "url": ("url",),
    "source": ("source",),
    "published_at": ("published_at", "date", "published", "publish_date"),
    "lang": ("lang", "language"),
    "id": ("id",),
}
#: Keys a text file's metadata header may use: every field except the text itself.
HEADER_KEYS = frozenset(name for field, names in FIELD_NAMES.items() if field != "text" for name in names)

# UTF-32 LE's BOM starts with UTF-16 LE's, so UTF-32 is tried first.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HEADER_LINE_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)")
_DECLARED_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HTML_LANG_RE = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.IGNORECASE)
# Trafilatura's fallback extractors return the link text of a page without an article ("Home\nAbout"),
# so some line must read like a sentence for the page to count as having main text.
_MIN_SENTENCE_WORDS = 5


class Rejected(Exception):
    """A file or record that cannot become an article; the message says why, for the quarantine row."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


@dataclass(slots=True)
class Record:
    """The fields of one would-be article, as found in a file (not yet checked)."""

    fields: Mapping[str, object]
    #: 1-based line (JSON Lines) or list position (JSON list); None when the record is the whole file.
    file_line: int | None = None
    #: The bytes kept if the record is quarantined: bytes, a function making them, or None for the whole file.
    raw: bytes | Callable[[], bytes] | None = None
    #: The title used when the fields give none (the first line of a text file).
    default_title: str | None = None


@dataclass(slots=True)
class Problem:
    """A line or list item that is not an article record at all."""

    reason: str
    file_line: int
    raw: bytes | Callable[[], bytes] | None


def kind_of(value: object) -> str:
    """'a list', 'an object', ... for reasons that say what a value is instead of what was expected."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def clean_text(text: str) -> str:
    """Newlines normalised to \\n; NUL and other control characters except \\n and \\t removed."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", text)


def _utf8_error(data: bytes, error: UnicodeDecodeError, offset: int = 0) -> str:
    return f"not valid UTF-8 (invalid byte 0x{data[error.start]:02x} at offset {error.start + offset})"


def bom_codec(head: bytes) -> tuple[bytes, str, str] | None:
    """(BOM, codec without BOM, label) when the bytes start with a Unicode byte order mark."""
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            return bom, codec, label
    return None


def decode(data: bytes, *, declared_charset: bool = False) -> str:
    """The text of a file: by its BOM, else strict UTF-8 (else, with declared_charset, an HTML meta charset)."""
    found = bom_codec(data)
    if found and found[2] != "UTF-8":
        bom, codec, label = found
        try:
            return data[len(bom):].decode(codec)
        except UnicodeDecodeError as error:
            raise Rejected(f"not valid {label} ({error.reason} at offset {error.start + len(bom)})") from None
    if b"\x00" in data:
        raise Rejected("binary file (contains NUL bytes)")
    offset = len(codecs.BOM_UTF8) if found else 0
    try:
        return data[offset:].decode("utf-8")
    except UnicodeDecodeError as error:
        reason = _utf8_error(data[offset:], error, offset)
        if declared_charset and not found:
            return _decode_declared(data, reason)
        raise Rejected(reason) from None


def _decode_declared(data: bytes, utf8_reason: str) -> str:
    # Web pages saved as they were served are often in the charset their <meta> declares, not UTF-8.
    match = _DECLARED_CHARSET_RE.search(data[:4096])
    if not match:
        raise Rejected(utf8_reason)
    charset = match.group(1).decode("ascii")
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        raise Rejected(f"{utf8_reason}; declared charset '{charset}' is unknown") from None
    if codec == "utf-8":
        raise Rejected(utf8_reason)
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise Rejected(f"not valid {charset} (invalid byte 0x{data[error.start]:02x} "
                       f"at offset {error.start})") from None


def json_error(error: ValueError | RecursionError) -> str:
    """A reason for JSON that cannot be parsed."""
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
    if isinstance(error, RecursionError):
        return "not valid JSON: nested too deeply"
    return f"not valid JSON: {error}"


def _json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _header_value(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()
    return value


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int] | None:
    """Fields of a `---` ... `---` block at the top and the index of the first body line."""
    fields: dict[str, str] = {}
    for index, line in enumerate(lines[1:], start=1):
        stripped = line.strip()
        if stripped in ("---", "..."):
            return fields, index + 1
        if not stripped or line[:1] in " \t" or stripped.startswith("- "):
            # Blank lines and YAML continuations (indented values, list items) belong to unknown keys.
            continue
        match = _HEADER_LINE_RE.fullmatch(stripped)
        if not match:
            return None
        key = match.group(1).lower()
        if key in HEADER_KEYS:
            fields.setdefault(key, _header_value(match.group(2)))
    return None


def _leading_header(lines: list[str]) -> tuple[dict[str, str], int] | None:
    """Fields of leading `key: value` lines ended by a blank line, when every one of them has a known key."""
    fields: dict[str, str] = {}
    for index, line in enumerate(lines):
        if not line.strip():
            return (fields, index + 1) if fields else None
        match = _HEADER_LINE_RE.fullmatch(line.strip())
        if not match or match.group(1).lower() not in HEADER_KEYS:
            return None
        fields.setdefault(match.group(1).lower(), _header_value(match.group(2)))
    return None


def parse_text(text: str, *, markdown: bool) -> Record:
    """A plain-text or Markdown article with an optional metadata header."""
    lines = clean_text(text).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    header = None
    if lines and lines[0].strip() == "---":
        header = _front_matter(lines)
    elif lines:
        header = _leading_header(lines)
    fields, body_start = header if header else ({}, 0)
    body = "\n".join(lines[body_start:]).strip()
    first_line = next((line.strip() for line in body.split("\n", 20) if line.strip()), "")
    if markdown:
        first_line = first_line.lstrip("#").strip()
    default_title = first_line if 0 < len(first_line) < 200 else None
    return Record(fields={**fields, "text": body}, default_title=default_title)


def parse_json(text: str) -> list[Record | Problem]:
    """One article object, or a list of them (bad items become problems with their 1-based position)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as error:
        reason = json_error(error)
        if isinstance(error, json.JSONDecodeError) and error.msg == "Extra data":
            reason += " (one article per line needs the .jsonl suffix)"
        raise Rejected(reason) from None
    if isinstance(value, dict):
        return [Record(fields=value)]
    if not isinstance(value, list):
        raise Rejected(f"not an article: the JSON is {kind_of(value)}, not an object or a list of objects")
    if not value:
        raise Rejected("no articles (empty JSON list)")
    items: list[Record | Problem] = []
    for position, item in enumerate(value, start=1):
        raw = partial(_json_bytes, item)
        if isinstance(item, dict):
            items.append(Record(fields=item, file_line=position, raw=raw))
        else:
            items.append(Problem(f"list item is not a JSON object ({kind_of(item)})", position, raw))
    return items


def _jsonl_record(line: bytes, line_no: int) -> Record | Problem:
    if b"\x00" in line:
        return Problem("binary data (contains NUL bytes)", line_no, line)
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        return Problem(_utf8_error(line, error), line_no, line)
    return _jsonl_value(text, line_no, line)


def _jsonl_value(text: str, line_no: int, raw: bytes) -> Record | Problem:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as error:
        return Problem(json_error(error), line_no, raw)
    if not isinstance(value, dict):
        return Problem(f"not a JSON object ({kind_of(value)})", line_no, raw)
    return Record(fields=value, file_line=line_no, raw=raw)


def iter_jsonl(handle: IO[bytes], *, max_line_bytes: int,
               on_bytes: Callable[[bytes], object]) -> Iterator[Record | Problem]:
    """The non-blank lines of a UTF-8 JSON Lines file, one at a time; every byte read is passed to on_bytes."""
    line_no = 0
    while raw := handle.readline(max_line_bytes + 1):
        on_bytes(raw)
        line_no += 1
        if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
            size = len(raw)
            while raw and not raw.endswith(b"\n"):
                raw = handle.readline(1 << 20)
                on_bytes(raw)
                size += len(raw)
            yield Problem(f"line too large ({size} bytes; limit {max_line_bytes}, set GEOEVENTS_MAX_FILE_MB)",
                          line_no, None)
            continue
        if line_no == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        line = raw[:-1] if raw.endswith(b"\n") else raw
        line = line[:-1] if line.endswith(b"\r") else line
        if line.strip():
            yield _jsonl_record(line, line_no)


def parse_jsonl_text(text: str, codec: str) -> Iterator[Record | Problem]:
    """The non-blank lines of an already decoded (UTF-16/32) JSON Lines file; kept bytes are in `codec`."""
    for line_no, line in enumerate(clean_text(text).split("\n"), start=1):
        if line.strip():
            yield _jsonl_value(line, line_no, line.encode(codec))


def parse_html(html: str) -> Record:
    """The main text and metadata of a web page, extracted by trafilatura."""
    import trafilatura  # slow to import; only needed when there are web pages

    try:
        document = trafilatura.bare_extraction(html, with_metadata=True)
    except Exception as error:  # trafilatura and lxml raise many kinds of errors on broken markup
        raise Rejected(f"HTML could not be parsed: {type(error).__name__}: {error}") from None
    text = clean_text(getattr(document, "text", None) or "").strip() if document is not None else ""
    if not any(len(line.split()) >= _MIN_SENTENCE_WORDS for line in text.split("\n")):
        raise Rejected("no main text found in HTML")
    lang = _HTML_LANG_RE.search(html[:4096])
    return Record(fields={
        "text": text,
        "title": document.title,
        "url": document.url,
        "source": document.sitename,
        "published_at": document.date,
        "lang": lang.group(1) if lang else None,
    })
