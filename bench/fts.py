"""SQLite FTS5 doing the same job as portal.search, as a reference point.

Same documents, same text fields and weights (portal.search.schema.TEXT_FIELDS, ranked with bm25), same
meaning of every filter, the same facet counts (each group ignores its own choice) and the same sort and
paging. Like the Whoosh index, the FTS5 table stores no text (contentless), only what ranking needs;
facets live in ordinary tables joined on the document id.

Whoosh's analyser drops stop words and one-letter words and joins the remaining words with OR; here each
remaining word is quoted (so nothing a person types is FTS5 syntax) and joined with OR. Not done here: the
spelling suggestion, which Whoosh only works on for words no document contains.
"""

import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from whoosh.analysis import STOP_WORDS

from portal.search.query import CLOSING_WINDOWS, FILTER_NAMES, SearchQuery
from portal.search.schema import TEXT_FIELDS

COLUMNS = tuple(TEXT_FIELDS)  # title, summary, keywords, why, body
WEIGHTS = ", ".join(str(TEXT_FIELDS[c]) for c in COLUMNS)
CACHE_KIB = 65536  # 64 MiB page cache (the Whoosh writer gets limitmb=256)
WORD = re.compile(r"\w+", re.UNICODE)
BATCH = 1000

SCHEMA = f"""
CREATE TABLE docs (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, stage TEXT NOT NULL, buyer TEXT NOT NULL,
    cpv_division TEXT NOT NULL, value_band TEXT NOT NULL, value INTEGER, sme INTEGER NOT NULL,
    vcse INTEGER NOT NULL, published INTEGER NOT NULL, closes INTEGER, source TEXT NOT NULL
);
CREATE TABLE doc_missions (doc INTEGER NOT NULL, mission TEXT NOT NULL, PRIMARY KEY (doc, mission)) WITHOUT ROWID;
CREATE TABLE doc_regions (doc INTEGER NOT NULL, region TEXT NOT NULL, PRIMARY KEY (doc, region)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5({", ".join(COLUMNS)}, content='', tokenize='porter unicode61 remove_diacritics 2');
"""
INDEXES = """
CREATE INDEX doc_missions_by_mission ON doc_missions (mission, doc);
CREATE INDEX doc_regions_by_region ON doc_regions (region, doc);
CREATE INDEX docs_newest ON docs (published DESC, id);
INSERT INTO fts (fts) VALUES ('optimize');
ANALYZE;
"""
SCALAR_COLUMNS = {"kind": "kind", "stage": "stage", "buyer": "buyer", "cpv": "cpv_division", "value": "value_band",
                  "source": "source"}
LINK_TABLES = {"mission": ("doc_missions", "mission"), "region": ("doc_regions", "region")}
FLAGS = ("sme", "vcse")
_UNKNOWN = set(FILTER_NAMES) - set(SCALAR_COLUMNS) - set(LINK_TABLES) - set(FLAGS) - {"closing"}
if _UNKNOWN:  # the portal has a filter group this reference would not count: the comparison would be unfair
    raise RuntimeError(f"bench/fts.py does not know the portal's filter group(s) {sorted(_UNKNOWN)}")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def build(path: Path, documents: Iterable[dict]) -> None:
    """One transaction: facet rows and text, then the indexes, an FTS5 merge into one b-tree and ANALYZE."""
    conn = _connect(path)
    try:
        conn.executescript(SCHEMA)
        conn.execute("BEGIN")
        documents = iter(documents)
        while batch := list(islice(documents, BATCH)):
            docs, missions, regions, texts = [], [], [], []
            for doc in batch:
                number, f = int(doc["id"]), doc["facets"]
                docs.append((number, f["kind"], f["stage"], f["buyer"], f["cpv_division"], f["value_band"], f["value"],
                             int(f["sme"]), int(f["vcse"]), f["published"], f["closes"], f.get("source", "portal")))
                missions.extend((number, mission) for mission in f["missions"])
                regions.extend((number, region) for region in f["regions"])
                texts.append((number, *(doc[c] for c in COLUMNS)))
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", docs)
            conn.executemany("INSERT OR IGNORE INTO doc_missions VALUES (?, ?)", missions)
            conn.executemany("INSERT OR IGNORE INTO doc_regions VALUES (?, ?)", regions)
            conn.executemany(f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)", texts)
        for statement in filter(str.strip, INDEXES.split(";")):
            conn.execute(statement)
        conn.execute("COMMIT")
    finally:
        conn.close()


def match_expression(text: str) -> str | None:
    """Each word quoted, stop words and one-letter words left out (as Whoosh's analyser does), joined by OR."""
    words = dict.fromkeys(w.lower() for w in WORD.findall(text) if len(w) >= 2 and w.lower() not in STOP_WORDS)
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words) or None


@dataclass
class Result:
    ids: list[int]
    total: int
    counts: dict[str, Counter]


class Searcher:
    def __init__(self, path: Path):
        self.conn = _connect(path)
        self.conn.execute("CREATE TEMP TABLE hits (doc INTEGER PRIMARY KEY, score REAL NOT NULL)")

    def close(self) -> None:
        self.conn.close()

    def search(self, query: SearchQuery, today: date) -> Result:
        text = query.text.strip()
        today_number = today.toordinal()
        if text:
            expression = match_expression(text)
            if expression is None:
                return Result([], 0, {name: Counter() for name in FILTER_NAMES})
            self.conn.execute("DELETE FROM hits")
            self.conn.execute(f"INSERT INTO hits SELECT rowid, bm25(fts, {WEIGHTS}) FROM fts WHERE fts MATCH ?",
                              (expression,))
            source = "hits h JOIN docs d ON d.id = h.doc"
            order = "h.score, d.published DESC"
        else:
            source = "docs d"
            order = "d.published DESC, d.id DESC"  # newest first, as portal.search.searcher._sorted
        active = {name: _condition(name, wanted, today_number) for name, wanted in query.active_filters().items()}

        def where(leaving_out: str | None = None) -> tuple[str, list]:
            chosen = [cond for name, cond in active.items() if name != leaving_out]
            return " AND ".join(["1", *(sql for sql, _ in chosen)]), [p for _, params in chosen for p in params]

        clause, params = where()
        total = self.conn.execute(f"SELECT COUNT(*) FROM {source} WHERE {clause}", params).fetchone()[0]
        page = self.conn.execute(f"SELECT d.id FROM {source} WHERE {clause} ORDER BY {order} LIMIT ? OFFSET ?",
                                 [*params, query.size, (query.page - 1) * query.size]).fetchall()
        counts = {}
        for name in FILTER_NAMES:
            # A group's counts ignore its own choice, as in portal.search.searcher.
            clause, params = where(leaving_out=name) if name in active else where()
            counts[name] = self._count(name, source, clause, params, today_number)
        return Result([row[0] for row in page], total, counts)

    def _count(self, name: str, source: str, clause: str, params: list, today: int) -> Counter:
        run: Callable = self.conn.execute
        if name in SCALAR_COLUMNS:
            column = SCALAR_COLUMNS[name]
            rows = run(f"SELECT d.{column}, COUNT(*) FROM {source} WHERE {clause} GROUP BY d.{column}", params)
        elif name in LINK_TABLES:
            table, column = LINK_TABLES[name]
            rows = run(f"SELECT l.{column}, COUNT(*) FROM {source} JOIN {table} l ON l.doc = d.id "
                       f"WHERE {clause} GROUP BY l.{column}", params)
        elif name in FLAGS:
            rows = run(f"SELECT 1, COUNT(*) FROM {source} WHERE {clause} AND d.{name} = 1", params)
            rows = [(True, n) for _, n in rows]
        else:  # closing: one count per window, each open now and closing within it
            sums = ", ".join(f"SUM(d.closes BETWEEN {today} AND {today + days})" for days in CLOSING_WINDOWS)
            row = run(f"SELECT {sums} FROM {source} WHERE {clause}", params).fetchone()
            rows = zip(CLOSING_WINDOWS, row)
        return Counter({value: n for value, n in rows if n})


def _condition(name: str, wanted, today: int) -> tuple[str, list]:
    """One filter as SQL over the docs row `d`, with the meaning of portal.search.query.matches."""
    if name in SCALAR_COLUMNS:
        return f"d.{SCALAR_COLUMNS[name]} = ?", [wanted]
    if name in LINK_TABLES:
        table, column = LINK_TABLES[name]
        return f"d.id IN (SELECT doc FROM {table} WHERE {column} = ?)", [wanted]
    if name in FLAGS:
        return f"d.{name} = 1", []
    if name == "closing":
        return "d.closes BETWEEN ? AND ?", [today, today + wanted]
    raise ValueError(f"unknown filter {name!r}")
