"""Pre-market engagement both ways, the whole loop, by keyboard only on the live portal with the demo content.

A small charity signs up and confirms its email address; finds a brief that asks the market questions and offers
one-to-one meetings; answers, shares a named contact and keeps updated; books a meeting, asks a question and writes to
a partner on the public list. The buyer's member of staff, emailed at once, reads the response, downloads the
spreadsheet, rewords and answers the question and closes engagement. The update emails then tell the charity. Every
link in every email sent during the journey opens a page; every new page passes axe-core, and the charity's pages
fit a 320 pixel screen."""

import re
from datetime import date, time

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from portal.models import Opportunity, Organisation, UpdateEmails, User
from portal.services import buyer_items, meeting_slots, update_emails
from portal.services.market_questions import QuestionValues
from tests.browser.conftest import plain_text
from tests.browser.keyboard import tab_to, tab_to_text
from tests.browser.steps import fits_a_small_screen, no_violations, type_into
from tests.conftest import TODAY
from tests.factories import make_interest
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier

BUYER = "carers.lead@gmca.example.org"
CHARITY = "ade@salford-carers-cafe.example.org"
PARTNER = "pat@bolton-befrienders.example.org"
TITLE = "Breaks for unpaid carers in Salford who care at night"
REACH = "How would you reach carers who do not see themselves as carers?"
AREAS = "Which parts of Salford could you cover?"
REACH_ANSWER = "Through GP surgeries, pharmacies and the night bus, where we already run a carers' cafe."
AREAS_ANSWER = "Eccles, Swinton and Walkden."
CONTACT = ("Ade Mensah", "020 7946 0555")
ASKED = "We are the Salford Carers' Cafe. Could a charity of four people deliver this in one area only?"
REWORDED = "Could a very small charity deliver this in one area only?"
ANSWER = "Yes. We will buy in small lots, one for each area of Salford."
MESSAGE = "We run a carers' cafe in Eccles. Could your befrienders cover Walkden with us?"


@pytest.fixture(scope="module")
def brief(content_app):
    """A published brief of the Greater Manchester Combined Authority that asks two questions and offers three
    meeting times, with a partner on its public list; and the member of staff who runs it, emailed straight away."""
    engine = content_app.extensions["engine"]
    with Session(engine, expire_on_commit=False) as session:
        gmca = session.exec(select(Organisation).where(Organisation.slug == "greater-manchester")).one()
    staff = make_buyer_user(content_app, gmca, BUYER)
    partner = make_supplier(content_app, email=PARTNER, organisation="Bolton Befrienders", size="small",
                            legal_form="charity")
    with Session(engine, expire_on_commit=False) as session:
        update_emails.set_choice(session, session.get(User, staff.id), UpdateEmails.INSTANT)
        data = buyer_items.BriefData(
            kind="problem-statement", title=TITLE, summary="Carers who look after someone at night need a break.",
            why_md="Carers who never sleep through the night fall ill themselves.",
            body_md="## The problem\n\nAbout 3,000 carers in Salford look after someone through the night.",
            answers={}, missions=["good-jobs"], cpv_code="85311000-2", regions=["TLD"], value_min=40_000, value_max=120_000,
            engagement_closes_on=date(2027, 1, 29), questions_close_on=date(2027, 1, 15), suitable_for_sme=True,
            suitable_for_vcse=True, market_questions=[QuestionValues(REACH, 100), QuestionValues(AREAS, 50)])
        opportunity = buyer_items.save_draft(session, content_app.extensions["search"], gmca, data, "ocds-test00")
        buyer_items.publish(session, content_app.extensions["search"], opportunity, TODAY)
        meeting_slots.add_slots(session, opportunity, meeting_slots.NewSlots(
            day=date(2026, 12, 3), first_start=time(14), minutes=30, count=3, break_minutes=0, online=False,
            place="Salford Civic Centre, Chorley Road, Swinton M27 5AW"))
        make_interest(session, opportunity, session.get(User, partner.id), keep_updated=True, open_to_partnering=True,
                      listed_publicly=True)
        return session.get(Opportunity, opportunity.id)


def sign_in(page: Page, email: str) -> None:
    """On the sign-in page, by keyboard."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    type_into(page, "#email", email)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()


def press(page: Page, text: str) -> None:
    """Tab to the link or button with this text and press Enter."""
    tab_to_text(page, text)
    page.keyboard.press("Enter")


def links_in(message) -> list[str]:
    return [link.rstrip(".,;)") for link in re.findall(r"https?://\S+", plain_text(message))]


def path_of(link: str, base_url: str) -> str:
    assert link.startswith(base_url + "/"), f"{link} does not lead to the portal"
    return link[len(base_url):]


def follow_every_link(page: Page, messages, base_url: str, small_screen: bool = False) -> list[str]:
    """Open each link in these emails in this person's browser, checking each page once with axe-core (and on a
    320 pixel screen); what went wrong, if anything."""
    problems, seen = [], set()
    for link in dict.fromkeys(link for message in messages for link in links_in(message)):
        if not link.startswith(base_url + "/"):
            problems.append(f"{link} does not lead to the portal")
            continue
        response = page.goto(path_of(link, base_url))
        landed_on_sign_in = page.url.split("?")[0].endswith("/sign-in")
        if response.status != 200 or landed_on_sign_in:
            problems.append(f"{link} gave {response.status}{' (the sign-in page)' if landed_on_sign_in else ''}")
        elif (fragment := link.partition("#")[2]) and not page.locator(f"[id='{fragment}']").count():
            problems.append(f"{link} opens a page with no #{fragment} on it")
        elif (page_path := page.url.split("#")[0]) not in seen:
            seen.add(page_path)
            no_violations(page)
            if small_screen:
                fits_a_small_screen(page)
    return problems


def test_the_whole_engagement_loop_by_keyboard(page: Page, browser: Browser, base_url, content_app, brief,
                                               read_emails):
    charity = page

    # 1. The charity signs up as a micro charity and confirms its email address from the email.
    charity.goto("/")
    press(charity, "Sign in")
    expect(charity.get_by_role("heading", level=1)).to_have_text("Sign in")
    press(charity, "Create a supplier account")
    expect(charity.get_by_role("heading", level=1)).to_have_text("Create a supplier account")
    type_into(charity, "#name", CONTACT[0])
    type_into(charity, "#email", CHARITY)
    type_into(charity, "#password", "kettle moonlight harbour")
    type_into(charity, "#organisation_name", "Salford Carers' Cafe")
    tab_to(charity, "#size")  # the first size, micro
    charity.keyboard.press("Space")
    tab_to(charity, "#legal_form")  # Company, then CIC, then Charity
    charity.keyboard.press("ArrowDown")
    charity.keyboard.press("ArrowDown")
    expect(charity.get_by_label("Micro", exact=True)).to_be_checked()
    expect(charity.get_by_label("Charity", exact=True)).to_be_checked()
    type_into(charity, "#registration_number", "1234567")
    tab_to(charity, "#regions_served-2")  # North West
    charity.keyboard.press("Space")
    type_into(charity, "#one_line", "We run a night-time cafe for carers in Eccles")
    fits_a_small_screen(charity)
    press(charity, "Create account")
    expect(charity.get_by_role("heading", level=1)).to_have_text("Check your email")
    no_violations(charity)
    fits_a_small_screen(charity)
    [confirmation] = read_emails(CHARITY)
    [link] = links_in(confirmation)
    assert charity.goto(path_of(link, base_url)).status == 200
    expect(charity.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(charity.locator(".govuk-notification-banner")).to_contain_text("Your email address is confirmed")
    no_violations(charity)
    fits_a_small_screen(charity)

    # 2. It finds the brief, answers the buyer's questions, shares a named contact and keeps updated.
    type_into(charity, "#header-q", "unpaid carers at night Salford")
    charity.keyboard.press("Enter")
    expect(charity.get_by_role("heading", level=1)).to_have_text("Search opportunities")
    no_violations(charity)
    press(charity, TITLE)
    expect(charity.get_by_role("heading", level=1)).to_have_text(TITLE)
    no_violations(charity)
    fits_a_small_screen(charity)
    labels = charity.locator("form[action$='/interest'] .govuk-character-count label")
    expect(labels).to_have_text([REACH, AREAS])
    answers = charity.locator("form[action$='/interest'] textarea")
    type_into(charity, f"#{answers.nth(0).get_attribute('id')}", REACH_ANSWER)
    type_into(charity, f"#{answers.nth(1).get_attribute('id')}", AREAS_ANSWER)
    tab_to(charity, "#share_contact")
    charity.keyboard.press("Space")
    expect(charity.locator("#contact_name")).to_have_value(CONTACT[0])
    expect(charity.locator("#contact_email")).to_have_value(CHARITY)
    type_into(charity, "#contact_phone", CONTACT[1])
    tab_to(charity, "#keep_updated")
    charity.keyboard.press("Space")
    expect(charity.locator("#keep_updated")).to_be_checked()
    press(charity, "Send to the buyer")
    expect(charity.locator("#take-part ~ .govuk-notification-banner")).to_contain_text(
        "Your interest has been sent to Greater Manchester Combined Authority.")
    expect(charity.locator("#interest-status")).to_contain_text("Sent to the buyer on")
    no_violations(charity)

    # 3. It books a meeting, asks a question and writes to a partner on the public list.
    press(charity, "See the meeting times")
    expect(charity.get_by_role("heading", level=1)).to_have_text("One-to-one meetings")
    no_violations(charity)
    tab_to(charity, "#slot")
    charity.keyboard.press("Space")
    press(charity, "Book this time")
    expect(charity.locator(".govuk-notification-banner")).to_contain_text("Your meeting is booked")
    expect(charity.locator("#your-meeting + dl")).to_contain_text("Thursday 3 December 2026, 2pm to 2:30pm (UK time)")
    no_violations(charity)
    fits_a_small_screen(charity)

    press(charity, TITLE)  # the breadcrumb back to the brief
    expect(charity.get_by_role("heading", level=1)).to_have_text(TITLE)
    type_into(charity, "#question", ASKED)
    press(charity, "Send question")
    expect(charity.locator("#questions ~ .govuk-notification-banner")).to_contain_text("sent to the buyer")

    tab_to(charity, 'a[href$="/partners/bolton-befrienders/message"]')
    charity.keyboard.press("Enter")
    expect(charity.get_by_role("heading", level=1)).to_have_text("Send a message to Bolton Befrienders")
    no_violations(charity)
    fits_a_small_screen(charity)
    type_into(charity, "#message", MESSAGE)
    press(charity, "Send message")
    expect(charity.locator(".govuk-notification-banner")).to_contain_text(
        "Your message has been sent to Bolton Befrienders")
    no_violations(charity)
    fits_a_small_screen(charity)

    # 4. The buyer's member of staff was emailed each time, at once: the response, the booking and the question.
    buyer_emails = read_emails(BUYER)
    by_subject = {message["Subject"]: message for message in buyer_emails}
    interest_email = by_subject[f"Salford Carers' Cafe registered interest in \u201c{TITLE}\u201d"]
    assert all(text in plain_text(interest_email) for text in (CONTACT[0], CONTACT[1], CHARITY, REACH_ANSWER))
    booking_email = by_subject["Meeting with Salford Carers' Cafe booked for Thursday 3 December 2026, 2pm (UK time)"]
    assert "Thursday 3 December 2026, 2pm to 2:30pm (UK time)" in plain_text(booking_email)
    [calendar] = booking_email.iter_attachments()
    assert calendar.get_content_type() == "text/calendar"
    assert "DTSTART:20261203T140000Z" in calendar.get_content()
    question_email = by_subject[f"New question about \u201c{TITLE}\u201d"]
    assert ASKED in plain_text(question_email)

    buyer = browser.new_context(base_url=base_url).new_page()
    buyer.goto(path_of(links_in(interest_email)[0], base_url))  # signed out: sign in, then on to the responses
    sign_in(buyer, BUYER)
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Responses from suppliers")
    card = buyer.locator("section[id^='response-']", has_text="Salford Carers' Cafe")
    for text in ("Micro", "Charity", *CONTACT, CHARITY, REACH_ANSWER, AREAS_ANSWER):
        expect(card).to_contain_text(text)
    no_violations(buyer)
    tab_to_text(buyer, "Download every response as a spreadsheet (CSV)")
    with buyer.expect_download() as download:
        buyer.keyboard.press("Enter")
    raw = open(download.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel reads the spreadsheet as UTF-8"
    spreadsheet = raw.decode("utf-8-sig")
    for text in ("Salford Carers' Cafe", *CONTACT, CHARITY, REACH, REACH_ANSWER, AREAS, AREAS_ANSWER):
        assert text in spreadsheet, text

    # The buyer rewords the question, publishes it with an answer, and closes engagement after confirming.
    press(buyer, TITLE)  # the breadcrumb to the brief's own page
    expect(buyer.get_by_role("heading", level=1)).to_have_text(TITLE)
    question = buyer.locator(".portal-card", has_text=ASKED)
    question_id = question.get_attribute("id").removeprefix("question-")
    no_violations(buyer)
    tab_to(buyer, f"#publish-{question_id}-question")
    buyer.keyboard.press("Control+A")
    buyer.keyboard.type(REWORDED)
    type_into(buyer, f"#publish-{question_id}-answer", ANSWER)
    press(buyer, "Publish question and answer")
    expect(buyer.locator("#questions ~ .govuk-notification-banner")).to_contain_text(
        "published on the opportunity page")
    expect(buyer.locator(f"#question-{question_id}")).to_contain_text("You changed the question before publishing it.")
    press(buyer, "Close engagement")
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Are you sure you want to close engagement?")
    no_violations(buyer)
    press(buyer, "Close engagement")
    expect(buyer.locator("#confirmation")).to_contain_text("Engagement is closed.")
    expect(buyer.locator("#engagement-closed")).to_have_text(
        "Engagement on this opportunity closed on 22 November 2026.")
    no_violations(buyer)

    # 5. The update emails go out; the charity's dashboard and emails show the answer and that engagement closed.
    result = content_app.test_cli_runner().invoke(args=["send-alerts"])
    assert result.exit_code == 0, result.output
    press(charity, "Your dashboard")
    expect(charity.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    asked = charity.locator("#questions + ul li", has_text=ASKED)
    expect(asked).to_contain_text("Answered")
    expect(asked).to_contain_text(f"The buyer published it as: {REWORDED}")
    followed = charity.locator("#following + ul > li", has_text=TITLE)
    expect(followed).to_contain_text("Engagement closed early, on 22 November 2026")
    expect(charity.locator("#interests + ul")).to_contain_text(TITLE)
    expect(charity.locator("#meetings + ul li", has_text=TITLE)).to_contain_text(
        "Thursday 3 December 2026, 2pm to 2:30pm (UK time) · In person at Salford Civic Centre")
    no_violations(charity)
    fits_a_small_screen(charity)
    [update] = [message for message in read_emails(CHARITY)
                if message["Subject"].endswith("from the Opportunity Portal")]
    told = plain_text(update)
    assert f"Question: {REWORDED}" in told and f"Answer: {ANSWER}" in told, told
    assert "Engagement has closed, so suppliers can no longer register interest" in told, told
    answered = next(link for link in links_in(update) if link.endswith("#questions"))
    assert charity.goto(path_of(answered, base_url)).status == 200
    expect(charity.locator("#questions ~ dl").first).to_contain_text(REWORDED)
    expect(charity.locator("#questions ~ dl").first).to_contain_text(ANSWER)
    expect(charity.locator("main")).not_to_contain_text(ASKED)
    expect(charity.locator("#engagement-closed")).to_contain_text("Engagement has closed")
    expect(charity.locator("#your-answers")).to_contain_text(REACH_ANSWER)
    expect(charity.locator("#meetings + p")).to_contain_text("Meetings can no longer be booked or moved.")
    no_violations(charity)
    fits_a_small_screen(charity)

    # 6. Every link in every email to the charity, the buyer and the partner opens a page, for the person emailed.
    partner = browser.new_context(base_url=base_url).new_page()
    partner_emails = read_emails(PARTNER)
    written = next(message for message in partner_emails if "has written to you" in message["Subject"])
    assert MESSAGE in plain_text(written) and CHARITY not in plain_text(written)
    partner.goto(path_of(links_in(written)[0], base_url))  # signed out: sign in, then on to the conversation
    sign_in(partner, PARTNER)
    expect(partner.get_by_role("heading", level=1)).to_have_text("Messages with Salford Carers' Cafe")
    checked = {CHARITY: read_emails(CHARITY), BUYER: read_emails(BUYER), PARTNER: partner_emails}
    problems = (follow_every_link(charity, checked[CHARITY], base_url, small_screen=True)
                + follow_every_link(buyer, checked[BUYER], base_url)
                + follow_every_link(partner, checked[PARTNER], base_url))
    listed = "\n".join(dict.fromkeys(f"{to}: {link}" for to, messages in checked.items() for message in messages
                                     for link in links_in(message)))
    assert not problems, "\n".join(problems) + "\n\nLinks checked:\n" + listed
    buyer.context.close()
    partner.context.close()
