"""Full-text search behind a small adapter: index one opportunity, remove one, rebuild all, search.

The database stays the source of truth: the index holds only what search needs, returns ids,
and can be rebuilt from the database at any time (`flask --app portal reindex`).
"""

from portal.search.documents import document_for
from portal.search.query import SearchQuery
from portal.search.searcher import SearchResult, search
from portal.search.writer import index_opportunities, index_opportunity, rebuild, remove_opportunity

__all__ = [
    "SearchQuery", "SearchResult", "document_for", "index_opportunities", "index_opportunity", "rebuild",
    "remove_opportunity", "search",
]
