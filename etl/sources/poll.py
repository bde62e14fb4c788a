"""Polling sources: a feed's new items, a page, a folder's new files become landing files.

Nothing here keeps state: what was seen, the conditional-request validators and the attempts of failing
items come in as arguments and go out in the `PollResult`, for the caller to store and pass back next time.

    >>> result = poll_feed(source, fetcher, seen=known_keys, validators=stored)  # doctest: +SKIP
    >>> write_landing_file(result.articles, landing_dir, source.name, now)  # doctest: +SKIP
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import hashlib
import io
import json
import os
import re
import shutil
import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from etl.ingest.articles import article_id, normalise_language, normalise_url
from etl.ingest.formats import SUPPORTED_SUFFIXES, Rejected, decode, parse_html
from etl.ingest.landing import list_landing_files
from etl.sources.config import NAME_RE, Source
from etl.sources.fetch import Fetcher, FetchError, FetchResult

#: A feed item's own content (content:encoded, Atom content) is used instead of fetching its page when its
#: text is at least this long: shorter content is a teaser.
FULL_TEXT_MIN_CHARS = 1000
#: A failing item is tried on this many polls, then remembered as seen with its reason.
DEFAULT_MAX_ATTEMPTS = 3
#: Files of a folder source modified this recently may still be being written; they wait for the next poll.
FOLDER_SETTLE_S = 2.0
#: The Accept header for feeds and for pages.
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


_ENTITY_DECLARATION_RE = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FIRST_ELEMENT_RE = re.compile(rb"<[A-Za-z_]")
#: How far into a feed its DOCTYPE is looked for.
_PROLOG_BYTES = 65536


class FeedError(ValueError):
    """A body that is not a usable RSS or Atom feed; the message says why."""


@dataclass(frozen=True)
class Validators:
    """What a conditional request needs next time, plus a digest of the last text (for pages)."""

    etag: str | None = None
    last_modified: str | None = None
    #: sha256 of the last article text of a page source: an unchanged page gives no new article.
    digest: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"etag": self.etag, "last_modified": self.last_modified, "digest": self.digest}

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> Validators | None:
        if not data:
            return None
        values = {key: data.get(key) if isinstance(data.get(key), str) else None
                  for key in ("etag", "last_modified", "digest")}
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Health:
    """How one poll of one source went."""

    source: str
    checked_at: dt.datetime
    #: The source could be read (fetched and parsed; for a folder: listed). Item problems do not make it False.
    ok: bool
    #: Why ok is False; or, when ok, a warning (items failed, feed read leniently, items deferred), else None.
    reason: str | None
    http_status: int | None
    #: Items in the feed (files in the folder); 0 when the feed was not modified.
    items_seen: int
    #: Items not seen before (files copied, for a folder).
    items_new: int
    #: Articles produced.
    articles: int
    duration_s: float


@dataclass(frozen=True)
class SeenItem:
    """An item to remember as seen: fetched (reason None), or given up after its attempts (reason says why)."""

    key: str
    url: str | None
    reason: str | None = None


@dataclass(frozen=True)
class ItemProblem:
    """An item that gave no article this time."""

    key: str
    url: str | None
    reason: str
    #: Polls that have tried it, this one included.
    attempts: int
    #: True when it will not be tried again (it is in new_seen with the reason).
    given_up: bool


@dataclass
class PollResult:
    source: str
    #: Article dicts for the landing folder (text, title, url, source, published_at, lang, id, fetched_at).
    articles: list[dict[str, str | None]]
    #: Keys to add to the source's seen set (with reasons for given-up items).
    new_seen: list[SeenItem]
    #: Validators to store and pass back next time (None: none known).
    validators: Validators | None
    health: Health
    problems: list[ItemProblem] = field(default_factory=list)
    #: Attempts so far of items that failed and will be retried: store and pass back as `attempts=`.
    attempts: dict[str, int] = field(default_factory=dict)
    #: Files copied into the landing folder (folder sources).
    files: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class FeedItem:
    key: str
    link: str | None
    title: str | None
    #: ISO 8601, with the feed's own UTC offset when it gave one.
    published_at: str | None
    #: The item's own text when it carries the full article (content:encoded), else None.
    full_text: str | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    lang: str | None
    items: list[FeedItem]
    #: Set when the feed is not well-formed but could be read leniently.
    warning: str | None = None


@dataclass(frozen=True)
class SourceCheck:
    """The answer of `geoevents sources check` for one source."""

    name: str
    ok: bool
    reason: str | None
    http_status: int | None
    #: Items in the feed, 1 for a page with main text, supported files in a folder.
    items: int


# -- feeds ----------------------------------------------------------------------------------------------------


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _entry_date(entry: Mapping) -> str | None:
    """The item's date as ISO 8601, keeping its UTC offset (the local date is the article's date)."""
    for raw_key, parsed_key in (("published", "published_parsed"), ("updated", "updated_parsed"),
                                ("created", "created_parsed")):
        raw = entry.get(raw_key)
        if isinstance(raw, str) and raw.strip():
            text = raw.strip()
            try:
                moment = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                moment = None
            if moment is None:
                try:
                    moment = dt.datetime.fromisoformat(text)
                except ValueError:
                    moment = None
            if moment is not None:
                return _aware(moment).isoformat()
        parsed = entry.get(parsed_key)
        if parsed:
            try:
                return dt.datetime(*parsed[:6], tzinfo=dt.UTC).isoformat()
            except (TypeError, ValueError):
                continue
    return None


def _html_main_text(html: str) -> tuple[str, Mapping[str, object]] | None:
    """(main text, metadata fields) of an HTML page, or None when it has no main text."""
    try:
        record = parse_html(html)
    except Rejected:
        return None
    return str(record.fields["text"]), record.fields


def _full_text(entry: Mapping) -> str | None:
    contents = [content for content in entry.get("content") or [] if isinstance(content.get("value"), str)]
    if not contents:
        return None
    content = max(contents, key=lambda item: len(item["value"]))
    value = content["value"]
    if len(value) < FULL_TEXT_MIN_CHARS:
        return None
    if "html" in str(content.get("type", "html")):
        found = _html_main_text(f"<html><body><article>{value}</article></body></html>")
        text = found[0] if found else None
    else:
        text = value.strip()
    return text if text and len(text) >= FULL_TEXT_MIN_CHARS else None


def _exception_text(error: object) -> str:
    message = getattr(error, "getMessage", None)
    line = getattr(error, "getLineNumber", None)
    if callable(message) and callable(line):
        return f"{message()} at line {line()}"
    return str(error) or type(error).__name__


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """RSS 0.9x/1.0/2.0 or Atom bytes to items. Raises FeedError for what is not a feed.

    feedparser reads the bytes (given as a stream: a bytes argument naming an existing file would be opened);
    it never resolves external entities, drops entity declarations that reference others or the outside
    (billion laughs, XXE) and fetches nothing."""
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, resolve_relative_uris=True,
                              sanitize_html=True)
    entries = [entry for entry in parsed.entries if entry.get("id") or entry.get("link")]
    exception = parsed.get("bozo_exception") if parsed.get("bozo") else None
    # A declared charset that was wrong, or an XML feed served as text/html, is no reason to complain.
    soft = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    problem = _exception_text(exception) if exception is not None and not isinstance(exception, soft) else None
    if not entries:
        if not parsed.get("version"):
            looks_like = " (it looks like an HTML page)" if b"<html" in body[:2048].lower() else ""
            raise FeedError(f"not an RSS or Atom feed{looks_like}")
        if problem:
            raise FeedError(f"not a well-formed feed: {problem}")
    feed = parsed.get("feed", {})
    items: list[FeedItem] = []
    keys: set[str] = set()
    for entry in entries:
        link = entry.get("link") or None
        guid = (entry.get("id") or "").strip()
        key = guid or normalise_url(link)
        if not key or key in keys:
            continue
        keys.add(key)
        items.append(FeedItem(key=key, link=link, title=(entry.get("title") or "").strip() or None,
                              published_at=_entry_date(entry), full_text=_full_text(entry)))
    warnings = []
    head = body[:_PROLOG_BYTES]
    first_element = _FIRST_ELEMENT_RE.search(head)
    if _ENTITY_DECLARATION_RE.search(head[:first_element.start()] if first_element else head):
        warnings.append("the feed declares XML entities; they were ignored (never expanded, never fetched)")
    elif problem:
        warnings.append(f"feed is not well-formed ({problem}); read leniently")
    warning = "; ".join(warnings) or None
    return ParsedFeed(title=(feed.get("title") or "").strip() or None,
                      lang=normalise_language(feed.get("language")), items=items, warning=warning)


def _decode_html(result: FetchResult) -> str:
    charset = result.charset
    if charset:
        try:
            return result.body.decode(codecs.lookup(charset).name, errors="replace")
        except LookupError:
            pass
    try:
        return decode(result.body, declared_charset=True)
    except Rejected:
        return result.body.decode("utf-8", errors="replace")


def _merge_dates(page_date: object, item_date: str | None) -> str | None:
    """The page's date (trafilatura gives a day), made precise by the item's timestamp when the day agrees;
    else the item's date."""
    if isinstance(page_date, str) and page_date.strip():
        day = page_date.strip()[:10]
        if item_date and item_date[:10] == day:
            return item_date
        return day
    return item_date


def _article(*, text: str, url: str | None, title: str | None, published_at: str | None, lang: str | None,
             source: Source, fetched_at: dt.datetime) -> dict[str, str | None]:
    return {
        "id": article_id(url, text),
        "url": url,
        "title": title,
        "text": text,
        "source": source.name,
        "published_at": published_at,
        "lang": lang,
        "fetched_at": fetched_at.isoformat(),
    }


def _conditional_get(source: Source, fetcher: Fetcher, validators: Validators | None, accept: str) -> FetchResult:
    """The source's URL, asked for only if changed since the validators (raises FetchError)."""
    return fetcher.get(source.url or "", etag=validators.etag if validators else None,
                       last_modified=validators.last_modified if validators else None, accept=accept)


def _kept(response: FetchResult, validators: Validators | None) -> Validators:
    """The validators after a 304: the server's new ones where it sent them, else the previous ones."""
    previous = validators or Validators()
    return Validators(response.etag or previous.etag, response.last_modified or previous.last_modified,
                      previous.digest)


def _finish(source: Source, started: float, now: dt.datetime, **values: object) -> Health:
    return Health(source=source.name, checked_at=now, duration_s=round(time.monotonic() - started, 3),
                  **values)  # type: ignore[arg-type]


def poll_feed(source: Source, fetcher: Fetcher, *, seen: Collection[str], validators: Validators | None = None,
              attempts: Mapping[str, int] | None = None, max_attempts: int = DEFAULT_MAX_ATTEMPTS,
              now: dt.datetime | None = None) -> PollResult:
    """Fetch a feed (conditionally), and each item not in `seen` (up to source.max_items): its page's main text
    becomes an article. A failing item is a problem, tried again on later polls until max_attempts, then
    remembered as seen with its reason. `attempts` are the counts from the previous result's `attempts`."""
    now = _aware(now or _utc_now())
    started = time.monotonic()
    attempts = attempts or {}
    try:
        response = _conditional_get(source, fetcher, validators, FEED_ACCEPT)
    except FetchError as error:
        health = _finish(source, started, now, ok=False, reason=error.reason, http_status=error.status,
                         items_seen=0, items_new=0, articles=0)
        return PollResult(source.name, [], [], validators, health, attempts=dict(attempts))
    if response.not_modified:
        kept = _kept(response, validators)
        health = _finish(source, started, now, ok=True, reason=None, http_status=304, items_seen=0, items_new=0,
                         articles=0)
        return PollResult(source.name, [], [], kept, health, attempts=dict(attempts))
    new_validators = Validators(response.etag, response.last_modified)
    try:
        feed = parse_feed(response.body, url=response.final_url, content_type=response.headers.get("content-type"))
    except FeedError as error:
        # The validators are not stored: the same broken body must be looked at again next time.
        health = _finish(source, started, now, ok=False, reason=str(error), http_status=response.status,
                         items_seen=0, items_new=0, articles=0)
        return PollResult(source.name, [], [], validators, health, attempts=dict(attempts))

    articles: list[dict[str, str | None]] = []
    new_seen: list[SeenItem] = []
    problems: list[ItemProblem] = []
    retry: dict[str, int] = {}
    fresh = [item for item in feed.items if item.key not in seen]
    for item in fresh[:source.max_items]:
        try:
            article = _item_article(item, source, fetcher, feed, now)
        except _ItemFailed as failure:
            tries = int(attempts.get(item.key, 0)) + 1
            given_up = tries >= max_attempts
            problems.append(ItemProblem(item.key, item.link, failure.reason, tries, given_up))
            if given_up:
                new_seen.append(SeenItem(item.key, item.link, f"gave up after {tries} attempts: {failure.reason}"))
            else:
                retry[item.key] = tries
            continue
        articles.append(article)
        new_seen.append(SeenItem(item.key, article["url"]))
    for item in fresh[source.max_items:]:  # deferred, not tried: their attempts so far are kept
        if item.key in attempts:
            retry[item.key] = int(attempts[item.key])
    warnings = [feed.warning] if feed.warning else []
    if problems:
        warnings.append(f"{len(problems)} of {min(len(fresh), source.max_items)} new items gave no article")
    if len(fresh) > source.max_items:
        warnings.append(f"{len(fresh) - source.max_items} new items left for the next poll (max_items)")
    health = _finish(source, started, now, ok=True, reason="; ".join(warnings) or None,
                     http_status=response.status, items_seen=len(feed.items), items_new=len(fresh),
                     articles=len(articles))
    return PollResult(source.name, articles, new_seen, new_validators, health, problems, retry)


class _ItemFailed(Exception):
    @property
    def reason(self) -> str:
        return str(self.args[0])


def _item_article(item: FeedItem, source: Source, fetcher: Fetcher, feed: ParsedFeed,
                  now: dt.datetime) -> dict[str, str | None]:
    if item.full_text:
        return _article(text=item.full_text, url=item.link, title=item.title, published_at=item.published_at,
                        lang=source.lang or feed.lang, source=source, fetched_at=now)
    if not item.link:
        raise _ItemFailed("item has no link and no full text")
    try:
        page = fetcher.get(item.link, accept=PAGE_ACCEPT)
    except FetchError as error:
        raise _ItemFailed(f"page: {error.reason}") from None
    found = _html_main_text(_decode_html(page))
    if found is None:
        raise _ItemFailed("page: no main text found")
    text, fields = found
    page_lang = fields.get("lang") if isinstance(fields.get("lang"), str) else None
    return _article(text=text, url=page.final_url, title=item.title or _str(fields.get("title")),
                    published_at=_merge_dates(fields.get("published_at"), item.published_at),
                    lang=source.lang or normalise_language(page_lang) or feed.lang, source=source, fetched_at=now)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


# -- pages ----------------------------------------------------------------------------------------------------


def poll_page(source: Source, fetcher: Fetcher, *, validators: Validators | None = None,
              now: dt.datetime | None = None) -> PollResult:
    """Fetch a page source (conditionally). A changed page gives a new version of its article (same URL, so the
    same article id downstream); an unchanged one (304, or the same text) gives none."""
    now = _aware(now or _utc_now())
    started = time.monotonic()
    try:
        page = _conditional_get(source, fetcher, validators, PAGE_ACCEPT)
    except FetchError as error:
        health = _finish(source, started, now, ok=False, reason=error.reason, http_status=error.status,
                         items_seen=0, items_new=0, articles=0)
        return PollResult(source.name, [], [], validators, health)
    if page.not_modified:
        kept = _kept(page, validators)
        health = _finish(source, started, now, ok=True, reason=None, http_status=304, items_seen=0, items_new=0,
                         articles=0)
        return PollResult(source.name, [], [], kept, health)
    found = _html_main_text(_decode_html(page))
    if found is None:
        health = _finish(source, started, now, ok=False, reason="no main text found", http_status=page.status,
                         items_seen=1, items_new=0, articles=0)
        return PollResult(source.name, [], [], validators, health)
    text, fields = found
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    new_validators = Validators(page.etag, page.last_modified, digest)
    if validators is not None and validators.digest == digest:
        health = _finish(source, started, now, ok=True, reason=None, http_status=page.status, items_seen=1,
                         items_new=0, articles=0)
        return PollResult(source.name, [], [], new_validators, health)
    page_lang = fields.get("lang") if isinstance(fields.get("lang"), str) else None
    article = _article(text=text, url=page.final_url, title=_str(fields.get("title")),
                       published_at=_str(fields.get("published_at")),
                       lang=source.lang or normalise_language(page_lang), source=source, fetched_at=now)
    health = _finish(source, started, now, ok=True, reason=None, http_status=page.status, items_seen=1,
                     items_new=1, articles=1)
    return PollResult(source.name, [article], [SeenItem(normalise_url(page.final_url), page.final_url)],
                      new_validators, health)


# -- folders --------------------------------------------------------------------------------------------------


def folder_key(name: str, size: int, mtime_ns: int) -> str:
    """The seen key of a folder file version: its relative name, size and modification time."""
    return f"{name}|{size}|{mtime_ns}"


def poll_folder(source: Source, *, landing_dir: Path, seen: Collection[str] = (), now: dt.datetime | None = None,
                settle_s: float = FOLDER_SETTLE_S) -> PollResult:
    """Copy the folder's new and changed files into landing_dir/sources/<name>/<UTC time>/, keeping their
    relative paths, so the pipeline reads them like any landing file; hidden, temporary and just-modified
    files wait. The seen key of a file version is its relative name, size and modification time."""
    now = _aware(now or _utc_now())
    started = time.monotonic()
    folder = source.path
    problem = _folder_problem(folder)
    if problem:
        health = _finish(source, started, now, ok=False, reason=problem, http_status=None, items_seen=0,
                         items_new=0, articles=0)
        return PollResult(source.name, [], [], None, health)
    assert folder is not None
    landing = Path(landing_dir).resolve()
    if folder.resolve().is_relative_to(landing) or landing.is_relative_to(folder.resolve()):
        health = _finish(source, started, now, ok=False, reason=f"the folder overlaps the landing folder {landing}; "
                         "files inside the landing folder are read directly", http_status=None, items_seen=0,
                         items_new=0, articles=0)
        return PollResult(source.name, [], [], None, health)
    files = list_landing_files(folder)
    cutoff_ns = int((time.time() - settle_s) * 1e9)
    batch = landing / "sources" / source.name / _stamp(now)
    copied: list[Path] = []
    new_seen: list[SeenItem] = []
    problems: list[ItemProblem] = []
    waiting = 0
    for landing_file in files:
        key = folder_key(landing_file.name, landing_file.size, landing_file.mtime_ns)
        if key in seen:
            continue
        if landing_file.mtime_ns > cutoff_ns:
            waiting += 1
            continue
        destination = batch / landing_file.name
        try:
            _copy_atomically(landing_file.path, destination)
        except OSError as error:
            problems.append(ItemProblem(key, str(landing_file.path), f"copy failed: {error.strerror or error}", 1,
                                        False))
            continue
        copied.append(destination)
        new_seen.append(SeenItem(key, str(landing_file.path)))
    warnings = []
    if problems:
        warnings.append(f"{len(problems)} files could not be copied")
    if waiting:
        warnings.append(f"{waiting} files modified in the last {settle_s:g} s wait for the next poll")
    health = _finish(source, started, now, ok=True, reason="; ".join(warnings) or None, http_status=None,
                     items_seen=len(files), items_new=len(copied), articles=0)
    return PollResult(source.name, [], new_seen, None, health, problems, files=copied)


def _folder_problem(folder: Path | None) -> str | None:
    if folder is None:
        return "no folder path"
    if not folder.exists():
        return f"folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.R_OK | os.X_OK):
        return f"folder {folder} cannot be read (permission denied)"
    return None


def _copy_atomically(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, temporary)
        shutil.copystat(source, temporary)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


# -- landing files, schedule, checks --------------------------------------------------------------------------


def _stamp(now: dt.datetime) -> str:
    return _aware(now).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def write_landing_file(articles: Iterable[Mapping[str, object]], landing_dir: Path, source_name: str,
                       now: dt.datetime | None = None) -> Path | None:
    """Write articles as JSON Lines to landing_dir/sources/<source_name>/<UTC time>.jsonl, atomically (a hidden
    temporary file renamed into place, so the landing reader never sees half a file). None if no articles."""
    if not NAME_RE.fullmatch(source_name):
        raise ValueError(f"{source_name!r} is not a valid source name")
    lines = [json.dumps(dict(article), ensure_ascii=False, separators=(",", ":")) for article in articles]
    if not lines:
        return None
    folder = Path(landing_dir) / "sources" / source_name
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _stamp(now or _utc_now())
    temporary = folder / f".{stamp}.{os.getpid()}.jsonl.tmp"
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write("\n".join(lines) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        for attempt in range(1000):
            destination = folder / (f"{stamp}.jsonl" if attempt == 0 else f"{stamp}-{attempt}.jsonl")
            try:
                os.link(temporary, destination)  # fails if it exists: never overwrites another batch
            except FileExistsError:
                continue
            except OSError:  # no hard links on this file system
                if destination.exists():
                    continue
                os.replace(temporary, destination)
            return destination
        raise FileExistsError(f"{folder}: too many landing files named {stamp}")
    finally:
        temporary.unlink(missing_ok=True)


def is_due(source: Source, last_polled_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether an enabled source should be polled now: never polled, or polled at least `every` ago."""
    if not source.enabled:
        return False
    if last_polled_at is None:
        return True
    return _aware(now) - _aware(last_polled_at) >= source.every


def check_source(source: Source, fetcher: Fetcher | None = None) -> SourceCheck:
    """Is the source usable? Feeds: reachable and parseable; pages: reachable with main text; folders: an
    existing, readable folder (items = files of a supported format)."""
    if source.kind == "folder":
        problem = _folder_problem(source.path)
        if problem:
            return SourceCheck(source.name, False, problem, None, 0)
        assert source.path is not None
        files = list_landing_files(source.path)
        supported = [file for file in files if file.path.suffix.lower() in SUPPORTED_SUFFIXES]
        other = len(files) - len(supported)
        reason = f"{other} files of unsupported formats would be quarantined" if other else None
        return SourceCheck(source.name, True, reason, None, len(supported))
    if fetcher is None:
        raise ValueError(f"checking the {source.kind} source {source.name!r} needs a Fetcher")
    accept = FEED_ACCEPT if source.kind == "feed" else PAGE_ACCEPT
    try:
        response = fetcher.get(source.url or "", accept=accept)
    except FetchError as error:
        return SourceCheck(source.name, False, error.reason, error.status, 0)
    if source.kind == "feed":
        try:
            feed = parse_feed(response.body, url=response.final_url, content_type=response.headers.get("content-type"))
        except FeedError as error:
            return SourceCheck(source.name, False, str(error), response.status, 0)
        return SourceCheck(source.name, True, feed.warning, response.status, len(feed.items))
    if _html_main_text(_decode_html(response)) is None:
        return SourceCheck(source.name, False, "no main text found", response.status, 0)
    return SourceCheck(source.name, True, None, response.status, 1)


def poll_source(source: Source, fetcher: Fetcher, *, landing_dir: Path, seen: Collection[str] = (),
                validators: Validators | None = None, attempts: Mapping[str, int] | None = None,
                now: dt.datetime | None = None) -> PollResult:
    """poll_feed, poll_page or poll_folder, by the source's kind."""
    if source.kind == "feed":
        return poll_feed(source, fetcher, seen=seen, validators=validators, attempts=attempts, now=now)
    if source.kind == "page":
        return poll_page(source, fetcher, validators=validators, now=now)
    return poll_folder(source, landing_dir=landing_dir, seen=seen, now=now)
