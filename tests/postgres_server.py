"""A real, throwaway PostgreSQL server for tests: `with running_postgres() as server: ...`.

- Binaries: $GEOEVENTS_PG_BINDIR, `pg_config --bindir`, /usr/lib/postgresql/<newest>/bin, then PATH. Missing
  binaries raise PostgresUnavailable (tests turn it into a failure, not a skip): Debian's `postgresql` package
  provides them (`apt-get install -y postgresql`; `./run test` does this).
- initdb refuses to run as root: as root the server runs as the system user `geoevents-pg` (created once with
  `useradd --system --no-create-home`), through `runuser -u` (or `su -s /bin/sh -c`); otherwise as the
  current user. Its data folder is a fresh temporary folder owned by that user, removed on stop.
- It listens on 127.0.0.1 only (a free port, no Unix socket), and every login needs a password (scram-sha-256):
  the superuser `postgres` and a writer role (LOGIN CREATEROLE, owner of the database), both with random
  passwords. Durability is off (fsync, synchronous_commit): the data is thrown away anyway.
- `stop()` is idempotent and also registered with atexit; the fixture calls it in its finaliser, so the
  server stops when tests fail too.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import hashlib
import hmac
import os
import pwd
import re
import secrets
import shlex
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

OS_USER = "geoevents-pg"
SUPERUSER = "postgres"
WRITER = "geoevents_writer"
DATABASE = "geoevents"
HOST = "127.0.0.1"
INSTALL_ADVICE = "install Debian's postgresql package: apt-get install -y postgresql; ./run test does this"
SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are missing, or the server would not start."""


def _is_server_bindir(folder: Path) -> bool:
    return all(os.access(folder / name, os.X_OK) for name in SERVER_BINARIES)


def _version_key(folder: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder.parent.name)) or (0,)


def find_bindir() -> Path:
    """The folder holding initdb, pg_ctl and postgres."""
    candidates: list[Path] = []
    if os.environ.get("GEOEVENTS_PG_BINDIR"):
        candidates.append(Path(os.environ["GEOEVENTS_PG_BINDIR"]))
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True)
            candidates.append(Path(found.stdout.strip()))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if _is_server_bindir(folder):
            return folder
    raise PostgresUnavailable(f"PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; {INSTALL_ADVICE}")


def find_psql(bindir: Path | None = None) -> str:
    """The psql command line client."""
    if bindir is not None and os.access(bindir / "psql", os.X_OK):
        return str(bindir / "psql")
    if found := shutil.which("psql"):
        return found
    raise PostgresUnavailable(f"the psql client was not found; {INSTALL_ADVICE}")


def _ensure_os_user(name: str) -> pwd.struct_passwd:
    """The unprivileged system user the server runs as when we are root (created when missing)."""
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(name)
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    nologin = next((s for s in ("/usr/sbin/nologin", "/sbin/nologin", "/bin/false") if os.path.exists(s)), "/bin/false")
    result = subprocess.run(
        [useradd, "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", nologin,
         "--user-group", name],
        capture_output=True, text=True,
    )
    with contextlib.suppress(KeyError):  # created now, or by a concurrent test process
        return pwd.getpwnam(name)
    raise PostgresUnavailable(f"could not create the system user {name!r} to run PostgreSQL: {result.stderr.strip()}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _traversable_by_others(folder: Path) -> bool:
    return all(p.stat().st_mode & stat.S_IXOTH for p in [folder, *folder.parents])


def _password() -> str:
    # Characters that need care in a URL (@ : / %) so that URL quoting and redaction are exercised.
    return f"pw{secrets.token_urlsafe(12)}@:/%"


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802 / 7677; SASLprep left out)."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    encode = base64.b64encode
    return f"SCRAM-SHA-256${iterations}:{encode(salt).decode()}${encode(stored_key).decode()}:{encode(server_key).decode()}"


@dataclass
class PostgresServer:
    bindir: Path
    base_dir: Path
    run_as: str | None  # OS user the server runs as; None: the current user
    port: int = 0
    host: str = HOST
    database: str = DATABASE
    superuser: str = SUPERUSER
    superuser_password: str = field(default_factory=_password, repr=False)
    writer: str = WRITER
    writer_password: str = field(default_factory=_password, repr=False)
    running: bool = False

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "server.log"

    # -- addresses ---------------------------------------------------------------------------------------------

    def url(self, user: str | None = None, password: str | None = None, *, database: str | None = None,
            driver: str = "postgresql") -> str:
        """A libpq (or SQLAlchemy, with driver='postgresql+psycopg') URL; the password is included when given."""
        user = user or self.writer
        credentials = quote(user, safe="") + (":" + quote(password, safe="") if password is not None else "")
        return f"{driver}://{credentials}@{self.host}:{self.port}/{quote(database or self.database, safe='')}"

    def writer_url(self, driver: str = "postgresql") -> str:
        return self.url(self.writer, self.writer_password, driver=driver)

    def superuser_url(self, database: str = "postgres") -> str:
        return self.url(self.superuser, self.superuser_password, database=database)

    def client_env(self, user: str, password: str | None, database: str | None = None) -> dict[str, str]:
        """Environment for libpq clients (psql): the password travels in PGPASSWORD, never on a command line."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(PGHOST=self.host, PGPORT=str(self.port), PGUSER=user, PGDATABASE=database or self.database,
                   PGCONNECT_TIMEOUT="10", PGAPPNAME="geoevents-tests")
        if password is not None:
            env["PGPASSWORD"] = password
        return env

    def psql(self, sql: str, *, user: str | None = None, password: str | None = None,
             database: str | None = None, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
        """Run SQL with the psql client (unaligned, tuples only, stop at the first error), as the writer by default."""
        user = user or self.writer
        if password is None and user == self.writer:
            password = self.writer_password
        # The SQL goes through stdin and the password through PGPASSWORD: neither shows in the process list.
        command = [find_psql(self.bindir), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-f", "-"]
        result = subprocess.run(command, input=sql, env=self.client_env(user, password, database),
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"psql as {user} failed ({result.returncode}): {result.stderr.strip()}")
        return result

    # -- lifecycle ---------------------------------------------------------------------------------------------

    def _as_server_user(self, command: Sequence[str]) -> list[str]:
        if self.run_as is None:
            return list(command)
        if runuser := shutil.which("runuser"):
            return [runuser, "-u", self.run_as, "--", *command]
        return ["su", "-s", "/bin/sh", self.run_as, "-c", shlex.join(command)]

    def _run(self, command: Sequence[str], *, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(self._as_server_user(command), capture_output=True, text=True, timeout=timeout,
                              cwd=self.base_dir, env={**os.environ, "LC_ALL": "C"})

    def _chown(self, path: Path) -> None:
        if self.run_as is not None:
            entry = pwd.getpwnam(self.run_as)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def init(self) -> None:
        password_file = self.base_dir / "superuser.pw"
        password_file.write_text(self.superuser_password + "\n", encoding="utf-8")
        password_file.chmod(0o600)
        self._chown(password_file)
        try:
            result = self._run([
                str(self.bindir / "initdb"), "-D", str(self.data_dir), "-U", self.superuser,
                f"--pwfile={password_file}", "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C",
                "--no-sync", "--no-instructions",
            ])
        finally:
            password_file.unlink(missing_ok=True)
        if result.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {result.stderr.strip() or result.stdout.strip()}")
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": "''",  # TCP on the loopback interface only
            "password_encryption": "'scram-sha-256'",
            "max_connections": "40",
            "fsync": "off",  # a throwaway server: durability buys nothing here
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_wal_size": "'2GB'",
            "log_min_messages": "warning",
        }
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# geoevents tests\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
        (self.data_dir / "pg_hba.conf").write_text(
            "# geoevents tests: passwords over the loopback interface, nothing else\n"
            "host all all 127.0.0.1/32 scram-sha-256\n",
            encoding="utf-8",
        )

    def start(self, attempts: int = 4) -> None:
        for _ in range(attempts):
            self.port = _free_port()
            result = self._run([
                str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_file), "-o",
                f"-p {self.port}", "-w", "-t", "60", "-s", "start",
            ])
            if result.returncode == 0:
                self.running = True
                atexit.register(self.stop)
                return
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            if "could not bind" not in log and "Address already in use" not in log:
                break  # not a port race: retrying will not help
        raise PostgresUnavailable(f"PostgreSQL did not start: {result.stderr.strip()}\n{log[-2000:]}")

    def bootstrap(self) -> None:
        """The writer role (LOGIN CREATEROLE) and the database it owns, created through psql as the superuser."""
        deadline = time.monotonic() + 30
        while True:  # pg_ctl -w returns once the server accepts connections; tolerate a slow start anyway
            ready = self.psql("SELECT 1", user=self.superuser, password=self.superuser_password,
                              database="postgres", check=False)
            if ready.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise PostgresUnavailable(f"PostgreSQL does not answer: {ready.stderr.strip()}\n{self.log_tail()}")
            time.sleep(0.2)
        # A SCRAM verifier, not the password, goes into the SQL (which travels through stdin anyway).
        verifier = scram_verifier(self.writer_password)
        self.psql(f'CREATE ROLE "{self.writer}" LOGIN CREATEROLE PASSWORD \'{verifier}\';\n'
                  f'CREATE DATABASE "{self.database}" OWNER "{self.writer}";\n',
                  user=self.superuser, password=self.superuser_password, database="postgres")

    def stop(self) -> None:
        """Stop the server (fast, else immediate) and remove its files; safe to call twice."""
        if self.running:
            pg_ctl = str(self.bindir / "pg_ctl")
            result = self._run([pg_ctl, "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "30", "-s", "stop"])
            if result.returncode != 0:
                self._run([pg_ctl, "-D", str(self.data_dir), "-m", "immediate", "-w", "-t", "30", "-s", "stop"])
            self.running = False
        with contextlib.suppress(AttributeError):
            atexit.unregister(self.stop)
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_file.read_text(errors="replace")[-chars:] if self.log_file.exists() else ""


def start_postgres(base_dir: Path | None = None) -> PostgresServer:
    """Initialise and start a server with a writer role and database; stop() it when done."""
    bindir = find_bindir()
    find_psql(bindir)
    run_as = None
    if os.geteuid() == 0:
        run_as = _ensure_os_user(OS_USER).pw_name
    parent = base_dir or Path(tempfile.gettempdir())
    if run_as is not None and not _traversable_by_others(parent):
        parent = Path("/tmp")
    folder = Path(tempfile.mkdtemp(prefix="geoevents-pg-", dir=parent))
    server = PostgresServer(bindir=bindir, base_dir=folder, run_as=run_as)
    try:
        folder.chmod(0o700)
        server._chown(folder)
        server.init()
        server.start()
        server.bootstrap()
    except BaseException:
        server.stop()
        raise
    return server


@contextlib.contextmanager
def running_postgres(base_dir: Path | None = None) -> Iterator[PostgresServer]:
    server = start_postgres(base_dir)
    try:
        yield server
    finally:
        server.stop()
