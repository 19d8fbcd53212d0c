"""Questions, moderated, by keyboard only on a 320 pixel screen: a supplier asks two questions; the buyer rewords one
and publishes it with an answer, and rejects the other with a reason; the supplier's dashboard and update email show
both, and the email's link opens the published answer."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import Organisation, Question
from tests.browser.conftest import link_in
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import no_violations, type_into
from tests.factories import make_opportunity
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier

ASKED = "We are Quinn's Kitchen in Margate. Could our lunch club deliver meals in one district only?"
REWORDED = "Could a small lunch club deliver meals in one district only?"
ANSWER = "Yes. We expect to buy in several small lots, one for each district."
TOO_NARROW = "What did Margate Meals charge you last year?"
REASON = "We cannot share another supplier's prices. Ask about the budget instead."


@pytest.fixture(scope="module")
def opportunity(content_app):
    with Session(content_app.extensions["engine"], expire_on_commit=False) as session:
        kent = session.exec(select(Organisation).where(Organisation.slug == "kent")).one()
        opportunity = make_opportunity(session, kent, slug="kent-lunch-clubs", title="Lunch clubs in east Kent",
                                       questions_close_on=date(2026, 12, 10))
    make_buyer_user(content_app, kent, "moderator@kent.example.org")
    make_supplier(content_app, email="quinn@example.org", organisation="Quinn's Kitchen", size="micro", legal_form="company")
    return opportunity


def sign_in_as(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-in")
    type_into(page, "#email", email)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} px wide"


def question_id(content_app, text: str) -> int:
    with Session(content_app.extensions["engine"]) as session:
        return session.exec(select(Question.id).where(Question.text == text)).one()


def test_a_question_is_reworded_and_published_and_another_rejected_by_keyboard(page: Page, content_app, opportunity,
                                                                                 read_email):
    page.set_viewport_size({"width": 320, "height": 700})
    sign_in_as(page, "quinn@example.org")
    page.goto(f"/opportunities/{opportunity.slug}")
    expect(page.locator("#questions-close-on")).to_have_text("Questions close on 10 December 2026.")
    for text in (ASKED, TOO_NARROW):
        type_into(page, "#question", text)
        tab_to_text(page, "Send question")
        page.keyboard.press("Enter")
        expect(page.locator("#questions ~ .govuk-notification-banner")).to_contain_text("sent to the buyer")
    expect(page.locator("#questions ~ p").first).to_have_text("No questions have been answered yet.")
    no_violations(page)
    fits_the_screen(page)
    asked, too_narrow = question_id(content_app, ASKED), question_id(content_app, TOO_NARROW)

    # The buyer rewords the first question, answers it and publishes both.
    sign_in_as(page, "moderator@kent.example.org")
    page.goto(f"/buyer/opportunities/{opportunity.id}")
    expect(page.locator(f"#publish-{asked}-question")).to_have_value(ASKED)
    no_violations(page)
    fits_the_screen(page)
    tab_to(page, f"#publish-{asked}-question")
    page.keyboard.press("Control+A")
    page.keyboard.type(REWORDED)
    tab_to(page, f"#publish-{asked}-answer")
    page.keyboard.type(ANSWER)
    tab_to_text(page, "Publish question and answer")
    page.keyboard.press("Enter")
    expect(page.locator("#questions ~ .govuk-notification-banner")).to_contain_text("published on the opportunity page")
    card = page.locator(f"#question-{asked}")
    expect(card).to_contain_text("You changed the question before publishing it.")
    expect(card).to_contain_text(ASKED)
    no_violations(page)

    # Rejecting needs a reason: a first try without one is refused, and the reason box opens with the message.
    tab_to_text(page, "Do not publish this question")
    page.keyboard.press("Enter")
    tab_to_text(page, "Reject question")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you are not publishing this question")
    no_violations(page)
    fits_the_screen(page)
    tab_to(page, f"#reject-{too_narrow}-reason")
    page.keyboard.type(REASON)
    tab_to_text(page, "Reject question")
    page.keyboard.press("Enter")
    expect(page.locator("#questions ~ .govuk-notification-banner")).to_contain_text("will not be published")
    expect(page.locator(f"#question-{too_narrow}")).to_contain_text(REASON)
    no_violations(page)

    # The public page shows only the reworded question and its answer.
    page.context.clear_cookies()
    page.goto(f"/opportunities/{opportunity.slug}")
    answers = page.locator("#questions ~ dl").first
    expect(answers).to_contain_text(REWORDED)
    expect(answers).to_contain_text(ANSWER)
    expect(page.locator("main")).not_to_contain_text("Quinn")
    expect(page.locator("main")).not_to_contain_text(TOO_NARROW)

    # The supplier's dashboard lists both, with what they wrote and what happened.
    sign_in_as(page, "quinn@example.org")
    page.goto("/dashboard")
    listed = page.locator("#questions + ul")
    expect(listed.locator("li", has_text=ASKED)).to_contain_text("Answered")
    expect(listed.locator("li", has_text=ASKED)).to_contain_text(f"The buyer published it as: {REWORDED}")
    expect(listed.locator("li", has_text=TOO_NARROW)).to_contain_text("Not published")
    expect(listed.locator("li", has_text=TOO_NARROW)).to_contain_text(f"The buyer's reason: {REASON}")
    no_violations(page)
    fits_the_screen(page)

    # The update email shows the published question, the answer and the reason, and links to the page.
    result = content_app.test_cli_runner().invoke(args=["send-alerts"])
    assert result.exit_code == 0, result.output
    email = read_email("quinn@example.org")
    assert f"Question: {REWORDED}" in email and f"Answer: {ANSWER}" in email
    assert f"The buyer's reason: {REASON}" in email and "ask again" in email
    response = page.goto(link_in(email, f"/opportunities/{opportunity.slug}"))
    assert response.status == 200
    expect(page.locator("#questions ~ dl").first).to_contain_text(ANSWER)
    staff_email = read_email("moderator@kent.example.org")
    assert "New question about \u201cLunch clubs in east Kent\u201d" in staff_email
    assert link_in(staff_email, "/buyer/opportunities/") == f"/buyer/opportunities/{opportunity.id}#questions"
