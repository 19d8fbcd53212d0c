"""A resident with no procurement words: home → mission → what is planned → one purchase's timeline → open data."""

import re

from playwright.sync_api import Page, expect

from tests.browser.steps import no_violations


def test_resident_follows_a_mission_to_a_purchase_timeline(page: Page):
    page.goto("/")
    page.locator(".portal-mission-card").filter(has_text="Net zero").get_by_role("link", name="Net zero", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Net zero")
    expect(page.get_by_role("heading", name="What we plan to buy for this mission")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("Bar chart of planned spend"))
    expect(chart).to_be_visible()
    expect(page.locator("#mission-spend-table")).to_be_visible()
    no_violations(page)

    page.locator("#plans ~ ul a").first.click()
    expect(page.get_by_role("heading", name="What is being bought and why")).to_be_visible()
    timeline = page.locator("ol.portal-timeline")
    expect(timeline).to_contain_text("Now")
    expect(timeline.locator("li")).to_have_count(4)
    no_violations(page)


def test_resident_finds_the_open_data_page(page: Page):
    page.goto("/")
    page.get_by_role("link", name="Open data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("data", re.I))
    csv_link = page.locator('a[href$="/data/opportunities.csv"]').first
    expect(csv_link).to_be_visible()
    response = page.request.get(csv_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    no_violations(page)
