"""The embedded default search backend: a tantivy index in a folder on disk.

One pass in tantivy matches and ranks the words, filters, pages and sorts, and its aggregations count every
filter group (each group counted without its own choice, as filtering.filter_and_count does). Highlighted
extracts are cut from the plain text the database stores with each opportunity (services/search_text), not
from the index: reading stored documents from tantivy's store maps its blocks into every worker's memory, so
a page of results would add up to its whole size to each worker's resident memory. The index stores that text
too, but reads it only for "did you mean".

The live index is the folder named in CURRENT, as for the Whoosh backend (see writer): a rebuild writes a new
folder beside it and swaps the pointer. tantivy lets one writer at a time hold an index, across processes; a
write waits at most writer.WRITE_TIMEOUT_SECONDS for it, then fails so the change goes on the backlog. Each
process reloads its reader when the live index's meta.json changes, so a commit anywhere is seen at the next
search.
"""

import re
import shutil
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import tantivy
from markupsafe import Markup

from portal.models import Opportunity, Status
from portal.search import highlight, ranking, vocabulary
from portal.search.documents import document_for
from portal.search.filtering import page_span
from portal.search.query import (
    CLOSING_WINDOWS, FILTER_NAMES, MAX_QUERY_LENGTH, SearchQuery, counted_apart, ignored_by,
)
from portal.search.searcher import MAX_SUGGESTED_WORD, OPERATORS, SearchResult
from portal.search.tantivy_schema import (
    COUNTED_IN_FACET, SCHEMA, TEXT_FIELDS, analyzer, facet_token, register_analyzers, tantivy_document,
    value_of_token,
)
from portal.search import writer as folders  # the live-folder pointer and rebuild lock, shared with Whoosh

META = "meta.json"  # tantivy replaces it on every commit
MAX_TERMS = 32
WRITER_HEAP = 50_000_000
REBUILD_HEAP = 1_000_000_000  # a few large segments and no merging: 100,000 opportunities build as two
FACET_BUCKETS = 100_000  # more distinct filter values than any portal has: every one is counted
SUGGESTION_SOURCES = 10  # documents read for words close to a misspelt one
WORD = re.compile(r"\w+", re.UNICODE)

_analyzer = analyzer()


@lru_cache(maxsize=50_000)
def analysed(word: str) -> str | None:
    """A word's index term (None for a stop word), as the index analyses it."""
    terms = _analyzer.analyze(word)
    return terms[0] if terms else None


def query_terms(text: str) -> list[str]:
    return list(dict.fromkeys(_analyzer.analyze(text)))[:MAX_TERMS]


@dataclass
class _Live:
    folder: Path
    index: tantivy.Index
    stamp: bytes


def _stamp(folder: Path) -> bytes:
    """What the last commit wrote (its opstamp and segments): a few kilobytes, cheaper to read than to doubt."""
    return (folder / META).read_bytes()


def _open(folder: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(folder))
    register_analyzers(index)
    index.config_reader(reload_policy="Manual")
    return index


def _create(folder: Path) -> tantivy.Index:
    folder.mkdir(parents=True)
    index = tantivy.Index(SCHEMA, path=str(folder), reuse=False)
    register_analyzers(index)
    return index


class TantivyIndex:
    name = "tantivy"

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self._live: _Live | None = None
        self._opening = threading.Lock()

    # --- the live folder, and this process's reader of it ---

    def live_folder(self) -> Path:
        """The folder of the live index, making an empty index first if there is none."""
        folder = self._pointed_to()
        if folder is not None:
            return folder
        with folders._rebuild_lock(self.index_dir):
            return self._pointed_to() or self._build([])  # another process may have made it while this one waited

    def _pointed_to(self) -> Path | None:
        try:
            name = (self.index_dir / folders.POINTER).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        folder = self.index_dir / name
        return folder if (folder / META).exists() else None

    def _current(self) -> _Live:
        folder = self.live_folder()
        with self._opening:
            live = self._live
            if live is None or live.folder != folder:
                live = self._live = _Live(folder, _open(folder), _stamp(folder))
            else:
                stamp = _stamp(folder)
                if stamp != live.stamp:
                    live.index.reload()
                    live.stamp = stamp
            return live

    # --- writing ---

    def update(self, opportunities: Iterable[Opportunity], removed_ids: Iterable[int] = ()) -> None:
        """Add or replace opportunities (anything not published is removed), and remove others, in one commit."""
        live = self._current()
        writer = self._writer(live.index)
        try:
            for opportunity in opportunities:
                writer.delete_documents_by_query(_by_id(opportunity.id))
                if opportunity.status == Status.PUBLISHED:
                    writer.add_document(tantivy_document(document_for(opportunity)))
            for opportunity_id in removed_ids:
                writer.delete_documents_by_query(_by_id(opportunity_id))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()  # and let go of the index for the next writer

    @staticmethod
    def _writer(index: tantivy.Index):
        deadline = time.monotonic() + folders.WRITE_TIMEOUT_SECONDS
        while True:
            try:
                return index.writer(WRITER_HEAP, 1)
            except ValueError as error:
                if "LockBusy" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def rebuild(self, documents: Iterable[dict]) -> None:
        """Build a fresh index from `documents` beside the live one, then swap it in."""
        with folders._rebuild_lock(self.index_dir):
            self._build(documents)

    def _build(self, documents: Iterable[dict]) -> Path:
        name = f"index-{uuid.uuid4().hex}"
        folder = self.index_dir / name
        try:
            writer = _create(folder).writer(REBUILD_HEAP, 2)
            try:
                for document in documents:
                    writer.add_document(tantivy_document(document))
                writer.commit()
            finally:
                writer.wait_merging_threads()
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        folders._point_to(self.index_dir, name)
        folders._remove_old_folders(self.index_dir, keep=name)
        return folder

    def check(self) -> int:
        return self._current().index.searcher().num_docs

    # --- searching ---

    def search(self, query: SearchQuery, today: date) -> SearchResult:
        searcher = self._current().index.searcher()
        today_number = today.toordinal()
        text = query.text.strip()[:MAX_QUERY_LENGTH]  # the web layer tells people; this guards every caller
        concepts = _concept_queries(vocabulary.concepts(text)) if text else []
        suggestion = self._suggest(searcher, text) if text else None
        if text and not concepts:  # only punctuation or stop words: nothing to look for
            return SearchResult([], 0, {name: Counter() for name in FILTER_NAMES}, suggestion)

        terms = [term for _query, concept_terms in concepts for term in concept_terms][:MAX_TERMS]
        matching = _any_of(concepts) if concepts else tantivy.Query.all_query()
        active = query.applied_filters()
        counted = searcher.aggregate(matching, _count_aggregations(active, today_number))
        total = counted["all"]["doc_count"]
        sort = query.sort if concepts else _no_relevance(query.sort)
        all_words = None
        if len(concepts) > 1 and sort == "relevance":
            every = _with_filters(_all_of(concepts), active, today_number)
            all_words = searcher.search(every, 1, count=True).count
        ranked = _ranked(matching, concepts, query_terms(text)) if sort == "relevance" else matching
        filtered = _with_filters(ranked, active, today_number)
        last_page, start, end = page_span(total, query)
        page = _page(searcher, filtered, sort, today_number, start, end)
        ids = searcher.fast_field_values("id", page) if page else []
        return SearchResult(list(ids), total, _counts(counted, active, today_number), suggestion, frozenset(terms), last_page,
                            all_words=all_words)

    def snippet(self, plain: str, result: SearchResult) -> Markup | None:
        """Up to two extracts of plain text with the searched words marked; None when none of them appear."""
        if not result.terms or not plain:
            return None
        return highlight.extracts(plain, result.terms, analysed)

    def _suggest(self, searcher, text: str) -> str | None:
        """'Did you mean' for words no document contains, using the closest real word in nearby documents."""
        corrected, changed = text, False
        for word in set(WORD.findall(text)):
            if not 3 <= len(word) <= MAX_SUGGESTED_WORD or word.upper() in OPERATORS or word.isdigit():
                continue
            term = analysed(word)
            if term is None or vocabulary.knows(word) or any(searcher.doc_freq(name, term) for name in TEXT_FIELDS):
                continue
            found = _closest_word(searcher, word.lower())
            if found:
                corrected = re.sub(rf"\b{re.escape(word)}\b", found, corrected)
                changed = True
        return corrected if changed else None


def _by_id(opportunity_id: int) -> tantivy.Query:
    return tantivy.Query.term_query(SCHEMA, "id", int(opportunity_id))


def _no_relevance(sort: str) -> str:
    return "newest" if sort == "relevance" else sort


def _fields_query(term: str, weight: float) -> tantivy.Query:
    """One term in any text field, each field weighted (the title most)."""
    clauses = []
    for name, field_weight in TEXT_FIELDS.items():
        found = tantivy.Query.term_query(SCHEMA, name, term, index_option="freq")
        boost = field_weight * weight
        clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(found, boost) if boost != 1 else found))
    return tantivy.Query.boolean_query(clauses)


def _concept_queries(concepts: list[vocabulary.Concept]) -> list[tuple[tantivy.Query, list[str]]]:
    """Per concept, a query matching any of its alternatives (all of an alternative's words), and their terms."""
    built = []
    for concept in concepts:
        alternatives, terms = [], []
        for alternative in concept.alternatives:
            words = query_terms(alternative.text)
            if not words:
                continue
            terms.extend(words)
            parts = [_fields_query(word, alternative.weight) for word in words]
            alternatives.append((tantivy.Occur.Should, parts[0] if len(parts) == 1 else
                                 tantivy.Query.boolean_query([(tantivy.Occur.Must, part) for part in parts])))
        if alternatives:
            built.append((tantivy.Query.boolean_query(alternatives), terms))
    return built


def _any_of(concepts) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, found) for found, _terms in concepts])


def _all_of(concepts) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, found) for found, _terms in concepts])


def _ranked(matching: tantivy.Query, concepts, typed: list[str]) -> tantivy.Query:
    """The same matches, scored as ranking describes: every concept matched first, then typed words together."""
    clauses = [(tantivy.Occur.Should, matching)]
    if len(concepts) > 1:
        clauses.append((tantivy.Occur.Should, tantivy.Query.const_score_query(_all_of(concepts), ranking.ALL_WORDS_BONUS)))
    if len(typed) > 1:
        for name in ranking.PHRASE_FIELDS:
            near = tantivy.Query.phrase_query(SCHEMA, name, typed, slop=ranking.PHRASE_SLOP)
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(near, ranking.PHRASE_BOOST * TEXT_FIELDS[name])))
    return tantivy.Query.boolean_query(clauses)


def _filter_query(name: str, wanted, today: int) -> tantivy.Query:
    if name == "closing":
        chosen = tantivy.Query.range_query(SCHEMA, "closes", tantivy.FieldType.Integer, today, today + int(wanted))
    else:
        chosen = tantivy.Query.term_query(SCHEMA, "facet", facet_token(name, wanted), index_option="basic")
    return tantivy.Query.const_score_query(chosen, 0.0)  # filters narrow, they do not rank


def _with_filters(matching: tantivy.Query, active: dict, today: int) -> tantivy.Query:
    if not active:
        return matching
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, matching)] + [
        (tantivy.Occur.Must, _filter_query(name, wanted, today)) for name, wanted in active.items()])


def _filter_string(active: dict, today: int) -> str:
    """The same filters in tantivy's query language, for filter aggregations ("*" for none)."""
    parts = [f"closes:[{today} TO {today + int(wanted)}]" if name == "closing" else f'facet:"{facet_token(name, wanted)}"'
             for name, wanted in active.items()]
    return " AND ".join(parts) or "*"


def _apart(active: dict, today: int) -> dict[str, str]:
    """Each group counted apart from the results, and the name of the aggregation that counts it: groups that leave
    out the same filters share one (by default "stage" and "open" both leave out only the open filter)."""
    names: dict[str, str] = {}
    keys: dict[str, str] = {}
    for name in counted_apart(active):
        others = _filter_string({other: wanted for other, wanted in active.items() if other not in ignored_by(name)},
                                today)
        names[name] = keys.setdefault(others, f"apart_{len(keys)}")
    return names


def _count_aggregations(active: dict, today: int) -> dict:
    """Counts for every group with every chosen filter ("all"), and for each chosen group without its own choice."""
    edges = [today] + [today + days + 1 for days in CLOSING_WINDOWS]
    closing = [{"key": str(days), "from": edges[i], "to": edges[i + 1]} for i, days in enumerate(CLOSING_WINDOWS)]
    counting = {"facet": {"terms": {"field": "facet", "size": FACET_BUCKETS}},
                "closes": {"range": {"field": "closes", "ranges": closing}}}
    aggregations = {"all": {"filter": _filter_string(active, today), "aggs": counting}}
    for name, key in _apart(active, today).items():
        others = {other: wanted for other, wanted in active.items() if other not in ignored_by(name)}
        counted = aggregations.setdefault(key, {"filter": _filter_string(others, today), "aggs": {}})
        column = "closes" if name == "closing" else "facet"
        counted["aggs"][column] = counting[column]
    return aggregations


def _counts(counted: dict, active: dict, today: int) -> dict[str, Counter]:
    apart = _apart(active, today)
    counts = {name: Counter() for name in FILTER_NAMES}
    source = counted[apart.get("closing", "all")]
    by_window = {bucket.get("key"): bucket["doc_count"] for bucket in source["closes"]["buckets"]}
    running = 0
    for days in CLOSING_WINDOWS:  # windows nest: each counts those closing sooner too
        running += by_window.get(str(days), 0)
        if running:
            counts["closing"][days] = running
    for key in {"all", *apart.values()}:
        for bucket in counted[key].get("facet", {}).get("buckets", ()):
            group, value = _group_and_value(bucket["key"])
            if group in COUNTED_IN_FACET and apart.get(group, "all") == key:
                counts[group][value] = bucket["doc_count"]
    return counts


@lru_cache(maxsize=65_536)
def _group_and_value(token: str) -> tuple[str, object]:
    """A `facet` column value as (filter group, count key); each search reads hundreds, from a set that rarely grows."""
    group, _, value = token.partition("=")
    return group, value_of_token(group, value)


def _page(searcher, filtered: tantivy.Query, sort: str, today: int, start: int, end: int) -> list:
    """The addresses of this page's documents in the chosen order."""
    if end <= start:
        return []
    descending = tantivy.Order.Desc
    if sort == "relevance":
        return [address for _score, address in searcher.search(filtered, end - start, count=False, offset=start).hits]
    if sort in ("newest", "value"):
        return [address for _key, address in searcher.search(
            filtered, end - start, count=False, offset=start, order_by_field=f"{sort}_key", order=descending).hits]
    # Closing soonest: those still open, soonest first, then the rest, newest first.
    still_open = tantivy.Query.range_query(SCHEMA, "closes", tantivy.FieldType.Integer, today, None)
    open_query = tantivy.Query.boolean_query([(tantivy.Occur.Must, filtered), (tantivy.Occur.Must, still_open)])
    first = searcher.search(open_query, end - start, count=True, offset=start, order_by_field="closing_key",
                            order=tantivy.Order.Asc)
    page = [address for _key, address in first.hits]
    if len(page) < end - start:
        closed = tantivy.Query.boolean_query([(tantivy.Occur.Must, filtered), (tantivy.Occur.MustNot, still_open)])
        rest = searcher.search(closed, end - start - len(page), count=False, offset=max(0, start - first.count),
                               order_by_field="published", order=descending)
        page += [address for _key, address in rest.hits]
    return page


def _closest_word(searcher, word: str) -> str | None:
    """The indexed word nearest `word` (at most two edits), the commoner first when several are as near."""
    near = tantivy.Query.fuzzy_term_query(SCHEMA, "spelling", word, distance=2, transposition_cost_one=True)
    candidates = set()
    for _score, address in searcher.search(near, SUGGESTION_SOURCES, count=False).hits:
        stored = searcher.doc(address)
        text = f"{stored.get_first('title') or ''} {stored.get_first('extract') or ''}"
        candidates.update(found.lower() for found in re.findall(r"[^\W\d_]{3,30}", text))
    scored = [(distance, -searcher.doc_freq("spelling", candidate), candidate)
              for candidate in candidates if candidate != word and (distance := edit_distance(word, candidate)) <= 2]
    return min(scored)[2] if scored else None


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, change, or swap two neighbouring letters) turning a into b."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2, previous = None, list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other))
            if previous2 is not None and i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
