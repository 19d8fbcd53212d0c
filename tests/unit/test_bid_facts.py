"""The rules every "can we bid?" fact obeys, whichever way it comes in."""

import pytest
from pydantic import ValidationError

from portal.bidding.facts import BidFacts, facts_of, total_value


def criteria(*weights):
    kinds = ["price", "quality", "social-value"]
    return [{"type": kinds[i % 3], "name": f"Criterion {i}", "weight": w} for i, w in enumerate(weights)]


def test_no_facts_is_empty_and_stores_nothing():
    facts = BidFacts()
    assert facts.is_empty() and facts.to_json() == {} and facts.warnings() == []


@pytest.mark.parametrize("weights", [(40, 50, 10), (100,), (0, 90, 10)])
def test_weights_that_add_up_to_100_are_accepted(weights):
    assert sum(c.weight for c in BidFacts(criteria=criteria(*weights)).criteria) == 100


@pytest.mark.parametrize("weights, total", [((40, 50), 90), ((60, 40, 10), 110), ((0,), 0)])
def test_weights_must_add_up_to_100(weights, total):
    with pytest.raises(ValidationError, match=f"must add up to 100 \\(they add up to {total}\\)"):
        BidFacts(criteria=criteria(*weights))


def test_social_value_under_ten_per_cent_is_a_warning_not_an_error():
    facts = BidFacts(criteria=criteria(60, 35, 5))
    assert facts.social_value_weight() == 5
    assert facts.warnings() == ["Social value carries 5% of the score. The UK Social Value Model asks for at least 10%."]
    assert BidFacts(criteria=criteria(50, 40, 10)).warnings() == []


def test_lots_need_their_own_numbers_and_a_sensible_limit():
    lot = {"number": 1, "title": "North"}
    with pytest.raises(ValidationError, match="each lot needs its own number"):
        BidFacts(lots=[lot, lot])
    with pytest.raises(ValidationError, match="must not be more than the number of lots"):
        BidFacts(lots=[lot, {"number": 2, "title": "South"}], max_lots_per_bidder=3)
    with pytest.raises(ValidationError, match="only an opportunity with lots"):
        BidFacts(max_lots_per_bidder=1)
    assert BidFacts(lots=[lot, {"number": 2, "title": "South"}], max_lots_per_bidder=1).max_lots_per_bidder == 1


def test_a_lot_value_range_is_in_order_and_its_regions_are_real():
    with pytest.raises(ValidationError, match="lowest value must not be more"):
        BidFacts(lots=[{"number": 1, "title": "A", "value_min": 10, "value_max": 5}])
    with pytest.raises(ValidationError, match="unknown ITL1 region"):
        BidFacts(lots=[{"number": 1, "title": "A", "regions": ["XXX"]}])


def test_descriptions_have_a_word_limit():
    with pytest.raises(ValidationError, match="60 words or fewer"):
        BidFacts(lots=[{"number": 1, "title": "A", "description": "word " * 61}])


@pytest.mark.parametrize("bad", [
    {"conditions": {"accreditations": ["made-up"]}},
    {"conditions": {"insurance": [{"kind": "public-liability", "amount": 1}, {"kind": "public-liability", "amount": 2}]}},
    {"conditions": {"insurance": [{"kind": "car", "amount": 1}]}},
    {"conditions": {"min_turnover": -1}},
    {"terms": {"payment_days": 400}},
    {"terms": {"small_firm_share": 20, "subcontracting_allowed": False}},
    {"terms": {"split_for_small_suppliers": True, "not_split_reason": "It is one building"}},
    {"terms": {"reserved_for": ["friends"]}},
    {"social_value": [{"outcome": "world-peace", "wish": "Everything"}]},
    {"unknown": 1},
])
def test_facts_that_make_no_sense_are_refused(bad):
    with pytest.raises(ValidationError):
        BidFacts.model_validate(bad)


def test_facts_survive_a_round_trip_through_the_database_json():
    facts = BidFacts.model_validate({
        "lots": [{"number": 1, "title": "North", "value_max": 50_000, "value_basis": "per-year", "contract_length_months": 24}],
        "conditions": {"min_turnover": 100_000, "insurance": [{"kind": "public-liability", "amount": 5_000_000}],
                       "accreditations": ["cqc", "cqc"], "consortia_welcome": True},
        "terms": {"payment_days": 14, "reserved_for": ["vcse"], "split_for_small_suppliers": False, "not_split_reason": "One site"},
        "criteria": criteria(40, 50, 10),
        "social_value": [{"outcome": "jobs-and-skills", "wish": "Apprenticeships for care leavers in Camden"}],
    })
    assert facts.conditions.accreditations == ["cqc"]  # given twice, kept once

    class Row:
        bid_facts = facts.to_json()

    assert facts_of(Row()) == facts


@pytest.mark.parametrize("low, high, basis, months, expected", [
    (100, 200, "per-year", 36, (300, 600)),
    (None, 200, "per-year", 6, (None, 100)),
    (100, 200, "per-year", None, None),
    (100, 200, "total", 36, None),
])
def test_total_value(low, high, basis, months, expected):
    assert total_value(low, high, basis, months) == expected
