"""The HTTP benchmark: `python -m bench.http`, or `python -m bench.http --duration 3 --size 2000` for a quick look.

For SQLite with tantivy (or Whoosh) and then PostgreSQL with its own search: load the demonstration content and
10,000 synthetic opportunities into a new database, build the search index, serve the portal with gunicorn and its
production settings on loopback, and load each page with wrk (the varied search page asks for 200 different
searches in turn). Prints a table per database and writes every figure to bench/results/http-latest.json.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from urllib.parse import urlencode
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import whoosh

from bench import corpus, http_data, http_server, http_wrk, queries

RESULTS = Path(__file__).parent / "results"
STATIC_NAME = "static file"
VARIED_NAME = "search: varied text"
UNKEPT_PAGES = ("home", "opportunity (demo)", "opportunity (synthetic)", STATIC_NAME)
WARMUP_ROUNDS = 10


def pages(slugs: dict) -> list[tuple[str, str]]:
    """(name, path) of every page loaded, the static file last: it is the ceiling the others are compared with."""
    return [
        ("home", "/"),
        ("search: text", "/search?q=school+meals"),
        (VARIED_NAME, "/search?q=... (200 queries in turn)"),
        ("search: text + region", "/search?q=school+meals&region=TLI"),
        ("search: no text, 2 filters", "/search?stage=engagement&region=TLD"),
        ("opportunity (demo)", f"/opportunities/{slugs['demo']}"),
        ("opportunity (synthetic)", f"/opportunities/{slugs['synthetic']}"),
        (STATIC_NAME, "/static/css/portal.css"),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("both", "sqlite", "postgres"), default="both",
                        help="which database to serve from (default: %(default)s, one after the other)")
    parser.add_argument("--postgres-search", choices=("postgres", "whoosh"), default="postgres",
                        help="search backend of the PostgreSQL run (default %(default)s, as on several machines; "
                             "see --sqlite-search for the SQLite run)")
    parser.add_argument("--sqlite-search", choices=("tantivy", "whoosh"), default="tantivy",
                        help="search backend of the SQLite run (default %(default)s, the embedded default)")
    parser.add_argument("--queries", type=int, default=queries.DEFAULT_COUNT,
                        help="different text searches loaded in turn on the varied search page (default %(default)s)")
    parser.add_argument("--size", type=int, default=10_000, help="synthetic opportunities (default %(default)s)")
    parser.add_argument("--workers", type=int, default=4,
                        help="gunicorn workers, WEB_CONCURRENCY (default %(default)s)")
    parser.add_argument("--duration", type=float, default=15, help="seconds of load per page (default %(default)s)")
    parser.add_argument("--warmup", type=float, default=3,
                        help="seconds per round of unmeasured load before each page (default %(default)s)")
    parser.add_argument("--no-unkept", dest="unkept", action="store_false",
                        help="skip loading the kept pages again with nothing kept")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default %(default)s)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default %(default)s)")
    parser.add_argument("--seed", type=int, default=corpus.SEED)
    parser.add_argument("--out", type=Path, default=RESULTS / "http-latest.json")
    parser.add_argument("--workdir", type=Path, default=None, help="where the temporary folders go")
    args = parser.parse_args(argv)
    if args.threads > args.connections:
        parser.error("--threads must not exceed --connections")
    signal.signal(signal.SIGTERM, _stop)  # so every `finally` runs: gunicorn stopped, folders removed

    wrk = http_wrk.ensure_installed()
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    report = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(wrk),
        "settings": {
            "databases": list(databases), "synthetic_opportunities": args.size, "seed": args.seed,
            "gunicorn_workers": args.workers, "gunicorn_config": "portal/gunicorn_conf.py (threads, max_requests, "
            "access log as in production)", "wrk_connections": args.connections, "wrk_threads": args.threads,
            "seconds_per_page": args.duration, "warmup_seconds": args.warmup,
            "search_backend": {"sqlite": args.sqlite_search, "postgres": args.postgres_search},
        },
        "databases": {},
    }
    failures = []
    for name in databases:
        report["databases"][name] = one_database(name, args, wrk, failures)
        write(report, args.out)  # after every database, so a stopped run leaves figures behind
    report["machine"]["load_average_at_end"] = load_average()
    write(report, args.out)
    for name in databases:
        print_table(name, report["databases"][name], report)
    print(f"\nWrote {args.out}")
    if failures:
        print("\nFAILED: pages answered with errors under gunicorn:", file=sys.stderr)
        for failure in failures:
            print(f"\n== {failure['database']}: {failure['page']} {failure['path']}: {failure['problem']}",
                  file=sys.stderr)
            for trace in failure["tracebacks"][:3]:
                print(trace, file=sys.stderr)
        raise SystemExit(1)


def one_database(name: str, args, wrk: str, failures: list) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"portal-http-{name}-", dir=args.workdir))
    postgres_dir = None
    server = None
    result = {"load_average_before": load_average()}
    try:
        print(f"\n== {name}: building the database in {workdir} ==", flush=True)
        if name == "postgres":
            postgres_dir = Path(tempfile.mkdtemp(prefix="portal-http-pg-", dir=args.workdir))
            database_url = http_data.start_postgres(postgres_dir, http_server.free_port())
        else:
            database_url = f"sqlite:///{workdir / 'portal.sqlite3'}"
        env = http_data.environment(database_url, workdir, secrets.token_hex(32))
        backend = args.postgres_search if name == "postgres" else args.sqlite_search
        env["SEARCH_BACKEND"] = result["search_backend"] = backend
        build = http_data.build(env, args.size, args.seed)
        result["build"] = build
        print(f"  content loaded in {build['load_content_s']}s; {build['inserted']:,} synthetic opportunities "
              f"made in {build['generate_s']}s and inserted in {build['insert_s']}s; {build['reindex_output']} "
              f"({build['reindex_s']}s); {build['database_version']}", flush=True)
        slugs = http_data.sample_slugs(database_url)

        log = workdir / "gunicorn.log"
        server = http_server.start(env, args.workers, log)
        print(f"  gunicorn (pid {server.pid}, {args.workers} workers) answering at {server.base_url}", flush=True)
        result["search_total"] = check_search_total(server, args.size)
        print(f"  /search with no text, closed ones included, reports {result['search_total']:,} opportunities", flush=True)

        script = http_wrk.write_script(workdir)
        varied = [f"/search?{urlencode({'q': text})}" for text in queries.make_queries(args.queries, args.seed)]
        varied_script = http_wrk.write_script(workdir, varied, "varied.lua")
        result["varied_queries"] = len(varied)
        result["pages"] = {}
        peak = 0.0
        for page, path in pages(slugs):
            if page == VARIED_NAME:
                result["pages"][page] = one_page(name, page, varied[0], server, wrk, varied_script, args, failures)
                result["pages"][page]["path"] = path
            else:
                result["pages"][page] = one_page(name, page, path, server, wrk, script, args, failures)
            # Each worker's peak RSS so far (VmHWM), read after every page: a worker recycled later loses its own.
            after = http_server.memory_report(server)
            result["pages"][page]["worker_rss_mb_after"] = after["rss_mb"]
            result["pages"][page]["worker_peak_rss_mb_after"] = after["peak_rss_mb"]
            peak = max(peak, after["peak_rss_mb"]["max"] if after["peak_rss_mb"] else 0.0)
        result["memory"] = http_server.memory_report(server)
        result["memory"]["peak_worker_rss_mb_seen"] = peak
        result["worker_boots"] = http_server.worker_boots(log)
        if args.unkept:
            # The pages each worker keeps for visitors not signed in, built on every request as for a signed-in
            # person (KEPT_PAGES_SECONDS=0), beside the static file again: what a page costs when it is not kept.
            http_server.stop(server)
            server = http_server.start({**env, "KEPT_PAGES_SECONDS": "0"}, args.workers, log)
            print("  the same pages with nothing kept (KEPT_PAGES_SECONDS=0):", flush=True)
            result["unkept_pages"] = {
                page: one_page(name, f"{page}, not kept", path, server, wrk, script, args, failures)
                for page, path in pages(slugs) if page in UNKEPT_PAGES}
            result["unkept_memory"] = http_server.memory_report(server)
        result["load_average_after"] = load_average()
        memory = result["memory"]
        print(f"  workers: RSS mean {memory['rss_mb']['mean']} MB, max {memory['rss_mb']['max']} MB"
              + (f"; PSS mean {memory['pss_mb']['mean']} MB, max {memory['pss_mb']['max']} MB"
                 if memory["pss_mb"] else "")
              + f"; {result['worker_boots']} worker starts in all ({args.workers} at start)", flush=True)
    finally:
        if server is not None:
            http_server.stop(server)
        if postgres_dir is not None:
            http_data.stop_postgres(postgres_dir)
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def check_search_total(server, size: int) -> int:
    status, body = http_server.fetch(server.base_url + "/search?closed=yes")  # closed and awarded too: all of them
    found = re.search(r"([\d,]+) opportunities found", body)
    if status != 200 or not found:
        raise RuntimeError(f"/search answered {status} with no result count:\n{http_server.tail(server.log)}")
    total = int(found.group(1).replace(",", ""))
    if total < size:
        raise RuntimeError(f"/search reports {total:,} opportunities; expected at least {size:,}")
    return total


def one_page(database: str, page: str, path: str, server, wrk: str, script: Path, args, failures: list) -> dict:
    url = server.base_url + path
    log_start = http_server.log_size(server.log)
    status, body = http_server.fetch(url)
    figures = {"path": path, "status": status}
    found = re.search(r"([\d,]+) opportunit(?:y|ies) found", body)
    if path.startswith("/search") and found:
        figures["results"] = int(found.group(1).replace(",", ""))
    if status == 200:
        figures["warmup"] = warm_up(wrk, script, url, args)
        figures["warmup_non_2xx_3xx"] = sum(w["non_2xx_3xx"] for w in figures["warmup"])
        figures |= http_wrk.run(wrk, script, url, args.duration, args.connections, args.threads)
        latency = figures["latency_ms"]
        print(f"  {page}: {figures['requests_per_s']:,} req/s, p50 {latency['p50']} ms, p95 {latency['p95']} ms, "
              f"p99 {latency['p99']} ms" + (f", {figures['results']:,} results" if "results" in figures else ""),
              flush=True)
    problems = []
    if status != 200:
        problems.append(f"answered {status} before the load")
    elif not figures["requests"]:
        problems.append(f"no request finished in {args.duration:g}s")
    if figures.get("warmup_non_2xx_3xx") or figures.get("non_2xx_3xx"):
        problems.append(f"{figures.get('warmup_non_2xx_3xx', 0) + figures.get('non_2xx_3xx', 0):,} "
                        "responses with status 400 or more under load")
    if problems:
        traces = http_server.tracebacks(server.log, log_start)
        figures["problem"] = "; ".join(problems)
        figures["tracebacks"] = traces[:3]
        failures.append({"database": database, "page": page, "path": path, "problem": figures["problem"],
                         "tracebacks": traces})
        print(f"  !! {page} {path}: {figures['problem']}", flush=True)
        for trace in traces[:1]:
            print(trace, flush=True)
    return figures


def warm_up(wrk: str, script: Path, url: str, args) -> list[dict]:
    """Unmeasured load, in rounds of --warmup seconds, until it looks settled: a worker's first view of a page
    can take seconds (caches filled, libraries loaded lazily), which belongs to start-up, not to the steady state
    measured next. wrk counts only finished requests, so a connection stuck on a cold worker hides in a round
    with few requests: the load is settled when two rounds in a row finish about as many requests (within 30%)
    and the later one has no request over max(1 s, 5 x its median). At most WARMUP_ROUNDS; all are recorded."""
    rounds = []
    while args.warmup > 0 and len(rounds) < WARMUP_ROUNDS:
        run = http_wrk.run(wrk, script, url, args.warmup, args.connections, args.threads)
        latency = run["latency_ms"]
        rounds.append({"requests": run["requests"], "non_2xx_3xx": run["non_2xx_3xx"],
                       "p50_ms": latency["p50"], "max_ms": latency["max"]})
        if len(rounds) >= 2 and _settled(rounds[-2], rounds[-1]):
            break
    if len(rounds) > 2:
        print(f"  (warm-up took {len(rounds)} rounds; finished requests per round "
              f"{', '.join(str(r['requests']) for r in rounds)})", flush=True)
    return rounds


def _settled(before: dict, after: dict) -> bool:
    steady = after["requests"] > 0 and abs(after["requests"] - before["requests"]) <= 0.3 * after["requests"]
    return steady and after["max_ms"] <= max(1000, 5 * after["p50_ms"])


def print_table(name: str, result: dict, report: dict) -> None:
    s, m = report["settings"], report["machine"]
    build = result["build"]
    print(f"\n{build['database_version']}, {result['search_backend']} search: "
          f"{build['published_in_database']:,} published opportunities ({build['inserted']:,} synthetic); "
          f"gunicorn {m['gunicorn']}, {s['gunicorn_workers']} workers x 4 threads; {m['wrk']}, "
          f"{s['wrk_connections']} connections, {s['wrk_threads']} threads, {s['seconds_per_page']:g}s per page "
          f"after warm-up (rounds of {s['warmup_seconds']:g}s); {m['cpu_count']} CPUs, Python {m['python']}")
    print_pages(result["pages"])
    if result.get("unkept_pages"):
        print("  with nothing kept (KEPT_PAGES_SECONDS=0), against the static file loaded again:")
        print_pages(result["unkept_pages"])
        peak = result["unkept_memory"]["peak_rss_mb"]["max"]
        print(f"  memory per worker after those pages: peak RSS (VmHWM) max {peak} MB")
    memory = result["memory"]
    rss = memory["rss_mb"]
    line = f"  memory per worker after the load: RSS mean {rss['mean']} MB, max {rss['max']} MB"
    if memory["pss_mb"]:
        line += f"; PSS mean {memory['pss_mb']['mean']} MB, max {memory['pss_mb']['max']} MB"
    print(line + f"; master RSS {memory['master']['rss_mb']} MB; highest peak RSS (VmHWM) of any worker, read "
          f"after every page, before recycling: {memory['peak_worker_rss_mb_seen']} MB")
    print(f"  worker starts: {result['worker_boots']} ({s['gunicorn_workers']} at start, the rest recycled after "
          f"max_requests); load average before {result['load_average_before']}, after {result['load_average_after']}")


def print_pages(pages: dict) -> None:
    """One row per page, each with its requests per second over the static file's among the same pages."""
    static = pages.get(STATIC_NAME, {}).get("requests_per_s")
    print(f"  {'page':28} {'URL':44} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'vs static':>10}")
    for page, f in pages.items():
        path = f["path"] if len(f["path"]) <= 44 else f["path"][:41] + "..."
        if "requests_per_s" not in f:
            print(f"  {page:28} {path:44} {'failed: ' + f.get('problem', ''):>44}")
            continue
        latency = f["latency_ms"]
        ratio = f"{f['requests_per_s'] / static:.3f}" if static else "-"
        flag = "  <- ERRORS" if f.get("problem") else ""
        print(f"  {page:28} {path:44} {f['requests_per_s']:>8,.1f} {latency['p50']:>8.2f} {latency['p95']:>8.2f} "
              f"{latency['p99']:>8.2f} {ratio:>10}{flag}")




def machine(wrk: str) -> dict:
    memory = None
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            memory = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "memory_gb": memory,
        "gunicorn": metadata.version("gunicorn"),
        "flask": metadata.version("flask"),
        "sqlalchemy": metadata.version("sqlalchemy"),
        "psycopg": _version("psycopg"),
        "whoosh": whoosh.versionstring(),
        "sqlite": sqlite3.sqlite_version,
        "wrk": http_wrk.version(wrk),
        "executable": sys.executable,
        "load_average_at_start": load_average(),
    }


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def load_average() -> list[float] | None:
    """wrk, gunicorn and the database share the machine's CPUs; other work on it skews every figure."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def write(report: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def _stop(signum, frame):
    raise SystemExit(f"Stopped by signal {signum}")


if __name__ == "__main__":
    started = time.perf_counter()
    try:
        main()
    finally:
        print(f"({time.perf_counter() - started:.0f}s)", flush=True)
