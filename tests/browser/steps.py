"""Steps that many journeys share: checking a page with axe-core, typing into a field reached by the Tab key, and
checking that a page fits a 320 pixel screen."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.keyboard import tab_to
from tests.browser.test_accessibility import AXE_OPTIONS

AXE = Axe()


def no_violations(page: Page) -> None:
    page.wait_for_load_state()  # a form that was just sent may still be loading its answer
    expect(page.locator("main")).to_be_attached()
    results = AXE.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def fits_a_small_screen(page: Page) -> None:
    """The page, made 320 pixels wide for a moment, does not scroll sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= 320, f"{page.url} is {width} px wide at 320 px"
