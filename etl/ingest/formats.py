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
_BINARY_REASON = "binary file (contains NUL bytes)"
#: How many leading bytes tell UTF-16/32 without a BOM by its NUL bytes.
_SNIFF_BYTES = 4096
#: How many leading characters of a decoded file are checked for looking like text: all of what a guessed
#: encoding gives, the start of what a Unicode encoding gives (a binary file looks binary from its start).
_SAMPLE_CHARS = 65536
_UNICODE_SAMPLE_CHARS = 8192
# Control characters that text does not contain (tab, newlines, vertical tab and form feed are text).
_BINARY_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_REPLACEMENT_RE = re.compile("\ufffd")
_BINARY_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x20), 0x7F])
_UTF8_REPLACEMENT = "\ufffd".encode()
#: Unicode text (valid UTF-8/16/32) with a larger share of control or replacement characters is not text.
_MAX_CONTROLS = 0.1
#: Limits for bytes read as Windows-1252/ISO-8859-1, which any bytes decode as: control characters, and
#: non-ASCII characters among the non-space ones (European languages in Latin script stay far below).
_MAX_LEGACY_CONTROLS = 0.01
_MAX_LEGACY_NON_ASCII = 0.3
# A valid UTF-8 multi-byte sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
_UTF8_SEQUENCE_RE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_ASCII_BYTES = bytes(range(0x80))
_C1_BYTES = bytes(range(0x80, 0xA0))
_CP1252_UNDEFINED_RE = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE",
                    "utf-32-le": "UTF-32 LE", "utf-32-be": "UTF-32 BE", "cp1252": "Windows-1252", "latin-1": "ISO-8859-1"}
# Labels a page may declare that browsers read as Windows-1252 (WHATWG Encoding Standard).
_READ_AS_CP1252 = frozenset({"latin-1", "iso8859-1", "ascii"})
# Four letters above ASCII in a row (Windows-1252's accented letters, OE, S and Z with caron, Y diaeresis,
# f hook) occur in no Western European word; random bytes read as Windows-1252 are full of them.
_LEGACY_LETTER_RUN_RE = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161\u0178"
                                   "\u017d\u017e\u0192]{4,}")
_DOCTYPE_SUBSET_RE = re.compile(r"<!DOCTYPE[^>\[]{0,200}\[", re.IGNORECASE)
_SUBSET_END_RE = re.compile(r"\]\s*>")
# A Latin-1 symbol between two letters ("³" in "powiedzia³em"): another encoding read as Windows-1252. Left
# out: no-break and soft hyphen, guillemets, the acute accent typed as an apostrophe, the Catalan middle dot.
_SYMBOL_IN_WORD_RE = re.compile(r"[^\W\d_][\xa1-\xa9\xac\xae-\xb3\xb6\xb8\xb9\xbc-\xbf][^\W\d_]")
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


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a file and the encoding it was read in."""

    text: str
    #: The Python codec the bytes were decoded with: "utf-8", "utf-8-sig", "utf-16-le", "cp1252", "latin-1", ...
    encoding: str
    #: True when nothing in the file said so (no BOM, not UTF-8, no declared charset): the encoding was inferred.
    guessed: bool = False

    @property
    def label(self) -> str:
        """The encoding's name for people: "Windows-1252", "UTF-16 LE without BOM", ..."""
        name = _ENCODING_LABELS.get(self.encoding, self.encoding)
        return f"{name} without BOM" if self.guessed and name.startswith("UTF") else name

    @property
    def line_codec(self) -> str:
        """The codec that gives back the bytes of one line of the text (no BOM)."""
        return "utf-8" if self.encoding == "utf-8-sig" else self.encoding


def _utf8_error(data: bytes, error: UnicodeDecodeError, offset: int = 0) -> str:
    return f"not valid UTF-8 (invalid byte 0x{data[error.start]:02x} at offset {error.start + offset})"


def bom_codec(head: bytes) -> tuple[bytes, str, str] | None:
    """(BOM, codec without BOM, label) when the bytes start with a Unicode byte order mark."""
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            return bom, codec, label
    return None


def unmarked_utf16_codec(head: bytes) -> str | None:
    """The codec of UTF-16 or UTF-32 text without a BOM, told by the NUL bytes of mostly-ASCII text: every
    other byte (UTF-16) or three bytes in four (UTF-32) are 0, on the same side, and the others almost never."""
    sample = head[:_SNIFF_BYTES]
    sample = sample[: len(sample) // 4 * 4]
    if not sample:
        return None
    quarter = len(sample) // 4
    z0, z1, z2, z3 = (sample[position::4].count(0) for position in range(4))
    # Letters outside Latin-1 (UTF-16) or the BMP (UTF-32) have no 0 byte, so "mostly"; a 0 where the
    # character's low byte is (U+0100, U+2000, ...) is rare, so "almost never".
    if z3 == quarter and z2 >= 0.95 * quarter and z1 >= 0.8 * quarter and z0 <= 0.02 * quarter:
        return "utf-32-le"
    if z0 == quarter and z1 >= 0.95 * quarter and z2 >= 0.8 * quarter and z3 <= 0.02 * quarter:
        return "utf-32-be"
    if z1 + z3 >= 1.6 * quarter and z0 + z2 <= 0.04 * quarter:
        return "utf-16-le"
    if z0 + z2 >= 1.6 * quarter and z1 + z3 <= 0.04 * quarter:
        return "utf-16-be"
    return None


def _share(pattern: re.Pattern[str], sample: str) -> float:
    """The share of the sample's characters that match the one-character pattern (0 for an empty sample)."""
    if not sample or not pattern.search(sample):
        return 0.0
    return len(pattern.findall(sample)) / len(sample)


def _not_text_reason(text: str) -> str | None:
    """Why Unicode text that decoded without error is still not text (a binary file that happens to decode)."""
    sample = text[:_UNICODE_SAMPLE_CHARS]
    return _not_text_shares(_share(_BINARY_CONTROL_RE, sample), _share(_REPLACEMENT_RE, sample))


def _not_utf8_text_reason(data: bytes) -> str | None:
    """_not_text_reason for valid UTF-8, counted on its bytes: as fast as decoding, for the files of every run."""
    sample = data[:_UNICODE_SAMPLE_CHARS]
    if not sample:
        return None
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROL_BYTES))
    replaced = sample.count(_UTF8_REPLACEMENT)
    return _not_text_shares(controls / len(sample), replaced / (len(sample) - 2 * replaced))


def _not_text_shares(controls: float, replaced: float) -> str | None:
    if controls > _MAX_CONTROLS:
        return f"binary file ({controls:.0%} control characters)"
    if replaced > _MAX_CONTROLS:
        return f"not text ({replaced:.0%} replacement characters U+FFFD)"
    return None


def decode_legacy(data: bytes) -> tuple[str, str]:
    """Bytes that are not UTF-8 read as Windows-1252 (as ISO-8859-1 when they use none of the bytes 0x80-0x9F,
    where the two differ) if the result reads like Western European text; (text, codec) or Rejected.

    The text is rejected when it looks like damaged UTF-8 (more bytes in valid UTF-8 sequences than outside
    them), has bytes undefined in Windows-1252 (C1 control characters in ISO-8859-1), control characters,
    more non-ASCII than a European language has, runs of accented letters or symbols inside words."""
    non_ascii = data.translate(None, _ASCII_BYTES)
    sequences = _UTF8_SEQUENCE_RE.findall(data)
    in_utf8 = sum(map(len, sequences))
    if len(sequences) >= 2 and in_utf8 >= len(non_ascii) - in_utf8:
        raise Rejected(f"it looks like damaged UTF-8: {in_utf8} of its {len(non_ascii)} non-ASCII bytes form "
                       "valid UTF-8 sequences")
    undefined = _CP1252_UNDEFINED_RE.search(data)
    if undefined:
        raise Rejected(f"byte 0x{undefined.group()[0]:02x} at offset {undefined.start()} is undefined in "
                       "Windows-1252 and a control character in ISO-8859-1")
    codec = "cp1252" if non_ascii.translate(None, _C1_BYTES) != non_ascii else "latin-1"
    text = data.decode(codec)
    label = _ENCODING_LABELS[codec]
    sample = text[:_SAMPLE_CHARS]
    controls = _share(_BINARY_CONTROL_RE, sample)
    if controls > _MAX_LEGACY_CONTROLS:
        raise Rejected(f"as {label} it has {controls:.0%} control characters")
    visible = len("".join(sample.split()))
    foreign = len(sample) - len(sample.encode("ascii", "ignore"))
    if visible and foreign / visible > _MAX_LEGACY_NON_ASCII:
        raise Rejected(f"as {label} it is {foreign / visible:.0%} non-ASCII, not Western European text")
    run = _LEGACY_LETTER_RUN_RE.search(sample)
    if run:
        raise Rejected(f"as {label} it has letters like '{run.group()[:8]}' that are no word")
    inside = _SYMBOL_IN_WORD_RE.search(sample)
    if inside:  # e.g. Polish in Windows-1250: "powiedzia³", "¿e"
        raise Rejected(f"as {label} it has symbols inside words like '{inside.group()}'")
    return text, codec


def decode_text(data: bytes, *, declared_charset: bool = False) -> Decoded:
    """The text of a file and its encoding, or Rejected saying why the bytes are not text.

    In order: a BOM (UTF-8, UTF-16 or UTF-32) decides; NUL bytes mean UTF-16/32 without a BOM when they fall
    in that pattern, else a binary file; then strict UTF-8; then, with declared_charset, the charset an HTML
    <meta> declares; last, Windows-1252/ISO-8859-1 when the text reads like Western European text."""
    found = bom_codec(data)
    if found and found[1] != "utf-8":
        bom, codec, label = found
        try:
            text = data[len(bom):].decode(codec)
        except UnicodeDecodeError as error:
            raise Rejected(f"not valid {label} ({error.reason} at offset {error.start + len(bom)})") from None
        return _checked(Decoded(text, codec))
    if found:
        body = data[len(codecs.BOM_UTF8):]
        if b"\x00" in body:
            raise Rejected(_BINARY_REASON)
        try:
            return _utf8_checked(body, "utf-8-sig")
        except UnicodeDecodeError as error:
            raise Rejected(_utf8_error(body, error, len(codecs.BOM_UTF8))) from None
    if b"\x00" in data:
        codec = unmarked_utf16_codec(data)
        if codec is None:
            raise Rejected(_BINARY_REASON)
        label = _ENCODING_LABELS[codec]
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as error:  # damaged, cut short, or binary whose NULs fell in the pattern
            raise Rejected(f"not valid {label} without BOM ({error.reason} at offset {error.start})") from None
        if _not_text_reason(text):  # e.g. a table of small 16-bit numbers
            raise Rejected(_BINARY_REASON)
        return Decoded(text, codec, guessed=True)
    try:
        return _utf8_checked(data, "utf-8")
    except UnicodeDecodeError as error:
        reason = _utf8_error(data, error)
    if declared_charset:
        declared, note = _decode_declared(data)
        if declared is not None:
            return declared
        reason += note
    try:
        text, codec = decode_legacy(data)
    except Rejected as rejected:
        raise Rejected(f"{reason}, and no other encoding fits ({rejected.reason})") from None
    return Decoded(text, codec, guessed=True)


def decode(data: bytes, *, declared_charset: bool = False) -> str:
    """The text of a file (see decode_text), or Rejected."""
    return decode_text(data, declared_charset=declared_charset).text


def _utf8_checked(data: bytes, encoding: str) -> Decoded:
    text = data.decode("utf-8")
    reason = _not_utf8_text_reason(data)
    if reason:
        raise Rejected(reason)
    return Decoded(text, encoding)


def _checked(decoded: Decoded) -> Decoded:
    reason = _not_text_reason(decoded.text)
    if reason:
        raise Rejected(reason)
    return decoded


def _decode_declared(data: bytes) -> tuple[Decoded | None, str]:
    """Web pages saved as they were served are often in the charset their <meta> declares, not UTF-8: the page
    in that charset, or None and a note for the reason why not."""
    match = _DECLARED_CHARSET_RE.search(data[:4096])
    if not match:
        return None, ""
    charset = match.group(1).decode("ascii")
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        return None, f"; declared charset '{charset}' is unknown"
    if codec.startswith(("utf-8", "utf-16", "utf-32", "utf_16", "utf_32")):
        # UTF-16/32 would have a BOM or NUL bytes; pages saved as UTF-8 often still declare them.
        return None, ""
    if codec in _READ_AS_CP1252 and not _CP1252_UNDEFINED_RE.search(data):
        codec = "cp1252"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        return None, f"; not valid {charset} either (invalid byte 0x{data[error.start]:02x} at offset {error.start})"
    if _not_text_reason(text):
        return None, ""
    return Decoded(text, codec), ""


def json_error(error: ValueError | RecursionError) -> str:
    """A reason for JSON that cannot be parsed."""
    if isinstance(error, json.JSONDecodeError):
        # "Unterminated string starting at" names its position itself
        return f"not valid JSON: {error.msg.removesuffix(' at')} at line {error.lineno} column {error.colno}"
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
        try:  # a line in Windows-1252 or ISO-8859-1, as in feeds concatenated from several sources
            text = decode_legacy(line)[0]
        except Rejected as rejected:
            return Problem(f"{_utf8_error(line, error)}, and no other encoding fits ({rejected.reason})", line_no,
                           line)
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
    """The non-blank lines of a JSON Lines file in UTF-8 (a line that is not is read as Windows-1252 or ISO-8859-1
    when it reads like Western European text), one at a time; every byte read is passed to on_bytes."""
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
    """The non-blank lines of an already decoded (UTF-16/32) JSON Lines file; kept bytes are in `codec` (no BOM)."""
    for line_no, line in enumerate(clean_text(text).split("\n"), start=1):
        if line.strip():
            yield _jsonl_value(line, line_no, line.encode(codec))


def without_internal_subset(html: str) -> str:
    """The page with the internal subset of its DOCTYPE (`<!DOCTYPE html [ <!ENTITY ...> ]>`) removed.

    HTML has no entity declarations; in a web page they can only be an attack on an XML parser (entities
    that expand a billion times, external entities that read local files or URLs). lxml's HTML parser, which
    trafilatura uses, expands and fetches none of them; removing them keeps it that way whatever parser runs."""
    pieces: list[str] = []
    position = 0
    while match := _DOCTYPE_SUBSET_RE.search(html, position):
        pieces += [html[position : match.start()], "<!DOCTYPE html>"]
        end = _SUBSET_END_RE.search(html, match.end())
        # Unterminated: everything after the "[" is inside the DOCTYPE, so none of it is page.
        position = end.end() if end else len(html)
    return "".join([*pieces, html[position:]]) if pieces else html


def parse_html(html: str) -> Record:
    """The main text and metadata of a web page, extracted by trafilatura."""
    import trafilatura  # slow to import; only needed when there are web pages

    html = without_internal_subset(html)
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
