"""The portal under gunicorn, as `make serve-prod` runs it, for the HTTP benchmark: start, wait, measure, stop."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.http_data import PROJECT_ROOT

READY_PATH = "/static/css/portal.css"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def start(env: dict, workers: int, log: Path, timeout: float = 60) -> Server:
    """gunicorn with the portal's own settings (portal/gunicorn_conf.py) on a free loopback port."""
    port = free_port()
    env = {**env, "PORTAL_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "python:portal.gunicorn_conf", "portal:create_app()"],
            env=env, cwd=PROJECT_ROOT, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the benchmark, which then stops gunicorn in its `finally`
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}) before answering:\n{tail(log)}")
        try:
            with urllib.request.urlopen(server.base_url + READY_PATH, timeout=2) as response:
                if response.status == 200 and len(workers_of(process.pid)) >= workers:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            stop(server)
            raise RuntimeError(f"gunicorn did not answer within {timeout:.0f}s:\n{tail(log)}")
        time.sleep(0.2)


def stop(server: Server) -> None:
    """SIGTERM to the master (a graceful shutdown of its workers), then SIGKILL to its process group."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)  # the group gunicorn was started in, nothing else
        server.process.wait(timeout=10)


def fetch(url: str) -> tuple[int, str]:
    """Status and body of one GET, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def workers_of(master: int) -> list[int]:
    """The worker processes: children of the gunicorn master."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return sorted(int(pid) for pid in children)
    except OSError:
        pass
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry.name))
    return sorted(found)


def memory(pid: int) -> dict:
    """RSS, its peak over the process's life so far (VmHWM), and PSS when /proc/PID/smaps_rollup is readable, in MB."""
    out = {"pid": pid, "rss_mb": None, "peak_rss_mb": None, "pss_mb": None}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out["rss_mb"] = round(int(line.split()[1]) / 1024, 1)
            elif line.startswith("VmHWM:"):
                out["peak_rss_mb"] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return out
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                out["pss_mb"] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return out


def memory_report(server: Server) -> dict:
    workers = [memory(pid) for pid in workers_of(server.pid)]
    report = {"workers": workers, "master": memory(server.pid)}
    for key in ("rss_mb", "peak_rss_mb", "pss_mb"):
        values = [w[key] for w in workers if w[key] is not None]
        report[key] = {"mean": round(sum(values) / len(values), 1), "max": max(values)} if values else None
    return report


def worker_boots(log: Path) -> int:
    """How many times a worker has started (gunicorn recycles each after max_requests, see gunicorn_conf.py)."""
    return len(re.findall(r"Booting worker with pid", log.read_text(encoding="utf-8", errors="replace")))


def tracebacks(log: Path, since: int = 0) -> list[str]:
    """The Python tracebacks written to the log after byte `since`, each with the lines before it that say why."""
    with open(log, "rb") as f:
        f.seek(since)
        lines = f.read().decode("utf-8", "replace").splitlines()
    found, current = [], None
    for number, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last)"):
            current = [*lines[max(0, number - 2):number], line]
        elif current is not None:
            current.append(line)
            if line and not line.startswith((" ", "\t")):  # the exception line ends it
                found.append("\n".join(current))
                current = None
    if current:
        found.append("\n".join(current))
    return found


def log_size(log: Path) -> int:
    return log.stat().st_size if log.exists() else 0


def tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
