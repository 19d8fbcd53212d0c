"""Search in PostgreSQL itself, for portals that run several machines on one database.

Each published opportunity has a row in `search_entry`: a tsvector weighted like the Whoosh fields (title A,
summary B, keywords C, why and body D) under a GIN index, and the same facets Whoosh stores. Matching and
ranking happen in PostgreSQL; filters, counts and orders are the shared ones in `filtering`, so both backends
answer alike. Highlighted extracts come from ts_headline, "did you mean" from pg_trgm over `search_word`.

Each process keeps a copy of every entry's facets, as the Whoosh backend does, so a search fetches only the ids
and ranks of its matches. Every committed write moves the `search_generation` sequence on afterwards; a search
that finds it moved reloads the copy, so all processes on all machines see a change at their next search.
"""

import html
import json
import re
import threading
import time
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from markupsafe import Markup
from sqlalchemy import Engine, text

from portal.models import Opportunity, Status
from portal.search import vocabulary
from portal.search.documents import document_for
from portal.search.filtering import filter_and_count, page_span, sort_without_relevance
from portal.search.query import MAX_QUERY_LENGTH, SearchQuery
from portal.search.searcher import MAX_SUGGESTED_WORD, OPERATORS, SearchResult
from portal.search.ranking import ALL_WORDS_BONUS, PHRASE_BOOST
from portal.search.snippets import plain_text
from portal.search.vocabulary import EXPANDED_WEIGHT

CONFIG = "english"
# ts_rank weights in the order {D, C, B, A}: relative to the title, as Whoosh's field boosts 1, 1.5, 2 and 4.
WEIGHTS = "{0.25, 0.375, 0.5, 1.0}"
MAX_WORDS = 32
NORMALISATION = 1  # rank divided by 1 + log(length): long texts do not win on length alone
WORD = re.compile(r"[^\W_]+", re.UNICODE)
SPELLING_WORD = re.compile(r"^[a-z]{3,30}$")
MARK_START, MARK_END = "\x02", "\x03"  # stand-ins for <mark>, swapped in after escaping the text
NO_MARKS = str.maketrans("", "", MARK_START + MARK_END)

DOCUMENT_SQL = (
    f"setweight(to_tsvector('{CONFIG}', :title), 'A') || setweight(to_tsvector('{CONFIG}', :summary), 'B')"
    f" || setweight(to_tsvector('{CONFIG}', :keywords), 'C') || setweight(to_tsvector('{CONFIG}', :why || ' ' || :body), 'D')"
)
UPSERT = text(
    f"INSERT INTO search_entry (opportunity_id, document, facets) VALUES (:id, {DOCUMENT_SQL}, CAST(:facets AS jsonb))"
    " ON CONFLICT (opportunity_id) DO UPDATE SET document = EXCLUDED.document, facets = EXCLUDED.facets"
)
ADD_WORDS = text("INSERT INTO search_word (word) SELECT unnest(CAST(:words AS text[])) ON CONFLICT DO NOTHING")
DELETE = text("DELETE FROM search_entry WHERE opportunity_id = ANY(:ids)")
GENERATION = text("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM search_generation")
NEXT_GENERATION = text("SELECT nextval('search_generation')")
# Reload the facets at least this often even when the generation stands still: a process that died between
# committing a change and moving the generation on cannot leave the others stale for longer.
FACETS_MAX_AGE_SECONDS = 60.0


class _FacetCopy(NamedTuple):
    generation: int
    loaded_at: float
    by_id: dict[int, dict]


def _words(text_value: str) -> list[str]:
    return WORD.findall(text_value)[:MAX_WORDS]


def tsquery_sql(words: list[str]) -> tuple[str, dict]:
    """A tsquery matching any of the words (as the Whoosh parser's OR group does), with its parameters."""
    parts = [f"plainto_tsquery('{CONFIG}', :w{i})" for i in range(len(words))]
    return " || ".join(parts), {f"w{i}": word for i, word in enumerate(words)}


def concept_sql(concepts: list[vocabulary.Concept]) -> tuple[str, str, str, dict]:
    """tsqueries for the concepts (see vocabulary): (typed words, any concept, every concept), with parameters.
    An alternative of several words matches all of them (plainto_tsquery); stop words alone match nothing."""
    typed, any_parts, params = [], [], {}
    for c, concept in enumerate(concepts):
        alternatives = []
        for a, alternative in enumerate(concept.alternatives):
            params[f"c{c}a{a}"] = alternative.text
            alternatives.append(f"plainto_tsquery('{CONFIG}', :c{c}a{a})")
        typed.append(alternatives[0])
        any_parts.append("(" + " || ".join(alternatives) + ")")
    return " || ".join(typed), " || ".join(any_parts), " && ".join(any_parts), params


def _row(document: dict) -> dict:
    return {
        "id": int(document["id"]), "title": document["title"], "summary": document["summary"],
        "keywords": document["keywords"], "why": document["why"], "body": document["body"],
        "facets": json.dumps(document["facets"]),
    }


def _spelling_words(document: dict) -> set[str]:
    found = WORD.findall(f"{document['title']} {document['summary']} {document['body']}".lower())
    return {word for word in found if SPELLING_WORD.match(word)}


class PostgresIndex:
    name = "postgres"

    def __init__(self, engine: Engine):
        if engine.dialect.name != "postgresql":
            raise ValueError("SEARCH_BACKEND=postgres needs DATABASE_URL to name a PostgreSQL database")
        self.engine = engine
        self._facets: _FacetCopy | None = None
        self._reloading = threading.Lock()

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
        self._changed()

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
        self._changed()

    def _changed(self) -> None:
        """After a commit, never before: a process must not copy the old facets under the new generation."""
        with self.engine.connect() as connection:
            connection.execute(NEXT_GENERATION)
            connection.commit()

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
        today_number = today.toordinal()
        typed = query.text.strip()[:MAX_QUERY_LENGTH]
        words = _words(typed)
        with self.engine.connect() as connection:
            facets = self._current_facets(connection)
            ranks: dict[int, float] | None = None  # None: every entry, no text to rank by
            concepts = vocabulary.concepts(typed) if words else []
            if concepts:
                typed_query, any_query, every_query, params = concept_sql(concepts)
                # Words typed rank above terms the vocabulary added; matching every concept lifts an entry above
                # any matching some; the typed words together (a phrase) add more. See ranking.
                ranks = {}
                for opportunity_id, rank, every in connection.execute(text(
                    f"SELECT e.opportunity_id,"
                    f" ts_rank(CAST(:weights AS float4[]), e.document, q.typed, {NORMALISATION})"
                    f" + {EXPANDED_WEIGHT} * ts_rank(CAST(:weights AS float4[]), e.document, q.any, {NORMALISATION})"
                    f" + CASE WHEN e.document @@ q.phrase THEN {PHRASE_BOOST} * ts_rank(CAST(:weights AS float4[]),"
                    f" e.document, q.phrase, {NORMALISATION}) ELSE 0 END,"
                    f" e.document @@ q.every"
                    f" FROM search_entry e, (SELECT {typed_query} AS typed, {any_query} AS any, {every_query} AS every,"
                    f" phraseto_tsquery('{CONFIG}', :phrase) AS phrase) q WHERE e.document @@ q.any"
                ), params | {"weights": WEIGHTS, "phrase": typed}):
                    ranks[opportunity_id] = rank + (ALL_WORDS_BONUS if every and len(concepts) > 1 else 0.0)
                if not ranks.keys() <= facets.keys():  # an entry newer than the copy
                    facets = self._current_facets(connection, reload=True)
            elif typed:
                ranks = {}  # only punctuation or stop words: nothing to look for
            suggestion = self._suggest(connection, words) if words else None

        keys = facets.keys() if ranks is None else [key for key in ranks if key in facets]
        selected, counts = filter_and_count(((key, facets[key]) for key in keys), query, today_number)
        last_page, start, end = page_span(len(selected), query)
        all_words = None
        if ranks is not None and query.sort == "relevance":
            ordered = sorted(selected, key=lambda key: (-ranks[key], -facets[key]["published"], -key))
            if len(concepts) > 1:
                all_words = sum(1 for key in selected if ranks[key] >= ALL_WORDS_BONUS)
        else:
            ordered = sort_without_relevance(selected, facets.__getitem__, lambda key: key, query.sort, today_number)
        return SearchResult(ordered[start:end], len(selected), counts, suggestion, frozenset(words), last_page,
                            all_words=all_words)

    def _current_facets(self, connection, reload: bool = False) -> dict[int, dict]:
        """Every entry's facets by opportunity id, from this process's copy while no write has moved the generation."""
        generation = connection.execute(GENERATION).scalar_one()

        def fresh(copy: _FacetCopy | None) -> bool:
            return (copy is not None and copy.generation == generation
                    and time.monotonic() - copy.loaded_at < FACETS_MAX_AGE_SECONDS)

        copy = self._facets
        if not reload and fresh(copy):
            return copy.by_id
        with self._reloading:  # one thread reloads; the others then use its copy
            if self._facets is not copy and fresh(self._facets):
                return self._facets.by_id
            # The generation was read first, so the copy is at least as new as it: never stale under its number.
            rows = connection.execute(text("SELECT opportunity_id, facets FROM search_entry")).all()
            self._facets = _FacetCopy(generation, time.monotonic(), dict(rows))
            return self._facets.by_id

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

    def snippet(self, markdown_text: str, result: SearchResult) -> Markup | None:
        """Up to two extracts with the searched words marked; None when none of them appear."""
        if not result.terms or not markdown_text:
            return None
        tsquery, params = tsquery_sql(sorted(result.terms))
        options = (f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, MaxWords=35, MinWords=15,"
                   " FragmentDelimiter=\" … \"")
        with self.engine.connect() as connection:
            extract = connection.execute(text(
                f"SELECT ts_headline('{CONFIG}', :body, {tsquery}, :options)"
            ), params | {"body": plain_text(markdown_text).translate(NO_MARKS), "options": options}).scalar_one()
        if MARK_START not in extract:
            return None
        escaped = html.escape(extract, quote=False)
        return Markup(escaped.replace(MARK_START, '<mark class="portal-match">').replace(MARK_END, "</mark>"))
