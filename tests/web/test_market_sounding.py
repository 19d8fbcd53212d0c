"""Market sounding through the web: suppliers answer the buyer's questions (draft, then send), share a contact only
if they agree, and the buyer reads every response in full and downloads it as a spreadsheet."""

import csv
import email
import email.policy
import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portal.mail import wait_for_background_mail
from portal.models import Follow, Interest, MarketAnswer, MarketQuestion, Notification, Opportunity, User, utcnow
from portal.services import market_questions
from portal.services.market_questions import QuestionValues
from tests.conftest import TODAY
from tests.factories import make_buyer, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in

PAGE = "/opportunities/school-meals"
REGISTER = f"{PAGE}/interest"


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        kent = make_buyer(session, slug="kent", name="Kent County Council")
        item = make_opportunity(session, camden, slug="school-meals", title="Healthy school meals")
        market_questions.sync(session, item.id, [QuestionValues("How would you reach families?", 50),
                                                 QuestionValues("What would it cost?", 100)])
        session.commit()
        reach, cost = market_questions.current(session, item.id)
    make_buyer_user(app, camden, "cam@camden.example.org")
    make_buyer_user(app, kent, "kim@kent.example.org")
    return {"item": item, "reach": reach, "cost": cost, "camden": camden}


@pytest.fixture
def amy(app, client, world):
    user = make_supplier(app)
    sign_in(client)
    return user


@pytest.fixture
def camden_client(app, world):
    client = app.test_client()
    sign_in(client, "cam@camden.example.org")
    return client


def answers(world, reach="", cost="") -> dict:
    return {f"answer_{world['reach'].id}": reach, f"answer_{world['cost'].id}": cost}


def sent_form(world, **changes) -> dict:
    return {**answers(world, "Through school newsletters.", "About £20,000 a year."), "share_contact": "y",
            "contact_name": "Amy Example", "contact_email": "amy@example.org", "contact_phone": "020 7946 0000",
            "action": "send", **changes}


def rows(app, model):
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(model)).all()


def responses_page(camden_client, world):
    return camden_client.get(f"/buyer/opportunities/{world['item'].id}/responses")


def test_the_form_asks_the_buyers_questions_with_word_limits_and_offers_the_person_as_contact(client, world, amy):
    page = soup(client.get(PAGE))
    groups = page.select("#take-part ~ form .govuk-character-count")
    assert [g.label.get_text(strip=True) for g in groups] == ["How would you reach families?", "What would it cost?"]
    assert [g["data-maxwords"] for g in groups] == ["50", "100"]
    assert [g.select_one(".govuk-character-count__message").get_text() for g in groups] == [
        "You can enter up to 50 words", "You can enter up to 100 words"], "the limit is stated without JavaScript"
    assert page.select_one("#contact_name")["value"] == "Amy Example"
    assert page.select_one("#contact_email")["value"] == "amy@example.org"
    assert not page.select_one("#keep_updated").has_attr("checked"), "not ticked unless asked for"
    assert [b.get_text() for b in page.select("button[name=action]")] == ["Send to the buyer", "Save as draft"]


def test_a_draft_keeps_the_answers_and_the_buyer_sees_nothing(client, app, world, amy, camden_client):
    response = post(client, REGISTER, {**answers(world, "Newsletters.", ""), "action": "draft"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#confirmation")
    page = soup(client.get(PAGE))
    assert "Draft saved. The buyer cannot see it" in page.select_one("#take-part ~ .govuk-notification-banner").get_text()
    assert page.select_one(f"#answer_{world['reach'].id}").get_text() == "Newsletters."
    assert "has a draft" in page.select_one("#interest-status").get_text()
    assert "No organisations have registered interest" in page.get_text()
    [draft] = rows(app, Interest)
    assert draft.submitted_at is None
    assert "Amy" not in responses_page(camden_client, world).get_data(as_text=True)
    assert rows(app, Notification) == []


def test_a_long_draft_is_saved_with_a_warning(client, app, world, amy):
    response = post(client, REGISTER, {**answers(world, "word " * 51, "word " * 101), "action": "draft"})
    assert response.status_code == 303
    banner = soup(client.get(PAGE)).select_one(".govuk-notification-banner").get_text()
    assert "Shorten your answers to questions 1 and 2 before you send" in banner
    assert len(rows(app, Interest)) == 1


@pytest.mark.parametrize("changes, field, message", [
    ({"contact_name": ""}, "contact_name", "Enter the name of the person to contact"),
    ({"contact_email": ""}, "contact_email", "Enter the email address of the person to contact"),
    ({"contact_email": "amy at example"}, "contact_email", "Enter an email address in the correct format"),
    ({"contact_phone": "call me"}, "contact_phone", "Enter a phone number"),
    ({"contact_phone": "1" * 31}, "contact_phone", "30 characters or fewer"),
    ({"contact_name": "Amy\nExample"}, "contact_name", "must be on one line"),
    ({"answer_REACH": "word " * 51}, "answer_REACH", "Your answer must be 50 words or fewer (it has 51)"),
    ({"answer_REACH": "x" * 1001}, "answer_REACH", "Your answer is too long"),
])
def test_sending_with_a_problem_keeps_everything_typed(client, app, world, amy, changes, field, message):
    reach = f"answer_{world['reach'].id}"
    changes = {key.replace("answer_REACH", reach): value for key, value in changes.items()}
    field = field.replace("answer_REACH", reach)
    response = post(client, REGISTER, sent_form(world, **changes))
    assert response.status_code == 400
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    summary = page.select_one(".govuk-error-summary")
    assert message in summary.get_text()
    assert summary.find("a", string=lambda s: s and message in s)["href"] == f"#{field}"
    assert message in page.select_one(f"#{field}-error").get_text()
    assert page.select_one(f"#answer_{world['cost'].id}").get_text() == "About £20,000 a year."
    if field != reach:
        assert page.select_one(f"#{reach}").get_text() == "Through school newsletters."
    assert rows(app, Interest) == []


def test_a_draft_with_a_bad_email_address_is_refused_too(client, app, world, amy):
    response = post(client, REGISTER, sent_form(world, action="draft", contact_email="nope"))
    assert response.status_code == 400 and rows(app, Interest) == []


def test_sending_tells_the_buyer_who_reads_every_answer_in_full(client, app, world, amy, camden_client):
    response = post(client, REGISTER, sent_form(world, **{f"answer_{world['reach'].id}": "Newsletters.\n\nAnd <b>posters</b>."}))
    assert response.status_code == 303
    page = soup(client.get(PAGE))
    assert "Your interest has been sent to Camden Council." in page.select_one(".govuk-notification-banner").get_text()
    assert "1 organisation has registered interest so far." in page.get_text()
    assert [b.get_text() for b in page.select("button[name=action]")] == ["Send changes to the buyer"]
    assert "Sent to the buyer on" in page.select_one("#interest-status").get_text()

    [notice] = rows(app, Notification)
    assert notice.message == "Good Food CIC registered interest in \u201cHealthy school meals\u201d"
    assert "Email: amy@example.org" in notice.details

    response = responses_page(camden_client, world)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<b>posters</b>" not in html and "&lt;b&gt;posters&lt;/b&gt;" in html, "what suppliers write is escaped"
    page = soup(response)
    card = page.select_one(f"#response-{rows(app, Interest)[0].id}")
    assert card.h3.get_text() == "Good Food CIC"
    facts = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in card.select(".govuk-summary-list__row")}
    assert (facts["Size"], facts["Type"]) == ("Micro", "Community interest company (CIC)")
    assert facts["Regions"] == "London"
    assert facts["Contact"] == "Amy Example amy@example.org 020 7946 0000"
    assert "Newsletters.\n\nAnd <b>posters</b>." in card.get_text()
    by_question = page.select_one("#by-question").find_next("section")
    assert by_question.h3.get_text() == "How would you reach families?"
    assert "1 of 1 answered" in by_question.get_text()

    # Changing an answer is sent at once, and the buyer gets a shorter notice.
    post(client, REGISTER, sent_form(world, **{f"answer_{world['cost'].id}": "About £25,000 a year."}))
    assert "Your changes have been sent to Camden Council." in soup(client.get(PAGE)).select_one(".govuk-notification-banner").get_text()
    changed = rows(app, Notification)[-1]
    assert changed.message.startswith("Good Food CIC changed their response")
    assert "About £25,000 a year." in changed.details and "Newsletters" not in changed.details


def test_without_consent_the_buyer_sees_no_contact(client, app, world, amy, camden_client):
    post(client, REGISTER, sent_form(world, share_contact=""))
    page = soup(responses_page(camden_client, world))
    contact = page.find("dt", string="Contact").find_next("dd").get_text(strip=True)
    assert contact == "Not shared"
    assert "020 7946 0000" not in page.get_text() and "amy@example.org" not in page.get_text()
    [notice] = rows(app, Notification)
    assert "amy@example.org" not in notice.details and "chose not to share" in notice.details
    table = csv_rows(camden_client, world)
    assert [(r["Contact name"], r["Contact email"], r["Contact phone"]) for r in table] == [("", "", "")]


def csv_rows(camden_client, world) -> list[dict]:
    response = camden_client.get(f"/buyer/opportunities/{world['item'].id}/interest.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf"), "a byte order mark, for Excel"
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_spreadsheet_has_one_row_per_supplier_readable_and_formula_safe(app, world, camden_client):
    amy_client, ben_client = app.test_client(), app.test_client()
    make_supplier(app)
    make_supplier(app, email="ben@example.org", organisation="=HYPERLINK(\"http://evil\")", size="small",
                  legal_form="charity")
    sign_in(amy_client)
    sign_in(ben_client, "ben@example.org")
    post(amy_client, REGISTER, sent_form(world, **{f"answer_{world['reach'].id}": "Newsletters, \"flyers\"\nand posters."}))
    post(ben_client, REGISTER, sent_form(world, share_contact="", contact_name="", contact_email="",
                                         **{f"answer_{world['reach'].id}": "=1+1", f"answer_{world['cost'].id}": "-5"}))
    with Session(app.extensions["engine"]) as session:  # the question's words are the buyer's, made safe too
        question = session.get(MarketQuestion, world["cost"].id)
        question.text = "@cost?"
        session.add(question)
        session.commit()

    table = csv_rows(camden_client, world)
    assert list(table[0]) == ["Opportunity", "Organisation", "Size", "Type", "Regions", "About them", "Contact name",
                              "Contact email", "Contact phone", "Website", "Open to partnering",
                              "Registered at (UK time)", "How would you reach families?", "'@cost?"]
    amy_row, ben_row = table
    assert amy_row["Opportunity"] == "Healthy school meals"
    assert (amy_row["Organisation"], amy_row["Size"], amy_row["Type"], amy_row["Regions"]) == (
        "Good Food CIC", "Micro", "Community interest company (CIC)", "London")
    assert (amy_row["Contact name"], amy_row["Contact phone"]) == ("Amy Example", "020 7946 0000")
    assert amy_row["How would you reach families?"] == "Newsletters, \"flyers\"\nand posters."
    assert (ben_row["Organisation"], ben_row["Size"], ben_row["Type"]) == ("'=HYPERLINK(\"http://evil\")", "Small", "Charity")
    assert (ben_row["How would you reach families?"], ben_row["'@cost?"]) == ("'=1+1", "'-5")
    assert ben_row["Contact email"] == ""


def test_registered_at_is_uk_time(app, world, camden_client):
    make_supplier(app)
    amy_client = app.test_client()
    sign_in(amy_client)
    post(amy_client, REGISTER, sent_form(world))
    with Session(app.extensions["engine"]) as session:
        [sent] = session.exec(select(Interest)).all()
        sent.submitted_at = utcnow().replace(year=2026, month=7, day=1, hour=9, minute=5)  # summer time: 10:05 in the UK
        session.add(sent)
        session.commit()
    [row] = csv_rows(camden_client, world)
    assert row["Registered at (UK time)"] == "2026-07-01 10:05"


@pytest.mark.parametrize("path", ["/buyer/opportunities/{id}/responses", "/buyer/opportunities/{id}/interest.csv"])
def test_only_the_buyers_own_staff_can_read_responses(app, client, world, path):
    url = path.format(id=world["item"].id)
    assert client.get(url).status_code == 302, "signed out: sign in first"
    kim = app.test_client()
    sign_in(kim, "kim@kent.example.org")
    assert kim.get(url).status_code == 404, "another buyer cannot tell it exists"
    assert kim.get(path.format(id=999_999)).status_code == 404
    make_supplier(app)
    sign_in(client)
    assert client.get(url).status_code == 403


def test_an_empty_responses_page_says_so(world, camden_client):
    page = soup(responses_page(camden_client, world))
    assert page.h1.get_text() == "Responses from suppliers"
    assert "0 organisations have sent a response." in page.get_text()


def closed(app, world):
    with Session(app.extensions["engine"]) as session:
        item = session.get(Opportunity, world["item"].id)
        item.engagement_closes_on = TODAY - timedelta(days=1)
        session.add(item)
        session.commit()


def test_once_engagement_closes_the_form_goes_and_sending_is_refused(client, app, world, amy):
    post(client, REGISTER, sent_form(world))
    closed(app, world)
    page = soup(client.get(PAGE))
    assert page.select("button[name=action]") == []
    assert "closed on 21 November 2026" in page.select_one("#engagement-closed").get_text()
    assert "Through school newsletters." in page.select_one("#your-answers").get_text(), "what they sent, to read"
    response = post(client, REGISTER, sent_form(world, **{f"answer_{world['reach'].id}": "Too late."}))
    assert response.status_code == 303
    banner = soup(client.get(PAGE)).select_one(".govuk-notification-banner")
    assert "Important" in banner.get_text() and "closed on 21 November 2026" in banner.get_text()
    assert "Too late." not in [answer.text for answer in rows(app, MarketAnswer)]


def test_closed_engagement_refuses_even_a_form_with_problems(client, app, world, amy):
    closed(app, world)
    response = post(client, REGISTER, {"share_contact": "y", "contact_email": "not an address", "action": "send"})
    assert response.status_code == 303 and rows(app, Interest) == []


def test_keep_me_updated_and_the_follow_button_agree(client, app, world, amy):
    post(client, REGISTER, sent_form(world, keep_updated="y"))
    assert [f.user_id for f in rows(app, Follow)] == [amy.id]
    page = soup(client.get(PAGE))
    assert page.select_one("#keep_updated").has_attr("checked")
    assert page.find("button", string="Stop following") is not None
    post(client, REGISTER, sent_form(world))  # unticked
    assert rows(app, Follow) == []
    post(client, f"{PAGE}/follow")
    page = soup(client.get(PAGE))
    assert page.select_one("#keep_updated").has_attr("checked"), "following shows as the box ticked"


def test_an_unconfirmed_person_is_told_the_buyer_waits_for_confirmation(client, app, world, amy, camden_client, tmp_path):
    app.config["OUTBOX_DIR"] = str(tmp_path / "outbox")
    with Session(app.extensions["engine"]) as session:
        person = session.get(User, amy.id)
        person.email_confirmed_at = None
        session.add(person)
        session.commit()
    page = soup(client.get(PAGE))
    assert "The buyer will see your interest and answers only after you do." in page.select_one(".govuk-warning-text").get_text()
    post(client, REGISTER, sent_form(world))
    page = soup(client.get(PAGE))
    assert "Camden Council will see your interest once you confirm your email address" in page.select_one(
        ".govuk-notification-banner").get_text()
    assert "until you confirm your email address" in page.select_one("#interest-status").get_text()
    assert "No organisations have registered interest" in page.get_text()
    assert "Good Food" not in responses_page(camden_client, world).get_data(as_text=True)
    assert rows(app, Notification) == []

    form = page.find("button", string="Email me a new link").find_parent("form")
    response = post(client, form["action"])
    assert response.status_code == 303 and response.headers["Location"] == PAGE
    wait_for_background_mail()
    [message] = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                 for p in Path(app.config["OUTBOX_DIR"]).glob("*.eml")]
    assert message["To"] == "amy@example.org" and "/confirm-email/" in message.get_content()
    link = next(word for word in message.get_content().split() if "/confirm-email/" in word)
    assert client.get(link.removeprefix("http://localhost")).status_code == 303
    assert "Good Food CIC" in responses_page(camden_client, world).get_data(as_text=True)
    assert [n.message for n in rows(app, Notification)] == [
        "Good Food CIC registered interest in \u201cHealthy school meals\u201d"]


def test_asking_for_a_new_link_needs_a_signed_in_person_and_a_token(client, app, world, amy):
    assert client.post("/confirm-email/resend").status_code == 400
    response = post(client, "/confirm-email/resend?next=https://evil.example/")
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard"
    assert "already confirmed" in soup(client.get("/dashboard")).get_text()
    signed_out = post(app.test_client(), "/confirm-email/resend")
    assert signed_out.status_code == 302 and signed_out.headers["Location"].startswith("/sign-in")


def test_answers_cannot_be_slipped_in_for_other_questions(client, app, world, amy):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        other = make_opportunity(session, world["camden"], slug="other", title="Other")
        market_questions.sync(session, other.id, [QuestionValues("Elsewhere?")])
        session.commit()
        [elsewhere] = market_questions.current(session, other.id)
    post(client, REGISTER, sent_form(world, **{f"answer_{elsewhere.id}": "Sneaky."}))
    assert "Sneaky." not in [answer.text for answer in rows(app, MarketAnswer)]


def test_the_dashboard_lists_drafts_sent_interest_and_followed_items(client, app, world, amy):
    post(client, REGISTER, {**answers(world, "Newsletters."), "action": "draft", "keep_updated": "y"})
    page = soup(client.get("/dashboard"))
    assert "Draft: not sent to the buyer" in page.select_one("#interests + ul").get_text()
    assert "Healthy school meals" in page.select_one("#following + ul").get_text()
    post(client, REGISTER, sent_form(world))
    page = soup(client.get("/dashboard"))
    assert "Sent to the buyer" in page.select_one("#interests + ul").get_text()
    assert "You are not following any opportunities." in page.get_text()
