"""The main path through the portal, with a mouse, with the keyboard only, and with JavaScript off."""

import re

from playwright.sync_api import Page, expect

GOVUK_FOCUS_YELLOW = "rgb(255, 221, 0)"


def test_home_to_list_to_opportunity_to_mission(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Find public-sector work early")
    page.get_by_role("button", name="Browse all opportunities").click()
    expect(page).to_have_url(re.compile(r"/opportunities$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Opportunities")

    first = page.locator(".portal-card h2 a").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("heading", name="Why we are buying this")).to_be_visible()

    mission_link = page.locator("#missions ~ ul a").first
    mission_name = mission_link.inner_text()
    mission_link.click()
    expect(page).to_have_url(re.compile(r"/missions/[a-z0-9-]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(mission_name)
    expect(page.get_by_role("link", name=title).first).to_be_visible()


def tab_until(page: Page, text: str, limit: int = 150) -> None:
    """Press Tab until the focused element's text is `text`; the focus must be visible there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText.trim()") == text:
            background = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
            assert background == GOVUK_FOCUS_YELLOW, f"focus on '{text}' is not visible"
            return
    raise AssertionError(f"could not reach '{text}' with the Tab key")


def test_keyboard_only_path(page: Page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.innerText.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))

    tab_until(page, "Browse all opportunities")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opportunities")

    title = page.locator(".portal-card h2 a").first.inner_text()
    tab_until(page, title)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    mission = page.locator("#missions ~ ul a").first.inner_text()
    tab_until(page, mission)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(mission)


def test_filters_work_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/opportunities")
    page.get_by_label("Kind of opportunity").select_option("innovation-challenge")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"kind=innovation-challenge"))
    cards = page.locator(".portal-card")
    expect(cards.first).to_be_visible()
    for text in cards.locator("p.govuk-body-s").all_inner_texts():
        assert text.startswith("Innovation challenge")
    page.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(re.compile(r"/opportunities$"))
    context.close()


def test_bad_filter_shows_error_summary_that_links_to_the_field(page: Page):
    page.goto("/opportunities?kind=nonsense")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").click()
    expect(page.get_by_label("Kind of opportunity")).to_be_focused()


def test_pagination_moves_between_pages(page: Page):
    page.goto("/opportunities")
    first_titles = page.locator(".portal-card h2 a").all_inner_texts()
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    assert not set(first_titles) & set(page.locator(".portal-card h2 a").all_inner_texts())
