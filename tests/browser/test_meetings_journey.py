"""One-to-one meetings, by keyboard only: a commissioner offers three times in a row; a supplier books one and moves
it; both are emailed the time with a link that works. Every page passes axe-core and fits a 320 pixel screen."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import Opportunity, Organisation
from tests.browser.conftest import link_in
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import fits_a_small_screen, no_violations, type_into
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier

SLUG = "camden-young-people-routes-into-work"
BUYER = "meetings@camden.example.org"
SUPPLIER = "routes@example.org"
LINK = "https://meet.example.org/camden-routes"


@pytest.fixture(scope="module")
def opportunity_id(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
        opportunity = session.exec(select(Opportunity).where(Opportunity.slug == SLUG)).one()
    make_buyer_user(content_app, camden, BUYER)
    make_supplier(content_app, email=SUPPLIER, organisation="Routes Into Work CIC")
    return opportunity.id


def sign_in_by_keyboard(page: Page, email: str) -> None:
    page.goto("/sign-in")
    type_into(page, "#email", email)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in" not in url)


def test_offer_book_and_move_a_meeting_by_keyboard(page: Page, browser, base_url, read_email, opportunity_id):
    # The commissioner offers three half-hour times in a row.
    sign_in_by_keyboard(page, BUYER)
    page.goto(f"/buyer/opportunities/{opportunity_id}")
    tab_to_text(page, "Offer meeting times and see who has booked them")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("One-to-one meetings")
    no_violations(page)
    fits_a_small_screen(page)

    type_into(page, "#day", "30")
    type_into(page, "#month", "11")
    type_into(page, "#year", "2026")
    type_into(page, "#first_start", "25:00")  # a mistake first: nothing typed is lost
    tab_to_text(page, "Add meeting times")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("like 9:30am or 14:00")
    expect(page.locator("#day")).to_have_value("30")
    no_violations(page)
    tab_to(page, "#first_start")
    page.keyboard.press("Control+A")
    page.keyboard.type("10am")
    tab_to(page, "#count")
    page.keyboard.type("3")
    tab_to(page, "#how")
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Online")).to_be_checked()
    type_into(page, "#meeting_link", LINK)
    tab_to_text(page, "Add meeting times")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("3 meeting times added on 30 November 2026.")
    expect(page.locator("main .govuk-summary-list__key")).to_have_text(["10am to 10:30am", "10:30am to 11am", "11am to 11:30am"])
    no_violations(page)
    fits_a_small_screen(page)

    # A supplier finds the times on the opportunity page, books the first and moves it to the last.
    context = browser.new_context(base_url=base_url)
    supplier = context.new_page()
    sign_in_by_keyboard(supplier, SUPPLIER)
    supplier.goto(f"/opportunities/{SLUG}")
    tab_to_text(supplier, "See the meeting times")
    supplier.keyboard.press("Enter")
    expect(supplier.get_by_role("heading", level=1)).to_have_text("One-to-one meetings")
    no_violations(supplier)
    fits_a_small_screen(supplier)
    tab_to(supplier, "#slot")
    supplier.keyboard.press("Space")
    tab_to_text(supplier, "Book this time")
    supplier.keyboard.press("Enter")
    expect(supplier.locator(".govuk-notification-banner")).to_contain_text("Your meeting is booked")
    expect(supplier.locator("#your-meeting + dl")).to_contain_text("Monday 30 November 2026, 10am to 10:30am (UK time)")
    expect(supplier.get_by_role("link", name="Join the meeting")).to_have_attribute("href", LINK)
    no_violations(supplier)
    fits_a_small_screen(supplier)

    tab_to(supplier, "#slot")
    supplier.keyboard.press("ArrowDown")  # from 10:30am to 11am
    expect(supplier.locator("#slot-2")).to_be_checked()
    tab_to_text(supplier, "Move my meeting")
    supplier.keyboard.press("Enter")
    expect(supplier.locator(".govuk-notification-banner")).to_contain_text("Your meeting has moved")
    expect(supplier.locator("#your-meeting + dl")).to_contain_text("Monday 30 November 2026, 11am to 11:30am (UK time)")
    no_violations(supplier)

    # Both are emailed the new time, and the links in the emails open the right pages.
    mine = read_email(SUPPLIER)
    assert "New time: Monday 30 November 2026, 11am to 11:30am (UK time)" in mine
    assert "It was: Monday 30 November 2026, 10am to 10:30am (UK time)" in mine
    response = supplier.goto(link_in(mine, "/opportunities/"))
    assert response.status == 200
    expect(supplier.get_by_role("heading", level=1)).to_have_text("One-to-one meetings")
    theirs = read_email(BUYER)
    assert "Routes Into Work CIC has moved their one-to-one meeting" in theirs
    assert "New time: Monday 30 November 2026, 11am to 11:30am (UK time)" in theirs
    response = page.goto(link_in(theirs, "/buyer/opportunities/"))
    assert response.status == 200
    rows = page.locator("main .govuk-summary-list__row")
    expect(rows.nth(2)).to_contain_text("Routes Into Work CIC")
    expect(rows.nth(2)).to_contain_text(SUPPLIER)
    expect(rows.nth(0)).to_contain_text("Free")
    no_violations(page)
    context.close()
