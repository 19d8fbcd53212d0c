"""Review before publish, in a real browser. An editor rewrites a published jargon brief with the plain English check
until its reading age falls below 12, shares it by a private preview link and submits it. A publisher, emailed, asks
for a change with a comment; the editor follows the emailed link, fixes it and submits again; the publisher publishes.
The public change log says what changed in words, and the follower gets one email about it."""

import re
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from portal.models import Mission, Organisation, Status, User
from portal.services import buyer_items, notifications
from tests.browser.conftest import link_in, plain_text
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import fits_a_small_screen, no_violations, type_into
from tests.factories import make_opportunity, make_supplier_user
from tests.web.helpers import PASSWORD, make_buyer_user

EDITOR = "eddie.editor@camden.example.org"
PUBLISHER = "pat.publisher@camden.example.org"
FOLLOWER = "follower@good-lunches.example.org"
TITLE = "Leveraging synergies in community nutrition provision"
JARGON = {
    "summary": "We will leverage synergies to facilitate robust, holistic outcomes for service users, in accordance "
               "with the overarching transformation programme and its governance arrangements.",
    "problem": "Notwithstanding considerable investment, the incumbent provision is utilised by approximately "
               "forty per cent of eligible residents, consequently necessitating a fundamental reconfiguration of "
               "commissioning arrangements within the existing cost envelope.",
    "who_it_affects": "Predominantly older residents experiencing social isolation, alongside multidisciplinary "
                      "practitioners delivering preventative interventions across organisational boundaries.",
    "outcomes_wanted": "Demonstrable improvements in nutritional wellbeing, measured against comprehensive "
                       "performance indicators, facilitating sustainable, evidence-based transformation.",
}
PLAIN = {
    "summary": "We want older people in Camden to eat well and see friends. Tell us how you would help.",
    "problem": "Our lunch clubs are too small. Only four in ten people who could come do come. We have the same "
               "money as last year.",
    "who_it_affects": "Older people who live alone. Our care staff, who visit them at home.",
    "outcomes_wanted": "More older people eat a hot meal with friends each week.",
}
COMMENT = "Please say how much money there is, so small groups know if they can bid."
BELOW_12 = re.compile(r"^Reading age (about )?(\d|1[01])\b")  # as the check says it: "Reading age about 9."
FIXED_PROBLEM = PLAIN["problem"] + " We have about £40,000 a year."


@pytest.fixture(scope="module")
def item(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
        mission = session.exec(select(Mission)).first()
        item = make_opportunity(session, camden, [mission], slug="camden-community-nutrition-review",
                                title=TITLE, summary=JARGON["summary"], status=Status.DRAFT, published_on=None,
                                engagement_closes_on=date(2027, 2, 12),
                                brief_answers={name: text for name, text in JARGON.items() if name != "summary"})
        buyer_items.publish(session, content_app.extensions["search"], item, date(2026, 11, 22))
        follower = make_supplier_user(session, FOLLOWER, "Good Lunches CIC")
        notifications.follow(session, follower.id, item.id)
    for email, name, role in ((EDITOR, "Eddie Editor", "editor"), (PUBLISHER, "Pat Publisher", "publisher")):
        person = make_buyer_user(content_app, camden, email)
        with Session(content_app.extensions["engine"]) as session:
            person = session.get(User, person.id)
            person.name, person.staff_role = name, role
            session.add(person)
            session.commit()
    return item


def sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-in")
    type_into(page, "#email", email)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your opportunities")


def press(page: Page, text: str) -> None:
    """Reach a button or link with the Tab key and press Enter."""
    tab_to_text(page, text)
    page.keyboard.press("Enter")


def reading_age(page: Page) -> int:
    """The reading age the check beside the form shows now."""
    shown = page.locator("#reading-age").inner_text()
    return int(re.search(r"Reading age (?:about )?(\d+)", shown).group(1))


def checked_page(page: Page) -> None:
    no_violations(page)
    fits_a_small_screen(page)


def test_an_editor_rewrites_submits_and_fixes_and_a_publisher_asks_for_a_change_then_publishes(
        page: Page, browser: Browser, base_url: str, content_app, item, read_emails):
    # 1. The editor opens the published brief: the check scores the jargon at reading age 12 or over.
    sign_in(page, EDITOR)
    page.goto(f"/buyer/opportunities/{item.id}/edit")
    score = page.locator("#plain-score")
    status = page.locator("#plain-checker-status")
    jargon_age = reading_age(page)
    assert jargon_age >= 12, jargon_age
    expect(page.locator("#checker-summary")).to_contain_text("leverage")

    # They rewrite it field by field, watching the score, until the reading age is below 12.
    jargon_score = score.inner_text()
    page.fill("#title", "Lunch clubs for older people in Camden")
    for name, text in PLAIN.items():
        page.fill(f"#{name}", text)
    expect(page.locator("#reading-age")).to_have_text(BELOW_12, timeout=15_000)  # once the last check is back
    expect(score).not_to_have_text(jargon_score)
    expect(status).to_contain_text("Score now")
    plain_age = reading_age(page)
    assert plain_age < 12, (plain_age, page.locator("#plain-checker").inner_text())
    expect(page.locator("#checker-summary")).to_have_count(0)
    press(page, "Save and preview")
    expect(page.locator("#pending")).to_contain_text("You have changes that are not published yet")
    expect(page.locator("#pending")).not_to_contain_text("Check and publish the changes")  # editors cannot

    # The public page keeps the published version until a publisher publishes the change.
    page.goto(f"/opportunities/{item.slug}")
    expect(page.locator("main")).to_contain_text("leverage synergies")
    expect(page.locator("main")).not_to_contain_text("see friends")

    # 2. The editor makes a private preview link for a colleague, which works signed out until it is revoked.
    page.goto(f"/buyer/opportunities/{item.id}")
    press(page, "Make a preview link")
    expect(page.locator("#confirmation")).to_contain_text("Preview link made.")
    address = page.get_by_label("Your new preview link").input_value()
    assert address.startswith(f"{base_url}/draft-preview/"), address
    checked_page(page)
    colleague = browser.new_context(base_url=base_url).new_page()
    assert colleague.goto(address).status == 200
    expect(colleague.locator("#draft-preview")).to_contain_text("This is a draft")
    expect(colleague.locator("main")).to_contain_text("see friends")
    checked_page(colleague)
    tab_to(page, "form[action$='/revoke'] button")  # "Revoke the link made ...", saying when
    page.keyboard.press("Enter")
    expect(page.locator("#confirmation")).to_contain_text("Preview link revoked.")
    assert colleague.goto(address).status == 410
    expect(colleague.get_by_role("heading", level=1)).to_have_text("This preview link no longer works")
    checked_page(colleague)

    # 3. The editor submits it; the publisher is emailed and follows the link to the review page.
    press(page, "Submit the changes for review")
    expect(page.locator("#confirmation")).to_contain_text("Submitted for review.")
    expect(page.locator("#review-state")).to_contain_text("Waiting for a publisher to review it")
    [asked] = [plain_text(message) for message in read_emails(PUBLISHER)]
    assert "Eddie Editor asked you to review changes to" in asked, asked
    publisher = browser.new_context(base_url=base_url).new_page()
    sign_in(publisher, PUBLISHER)
    publisher.goto(link_in(asked, f"/buyer/opportunities/{item.id}/review"))
    expect(publisher.get_by_role("heading", level=1)).to_have_text("Lunch clubs for older people in Camden")
    expect(publisher.locator("#changes-to-review")).to_contain_text("was rewritten")
    checked_page(publisher)

    # The publisher asks for a change with a comment; an empty comment is refused first, keeping the page.
    press(publisher, "Ask for changes")
    expect(publisher.locator(".govuk-error-summary")).to_contain_text("Say what needs to change")
    type_into(publisher, "#comment", COMMENT)
    press(publisher, "Ask for changes")
    expect(publisher.locator("#confirmation")).to_contain_text("Changes asked for.")
    expect(publisher.locator("#review-history + table")).to_contain_text(COMMENT)

    # 4. The editor follows the emailed link, fixes the brief and submits it again.
    [told] = [plain_text(message) for message in read_emails(EDITOR)]
    assert "Pat Publisher asked for changes to" in told and COMMENT in told, told
    page.goto(link_in(told, f"/buyer/opportunities/{item.id}/edit"))
    expect(page.locator("#problem")).to_have_value(PLAIN["problem"])
    with page.expect_response(lambda response: response.url.endswith("/buyer/check")):
        page.fill("#problem", FIXED_PROBLEM)
    expect(page.locator("#reading-age")).to_have_text(BELOW_12)
    press(page, "Save and preview")
    expect(page.locator("main")).to_contain_text("about £40,000 a year")
    press(page, "Submit the changes for review")
    expect(page.locator("#confirmation")).to_contain_text("Submitted for review.")

    # 5. The publisher reads the changes listed in words and publishes them.
    publisher.goto(f"/buyer/opportunities/{item.id}/review")
    press(publisher, "Check and publish the changes")
    expect(publisher.get_by_role("heading", level=1)).to_have_text("Publish these changes?")
    listed = publisher.locator("#changes-to-publish")
    expect(listed).to_contain_text(f"The title changed from \u201c{TITLE}\u201d")
    expect(listed).to_contain_text("was rewritten")
    press(publisher, "Publish changes")
    expect(publisher.locator("#confirmation")).to_contain_text("Your changes are published.")
    history = publisher.locator("#review-history + table")
    for step in ("Submitted for review", "Changes asked for", "Changes approved and published"):
        expect(history).to_contain_text(step)
    publisher.goto("/buyer/staff")
    expect(publisher.locator("main")).to_contain_text("Eddie Editor")
    checked_page(publisher)

    # 6. The public page and its change log say what changed, in words.
    page.context.clear_cookies()
    page.goto(f"/opportunities/{item.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lunch clubs for older people in Camden")
    log = page.locator("#change-log")
    expect(log).to_contain_text("was rewritten")
    log.locator("summary").first.click()
    expect(log.locator("ins").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("about £40,000 a year")
    checked_page(page)

    # 7. The follower gets exactly one email about it, when the update emails go out.
    result = content_app.test_cli_runner().invoke(args=["send-alerts"])
    assert result.exit_code == 0, result.output
    [update] = read_emails(FOLLOWER)
    text = plain_text(update)
    assert "Lunch clubs for older people in Camden" in text, text
    assert link_in(text, f"/opportunities/{item.slug}")
