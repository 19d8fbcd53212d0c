"""A council commissioner, by keyboard only: write a problem statement with live plain-English feedback, preview,
publish, find it in search, answer a supplier's question and export the interest list."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import Opportunity, Organisation
from portal.services import questions
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import no_violations, type_into
from tests.factories import make_interest
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier

JARGON = "We will leverage innovative synergies in order to facilitate the delivery of holistic outcomes for stakeholders."
PLAIN = "Older people in Camden tell us they feel alone. We want fewer people to feel that way."


@pytest.fixture(scope="module")
def accounts(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
    make_buyer_user(content_app, camden, "commissioner@camden.example.org")
    return make_supplier(content_app, email="asker@example.org", organisation="Asking Ltd", size="small", legal_form="company")


def score(page: Page) -> int:
    return int(page.locator("#plain-score").inner_text())


def test_commissioner_journey_by_keyboard(page: Page, content_app, accounts):
    page.goto("/sign-in")
    type_into(page, "#email", "commissioner@camden.example.org")
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your opportunities")
    no_violations(page)

    tab_to_text(page, "New problem statement")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a new problem statement")
    no_violations(page)

    type_into(page, "#title", "Help lonely older people in Gospel Oak")
    type_into(page, "#summary", "Many older people in Gospel Oak rarely see anyone. We want ideas to reach them.")
    type_into(page, "#why", "Loneliness harms health as much as smoking.")
    type_into(page, "#problem", JARGON)
    expect(page.locator("#checker-problem")).to_contain_text("leverage")
    jargon_score = score(page)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.type(PLAIN)
    expect(page.locator("#plain-checker")).not_to_contain_text("leverage")
    expect(page.locator("#plain-score")).not_to_have_text(str(jargon_score))
    assert score(page) > jargon_score
    no_violations(page)

    type_into(page, "#who_it_affects", "People over 75 who live alone.")
    type_into(page, "#outcomes_wanted", "Fewer older people say they feel lonely.")
    type_into(page, "#market_questions", "How would you find people who do not use any services?")
    tab_to(page, "#missions")  # the first mission, Camden's estates
    page.keyboard.press("Space")
    type_into(page, "#cpv", "85311000-2")
    tab_to(page, "#regions-7")  # London
    page.keyboard.press("Space")
    tab_to_text(page, "Save and preview")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Help lonely older people in Gospel Oak")
    expect(page.locator("main")).to_contain_text(PLAIN)
    no_violations(page)

    tab_to_text(page, "Publish")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Published")
    no_violations(page)

    type_into(page, "#header-q", "Gospel Oak")
    page.keyboard.press("Enter")
    expect(page.locator("#search-results .portal-card h3 a").first).to_have_text("Help lonely older people in Gospel Oak")

    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        item = session.exec(select(Opportunity).where(Opportunity.title == "Help lonely older people in Gospel Oak")).one()
        questions.ask(session, item.id, accounts.organisation_id, accounts.id, "Can a befriending charity lead a bid?")
        make_interest(session, item, accounts, open_to_partnering=True, listed_publicly=True)
    page.goto(f"/buyer/opportunities/{item.id}")
    no_violations(page)
    tab_to(page, "textarea[name$='-answer']")
    page.keyboard.type("Yes. Charities can lead, and can partner with others.")
    tab_to_text(page, "Publish question and answer")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("published on the opportunity page")

    tab_to_text(page, "Download every response as a spreadsheet (CSV)")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert "Asking Ltd" in text and re.search(r"Open to partnering", text)

    page.goto(f"/opportunities/{item.slug}")
    expect(page.locator("#questions ~ dl").first).to_contain_text("Charities can lead")

    for path in (f"/buyer/opportunities/{item.id}/events/new", "/buyer/pipeline", "/buyer/opportunities/new/innovation-challenge"):
        page.goto(path)
        no_violations(page)
