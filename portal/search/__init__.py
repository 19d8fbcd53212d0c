"""Full-text search behind a small adapter: update entries, rebuild all, search, highlight, check.

Three backends answer alike: tantivy in a folder on disk (the embedded default), Whoosh in a folder on disk
(pure Python, for machines without tantivy's native wheel) and PostgreSQL full-text search (for portals on
several machines). SEARCH_BACKEND chooses. The database stays the source of truth: an index
holds only what search needs, returns ids, and can be rebuilt at any time (`flask --app portal reindex`).
"""

from typing import Protocol

from portal.search import vocabulary
from portal.search.documents import document_for
from portal.search.query import SearchQuery
from portal.search.searcher import SearchResult, search
from portal.search.writer import index_opportunities, index_opportunity, rebuild, remove_opportunity

BACKENDS = ("tantivy", "whoosh", "postgres")


class SearchIndex(Protocol):
    """What every backend offers. See tantivy_backend.TantivyIndex, whoosh_backend.WhooshIndex and postgres_backend.PostgresIndex."""

    name: str

    def update(self, opportunities, removed_ids=()) -> None: ...
    def rebuild(self, documents) -> None: ...
    def check(self) -> int: ...
    def search(self, query: SearchQuery, today) -> SearchResult: ...
    def snippet(self, plain: str, result: SearchResult): ...  # plain text, as Opportunity.plain_text


class SearchTooSlow(Exception):
    """A search gave up after SEARCH_TIMEOUT_SECONDS (PostgreSQL, whose searches of common words over a large
    portal can take seconds): better than leaving the database working for somebody who has stopped waiting."""


def make_index(backend: str, index_dir: str, engine, timeout_seconds: float = 0) -> SearchIndex:
    """`timeout_seconds` (0: none) bounds each PostgreSQL search; the embedded backends answer in milliseconds."""
    vocabulary.vocabulary()  # a malformed content/vocabulary.yaml stops the portal here, naming the problem
    if backend == "postgres":
        from portal.search.postgres_backend import PostgresIndex

        return PostgresIndex(engine, timeout_seconds)
    if backend == "tantivy":
        from portal.search.tantivy_backend import TantivyIndex

        return TantivyIndex(index_dir)
    if backend == "whoosh":
        from portal.search.whoosh_backend import WhooshIndex

        return WhooshIndex(index_dir)
    raise ValueError(f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")


__all__ = [
    "BACKENDS", "SearchIndex", "SearchQuery", "SearchResult", "SearchTooSlow", "document_for", "index_opportunities",
    "index_opportunity", "make_index", "rebuild", "remove_opportunity", "search",
]
