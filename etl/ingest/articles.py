"""Checking a record's fields and completing them into an article row: id, language, publication date, title."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from etl import settings
from etl.coder import detect_language, parse_date
from etl.coder.dates import find_dates
from etl.ingest.formats import FIELD_NAMES, Rejected, clean_text, kind_of

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_TRACKING_PARAMETER_RE = re.compile(r"utm_.*|fbclid|gclid", re.IGNORECASE)
_HOST_PORT_RE = re.compile(r"(.*?)(?::(\d*))?")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_NUMERIC_DATE_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_WRITTEN_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")
_LANGUAGE_NAMES = {
    "english": "en", "eng": "en", "inggris": "en", "bahasa inggris": "en",
    "indonesian": "id", "ind": "id", "indonesia": "id", "bahasa indonesia": "id",
    # Java's Locale still writes Indonesian with its withdrawn ISO 639 code.
    "in": "id",
}
#: How far into an article its dateline is looked for.
DATELINE_CHARS = 600


def normalise_url(url: str) -> str:
    """The URL with what does not change the page removed: case of scheme and host, default port,
    fragment, tracking parameters (utm_*, fbclid, gclid) and a trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    userinfo, at, host_port = parts.netloc.rpartition("@")
    match = _HOST_PORT_RE.fullmatch(host_port)
    host, port = (match.group(1), match.group(2)) if match else (host_port, None)
    netloc = userinfo + at + host.lower()
    if port and port != _DEFAULT_PORTS.get(scheme):
        netloc += ":" + port
    # Filtering the raw "key=value" pieces keeps the other parameters' encoding exactly as given.
    query = "&".join(piece for piece in parts.query.split("&")
                     if piece and not _TRACKING_PARAMETER_RE.fullmatch(piece.split("=", 1)[0]))
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), query, ""))


def article_id(url: str | None, text: str, given_id: str | None = None) -> str:
    """A stable article id: the given one, else "u" + hash of the normalised URL, else "t" + hash of the text
    (case-folded, whitespace collapsed), so the same article arriving twice gets the same id."""
    if given_id and given_id.strip():
        return given_id.strip()
    if url and url.strip():
        return "u" + hashlib.sha256(normalise_url(url).encode("utf-8")).hexdigest()[:20]
    canonical = " ".join(text.casefold().split())
    return "t" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]


def normalise_language(value: str | None) -> str | None:
    """A lowercase ISO 639-1 code from a language tag or name ("en-US", "EN", "english"), or None."""
    if not value:
        return None
    name = " ".join(value.strip().lower().split())
    if name in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[name]
    code = re.split(r"[-_ ]", name, maxsplit=1)[0]
    code = _LANGUAGE_NAMES.get(code, code)
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


def parse_published(value: str | None) -> dt.date | None:
    """A publication date from metadata: ISO 8601, YYYY/MM/DD, RFC 2822 or "8 May 2025"; None if unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    day = parse_date(value)
    if day is not None:
        return day
    match = _NUMERIC_DATE_RE.match(value)
    if match:
        try:
            return dt.date(*(int(group) for group in match.groups()))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    for written in _WRITTEN_DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, written).date()
        except ValueError:
            continue
    return None


def date_from_text(text: str, lang: str, today: dt.date) -> dt.date | None:
    """The first explicit date (with digits, e.g. "8 Mei 2025", "July 24") in the opening of an article."""
    for mention in find_dates(text[:DATELINE_CHARS], lang, today):
        if any(ch.isdigit() for ch in mention.text) and len(mention.text) > 6:
            return mention.day
    return None


def _string_fields(fields: Mapping[str, object]) -> dict[str, str]:
    """The known fields as strings (numbers converted, lone surrogates replaced by U+FFFD); objects, lists and
    booleans are rejected."""
    lowered = {key.lower() if isinstance(key, str) else key: value for key, value in fields.items()}
    found: dict[str, str] = {}
    for field, names in FIELD_NAMES.items():
        for name in names:
            value = lowered.get(name)
            if value is None:
                continue
            if isinstance(value, int | float) and not isinstance(value, bool) and field != "text":
                value = str(value)
            elif not isinstance(value, str):
                raise Rejected(f"'{name}' is not a string ({kind_of(value)})")
            elif not value.isascii() and _SURROGATE_RE.search(value):
                # A JSON escape of half a UTF-16 pair ("\\ud800") is no character and cannot be stored.
                value = _SURROGATE_RE.sub("\ufffd", value)
            if field not in found and value.strip():
                found[field] = value
    return found


def _one_line(value: str | None) -> str | None:
    return " ".join(clean_text(value).split()) or None if value else None


def build_article(fields: Mapping[str, object], *, default_title: str | None, file: str, file_line: int | None,
                  mtime_ns: int, today: dt.date) -> tuple:
    """An article row in ARTICLE_SCHEMA's column order; raises Rejected when the record is not an article."""
    values = _string_fields(fields)
    text = clean_text(values.get("text", "")).strip()
    if not text:
        raise Rejected("no text")
    if len(text) > settings.MAX_ARTICLE_CHARS:
        raise Rejected(f"text too long ({len(text)} characters; limit {settings.MAX_ARTICLE_CHARS}, "
                       "set GEOEVENTS_MAX_ARTICLE_CHARS)")
    url = values["url"].strip() if "url" in values else None
    title = _one_line(values.get("title")) or default_title
    source = _one_line(values.get("source"))
    language = normalise_language(values.get("lang")) or detect_language(text)

    published = parse_published(values.get("published_at"))
    date_source = "metadata"
    if published is None and language in settings.SUPPORTED_LANGUAGES:
        published, date_source = date_from_text(text, language, today), "text"
    if published is None:
        published = dt.datetime.fromtimestamp(mtime_ns / 1e9, dt.UTC).date()
        date_source = "file_time"
    return (article_id(url, text, values.get("id")), url, source, title, published, date_source, language, text,
            file, file_line)
