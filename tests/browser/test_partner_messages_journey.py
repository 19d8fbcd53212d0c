"""Two suppliers find each other, by keyboard only: one writes to a partner on an opportunity's public list, the
partner follows the emailed link and replies, and both then see each other's email address."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from portal.models import User
from portal.services import opportunities
from tests.browser.conftest import link_in
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import no_violations, type_into
from tests.factories import make_interest
from tests.web.helpers import PASSWORD, make_supplier

OPPORTUNITY = "/opportunities/camden-healthy-school-meals"
WRITER = "wren@orchard-kitchen.example.org"
PARTNER = "pia@allotment-growers.example.org"


def supplier(app, email: str, name: str, organisation: str) -> User:
    user = make_supplier(app, email=email, organisation=organisation, size="small", legal_form="co-operative")
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        user = session.get(User, user.id)
        user.name = name
        session.commit()
        return user


@pytest.fixture(scope="module")
def suppliers(content_app):
    writer = supplier(content_app, WRITER, "Wren Jones", "Orchard Kitchen")
    partner = supplier(content_app, PARTNER, "Pia Shah", "Allotment Growers")
    with Session(content_app.extensions["engine"]) as session:
        opportunity = opportunities.get_published(session, OPPORTUNITY.rsplit("/", 1)[1])
        make_interest(session, opportunity, partner, keep_updated=True, open_to_partnering=True, listed_publicly=True)
    return writer, partner


def sign_in(page: Page, email: str) -> None:
    type_into(page, "#email", email)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")


def test_suppliers_find_a_partner_by_keyboard(browser, base_url, suppliers, read_email):
    writer = browser.new_context(base_url=base_url).new_page()
    writer.goto("/sign-in")
    sign_in(writer, WRITER)
    expect(writer.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    writer.goto(OPPORTUNITY)
    tab_to(writer, 'a[href$="/partners/allotment-growers/message"]')
    writer.keyboard.press("Enter")
    expect(writer.get_by_role("heading", level=1)).to_have_text("Send a message to Allotment Growers")
    no_violations(writer)
    tab_to_text(writer, "Send message")  # nothing written yet: the mistake is explained, nothing is lost
    writer.keyboard.press("Enter")
    expect(writer.locator(".govuk-error-summary")).to_contain_text("Enter your message")
    no_violations(writer)
    type_into(writer, "#message", "We cook school meals in Camden. Could your growers supply our vegetables?")
    tab_to_text(writer, "Send message")
    writer.keyboard.press("Enter")
    expect(writer.locator(".govuk-notification-banner")).to_contain_text("Your message has been sent to Allotment Growers")
    expect(writer.locator("#email-addresses")).to_contain_text("cannot see your email address")
    no_violations(writer)

    email = read_email(PARTNER)
    assert "Wren Jones from Orchard Kitchen has written to you" in email and WRITER not in email
    link = link_in(email, "/messages/")
    partner = browser.new_context(base_url=base_url).new_page()
    partner.goto(link)  # signed out: sign in first, then straight on to the conversation
    sign_in(partner, PARTNER)
    expect(partner.get_by_role("heading", level=1)).to_have_text("Messages with Orchard Kitchen")
    assert partner.goto(link).status == 200
    expect(partner.locator(".portal-message")).to_contain_text("Could your growers supply our vegetables?")
    expect(partner.locator(".portal-message h2")).to_have_text("Wren Jones, Orchard Kitchen")
    assert WRITER not in partner.content()
    no_violations(partner)
    type_into(partner, "#message", "Yes. We grow on three sites in Camden. Let us talk.")
    tab_to_text(partner, "Send reply")
    partner.keyboard.press("Enter")
    expect(partner.locator(".govuk-notification-banner")).to_contain_text("Your message has been sent")
    expect(partner.locator("#email-addresses")).to_contain_text(
        f"Now that you have replied, you can also email them at {WRITER}")
    no_violations(partner)

    assert f"you can also email them at {PARTNER}" in read_email(WRITER)
    writer.goto("/dashboard")
    tab_to_text(writer, "Messages")
    writer.keyboard.press("Enter")
    expect(writer.get_by_role("heading", level=1)).to_have_text("Messages")
    expect(writer.locator(".portal-conversations")).to_contain_text("Waiting for your reply")
    no_violations(writer)
    tab_to_text(writer, "Allotment Growers")
    writer.keyboard.press("Enter")
    expect(writer.locator(".portal-message").nth(1)).to_contain_text("We grow on three sites in Camden")
    expect(writer.locator("#email-addresses")).to_contain_text(
        f"Now that they have replied, you can also email them at {PARTNER}")
    no_violations(writer)
    writer.context.close()
    partner.context.close()


def test_message_pages_fit_a_320_pixel_screen(browser, base_url, content_app, suppliers):
    supplier(content_app, "sol@small-screen.example.org", "Sol Reyes", "Small Screen Catering")
    page = browser.new_context(base_url=base_url, viewport={"width": 320, "height": 640}).new_page()
    page.goto("/sign-in")
    sign_in(page, "sol@small-screen.example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    page.goto(f"{OPPORTUNITY}/partners/allotment-growers/message")
    type_into(page, "#message", "A long word that must wrap: " + "vegetables" * 12)
    tab_to_text(page, "Send message")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    conversation = page.url.split("#")[0]
    for path in [f"{OPPORTUNITY}/partners/allotment-growers/message", "/messages", conversation, "/organisation"]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide"
        no_violations(page)
    page.context.close()
