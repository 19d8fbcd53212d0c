"""Filters and counts over facet columns: the answers of filtering.filter_and_count, worked out faster.

The Whoosh backend keeps, per index generation, one column per filter group: for each document, the values it
counts towards (query.values_for_counting), made once. A search then tests membership and counts with Counter
over those columns, rather than asking each document's facets about each group again.
"""

from collections import Counter
from collections.abc import Hashable, Sequence
from itertools import chain
from typing import TypeVar

from portal.search.query import CLOSING_WINDOWS, FILTER_NAMES, SearchQuery, matches, values_for_counting

Key = TypeVar("Key", bound=Hashable)
TODAY_DEPENDENT = ("closing",)  # worked out per search from the closing date


class FacetColumns:
    """Each group's counted values per key, for a fixed set of keys (one generation of an index)."""

    def __init__(self, facets_by_key: dict):
        self.facets = facets_by_key
        self.values = {name: {key: tuple(values_for_counting(name, facets, 0)) for key, facets in facets_by_key.items()}
                       for name in FILTER_NAMES if name not in TODAY_DEPENDENT}
        self.closes = {key: facets["closes"] for key, facets in facets_by_key.items()}

    def _column(self, name: str, today: int) -> dict:
        if name != "closing":
            return self.values[name]
        return {key: tuple(days for days in CLOSING_WINDOWS if today <= closes <= today + days)
                for key, closes in self.closes.items() if closes is not None and closes >= today}

    def filter_and_count(self, keys: Sequence[Key], query: SearchQuery, today: int
                         ) -> tuple[list[Key], dict[str, Counter]]:
        """The keys passing every chosen filter, in the order given, and per group the counts each value would
        give (a group's counts ignore its own choice)."""
        active = query.active_filters()
        failing: dict[Key, list[str]] = {}  # keys failing exactly one chosen filter, or more
        for name, wanted in active.items():
            if name in ("closing", "lot_value"):  # a number of days or pounds, not only the counted choices
                facets = self.facets
                failed = [key for key in keys if not matches(name, wanted, facets[key], today)]
            else:
                wanted_value = wanted if wanted is True else str(wanted)
                column = self.values[name]
                failed = [key for key in keys if wanted_value not in column[key]]
            for key in failed:
                failing.setdefault(key, []).append(name)
        selected = [key for key in keys if key not in failing] if failing else list(keys)
        failing_only = {name: [] for name in active}
        for key, names in failing.items():
            if len(names) == 1:
                failing_only[names[0]].append(key)
        counts = {}
        for name in FILTER_NAMES:
            column = self._column(name, today)
            counted = chain(selected, failing_only.get(name, ()))
            counts[name] = Counter(chain.from_iterable(column.get(key, ()) for key in counted))
        return selected, counts
