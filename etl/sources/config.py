"""The sources file (`sources.yaml`): which feeds, pages and folders to poll, how often, and how politely.

    sources:
      - name: antara-en
        kind: feed
        url: https://en.antaranews.com/rss/news.xml
        lang: en
        every: 15m
    fetch:
      user_agent: "geoevents/0.1.0 (+https://example.org/geoevents; ops@example.org)"
      allow_hosts: [127.0.0.1]

`load_sources(path)` reads and checks the whole file and raises `SourcesError` naming the entry (index and
name) and the field for anything wrong; unknown keys are errors, with a did-you-mean. The YAML is read with
`yaml.safe_load` only: no tags, no Python objects.
"""

from __future__ import annotations

import datetime as dt
import difflib
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from etl import __version__

#: Where the project lives; named in the default User-Agent so site operators can find out who we are.
PROJECT_URL = "https://github.com/geoevents/geoevents"
#: The User-Agent sent when the sources file sets none. `fetch.contact` is appended when given.
DEFAULT_USER_AGENT = f"geoevents/{__version__} (+{PROJECT_URL})"

NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
KINDS: tuple[str, ...] = ("feed", "page", "folder")
#: How often each kind is polled when `every` is not given.
DEFAULT_EVERY: dict[str, dt.timedelta] = {
    "feed": dt.timedelta(minutes=15),
    "page": dt.timedelta(days=1),
    "folder": dt.timedelta(minutes=5),
}
#: The shortest interval accepted: polling a site more often than this is never polite.
MIN_EVERY = dt.timedelta(seconds=30)
#: How many new items of one feed are fetched in one poll at most; the rest wait for the next poll.
DEFAULT_MAX_ITEMS = 50

_INTERVAL_RE = re.compile(r"(?:\d+(?:\.\d+)?[smhd])+")
_INTERVAL_PART_RE = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_HOST_RE = re.compile(r"(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,62}[a-z0-9_])?)*\.?")
_LANG_RE = re.compile(r"[a-z]{2,3}")

SOURCE_KEYS = ("name", "kind", "url", "path", "lang", "every", "enabled", "max_items")
FETCH_KEYS = ("user_agent", "contact", "timeout_s", "connect_timeout_s", "max_bytes", "retries", "backoff_s",
              "max_retry_after_s", "per_host_interval_s", "max_redirects", "robots_ttl_s", "allow_hosts")
TOP_KEYS = ("sources", "fetch")


class SourcesError(ValueError):
    """A sources file that cannot be used; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how carefully pages are fetched. Every field can be set under `fetch:`."""

    #: Sent with every request; site operators see it in their logs.
    user_agent: str = DEFAULT_USER_AGENT
    #: An e-mail address or URL appended to the User-Agent, so a site operator can reach whoever runs this.
    contact: str | None = None
    #: The longest one request may take, from connecting to the last byte of the body.
    timeout_s: float = 30.0
    #: The longest connecting may take (capped by timeout_s).
    connect_timeout_s: float = 10.0
    #: The largest body accepted, after decompression; larger ones are cut off while streaming.
    max_bytes: int = 5_000_000
    #: Further attempts after a timeout, a connection error, HTTP 429 or 5xx (never after another 4xx).
    retries: int = 2
    #: The first wait before a retry; doubled for each further one.
    backoff_s: float = 1.0
    #: A Retry-After up to this long is waited for; a longer one makes the request fail at once.
    max_retry_after_s: float = 120.0
    #: The shortest time between two requests to the same host (robots.txt included).
    per_host_interval_s: float = 2.0
    #: Redirects followed at most; each hop is checked like the first URL.
    max_redirects: int = 5
    #: How long a host's robots.txt is kept before it is fetched again.
    robots_ttl_s: float = 3600.0
    #: Hosts (names, addresses or CIDR ranges) that may be fetched even though they are private or loopback.
    allow_hosts: tuple[str, ...] = ()

    @property
    def agent(self) -> str:
        """The User-Agent header value: user_agent, with the contact appended when one is given."""
        if not self.contact:
            return self.user_agent
        if self.user_agent.endswith(")"):
            return f"{self.user_agent[:-1]}; {self.contact})"
        return f"{self.user_agent} ({self.contact})"


@dataclass(frozen=True)
class Source:
    """One entry of the sources file."""

    name: str
    kind: Literal["feed", "page", "folder"]
    #: The feed or page URL (feed and page sources).
    url: str | None = None
    #: The folder, absolute (folder sources); relative paths in the file are taken from the file's folder.
    path: Path | None = None
    #: The language of the source's articles (ISO 639-1); None: taken from the page, else detected.
    lang: str | None = None
    every: dt.timedelta = DEFAULT_EVERY["feed"]
    enabled: bool = True
    #: New items fetched at most in one poll of a feed; the rest are fetched on the next polls.
    max_items: int = DEFAULT_MAX_ITEMS


@dataclass(frozen=True)
class SourcesConfig:
    """A checked sources file."""

    sources: tuple[Source, ...] = ()
    fetch: FetchSettings = field(default_factory=FetchSettings)
    #: The file it was read from (None when built from a mapping).
    path: Path | None = None

    @property
    def enabled(self) -> tuple[Source, ...]:
        return tuple(source for source in self.sources if source.enabled)

    def get(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(f"no source named {name!r}{_did_you_mean(name, [s.name for s in self.sources])}")


def parse_interval(value: object) -> dt.timedelta:
    """'30s', '15m', '1h', '1d', '1h30m' (also '1.5h') as a timedelta; raises ValueError with a reason."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected a duration such as '15m' or '1h', got {_kind(value)}")
    if isinstance(value, int | float):
        raise ValueError(f"{value!r} has no unit; write e.g. '{value}m' (s, m, h or d)")
    text = value.strip().lower().replace(" ", "")
    if not _INTERVAL_RE.fullmatch(text):
        raise ValueError(f"{value!r} is not a duration; write e.g. '30s', '15m', '1h', '1d' or '1h30m'")
    seconds = sum(float(number) * _UNIT_SECONDS[unit] for number, unit in _INTERVAL_PART_RE.findall(text))
    interval = dt.timedelta(seconds=seconds)
    if interval < MIN_EVERY:
        raise ValueError(f"{value!r} is too short; the shortest interval is {int(MIN_EVERY.total_seconds())}s")
    return interval


def format_interval(interval: dt.timedelta) -> str:
    """A timedelta as the shortest duration string parse_interval reads back ('15m', '1h30m')."""
    seconds = int(interval.total_seconds())
    parts = []
    for unit in ("d", "h", "m", "s"):
        count, seconds = divmod(seconds, _UNIT_SECONDS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def load_sources(path: str | Path) -> SourcesConfig:
    """Read and check a sources file; raises SourcesError (with the file name) when anything is wrong."""
    import yaml  # PyYAML; only the safe loader is ever used

    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesError(f"{file}: no such file") from None
    except UnicodeDecodeError as error:
        raise SourcesError(f"{file}: not valid UTF-8 ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise SourcesError(f"{file}: cannot be read ({error.strerror or error})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise SourcesError(f"{file}: not valid YAML{where}: {problem}") from None
    if data is None:
        raise SourcesError(f"{file}: the file is empty; expected 'sources:' with a list of sources")
    return parse_sources(data, base_dir=file.resolve().parent, origin=str(file), path=file.resolve())


def parse_sources(data: object, *, base_dir: Path, origin: str = "sources", path: Path | None = None) -> SourcesConfig:
    """Check the already-parsed content of a sources file. Relative folder paths are taken from base_dir."""
    if not isinstance(data, Mapping):
        raise SourcesError(f"{origin}: expected a mapping with 'sources:' at the top, got {_kind(data)}")
    _check_keys(data, TOP_KEYS, f"{origin}: top level")
    if "sources" not in data:
        raise SourcesError(f"{origin}: 'sources:' is missing (a list of sources)")
    fetch = _parse_fetch(data.get("fetch"), origin)
    entries = data["sources"]
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise SourcesError(f"{origin}: 'sources' must be a list of sources, got {_kind(entries)}")
    sources: list[Source] = []
    first_index: dict[str, int] = {}
    for index, entry in enumerate(entries):
        source = _parse_source(entry, index, base_dir, origin)
        if source.name in first_index:
            raise SourcesError(f"{origin}: sources[{index}] (name {source.name!r}): field 'name': duplicate name; "
                               f"sources[{first_index[source.name]}] already uses it")
        first_index[source.name] = index
        sources.append(source)
    return SourcesConfig(tuple(sources), fetch, path)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"the text {value!r}"
    return type(value).__name__


def _did_you_mean(word: str, known: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_keys(mapping: Mapping, known: tuple[str, ...], where: str) -> None:
    for key in mapping:
        if key not in known:
            raise SourcesError(f"{where}: unknown key {key!r}{_did_you_mean(str(key), known)}; "
                               f"known keys: {', '.join(known)}")


def _parse_source(entry: object, index: int, base_dir: Path, origin: str) -> Source:
    where = f"{origin}: sources[{index}]"
    if not isinstance(entry, Mapping):
        raise SourcesError(f"{where}: expected a mapping with name, kind and url or path, got {_kind(entry)}")
    name = entry.get("name")
    if isinstance(name, str) and name:
        where = f"{where} (name {name!r})"

    def fail(field_name: str, message: str) -> SourcesError:
        return SourcesError(f"{where}: field {field_name!r}: {message}")

    _check_keys(entry, SOURCE_KEYS, where)
    if name is None:
        raise fail("name", "missing")
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise fail("name", f"{name!r} is not a valid name: use 1-63 lowercase letters, digits, '-' and '_', "
                           "starting with a letter or digit")
    kind = entry.get("kind")
    if kind is None:
        raise fail("kind", f"missing; one of {', '.join(KINDS)}")
    if kind not in KINDS:
        raise fail("kind", f"{kind!r} is not a kind{_did_you_mean(str(kind), KINDS)}; one of {', '.join(KINDS)}")

    url: str | None = None
    folder: Path | None = None
    if kind == "folder":
        if "url" in entry:
            raise fail("url", "a folder source takes 'path', not 'url'")
        raw_path = entry.get("path")
        if raw_path is None:
            raise fail("path", "missing; a folder source needs the folder's path")
        if not isinstance(raw_path, str) or not raw_path.strip():
            raise fail("path", f"expected a folder path, got {_kind(raw_path)}")
        folder = Path(raw_path.strip()).expanduser()
        if not folder.is_absolute():
            folder = base_dir / folder
        folder = folder.resolve()
    else:
        if "path" in entry:
            raise fail("path", f"a {kind} source takes 'url', not 'path'")
        url = entry.get("url")
        if url is None:
            raise fail("url", f"missing; a {kind} source needs an http or https URL")
        if not isinstance(url, str):
            raise fail("url", f"expected an http or https URL, got {_kind(url)}")
        url = url.strip()
        try:
            check_url(url)
        except ValueError as error:
            raise fail("url", str(error)) from None

    lang = entry.get("lang")
    if lang is not None:
        if not isinstance(lang, str) or not _LANG_RE.fullmatch(lang.strip().lower().split("-")[0]):
            raise fail("lang", f"{lang!r} is not a language code; use e.g. 'en' or 'id'")
        lang = lang.strip().lower().split("-")[0]

    every = DEFAULT_EVERY[kind]
    if "every" in entry:
        try:
            every = parse_interval(entry["every"])
        except ValueError as error:
            raise fail("every", str(error)) from None

    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled", f"expected true or false, got {_kind(enabled)}")

    max_items = entry.get("max_items", DEFAULT_MAX_ITEMS)
    if kind != "feed" and "max_items" in entry:
        raise fail("max_items", "only feed sources have items")
    if isinstance(max_items, bool) or not isinstance(max_items, int) or not 1 <= max_items <= 10_000:
        raise fail("max_items", f"expected a whole number from 1 to 10000, got {_kind(max_items)}")

    return Source(name=name, kind=kind, url=url, path=folder, lang=lang, every=every, enabled=enabled,
                  max_items=max_items)


def check_url(url: str) -> None:
    """Raise ValueError unless url is an absolute http or https URL with a host."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        raise ValueError(f"{url!r} is not a valid URL ({error})") from None
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "none"
        raise ValueError(f"{url!r}: scheme {scheme!r} is not allowed; only http and https")
    if not parts.hostname:
        raise ValueError(f"{url!r} has no host")


def _number(value: object, field_name: str, origin: str, *, minimum: float, maximum: float,
            whole: bool = False) -> float | int:
    wanted = "a whole number" if whole else "a number"
    if isinstance(value, bool) or not isinstance(value, int | float) or (whole and not isinstance(value, int)):
        raise SourcesError(f"{origin}: fetch: field {field_name!r}: expected {wanted}, got {_kind(value)}")
    if not minimum <= value <= maximum:
        raise SourcesError(f"{origin}: fetch: field {field_name!r}: {value} is out of range "
                           f"({minimum:g} to {maximum:g})")
    return value


def _parse_fetch(data: object, origin: str) -> FetchSettings:
    if data is None:
        return FetchSettings()
    if not isinstance(data, Mapping):
        raise SourcesError(f"{origin}: 'fetch' must be a mapping of settings, got {_kind(data)}")
    _check_keys(data, FETCH_KEYS, f"{origin}: fetch")
    values: dict[str, object] = {}
    for key in ("user_agent", "contact"):
        if key in data:
            value = data[key]
            if not isinstance(value, str) or not value.strip() or any(ch in value for ch in "\r\n\0"):
                raise SourcesError(f"{origin}: fetch: field {key!r}: expected one line of text, got {_kind(value)}")
            if not value.isascii():
                raise SourcesError(f"{origin}: fetch: field {key!r}: HTTP headers must be ASCII")
            values[key] = value.strip()
    limits = {
        "timeout_s": (0.05, 600.0, False),
        "connect_timeout_s": (0.05, 600.0, False),
        "max_bytes": (1024, 1_000_000_000, True),
        "retries": (0, 10, True),
        "backoff_s": (0.0, 600.0, False),
        "max_retry_after_s": (0.0, 86400.0, False),
        "per_host_interval_s": (0.0, 3600.0, False),
        "max_redirects": (0, 20, True),
        "robots_ttl_s": (0.0, 7 * 86400.0, False),
    }
    for key, (minimum, maximum, whole) in limits.items():
        if key in data:
            values[key] = _number(data[key], key, origin, minimum=minimum, maximum=maximum, whole=whole)
    if "allow_hosts" in data:
        hosts = data["allow_hosts"]
        if isinstance(hosts, str):
            hosts = [hosts]
        if not isinstance(hosts, list):
            raise SourcesError(f"{origin}: fetch: field 'allow_hosts': expected a list of hosts or CIDR ranges, "
                               f"got {_kind(hosts)}")
        allowed = []
        for position, host in enumerate(hosts):
            try:
                allowed.append(normalise_allowed_host(host))
            except ValueError as error:
                raise SourcesError(f"{origin}: fetch: field 'allow_hosts' item {position}: {error}") from None
        values["allow_hosts"] = tuple(allowed)
    return FetchSettings(**values)  # type: ignore[arg-type]


def normalise_allowed_host(host: object) -> str:
    """An allow_hosts entry checked and normalised: a CIDR range ('10.0.0.0/8'), an address or a host name."""
    if not isinstance(host, str) or not host.strip():
        raise ValueError(f"expected a host name, an address or a CIDR range, got {_kind(host)}")
    text = host.strip().lower().strip("[]")
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError:
        pass
    if "/" in text or not _HOST_RE.fullmatch(text):
        raise ValueError(f"{host!r} is neither a host name, an address nor a CIDR range")
    return text.rstrip(".")
