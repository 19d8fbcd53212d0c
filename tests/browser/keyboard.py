"""Moving through a page with the Tab key only, checking the focus can be seen on the way."""

from playwright.sync_api import Page

GOVUK_FOCUS_YELLOW = "rgb(255, 221, 0)"


def _focus_is_visible(page: Page) -> bool:
    return page.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el);
        return style.backgroundColor === 'rgb(255, 221, 0)' || style.outlineStyle !== 'none'
            || style.boxShadow !== 'none';
    }""")


def tab_to(page: Page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            assert _focus_is_visible(page), f"focus on {selector} cannot be seen"
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


def tab_to_text(page: Page, text: str, limit: int = 400) -> None:
    """Press Tab until a link or button whose text is `text` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText.trim()") == text:
            assert _focus_is_visible(page), f"focus on '{text}' cannot be seen"
            return
    raise AssertionError(f"could not reach '{text}' with the Tab key")
