"""Filters and counts shared by both search backends, checked against their definition on every combination.

The expected answers are worked out here by plain loops over the facets, not with the functions under test."""

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
        "closes": rng.choice([None, TODAY - 1, TODAY, TODAY + 3, TODAY + 7, TODAY + 8, TODAY + 20, TODAY + 30,
                              TODAY + 31, TODAY + 200]),
        "source": "portal",
    }


ENTRIES = [(key, facets(random.Random(key))) for key in range(300)]


def passes(name: str, wanted, entry: dict) -> bool:
    """One filter, written out by hand: closing within N days includes today and the Nth day."""
    if name == "mission":
        return wanted in entry["missions"]
    if name == "region":
        return wanted in entry["regions"]
    if name == "sme":
        return entry["sme"]
    if name == "closing":
        return entry["closes"] is not None and TODAY <= entry["closes"] <= TODAY + wanted
    return entry[name] == wanted


def counted_values(group: str, entry: dict) -> list:
    """The values of one group that an entry counts towards, written out by hand."""
    single = {"kind": "kind", "stage": "stage", "buyer": "buyer", "cpv": "cpv_division", "value": "value_band",
              "source": "source"}
    if group in single:
        return [entry[single[group]]]
    if group == "mission":
        return list(entry["missions"])
    if group == "region":
        return list(entry["regions"])
    if group in ("sme", "vcse"):
        return [True] if entry[group] else []
    assert group == "closing"
    closes = entry["closes"]
    return [days for days in (7, 30, 90) if closes is not None and TODAY <= closes <= TODAY + days]


def expected_counts(active: dict) -> dict[str, Counter]:
    """By definition: a group's counts come from the entries passing every chosen filter except its own."""
    counts = {}
    for group in FILTER_NAMES:
        counts[group] = Counter()
        for _key, entry in ENTRIES:
            if all(passes(name, wanted, entry) for name, wanted in active.items() if name != group):
                counts[group].update(counted_values(group, entry))
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
        active = {name: getattr(query, name) for name in CHOICES if getattr(query, name)}
        assert selected == [key for key, entry in ENTRIES if all(passes(name, wanted, entry) for name, wanted in active.items())]
        assert counts == expected_counts(active), query


def test_every_group_is_counted_even_when_nothing_matches():
    selected, counts = filter_and_count([], SearchQuery(region="TLD", sme=True), TODAY)
    assert selected == [] and set(counts) == set(FILTER_NAMES)
    assert all(count == Counter() for count in counts.values())


@pytest.mark.parametrize("closes, within_7, within_30", [
    (TODAY - 1, False, False),  # closed yesterday
    (TODAY, True, True),  # closes today: still open
    (TODAY + 7, True, True),  # the 7th day is inside "within 7 days"
    (TODAY + 8, False, True),
    (TODAY + 30, False, True),
    (TODAY + 31, False, False),
    (None, False, False),
])
def test_closing_windows_include_today_and_their_last_day(closes, within_7, within_30):
    entry = {"closes": closes}
    assert matches("closing", 7, entry, TODAY) is within_7
    assert matches("closing", 30, entry, TODAY) is within_30
    assert (7 in values_for_counting("closing", entry, TODAY)) is within_7
    assert (30 in values_for_counting("closing", entry, TODAY)) is within_30


def test_the_random_entries_reach_every_closing_boundary():
    assert {TODAY - 1, TODAY, TODAY + 7, TODAY + 8, TODAY + 30, TODAY + 31} <= {e["closes"] for _k, e in ENTRIES}
