""""Can we bid?" facts read from Contracts Finder and Find a Tender releases: what validates is kept, nothing
a notice gets wrong stops the import."""

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portal.bidding.facts import BidFacts
from portal.models import Opportunity
from portal.opendata.importer import import_notices
from portal.opendata.ocds_bid_mapping import bid_facts_from, period_months
from portal.opendata.ocds_mapping import map_release

DATA = Path(__file__).resolve().parent.parent / "data" / "notices"
PRICE_QUALITY = [{"type": "price", "name": "Total Price", "numbers": [{"number": 20, "weight": "percentageExact"}]},
                 {"type": "quality", "name": "Quality", "numbers": [{"number": 80, "weight": "percentageExact"}]}]


def facts(tender: dict | None = None, lots: list | None = None) -> dict | None:
    found = bid_facts_from(tender or {}, lots or [])
    if found is not None:
        BidFacts.model_validate(found)  # always valid
    return found


def test_a_real_find_a_tender_notice_gives_its_award_criteria():
    package = json.loads((DATA / "find-a-tender-2026" / "2026-09-03-p001.json").read_text(encoding="utf-8"))
    notice = next(r for r in package["releases"] if r["id"] == "083662-2026")
    assert map_release(notice).bid_facts == {"criteria": [
        {"type": "price", "name": "Total Price", "weight": 20},
        {"type": "quality", "name": "Quality", "weight": 80},
    ]}


def test_importing_the_real_notices_saves_their_facts(app):
    report = import_notices(app.extensions["engine"], app.extensions["search"], [str(DATA / "find-a-tender-2026")])
    assert not report.problems
    with Session(app.extensions["engine"]) as session:
        saved = {o.ocid: o.bid_facts for o in session.exec(select(Opportunity))}
    assert [c["weight"] for c in saved["ocds-h6vhtk-06f1b2"]["criteria"]] == [20, 80]
    # A price criterion with no weight is not a scoring scheme we can show.
    assert saved["ocds-h6vhtk-06f0ca"] == {}
    assert saved["ocds-h6vhtk-06f1b4"] == {}, "one lot is the whole contract, not a split"


def test_nothing_stated_gives_none():
    assert facts() is None
    assert facts({"lots": "nonsense", "selectionCriteria": [], "contractTerms": None}, [{"id": "1"}]) is None


def test_lots_with_titles_values_and_lengths():
    lots = [
        {"id": "1", "title": "North", "description": "Parks in the north.", "value": {"amount": 50000, "currency": "GBP"},
         "minimumValue": {"amount": 40000, "currency": "GBP"}, "contractPeriod": {"durationInDays": 730}},
        {"id": "2", "title": "South", "value": {"amount": 60000.4, "currency": "EUR"},
         "contractPeriod": {"durationInMonths": 18}},
    ]
    found = facts({"lotDetails": {"maximumLotsBidPerSupplier": 1}}, lots)
    assert found["lots"] == [
        {"number": 1, "title": "North", "description": "Parks in the north.", "value_min": 40000, "value_max": 50000,
         "contract_length_months": 24},
        {"number": 2, "title": "South", "contract_length_months": 18},  # euros are not pounds
    ]
    assert found["max_lots_per_bidder"] == 1


@pytest.mark.parametrize("ids, numbers", [
    (["LOT-0001", "LOT-0002"], [1, 2]),  # numbered by place
    (["3", "3"], [3, 2]),  # a repeated number gives way to the place
    (["2760", "7"], [1, 7]),  # too big for a lot number
    ([None, True], [1, 2]),
])
def test_lot_numbers_fall_back_to_their_place(ids, numbers):
    found = facts(lots=[{"id": i} for i in ids])
    assert [lot["number"] for lot in found["lots"]] == numbers
    assert [lot["title"] for lot in found["lots"]] == [f"Lot {n}" for n in numbers]


def test_a_lot_that_breaks_a_rule_keeps_what_validates():
    lots = [{"id": "1", "title": "x" * 500, "description": "word " * 400,
             "value": {"amount": 10, "currency": "GBP"}, "minimumValue": {"amount": 99, "currency": "GBP"},
             "contractPeriod": {"durationInMonths": 9999}},
            {"id": "2", "title": "<script>alert(1)</script>"},
            {"id": "3", "title": "&lt;script&gt;alert(1)&lt;/script&gt; <b>meals</b>"}]
    first, second, third = facts(lots=lots)["lots"]
    assert len(first["title"]) <= 120 and first["description"].endswith("…")
    assert first["value_max"] == 10 and "value_min" not in first, "a lowest value above the highest is dropped"
    assert "contract_length_months" not in first
    # Markup is stripped like every imported title; a title that was nothing but a script falls back to the lot's name
    assert second["title"] == "Lot 2"
    assert third["title"] == "<script>alert(1)</script> meals", "escaped markup is kept as text; pages escape it"


def test_too_many_lots_are_not_guessed_at():
    assert facts(lots=[{"id": str(n)} for n in range(1, 30)]) is None


@pytest.mark.parametrize("criteria", [
    [{"type": "price", "numbers": [{"number": 20, "weight": "percentageExact"}]}],  # adds up to 20
    [{"type": "price"}, *PRICE_QUALITY[1:]],  # one without a weight
    [{"type": "price", "numbers": [{"number": "20", "weight": "percentageExact"}]}, *PRICE_QUALITY[1:]],
    [{"type": "other", "numbers": [{"number": 20, "weight": "percentageExact"}]}, *PRICE_QUALITY[1:]],
    [{"type": "price", "numbers": [{"number": 3, "weight": "order"}]}, *PRICE_QUALITY[1:]],
    [{"type": "price", "numbers": [{"number": 120, "weight": "percentageExact"}]},
     {"type": "quality", "numbers": [{"number": -20, "weight": "percentageExact"}]}],
])
def test_award_criteria_that_do_not_add_up_are_left_out(criteria):
    assert facts(lots=[{"id": "1", "awardCriteria": {"criteria": criteria}}]) is None


def test_award_criteria_weights_as_decimals_and_social_value_by_name():
    criteria = [{"type": "cost", "name": "Whole-life cost", "numbers": [{"number": 0.3, "weight": "decimalExact"}]},
                {"type": "quality", "name": "Social Value", "description": "Local jobs.",
                 "numbers": [{"number": 0.1, "weight": "decimalExact"}]},
                {"type": "quality", "numbers": [{"number": 0.6, "weight": "decimalExact"}]}]
    assert facts(lots=[{"id": "1"}, {"id": "2", "awardCriteria": {"criteria": criteria}}])["criteria"] == [
        {"type": "price", "name": "Whole-life cost", "weight": 30},
        {"type": "social-value", "name": "Social Value", "description": "Local jobs.", "weight": 10},
        {"type": "quality", "name": "Quality", "weight": 60},
    ]


def test_turnover_and_insurance_from_selection_criteria():
    selection = {"criteria": [
        {"type": "economic", "description": "Minimum annual turnover", "minimum": "£250,000"},
        {"type": "economic", "description": "Employer's liability insurance", "minimum": "GBP 5 million"},
        {"type": "economic", "description": "Public liability insurance", "minimum": "2m"},
        {"type": "economic", "description": "Professional indemnity insurance", "minimum": "adequate"},
        {"type": "economic", "description": "Public liability insurance again", "minimum": "£9"},
        {"type": "technical", "description": "Turnover", "minimum": "£1"},
        {"type": "economic", "description": "Credit rating", "minimum": "£100"},
    ]}
    assert facts({"selectionCriteria": selection})["conditions"] == {
        "min_turnover": 250_000,
        "insurance": [{"kind": "employers-liability", "amount": 5_000_000},
                      {"kind": "public-liability", "amount": 2_000_000}],
    }


def test_terms_from_contract_terms_other_requirements_and_lot_details():
    tender = {"contractTerms": {"electronicInvoicingPolicy": "required",
                                "financialTerms": "Invoices are paid within 30 days of receipt."},
              "otherRequirements": {"reservedParticipation": ["shelteredWorkshop", "smeVcse", "unknownCode", 7]},
              "lotDetails": {"noLotsDivisionRationale": "One site only."}}
    assert facts(tender)["terms"] == {"payment_days": 30, "e_invoicing": True,
                                      "reserved_for": ["supported-employment", "sme-or-vcse"],
                                      "split_for_small_suppliers": False, "not_split_reason": "One site only."}


@pytest.mark.parametrize("contract_terms, terms", [
    ({"electronicInvoicingPolicy": "notAllowed"}, {"e_invoicing": False}),
    ({"electronicInvoicingPolicy": "sometimes"}, None),
    ({"financialTerms": "Paid within 500 days"}, None),  # more than the rules allow
    ({"financialTerms": 30}, None),
])
def test_contract_terms_one_at_a_time(contract_terms, terms):
    found = facts({"contractTerms": contract_terms})
    assert (found or {}).get("terms") == terms


@pytest.mark.parametrize("period, months", [
    ({"durationInMonths": 36}, 36), ({"durationInDays": 365}, 12),
    ({"startDate": "2026-11-02T00:00:00+00:00", "endDate": "2027-03-31T23:59:59+01:00"}, 5),
    ({"durationInMonths": True, "durationInDays": "30"}, None), ({}, None),
])
def test_contract_period_in_months(period, months):
    assert period_months(period) == months


def test_a_later_release_without_facts_keeps_the_earlier_ones(app, tmp_path):
    first = {"ocid": "ocds-h6vhtk-000009", "id": "000009-2026", "date": "2026-09-01T10:00:00Z", "tag": ["tender"],
             "buyer": {"name": "Example District Council"},
             "tender": {"title": "Grounds", "lots": [{"id": "1", "awardCriteria": {"criteria": PRICE_QUALITY}}]}}
    later = first | {"id": "000010-2026", "date": "2026-09-05T10:00:00Z", "tender": {"title": "Grounds"}}
    for n, release in enumerate((first, later)):
        path = tmp_path / f"{n}.json"
        path.write_text(json.dumps({"releases": [release]}), encoding="utf-8")
        assert not import_notices(app.extensions["engine"], app.extensions["search"], [str(path)]).problems
    with Session(app.extensions["engine"]) as session:
        saved = session.exec(select(Opportunity).where(Opportunity.ocid == "ocds-h6vhtk-000009")).one()
        assert saved.source_release_id == "000010-2026"
        assert [c["weight"] for c in saved.bid_facts["criteria"]] == [20, 80]


def test_criteria_that_do_not_add_up_leave_the_other_facts_alone():
    criteria = PRICE_QUALITY[:1]  # price 20% alone
    found = facts({"contractTerms": {"electronicInvoicingPolicy": "allowed"}},
                  [{"id": "1", "awardCriteria": {"criteria": criteria}}])
    assert found == {"terms": {"e_invoicing": True}}
