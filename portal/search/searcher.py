"""Running a search: text ranking in Whoosh, then filters, counts, sorting and paging over the facet table."""

import heapq
import logging
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from markupsafe import Markup
from whoosh import index as whoosh_index
from whoosh import qparser

from portal.search import writer
from portal.search.columns import FacetColumns
from portal.search.filtering import page_span, sort_without_relevance
from portal.search.query import MAX_QUERY_LENGTH, SearchQuery
from portal.search.snippets import highlighted
from portal.search.schema import ANALYZER, SCHEMA, SPELLING_FIELDS, TEXT_FIELDS

log = logging.getLogger(__name__)
WORD = re.compile(r"\w+", re.UNICODE)
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
MAX_SUGGESTED_WORD = 30
OPEN_ATTEMPTS = 5


@dataclass
class SearchResult:
    ids: list[int]  # this page, in order
    total: int
    counts: dict[str, Counter]
    suggestion: str | None = None
    terms: frozenset[str] = field(default_factory=frozenset)  # analysed query terms, for highlighting
    last_page: int = 1
    # Extracts for this page's ids, where the backend cut them from the plain text it stored (see snippets).
    snippets: dict[int, Markup | None] = field(default_factory=dict)


class _LiveIndex:
    """One thread's searcher for one index folder, refreshed when the index changes.

    Whoosh searchers must not be shared between threads (gunicorn's gthread workers run several), so each
    thread has its own; the facet table, read-only once made, is shared by every thread reading the same
    generation of the index.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self._open()

    def _open(self) -> None:
        for attempt in range(OPEN_ATTEMPTS):
            try:
                self.searcher = whoosh_index.open_dir(str(self.folder)).searcher()
                break
            except FileNotFoundError:  # a writer replaced the newest generation while it was being opened
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
        self.table, self.columns = _table_for(self.folder, self.searcher.reader())

    def fresh(self) -> "_LiveIndex":
        if not self.searcher.up_to_date():
            # A fresh searcher rather than refresh(): whoosh-ng's refresh fails on an empty index.
            self.searcher.close()
            self._open()
        return self


_tables: dict[tuple[str, int], tuple[dict[int, tuple[int, dict]], FacetColumns]] = {}
_tables_lock = threading.Lock()
_threads = threading.local()


def _table_for(folder: Path, reader) -> tuple[dict[int, tuple[int, dict]], FacetColumns]:
    """docnum -> (opportunity id, facets), and the facets as columns by docnum, for this generation of the index,
    read once per process."""
    key = (str(folder), reader.generation())
    with _tables_lock:
        found = _tables.get(key)
        if found is None:
            table = {docnum: (int(stored["id"]), stored["facets"]) for docnum, stored in reader.iter_docs()}
            found = table, FacetColumns({docnum: facets for docnum, (_id, facets) in table.items()})
            for old in [k for k in _tables if k[0] == key[0] or not Path(k[0]).exists()]:
                del _tables[old]
            _tables[key] = found
        return found


def _live(index_dir: str | Path) -> _LiveIndex:
    folder = writer.live_folder(index_dir)
    cache = _threads.__dict__.setdefault("cache", {})
    live = cache.get(str(index_dir))
    if live is None or live.folder != folder:
        if live is not None:
            live.searcher.close()
        live = cache[str(index_dir)] = _LiveIndex(folder)
    return live.fresh()


def forget(index_dir: str | Path) -> None:
    """Close this thread's searcher of `index_dir` and drop its facet tables (for tools that delete indexes)."""
    live = _threads.__dict__.get("cache", {}).pop(str(index_dir), None)
    if live is not None:
        live.searcher.close()
    with _tables_lock:
        for key in [k for k in _tables if Path(k[0]).parent == Path(index_dir)]:
            del _tables[key]


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


def _scored_matches(searcher, parsed) -> dict[int, float]:
    """Every matching document's score, in one pass over the postings (Whoosh's own search would match again)."""
    context = searcher.context()
    scores = {}
    for leaf, offset in searcher.leaf_searchers():
        matcher = parsed.matcher(leaf, context)
        while matcher.is_active():
            scores[offset + matcher.id()] = matcher.score()
            matcher.next()
    return scores


def search(index_dir: str | Path, query: SearchQuery, today: date) -> SearchResult:
    live = _live(index_dir)
    today_number = today.toordinal()
    text = query.text.strip()[:MAX_QUERY_LENGTH]  # the web layer tells people; this guards every caller
    parsed = _parse(text) if text else None
    if parsed is not None:
        scores = _scored_matches(live.searcher, parsed)
        matched = [docnum for docnum in scores if docnum in live.table]
    else:
        scores, matched = {}, ([] if text else list(live.table))

    selected, counts = live.columns.filter_and_count(matched, query, today_number)
    last_page, start, end = page_span(len(selected), query)
    if parsed is not None and query.sort == "relevance":
        # Only the page shown is put in order; ties go to the earlier document, as in Whoosh's own search.
        page = heapq.nsmallest(end, selected, key=lambda d: (-scores[d], d))[start:]
    else:
        page = sort_without_relevance(selected, lambda d: live.table[d][1], lambda d: live.table[d][0],
                                      query.sort, today_number)[start:end]
    suggestion = _suggest(live.searcher, text) if text else None
    terms = _analysed_terms(parsed)
    snippets = {}
    if terms:
        for docnum in page:
            stored = live.searcher.stored_fields(docnum).get("plain")
            if stored is not None:  # else indexed before plain text was stored: the page asks snippet() instead
                snippets[live.table[docnum][0]] = highlighted(stored, terms)
    return SearchResult([live.table[docnum][0] for docnum in page], len(selected), counts, suggestion, terms,
                        last_page, snippets)


def document_count(index_dir: str | Path) -> int:
    return len(_live(index_dir).table)
