"""Residents' voice, by keyboard on each page, checked with axe-core and at 320 pixels: a resident signs up, confirms
by the emailed link, says a problem matters and what it means to them; the buyer's staff publish part of one comment
with a reason and approve the other; the resident sees both published, and no email address on the page."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import Contribution, Organisation
from tests.browser.conftest import link_in
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import fits_a_small_screen, no_violations, type_into
from tests.factories import make_opportunity
from tests.web.helpers import PASSWORD, make_buyer_user

STORY = "My dad waits hours for a lift to the day centre. A bus on Tuesdays would change his week."
SECOND = "The day centre is warm and kind. My neighbour Jo Bloggs at 12 Hill Road goes too."
SHORTENED = "The day centre is warm and kind."
REASON = "We took out a neighbour's name and address."


@pytest.fixture(scope="module")
def opportunity(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        kent = session.exec(select(Organisation).where(Organisation.slug == "kent")).one()
        opportunity = make_opportunity(session, kent, slug="kent-day-centre-travel", title="Getting to day centres")
    make_buyer_user(content_app, kent, "voice-moderator@kent.example.org")
    return opportunity


def check(page: Page) -> None:
    no_violations(page)
    fits_a_small_screen(page)


def sign_in_as(page: Page, address: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-in")
    type_into(page, "#email", address)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()


def contribution_id(content_app, text: str) -> int:
    with Session(content_app.extensions["engine"]) as session:
        return session.exec(select(Contribution.id).where(Contribution.text == text)).one()


def write(page: Page, text: str) -> None:
    type_into(page, "#text", text)
    tab_to(page, "#consent")
    page.keyboard.press("Space")
    tab_to_text(page, "Send to the council")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("reads every comment")


def test_a_resident_is_heard_after_the_buyer_moderates_by_keyboard(page: Page, content_app, opportunity, read_email):
    page.context.clear_cookies()
    page.goto(f"/opportunities/{opportunity.slug}")
    expect(page.locator("#matters-count")).to_have_text("Nobody has said this matters to them.")
    check(page)
    tab_to_text(page, "Create a resident account")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a resident account")
    type_into(page, "#display_name", "Sam K")
    type_into(page, "#email", "sam.resident@example.org")
    type_into(page, "#password", PASSWORD)
    check(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    page.goto(link_in(read_email("sam.resident@example.org"), "/confirm-email/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your comments")
    check(page)

    page.goto(f"/opportunities/{opportunity.slug}")
    tab_to_text(page, "This matters to me")
    page.keyboard.press("Enter")
    expect(page.locator("#matters-count")).to_have_text("1 person has said this matters to them.")
    tab_to_text(page, "Say what this problem means to you")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("What this problem means to you")
    check(page)
    write(page, STORY)
    page.goto(f"/opportunities/{opportunity.slug}/what-it-means-to-me")
    write(page, SECOND)
    expect(page.locator(".govuk-tag--yellow")).to_have_count(2)
    check(page)

    # Nothing is public yet.
    page.context.clear_cookies()
    page.goto(f"/opportunities/{opportunity.slug}")
    expect(page.get_by_text(STORY)).to_have_count(0)

    # The buyer's staff publish part of the second comment with a reason, and approve the first as written.
    sign_in_as(page, "voice-moderator@kent.example.org")
    page.goto("/buyer/residents")
    check(page)
    page.goto(f"/buyer/residents/{contribution_id(content_app, SECOND)}")
    check(page)
    tab_to(page, "#published_text")
    page.keyboard.press("Control+A")
    page.keyboard.type(SHORTENED)
    type_into(page, "#reason", REASON)
    tab_to_text(page, "Publish this part")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Part of the comment is published")
    expect(page.locator("#original")).to_contain_text("Jo Bloggs")
    check(page)

    page.goto(f"/buyer/residents/{contribution_id(content_app, STORY)}")
    tab_to_text(page, "Approve and publish")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The comment is published")
    assert "We took out" in read_email("sam.resident@example.org")

    # Everyone sees both, without the neighbour's details or the resident's email address.
    page.context.clear_cookies()
    page.goto(f"/opportunities/{opportunity.slug}")
    section = page.locator("section[aria-labelledby=residents]")
    expect(section).to_contain_text(STORY)
    expect(section).to_contain_text(SHORTENED)
    expect(section).not_to_contain_text("Jo Bloggs")
    expect(section).not_to_contain_text("sam.resident@example.org")
    check(page)

    sign_in_as(page, "sam.resident@example.org")
    page.goto("/residents")
    expect(page.locator(".govuk-tag--green")).to_have_count(2)
    expect(page.locator("main")).to_contain_text(REASON)
    check(page)
