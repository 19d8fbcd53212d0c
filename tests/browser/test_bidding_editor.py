"""A council commissioner, by keyboard only, says how bids will be judged on the "Can we bid?" page: social value at
5% is saved with a warning, then raised to 10%."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import Organisation
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import fits_a_small_screen, no_violations, type_into
from tests.web.helpers import PASSWORD, make_buyer_user

ITEM = "Leadership programme for residents joining boards and governing bodies"
EMAIL = "bids@camden.example.org"


@pytest.fixture(scope="module")
def commissioner(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
    return make_buyer_user(content_app, camden, EMAIL)


def replace(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def criterion(page: Page, row: int, kind: str, name: str, weight: str) -> None:
    tab_to(page, f"#criteria-{row}-type")
    page.keyboard.type(kind)  # a focused select jumps to the option that starts with what is typed
    expect(page.locator(f"#criteria-{row}-type option:checked")).to_have_text(kind)
    replace(page, f"#criteria-{row}-name", name)
    replace(page, f"#criteria-{row}-weight", weight)


def save(page: Page) -> None:
    tab_to_text(page, "Save")
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def open_the_page(page: Page) -> None:
    page.goto("/sign-in")
    type_into(page, "#email", EMAIL)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your opportunities")
    tab_to_text(page, ITEM)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(ITEM)
    tab_to_text(page, "Can we bid? Say who can bid and how bids will be judged")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-caption-l")).to_have_text("Can we bid?")


def test_social_value_under_10_per_cent_warns_then_saves(page: Page, commissioner):
    open_the_page(page)
    no_violations(page)
    fits_a_small_screen(page)

    criterion(page, 0, "Quality", "How well you would run the programme", "55")
    criterion(page, 1, "Price", "Cost", "40")
    criterion(page, 2, "Social value", "Social value", "5")
    save(page)
    banner = page.locator("#confirmation")
    expect(banner).to_contain_text("Saved, with a warning")
    expect(banner).to_contain_text("5% of the score")
    expect(page.locator("#criteria-warning")).to_contain_text("at least 10%")
    no_violations(page)
    fits_a_small_screen(page)

    replace(page, "#criteria-0-weight", "50")
    replace(page, "#criteria-2-weight", "10")
    save(page)
    expect(page.locator("#confirmation")).to_contain_text("Your answers about who can bid are saved")
    expect(page.locator("#criteria-warning")).to_have_count(0)
    expect(page.locator("#criteria-2-weight")).to_have_value("10")
    no_violations(page)


def test_weights_that_do_not_add_up_are_explained(page: Page, commissioner):
    open_the_page(page)
    replace(page, "#criteria-0-weight", "40")
    page.keyboard.press("Enter")  # Enter in a field saves, rather than adding a row
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The weights must add up to 100 (they add up to 90)")
    expect(page.locator("#criteria-0-weight")).to_have_value("40")
    no_violations(page)
    fits_a_small_screen(page)
