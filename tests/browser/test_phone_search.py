"""A small charity on a phone: search in its own words, filter to charities and to its council area, see the right
work first, save it."""

import re

from playwright.sync_api import Page, expect

from tests.browser.steps import fits_a_small_screen, no_violations
from tests.web.helpers import PASSWORD, make_supplier

OLDER_PEOPLE = {"hackney-loneliness-older-people", "greater-manchester-older-people-online",
                "kent-coastal-towns-loneliness"}


def test_elderly_charities_on_a_phone_then_save_the_search(page: Page, content_app):
    make_supplier(content_app, email="phone-charity@example.org", organisation="Silver Threads Trust")
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("phone-charity@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()

    page.goto("/search")
    page.locator("#q").fill("elderly")
    page.locator("#q").press("Enter")
    expect(page).to_have_url(re.compile(r"q=elderly"))
    page.get_by_role("link", name=re.compile(r"^Filter")).click()
    page.get_by_label(re.compile(r"^Charities and social enterprises")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"vcse=yes"))
    expect(page.locator("#search-results .portal-card").first).to_be_visible()

    firsts = [href.rsplit("/", 1)[-1] for href in
              page.locator("#search-results .portal-card h3 a").evaluate_all("links => links.map(a => a.href)")][:3]
    assert set(firsts) <= OLDER_PEOPLE and len(firsts) == 3, firsts
    assert page.get_by_text("Did you mean").count() == 0

    page.get_by_role("link", name=re.compile(r"^Filter")).click()
    page.get_by_label("Council area").select_option("KEN")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"area=KEN"))
    first = page.locator("#search-results .portal-card h3 a").first
    expect(first).to_have_attribute("href", re.compile(r"/kent-coastal-towns-loneliness$"))
    fits_a_small_screen(page)
    no_violations(page)

    save = page.get_by_role("link", name="Save this search and get email alerts")
    first_card = page.locator("#search-results .portal-card").first
    assert save.bounding_box()["y"] < first_card.bounding_box()["y"], "saving is offered above the results"
    save.click()
    expect(page.locator("#name")).to_have_value(re.compile("elderly"))
    page.get_by_role("button", name="Save search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.locator("#saved-searches ~ table")).to_contain_text("elderly")
    assert "area=KEN" in page.locator("#saved-searches ~ table a").first.get_attribute("href")
