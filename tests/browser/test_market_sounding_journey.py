"""Market sounding by keyboard: a buyer asks suppliers their own questions in the editor; a supplier answers, saves
a draft, then sends with a named contact; the buyer reads the response and downloads the spreadsheet. Checked with
axe-core, and on a 320 pixel screen."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from portal.models import Organisation
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import no_violations, type_into
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier

BUYER = "sounding-buyer@camden.example.org"
SUPPLIER = "sounding-supplier@example.org"
TITLE = "Warm spaces for older people in Kentish Town"
OWN_QUESTION = "Could you open a warm space on weekday evenings?"


@pytest.fixture(scope="module")
def people(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
    make_buyer_user(content_app, camden, BUYER)
    make_supplier(content_app, email=SUPPLIER, organisation="Warm Welcome CIC")


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    type_into(page, "#email", email)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).not_to_have_text("Sign in")


def replace_text(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    if text:
        page.keyboard.type(text)


def fits_320_pixels(browser: Browser, base_url: str, storage_state, path: str) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 320, "height": 640}, storage_state=storage_state)
    small = context.new_page()
    small.goto(path)
    width = small.evaluate("document.documentElement.scrollWidth")
    no_violations(small)
    context.close()
    assert width <= 320, f"{path} is {width} px wide"


def test_buyer_asks_supplier_answers_buyer_reads(page: Page, browser: Browser, base_url, people):
    # The buyer writes a brief; the template's suggested questions are already there to change.
    sign_in(page, BUYER)
    tab_to_text(page, "New problem statement")
    page.keyboard.press("Enter")
    expect(page.locator("#questions_to_suppliers-0-text")).to_have_value(re.compile(r"^How would you solve"))
    type_into(page, "#title", TITLE)
    type_into(page, "#summary", "Older people in Kentish Town need somewhere warm to go this winter.")
    type_into(page, "#why", "Cold homes make people ill.")
    type_into(page, "#problem", "Many older people cannot afford to heat their homes all day.")
    type_into(page, "#who_it_affects", "People over 70 living alone.")
    type_into(page, "#outcomes_wanted", "Fewer older people are cold at home.")
    replace_text(page, "#questions_to_suppliers-0-text", "Where could you run a warm space?")
    replace_text(page, "#questions_to_suppliers-0-max_words", "100")
    replace_text(page, "#questions_to_suppliers-1-text", "")  # taken away
    type_into(page, "#questions_to_suppliers-4-text", OWN_QUESTION)
    replace_text(page, "#questions_to_suppliers-4-max_words", "50")
    tab_to(page, "#missions")  # the first of Camden's missions, so the item is like any other in lists
    page.keyboard.press("Space")
    type_into(page, "#cpv", "85311000-2")
    tab_to(page, "#regions-7")  # London
    page.keyboard.press("Space")
    no_violations(page)
    tab_to_text(page, "Save and preview")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    tab_to_text(page, "Publish")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Published")
    manage_path = page.url.split(base_url)[1].split("#")[0]
    buyer_state = page.context.storage_state()

    # The supplier answers two questions, saves a draft, then sends with a named contact.
    supplier_context = browser.new_context(base_url=base_url)
    supplier = supplier_context.new_page()
    sign_in(supplier, SUPPLIER)
    supplier.goto("/search?q=" + "warm spaces Kentish Town".replace(" ", "+"))
    tab_to_text(supplier, TITLE)
    supplier.keyboard.press("Enter")
    expect(supplier.get_by_role("heading", level=1)).to_have_text(TITLE)
    labels = supplier.locator("form[action$='/interest'] .govuk-character-count label")
    expect(labels).to_have_text(["Where could you run a warm space?", re.compile(r"^What would stop you"),
                                 re.compile(r"^Roughly how much"), OWN_QUESTION])
    first_answer = supplier.locator("form[action$='/interest'] textarea").first
    tab_to(supplier, f"#{first_answer.get_attribute('id')}")
    supplier.keyboard.type("In the community hall on Prince of Wales Road.")
    expect(supplier.locator(".govuk-character-count__status").first).to_contain_text("91 words remaining")
    last_answer = supplier.locator("form[action$='/interest'] textarea").last
    tab_to(supplier, f"#{last_answer.get_attribute('id')}")
    supplier.keyboard.type("Yes, on Tuesday and Thursday evenings.")
    no_violations(supplier)
    tab_to_text(supplier, "Save as draft")
    supplier.keyboard.press("Enter")
    expect(supplier.locator(".govuk-notification-banner")).to_contain_text("Draft saved")
    expect(first_answer).to_have_value("In the community hall on Prince of Wales Road.")
    expect(last_answer).to_have_value("Yes, on Tuesday and Thursday evenings.")
    no_violations(supplier)

    tab_to(supplier, "#share_contact")  # "Yes, the buyer can see who to contact"
    supplier.keyboard.press("Space")
    expect(supplier.locator("#contact_name")).to_be_visible()
    expect(supplier.locator("#contact_email")).to_have_value(SUPPLIER)
    type_into(supplier, "#contact_phone", "020 7946 0123")
    tab_to_text(supplier, "Send to the buyer")
    supplier.keyboard.press("Enter")
    expect(supplier.locator(".govuk-notification-banner")).to_contain_text("sent to London Borough of Camden")
    expect(supplier.locator("#interest-status")).to_contain_text("Sent to the buyer on")
    no_violations(supplier)
    fits_320_pixels(browser, base_url, supplier_context.storage_state(), supplier.url.split(base_url)[1].split("#")[0])
    supplier_context.close()

    # The buyer reads the response in full and downloads the spreadsheet.
    page.goto(manage_path)
    expect(page.locator("#interest + p")).to_contain_text("1 organisation has registered interest")
    tab_to_text(page, "Read every response in full")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Responses from suppliers")
    response = page.locator("section[id^='response-']").first
    expect(response.locator("h3")).to_have_text("Warm Welcome CIC")
    expect(response).to_contain_text("020 7946 0123")
    expect(response).to_contain_text("Yes, on Tuesday and Thursday evenings.")
    expect(page.locator("#by-question ~ section").first).to_contain_text("In the community hall")
    no_violations(page)
    fits_320_pixels(browser, base_url, buyer_state, page.url.split(base_url)[1])
    fits_320_pixels(browser, base_url, buyer_state, "/buyer/opportunities/new/problem-statement")

    tab_to_text(page, "Download every response as a spreadsheet (CSV)")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    raw = open(download.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert TITLE in text and "Warm Welcome CIC" in text and OWN_QUESTION in text and "020 7946 0123" in text
