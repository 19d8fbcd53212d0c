"""A commissioner writes jargon into a new brief and rewrites it: the plain English check beside the form shows
every finding by field, keeps one live region on the page that says how the score changed, stays in view, passes
axe and fits a 320 pixel screen."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import Organisation
from tests.browser.steps import fits_a_small_screen, no_violations, type_into
from tests.web.helpers import PASSWORD, make_buyer_user

EMAIL = "plain@camden.example.org"
JARGON = ("We will leverage synergies to facilitate robust outcomes for service users. The MTFS sets the cost "
          "envelope, which is approximately £40,000. It is essential that the incumbent is utilised post-award, "
          "in accordance with the overarching transformation programme and its governance arrangements.")
PLAIN = ("We want older people to feel less alone. Tell us how you would help. We have about £40,000 for one "
         "year. We will pick the ideas we like best and try them in two parts of the borough.")


@pytest.fixture(scope="module")
def commissioner(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
    return make_buyer_user(content_app, camden, EMAIL)


def test_the_check_keeps_one_live_region_and_shows_every_field(page: Page, commissioner):
    page.goto("/sign-in")
    type_into(page, "#email", EMAIL)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your opportunities")
    page.goto("/buyer/opportunities/new/problem-statement")

    status = page.locator("#plain-checker-status")
    expect(status).to_have_attribute("aria-live", "polite")
    status.evaluate("element => { element.dataset.first = 'yes'; }")  # to tell whether it is ever replaced

    page.fill("#title", "Leverage synergies")
    page.fill("#summary", JARGON)
    expect(page.locator("#checker-summary")).to_be_visible()
    score = page.locator("#plain-score")
    jargon_score = int(score.inner_text())
    expect(page.locator("#checker-title summary")).to_contain_text("Title: 2 things to look at")

    page.locator("#checker-summary summary").click()  # the buyer opens the summary's findings
    summary = page.locator("#checker-summary")
    for word in ("leverage", "MTFS", "approximately", "post-award", "in accordance with"):
        expect(summary).to_contain_text(word)
    summary.get_by_role("link", name="Go to ‘Summary’").click()
    expect(page.locator("#summary")).to_be_focused()

    page.fill("#summary", PLAIN)
    expect(score).not_to_have_text(str(jargon_score))
    expect(status).to_contain_text(f"was {jargon_score}")
    assert status.evaluate("element => element.dataset.first") == "yes"  # the same region, so it is heard
    assert page.locator(".portal-checker [aria-live]").count() == 1
    expect(page.locator("#checker-summary")).to_have_count(0)  # nothing left to change in the summary

    page.fill("#summary", JARGON + " We will optimise it.")
    expect(page.locator("#checker-summary")).to_be_visible()
    expect(status).to_contain_text("Score now")
    assert status.evaluate("element => element.dataset.first") == "yes"

    position = page.locator(".portal-checker").evaluate("element => getComputedStyle(element).position")
    assert position == "sticky"
    page.locator("#checker-title summary").click()
    page.fill("#title", "Leverage synergies now")
    expect(page.locator("#plain-checker-status")).to_contain_text("Score now")
    expect(page.locator("#checker-title")).to_have_attribute("open", "")  # kept open across the update
    no_violations(page)
    fits_a_small_screen(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.locator(".portal-checker").evaluate("element => getComputedStyle(element).position") == "static"
