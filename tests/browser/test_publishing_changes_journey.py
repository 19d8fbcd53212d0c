"""A commissioner changes a published brief's closing date and one of its sections. The public page keeps the
published version while the buyer sees a draft with a banner; after the confirmation page lists the changes in words,
publishing them updates the public page, whose change log says what moved and shows the rewritten section."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import Mission, Organisation, Status
from portal.services import buyer_items
from tests.browser.steps import fits_a_small_screen, no_violations
from tests.factories import make_opportunity
from tests.web.helpers import PASSWORD, make_buyer_user

ANSWERS = {"problem": "Older people in Camden eat alone most days.", "who_it_affects": "People over 75 living alone.",
           "outcomes_wanted": "Fewer people eat alone.", "market_questions": "How would you find people to invite?"}


@pytest.fixture(scope="module")
def item(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
        mission = session.exec(select(Mission)).first()
        item = make_opportunity(session, camden, [mission], slug="camden-lunch-clubs-for-older-people",
                                title="Lunch clubs for older people", status=Status.DRAFT, published_on=None,
                                engagement_closes_on=date(2027, 2, 12), brief_answers=ANSWERS,
                                summary="Lunch clubs so that older people eat together.")
        buyer_items.publish(session, content_app.extensions["search"], item, date(2026, 11, 22))
    make_buyer_user(content_app, camden, "lunch.buyer@camden.example.org")
    return item


def test_commissioner_publishes_a_change_and_the_public_change_log_says_what_changed(page: Page, item):
    page.goto("/sign-in")
    page.fill("#email", "lunch.buyer@camden.example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your opportunities")

    page.goto(f"/buyer/opportunities/{item.id}/edit")
    page.fill("#engagement_closes", "2027-02-26")
    page.fill("#outcomes_wanted", "Nobody over 75 eats alone every day.")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.locator("#pending")).to_contain_text("You have changes that are not published yet")
    expect(page.locator("main")).to_contain_text("Nobody over 75 eats alone every day.")
    no_violations(page)

    page.goto(f"/opportunities/{item.slug}")
    expect(page.locator("main")).not_to_contain_text("Nobody over 75")
    expect(page.locator("#change-log")).to_have_count(0)

    page.goto(f"/buyer/opportunities/{item.id}/preview")
    page.get_by_role("button", name="Check and publish the changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish these changes?")
    listed = page.locator("#changes-to-publish")
    expect(listed).to_contain_text("The closing date moved from 12 February 2027 to 26 February 2027")
    expect(listed).to_contain_text("was rewritten")
    no_violations(page)
    fits_a_small_screen(page)
    page.get_by_role("button", name="Publish changes").click()
    expect(page.locator("#confirmation")).to_contain_text("Your changes are published.")
    expect(page.locator("#pending")).to_have_count(0)

    page.goto(f"/opportunities/{item.slug}")
    log = page.locator("#change-log")
    expect(log).to_contain_text("The closing date moved from 12 February 2027 to 26 February 2027")
    log.locator("summary").first.click()
    expect(log.locator("del").first).to_have_text("Fewer people eat alone.")
    expect(log.locator("ins").first).to_contain_text("Nobody over 75 eats")
    expect(page.locator("main")).to_contain_text("Nobody over 75 eats alone every day.")
    no_violations(page)
    fits_a_small_screen(page)
