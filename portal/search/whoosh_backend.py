"""The embedded search backend: a Whoosh index in a folder on disk (see writer and searcher)."""

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from markupsafe import Markup

from portal.models import Opportunity
from portal.search import searcher, snippets, writer
from portal.search.query import SearchQuery
from portal.search.searcher import SearchResult


class WhooshIndex:
    name = "whoosh"

    def __init__(self, index_dir: str | Path):
        self.index_dir = str(index_dir)

    def update(self, opportunities: Iterable[Opportunity], removed_ids: Iterable[int] = ()) -> None:
        writer.index_opportunities(self.index_dir, opportunities, removed_ids)

    def rebuild(self, documents: Iterable[dict]) -> None:
        writer.rebuild(self.index_dir, documents)

    def check(self) -> int:
        return searcher.document_count(self.index_dir)

    def search(self, query: SearchQuery, today: date) -> SearchResult:
        return searcher.search(self.index_dir, query, today)

    def snippet(self, plain: str, result: SearchResult) -> Markup | None:
        return snippets.highlighted(plain, result.terms)
