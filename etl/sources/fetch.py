"""Polite, careful HTTP fetching: the only way geoevents reaches the web.

    >>> from etl.sources import FetchSettings, Fetcher
    >>> with Fetcher(FetchSettings(contact="ops@example.org")) as fetcher:  # doctest: +SKIP
    ...     result = fetcher.get("https://example.org/rss", etag='"abc"')
    ...     result.not_modified, result.status, len(result.body)

What it guarantees, hop by hop (the first URL and every redirect):
- only http and https; the host is resolved once, every address it resolves to is checked (private, loopback,
  link-local, multicast, reserved and other non-global addresses are refused unless `allow_hosts` allows
  them), and the connection goes to the checked address, so a second DNS answer cannot rebind it elsewhere
  (TLS still checks the certificate against the host name);
- robots.txt is obeyed (fetched through the same checks, cached per host for `robots_ttl_s`; a robots.txt
  answering 4xx allows everything, one answering 5xx or not answering disallows everything for now);
- requests to one host are at least `per_host_interval_s` apart, across threads;
- a connect timeout and a total timeout; the body is streamed and cut off past `max_bytes`, counted both
  as received and after gzip/deflate decompression, so neither a huge body nor a compression bomb is held;
- timeouts, connection errors, 429 and 5xx are retried with exponential backoff (a Retry-After up to
  `max_retry_after_s` is waited for; a longer one fails at once); other 4xx are not retried;
- at most `max_redirects` redirects.

Every failure is a `FetchError` whose `reason` says what happened in words ("HTTP 503", "timed out after
10 s", "refused: private address 10.0.0.5", "blocked by robots.txt").
"""

from __future__ import annotations

import concurrent.futures
import email.utils
import ipaddress
import socket
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

import urllib3
import urllib3.exceptions

from etl.sources.config import FetchSettings

#: Resolves (host, port) to the IP addresses (as text) a connection may go to.
Resolver = Callable[[str, int], list[str]]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524})
#: The largest robots.txt read (Google reads 500 KiB).
ROBOTS_MAX_BYTES = 512_000
#: How long a robots.txt that could not be fetched (5xx, timeout) disallows its host before it is tried again.
ROBOTS_ERROR_TTL_S = 600.0
_CHUNK = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
_DNS_POOL: concurrent.futures.ThreadPoolExecutor | None = None
_DNS_POOL_LOCK = threading.Lock()


class FetchError(Exception):
    """A fetch that failed; `reason` says why in words, `status` is the last HTTP status if there was one."""

    def __init__(self, reason: str, url: str, *, status: int | None = None, attempts: int = 1,
                 retryable: bool = False, network: bool = False) -> None:
        super().__init__(reason, url)
        self.reason = reason
        self.url = url
        self.status = status
        self.attempts = attempts
        #: Whether trying again may help (timeouts and connection errors).
        self.retryable = retryable
        #: The host could not be talked to (DNS, connection, TLS, timeout), as opposed to an answer or a refusal.
        self.network = network

    def __str__(self) -> str:
        return f"{self.reason} ({self.url})"


@dataclass(frozen=True)
class FetchResult:
    """A successful fetch (2xx or 304)."""

    #: The URL asked for.
    url: str
    #: The URL the body came from, after redirects.
    final_url: str
    status: int
    #: Response headers with lowercase names (the last value of a repeated header).
    headers: dict[str, str]
    #: The body, decompressed; empty for 304.
    body: bytes
    #: True when the server answered 304 Not Modified to a conditional request.
    not_modified: bool
    elapsed_s: float

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for parameter in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


@dataclass(frozen=True)
class _Target:
    """A URL checked for one hop: where to connect and what to ask for."""

    url: str
    scheme: str
    host: str  # as in the URL, lowercase, IDNA-encoded
    port: int
    address: str  # the checked IP address the connection goes to
    path: str  # path and query, percent-encoded

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host, self.port


@dataclass
class _Response:
    status: int
    headers: dict[str, str]
    body: bytes
    attempts: int


@dataclass
class _Robots:
    parser: urllib.robotparser.RobotFileParser
    expires: float
    #: Why robots.txt could not be read (everything is disallowed meanwhile), or None.
    problem: str | None = None
    #: The host did not answer at all: its pages fail with this reason rather than "blocked by robots.txt".
    unreachable: bool = False


@dataclass
class _HostLimiter:
    """Requests to one host at least `interval` apart; each caller reserves the next free slot, then sleeps."""

    interval: float
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    _next: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, host: str) -> None:
        if self.interval <= 0:
            return
        with self._lock:
            now = self.clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
        if slot > now:
            self.sleep(slot - now)


def _seconds(value: float) -> str:
    """10 -> '10', 0.5 -> '0.5' (for reasons read by people)."""
    return f"{value:g}"


def _dns_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _DNS_POOL
    with _DNS_POOL_LOCK:
        if _DNS_POOL is None:
            _DNS_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="geoevents-dns")
        return _DNS_POOL


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for host (IPv4 and IPv6), without duplicates, in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_problem(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address must not be fetched from ('private address 10.0.0.5'), or None for a global one."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return address_problem(mapped)
    checks = (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("non-global", not address.is_global),
    )
    for label, matched in checks:
        if matched:
            return f"{label} address {address}"
    return None


class Fetcher:
    """Fetches URLs under the rules of FetchSettings. Thread-safe; close() (or `with`) frees its connections.

    `resolver`, `clock` and `sleep` can be replaced (tests use a resolver that needs no DNS)."""

    def __init__(self, settings: FetchSettings | None = None, *, resolver: Resolver | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings or FetchSettings()
        self._resolver = resolver or system_resolver
        self._clock = clock
        self._sleep = sleep
        self._limiter = _HostLimiter(self.settings.per_host_interval_s, clock, sleep)
        self._pools: dict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = {}
        self._pools_lock = threading.Lock()
        self._robots: dict[tuple[str, str, int], _Robots] = {}
        self._robots_locks: dict[tuple[str, str, int], threading.Lock] = {}
        self._robots_lock = threading.Lock()
        self._allowed_networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self._allowed_names: set[str] = set()
        for entry in self.settings.allow_hosts:
            try:
                self._allowed_networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self._allowed_names.add(entry.lower().rstrip("."))

    # -- public -------------------------------------------------------------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            max_bytes: int | None = None, accept: str | None = None) -> FetchResult:
        """GET url; conditional when etag or last_modified is given (304 gives not_modified=True).
        Raises FetchError for anything but 2xx and 304."""
        headers = {"Accept": accept or "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = self._clock()
        final_url, response = self._follow(url, headers, max_bytes or self.settings.max_bytes, check_robots=True)
        elapsed = self._clock() - started
        if response.status == 304:
            return FetchResult(url, final_url, 304, response.headers, b"", True, elapsed)
        if 200 <= response.status < 300:
            return FetchResult(url, final_url, response.status, response.headers, response.body, False, elapsed)
        reason = f"HTTP {response.status}"
        if response.attempts > 1:
            reason += f" ({response.attempts} attempts)"
        if response.status in (429, 503) and "retry-after" in response.headers:
            reason += f" (Retry-After: {response.headers['retry-after']})"
        raise FetchError(reason, final_url, status=response.status, attempts=response.attempts)

    def allowed_by_robots(self, url: str) -> bool:
        """Whether robots.txt of url's host lets this User-Agent fetch url (fetching robots.txt if needed)."""
        return self._robots_entry(self._target(url)).parser.can_fetch(self.settings.agent, url)

    def close(self) -> None:
        with self._pools_lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- checks ---------------------------------------------------------------------------------------------

    def _host_allowed(self, host: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        if host in self._allowed_names:
            return True
        return any(address.version == network.version and address in network for network in self._allowed_networks)

    def _resolve(self, host: str, port: int, url: str) -> list[str]:
        timeout = min(self.settings.connect_timeout_s, self.settings.timeout_s)
        future = _dns_pool().submit(self._resolver, host, port)
        try:
            addresses = future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            raise FetchError(f"DNS lookup timed out after {_seconds(timeout)} s", url, network=True) from None
        except (OSError, UnicodeError) as error:
            raise FetchError(f"DNS lookup failed ({getattr(error, 'strerror', None) or error})", url,
                             network=True) from None
        if not addresses:
            raise FetchError("DNS lookup failed (no addresses)", url, network=True)
        return addresses

    def _target(self, url: str) -> _Target:
        """url checked: scheme, host, resolved addresses; raises FetchError('refused: ...')."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as error:
            raise FetchError(f"refused: not a valid URL ({error})", url) from None
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            raise FetchError(f"refused: scheme {scheme or 'none'!r}", url)
        raw_host = (parts.hostname or "").rstrip(".")
        if not raw_host:
            raise FetchError("refused: no host in URL", url)
        try:
            host = raw_host.encode("idna").decode("ascii").lower() if not raw_host.isascii() else raw_host.lower()
        except UnicodeError:
            raise FetchError(f"refused: host {raw_host!r} is not a valid name", url) from None
        port = port or _DEFAULT_PORTS[scheme]
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        texts = [str(literal)] if literal is not None else self._resolve(host, port, url)
        addresses = []
        for text in texts:
            try:
                address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone
            except ValueError:
                raise FetchError(f"DNS lookup failed (not an address: {text!r})", url) from None
            problem = address_problem(address)
            if problem and not self._host_allowed(host, address):
                raise FetchError(f"refused: {problem}", url)
            addresses.append(address)
        path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
        if parts.query:
            path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
        return _Target(url, scheme, host, port, str(addresses[0]), path)

    # -- requests -------------------------------------------------------------------------------------------

    def _follow(self, url: str, headers: dict[str, str], max_bytes: int, *,
                check_robots: bool) -> tuple[str, _Response]:
        """GET url following redirects; every hop is checked. Returns the final URL and the last response."""
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            target = self._target(current)
            if check_robots:
                self._check_robots(target)
            response = self._exchange(target, headers, max_bytes)
            location = response.headers.get("location")
            if response.status in REDIRECT_STATUSES and location:
                current = urljoin(current, location.strip())
                continue
            return current, response
        raise FetchError(f"too many redirects (more than {self.settings.max_redirects})", url)

    def _pool(self, target: _Target) -> urllib3.HTTPConnectionPool:
        key = (target.scheme, target.address, target.port, target.host)
        with self._pools_lock:
            pool = self._pools.get(key)
            if pool is None:
                if target.scheme == "https":
                    tls: dict[str, object] = {"cert_reqs": "CERT_REQUIRED", "assert_hostname": target.host,
                                              "server_hostname": target.host}
                    try:
                        import certifi

                        tls["ca_certs"] = certifi.where()
                    except ImportError:  # the system's certificates are used
                        pass
                    pool = urllib3.HTTPSConnectionPool(target.address, target.port, maxsize=4, block=False,
                                                       retries=False, **tls)
                else:
                    pool = urllib3.HTTPConnectionPool(target.address, target.port, maxsize=4, block=False,
                                                      retries=False)
                self._pools[key] = pool
            return pool

    def _exchange(self, target: _Target, headers: dict[str, str], max_bytes: int) -> _Response:
        """One hop: the request with its retries. Returns the last response (any status) or raises FetchError."""
        settings = self.settings
        attempts = settings.retries + 1
        for attempt in range(1, attempts + 1):
            wait: float | None = None
            try:
                response = self._request(target, headers, max_bytes)
            except FetchError as error:
                if not error.retryable or attempt == attempts:
                    error.attempts = attempt
                    if attempt > 1 and error.retryable:
                        error.reason += f" ({attempt} attempts)"
                    raise
            else:
                response.attempts = attempt
                if response.status not in RETRY_STATUSES or attempt == attempts:
                    return response
                retry_after = _retry_after(response.headers.get("retry-after"))
                if retry_after is not None:
                    if retry_after > settings.max_retry_after_s:
                        return response  # the server wants more time than we wait: give up now
                    wait = retry_after
            if wait is None:
                wait = settings.backoff_s * (2 ** (attempt - 1))
            if wait > 0:
                self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(self, target: _Target, headers: dict[str, str], max_bytes: int) -> _Response:
        """One request of one hop. Network failures become FetchError with `retryable` set."""
        settings = self.settings
        self._limiter.wait(target.host)
        pool = self._pool(target)
        total = settings.timeout_s
        connect = min(settings.connect_timeout_s, total)
        deadline = self._clock() + total
        request_headers = {
            "Host": target.host_header,
            "User-Agent": settings.agent,
            "Accept-Encoding": "gzip, deflate",
            **headers,
        }
        try:
            raw = pool.urlopen("GET", target.path, headers=request_headers, redirect=False, retries=False,
                               preload_content=False, decode_content=False, assert_same_host=False,
                               timeout=urllib3.Timeout(total=total, connect=connect, read=total))
        except urllib3.exceptions.HTTPError as error:
            raise _network_error(error, target.url, connect, total) from None
        try:
            response_headers = {name.lower(): value for name, value in raw.headers.items()}
            if raw.status in REDIRECT_STATUSES or raw.status == 304 or not 200 <= raw.status < 300:
                # Nothing of these bodies is used; the connection is closed instead of read to the end.
                raw.close()
                raw.release_conn()
                return _Response(raw.status, response_headers, b"", 1)
            body = self._read_body(raw, response_headers, target.url, max_bytes, deadline, total)
        except BaseException:
            raw.close()
            raw.release_conn()
            raise
        raw.release_conn()
        return _Response(raw.status, response_headers, body, 1)

    def _read_body(self, raw: urllib3.BaseHTTPResponse, headers: dict[str, str], url: str, max_bytes: int,
                   deadline: float, total: float) -> bytes:
        too_large = f"body larger than {max_bytes:,} bytes"
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(too_large, url)
        decoder = _Decoder(headers.get("content-encoding", ""), max_bytes, url, too_large)
        received = 0
        socket_ = getattr(getattr(raw, "connection", None), "sock", None)
        try:
            while True:
                remaining = deadline - self._clock()
                if remaining <= 0:
                    raise FetchError(f"timed out after {_seconds(total)} s", url, status=raw.status, retryable=True,
                                     network=True)
                if socket_ is not None:
                    socket_.settimeout(remaining)
                chunk = raw.read1(_CHUNK)
                if not chunk:
                    break
                received += len(chunk)
                if received > max_bytes:
                    raise FetchError(too_large, url, status=raw.status)
                decoder.feed(chunk)
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise _network_error(error, url, total, total, status=raw.status) from None
        return decoder.finish()

    # -- robots.txt -----------------------------------------------------------------------------------------

    def _check_robots(self, target: _Target) -> None:
        entry = self._robots_entry(target)
        if entry.parser.can_fetch(self.settings.agent, target.url):
            return
        if entry.unreachable and entry.problem:
            raise FetchError(entry.problem, target.url, network=True)
        detail = f" ({entry.problem})" if entry.problem else ""
        raise FetchError(f"blocked by robots.txt{detail}", target.url)

    def _robots_entry(self, target: _Target) -> _Robots:
        key = target.origin
        with self._robots_lock:
            lock = self._robots_locks.setdefault(key, threading.Lock())
        with lock:  # one fetch of robots.txt per host at a time
            entry = self._robots.get(key)
            if entry is None or entry.expires <= self._clock():
                entry = self._fetch_robots(target)
                self._robots[key] = entry
        return entry

    def _fetch_robots(self, target: _Target) -> _Robots:
        robots_url = f"{target.scheme}://{target.host_header}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        ttl = self.settings.robots_ttl_s
        problem: str | None = None
        unreachable = False
        try:
            _url, response = self._follow(robots_url, {"Accept": "text/plain, */*"}, ROBOTS_MAX_BYTES,
                                          check_robots=False)
        except FetchError as error:
            if error.reason.startswith("body larger than"):
                response = None  # Google reads the first 500 KiB; we read none of an oversized file
                parser.allow_all = True
            else:
                parser.disallow_all = True  # unreachable: nothing is fetched from the host for now
                ttl = min(ttl, ROBOTS_ERROR_TTL_S)
                problem, unreachable = error.reason, error.network
        else:
            if 200 <= response.status < 300:
                text = response.body.decode("utf-8", errors="replace")
                parser.parse(text.splitlines())
            elif 400 <= response.status < 500:
                parser.allow_all = True  # no robots.txt (or not for us): everything is allowed
            else:
                parser.disallow_all = True  # 5xx: the server is in trouble, leave it alone for now
                ttl = min(ttl, ROBOTS_ERROR_TTL_S)
                problem = f"robots.txt answered HTTP {response.status}"
        parser.modified()
        return _Robots(parser, self._clock() + ttl, problem, unreachable)


class _Decoder:
    """Content-Encoding undone chunk by chunk, never producing more than max_bytes in all."""

    def __init__(self, encoding: str, max_bytes: int, url: str, too_large: str) -> None:
        codings = [part.strip().lower() for part in encoding.split(",") if part.strip()]
        codings = [coding for coding in codings if coding != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(f"unsupported Content-Encoding {encoding.strip()!r}", url)
        self.coding = codings[0] if codings else None
        self.max_bytes = max_bytes
        self.url = url
        self.too_large = too_large
        self.parts: list[bytes] = []
        self.size = 0
        self._zlib: zlib._Decompress | None = None
        if self.coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._first = True

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise FetchError(self.too_large, self.url)
        self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self.coding is None:
            self._add(chunk)
            return
        if self._zlib is None:  # deflate: zlib-wrapped as the standard says, or raw as some servers send
            wbits = zlib.MAX_WBITS if chunk[:1] and (chunk[0] & 0x0F) == 8 else -zlib.MAX_WBITS
            self._zlib = zlib.decompressobj(wbits)
        pending = chunk
        try:
            while pending:
                out = self._zlib.decompress(pending, self.max_bytes - self.size + 1)
                self._add(out)
                pending = self._zlib.unconsumed_tail
        except zlib.error as error:
            raise FetchError(f"body could not be decompressed ({self.coding}: {error})", self.url) from None

    def finish(self) -> bytes:
        if self._zlib is not None:
            try:
                self._add(self._zlib.flush(self.max_bytes - self.size + 1))
            except zlib.error as error:
                raise FetchError(f"body could not be decompressed ({self.coding}: {error})", self.url) from None
        return b"".join(self.parts)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _network_error(error: BaseException, url: str, connect: float, total: float, *,
                   status: int | None = None) -> FetchError:
    """A FetchError in words for a urllib3 or socket error; retryable unless it is a TLS error."""
    if isinstance(error, urllib3.exceptions.NewConnectionError):
        cause = _cause(error)
        reason = f"could not connect ({cause})"
    elif isinstance(error, urllib3.exceptions.ConnectTimeoutError):
        reason = f"connection timed out after {_seconds(connect)} s"
    elif isinstance(error, urllib3.exceptions.ReadTimeoutError | socket.timeout | TimeoutError):
        reason = f"timed out after {_seconds(total)} s"
    elif isinstance(error, urllib3.exceptions.SSLError):
        reason = f"TLS error ({_cause(error)})"
    elif isinstance(error, urllib3.exceptions.ProtocolError):
        reason = f"connection broken ({_cause(error)})"
    else:
        reason = f"request failed ({_cause(error)})"
    retryable = not isinstance(error, urllib3.exceptions.SSLError)  # a bad certificate stays bad
    return FetchError(reason, url, status=status, retryable=retryable, network=True)


def _cause(error: BaseException) -> str:
    """The innermost OS-level message of an error chain ('Connection refused'), else the error's own text."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            return current.strerror
        inner = [argument for argument in getattr(current, "args", ()) if isinstance(argument, BaseException)]
        current = current.__cause__ or current.__context__ or (inner[0] if inner else None)
    text = str(error)
    return text.rsplit(": ", 1)[-1] if ": " in text else text
