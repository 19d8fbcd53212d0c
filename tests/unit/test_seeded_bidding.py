"""The seeded opportunities answer "can we bid?" richly enough for every filter to find something, and say only
what the portal really offers as a next step."""

import re

import pytest

from portal.bidding.facts import total_value
from portal.bidding.vocabulary import OPEN_TO_VCSES, ValueBasis
from portal.config import PROJECT_ROOT
from portal.content import read_content


@pytest.fixture(scope="module")
def seeded():
    return [item for item in read_content(PROJECT_ROOT / "content").opportunities if item.meta.status == "published"]


def whole_value(meta) -> tuple[int, int] | None:
    """The whole contract's value range, however the file states it."""
    if meta.value is None:
        return None
    return total_value(meta.value.min, meta.value.max, meta.value_basis, meta.contract_length_months) \
        or (meta.value.min, meta.value.max)


def test_most_seeded_opportunities_have_bidding_facts(seeded):
    assert sum(not item.meta.bidding.is_empty() for item in seeded) >= 30


def test_criteria_weights_add_up_to_100_and_few_fall_short_on_social_value(seeded):
    with_criteria = [item for item in seeded if item.meta.bidding.criteria]
    assert len(with_criteria) >= 20
    for item in with_criteria:
        assert sum(c.weight for c in item.meta.bidding.criteria) == 100, item.slug
    warned = [item.slug for item in with_criteria if item.meta.bidding.warnings()]
    assert 1 <= len(warned) <= 2, warned


def test_every_search_filter_has_something_to_find(seeded):
    facts = [item.meta.bidding for item in seeded]
    assert sum(f.conditions.consortia_welcome is True for f in facts) >= 3
    assert sum(f.conditions.min_turnover == 0 for f in facts) >= 3  # 0: the buyer asks for no minimum turnover
    assert sum(f.terms.payment_days is not None and f.terms.payment_days <= 30 for f in facts) >= 3
    assert sum(f.terms.payment_days is not None and f.terms.payment_days < 30 for f in facts) >= 2
    assert sum(bool(f.lots) for f in facts) >= 3
    assert sum(f.max_lots_per_bidder is not None for f in facts) >= 2
    assert sum(bool(OPEN_TO_VCSES & set(f.terms.reserved_for)) for f in facts) >= 2
    assert sum(any(lot.value_basis == ValueBasis.PER_YEAR for lot in f.lots) for f in facts) >= 1
    assert sum(item.meta.value_basis == ValueBasis.PER_YEAR for item in seeded) >= 2


def test_reserved_contracts_are_small(seeded):
    for item in seeded:
        if item.meta.bidding.terms.reserved_for:
            assert whole_value(item.meta) is not None and whole_value(item.meta)[1] <= 200_000, item.slug


def test_lots_fit_inside_the_opportunitys_own_value(seeded):
    for item in seeded:
        lots, value = item.meta.bidding.lots, whole_value(item.meta)
        if not lots or value is None:
            continue
        totals = [total_value(lot.value_min, lot.value_max, lot.value_basis, lot.contract_length_months)
                  or (lot.value_min, lot.value_max) for lot in lots]
        assert sum(high for _, high in totals) <= value[1], item.slug
        longest = item.meta.contract_length_months
        assert all(lot.contract_length_months is None or longest is None or lot.contract_length_months <= longest
                   for lot in lots), item.slug


def test_no_brief_promises_a_pack_or_form_the_portal_does_not_offer(seeded):
    promise = re.compile(r"register interest button|tender pack|entry (pack|form)|application pack", re.IGNORECASE)
    for item in seeded:
        assert not promise.search(item.body), item.slug
