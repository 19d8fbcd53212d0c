"""Filters and counts shared by both search backends, checked against their definition on every combination.

The expected answers are worked out here by plain loops over the facets, not with the functions under test."""

import itertools
import random
from collections import Counter
from dataclasses import replace

import pytest

from portal.search.columns import FacetColumns
from portal.search.filtering import filter_and_count
from portal.search.query import BID_FILTER_NAMES, FILTER_NAMES, SearchQuery, matches, values_for_counting

TODAY = 740_000
CHOICES = {
    "kind": ["problem-statement", "pipeline-item"],
    "stage": ["engagement", "pipeline", "awarded"],
    "region": ["TLD", "TLI"],
    "area": ["KEN"],
    "mission": ["food"],
    "sme": [True],
    "closing": [7, 30],
}
# The "can we bid?" filters, tried in every combination with each other and with one older filter.
BID_CHOICES = {
    "lot_value": ["25000", "500000"],
    "min_turnover": ["none", "100000", "2000000"],
    "social_value": ["wellbeing"],
    "consortia": [True],
    "reserved_vcse": [True],
    "pays_within_30": [True],
    "sme": [True],
}


def facets(rng: random.Random) -> dict:
    entry = {
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
    } | ({"areas": tuple(rng.sample(["CAT", "KEN", "CMD"], rng.randint(0, 2)))} if rng.random() < 0.9 else {}) | (bid_facets(rng) if rng.random() < 0.9 else {})  # an entry indexed before these facets has none of them
    if rng.random() < 0.8:  # else indexed before "open" was a facet: its stage decides
        entry["open"] = entry["stage"] != "awarded" and rng.random() < 0.8  # some closed early
    return entry


def bid_facets(rng: random.Random) -> dict:
    return {
        "lot_value": rng.choice([None, 0, 25_000, 25_001, 100_000, 499_999, 500_000, 3_000_000]),
        "min_turnover": rng.choice([None, 0, 100_000, 100_001, 2_000_000, 5_000_000]),
        "social_value_themes": tuple(rng.sample(["wellbeing", "climate-change"], rng.randint(0, 2))),
        "consortia": rng.random() < 0.5,
        "reserved_vcse": rng.random() < 0.3,
        "payment_days": rng.choice([None, 0, 30, 31, 60]),
    }


ENTRIES = [(key, facets(random.Random(key))) for key in range(300)]


def passes(name: str, wanted, entry: dict) -> bool:
    """One filter, written out by hand: closing within N days includes today and the Nth day."""
    if name == "mission":
        return wanted in entry["missions"]
    if name == "region":
        return wanted in entry["regions"]
    if name == "area":
        return wanted in entry.get("areas", ())  # indexed before council areas: in none
    if name == "sme":
        return entry["sme"]
    if name == "closing":
        return entry["closes"] is not None and TODAY <= entry["closes"] <= TODAY + wanted
    if name in BID_FILTER_NAMES and "lot_value" not in entry:
        return False  # indexed before the "can we bid?" facets
    if name == "lot_value":
        return entry["lot_value"] is not None and entry["lot_value"] <= int(wanted)
    if name == "min_turnover":
        asked = entry["min_turnover"]
        return asked == 0 or (asked is not None and wanted != "none" and asked <= int(wanted))
    if name == "social_value":
        return wanted in entry["social_value_themes"]
    if name == "pays_within_30":
        return entry["payment_days"] is not None and entry["payment_days"] <= 30
    if name in ("consortia", "reserved_vcse"):
        return entry[name]
    if name == "open":  # planned, open for engagement or open for bids; entries from older indexes have no "open"
        return entry.get("open", entry["stage"] not in ("awarded", "cancelled")) is wanted
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
    if group == "area":
        return list(entry.get("areas", ()))
    if group in ("sme", "vcse"):
        return [True] if entry[group] else []
    if group in ("consortia", "reserved_vcse", "pays_within_30"):
        return [True] if passes(group, True, entry) else []
    if group == "lot_value":
        return [value for value in ("25000", "100000", "500000", "2000000") if passes(group, value, entry)]
    if group == "min_turnover":
        return [value for value in ("none", "100000", "500000", "2000000") if passes(group, value, entry)]
    if group == "social_value":
        return list(entry.get("social_value_themes", ()))
    if group == "open":
        return [passes("open", True, entry)]
    assert group == "closing"
    closes = entry["closes"]
    return [days for days in (7, 30, 90) if closes is not None and TODAY <= closes <= TODAY + days]


def expected_counts(active: dict) -> dict[str, Counter]:
    """By definition: a group's counts come from the entries passing every chosen filter except its own (and for
    stages, except open only, so stages that are over show what they would give)."""
    counts = {}
    for group in FILTER_NAMES:
        counts[group] = Counter()
        left_out = {"stage", "open"} if group == "stage" else {group}
        for _key, entry in ENTRIES:
            if all(passes(name, wanted, entry) for name, wanted in active.items() if name not in left_out):
                counts[group].update(counted_values(group, entry))
    return counts


def every_query(choices: dict):
    options = [[(name, None)] + [(name, value) for value in values] for name, values in choices.items()]
    for combination in itertools.product(*options):
        yield SearchQuery(**{name: value for name, value in combination if value is not None})


COLUMNS = FacetColumns(dict(ENTRIES))
# The loop the PostgreSQL tests compare with, and the columns the Whoosh backend counts from: both must agree.
COUNTERS = {
    "loop": filter_and_count,
    "columns": lambda entries, query, today: COLUMNS.filter_and_count([key for key, _ in entries], query, today),
}
# Some also with closed and awarded ones asked for (not all: the loops here are slow).
QUERIES = [*every_query(CHOICES), *(replace(q, closed=True) for q in every_query(CHOICES) if not q.kind)]
BID_QUERIES = [*every_query(BID_CHOICES), *(replace(q, closed=True) for q in every_query(BID_CHOICES) if not q.sme)]


def applied(query: SearchQuery, chosen: dict) -> dict:
    """The filters chosen, and only open opportunities unless closed ones or a stage that is over are asked for."""
    return chosen | ({} if query.closed or query.stage == "awarded" else {"open": True})


@pytest.mark.parametrize("counter", COUNTERS)
@pytest.mark.parametrize("chosen", range(len(CHOICES) + 1))
def test_results_and_counts_follow_their_definition(chosen, counter):
    queries = [q for q in QUERIES if len(q.active_filters()) == chosen]
    assert queries
    for query in queries:
        selected, counts = COUNTERS[counter](ENTRIES, query, TODAY)
        active = applied(query, {name: getattr(query, name) for name in CHOICES if getattr(query, name)})
        assert selected == [key for key, entry in ENTRIES if all(passes(name, wanted, entry) for name, wanted in active.items())]
        assert counts == expected_counts(active), query


@pytest.mark.parametrize("counter", COUNTERS)
@pytest.mark.parametrize("chosen", range(len(BID_CHOICES) + 1))
def test_can_we_bid_results_and_counts_follow_their_definition(chosen, counter):
    queries = [q for q in BID_QUERIES if len(q.active_filters()) == chosen]
    assert queries
    for query in queries:
        selected, counts = COUNTERS[counter](ENTRIES, query, TODAY)
        active = applied(query, query.active_filters())
        assert selected == [key for key, entry in ENTRIES if all(passes(name, wanted, entry) for name, wanted in active.items())]
        assert counts == expected_counts(active), query


@pytest.mark.parametrize("query, shown", [
    (SearchQuery(), {"pipeline", "engagement", "tender"}),
    (SearchQuery(closed=True), {"pipeline", "engagement", "tender", "awarded", "cancelled"}),
    (SearchQuery(stage="awarded"), {"awarded"}),
    (SearchQuery(stage="cancelled"), {"cancelled"}),
    (SearchQuery(stage="tender"), {"tender"}),
])
def test_only_open_opportunities_unless_closed_ones_are_asked_for(query, shown):
    stages = ["pipeline", "engagement", "tender", "awarded", "cancelled"]
    entries = [(key, facets(random.Random(key)) | {"stage": stages[key % 5]}) for key in range(50)]
    for _key, entry in entries:
        entry.pop("open", None)  # made for another stage
    selected, counts = filter_and_count(entries, query, TODAY)
    assert {dict(entries)[key]["stage"] for key in selected} == shown
    # Ticking "include closed and awarded" adds exactly what its count says, and stages count closed ones too.
    with_closed, _ = filter_and_count(entries, SearchQuery(closed=True), TODAY)
    if query == SearchQuery():
        assert len(selected) + counts["open"][False] == len(with_closed) == 50
    assert counts["stage"]["awarded"] == 10


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


@pytest.mark.parametrize("smallest, limits", [
    (None, []),  # value not stated
    (0, ["25000", "100000", "500000", "2000000"]),
    (25_000, ["25000", "100000", "500000", "2000000"]),  # at the amount passes
    (25_001, ["100000", "500000", "2000000"]),
    (2_000_000, ["2000000"]),
    (2_000_001, []),
])
def test_lot_value_passes_at_or_below_the_amount(smallest, limits):
    entry = {"lot_value": smallest}
    assert values_for_counting("lot_value", entry, TODAY) == limits
    passing = [limit for limit in ("25000", "100000", "500000", "2000000") if matches("lot_value", limit, entry, TODAY)]
    assert passing == limits


@pytest.mark.parametrize("asked, choices", [
    (None, []),  # the buyer has not said: not claimed as "no minimum"
    (0, ["none", "100000", "500000", "2000000"]),  # no minimum passes every choice
    (100_000, ["100000", "500000", "2000000"]),
    (100_001, ["500000", "2000000"]),
    (2_000_000, ["2000000"]),
    (2_000_001, []),
])
def test_minimum_turnover_passes_up_to_the_amount(asked, choices):
    entry = {"min_turnover": asked}
    assert values_for_counting("min_turnover", entry, TODAY) == choices
    assert [c for c in ("none", "100000", "500000", "2000000") if matches("min_turnover", c, entry, TODAY)] == choices


@pytest.mark.parametrize("days, passes_", [(None, False), (0, True), (30, True), (31, False)])
def test_payment_within_30_days_includes_the_30th_day(days, passes_):
    entry = {"payment_days": days}
    assert matches("pays_within_30", True, entry, TODAY) is passes_
    assert values_for_counting("pays_within_30", entry, TODAY) == ([True] if passes_ else [])


@pytest.mark.parametrize("name, wanted", [
    ("lot_value", "2000000"), ("min_turnover", "none"), ("min_turnover", "2000000"), ("social_value", "wellbeing"),
    ("consortia", True), ("reserved_vcse", True), ("pays_within_30", True),
])
def test_documents_indexed_before_the_can_we_bid_facets_pass_none_of_them(name, wanted):
    old = {key: value for key, value in ENTRIES[0][1].items() if key not in bid_facets(random.Random(0))}
    assert not matches(name, wanted, old, TODAY)
    assert values_for_counting(name, old, TODAY) == []


def test_the_random_entries_reach_every_can_we_bid_boundary():
    entries = [entry for _key, entry in ENTRIES if "lot_value" in entry]
    assert len(entries) < len(ENTRIES), "some entries come from an index built before these facets"
    assert {None, 0, 25_000, 25_001, 500_000} <= {e["lot_value"] for e in entries}
    assert {None, 0, 100_000, 100_001, 2_000_000} <= {e["min_turnover"] for e in entries}
    assert {None, 30, 31} <= {e["payment_days"] for e in entries}
