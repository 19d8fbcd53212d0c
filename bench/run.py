"""The search benchmark: `make bench`, or `python -m bench.run --sizes 2000 --queries 50` for a quick look.

For each corpus size: build the portal's tantivy index (TantivyIndex.rebuild) and time its search in three modes
and after commits, then do the same with Whoosh (up to --whoosh-limit), the portal's PostgreSQL backend
(bench/pg_search.py, on a throwaway cluster) and SQLite FTS5 done well (bench/fts.py), on the same documents and
queries, and compare their answers.
Prints a table and writes every figure to bench/results/latest.json.
"""

import argparse
import cProfile
import gc
import json
import math
import os
import platform
import pstats
import resource
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import whoosh

from portal.search import SearchQuery, rebuild, search
from portal.search import searcher as portal_searcher
from portal.search.query import FILTER_NAMES
from portal.search.tantivy_backend import TantivyIndex
from portal.search.tantivy_backend import _by_id as tantivy_query_by_id
from portal.search.tantivy_schema import tantivy_document

from bench import corpus, fts, pg_search, queries

RESULTS = Path(__file__).parent / "results"
DEFAULT_SIZES = (10_000, 100_000)
MODES = {
    "text": "text only",
    "text_filters": "text + 2 filters",
    "filters": "no text, 2 filters",
}
PROFILE_QUERIES = 30
WHOOSH_LIMIT = 10_000  # Whoosh took over 20 minutes to build 100,000: larger sizes show its projection instead
AFTER_COMMIT_ROUNDS = 5


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="corpus sizes, comma-separated (default %(default)s)")
    parser.add_argument("--queries", type=int, default=queries.DEFAULT_COUNT,
                        help="queries per mode (default %(default)s)")
    parser.add_argument("--seed", type=int, default=corpus.SEED)
    parser.add_argument("--profile-queries", type=int, default=PROFILE_QUERIES,
                        help="queries per mode in the phase profile of portal search after timing (0: no profile)")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    parser.add_argument("--workdir", type=Path, default=None, help="where temporary corpora and indexes go")
    parser.add_argument("--whoosh-limit", type=int, default=WHOOSH_LIMIT,
                        help="largest size Whoosh is built at (default %(default)s); above it, a projection")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false",
                        help="leave out the PostgreSQL backend (no throwaway cluster)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)  # so `finally` removes the temporary folder
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})

    texts = queries.make_queries(args.queries, args.seed)
    filter_pairs = queries.make_filters(len(texts), args.seed)
    if len(texts) < args.queries:
        print(f"Only {len(texts)} distinct queries could be made", flush=True)
    workloads = {
        "text": [SearchQuery(text=t) for t in texts],
        "text_filters": [SearchQuery(text=t, **f) for t, f in zip(texts, filter_pairs)],
        "filters": [SearchQuery(**f) for f in filter_pairs],
    }
    report = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {"sizes": sizes, "queries_per_mode": len(texts), "seed": args.seed,
                     "today": corpus.TODAY.isoformat(), "page_size": SearchQuery().size,
                     "modes": MODES, "example_queries": texts[:10]},
        "notes": [
            f"portal.search.search() always computes facet counts for all {len(FILTER_NAMES)} filter groups "
            f"({', '.join(FILTER_NAMES)}); FTS5 does the same in one statement: one match, then every count in "
            "columns (with every filter, and without each chosen group's own).",
            "First search: tantivy opens the index; Whoosh also reads every stored facet record into a table.",
            "Build times include reading the corpus back from a JSON-lines file (corpus.read_s, for both engines).",
        ],
        "sizes": {},
    }
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-", dir=args.workdir))
    cluster = None
    try:
        print(f"Benchmark in {workdir}; {len(texts)} queries per mode; sizes {', '.join(f'{s:,}' for s in sizes)}",
              flush=True)
        corpus_file = workdir / "corpus.jsonl"
        started = time.perf_counter()
        stats = corpus.write_jsonl(corpus_file, progress(corpus.documents(max(sizes), args.seed), max(sizes),
                                                         "generating corpus"))
        generated = time.perf_counter() - started
        started = time.perf_counter()
        for _ in corpus.read_jsonl(corpus_file, max(sizes)):
            pass
        report["corpus"] = {**stats, "generate_s": round(generated, 1),
                            "read_s": round(time.perf_counter() - started, 2),
                            "file_mb": mb(corpus_file.stat().st_size),
                            "vocabulary_from_notices": corpus.vocabulary_size()}
        print(f"Corpus: {stats} in {generated:.0f}s", flush=True)

        if args.postgres:
            cluster = pg_search.Cluster(args.workdir)
            report["machine"]["postgresql"] = cluster.version()
        for size in sizes:
            report["sizes"][str(size)] = one_size(size, corpus_file, workdir, workloads, args.profile_queries,
                                                  cluster, args.whoosh_limit)
            report["machine"]["peak_rss_mb"] = peak_rss_mb()
            write(report, args.out)  # after every size, so a long run leaves figures behind
    finally:
        if cluster is not None:
            cluster.close()
        shutil.rmtree(workdir, ignore_errors=True)
    print_table(report)
    print(f"\nWrote {args.out}")


def one_size(size: int, corpus_file: Path, workdir: Path, workloads: dict, profile_queries: int,
             cluster: "pg_search.Cluster | None", whoosh_limit: int) -> dict:
    load_before = load_average()
    print(f"\n== {size:,} documents == (load average {load_before}, {os.cpu_count()} CPUs)", flush=True)
    today = corpus.TODAY
    engines, answers = {}, {}

    engines["tantivy"], answers["tantivy"] = tantivy_size(size, corpus_file, workdir, workloads, today)

    if size <= whoosh_limit:  # Whoosh, through the portal's own functions
        engines["whoosh"], answers["whoosh"] = whoosh_size(size, corpus_file, workdir, workloads, profile_queries,
                                                           today)
    if cluster is not None:  # the portal's PostgreSQL backend
        engines["postgres"], answers["postgres"] = postgres_size(cluster, size, corpus_file, workloads, today)

    # SQLite FTS5 done well, on the same documents and queries.
    db = workdir / f"fts5-{size}.sqlite3"
    build_s = timed(lambda: fts.build(db, progress(corpus.read_jsonl(corpus_file, size), size, "FTS5 build")))
    fts_result = {"build_s": round(build_s, 2), "index_mb": mb(sum(p.stat().st_size for p in workdir.glob(db.name + "*")))}
    print(f"  FTS5 build {build_s:.1f}s, {fts_result['index_mb']} MB", flush=True)
    holder = {}

    def first_query():
        holder["searcher"] = fts.Searcher(db)
        holder["searcher"].search(workloads["text"][0], today)
    fts_result["first_search_ms"] = ms(timed(first_query))
    searcher = holder["searcher"]
    fts_result["modes"], answers["fts5"] = run_modes("FTS5", lambda q: searcher.search(q, today), workloads)
    searcher.close()
    db.unlink()
    engines["fts5"] = fts_result

    pairs = [("tantivy", "fts5"), ("tantivy", "whoosh"), ("postgres", "fts5"), ("postgres", "tantivy"),
             ("whoosh", "fts5")]
    return {
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "engines": engines,
        "ratios": {f"{a}/{b}": ratios(engines[a], engines[b]) for a, b in pairs if a in engines and b in engines},
        "agreement": {f"{a}/{b}": agreement(answers[a], answers[b]) for a, b in pairs if a in answers and b in answers},
    }


def tantivy_size(size: int, corpus_file: Path, workdir: Path, workloads: dict, today) -> tuple[dict, dict]:
    """The portal's tantivy backend: build, first search of a new process's index, the modes, and the first
    search after each of a few commits (readers reload then)."""
    index_dir = workdir / f"tantivy-{size}"
    build_s = timed(lambda: TantivyIndex(index_dir).rebuild(
        progress(corpus.read_jsonl(corpus_file, size), size, "tantivy build")))
    figures = {"build_s": round(build_s, 2), "index_mb": mb(disk_usage(index_dir))}
    print(f"  tantivy build {build_s:.1f}s, {figures['index_mb']} MB", flush=True)
    index = TantivyIndex(index_dir)
    figures["first_search_ms"] = ms(timed(lambda: index.search(workloads["text"][0], today)))
    figures["modes"], answers = run_modes("tantivy", lambda q: index.search(q, today), workloads)
    after_commit = []
    changed = list(corpus.read_jsonl(corpus_file, AFTER_COMMIT_ROUNDS))
    for round_number, document in enumerate(changed):
        commit_one(index, document)
        query = workloads["text"][-1 - round_number]
        after_commit.append(timed(lambda: index.search(query, today)))
    figures["first_search_after_commit_ms"] = {"median": ms(statistics.median(after_commit)),
                                               "max": ms(max(after_commit)), "commits": len(after_commit)}
    print(f"  tantivy first search after a commit: median {figures['first_search_after_commit_ms']['median']} ms,"
          f" max {figures['first_search_after_commit_ms']['max']} ms", flush=True)
    shutil.rmtree(index_dir, ignore_errors=True)
    gc.collect()
    return figures, answers


def commit_one(index: "TantivyIndex", document: dict) -> None:
    """Replace one document and commit, as publishing a change does (TantivyIndex.update, without the database)."""
    live = index._current()
    writer = index._writer(live.index)
    try:
        writer.delete_documents_by_query(tantivy_query_by_id(int(document["id"])))
        writer.add_document(tantivy_document(document))
        writer.commit()
    finally:
        writer.wait_merging_threads()


def whoosh_size(size: int, corpus_file: Path, workdir: Path, workloads: dict, profile_queries: int,
                today) -> tuple[dict, dict]:
    index_dir = workdir / f"whoosh-{size}"
    build_s = timed(lambda: rebuild(index_dir, progress(corpus.read_jsonl(corpus_file, size), size, "Whoosh build")))
    figures = {"build_s": round(build_s, 2), "index_mb": mb(disk_usage(index_dir))}
    print(f"  Whoosh build {build_s:.1f}s, {figures['index_mb']} MB", flush=True)
    first = workloads["text"][0]
    figures["first_search_ms"] = ms(timed(lambda: search(index_dir, first, today)))
    figures["modes"], answers = run_modes("Whoosh", lambda q: search(index_dir, q, today), workloads)
    if profile_queries:
        figures["profile"] = profile(index_dir, workloads, profile_queries, today)
    portal_searcher.forget(index_dir)  # release the cached searcher's open files and facet table
    shutil.rmtree(index_dir, ignore_errors=True)
    gc.collect()
    return figures, answers


def postgres_size(cluster, size: int, corpus_file: Path, workloads: dict, today) -> tuple[dict, dict]:
    name = f"bench_{size}"
    index = cluster.index(name)
    try:
        build_s = timed(lambda: pg_search.build(index, progress(corpus.read_jsonl(corpus_file, size), size,
                                                                 "PostgreSQL build")))
        figures = {"build_s": round(build_s, 2), "index_mb": mb(pg_search.size_bytes(index))}
        print(f"  PostgreSQL build {build_s:.1f}s, {figures['index_mb']} MB", flush=True)
        figures["first_search_ms"] = ms(timed(lambda: index.search(workloads["text"][0], today)))
        figures["modes"], answers = run_modes("PostgreSQL", lambda q: index.search(q, today), workloads)
    finally:
        pg_search.drop(cluster, index, name)
    return figures, answers


def run_modes(label: str, run: Callable, workloads: dict) -> tuple[dict, dict]:
    figures, answers = {}, {}
    for mode, workload in workloads.items():
        gc.collect()
        times, results = [], []
        for query in workload:
            started = time.perf_counter()
            result = run(query)
            times.append(time.perf_counter() - started)
            results.append((result.ids, result.total, result.counts))
        figures[mode] = {
            "median_ms": ms(statistics.median(times)),
            "p95_ms": ms(percentile(times, 95)),
            "mean_ms": ms(statistics.fmean(times)),
            "max_ms": ms(max(times)),
            "mean_total_hits": round(statistics.fmean(r[1] for r in results), 1),
        }
        answers[mode] = results
        f = figures[mode]
        print(f"  {label} {MODES[mode]}: median {f['median_ms']} ms, p95 {f['p95_ms']} ms "
              f"(mean {f['mean_total_hits']:,} results)", flush=True)
    return figures, answers


def profile(index_dir: Path, workloads: dict, count: int, today) -> dict:
    """Where portal.search.search spends its time, by phase, under cProfile (which inflates Python-heavy phases)."""
    phases = {  # a phase the current portal code does not have shows 0
        "whoosh_matching": ("whoosh/searching/searcher.py", "docs_for_query"),
        "whoosh_ranking": ("whoosh/searching/searcher.py", "search"),
        "spelling_suggestion": ("portal/search/searcher.py", "_suggest"),
        "parse": ("portal/search/searcher.py", "_parse"),
        "open_or_refresh": ("portal/search/searcher.py", "_live"),
        "sort": ("portal/search/searcher.py", "_sorted"),
    }
    out = {}
    for mode, workload in workloads.items():
        profiler = cProfile.Profile()
        profiler.enable()
        for query in workload[:count]:
            search(index_dir, query, today)
        profiler.disable()
        stats = pstats.Stats(profiler).stats
        total = cumulative(stats, "portal/search/searcher.py", "search")
        shares = {name: cumulative(stats, path, func) for name, (path, func) in phases.items()}
        shares["filters_and_counts"] = total - sum(shares.values())
        out[mode] = {name: round(100 * t / total, 1) for name, t in shares.items()} if total else {}
        print(f"  profile {MODES[mode]} (% of search time): "
              + ", ".join(f"{k} {v}" for k, v in out[mode].items()), flush=True)
    return out


def cumulative(stats: dict, path: str, func: str) -> float:
    return sum(ct for (file, _, name), (_, _, _, ct, _) in stats.items()
               if name == func and file.replace(os.sep, "/").endswith(path))


def agreement(answers: dict, others: dict) -> dict:
    """How far two engines agree. With no text they must agree exactly (same filters, counts and sort)."""
    out = {}
    for mode in answers:
        pairs = list(zip(answers[mode], others[mode]))
        same_total = sum(w[1] == f[1] for w, f in pairs)
        same_counts = sum(w[2] == f[2] for w, f in pairs)
        overlap = [len(set(w[0]) & set(f[0])) / max(len(w[0]), len(f[0])) if w[0] or f[0] else 1.0 for w, f in pairs]
        out[mode] = {
            "queries": len(pairs),
            "same_total": same_total,
            "same_counts": same_counts,
            "same_page": sum(w[0] == f[0] for w, f in pairs),
            "mean_first_page_overlap": round(statistics.fmean(overlap), 3) if overlap else None,
        }
    return out


def ratios(result: dict, reference: dict) -> dict:
    """Every figure of one engine divided by the same figure of another."""
    out = {}
    for key in ("build_s", "index_mb", "first_search_ms"):
        out[key] = ratio(result[key], reference[key])
    for mode in MODES:
        for key in ("median_ms", "p95_ms"):
            out[f"{mode}.{key}"] = ratio(result["modes"][mode][key], reference["modes"][mode][key])
    return out


ENGINE_NAMES = {"tantivy": "tantivy", "whoosh": "Whoosh", "postgres": "PostgreSQL", "fts5": "FTS5"}


def print_table(report: dict) -> None:
    m = report["machine"]
    print(f"\nSearch benchmark: Python {m['python']}, {m['cpu_count']} CPUs, {m['platform']}, "
          f"Whoosh {m['whoosh']}, SQLite {m['sqlite']}"
          + (f", PostgreSQL {m['postgresql']}" if m.get("postgresql") else "")
          + f"; {report['settings']['queries_per_mode']} queries per mode")
    c = report["corpus"]
    print(f"Corpus words per document (mean): title {c['title_words_mean']}, summary {c['summary_words_mean']}, "
          f"why {c['why_words_mean']}, body {c['body_words_mean']}, keywords {c['keywords_words_mean']}")
    for size, r in report["sizes"].items():
        columns = [(ENGINE_NAMES[name], figures) for name, figures in r["engines"].items()]
        ratio_columns = [(pair, found) for pair, found in r["ratios"].items()]
        rows = [(label, key, lambda e, key=key: e[key]) for label, key in
                (("build (s)", "build_s"), ("index size (MB)", "index_mb"), ("first search (ms)", "first_search_ms"))]
        for mode, label in MODES.items():
            for key, name in (("median_ms", "median"), ("p95_ms", "p95")):
                rows.append((f"{label}: {name} (ms)", f"{mode}.{key}",
                             lambda e, mode=mode, key=key: e["modes"][mode][key]))
        print(f"\n{int(size):,} documents (load average before {r['load_average_before']}, "
              f"after {r['load_average_after']})")
        print(f"  {'':32}" + "".join(f" {name:>10}" for name, _ in columns)
              + "".join(f" {name:>16}" for name, _ in ratio_columns))
        for label, ratio_key, figure in rows:
            print(f"  {label:32}" + "".join(f" {figure(e):>10,}" for _, e in columns)
                  + "".join(f" {q[ratio_key]:>15}x" for _, q in ratio_columns))
        if "whoosh" not in r["engines"]:
            print(f"  Whoosh not built at this size (--whoosh-limit); {whoosh_projection(report, int(size))}")
        after = r["engines"]["tantivy"]["first_search_after_commit_ms"]
        print(f"  tantivy first search after a commit: median {after['median']} ms, max {after['max']} ms "
              f"({after['commits']} commits)")
        hits = ", ".join(f"{MODES[k]} {v['mean_total_hits']:,}" for k, v in r["engines"]["tantivy"]["modes"].items())
        print(f"  mean results per query (tantivy): {hits}")
        for pair, found in r["agreement"].items():
            print_agreement(pair, found)
        w = r["engines"].get("whoosh", {})
        for mode, shares in w.get("profile", {}).items():
            top = sorted(shares.items(), key=lambda kv: -kv[1])
            print(f"  Whoosh profile, {MODES[mode]}: " + ", ".join(f"{k} {v}%" for k, v in top))
    print(f"\nPeak memory of this process (RSS): {m['peak_rss_mb']:,} MB")


def whoosh_projection(report: dict, size: int) -> str:
    """Whoosh's build time at `size`, projected linearly from the largest size it was built at."""
    built = [(int(s), r["engines"]["whoosh"]) for s, r in report["sizes"].items() if "whoosh" in r["engines"]]
    if not built:
        return "no size to project from"
    base, figures = max(built)
    return (f"projected from {base:,}: build about {figures['build_s'] * size / base:,.0f}s, text search p95 about "
            f"{figures['modes']['text']['p95_ms'] * size / base:,.0f} ms (linear)")


def print_agreement(pair: str, found: dict) -> None:
    first, second = pair.split("/")
    engines = f"{ENGINE_NAMES[first]} and {ENGINE_NAMES[second]}"
    print(f"  agreement of {engines}: " + "; ".join(
        f"{MODES[k]}: same total {v['same_total']}/{v['queries']}, same counts {v['same_counts']}, "
        f"same first page {v['same_page']}, first-page overlap {v['mean_first_page_overlap']}"
        for k, v in found.items()))


def progress(items: Iterable, total: int, label: str) -> Iterator:
    started, step = time.perf_counter(), max(total // 10, 1)
    count = 0
    for count, item in enumerate(items, 1):
        yield item
        if count % step == 0:
            print(f"  {label}: {count:,}/{total:,} ({time.perf_counter() - started:.0f}s)", flush=True)
    print(f"  {label}: all {count:,} read ({time.perf_counter() - started:.0f}s), finishing", flush=True)


def machine() -> dict:
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
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "memory_gb": memory,
        "whoosh": whoosh.versionstring(),
        "sqlite": sqlite3.sqlite_version,
        "executable": sys.executable,
        "load_average_at_start": load_average(),
    }


def _stop(signum, frame):
    raise SystemExit(f"Stopped by signal {signum}")


def load_average() -> list[float] | None:
    """Other work on the machine skews every figure; the 1, 5 and 15 minute load averages show how much."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def write(report: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def timed(work: Callable) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def disk_usage(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def mb(size: int) -> float:
    return round(size / 1024 / 1024, 1)


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


if __name__ == "__main__":
    main()
