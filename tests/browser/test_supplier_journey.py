"""A new social enterprise, by keyboard only: sign up, profile, search, interest, question, booking, saved search."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import link_in
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import no_violations, type_into


def test_new_social_enterprise_journey_by_keyboard(page: Page, read_email):
    page.goto("/sign-up")
    no_violations(page)
    # A mistake first: nothing typed is lost.
    type_into(page, "#name", "Sam Patel")
    tab_to_text(page, "Create account")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#name")).to_have_value("Sam Patel")
    no_violations(page)

    type_into(page, "#email", "sam@kitchen-table.example.org")
    type_into(page, "#password", "teapot marigold lighthouse")
    type_into(page, "#organisation_name", "Kitchen Table Co-op")
    tab_to(page, "#size")  # the first size, micro
    page.keyboard.press("Space")
    expect(page.get_by_label("Micro", exact=True)).to_be_checked()
    tab_to(page, "#legal_form")
    for _ in range(4):  # Company, CIC, Charity, CIO, Co-operative
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Co-operative", exact=True)).to_be_checked()
    tab_to(page, "#regions_served-7")  # London
    page.keyboard.press("Space")
    type_into(page, "#one_line", "We run lunch clubs for older people in east London")
    tab_to_text(page, "Create account")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    no_violations(page)
    page.goto(link_in(read_email("sam@kitchen-table.example.org"), "/confirm-email/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    no_violations(page)

    tab_to_text(page, "Your organisation's profile")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation's profile")
    expect(page.locator("#one_line")).to_have_value("We run lunch clubs for older people in east London")
    expect(page.get_by_label("Micro", exact=True)).to_be_checked()
    expect(page.get_by_label("Co-operative", exact=True)).to_be_checked()
    no_violations(page)
    tab_to(page, "#website")
    page.keyboard.type("https://kitchen-table.example.org")
    tab_to_text(page, "Save profile")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("profile has been saved")

    type_into(page, "#header-q", "loneliness older people")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=loneliness"))
    no_violations(page)
    tab_to_text(page, "Help older people in Hackney feel less lonely")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Help older people in Hackney feel less lonely")
    no_violations(page)

    tab_to(page, "#open_to_partnering")
    page.keyboard.press("Space")
    tab_to(page, "#listed_publicly")
    page.keyboard.press("Space")
    tab_to_text(page, "Send to the buyer")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("public list")
    public_list = page.locator("table", has=page.get_by_text("Interested suppliers who chose to be listed"))
    expect(public_list.locator("tr", has_text="Kitchen Table Co-op")).to_contain_text(re.compile(r"Micro\s*Co-operative"))
    no_violations(page)

    type_into(page, "#question", "Could a small lunch club run one part of this, with a partner for the rest?")
    tab_to_text(page, "Send question")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sent to the buyer")

    tab_to_text(page, "Drop-in session at Hackney Central Library")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drop-in session at Hackney Central Library")
    no_violations(page)
    tab_to_text(page, "Book a place")
    page.keyboard.press("Enter")
    expect(page.locator("#your-place ~ p").first).to_have_text("You have a place.")
    expect(page.get_by_role("link", name="Add to your calendar (.ics file)")).to_be_visible()
    no_violations(page)

    tab_to_text(page, "Search")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search opportunities")
    type_into(page, "#q", "lunch")
    expect(page).to_have_url(re.compile(r"q=lunch"))
    tab_to_text(page, "Save this search and get email alerts")
    page.keyboard.press("Enter")
    expect(page.locator("#name")).to_have_value("lunch")
    no_violations(page)
    tab_to(page, 'input[name="frequency"]')  # the group's checked radio, "Every week"
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("Every day")).to_be_checked()
    tab_to_text(page, "Save search")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.locator("#saved-searches ~ table")).to_contain_text("lunch")
    expect(page.locator("#saved-searches ~ table")).to_contain_text("Every day")
    expect(page.locator("#interests + ul")).to_contain_text("Help older people in Hackney feel less lonely")
    expect(page.locator("#bookings + ul")).to_contain_text("Drop-in session at Hackney Central Library")
    expect(page.locator("#questions + ul")).to_contain_text("Waiting for an answer")
    no_violations(page)
