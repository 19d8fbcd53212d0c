"""A council commissioner, by keyboard only: asks for a daily summary instead of an email each time, then closes
engagement on a planned purchase after confirming it; the public page says engagement has closed and what happens
next, and fits a small screen."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import Opportunity, Organisation, User
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import no_violations, type_into
from tests.web.helpers import PASSWORD, make_buyer_user

SLUG = "camden-local-low-carbon-food-supply"
TITLE = "Local, low-carbon food for council kitchens and day centres"


@pytest.fixture(scope="module")
def commissioner(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
    return make_buyer_user(content_app, camden, "food.buyer@camden.example.org")


def test_commissioner_chooses_a_daily_summary_and_closes_engagement_by_keyboard(page: Page, content_app, commissioner):
    page.goto("/sign-in")
    type_into(page, "#email", "food.buyer@camden.example.org")
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your opportunities")
    expect(page.locator("main")).to_contain_text("We will email you straight away")

    tab_to_text(page, "Email settings")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your email settings")
    no_violations(page)
    tab_to(page, "#update_emails")  # the chosen option, "Straight away"
    page.keyboard.press("ArrowDown")
    expect(page.locator("#update_emails-2")).to_be_checked()
    tab_to_text(page, "Save")
    page.keyboard.press("Enter")
    expect(page.locator("#confirmation")).to_contain_text("once a day")
    expect(page.locator("#update_emails-2")).to_be_checked()
    no_violations(page)
    with Session(content_app.extensions["engine"]) as session:
        assert session.get(User, commissioner.id).update_emails == "daily"

    tab_to_text(page, "Back to your opportunities")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your opportunities")
    expect(page.locator("main")).to_contain_text("a summary of new interest, questions and bookings once a day")
    tab_to_text(page, TITLE)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    tab_to_text(page, "Close engagement")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to close engagement?")
    expect(page.locator("main")).to_contain_text("Suppliers will no longer be able to register interest")
    no_violations(page)
    tab_to_text(page, "Close engagement")
    page.keyboard.press("Enter")

    expect(page.locator("#confirmation")).to_contain_text("Engagement is closed.")
    expect(page.locator("#engagement-closed")).to_have_text("Engagement on this opportunity closed on 22 November 2026.")
    expect(page.get_by_role("button", name="Close engagement")).to_have_count(0)
    no_violations(page)
    with Session(content_app.extensions["engine"]) as session:
        assert session.exec(select(Opportunity).where(Opportunity.slug == SLUG)).one().engagement_closed_at is not None

    tab_to_text(page, "Public page")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    closed = page.locator("#engagement-closed")
    expect(closed).to_contain_text("Engagement has closed")
    expect(closed).to_contain_text("What happens next")
    expect(closed).to_contain_text("London Borough of Camden is now planning this purchase. "
                                   "It plans to go to market in July to September 2027.")
    no_violations(page)

    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "no sideways scrolling on a small screen"
    no_violations(page)
