"""A buyer adds a fourth phase to a published challenge by keyboard, with JavaScript off and on, publishes the
change, and the public timeline shows four phases in order."""

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from portal.models import OpportunityKind, Organisation
from tests.browser.steps import fits_a_small_screen, no_violations
from tests.factories import make_opportunity
from tests.web.helpers import PASSWORD, make_buyer_user

ANSWERS = {"problem": "Streets near schools are loud and busy at home time.", "who_it_affects": "Children and parents.",
           "outcomes_wanted": "Calmer streets at home time.", "eligibility": "Anyone, including charities.",
           "how_to_enter": "Enter the challenge in the Take part section of this page.",
           "judging_criteria": "How well it works, 60%; cost, 40%."}
PHASES = [dict(name="Discovery", starts_on=date(2027, 2, 1), ends_on=date(2027, 3, 31), funding=10_000),
          dict(name="Prototype", starts_on=date(2027, 4, 1), ends_on=date(2027, 6, 30), funding=40_000),
          dict(name="Pilot", starts_on=date(2027, 7, 1), ends_on=date(2027, 12, 31), funding=100_000)]


@pytest.fixture(scope="module")
def buyer(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
        items = {javascript: make_opportunity(
            session, camden, slug=f"quiet-school-streets-{javascript}", title=f"Quiet school streets {javascript}",
            kind=OpportunityKind.INNOVATION_CHALLENGE, brief_answers=ANSWERS, engagement_closes_on=date(2027, 1, 29),
            body_md="## The problem\n\n" + ANSWERS["problem"], phases=PHASES) for javascript in ("on", "off")}
    make_buyer_user(content_app, camden, "streets@camden.example.org")
    return items


def tab_until(page, selector: str, limit: int = 300) -> None:
    """Press Tab until `selector` has focus. It asks through locators, which work with JavaScript off too (the
    keyboard helpers run scripts in the page, which a page without JavaScript never answers)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.locator(f"{selector}:focus").count():
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


@pytest.mark.parametrize("javascript", ["off", "on"])
def test_buyer_adds_a_fourth_phase_by_keyboard(browser, base_url, buyer, javascript):
    context = browser.new_context(java_script_enabled=javascript == "on", base_url=base_url, locale="en-GB")
    page = context.new_page()
    item = buyer[javascript]
    page.goto("/sign-in")
    tab_until(page, "#email")
    page.keyboard.type("streets@camden.example.org")
    tab_until(page, "#password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your opportunities")

    page.goto(f"/buyer/opportunities/{item.id}/edit")
    expect(page.locator("input[name$='-name'][name^='phases-']")).to_have_count(3)
    tab_until(page, "button[name=phases_action][value=add]")
    page.keyboard.press("Enter")
    expect(page.locator("#phase-4")).to_have_text("Phase 4")
    expect(page.locator("#phases-2-name")).to_have_value("Pilot")
    expect(page.locator("#phases-3-name")).to_be_focused()  # the new phase's first box has the focus
    page.keyboard.type("Scale up")
    tab_until(page, "#phases-3-starts")
    page.keyboard.type("1 January 2028")
    tab_until(page, "#phases-3-ends")
    page.keyboard.type("6/6/2028")
    tab_until(page, "#phases-3-funding")
    page.keyboard.type("£250,000")
    if javascript == "on":  # axe and the width check run scripts in the page
        no_violations(page)
        fits_a_small_screen(page)
    tab_until(page, "form button.govuk-button:not([name]):not([hidden])")
    page.keyboard.press("Enter")
    expect(page.locator("#confirmation")).to_contain_text("Changes saved")
    page.goto(f"/buyer/opportunities/{item.id}/changes")  # a published item's change waits until it is published
    tab_until(page, "main form button.govuk-button")  # "Publish changes"
    page.keyboard.press("Enter")
    expect(page.locator("#confirmation")).to_contain_text("Your changes are published")

    page.goto(f"/opportunities/{item.slug}")
    titles = page.locator(".portal-timeline__step .portal-timeline__title")
    expect(titles.filter(has_text="Phase ")).to_have_text(
        ["Phase 1: Discovery", "Phase 2: Prototype", "Phase 3: Pilot", "Phase 4: Scale up"])
    expect(page.locator(".portal-timeline__step").last).to_contain_text(
        "1 January 2028 to 6 June 2028. Funding or prize: £250,000.")
    if javascript == "on":
        no_violations(page)
        fits_a_small_screen(page)
    context.close()
