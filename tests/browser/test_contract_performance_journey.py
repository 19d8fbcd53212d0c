"""A resident: finds a mission, reads which of its outcomes are on track, opens an awarded contract behind one and sees
who won it and its latest rating. Every page passes axe-core; the contract's page, and the mission page's outcomes and
small-supplier counts, fit a 320 pixel screen. (The mission page's planned-spend table does not yet: its four
columns need 480 pixels.)"""

import re

from playwright.sync_api import Page, expect

from tests.browser.steps import fits_a_small_screen, no_violations


def sections_fit_a_small_screen(page: Page, selectors: list[str]) -> None:
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    widths = {selector: page.evaluate(
        "s => Math.max(...[...document.querySelectorAll(s + ', ' + s + ' *')].map(e => e.getBoundingClientRect().right))",
        selector) for selector in selectors}
    page.set_viewport_size(size)
    assert all(width <= 320 for width in widths.values()), widths


def test_resident_reads_outcome_progress_and_a_contracts_latest_rating(page: Page):
    page.goto("/missions")
    page.get_by_role("link", name="Estates", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Estates")
    outcomes = page.locator(".portal-outcomes")
    expect(outcomes.locator("#outcome-estates-green-spaces .govuk-tag")).to_have_text("Off track")
    expect(outcomes.locator("#outcome-estates-creative-use")).to_contain_text(
        "The target date, 31 December 2025, has passed and no result has been published.")
    expect(page.locator("#to-smes")).to_contain_text("went to small and medium-sized businesses")
    no_violations(page)
    sections_fit_a_small_screen(page, ["#outcomes + p + .portal-outcomes", ".portal-small-suppliers", "#to-vcses"])

    outcomes.locator("#outcome-estates-green-spaces").get_by_role(
        "link", name="Make estate gardens and paths feel safe after dark").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make estate gardens and paths feel safe after dark")
    expect(page.locator("#who-won")).to_contain_text("Night Garden Collective CIC")
    expect(page.locator("#who-won")).to_contain_text("£90,000")
    expect(page.locator(".portal-latest-rating").nth(1)).to_contain_text("Latest rating: Requires improvement")
    expect(page.get_by_role("img", name=re.compile("Bar chart of Residents who feel safe after dark"))).to_be_visible()
    expect(page.locator(".portal-timeline")).to_contain_text("Awarded to Night Garden Collective CIC and Brightwell")
    no_violations(page)
    fits_a_small_screen(page)
