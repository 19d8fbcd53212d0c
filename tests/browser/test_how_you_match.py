"""A micro CIC tells the portal its turnover, staff, insurance and consortium answer by keyboard, then reads on an
opportunity how it matches: the turnover is not met, and the advice says how to bid anyway."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.bidding.facts import BidFacts
from portal.models import Opportunity
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import fits_a_small_screen, no_violations, type_into
from tests.web.helpers import PASSWORD, make_supplier

SLUG = "camden-local-low-carbon-food-supply"
FACTS = BidFacts.model_validate({
    "lots": [{"number": 1, "title": "Fruit and vegetables", "value_max": 80_000, "value_basis": "per-year",
              "contract_length_months": 24, "regions": ["TLI"]},
             {"number": 2, "title": "Bread and bakery", "value_max": 40_000, "regions": ["TLI", "TLJ"]}],
    "conditions": {"min_turnover": 250_000, "consortia_welcome": True, "may_combine": True,
                   "insurance": [{"kind": "public-liability", "amount": 2_000_000}]},
    "terms": {"payment_days": 14, "subcontracting_allowed": True, "split_for_small_suppliers": True},
    "criteria": [{"type": "quality", "name": "Freshness and delivery plan, with a long name that has to wrap",
                  "weight": 50}, {"type": "price", "name": "Price", "weight": 35},
                 {"type": "social-value", "name": "Less carbon and waste", "weight": 15}],
    "social_value": [{"outcome": "environment", "wish": "Deliver by bike or electric van where you can."}],
}).to_json()


@pytest.fixture(scope="module")
def facts_on_a_seeded_opportunity(content_app):
    """The seeded content has no facts yet: give one opportunity some, and take them away afterwards."""
    make_supplier(content_app, email="tiny-kitchen@example.org", organisation="Tiny Kitchen CIC")
    engine = content_app.extensions["engine"]
    with Session(engine) as session:
        item = session.exec(select(Opportunity).where(Opportunity.slug == SLUG)).one()
        before, item.bid_facts = item.bid_facts, FACTS
        session.add(item)
        session.commit()
    yield
    with Session(engine) as session:
        item = session.exec(select(Opportunity).where(Opportunity.slug == SLUG)).one()
        item.bid_facts = before
        session.add(item)
        session.commit()


def check(page: Page) -> None:
    no_violations(page)
    fits_a_small_screen(page)


def test_a_micro_cic_fills_its_profile_by_keyboard_and_reads_how_it_matches(page: Page, facts_on_a_seeded_opportunity):
    page.goto(f"/opportunities/{SLUG}")
    expect(page.locator("#can-we-bid")).to_have_text("Can we bid?")
    expect(page.locator("#how-you-match-sign-in")).to_contain_text("Sign in to see how your organisation matches")
    check(page)

    page.goto("/sign-in")
    type_into(page, "#email", "tiny-kitchen@example.org")
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    tab_to_text(page, "Tell us about your organisation to see how you match")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation's profile")
    check(page)

    tab_to(page, "#turnover_band")  # the first band: under £100,000
    page.keyboard.press("Space")
    type_into(page, "#staff_count", "three")
    type_into(page, "#insurance_public_liability", "£1,000,000")
    tab_to(page, "#joins_consortia")  # Yes
    page.keyboard.press("Space")
    tab_to_text(page, "Save profile")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the number of staff as a whole number")
    expect(page.locator("#insurance_public_liability")).to_have_value("£1,000,000")
    expect(page.get_by_label("Under £100,000")).to_be_checked()
    check(page)

    tab_to(page, "#staff_count")
    page.keyboard.press("Control+a")
    page.keyboard.type("3")
    tab_to_text(page, "Save profile")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("profile has been saved")
    expect(page.locator("#staff_count")).to_have_value("3")
    expect(page.locator("#insurance_public_liability")).to_have_value("£1,000,000")

    page.goto(f"/opportunities/{SLUG}")
    results = page.locator("#how-you-match-results")
    turnover = results.locator("li.portal-match", has_text="Turnover")
    expect(turnover.locator("h4")).to_have_text("Turnover: You do not meet this yet")
    expect(turnover).to_contain_text("This needs a yearly turnover of at least £250,000. You told us yours is under £100,000.")
    expect(turnover).to_contain_text("Bid together with other organisations: the buyer says a group may meet the conditions together.")
    expect(turnover).to_contain_text("Offer to work for the winning supplier as a subcontractor")
    insurance = results.locator("li.portal-match", has_text="Public liability insurance")
    expect(insurance.locator("h4")).to_have_text("Public liability insurance: You do not meet this yet")
    expect(results.locator("li.portal-match", has_text="Where the work is").locator("h4")).to_contain_text("You meet this")
    expect(results.locator("li.portal-match", has_text="Bidding as a group").locator("h4")).to_contain_text("You meet this")
    check(page)

    turnover.get_by_role("link", name="Read our guide to bidding together").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bidding together")
    check(page)
