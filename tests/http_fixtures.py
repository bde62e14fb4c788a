"""Loopback HTTP servers with configurable routes, for tests that fetch (never anything beyond 127.0.0.1).

    with LocalServer() as server:
        server.route("/feed.xml", Reply(body=rss, headers={"Content-Type": "application/rss+xml"}))
        server.route("/flaky", [Reply(status=500), Reply(body=b"ok")])   # successive hits; the last repeats
        server.route("/slow", Reply(body=b"late", delay_s=2))
        server.route("/echo", lambda request: Reply(body=request.headers.get("User-Agent", "").encode()))
        fetcher.get(server.url("/feed.xml"))
        server.hits_for("/flaky")  # -> [Hit, Hit]

A route is a Reply, a list of Replies (one per hit, the last repeated) or a function of the Hit giving a
Reply. Unknown paths answer 404. A Reply with `chunks` streams them with chunked transfer encoding (an
iterable may be endless: the server stops when the client hangs up) and counts what it sent in `bytes_sent`.
"""

from __future__ import annotations

import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    #: Seconds to wait before sending anything (the status line included).
    delay_s: float = 0.0
    #: When given, the body is streamed as these chunks (chunked encoding) instead of `body`.
    chunks: Iterable[bytes] | None = None
    #: Seconds to wait between chunks.
    chunk_delay_s: float = 0.0
    #: Bytes of body actually written to the socket (chunked replies).
    bytes_sent: int = 0


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    headers: Mapping[str, str]
    #: time.monotonic() when the request arrived.
    at: float


Route = Reply | list[Reply] | Callable[[Hit], Reply]


class LocalServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 (a free port), started on creation."""

    def __init__(self, *, tls: tuple[str, str] | None = None) -> None:
        """tls: (certificate file, key file) to serve HTTPS instead of HTTP."""
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 10  # an idle keep-alive connection is closed after this

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence the access log
                pass

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                hit = Hit("GET", self.path, {key: value for key, value in self.headers.items()}, time.monotonic())
                reply = server._reply_for(hit)
                server._send(self, reply)

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            self.scheme = "https"
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    # -- set up and inspect ------------------------------------------------------------------------------------

    def url(self, path: str = "/", *, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def route(self, path: str, route: Route) -> None:
        with self._lock:
            self.routes[path] = route
            self._counts.pop(path, None)

    def hits_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.hits if hit.path == path]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- serving -----------------------------------------------------------------------------------------------

    def _reply_for(self, hit: Hit) -> Reply:
        with self._lock:
            self.hits.append(hit)
            route = self.routes.get(hit.path)
            if route is None:
                route = self.routes.get(hit.path.split("?", 1)[0])
            count = self._counts.get(hit.path, 0)
            self._counts[hit.path] = count + 1
        if route is None:
            return Reply(status=404, body=b"not found")
        if isinstance(route, list):
            return route[min(count, len(route) - 1)]
        if callable(route):
            return route(hit)
        return route

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        try:
            if reply.delay_s:
                time.sleep(reply.delay_s)
            handler.send_response(reply.status)
            names = {name.lower() for name in reply.headers}
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            if reply.chunks is not None:
                handler.send_header("Transfer-Encoding", "chunked")
                handler.end_headers()
                for chunk in reply.chunks:
                    if reply.chunk_delay_s:
                        time.sleep(reply.chunk_delay_s)
                    handler.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    handler.wfile.flush()
                    reply.bytes_sent += len(chunk)
                handler.wfile.write(b"0\r\n\r\n")
            else:
                if "content-length" not in names:
                    handler.send_header("Content-Length", str(len(reply.body)))
                handler.end_headers()
                if reply.status != 304 and reply.body:
                    handler.wfile.write(reply.body)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            handler.close_connection = True


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A client hanging up mid-response (a body cut off, a timeout, a refused certificate) is what several
        # tests do on purpose.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError | ssl.SSLError):
            super().handle_error(request, client_address)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
