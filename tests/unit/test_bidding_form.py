"""Reading the "Can we bid?" form: money as people type it, and what was typed becoming BidFacts, with BidFacts'
problems put beside the fields they are about."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from portal.bidding.facts import BidFacts, Criterion
from portal.forms.bidding import BiddingForm
from portal.forms.bidding_facts import facts_values, form_data
from portal.forms.fields import MoneyField


class Money(Form):
    amount = MoneyField("Amount")


@pytest.mark.parametrize("typed, pounds", [("£50,000", 50_000), ("50,000", 50_000), ("50000", 50_000),
                                           ("£ 50 000", 50_000), ("50000.00", 50_000), ("", None), ("0", 0)])
def test_money_is_read_as_people_write_it(typed, pounds):
    form = Money(MultiDict({"amount": typed}))
    assert form.validate() and form.amount.data == pounds


@pytest.mark.parametrize("typed, message", [
    ("fifty", "Enter an amount in whole pounds, like £50,000"),
    ("-50", "Enter an amount in whole pounds, like £50,000"),
    ("12.50", "Enter an amount in whole pounds, like £50,000"),
    ("1e9", "Enter an amount in whole pounds, like £50,000"),
    ("100000000001", "Enter an amount no more than £100,000,000,000"),
])
def test_money_that_cannot_be_read_is_refused_and_kept(typed, message):
    form = Money(MultiDict({"amount": typed}))
    assert not form.validate()
    assert form.amount.errors == [message]
    assert form.amount.data is None and form.amount.raw_data == [typed]


@pytest.fixture
def read(app):
    def read(formdata=None, **typed):
        with app.test_request_context():
            form = BiddingForm(formdata or MultiDict(typed), meta={"csrf": False}, missions=[("food", "Food")])
            return form, form.validate()
    return read


def test_an_empty_form_is_empty_facts(read):
    form, valid = read()
    assert valid and form.facts.is_empty()


def test_rows_left_empty_are_ignored_and_lots_numbered_in_order(read):
    # As a browser sends them: every row, the empty ones too (each lot's value_basis radio starts chosen).
    form, valid = read(**{"lots-0-title": "", "lots-0-value_basis": "total", "lots-1-title": "Second row",
                          "lots-2-title": "Third row", "lots-2-value_basis": "per-year"})
    assert valid
    assert [(lot.number, lot.title) for lot in form.facts.lots] == [(1, "Second row"), (2, "Third row")]


def test_typed_values_become_facts(read):
    form, valid = read(**{
        "insurance_professional_indemnity": "£1,000,000", "consortia_welcome": "no", "may_combine": "",
        "payment_frequency": "quarterly", "criteria-0-name": "", "criteria-1-type": "price", "criteria-1-name": "Price",
        "criteria-1-weight": "100", "social_value-0-outcome": "environment", "social_value-0-wish": "Electric vans",
    })
    assert valid
    facts = form.facts
    assert [(i.kind, i.amount) for i in facts.conditions.insurance] == [("professional-indemnity", 1_000_000)]
    assert (facts.conditions.consortia_welcome, facts.conditions.may_combine) == (False, None)
    assert facts.terms.payment_frequency == "quarterly"
    assert [(c.type, c.weight) for c in facts.criteria] == [("price", 100)]
    assert [(a.outcome, a.mission) for a in facts.social_value] == [("environment", None)]


def test_problems_go_beside_their_fields_with_the_row_number(read):
    form, valid = read(**{"criteria-0-name": "", "lots-0-title": "", "criteria-1-name": "Quality", "criteria-1-weight": "50", "criteria-1-type": "quality",
                          "criteria-2-name": "Price", "criteria-2-weight": "30", "criteria-2-type": "price",
                          "lots-1-description": "No title", "insurance_public_liability": "0"})
    assert not valid and form.facts is None
    assert form.section_errors == {"criteria": ["The weights must add up to 100 (they add up to 80)"]}
    assert form.lots[1].form.title.errors == ["Lot 2: give the lot a title"]
    assert form.insurance_public_liability.errors == ["Must be more than 0"]
    assert ("criteria", "The weights must add up to 100 (they add up to 80)") in form.problems()
    assert ("lots-1-title", "Lot 2: give the lot a title") in form.problems()


def test_saved_facts_fill_the_form_and_read_back_the_same(read):
    facts = BidFacts.model_validate({
        "lots": [{"number": 3, "title": "East", "value_max": 9000, "value_basis": "per-year", "regions": ["TLI"]}],
        "max_lots_per_bidder": 1,
        "conditions": {"min_turnover": 5000, "insurance": [{"kind": "public-liability", "amount": 10}],
                       "accreditations": ["cqc"], "consortia_welcome": True},
        "terms": {"payment_days": 7, "tupe": "unlikely", "split_for_small_suppliers": False, "not_split_reason": "One site"},
        "criteria": [{"type": "quality", "name": "Q", "weight": 90}, {"type": "social-value", "name": "SV", "weight": 10}],
        "social_value": [{"outcome": "environment", "mission": "food", "wish": "Less waste"}],
    })
    pairs = []
    for name, value in form_data(facts).items():
        rows = value if isinstance(value, list) and value and isinstance(value[0], dict) else None
        for prefix, fields in ([(f"{name}-{n}-", row) for n, row in enumerate(rows)] if rows else [("", {name: value})]):
            for key, given in fields.items():
                for one in given if isinstance(given, list) else [given]:
                    if one is not None:
                        pairs.append((prefix + key, str(one)))
    form, valid = read(MultiDict(pairs))
    assert valid, form.problems()
    assert form.facts == facts


def test_suggested_criteria_fill_an_item_with_none():
    suggested = (Criterion(type="price", name="Price", weight=100),)
    assert form_data(BidFacts(), suggested)["criteria"][0]["name"] == "Price"
    own = BidFacts(criteria=[Criterion(type="quality", name="Own", weight=100)])
    assert form_data(own, suggested)["criteria"][0]["name"] == "Own"


def test_facts_values_records_where_each_row_came_from(read):
    form, _ = read(**{"criteria-0-name": "", "criteria-1-weight": "", "criteria-2-name": "Only", "criteria-2-type": "price", "criteria-2-weight": "100"})
    values, places = facts_values(form)
    assert places["criteria"] == [2] and values["criteria"][0]["name"] == "Only"
