"""A council commissioner, by keyboard only, withdraws a published item after giving a reason; its public page stays,
says when it was withdrawn and why, passes the accessibility check and fits a small screen."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import Opportunity, Organisation, Status
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import fits_a_small_screen, no_violations, type_into
from tests.factories import make_opportunity
from tests.web.helpers import PASSWORD, make_buyer_user

TITLE = "Pop-up repair cafes in libraries"
REASON = "We found a partner who already runs these cafes for free, so we no longer need to buy this."


@pytest.fixture(scope="module")
def item(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
        opportunity = make_opportunity(session, camden, slug="camden-pop-up-repair-cafes", title=TITLE)
    make_buyer_user(content_app, camden, "repair.buyer@camden.example.org")
    return opportunity


def test_commissioner_withdraws_an_item_with_a_reason_by_keyboard(page: Page, content_app, item):
    page.goto("/sign-in")
    type_into(page, "#email", "repair.buyer@camden.example.org")
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your opportunities")
    tab_to_text(page, TITLE)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    tab_to_text(page, "Withdraw")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to withdraw this?")
    no_violations(page)

    tab_to_text(page, "Withdraw it")  # without a reason first
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why, in a sentence or two")
    no_violations(page)
    tab_to(page, "#reason")
    page.keyboard.type(REASON)
    tab_to_text(page, "Withdraw it")
    page.keyboard.press("Enter")

    expect(page.locator("#confirmation")).to_contain_text("Withdrawn.")
    expect(page.locator("#withdrawn-or-cancelled + dl")).to_contain_text(REASON)
    no_violations(page)
    with Session(content_app.extensions["engine"]) as session:
        assert session.get(Opportunity, item.id).status == Status.WITHDRAWN

    response = page.goto(f"/opportunities/{item.slug}")
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#stop-notice")).to_contain_text("Withdrawn on 22 November 2026.")
    expect(page.locator("#stop-notice")).to_contain_text(REASON)
    expect(page.get_by_role("link", name="Search for opportunities")).to_be_visible()
    no_violations(page)
    fits_a_small_screen(page)
    no_violations(page)
