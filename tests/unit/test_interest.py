"""Registering interest, the public list of interested suppliers, and the buyer's breakdown by size and region."""

import pytest
from sqlmodel import select

from portal.models import Interest, Organisation
from portal.services import buyer_items, interest
from tests.factories import make_buyer, make_interest, make_opportunity, make_supplier_user


@pytest.fixture
def opportunities(session):
    buyer = make_buyer(session)
    return make_opportunity(session, buyer), make_opportunity(session, buyer)


def test_breakdown_counts_size_and_legal_form_apart_and_every_region_served(session, opportunities):
    wanted, other = opportunities
    suppliers = [
        make_supplier_user(session, "micro-one@example.org", "Micro One", "micro", ["TLI"]),
        make_supplier_user(session, "micro-two@example.org", "Micro Two", "micro", ["TLI", "TLJ"], "sole-trader"),
        make_supplier_user(session, "two-person-cic@example.org", "Two Person CIC", "micro", ["TLJ"],
                           "community-interest-company"),
        make_supplier_user(session, "medium-coop@example.org", "Medium Co-op", "medium", ["TLC"], "co-operative"),
        make_supplier_user(session, "large-firm@example.org", "Large Firm", "large", ["TLI", "TLC", "TLD"]),
        make_supplier_user(session, "a-charity@example.org", "A Charity", "small", ["TLD"], "charity"),
        make_supplier_user(session, "a-community-group@example.org", "A Community Group", "micro", [], "community-group"),
    ]
    not_told_us = session.get(Organisation, suppliers[5].organisation_id)
    not_told_us.size = None  # as an account made before size was asked for
    session.commit()
    for supplier in suppliers:
        make_interest(session, wanted, supplier)
    elsewhere = make_supplier_user(session, "elsewhere-ltd@example.org", "Elsewhere Ltd", "large", ["TLM"])
    make_interest(session, other, elsewhere)  # another opportunity

    report = buyer_items.interest_report(session, wanted.id)

    assert len(report.rows) == 7
    assert report.counts.sizes() == [("micro", 4), ("small", 0), ("medium", 1), ("large", 1), (None, 1)]
    assert report.counts.legal_forms() == [("company", 2), ("community-interest-company", 1), ("charity", 1),
                                           ("co-operative", 1), ("community-group", 1), ("sole-trader", 1)]
    assert (report.counts.sme, report.counts.vcse) == (5, 4)
    assert dict(report.by_region) == {"TLI": 3, "TLJ": 2, "TLC": 2, "TLD": 2}
    assert [organisation.name for _interest, organisation in report.rows] == [
        "Micro One", "Micro Two", "Two Person CIC", "Medium Co-op", "Large Firm", "A Charity", "A Community Group"]


def test_breakdown_of_an_opportunity_nobody_is_interested_in_is_empty(session, opportunities):
    report = buyer_items.interest_report(session, opportunities[0].id)
    assert (report.rows, report.counts.legal_forms(), dict(report.by_region)) == ([], [], {})
    assert report.counts.sizes() == [("micro", 0), ("small", 0), ("medium", 0), ("large", 0), (None, 0)]
    assert (report.counts.sme, report.counts.vcse) == (0, 0)


def test_public_list_shows_only_organisations_that_chose_it(session, opportunities):
    wanted, other = opportunities
    listed = make_supplier_user(session, "listed-partner@example.org", "Listed Partner", "small", ["TLI"])
    listed_only = make_supplier_user(session, "listed-only@example.org", "Listed Only", "micro", ["TLI"])
    private = make_supplier_user(session, "private-firm@example.org", "Private Firm", "micro", ["TLI"])
    make_interest(session, wanted, listed, open_to_partnering=True, listed_publicly=True)
    make_interest(session, wanted, listed_only, listed_publicly=True)
    make_interest(session, wanted, private, open_to_partnering=True)
    make_interest(session, other, private, open_to_partnering=True, listed_publicly=True)
    drafting = make_supplier_user(session, "drafting@example.org", "Still Drafting", "micro", ["TLI"])
    make_interest(session, wanted, drafting, send=False, listed_publicly=True)
    unconfirmed = make_supplier_user(session, "unconfirmed@example.org", "Not Confirmed", "micro", ["TLI"], confirmed=False)
    make_interest(session, wanted, unconfirmed, listed_publicly=True)

    summary = interest.summary(session, wanted.id)

    assert summary.count == 3, "neither a draft nor interest sent from an unconfirmed address is counted"
    assert [o.name for o in summary.public] == ["Listed Only", "Listed Partner"]
    assert [o.name for o in summary.partnering] == ["Listed Partner"]
    assert interest.summary(session, other.id).count == 1


def test_registering_again_updates_the_one_interest_and_withdrawing_removes_it(session, opportunities):
    wanted, other = opportunities
    supplier = make_supplier_user(session, "changing-mind@example.org", "Changing Mind", "micro", ["TLI"])
    first = make_interest(session, wanted, supplier)
    second = make_interest(session, wanted, supplier, open_to_partnering=True, listed_publicly=True)
    make_interest(session, other, supplier)
    assert second.id == first.id
    stored = interest.get(session, wanted.id, supplier.organisation_id)
    assert (stored.open_to_partnering, stored.listed_publicly) == (True, True)

    assert interest.withdraw(session, wanted.id, supplier.organisation_id) is True
    assert interest.get(session, wanted.id, supplier.organisation_id) is None
    assert interest.withdraw(session, wanted.id, supplier.organisation_id) is False
    assert interest.get(session, other.id, supplier.organisation_id) is not None, "only that opportunity's interest goes"
    assert len(session.exec(select(Interest)).all()) == 1
