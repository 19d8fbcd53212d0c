"""Filters and counts shared by both search backends, checked against their definition on every combination."""

import itertools
import random
from collections import Counter

import pytest

from portal.search.filtering import filter_and_count
from portal.search.query import FILTER_NAMES, SearchQuery, matches, values_for_counting

TODAY = 740_000
CHOICES = {
    "kind": ["problem-statement", "pipeline-item"],
    "stage": ["engagement", "pipeline"],
    "region": ["TLD", "TLI"],
    "mission": ["food"],
    "sme": [True],
    "closing": [7, 30],
}


def facets(rng: random.Random) -> dict:
    return {
        "kind": rng.choice(CHOICES["kind"]),
        "stage": rng.choice(CHOICES["stage"]),
        "buyer": rng.choice(["leeds", "kent"]),
        "missions": tuple(rng.sample(["food", "net-zero"], rng.randint(0, 2))),
        "regions": tuple(rng.sample(["TLD", "TLI", "TLJ"], rng.randint(0, 2))),
        "cpv_division": rng.choice(["55", "45"]),
        "value_band": rng.choice(["under-100k", "not-stated"]),
        "value": None,
        "sme": rng.random() < 0.5,
        "vcse": rng.random() < 0.5,
        "published": TODAY - rng.randint(0, 60),
        "closes": rng.choice([None, TODAY - 1, TODAY + 3, TODAY + 20, TODAY + 200]),
        "source": "portal",
    }


ENTRIES = [(key, facets(random.Random(key))) for key in range(300)]


def expected_counts(query: SearchQuery) -> dict[str, Counter]:
    """By definition: a group's counts come from the entries passing every chosen filter except its own."""
    active = query.active_filters()
    counts = {}
    for group in FILTER_NAMES:
        others = {name: wanted for name, wanted in active.items() if name != group}
        counts[group] = Counter(
            value for _key, entry in ENTRIES
            if all(matches(name, wanted, entry, TODAY) for name, wanted in others.items())
            for value in values_for_counting(group, entry, TODAY)
        )
    return counts


def every_query():
    options = [[(name, None)] + [(name, value) for value in values] for name, values in CHOICES.items()]
    for combination in itertools.product(*options):
        yield SearchQuery(**{name: value for name, value in combination if value is not None})


QUERIES = list(every_query())


@pytest.mark.parametrize("chosen", range(len(CHOICES) + 1))
def test_results_and_counts_follow_their_definition(chosen):
    queries = [q for q in QUERIES if len(q.active_filters()) == chosen]
    assert queries
    for query in queries:
        selected, counts = filter_and_count(ENTRIES, query, TODAY)
        active = query.active_filters().items()
        assert selected == [key for key, entry in ENTRIES
                            if all(matches(name, wanted, entry, TODAY) for name, wanted in active)]
        assert counts == expected_counts(query), query


def test_every_group_is_counted_even_when_nothing_matches():
    selected, counts = filter_and_count([], SearchQuery(region="TLD", sme=True), TODAY)
    assert selected == [] and set(counts) == set(FILTER_NAMES)
    assert all(count == Counter() for count in counts.values())
