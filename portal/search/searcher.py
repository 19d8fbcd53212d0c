"""Running a search: text ranking in Whoosh, then filters, counts, sorting and paging over the facet table."""

import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import qparser

from portal.search import writer
from portal.search.query import FILTER_NAMES, MAX_QUERY_LENGTH, SearchQuery, matches, values_for_counting
from portal.search.schema import ANALYZER, SCHEMA, SPELLING_FIELDS, TEXT_FIELDS

log = logging.getLogger(__name__)
WORD = re.compile(r"\w+", re.UNICODE)
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
MAX_SUGGESTED_WORD = 30


@dataclass
class SearchResult:
    ids: list[int]  # this page, in order
    total: int
    counts: dict[str, Counter]
    suggestion: str | None = None
    terms: frozenset[str] = field(default_factory=frozenset)  # analysed query terms, for highlighting
    last_page: int = 1


class _LiveIndex:
    """A searcher and facet table for one index folder, refreshed when the index changes."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.searcher = whoosh_index.open_dir(str(folder)).searcher()
        self.table = self._read_table()

    def _read_table(self) -> dict[int, tuple[int, dict]]:
        return {docnum: (int(stored["id"]), stored["facets"]) for docnum, stored in self.searcher.reader().iter_docs()}

    def fresh(self) -> "_LiveIndex":
        if not self.searcher.up_to_date():
            # A fresh searcher rather than refresh(): whoosh-ng's refresh fails on an empty index.
            self.searcher.close()
            self.searcher = whoosh_index.open_dir(str(self.folder)).searcher()
            self.table = self._read_table()
        return self


_cache: dict[str, _LiveIndex] = {}
_cache_lock = threading.Lock()


def _live(index_dir: str | Path) -> _LiveIndex:
    folder = writer.live_folder(index_dir)
    with _cache_lock:
        live = _cache.get(str(index_dir))
        if live is None or live.folder != folder:
            if live is not None:
                live.searcher.close()
            live = _cache[str(index_dir)] = _LiveIndex(folder)
        return live.fresh()


def _parser():
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), SCHEMA, group=qparser.OrGroup.factory(0.9))
    # People type words, not query syntax: no field names, wildcards, ranges or boosts.
    for plugin in (qparser.FieldsPlugin, qparser.WildcardPlugin, qparser.BoostPlugin, qparser.RangePlugin):
        parser.remove_plugin_class(plugin)
    return parser


def _parse(text: str):
    try:
        return _parser().parse(text)
    except Exception:  # noqa: BLE001 - any text at all must give results, never an error
        log.info("Query fell back to plain words: %r", text[:100])
        words = " ".join(WORD.findall(text))
        return _parser().parse(words) if words else None


def _analysed_terms(query) -> frozenset[str]:
    return frozenset(text for fieldname, text in query.iter_all_terms() if fieldname in TEXT_FIELDS) if query else frozenset()


def _suggest(searcher, text: str) -> str | None:
    """'Did you mean' for words no document contains, using real words from the index."""
    reader = searcher.reader()
    corrected, changed = text, False
    for word in set(WORD.findall(text)):
        if not 3 <= len(word) <= MAX_SUGGESTED_WORD or word.upper() in OPERATORS or word.isdigit():
            continue
        stems = [token.text for token in ANALYZER(word)]
        if not stems or any(reader.doc_frequency(f, stems[0]) for f in TEXT_FIELDS):
            continue
        for fieldname in SPELLING_FIELDS:
            found = searcher.suggest(fieldname, word.lower(), limit=1, maxdist=2)
            if found:
                corrected = re.sub(rf"\b{re.escape(word)}\b", found[0], corrected)
                changed = True
                break
    return corrected if changed else None


def search(index_dir: str | Path, query: SearchQuery, today: date) -> SearchResult:
    live = _live(index_dir)
    today_number = today.toordinal()
    text = query.text.strip()[:MAX_QUERY_LENGTH]  # the web layer tells people; this guards every caller
    parsed = _parse(text) if text else None
    # Which documents match is found without scoring; only the page shown is ranked (below).
    if parsed is not None:
        matched = [docnum for docnum in live.searcher.docs_for_query(parsed) if docnum in live.table]
    else:
        matched = [] if text else list(live.table)

    active = query.active_filters()
    counts = {name: Counter() for name in FILTER_NAMES}
    selected = []
    for docnum in matched:
        facets = live.table[docnum][1]
        failed = {name for name, wanted in active.items() if not matches(name, wanted, facets, today_number)}
        if not failed:
            selected.append(docnum)
        for name in FILTER_NAMES:
            # A group's counts ignore its own choice: each value shows what choosing it would give.
            if not failed or failed == {name}:
                counts[name].update(values_for_counting(name, facets, today_number))

    total = len(selected)
    last_page = max(1, -(-total // query.size))
    start = (query.page - 1) * query.size
    if parsed is not None and query.sort == "relevance":
        ranked = live.searcher.search(parsed, filter=set(selected), limit=start + query.size).top_n
        page = [docnum for _score, docnum in ranked[start:]]
    else:
        page = _sorted(selected, live.table, query.sort, today_number)[start:start + query.size]
    suggestion = _suggest(live.searcher, text) if text else None
    return SearchResult([live.table[docnum][0] for docnum in page], total, counts, suggestion,
                        _analysed_terms(parsed), last_page)


def _sorted(docnums: list[int], table: dict, sort: str, today: int) -> list[int]:
    """Order without relevance: closing soonest, highest value, or newest (also for a search with no words)."""
    def facets(docnum):
        return table[docnum][1]

    match sort:
        case "closing":
            def key(d):
                closes = facets(d)["closes"]
                still_open = closes is not None and closes >= today
                return (0, closes, -facets(d)["published"]) if still_open else (1, 0, -facets(d)["published"])
        case "value":
            def key(d):
                value = facets(d)["value"]
                return (value is None, -(value or 0), -facets(d)["published"])
        case _:
            def key(d):
                return (-facets(d)["published"], -table[d][0])
    return sorted(docnums, key=key)
