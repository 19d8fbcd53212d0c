"""SQLite FTS5 done well, as the reference point: one statement a search matches once, counts column-wise.

Same documents, same text fields and weights (ranked with bm25), the same filters with the same meaning (each
document's filter values are the portal's own, tantivy_schema.facet_tokens, kept in a `doc_tokens` table), the
same counts (each group counted without its own choice) and the same sort and paging. Each search is one SQL
statement: a materialised common table expression matches the words once, flags each hit against each chosen
filter, then one pass over the hits' filter values counts every value in several columns at once (with every
filter, and without each chosen group's own), beside the total, the closing windows and the page.

Each remaining word is quoted (so nothing a person types is FTS5 syntax) and joined with OR, stop words and
one-letter words left out as the portal's analysers do. Not done here: the spelling suggestion.
"""

import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from portal.search.query import CLOSING_WINDOWS, FILTER_NAMES, SearchQuery
from portal.search.tantivy_schema import (
    COUNTED_IN_FACET, STOP_WORDS, TEXT_FIELDS, facet_token, facet_tokens, value_of_token,
)

COLUMNS = tuple(TEXT_FIELDS)  # title, summary, keywords, why, body
WEIGHTS = ", ".join(str(TEXT_FIELDS[c]) for c in COLUMNS)
CACHE_KIB = 65536  # 64 MiB page cache
WORD = re.compile(r"\w+", re.UNICODE)
BATCH = 1000

SCHEMA = f"""
CREATE TABLE docs (id INTEGER PRIMARY KEY, published INTEGER NOT NULL, closes INTEGER);
CREATE TABLE tokens (id INTEGER PRIMARY KEY, token TEXT NOT NULL UNIQUE);
CREATE TABLE doc_tokens (doc INTEGER NOT NULL, token INTEGER NOT NULL, PRIMARY KEY (doc, token)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5({", ".join(COLUMNS)}, content='', tokenize='porter unicode61 remove_diacritics 2');
"""
INDEXES = """
CREATE INDEX docs_newest ON docs (published DESC, id DESC);
INSERT INTO fts (fts) VALUES ('optimize');
ANALYZE;
"""


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def build(path: Path, documents: Iterable[dict]) -> None:
    """One transaction: documents, their filter values and text, then the index, an FTS5 merge and ANALYZE."""
    conn = _connect(path)
    token_ids: dict[str, int] = {}
    try:
        conn.executescript(SCHEMA)
        conn.execute("BEGIN")
        documents = iter(documents)
        while batch := list(islice(documents, BATCH)):
            docs, links, texts = [], [], []
            for doc in batch:
                number, f = int(doc["id"]), doc["facets"]
                docs.append((number, f["published"], f["closes"]))
                for token in facet_tokens(f):
                    links.append((number, token_ids.setdefault(token, len(token_ids) + 1)))
                texts.append((number, *(doc[c] or "" for c in COLUMNS)))
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", docs)
            conn.executemany("INSERT OR IGNORE INTO doc_tokens VALUES (?, ?)", links)
            conn.executemany(f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)", texts)
        conn.executemany("INSERT INTO tokens VALUES (?, ?)", [(n, t) for t, n in token_ids.items()])
        for statement in filter(str.strip, INDEXES.split(";")):
            conn.execute(statement)
        conn.execute("COMMIT")
    finally:
        conn.close()


def match_expression(text: str) -> str | None:
    """Each word quoted, stop words and one-letter words left out, joined by OR."""
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
        self.tokens = {token: number for number, token in self.conn.execute("SELECT id, token FROM tokens")}
        self.names = {number: token for token, number in self.tokens.items()}

    def close(self) -> None:
        self.conn.close()

    def search(self, query: SearchQuery, today: date) -> Result:
        text = query.text.strip()
        day = today.toordinal()
        if text:
            expression = match_expression(text)
            if expression is None:
                return Result([], 0, {name: Counter() for name in FILTER_NAMES})
            hits = f"SELECT rowid AS id, bm25(fts, {WEIGHTS}) AS score FROM fts WHERE fts MATCH ?"
            params: list = [expression]
            order = "score, published DESC, id DESC"
        else:
            hits, params, order = "SELECT id, 0.0 AS score FROM docs", [], "published DESC, id DESC"
        active = query.active_filters()
        flags, flag_params = [], []
        for name, wanted in active.items():
            if name == "closing":
                flags.append(f"(d.closes BETWEEN {day} AND {day + int(wanted)}) AS f_{name}")
            else:
                flags.append(f"EXISTS (SELECT 1 FROM doc_tokens t WHERE t.doc = h.id AND t.token = ?) AS f_{name}")
                flag_params.append(self.tokens.get(facet_token(name, wanted), -1))

        def passing(leaving_out: str | None = None) -> str:
            return " AND ".join(["1", *(f"f_{name}" for name in active if name != leaving_out)])

        count_sets = ["all", *active]  # column 0: every filter; then one column without each chosen group
        count_columns = ", ".join(f"SUM({passing(None if key == 'all' else key)})" for key in count_sets)
        windows = ", ".join(f"SUM({passing(key)} AND closes BETWEEN {day} AND {day + days})"
                            for key in ("all", "closing") for days in CLOSING_WINDOWS)
        padding = ", ".join(["NULL"] * (len(count_sets) + 2 * len(CLOSING_WINDOWS)))
        sql = f"""
            WITH hits AS MATERIALIZED ({hits}),
            flagged AS MATERIALIZED (
                SELECT h.id, h.score, d.published, d.closes{''.join(', ' + f for f in flags)}
                FROM hits h JOIN docs d ON d.id = h.id)
            SELECT 0, t.token, {count_columns}{', NULL' * (2 * len(CLOSING_WINDOWS))}
                FROM flagged JOIN doc_tokens t ON t.doc = flagged.id GROUP BY t.token
            UNION ALL SELECT 1, NULL, SUM({passing()}), {windows}{', NULL' * (len(count_sets) - 1)} FROM flagged
            UNION ALL SELECT * FROM (SELECT 2, id, {padding} FROM flagged WHERE {passing()}
                                     ORDER BY {order} LIMIT ? OFFSET ?)
        """
        rows = self.conn.execute(sql, [*params, *flag_params, query.size, (query.page - 1) * query.size]).fetchall()
        counts = {name: Counter() for name in FILTER_NAMES}
        ids, total = [], 0
        for kind, key, *columns in rows:
            if kind == 2:
                ids.append(key)
            elif kind == 1:
                total = columns[0] or 0
                windows_all, windows_without = columns[1:1 + len(CLOSING_WINDOWS)], columns[1 + len(CLOSING_WINDOWS):]
                chosen = windows_without if "closing" in active else windows_all
                counts["closing"] = Counter({days: n for days, n in zip(CLOSING_WINDOWS, chosen) if n})
            else:
                group, _, value = self.names[key].partition("=")
                if group not in COUNTED_IN_FACET:
                    continue
                n = columns[count_sets.index(group) if group in active else 0]
                if n:
                    counts[group][value_of_token(group, value)] = n
        return Result(ids, total, counts)
