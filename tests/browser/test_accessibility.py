"""axe-core on every kind of page: zero violations of WCAG 2.2 A and AA."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice",
]}}

PAGES = [
    "/",
    "/opportunities",
    "/opportunities?kind=nonsense",
    "/opportunities?mission=camden-food&page=1",
    "/opportunities/camden-healthy-school-meals",
    "/opportunities/bristol-flood-resilience-homes",
    "/opportunities/bristol-heat-pumps-homes-and-schools",
    "/missions",
    "/missions/camden-food",
    "/buyers",
    "/buyers/kent",
    "/guidance",
    "/guidance/how-to-work-with-us",
    "/guidance/glossary",
    "/no-such-page",
    "/opportunities?page=99",
    "/search",
    "/search?q=school+meals",
    "/search?q=zzzzqqqq",
    "/search?q=lonelyness",
    "/search?q=food&kind=nonsense&sme=yes",
    "/data",
    "/sign-up",
    "/sign-in",
    "/password-reset",
    "/confirm-email/not-a-real-link",
]


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations(page: Page, axe, path):
    page.goto(path)
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["/", "/opportunities/camden-healthy-school-meals", "/data"])
def test_small_screen_has_no_accessibility_violations(browser, base_url, axe, path):
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(path)
    results = axe.run(page, options=AXE_OPTIONS)
    context.close()
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["/sign-up", "/sign-in", "/password-reset", "/confirm-email/not-a-real-link"])
def test_account_pages_fit_a_320_pixel_screen(browser, base_url, axe, path):
    context = browser.new_context(base_url=base_url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(path)
    width = page.evaluate("document.documentElement.scrollWidth")
    results = axe.run(page, options=AXE_OPTIONS)
    context.close()
    assert width <= 320, f"{path} is {width} px wide"
    assert results.violations_count == 0, results.generate_report()
