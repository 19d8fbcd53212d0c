"""SQLite FTS5 done well, as the reference point: one match query a search, then counts over the hits' columns.

Same documents, same text fields and weights (ranked with bm25), the same filters with the same meaning (each
document's filter values are the portal's own, tantivy_schema.facet_tokens, stored with it as one text column),
the same counts (each group counted without its own choice) and the same sort and paging. Each search is one SQL
statement, matching the words once and returning every hit's score, dates and filter values; one pass over those
rows then filters, counts every group (with every filter, and without each chosen group's own) and picks the page.
Counting in SQL instead (joining the hits to a table of filter values and grouping) took five times as long.

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

from portal.search import vocabulary
from portal.search.query import CLOSING_WINDOWS, FILTER_NAMES, SearchQuery, counted_apart, ignored_by
from portal.search.tantivy_schema import STOP_WORDS, TEXT_FIELDS, facet_token, facet_tokens, value_of_token

COLUMNS = tuple(TEXT_FIELDS)  # title, summary, keywords, why, body
WEIGHTS = ", ".join(str(TEXT_FIELDS[c]) for c in COLUMNS)
CACHE_KIB = 65536  # 64 MiB page cache
WORD = re.compile(r"\w+", re.UNICODE)
BATCH = 1000

SCHEMA = f"""
CREATE TABLE docs (id INTEGER PRIMARY KEY, published INTEGER NOT NULL, closes INTEGER, tokens TEXT NOT NULL);
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
    """One transaction: documents with their filter values, and their text, then the index, an FTS5 merge, ANALYZE."""
    conn = _connect(path)
    try:
        conn.executescript(SCHEMA)
        conn.execute("BEGIN")
        documents = iter(documents)
        while batch := list(islice(documents, BATCH)):
            docs, texts = [], []
            for doc in batch:
                number, f = int(doc["id"]), doc["facets"]
                docs.append((number, f["published"], f["closes"], " ".join(facet_tokens(f))))
                texts.append((number, *(doc[c] or "" for c in COLUMNS)))
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", docs)
            conn.executemany(f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)", texts)
        for statement in filter(str.strip, INDEXES.split(";")):
            conn.execute(statement)
        conn.execute("COMMIT")
    finally:
        conn.close()


def match_expression(text: str) -> str | None:
    """What the portal looks for, as FTS5 phrases joined by OR: each word typed, or phrase its vocabulary knows, and
    the other terms of that phrase's group (content/vocabulary.yaml), stop words and one-letter words left out."""
    phrases = []
    for concept in vocabulary.concepts(text):
        for alternative in concept.alternatives:
            words = [w for w in WORD.findall(alternative.text.lower()) if len(w) >= 2 and w not in STOP_WORDS]
            if words:
                phrases.append(" ".join(words))
    return " OR ".join('"' + phrase.replace('"', '""') + '"' for phrase in dict.fromkeys(phrases)) or None


@dataclass
class Result:
    ids: list[int]
    total: int
    counts: dict[str, Counter]


class Searcher:
    def __init__(self, path: Path):
        self.conn = _connect(path)

    def close(self) -> None:
        self.conn.close()

    def search(self, query: SearchQuery, today: date) -> Result:
        text = query.text.strip()
        day = today.toordinal()
        if text:
            expression = match_expression(text)
            if expression is None:
                return Result([], 0, {name: Counter() for name in FILTER_NAMES})
            rows = self.conn.execute(
                f"SELECT h.id, h.score, d.published, d.closes, d.tokens FROM (SELECT rowid AS id, "
                f"bm25(fts, {WEIGHTS}) AS score FROM fts WHERE fts MATCH ?) h JOIN docs d ON d.id = h.id",
                (expression,)).fetchall()
        else:
            rows = self.conn.execute("SELECT id, 0.0, published, closes, tokens FROM docs").fetchall()
        applied = query.applied_filters()  # the chosen filters, and only open opportunities by default
        wanted = {name: facet_token(name, value) for name, value in applied.items() if name != "closing"}
        closing = (day, day + int(applied["closing"])) if "closing" in applied else None
        apart = counted_apart(applied)
        leaves_out = {"all": set()} | {name: ignored_by(name) for name in apart}
        passing, counted = [], {key: Counter() for key in leaves_out}
        for row in rows:
            tokens = row[4].split()
            failed = {name for name, token in wanted.items() if token not in tokens}
            if closing and not (row[3] is not None and closing[0] <= row[3] <= closing[1]):
                failed.add("closing")
            if not failed:
                passing.append(row)
            for key, left_out in leaves_out.items():  # every filter, and each group counted apart without its own
                if failed <= left_out:
                    counted[key].update(_windows(row[3], day) if key == "closing" else tokens)
        if text:
            passing.sort(key=lambda row: (row[1], -row[2], -row[0]))  # best bm25 first, then newest
        else:
            passing.sort(key=lambda row: (-row[2], -row[0]))
        start = (query.page - 1) * query.size
        counts = {name: Counter() for name in FILTER_NAMES}
        for key, counter in counted.items():
            if key == "closing":
                continue
            for token, n in counter.items():
                group, _, value = token.partition("=")
                if key == (group if group in apart else "all"):
                    counts[group][value_of_token(group, value)] = n
        source = counted["closing"] if "closing" in apart else Counter(
            days for row in passing for days in _windows(row[3], day))
        counts["closing"] = Counter({days: n for days, n in source.items() if n})
        return Result([row[0] for row in passing[start:start + query.size]], len(passing), counts)


def _windows(closes: int | None, day: int) -> list[int]:
    """The closing-date windows a document counts towards (they nest), as query.values_for_counting."""
    if closes is None or closes < day:
        return []
    return [days for days in CLOSING_WINDOWS if closes <= day + days]
