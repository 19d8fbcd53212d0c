"""A two-person community interest company finds opportunities it could bid for: it filters for groups welcome and
no minimum turnover, opens one, reads how it matches (its insurance falls short, with advice), and registers
interest. By keyboard, checked with axe-core and at 320 px."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import Organisation, User
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import fits_a_small_screen, no_violations, type_into
from tests.web.helpers import PASSWORD, make_supplier

EMAIL = "two-of-us@example.org"
TITLE = "Help older people in Hackney feel less lonely"


@pytest.fixture(scope="module")
def micro_cic(content_app):
    """A micro CIC in London that has told the portal its turnover and its £500,000 public liability insurance."""
    make_supplier(content_app, email=EMAIL, organisation="Two Of Us CIC")
    with Session(content_app.extensions["engine"]) as session:
        user = session.exec(select(User).where(User.email == EMAIL)).one()
        organisation = session.get(Organisation, user.organisation_id)
        organisation.turnover_band = "under-100k"
        organisation.staff_count = 2
        organisation.insurance = [{"kind": "public-liability", "amount": 500_000}]
        organisation.joins_consortia = True
        session.add(organisation)
        session.commit()


def test_a_micro_cic_finds_what_it_could_bid_for_reads_how_it_matches_and_registers_interest(page: Page, micro_cic):
    page.goto("/sign-in")
    type_into(page, "#email", EMAIL)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")

    page.goto("/search?q=lonely")
    tab_to_text(page, "Can we bid?")
    page.keyboard.press("Enter")  # opens the details
    tab_to(page, "#min_turnover")
    page.get_by_label("Minimum turnover asked for").select_option("none")
    expect(page).to_have_url(re.compile(r"min_turnover=none"))
    tab_to(page, "#consortia")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"consortia=yes"))
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    no_violations(page)
    fits_a_small_screen(page)

    tab_to_text(page, TITLE)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    facts = page.locator("#can-we-bid-facts")
    expect(facts).to_contain_text("None: the buyer asks for no minimum turnover")
    expect(facts).to_contain_text("Organisations may bid together as a group")

    match = page.locator("#how-you-match-results")
    insurance = match.locator("li.portal-match", has_text="Public liability insurance")
    expect(insurance.locator("h4")).to_have_text("Public liability insurance: You do not meet this yet")
    expect(insurance).to_contain_text("This needs £1 million public liability insurance; you told us you hold £500,000.")
    expect(insurance).to_contain_text("Ask your insurer or broker what it would cost")
    expect(insurance.get_by_role("link", name="Read our guide to bidding together")).to_be_visible()
    expect(match.locator("li.portal-match", has_text="Where the work is").locator("h4")).to_contain_text("You meet this")
    no_violations(page)
    fits_a_small_screen(page)

    first_answer = page.locator("form[action$='/interest'] textarea").first
    tab_to(page, f"#{first_answer.get_attribute('id')}")
    page.keyboard.type("We run a weekly lunch club in Clapton for 30 older neighbours.")
    tab_to_text(page, "Send to the buyer")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sent to")
    expect(page.locator("#interest-status")).to_contain_text("Sent to the buyer on")
    no_violations(page)
    fits_a_small_screen(page)
