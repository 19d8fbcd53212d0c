"""Filters, counts and orders shared by every search backend, so each gives the same answers.

A backend finds which documents match the words; this module keeps those passing the chosen filters,
counts what each other choice would give, and orders results when relevance is not wanted.
"""

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from portal.search.query import FILTER_NAMES, SearchQuery, ignored_by, matches, values_for_counting

Key = TypeVar("Key", bound=Hashable)


def filter_and_count(entries: Iterable[tuple[Key, dict]], query: SearchQuery, today: int
                     ) -> tuple[list[Key], dict[str, Counter]]:
    """The keys of entries passing every chosen filter, and per group the counts each value would give."""
    active = list(query.applied_filters().items())
    wider = {name: ignored_by(name) for name in FILTER_NAMES if len(ignored_by(name)) > 1}
    counted = {name: [] for name in FILTER_NAMES}  # every value to count, per group, counted once at the end
    selected = []
    for key, facets in entries:
        failed = [name for name, wanted in active if not matches(name, wanted, facets, today)]
        if not failed:
            selected.append(key)
            for name, values in counted.items():
                values.extend(values_for_counting(name, facets, today))
        else:
            # A group's counts ignore its own choice: each value shows what choosing it would give.
            if len(failed) == 1:
                counted[failed[0]].extend(values_for_counting(failed[0], facets, today))
            for name, ignored in wider.items():
                if failed != [name] and ignored.issuperset(failed):
                    counted[name].extend(values_for_counting(name, facets, today))
    return selected, {name: Counter(values) for name, values in counted.items()}


def page_span(total: int, query: SearchQuery) -> tuple[int, int, int]:
    """(last page number, index of the first result on this page, index after its last)."""
    last_page = max(1, -(-total // query.size))
    start = (query.page - 1) * query.size
    return last_page, start, start + query.size


def sort_without_relevance(keys: list[Key], facets_of: Callable[[Key], dict], id_of: Callable[[Key], int],
                           sort: str, today: int) -> list[Key]:
    """Order by closing soonest, highest value, or newest (also for a search with no words)."""
    match sort:
        case "closing":
            def order(k):
                facets = facets_of(k)
                closes = facets["closes"]
                still_open = closes is not None and closes >= today
                return (0, closes, -facets["published"]) if still_open else (1, 0, -facets["published"])
        case "value":
            def order(k):
                facets = facets_of(k)
                return (facets["value"] is None, -(facets["value"] or 0), -facets["published"])
        case _:
            def order(k):
                return (-facets_of(k)["published"], -id_of(k))
    return sorted(keys, key=order)
