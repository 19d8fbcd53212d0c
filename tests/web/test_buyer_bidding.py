"""Buyers say whether a small supplier can realistically bid: lots, conditions, terms, how bids are judged and
social value asks, on the "Can we bid?" page of their own items only."""

import pytest
from sqlmodel import Session, select

from portal.bidding.facts import facts_of
from portal.models import Follow, Notification, Opportunity, OpportunityVersion, Status
from tests.factories import make_buyer, make_mission, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in

CRITERIA = {
    "criteria-0-type": "quality", "criteria-0-name": "Quality", "criteria-0-weight": "50",
    "criteria-1-type": "price", "criteria-1-name": "Price", "criteria-1-weight": "40",
    "criteria-2-type": "social-value", "criteria-2-name": "Social value", "criteria-2-weight": "10",
}
EVERYTHING = {
    **CRITERIA,
    "lots-0-title": "North of the borough", "lots-0-description": "Lunches for 20 schools in the north.",
    "lots-0-value_min": "£50,000", "lots-0-value_max": "80,000", "lots-0-value_basis": "per-year",
    "lots-0-contract_length_months": "36", "lots-0-regions": ["TLI"],
    "lots-1-title": "South of the borough", "lots-1-value_max": "90000",
    "max_lots_per_bidder": "1",
    "min_turnover": "£100,000", "insurance_public_liability": "£5,000,000", "insurance_employers_liability": "5000000",
    "accreditations": ["food-hygiene-5", "enhanced-dbs"], "other_accreditations": "A kitchen we can visit.",
    "consortia_welcome": "yes", "may_combine": "no",
    "payment_days": "14", "payment_frequency": "monthly", "e_invoicing": "no", "tupe": "likely",
    "subcontracting_allowed": "yes", "small_firm_share": "25", "reserved_for": ["vcse"],
    "split_for_small_suppliers": "yes",
    "social_value-0-outcome": "jobs-and-skills", "social_value-0-mission": "food",
    "social_value-0-wish": "Paid placements for 5 young people from the estate.",
}


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        kent = make_buyer(session, slug="kent", name="Kent County Council", org_type="county-council", region="TLJ")
        food = make_mission(session, owner=camden, slug="food", short_title="Food")
        item = make_opportunity(session, camden, missions=[food], slug="school-meals", title="School meals")
        draft = make_opportunity(session, camden, missions=[food], slug="camden-draft", title="A draft", status=Status.DRAFT)
        kents_item = make_opportunity(session, kent, slug="kent-item", title="Kent's own item")
    make_buyer_user(app, camden, "cam@camden.example.org")
    return {"item": item, "draft": draft, "kents_item": kents_item}


@pytest.fixture
def camden(app, world):
    client = app.test_client()
    sign_in(client, "cam@camden.example.org")
    return client


def page_of(opportunity) -> str:
    return f"/buyer/opportunities/{opportunity.id}/bidding"


def stored(app, opportunity):
    with Session(app.extensions["engine"]) as session:
        return facts_of(session.get(Opportunity, opportunity.id))


def stored_item(app, opportunity) -> Opportunity:
    with Session(app.extensions["engine"]) as session:
        return session.get(Opportunity, opportunity.id)


def errors(response) -> list[str]:
    return [a.get_text(" ", strip=True) for a in soup(response).select(".govuk-error-summary__list a")]


def test_the_page_starts_with_the_templates_suggested_criteria(camden, world):
    page = soup(camden.get(page_of(world["draft"])))
    assert page.select_one("h1").get_text(strip=True) == "A draft"
    assert page.select_one("#criteria-0-name")["value"] == "How well it would work"
    assert page.select_one("#criteria-2-weight")["value"] == "10"
    assert page.select_one("#criteria-2-type option[selected]")["value"] == "social-value"
    assert len(page.select("fieldset legend:-soup-contains('Lot ')")) == 3
    assert page.select_one("#plain-checker")
    assert "suggested" in page.select_one("#criteria-suggested").get_text()


def test_every_section_is_saved_and_shown_back(app, camden, world):
    response = post(camden, page_of(world["draft"]), EVERYTHING)
    assert response.status_code == 303, errors(camden.post(page_of(world["draft"]), data=EVERYTHING))
    facts = stored(app, world["draft"])
    north, south = facts.lots
    assert (north.number, north.value_min, north.value_max, north.value_basis, north.regions) == (1, 50_000, 80_000, "per-year", ["TLI"])
    assert (south.number, south.value_max) == (2, 90_000)
    assert facts.max_lots_per_bidder == 1
    assert facts.conditions.min_turnover == 100_000
    assert {(i.kind, i.amount) for i in facts.conditions.insurance} == {("public-liability", 5_000_000), ("employers-liability", 5_000_000)}
    assert facts.conditions.accreditations == ["food-hygiene-5", "enhanced-dbs"]
    assert (facts.conditions.consortia_welcome, facts.conditions.may_combine) == (True, False)
    assert (facts.terms.payment_days, facts.terms.payment_frequency, facts.terms.e_invoicing, facts.terms.tupe) == (14, "monthly", False, "likely")
    assert (facts.terms.small_firm_share, facts.terms.reserved_for, facts.terms.split_for_small_suppliers) == (25, ["vcse"], True)
    assert [c.weight for c in facts.criteria] == [50, 40, 10]
    assert [(a.outcome, a.mission) for a in facts.social_value] == [("jobs-and-skills", "food")]
    assert facts.warnings() == []

    page = soup(camden.get(page_of(world["draft"])))
    assert page.select_one(".govuk-notification-banner--success")
    assert page.select_one("#lots-0-value_min")["value"] == "£50,000"
    assert page.select_one("#lots-0-value_basis-2").has_attr("checked")
    assert page.select_one("#insurance_public_liability")["value"] == "£5,000,000"
    assert page.select_one("input[name=consortia_welcome][value=yes]").has_attr("checked")
    assert page.select_one("input[name=accreditations][value=enhanced-dbs]").has_attr("checked")
    assert page.select_one("#social_value-0-mission option[selected]")["value"] == "food"
    assert "estate" in page.select_one("#social_value-0-wish").get_text()


def test_empty_answers_clear_the_facts(app, camden, world):
    post(camden, page_of(world["draft"]), EVERYTHING)
    response = post(camden, page_of(world["draft"]), {"consortia_welcome": "", "split_for_small_suppliers": ""})
    assert response.status_code == 303
    assert stored(app, world["draft"]).is_empty()


@pytest.mark.parametrize("weights, total", [(("50", "30", "10"), 90), (("60", "40", "10"), 110)])
def test_weights_must_add_up_to_100(app, camden, world, weights, total):
    data = {**CRITERIA, **{f"criteria-{n}-weight": w for n, w in enumerate(weights)}, "criteria-0-name": "Kept <b>as typed</b>"}
    response = post(camden, page_of(world["draft"]), data)
    assert response.status_code == 400
    assert errors(response) == [f"The weights must add up to 100 (they add up to {total})"]
    page = soup(response)
    assert page.select_one("#criteria-0-name")["value"] == "Kept <b>as typed</b>"
    assert "<b>" not in str(page.select_one("#criteria-0-name").parent)  # escaped, never markup
    assert stored(app, world["draft"]).is_empty()


def test_social_value_under_10_per_cent_is_saved_with_a_warning(app, camden, world):
    data = {**CRITERIA, "criteria-0-weight": "55", "criteria-2-weight": "5"}
    response = post(camden, page_of(world["draft"]), data)
    assert response.status_code == 303
    assert stored(app, world["draft"]).social_value_weight() == 5
    page = soup(camden.get(response.headers["Location"]))
    banner = page.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert "Saved, with a warning" in banner and "5%" in banner and "at least 10%" in banner
    assert "5%" in page.select_one("#criteria-warning").get_text()

    post(camden, page_of(world["draft"]), CRITERIA)
    page = soup(camden.get(page_of(world["draft"])))
    assert page.select_one("#criteria-warning") is None


@pytest.mark.parametrize("typed", ["£50,000", "50,000", "50000", " £50,000 "])
def test_money_is_read_as_people_write_it(app, camden, world, typed):
    response = post(camden, page_of(world["draft"]), {"min_turnover": typed})
    assert response.status_code == 303
    assert stored(app, world["draft"]).conditions.min_turnover == 50_000


@pytest.mark.parametrize("field, typed, message", [
    ("min_turnover", "fifty thousand", "Enter an amount in whole pounds, like £50,000"),
    ("min_turnover", "-5", "Enter an amount in whole pounds, like £50,000"),
    ("min_turnover", "999999999999999999", "Enter an amount no more than £100,000,000,000"),
    ("insurance_public_liability", "0", "Must be more than 0"),
    ("payment_days", "abc", "Enter a whole number from 0 to 120"),
    ("payment_days", "121", "Enter a whole number from 0 to 120"),
    ("small_firm_share", "1000000000000000000000", "Enter a whole number from 0 to 100"),
    ("small_firm_share", "101", "Enter a whole number from 0 to 100"),
    ("lots-0-value_min", "£12.50", "Enter an amount in whole pounds, like £50,000"),
    ("criteria-0-weight", "ten", "Enter a whole number from 0 to 100"),
])
def test_bad_numbers_are_refused_and_kept_as_typed(app, camden, world, field, typed, message):
    response = post(camden, page_of(world["draft"]), {field: typed, "lots-0-title": "A lot"})
    assert response.status_code == 400
    assert message in " ".join(errors(response)) or message in soup(response).get_text(" ")
    assert soup(response).select_one(f"#{field}")["value"] == typed
    assert stored(app, world["draft"]).is_empty()


@pytest.mark.parametrize("data, message", [
    ({"accreditations": ["made-up-badge"]}, "Choose from the options shown"),
    ({"reserved_for": ["friends"]}, "Choose from the options shown"),
    ({"social_value-0-outcome": "world-peace", "social_value-0-wish": "Peace"}, "Not a valid choice"),
    ({"social_value-0-outcome": "jobs-and-skills", "social_value-0-mission": "kents-mission", "social_value-0-wish": "Jobs"},
     "Not a valid choice"),
    ({"tupe": "maybe"}, "Not a valid choice"),
    ({"consortia_welcome": "perhaps"}, "Not a valid choice"),
    ({"lots-0-title": "A lot", "lots-0-value_min": "9000", "lots-0-value_max": "10"},
     "Lot 1: the lowest value must not be more than the highest value"),
    ({"lots-0-description": "Some words"}, "Lot 1: give the lot a title"),
    ({"lots-0-title": "A lot", "lots-0-description": "word " * 61}, "Lot 1: must be 60 words or fewer (it has 61)"),
    ({"lots-0-title": "One", "lots-1-title": "Two", "lots-1-number": "1"}, "Each lot needs its own number"),
    ({"max_lots_per_bidder": "2", "lots-0-title": "One"}, "Must not be more than the number of lots"),
    ({"criteria-0-name": "Quality", "criteria-0-weight": "100"}, "Criterion 1: choose a type"),
    ({"social_value-0-outcome": "jobs-and-skills"}, "Social value ask 1: say what you would like to see"),
    ({"subcontracting_allowed": "no", "small_firm_share": "20"}, "A share for smaller firms needs subcontracting to be allowed"),
    ({"split_for_small_suppliers": "yes", "not_split_reason": "Too hard"}, "Give a reason only when the contract is not split"),
    ({"other_accreditations": "x" * 601}, "Keep it to 600 characters or fewer"),
    ({"other_accreditations": "<script>alert(1)</script>" * 30}, "Keep it to 600 characters or fewer"),
])
def test_bad_answers_are_explained(app, camden, world, data, message):
    response = post(camden, page_of(world["draft"]), data)
    assert response.status_code == 400
    assert any(message in text for text in errors(response)), errors(response)
    assert "<script>alert" not in response.get_data(as_text=True)
    assert stored(app, world["draft"]).is_empty()


def test_html_in_text_is_kept_as_text(app, camden, world):
    data = {"other_accreditations": "<script>alert(1)</script> A licence"}
    assert post(camden, page_of(world["draft"]), data).status_code == 303
    assert stored(app, world["draft"]).conditions.other_accreditations == "<script>alert(1)</script> A licence"
    assert "<script>alert(1)" not in camden.get(page_of(world["draft"])).get_data(as_text=True)


def test_add_another_row_without_javascript(app, camden, world):
    response = post(camden, page_of(world["draft"]), {"add": "lots", "lots-0-title": "Kept"})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#lots-3-title") is not None and page.select_one("#lots-0-title")["value"] == "Kept"
    assert stored(app, world["draft"]).is_empty()
    page = soup(post(camden, page_of(world["draft"]), {"add": "social_value"}))
    assert page.select_one("#social_value-2-mission option[value=food]") is not None


def test_missing_csrf_is_refused(app, camden, world):
    response = camden.post(page_of(world["draft"]), data={"min_turnover": "5"})
    assert response.status_code == 400
    assert stored(app, world["draft"]).is_empty()


def notices(app, user_id) -> list[Notification]:
    with Session(app.extensions["engine"]) as session:
        return list(session.exec(select(Notification).where(Notification.user_id == user_id)
                                 .order_by(Notification.id)).all())


def publish_changes(client, opportunity) -> None:
    assert post(client, f"/buyer/opportunities/{opportunity.id}/changes").status_code == 303


def test_followers_of_a_published_item_hear_what_changed_once_it_is_published(app, camden, world):
    supplier = make_supplier(app)
    with Session(app.extensions["engine"]) as session:
        session.add(Follow(user_id=supplier.id, opportunity_id=world["item"].id))
        session.commit()
    assert post(camden, page_of(world["item"]), CRITERIA).status_code == 303
    page = soup(camden.get(page_of(world["item"])))
    assert "The public page will not change until you publish" in page.select_one(".govuk-notification-banner").get_text()
    assert "You have changes that are not published yet" in page.select_one("#pending").get_text()
    assert facts_of(stored_item(app, world["item"])).is_empty(), "the public still sees the published facts"
    assert page.select_one("#criteria-0-name")["value"], "the editor shows the draft"
    assert notices(app, supplier.id) == []

    review = soup(camden.get(f"/buyer/opportunities/{world['item'].id}/changes"))
    assert "How bids will be judged has changed" in review.select_one("#changes-to-publish").get_text()
    publish_changes(camden, world["item"])
    [notice] = notices(app, supplier.id)
    with Session(app.extensions["engine"]) as session:
        versions = session.exec(select(OpportunityVersion).where(OpportunityVersion.opportunity_id == world["item"].id)).all()
    assert notice.details == "How bids will be judged has changed."
    assert [v.changes for v in versions] == [["How bids will be judged has changed"]]
    assert facts_of(stored_item(app, world["item"])).criteria

    post(camden, page_of(world["item"]), {**CRITERIA, "min_turnover": "1000"})
    publish_changes(camden, world["item"])
    assert notices(app, supplier.id)[-1].details == "What suppliers need to take part has changed."


def test_saving_the_same_facts_again_tells_nobody(app, camden, world):
    supplier = make_supplier(app)
    with Session(app.extensions["engine"]) as session:
        session.add(Follow(user_id=supplier.id, opportunity_id=world["item"].id))
        session.commit()
    post(camden, page_of(world["item"]), CRITERIA)
    post(camden, page_of(world["item"]), CRITERIA)
    publish_changes(camden, world["item"])
    post(camden, page_of(world["item"]), CRITERIA)
    assert stored_item(app, world["item"]).pending is None, "the same facts as published are no change"
    assert len(notices(app, supplier.id)) == 1


def test_only_the_owner_may_see_or_change_the_facts(app, client, camden, world):
    kents = page_of(world["kents_item"])
    assert camden.get(kents).status_code == 404
    assert post(camden, kents, CRITERIA).status_code == 404
    assert camden.get("/buyer/opportunities/999999/bidding").status_code == 404
    assert stored(app, world["kents_item"]).is_empty()

    assert client.get(page_of(world["item"])).status_code == 302  # signed out: to sign in
    make_supplier(app)
    sign_in(client)
    assert client.get(page_of(world["item"])).status_code == 403
    assert post(client, page_of(world["item"]), CRITERIA).status_code == 403


def test_linked_from_the_item_page_and_the_preview(camden, world):
    link = page_of(world["item"])
    for path in (f"/buyer/opportunities/{world['item'].id}", f"/buyer/opportunities/{world['item'].id}/preview"):
        assert soup(camden.get(path)).select_one(f'a[href="{link}"]') is not None
