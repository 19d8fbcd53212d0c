"""A two-person CIC whose account was made before size and type were asked apart, by keyboard on a 320 px
screen: the dashboard asks for both, the profile takes them, and the public list and the buyer's counts show them."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import Interest, Opportunity, Organisation, utcnow
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import no_violations, type_into
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier

SLUG = "camden-meanwhile-use-estate-spaces"


@pytest.fixture(scope="module")
def opportunity_id(content_app) -> int:
    supplier = make_supplier(content_app, email="two-people@example.org", organisation="Two Person CIC")
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        organisation = session.get(Organisation, supplier.organisation_id)
        organisation.size = organisation.legal_form = None  # as the migration leaves an old social enterprise
        session.add(organisation)
        session.commit()
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
        item = session.exec(select(Opportunity).where(Opportunity.slug == SLUG)).one()
        # Sent while engagement was open (the item has since gone to tender).
        session.add(Interest(opportunity_id=item.id, organisation_id=supplier.organisation_id, open_to_partnering=True,
                             listed_publicly=True, submitted_at=utcnow(), submitted_by_id=supplier.id))
        session.commit()
    make_buyer_user(content_app, camden, "counter@camden.example.org")
    return item.id


@pytest.fixture
def small_page(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    type_into(page, "#email", email)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")


def fits_and_passes_axe(page: Page) -> None:
    no_violations(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} px wide"


def counts(page: Page, list_id: str) -> dict[str, str]:
    return dict(zip(page.locator(f"#{list_id} dt").all_inner_texts(), page.locator(f"#{list_id} dd").all_inner_texts()))


def test_an_older_account_gives_its_size_and_type_by_keyboard(small_page: Page, opportunity_id):
    page = small_page
    page.goto(f"/opportunities/{SLUG}")
    listed = page.locator("tr", has_text="Two Person CIC")
    expect(listed).to_contain_text("Size not given")
    expect(listed).to_contain_text("Type not given")
    fits_and_passes_axe(page)

    sign_in(page, "two-people@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Tell us its size and type")
    fits_and_passes_axe(page)
    tab_to_text(page, "your organisation's profile")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation's profile")
    fits_and_passes_axe(page)

    tab_to_text(page, "Save profile")  # without answering: both are asked for
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose your organisation's size")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose your organisation's type")
    fits_and_passes_axe(page)

    tab_to(page, "#size")  # the first size, micro
    page.keyboard.press("Space")
    tab_to(page, "#legal_form")
    page.keyboard.press("ArrowDown")  # Company, then Community interest company (CIC)
    expect(page.get_by_label("Community interest company (CIC)")).to_be_checked()
    tab_to_text(page, "Save profile")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("profile has been saved")
    expect(page.locator(".govuk-inset-text")).to_have_count(0)
    expect(page.get_by_label("Micro", exact=True)).to_be_checked()

    page.goto(f"/opportunities/{SLUG}")
    expect(listed).to_contain_text("Micro")
    expect(listed).to_contain_text("Community interest company (CIC)")
    fits_and_passes_axe(page)

    page.context.clear_cookies()
    sign_in(page, "counter@camden.example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your opportunities")
    page.goto(f"/buyer/opportunities/{opportunity_id}#interest")
    expect(page.locator("#interest-by-size")).to_be_visible()
    assert counts(page, "interest-by-size")["Micro"] == "1"
    assert counts(page, "interest-by-type")["Voluntary, community and social enterprises (VCSEs)"] == "1"
    fits_and_passes_axe(page)
