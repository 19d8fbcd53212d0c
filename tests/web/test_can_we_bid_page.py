"""The opportunity page's "Can we bid?" facts, "How you match" for a signed-in supplier, and the profile questions
that feed it."""

import pytest
from sqlmodel import Session

from portal.auth import limiter
from portal.bidding.facts import BidFacts
from portal.models import Opportunity, Organisation
from tests.factories import make_buyer, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in

FACTS = BidFacts.model_validate({
    "lots": [
        {"number": 1, "title": "Cooking clubs", "description": "Clubs after school. <script>alert(1)</script>",
         "value_min": 40_000, "value_max": 60_000, "value_basis": "per-year", "contract_length_months": 36,
         "regions": ["TLI"]},
        {"number": 2, "title": "Holiday meals", "value_max": 100_000},
    ],
    "max_lots_per_bidder": 1,
    "conditions": {"min_turnover": 500_000, "consortia_welcome": True, "may_combine": True,
                   "insurance": [{"kind": "public-liability", "amount": 5_000_000}],
                   "accreditations": ["enhanced-dbs", "food-hygiene-5"]},
    "terms": {"payment_days": 30, "payment_frequency": "monthly", "e_invoicing": True, "tupe": "unlikely",
              "subcontracting_allowed": True, "small_firm_share": 20, "split_for_small_suppliers": True},
    "criteria": [{"type": "quality", "name": "How you will run the clubs", "weight": 60},
                 {"type": "price", "name": "Price", "weight": 30},
                 {"type": "social-value", "name": "Local jobs", "weight": 10}],
    "social_value": [{"outcome": "jobs-and-skills", "wish": "Take on local young people as cooks."}],
}).to_json()

PROFILE = {"organisation_name": "Good Food CIC", "size": "micro", "legal_form": "community-interest-company",
           "regions_served": ["TLI"], "capabilities": ["55"], "one_line": "We cook with families."}


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    limiter.reset()


@pytest.fixture
def items(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session, slug="camden", name="London Borough of Camden")
        with_facts = make_opportunity(session, buyer, slug="food-clubs", title="Food clubs", bid_facts=FACTS,
                                      value_min=120_000, value_max=180_000)
        without = make_opportunity(session, buyer, slug="no-facts", title="No facts yet")
        return buyer, with_facts, without


def facts_list(page) -> list[tuple[str, str]]:
    return [(row.dt.get_text(" ", strip=True), row.dd.get_text(" ", strip=True))
            for row in page.select("#can-we-bid-facts .govuk-summary-list__row")]


def set_profile(app, user, **values) -> None:
    with Session(app.extensions["engine"]) as session:
        organisation = session.get(Organisation, user.organisation_id)
        for name, value in values.items():
            setattr(organisation, name, value)
        session.add(organisation)
        session.commit()


def test_the_facts_come_in_order_near_the_top(client, items):
    page = soup(client.get("/opportunities/food-clubs"))
    headings = [h.get_text(strip=True) for h in page.select("h2")]
    assert headings.index("Can we bid?") < headings.index("Timeline")
    rows = facts_list(page)
    assert [key for key, _ in rows] == [
        "Value", "Lots (2)", "How many lots you may bid for", "Minimum yearly turnover", "Insurance",
        "Registrations and certificates", "Bidding as a group", "Payment", "Sending invoices electronically",
        "Staff moving to the new supplier (TUPE)", "Subcontracting", "Split to suit small suppliers"]
    values = dict(rows)
    assert values["Value"] == "£120,000 to £180,000 in total"
    assert "Lot 1: Cooking clubs" in values["Lots (2)"]
    assert "Value: £40,000 to £60,000 a year (£120,000 to £180,000 in total over 3 years)" in values["Lots (2)"]
    assert "Length: 3 years" in values["Lots (2)"] and "Where: London" in values["Lots (2)"]
    assert "Value: £100,000 in total" in values["Lots (2)"]
    assert values["Minimum yearly turnover"] == "At least £500,000"
    assert values["Insurance"] == "Public liability insurance: £5 million"
    assert values["Payment"] == "Paid within 30 days of a correct invoice Paid every month"
    assert "20% of the contract's value" in values["Subcontracting"]
    criteria = [[cell.get_text(strip=True) for cell in row.select("th, td")]
                for row in page.select("#can-we-bid-criteria tbody tr")]
    assert criteria == [["How you will run the clubs", "Quality", "60%"], ["Price", "Price", "30%"],
                        ["Local jobs", "Social value", "10%"]]
    assert "Take on local young people as cooks." in page.select_one("#can-we-bid-social-value").find_next("ul").get_text()
    assert page.select_one("#can-we-bid-not-said") is None


def test_lot_text_is_escaped(client, items):
    html = client.get("/opportunities/food-clubs").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_opportunity_without_facts_says_so_in_one_line(client, items):
    page = soup(client.get("/opportunities/no-facts"))
    assert [key for key, _ in facts_list(page)] == ["Value"]
    assert page.select_one("#can-we-bid-not-said").get_text(strip=True) == (
        "The buyer has not said yet who can bid, what bidders need or how bids will be judged.")
    assert page.select_one("#can-we-bid-criteria") is None


def test_stored_facts_that_no_longer_pass_the_rules_show_as_none(app, client, items):
    with Session(app.extensions["engine"]) as session:
        item = session.get(Opportunity, items[2].id)
        item.bid_facts = {"criteria": [{"type": "price", "name": "Price", "weight": 40}]}  # weights must add to 100
        session.add(item)
        session.commit()
    response = client.get("/opportunities/no-facts")
    assert response.status_code == 200
    assert "The buyer has not said yet who can bid" in soup(response).select_one("#can-we-bid-not-said").get_text()


def test_signed_out_visitors_are_invited_to_sign_in(client, items):
    page = soup(client.get("/opportunities/food-clubs"))
    assert page.select_one("#how-you-match") is None
    invite = page.select_one("#how-you-match-sign-in")
    assert "Sign in to see how your organisation matches" in invite.get_text(" ", strip=True)
    assert invite.a["href"] == "/sign-in?next=/opportunities/food-clubs"


def test_a_buyer_sees_no_match_and_no_invitation(app, client, items):
    buyer, _, _ = items
    make_buyer_user(app, buyer, "buyer@camden.example.org")
    sign_in(client, "buyer@camden.example.org")
    page = soup(client.get("/opportunities/food-clubs"))
    assert page.select_one("#how-you-match") is None and page.select_one("#how-you-match-sign-in") is None


def results(page) -> dict[str, tuple[str, str, list[str]]]:
    found = {}
    for item in page.select("#how-you-match-results > li"):
        condition, status = item.h4.get_text(strip=True).split(":", 1)
        found[condition] = (status.strip(), item.p.get_text(strip=True),
                            [li.get_text(" ", strip=True) for li in item.select("ul li")])
    return found


def test_a_supplier_sees_how_they_match_in_words_with_advice(app, client, items):
    user = make_supplier(app)
    set_profile(app, user, turnover_band="100k-500k", joins_consortia=True, accreditations=["enhanced-dbs"],
                insurance=[{"kind": "public-liability", "amount": 2_000_000}])
    sign_in(client)
    page = soup(client.get("/opportunities/food-clubs"))
    found = results(page)
    assert list(found) == ["Where the work is", "Suitable for", "Turnover", "Public liability insurance",
                           "Enhanced DBS checks for staff", "Food hygiene rating of 5", "Bidding as a group"]
    assert found["Where the work is"][0] == "You meet this"
    status, sentence, advice = found["Turnover"]
    assert status == "You do not meet this yet"
    assert sentence == ("This needs a yearly turnover of at least £500,000. You told us yours is £100,000 to "
                        "£499,999.")
    assert advice[0] == "Bid together with other organisations: the buyer says a group may meet the conditions together."
    assert "the buyer allows subcontracting, and wants 20% of the value" in advice[1]
    assert advice[2] == "Small organisations often win work by teaming up with others. Read our guide to bidding together"
    guide = page.find("a", string="Read our guide to bidding together")
    assert guide["href"] == "/guidance/bidding-together"
    assert found["Public liability insurance"][1] == (
        "This needs £5 million public liability insurance; you told us you hold £2 million.")
    assert found["Enhanced DBS checks for staff"][0] == "You meet this"
    assert found["Food hygiene rating of 5"][0] == "You do not meet this yet"
    assert found["Bidding as a group"][0] == "You meet this"
    assert "Tell us about your organisation to see how you match" not in page.get_text()


def test_a_supplier_who_has_not_said_is_asked_to_add_it_to_their_profile(app, client, items):
    make_supplier(app)
    sign_in(client)
    page = soup(client.get("/opportunities/food-clubs"))
    status, sentence, advice = results(page)["Turnover"]
    assert status == "Not known yet"
    assert advice == ["Add it to your profile to see whether you match. Update your organisation's profile"]
    invite = page.find("a", string="Tell us about your organisation to see how you match")
    assert invite["href"] == "/organisation#how-you-match"


def test_a_supplier_on_an_opportunity_without_facts_is_compared_on_region_only(app, client, items):
    make_supplier(app)
    sign_in(client)
    page = soup(client.get("/opportunities/no-facts"))
    assert list(results(page)) == ["Where the work is", "Suitable for"]


# The profile questions

def profile_page(client, data: dict, status: int):
    response = post(client, "/organisation", {**PROFILE, **data})
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response


def saved(app, user) -> Organisation:
    with Session(app.extensions["engine"]) as session:
        return session.get(Organisation, user.organisation_id)


def test_the_profile_asks_the_bidding_questions_and_sign_up_does_not(app, client):
    assert soup(client.get("/sign-up")).select_one("#turnover_band") is None
    make_supplier(app)
    sign_in(client)
    page = soup(client.get("/organisation"))
    for field in ("turnover_band", "staff_count", "insurance_employers_liability", "insurance_public_liability",
                  "insurance_professional_indemnity", "accreditations", "joins_consortia"):
        assert page.select_one(f"#{field}") is not None, field
    assert [r["value"] for r in page.select('input[name="joins_consortia"]')] == ["yes", "no", "not-sure"]
    assert len(page.select('input[name="accreditations"]')) == 14


@pytest.mark.parametrize("typed, pounds", [("£2,000,000", 2_000_000), ("2000000", 2_000_000),
                                           ("2,000,000", 2_000_000), ("£5 million", 5_000_000)])
def test_the_profile_saves_and_shows_back_the_bidding_answers(app, client, typed, pounds):
    user = make_supplier(app)
    sign_in(client)
    response = profile_page(client, {
        "turnover_band": "500k-2m", "staff_count": " 12 ", "insurance_public_liability": typed,
        "insurance_employers_liability": "", "accreditations": ["cyber-essentials", "enhanced-dbs"],
        "joins_consortia": "no"}, 303)
    assert response.headers["Location"] == "/organisation"
    organisation = saved(app, user)
    assert organisation.turnover_band == "500k-2m" and organisation.staff_count == 12
    assert organisation.insurance == [{"kind": "public-liability", "amount": pounds}]
    assert organisation.accreditations == ["cyber-essentials", "enhanced-dbs"]
    assert organisation.joins_consortia is False
    page = soup(client.get("/organisation"))
    assert page.select_one('input[name="turnover_band"][checked]')["value"] == "500k-2m"
    assert page.select_one("#staff_count")["value"] == "12"
    assert page.select_one("#insurance_public_liability")["value"] == f"£{pounds:,}"
    assert page.select_one("#insurance_employers_liability")["value"] == ""
    assert [c["value"] for c in page.select('input[name="accreditations"][checked]')] == ["cyber-essentials", "enhanced-dbs"]
    assert page.select_one('input[name="joins_consortia"][checked]')["value"] == "no"


def test_the_bidding_answers_are_optional_and_can_be_cleared(app, client):
    user = make_supplier(app)
    set_profile(app, user, turnover_band="2m-10m", staff_count=4, joins_consortia=True, accreditations=["cqc"],
                insurance=[{"kind": "public-liability", "amount": 1_000_000}])
    sign_in(client)
    profile_page(client, {"joins_consortia": "not-sure"}, 303)
    organisation = saved(app, user)
    assert (organisation.turnover_band, organisation.staff_count, organisation.insurance,
            organisation.accreditations, organisation.joins_consortia) == (None, None, [], [], None)


@pytest.mark.parametrize("field, value, message", [
    ("staff_count", "twelve", "Enter the number of staff as a whole number, like 12, from 0 to 2,000,000"),
    ("staff_count", "-3", "Enter the number of staff as a whole number, like 12, from 0 to 2,000,000"),
    ("staff_count", "2.5", "Enter the number of staff as a whole number, like 12, from 0 to 2,000,000"),
    ("staff_count", "9" * 40, "Enter the number of staff as a whole number, like 12, from 0 to 2,000,000"),
    ("staff_count", "²", "Enter the number of staff as a whole number, like 12, from 0 to 2,000,000"),
    ("insurance_public_liability", "lots", "Enter your public liability insurance in pounds, like £5,000,000, or leave it empty"),
    ("insurance_public_liability", "-5000", "Enter your public liability insurance in pounds, like £5,000,000, or leave it empty"),
    ("insurance_public_liability", "0", "Enter your public liability insurance in pounds, like £5,000,000, or leave it empty"),
    ("insurance_employers_liability", "9" * 200, "Enter your employer's liability insurance in pounds, like £5,000,000, or leave it empty"),
    ("insurance_professional_indemnity", "£<b>5</b>", "Enter your professional indemnity insurance in pounds, like £5,000,000, or leave it empty"),
    ("turnover_band", "a-billion", "Choose your turnover from the options shown"),
    ("turnover_band", "<script>alert(1)</script>", "Choose your turnover from the options shown"),
    ("joins_consortia", "maybe", "Choose yes, no or not sure"),
    ("accreditations", "nasa-approved", "Choose from the options shown"),
])
def test_the_profile_refuses_bad_bidding_answers_and_keeps_what_was_typed(app, client, field, value, message):
    user = make_supplier(app)
    sign_in(client)
    response = profile_page(client, {field: value, "staff_count": "7" if field != "staff_count" else value}, 400)
    page = soup(response)
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [message]
    assert page.select_one(".govuk-error-summary a")["href"] == f"#{field}"
    if field.startswith("insurance") or field == "staff_count":
        assert page.select_one(f"#{field}")["value"] == value  # kept as typed, escaped on the page
    assert page.select_one("#staff_count")["value"] == ("7" if field != "staff_count" else value)
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert saved(app, user).staff_count is None


def test_only_a_signed_in_supplier_can_change_a_profile(app, client, items):
    response = post(client, "/organisation", {**PROFILE, "turnover_band": "over-50m"})
    assert response.status_code in (302, 303) and "/sign-in" in response.headers["Location"]
    buyer, _, _ = items
    make_buyer_user(app, buyer, "buyer@camden.example.org")
    sign_in(client, "buyer@camden.example.org")
    assert post(client, "/organisation", {**PROFILE, "turnover_band": "over-50m"}).status_code == 403


def test_the_dashboard_invites_suppliers_to_add_the_bidding_details(app, client):
    user = make_supplier(app)
    sign_in(client)
    invite = soup(client.get("/dashboard")).select_one("#how-you-match-invite")
    assert invite.a["href"] == "/organisation#how-you-match"
    set_profile(app, user, turnover_band="under-100k")
    assert soup(client.get("/dashboard")).select_one("#how-you-match-invite") is None


def test_the_guide_to_bidding_together_is_published(content_app):
    page = soup(content_app.test_client().get("/guidance/bidding-together"))
    assert page.h1.get_text(strip=True) == "Bidding together"
    text = page.select_one("main").get_text(" ")
    for words in ("consortium", "subcontractor", "prime contractor", "jointly and severally liable",
                  "Open to partnering"):
        assert words in text, words


def test_no_minimum_turnover_is_said_and_differs_from_not_saying(app, client, items):
    buyer, _, _ = items
    with Session(app.extensions["engine"]) as session:
        make_opportunity(session, session.merge(buyer), slug="no-minimum", title="No minimum",
                         bid_facts={"conditions": {"min_turnover": 0}})
    values = dict(facts_list(soup(client.get("/opportunities/no-minimum"))))
    assert values["Minimum yearly turnover"] == "None: the buyer asks for no minimum turnover"
    assert "the turnover bidders need" not in client.get("/opportunities/no-minimum").get_data(as_text=True)
    assert "Minimum yearly turnover" not in dict(facts_list(soup(client.get("/opportunities/no-facts"))))
