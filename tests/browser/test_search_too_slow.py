"""A search that took too long (PostgreSQL's time limit): the page says so, passes axe-core, fits a phone, and the
words and filters kept in its form search again by keyboard."""

import re

from playwright.sync_api import Page, expect

from portal.search import SearchTooSlow
from tests.browser.keyboard import tab_to
from tests.browser.steps import fits_a_small_screen, no_violations


def test_a_search_that_took_too_long_is_tried_again_by_keyboard(page: Page, content_app, monkeypatch):
    index = content_app.extensions["search"]

    def too_slow(query, today):
        raise SearchTooSlow

    monkeypatch.setattr(index, "search", too_slow)
    page.goto("/search?q=school+meals&region=TLI")
    expect(page.get_by_role("heading", name="This search took too long")).to_be_visible()
    expect(page.locator("#q")).to_have_value("school meals")
    no_violations(page)
    fits_a_small_screen(page)

    monkeypatch.undo()  # the database is quicker now
    tab_to(page, "#q")
    page.keyboard.press("End")
    page.keyboard.type(" lunch")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=school\+meals\+lunch.*region=TLI|region=TLI.*q=school\+meals\+lunch"))
    expect(page.get_by_role("heading", name="Search opportunities")).to_be_visible()
    expect(page.locator("#search-results")).not_to_contain_text("took too long")
