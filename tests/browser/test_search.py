"""Search as a person uses it: typing, filtering, going back, and with JavaScript off."""

import re

from playwright.sync_api import Page, expect

from tests.browser.steps import fits_a_small_screen, no_violations

RESULT_TITLES = "#search-results .portal-card h3 a"


def test_results_update_as_you_type_and_the_url_follows(page: Page):
    page.goto("/search")
    box = page.get_by_label("What are you looking for?")
    box.click()
    box.press_sequentially("heat pumps", delay=30)
    expect(page).to_have_url(re.compile(r"q=heat\+pumps"))
    expect(page.locator(RESULT_TITLES).first).to_contain_text(re.compile("heat pumps", re.I))
    expect(box).to_be_focused()
    expect(box).to_have_value("heat pumps")
    expect(page.locator("#search-status")).to_contain_text("found for heat pumps")


def test_choosing_a_filter_updates_results_and_keeps_focus(page: Page):
    page.goto("/search?q=food")
    before = page.locator(RESULT_TITLES).count()
    kind = page.get_by_label("Kind of opportunity")
    kind.focus()  # as a keyboard or mouse user would have it
    kind.select_option("pipeline-item")
    expect(page).to_have_url(re.compile(r"kind=pipeline-item"))
    expect(page.locator(RESULT_TITLES)).not_to_have_count(before)
    expect(page.get_by_label("Kind of opportunity")).to_be_focused()
    page.get_by_label(re.compile(r"^Charities and social enterprises")).check()
    expect(page).to_have_url(re.compile(r"vcse=yes"))
    expect(page.locator("#search-status")).to_contain_text("found for food")


def test_back_button_restores_the_previous_results(page: Page):
    page.goto("/search?q=school")
    first_results = page.locator(RESULT_TITLES).all_inner_texts()
    page.get_by_label("Sort by").select_option("value")
    expect(page).to_have_url(re.compile(r"sort=value"))
    expect(page.locator(RESULT_TITLES).first).not_to_have_text(first_results[0])
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=school$"))
    expect(page.locator(RESULT_TITLES).first).to_have_text(first_results[0])
    expect(page.get_by_label("Sort by")).to_have_value("relevance")


def test_search_works_with_javascript_off(browser, base_url):
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Search opportunities").fill("loneliness older people")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search\?q=loneliness"))
    expect(page.locator(RESULT_TITLES).first).to_contain_text("lonely")
    page.get_by_label("Where the work is").select_option("TLJ")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"region=TLJ"))
    expect(page.locator(RESULT_TITLES).first).to_contain_text("Kent")
    context.close()


def test_did_you_mean_and_empty_state(page: Page):
    page.goto("/search?q=lonelyness")
    expect(page.get_by_role("heading", name="No opportunities match")).to_be_visible()
    page.get_by_role("link", name="loneliness").click()
    expect(page.locator(RESULT_TITLES).first).to_be_visible()
    expect(page.get_by_label("What are you looking for?")).to_have_value("loneliness")


def test_can_we_bid_filters_on_a_small_screen(page: Page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/search?q=food")
    bid = page.locator("details#bid-filters")
    expect(bid).not_to_have_attribute("open", "")
    page.get_by_text("Can we bid?").click()
    page.get_by_label("What are you looking for?").fill("school")
    expect(page).to_have_url(re.compile(r"q=school"))
    expect(bid).to_have_attribute("open", "")  # opened by the person, it stays open as the results change
    turnover = page.get_by_label("Minimum turnover asked for")
    turnover.focus()
    turnover.select_option("none")
    expect(page).to_have_url(re.compile(r"min_turnover=none"))
    expect(page.get_by_label("Minimum turnover asked for")).to_be_focused()
    page.get_by_label(re.compile(r"^welcome groups of organisations")).check()
    expect(page).to_have_url(re.compile(r"consortia=yes"))
    expect(page.get_by_role("link", name=re.compile("Remove filter.*Groups may bid together"))).to_be_visible()
    expect(page.get_by_label("Minimum turnover asked for")).to_have_value("none")
    fits_a_small_screen(page)
    no_violations(page)
    page.get_by_role("link", name=re.compile("Remove filter.*Groups may bid together")).click()
    expect(page).not_to_have_url(re.compile(r"consortia"))
    expect(page).to_have_url(re.compile(r"min_turnover=none"))
    no_violations(page)


def test_can_we_bid_filters_work_with_javascript_off(browser, base_url):
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/search")
    page.get_by_text("Can we bid?").click()
    page.get_by_label("Contract or lot worth").select_option("2000000")
    page.get_by_label(re.compile(r"^pay invoices within 30 days")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"lot_value=2000000.*pays_within_30=yes"))
    expect(page.locator("details#bid-filters")).to_have_attribute("open", "")
    context.close()


def test_on_a_phone_results_come_first_and_a_filter_link_leads_to_the_filters(page: Page):
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto("/search?q=older+peple")
    first_result = page.locator(RESULT_TITLES).first.bounding_box()
    assert first_result["y"] < 667 * 1.5, f"the first result starts {first_result['y']} px down"
    for above in ("Did you mean", "Save this search"):
        assert page.get_by_text(above).first.bounding_box()["y"] < first_result["y"], f"{above} is below the results"
    filters = page.locator("#search-filters")
    assert filters.bounding_box()["y"] > first_result["y"]
    page.get_by_role("link", name=re.compile("^Filter")).click()
    expect(page).to_have_url(re.compile("#search-filters$"))
    expect(filters).to_be_in_viewport()
    page.get_by_role("link", name="Back to the results").click()
    expect(page.locator("#page")).to_be_in_viewport()
    fits_a_small_screen(page)
    no_violations(page)


def test_on_a_wide_screen_the_filters_sit_beside_the_results(page: Page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/search?q=food")
    filters, results = page.locator("#search-filters").bounding_box(), page.locator(RESULT_TITLES).first.bounding_box()
    assert filters["x"] + filters["width"] <= results["x"] and filters["y"] < results["y"] + results["height"]
    expect(page.get_by_role("link", name=re.compile("^Filter"))).to_be_hidden()
