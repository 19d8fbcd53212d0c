"""Search in PostgreSQL itself, for portals that run several machines on one database.

Each published opportunity has a row in `search_entry`: a tsvector weighted like the Whoosh fields (title A,
summary B, keywords C, why and body D) under a GIN index, the same facets Whoosh stores, the filter values they
count towards as "group=value" tokens, and the plain text extracts are cut from. One statement (see postgres_sql)
matches, ranks, counts every filter group and returns the page with its extracts; no process keeps a copy of
anything, so every machine sees a change at once.
"Did you mean" comes from pg_trgm over `search_word`.
"""

import html
import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date

from markupsafe import Markup
from psycopg.errors import QueryCanceled
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from portal.models import Opportunity, Status
from portal.search import SearchTooSlow, vocabulary
from portal.search.documents import document_for
from portal.search.filtering import page_span
from portal.search.postgres_sql import (CONFIG, HEADLINE_OPTIONS, MARK_END, MARK_START, counted_key, entry_tokens,
                                        search_sql, tsquery_sql)
from portal.search.query import FILTER_NAMES, MAX_QUERY_LENGTH, SearchQuery
from portal.search.searcher import MAX_SUGGESTED_WORD, OPERATORS, SearchResult
from portal.search.snippets import NO_MARKS

MAX_WORDS = 32
WORK_MEM = "64MB"  # per search, for the length of its transaction
WORD = re.compile(r"[^\W_]+", re.UNICODE)
SPELLING_WORD = re.compile(r"^[a-z]{3,30}$")

DOCUMENT_SQL = (
    f"setweight(to_tsvector('{CONFIG}', :title), 'A') || setweight(to_tsvector('{CONFIG}', :summary), 'B')"
    f" || setweight(to_tsvector('{CONFIG}', :keywords), 'C') || setweight(to_tsvector('{CONFIG}', :why || ' ' || :body), 'D')"
)
UPSERT = text(
    "INSERT INTO search_entry (opportunity_id, document, facets, tokens, plain)"
    f" VALUES (:id, {DOCUMENT_SQL}, CAST(:facets AS jsonb), CAST(:tokens AS text[]), :plain)"
    " ON CONFLICT (opportunity_id) DO UPDATE SET document = EXCLUDED.document, facets = EXCLUDED.facets,"
    " tokens = EXCLUDED.tokens, plain = EXCLUDED.plain"
)
ADD_WORDS = text("INSERT INTO search_word (word) SELECT unnest(CAST(:words AS text[])) ON CONFLICT DO NOTHING")
DELETE = text("DELETE FROM search_entry WHERE opportunity_id = ANY(:ids)")


def _words(text_value: str) -> list[str]:
    return WORD.findall(text_value)[:MAX_WORDS]


def _row(document: dict) -> dict:
    return {
        "id": int(document["id"]), "title": document["title"], "summary": document["summary"],
        "keywords": document["keywords"], "why": document["why"], "body": document["body"],
        "facets": json.dumps(document["facets"]), "tokens": entry_tokens(document["facets"]), "plain": document.get("plain", ""),
    }


def _spelling_words(document: dict) -> set[str]:
    found = WORD.findall(f"{document['title']} {document['summary']} {document['body']}".lower())
    return {word for word in found if SPELLING_WORD.match(word)}


class PostgresIndex:
    name = "postgres"

    def __init__(self, engine: Engine, timeout_seconds: float = 0):
        if engine.dialect.name != "postgresql":
            raise ValueError("SEARCH_BACKEND=postgres needs DATABASE_URL to name a PostgreSQL database")
        self.engine = engine
        self.timeout_ms = max(0, round(timeout_seconds * 1000))

    def update(self, opportunities: Iterable[Opportunity], removed_ids: Iterable[int] = ()) -> None:
        """Add or replace opportunities (anything not published is removed), and remove others, in one transaction."""
        removed = set(removed_ids)
        documents = []
        for opportunity in opportunities:
            if opportunity.status == Status.PUBLISHED:
                documents.append(document_for(opportunity))
            else:
                removed.add(opportunity.id)
        with self.engine.begin() as connection:
            self._write(connection, documents)
            if removed:
                connection.execute(DELETE, {"ids": sorted(removed)})

    def rebuild(self, documents: Iterable[dict]) -> None:
        """Replace every entry in one transaction: searches see the old entries until it commits."""
        with self.engine.begin() as connection:
            connection.execute(text("DELETE FROM search_entry"))
            connection.execute(text("DELETE FROM search_word"))
            batch = []
            for document in documents:
                batch.append(document)
                if len(batch) == 500:
                    self._write(connection, batch)
                    batch = []
            self._write(connection, batch)

    def _write(self, connection, documents: list[dict]) -> None:
        if not documents:
            return
        connection.execute(UPSERT, [_row(document) for document in documents])
        words = set().union(*(_spelling_words(document) for document in documents))
        connection.execute(ADD_WORDS, {"words": sorted(words)})

    def check(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM search_entry")).scalar_one()

    def search(self, query: SearchQuery, today: date) -> SearchResult:
        typed = query.text.strip()[:MAX_QUERY_LENGTH]
        words = _words(typed)
        concepts = vocabulary.concepts(typed) if words else []
        counts = {name: Counter() for name in FILTER_NAMES}
        if typed and not concepts:  # only punctuation or stop words: nothing to look for
            return SearchResult([], 0, counts)
        _, offset, _ = page_span(0, query)
        statement, params = search_sql(query, concepts, typed, today.toordinal(), offset)
        with self.engine.connect() as connection:
            # The matched entries and their tokens are sorted and grouped in memory, not spilled to disk.
            connection.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
            connection.execute(text(f"SET LOCAL statement_timeout = {self.timeout_ms}"))
            if concepts:  # the planner prices a scan without the cost of reading each document out of TOAST
                connection.execute(text("SET LOCAL enable_seqscan = off"))
            try:
                total, counted, page, all_words = connection.execute(text(statement), params).one()
                suggestion = self._suggest(connection, words) if words else None
            except OperationalError as error:
                if isinstance(error.orig, QueryCanceled):
                    raise SearchTooSlow from error
                raise
        for name, value, count in counted or ():
            counts[name][counted_key(name, value)] = count
        page = sorted(page or (), key=lambda row: tuple(row[1:5]))  # json_agg keeps no promise of order
        # An entry indexed before plain text was stored has no extract here; the page asks snippet() for one.
        snippets = {row[0]: _marked(row[5]) for row in page if row[5] is not None}
        # Every word looked for, the vocabulary's too, so snippet() marks what the statement's extracts mark.
        terms = frozenset(word for concept in concepts for alternative in concept.alternatives
                          for word in _words(alternative.text))
        return SearchResult([row[0] for row in page], total, counts, suggestion, terms,
                            page_span(total, query)[0], snippets, all_words)

    def _suggest(self, connection, words: list[str]) -> str | None:
        """'Did you mean' for words no document contains: the closest real word by trigram similarity."""
        corrected = " ".join(words)
        changed = False
        for word in dict.fromkeys(words):
            if not 3 <= len(word) <= MAX_SUGGESTED_WORD or word.upper() in OPERATORS or word.isdigit():
                continue
            known = connection.execute(text(
                f"SELECT numnode(plainto_tsquery('{CONFIG}', :w)) = 0"
                f" OR EXISTS (SELECT 1 FROM search_entry WHERE document @@ plainto_tsquery('{CONFIG}', :w))"
            ), {"w": word}).scalar_one()
            if known or vocabulary.knows(word):
                continue
            found = connection.execute(text(
                "SELECT word FROM search_word WHERE word % :w ORDER BY similarity(word, :w) DESC, word LIMIT 1"
            ), {"w": word.lower()}).scalar_one_or_none()
            if found:
                corrected = re.sub(rf"\b{re.escape(word)}\b", found, corrected)
                changed = True
        return corrected if changed else None

    def snippet(self, plain: str, result: SearchResult) -> Markup | None:
        """Up to two extracts of plain text with the searched words marked; None when none of them appear."""
        if not result.terms or not plain:
            return None
        tsquery, params = tsquery_sql(sorted(result.terms))
        with self.engine.connect() as connection:
            extract = connection.execute(text(
                f"SELECT ts_headline('{CONFIG}', :body, {tsquery}, :options)"
            ), params | {"body": plain.translate(NO_MARKS), "options": HEADLINE_OPTIONS}).scalar_one()
        return _marked(extract)


def _marked(extract: str) -> Markup | None:
    """ts_headline's extract as escaped text with <mark>s; None when no searched word appears in it."""
    if MARK_START not in extract:
        return None
    escaped = html.escape(extract, quote=False)
    return Markup(escaped.replace(MARK_START, '<mark class="portal-match">').replace(MARK_END, "</mark>"))
