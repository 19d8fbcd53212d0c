"""A real portal for the load tests: gunicorn with several worker processes on a loopback port."""

import os
import re
import signal
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from portal.config import PROJECT_ROOT
from portal.db import make_engine
from tests.load.client import Client

WORKERS = 4
START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 30
SECRET_KEY = "load-test-secret"
# gunicorn's usual line, plus how long each request took and which worker answered it.
ACCESS_LOG_FORMAT = '%(h)s [%(t)s] "%(r)s" %(s)s %(b)s %(M)sms worker=%(p)s'
WORKER_IN_LOG = re.compile(r"worker=<(\d+)>")
WARM_UP_TIMEOUT_SECONDS = 120
BIN = PROJECT_ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Portal:
    url: str
    database_url: str
    index_dir: Path
    env: dict
    log_path: Path
    process: subprocess.Popen | None = None
    _engine: object = field(default=None, repr=False)

    @property
    def engine(self):
        """The tests' own engine on the server's database, for setting up and checking."""
        if self._engine is None:
            self._engine = make_engine(self.database_url)
        return self._engine

    def dispose_engine(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def flask(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """Run a `flask --app portal` command on the server's database and index, to the end."""
        return subprocess.run([str(BIN / "flask"), "--app", "portal", *args], check=False, env=self.env,
                              cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout)

    def start_flask(self, *args: str) -> subprocess.Popen:
        """Start a `flask --app portal` command and return at once."""
        return subprocess.Popen([str(BIN / "flask"), "--app", "portal", *args], env=self.env, cwd=PROJECT_ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def start(self) -> None:
        log = self.log_path.open("ab")
        # Each server gets its own control socket, so two test runs (or a developer's server) can't collide.
        command = [str(BIN / "gunicorn"), "--config", "python:portal.gunicorn_conf",
                   "--control-socket", str(self.log_path.with_name("gunicorn.ctl")),
                   "--access-logformat", ACCESS_LOG_FORMAT, "portal:create_app()"]
        self.process = subprocess.Popen(command, env=self.env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        probe = Client(self.url)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            response = probe.get("/")
            if response is not None and response.status == 200 and len(self.worker_pids()) == WORKERS:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT_SECONDS} s:\n{self.log_tail()}")

    def warm_up(self, path: str) -> float:
        """Request `path` until every worker has answered it once; the seconds that took.

        The first opportunity page in each worker process loads the CMU pronouncing dictionary for the
        reading age (about 3 s of CPU, up to 12 s when four workers do it at once on two CPUs), which would
        otherwise trip the load tests' 10 s request timeout.
        """
        started = time.monotonic()
        log_start = self.log_size()
        while time.monotonic() < started + WARM_UP_TIMEOUT_SECONDS:
            with ThreadPoolExecutor(WORKERS * 2) as pool:
                list(pool.map(lambda _: Client(self.url).get(path), range(WORKERS * 2)))
            if self.worker_pids() <= self.workers_that_answered(path, since=log_start):
                return time.monotonic() - started
        raise RuntimeError(f"not every worker answered {path} within {WARM_UP_TIMEOUT_SECONDS} s:\n{self.log_tail()}")

    def workers_that_answered(self, path: str, since: int = 0) -> set[int]:
        with self.log_path.open("rb") as log:
            log.seek(since)
            lines = log.read().decode(errors="replace").splitlines()
        return {int(found.group(1)) for line in lines if f'"GET {path} ' in line and '" 200 ' in line
                and (found := WORKER_IN_LOG.search(line))}

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)

    def worker_pids(self) -> set[int]:
        """The master's child processes: its workers."""
        master = self.process.pid
        children: set[int] = set()
        for task in Path(f"/proc/{master}/task").glob("*"):
            try:
                children.update(int(pid) for pid in (task / "children").read_text().split())
            except (FileNotFoundError, ProcessLookupError):
                continue
        return children

    def log_tail(self, lines: int = 80) -> str:
        if not self.log_path.exists():
            return "(no gunicorn log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def log_errors(self, since: int = 0) -> list[str]:
        """Lines of gunicorn's log after byte `since` that show a server-side error."""
        if not self.log_path.exists():
            return []
        with self.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        markers = ("Traceback", "Error:", "[ERROR]", "[CRITICAL]")
        return [line for line in text.splitlines() if any(marker in line for marker in markers)]

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0


def portal_environment(folder: Path, database_url: str, port: int) -> dict:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PORTAL_", "GUNICORN_"))}
    return env | {
        "PORTAL_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "SECRET_KEY": SECRET_KEY,
        "BASE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(folder / "search_index"),
        "OUTBOX_DIR": str(folder / "outbox"),
        "MAIL_SERVER": "",
        # The default tantivy index: the reindex test watches its index-* folders (Whoosh makes them too).
        "SEARCH_BACKEND": "tantivy",
        # gunicorn's text access log: warm_up reads which worker answered each request from it.
        "LOG_FORMAT": "text",
        "PYTHONUNBUFFERED": "1",
    }
