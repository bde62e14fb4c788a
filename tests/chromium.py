"""Headless Chromium driven over the DevTools protocol, for tests that look at a page as a browser shows it.

Chromium speaks the protocol over a pipe when started with --remote-debugging-pipe: it reads commands from
its file descriptor 3 and writes replies and events to its descriptor 4, each message JSON ended by a NUL
byte. No websocket, no port, no client library: the standard library is enough.

    with Chromium() as browser:
        page = browser.open(Path("report.html").as_uri())
        page.evaluate("document.title")
        page.screenshot(Path("shot.png"))
        page.console_errors()   # console.error calls, uncaught exceptions, browser log errors
        page.requests           # every URL the page asked for
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

INSTALL_HINT = (
    "headless Chromium is needed for this test: install Debian's package with "
    "`apt-get install -y chromium` (the project's test setup does), or point CHROMIUM at a chromium binary"
)


def find_chromium() -> str | None:
    """The chromium binary: $CHROMIUM, else chromium or chromium-browser on PATH, else /usr/bin/chromium."""
    candidates = [os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                  "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


class ChromiumError(RuntimeError):
    pass


@dataclass
class Page:
    """One tab, attached with its own protocol session; it records what the page logs and requests."""

    browser: Chromium
    session_id: str
    events: list[dict] = field(default_factory=list)

    def send(self, method: str, params: dict | None = None, timeout: float = 15.0) -> dict:
        return self.browser.send(method, params, session_id=self.session_id, timeout=timeout)

    def evaluate(self, expression: str) -> object:
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise ChromiumError(f"evaluating {expression[:60]!r} failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, path: Path, *, full_page: bool = True) -> bytes:
        params: dict = {"format": "png"}
        if full_page:
            metrics = self.send("Page.getLayoutMetrics")
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            params |= {"captureBeyondViewport": True,
                       "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}}
        data = base64.b64decode(self.send("Page.captureScreenshot", params, timeout=30)["data"])
        path.write_bytes(data)
        return data

    def print_pdf(self) -> bytes:
        return base64.b64decode(self.send("Page.printToPDF", {"printBackground": True}, timeout=30)["data"])

    def _mine(self, method: str) -> list[dict]:
        return [e["params"] for e in self.browser.events_of(self.session_id) if e["method"] == method]

    @property
    def requests(self) -> list[str]:
        return [p["request"]["url"] for p in self._mine("Network.requestWillBeSent")]

    def console_errors(self) -> list[str]:
        """Everything the page reported as an error: console.error/assert, uncaught exceptions, and
        browser log entries at error level (failed loads, blocked content, security violations)."""
        errors = []
        for p in self._mine("Runtime.consoleAPICalled"):
            if p["type"] in ("error", "assert"):
                errors.append("console." + p["type"] + ": " + " ".join(
                    str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        for p in self._mine("Runtime.exceptionThrown"):
            details = p["exceptionDetails"]
            errors.append("exception: " + str(details.get("exception", {}).get("description", details.get("text"))))
        for p in self._mine("Log.entryAdded"):
            if p["entry"]["level"] == "error":
                errors.append(f"log ({p['entry']['source']}): {p['entry']['text']} {p['entry'].get('url', '')}")
        return errors

    def console_warnings(self) -> list[str]:
        return ([f"log: {p['entry']['text']}" for p in self._mine("Log.entryAdded") if p["entry"]["level"] == "warning"]
                + [f"console.warn: {p.get('args')}" for p in self._mine("Runtime.consoleAPICalled")
                   if p["type"] == "warning"])


class Chromium:
    """A headless Chromium process with a protocol connection over its pipe; a context manager."""

    def __init__(self, binary: str | None = None, *, width: int = 1280, height: int = 900) -> None:
        self.binary = binary or find_chromium()
        if not self.binary:
            raise FileNotFoundError(INSTALL_HINT)
        self.width, self.height = width, height
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-profile-")
        self._next_id = 0
        self._replies: dict[int, queue.Queue] = {}
        self._events: list[dict] = []
        self._lock = threading.Lock()
        self._event_added = threading.Condition(self._lock)
        self._log = tempfile.TemporaryFile()
        arguments = [
            "--headless", "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}",
            "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "--disable-dev-shm-usage",
            f"--window-size={width},{height}", "about:blank",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            arguments.insert(0, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        # The shell puts our stdin pipe on descriptor 3 and our stdout pipe on 4, where Chromium expects them.
        self._process = subprocess.Popen(
            ["sh", "-c", 'exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>&2', self.binary, *arguments],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def __enter__(self) -> Chromium:
        try:
            self.send("Browser.getVersion", timeout=20)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self) -> None:
        buffer = b""
        stream = self._process.stdout
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                break
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        box = self._replies.get(message["id"])
                    if box is not None:
                        box.put(message)
                else:
                    with self._event_added:
                        self._events.append(message)
                        self._event_added.notify_all()

    def stderr(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-4000:]

    def send(self, method: str, params: dict | None = None, *, session_id: str | None = None,
             timeout: float = 15.0) -> dict:
        with self._lock:
            self._next_id += 1
            message_id = self._next_id
            box: queue.Queue = queue.Queue()
            self._replies[message_id] = box
        message: dict = {"id": message_id, "method": method, "params": params or {}}
        if session_id:
            message["sessionId"] = session_id
        try:
            self._process.stdin.write(json.dumps(message).encode() + b"\0")
            self._process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise ChromiumError(f"chromium is gone ({error}); its log:\n{self.stderr()}") from error
        try:
            reply = box.get(timeout=timeout)
        except queue.Empty:
            raise ChromiumError(f"no reply to {method} within {timeout} s; chromium's log:\n{self.stderr()}") from None
        finally:
            with self._lock:
                self._replies.pop(message_id, None)
        if "error" in reply:
            raise ChromiumError(f"{method} failed: {reply['error']}")
        return reply.get("result", {})

    def events_of(self, session_id: str) -> list[dict]:
        with self._lock:
            return [e for e in self._events if e.get("sessionId") == session_id]

    def event_count(self) -> int:
        with self._lock:
            return len(self._events)

    def wait_for(self, session_id: str, method: str, timeout: float = 15.0, *, after: int = 0) -> dict:
        """The first `method` event of the session among the events received after the first `after`."""
        deadline = time.monotonic() + timeout
        with self._event_added:
            while True:
                for event in self._events[after:]:
                    if event.get("sessionId") == session_id and event["method"] == method:
                        return event["params"]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ChromiumError(f"no {method} within {timeout} s; chromium's log:\n{self.stderr()}")
                self._event_added.wait(remaining)

    def open(self, url: str, *, timeout: float = 20.0) -> Page:
        """A new tab showing `url`, returned once its load event fired; console, log and network are recorded
        from before the navigation."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Runtime", "Log", "Page", "Network"):
            page.send(f"{domain}.enable")
        page.send("Emulation.setDeviceMetricsOverride",
                  {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False})
        before = self.event_count()
        navigation = page.send("Page.navigate", {"url": url})
        if navigation.get("errorText"):
            raise ChromiumError(f"could not open {url}: {navigation['errorText']}")
        self.wait_for(session, "Page.loadEventFired", timeout, after=before)
        return page

    def close(self) -> None:
        if self._process.poll() is None:
            try:
                self.send("Browser.close", timeout=5)
            except (ChromiumError, OSError):
                pass
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self._log.close()
        self._profile.cleanup()
