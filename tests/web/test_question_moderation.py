"""Questions through the web: a supplier asks while questions are open; the buyer publishes each one in their own
words with an answer, or rejects it with a reason; only published wording ever reaches a public page or file."""

from datetime import date

import pytest
from sqlmodel import Session, select

from portal.models import Notification, Opportunity, Question, QuestionStatus, utcnow
from portal.services import notifications, questions
from portal.services.indexing import rebuild_index
from tests.conftest import TODAY
from tests.factories import make_buyer, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in

ORIGINAL = "We are Good Food CIC, amy@example.org. Can our lunch club bid with a partner?"
PAGE = "/opportunities/school-meals"


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        kent = make_buyer(session, slug="kent", name="Kent County Council")
        opportunity = make_opportunity(session, camden, slug="school-meals", title="Healthy school meals")
    make_buyer_user(app, camden, "cam@camden.example.org")
    make_buyer_user(app, kent, "kim@kent.example.org")
    amy = make_supplier(app)
    return {"opportunity": opportunity, "amy": amy}


def client_for(app, email):
    client = app.test_client()
    sign_in(client, email)
    return client


@pytest.fixture
def amy_client(app, world):
    return client_for(app, "amy@example.org")


@pytest.fixture
def camden(app, world):
    return client_for(app, "cam@camden.example.org")


def ask(app, world, text=ORIGINAL) -> Question:
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        return questions.ask(session, world["opportunity"].id, world["amy"].organisation_id, world["amy"].id, text)


def stored(app, question_id) -> Question:
    with Session(app.extensions["engine"]) as session:
        return session.get(Question, question_id)


def told(app, user_id) -> list[Notification]:
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)).all()


def publish(client, question_id, question, answer):
    return post(client, f"/buyer/questions/{question_id}/answer",
                {f"publish-{question_id}-question": question, f"publish-{question_id}-answer": answer})


def reject(client, question_id, reason):
    return post(client, f"/buyer/questions/{question_id}/reject", {f"reject-{question_id}-reason": reason})


def set_dates(app, world, **dates):
    with Session(app.extensions["engine"]) as session:
        opportunity = session.get(Opportunity, world["opportunity"].id)
        for name, value in dates.items():
            setattr(opportunity, name, value)
        session.add(opportunity)
        session.commit()


def public_answers(client) -> str:
    return soup(client.get(PAGE)).select_one("#questions").find_next("dl").get_text()


def public_outputs(app, client) -> dict[str, str]:
    """Every public page and file that shows this opportunity or its buyer."""
    with Session(app.extensions["engine"]) as session:
        rebuild_index(session, app.extensions["search"])
    paths = [PAGE, f"{PAGE}/ocds.json", "/api/opportunities/school-meals", "/api/opportunities?q=school+meals",
             "/search/feed.atom?q=school+meals", "/search?q=school+meals", "/data/opportunities.csv",
             "/data/ocds/releases.json", "/buyers/camden", "/"]
    outputs = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        outputs[path] = response.get_data(as_text=True)
    assert "Healthy school meals" in outputs["/api/opportunities?q=school+meals"], "the search found the opportunity"
    assert "Healthy school meals" in outputs["/search/feed.atom?q=school+meals"]
    return outputs


# --- asking ----------------------------------------------------------------------------------------------------------

def test_a_supplier_asks_the_buyer_is_told_and_sees_the_original_pre_filled(app, world, amy_client, camden):
    response = post(amy_client, f"{PAGE}/questions", {"question": ORIGINAL})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{PAGE}#confirmation")
    banner = soup(amy_client.get(PAGE)).select_one("#questions ~ .govuk-notification-banner")
    assert "sent to the buyer" in banner.get_text()
    [question] = session_rows(app)
    assert (question.text, question.status) == (ORIGINAL, "waiting")
    [staff] = [n for n in all_notifications(app) if n.message.startswith("New question")]
    assert staff.message == "New question about \u201cHealthy school meals\u201d" and staff.details == ORIGINAL
    assert staff.link["endpoint"] == "buyer.manage" and staff.link["values"]["_anchor"] == "questions"

    page = soup(camden.get(f"/buyer/opportunities/{world['opportunity'].id}"))
    card = page.select_one(f"#question-{question.id}")
    assert ORIGINAL in card.get_text() and "Waiting for you" in card.get_text()
    assert card.select_one(f"#publish-{question.id}-question").get_text() == ORIGINAL, "pre-filled with the original"
    assert card.select_one(f"#publish-{question.id}-answer").get_text() == ""
    assert card.select_one(f"label[for=reject-{question.id}-reason]") is not None


def session_rows(app):
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(Question)).all()


def all_notifications(app):
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(Notification)).all()


# --- publishing ------------------------------------------------------------------------------------------------------

def test_the_buyer_publishes_an_edited_question_and_only_that_wording_is_public(app, world, camden, client):
    question = ask(app, world)
    edited = "Can a lunch club bid together with a partner organisation?"
    response = publish(camden, question.id, edited, "Yes. Partnerships are welcome.")
    manage = f"/buyer/opportunities/{world['opportunity'].id}"
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{manage}#confirmation")
    page = soup(camden.get(manage))
    banner = page.select_one("#questions ~ .govuk-notification-banner")
    assert banner is not None and "published on the opportunity page" in banner.get_text()
    card = page.select_one(f"#question-{question.id}")
    assert "You changed the question before publishing it." in card.get_text()
    assert ORIGINAL in card.get_text() and edited in card.get_text()

    kept = stored(app, question.id)
    assert (kept.status, kept.text, kept.published_text, kept.answer) == (
        "published", ORIGINAL, edited, "Yes. Partnerships are welcome.")
    public = public_answers(client)
    assert edited in public and "Partnerships are welcome" in public
    for path, body in public_outputs(app, client).items():
        for secret in (ORIGINAL, "Good Food CIC", "amy@example.org", "Amy Example"):
            assert secret not in body, f"{secret!r} in {path}"


def test_the_buyer_redacts_a_question_and_the_removed_words_never_appear(app, world, camden, client):
    question = ask(app, world, "My name is Amy from Good Food CIC. Is there a budget?")
    assert publish(camden, question.id, "Is there a budget?", "About \u00a350,000 a year.").status_code == 303
    outputs = public_outputs(app, client)
    assert "Is there a budget?" in outputs[PAGE] and "Is there a budget?" in outputs["/buyers/camden"]
    for body in outputs.values():
        assert "My name is Amy" not in body and "Good Food CIC" not in body


def test_publishing_word_for_word_is_not_shown_as_a_change(app, world, camden):
    question = ask(app, world, "When do you decide?")
    publish(camden, question.id, "When do you decide?", "In March.")
    card = soup(camden.get(f"/buyer/opportunities/{world['opportunity'].id}")).select_one(f"#question-{question.id}")
    assert "You changed the question" not in card.get_text()


def test_the_asker_and_followers_are_told_with_the_published_wording(app, world, camden):
    bob = make_supplier(app, email="bob@example.org", organisation="Bob's Bikes")
    with Session(app.extensions["engine"]) as session:
        notifications.follow(session, bob.id, world["opportunity"].id)
    question = ask(app, world)
    publish(camden, question.id, "Can a lunch club bid?", "Yes.")
    [to_amy], [to_bob] = told(app, world["amy"].id), told(app, bob.id)
    assert to_amy.message == "Your question about \u201cHealthy school meals\u201d has been answered."
    assert "Question: Can a lunch club bid?\n\nAnswer: Yes." in to_amy.details
    assert to_bob.details == "Question: Can a lunch club bid?\n\nAnswer: Yes."


@pytest.mark.parametrize("question_text, answer, message", [
    ("", "Yes.", "Enter the question as it will be published"),
    ("   ", "Yes.", "Enter the question as it will be published"),
    ("Fine?", "", "Enter an answer"),
    ("word " * 101, "Yes.", "Question must be 100 words or fewer"),
    ("Fine?", "word " * 301, "Answer must be 300 words or fewer"),
    ("x" * 1001, "Yes.", "Question must be 1,000 characters or fewer"),
])
def test_publishing_with_errors_shows_them_and_keeps_what_was_typed(app, world, camden, question_text, answer, message):
    question = ask(app, world)
    response = publish(camden, question.id, question_text, answer)
    assert response.status_code == 400
    page = soup(response)
    assert page.title.get_text().startswith("Error:")
    summary_link = page.select_one(".govuk-error-summary a")
    assert summary_link.get_text().startswith(message)
    assert page.select_one(summary_link["href"]) is not None, "the summary links to the field"
    card = page.select_one(f"#question-{question.id}")
    assert card.select_one(f"#publish-{question.id}-question").get_text() == question_text
    assert card.select_one(f"#publish-{question.id}-answer").get_text() == answer
    assert stored(app, question.id).status == "waiting"


def test_html_in_a_question_is_shown_as_text(app, world, camden, client):
    question = ask(app, world, "<script>alert(1)</script> When?")
    page = camden.get(f"/buyer/opportunities/{world['opportunity'].id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; When?" in page
    publish(camden, question.id, "<b>When?</b>", "<i>Soon</i>")
    public = client.get(PAGE).get_data(as_text=True)
    assert "<b>When?</b>" not in public and "&lt;b&gt;When?&lt;/b&gt;" in public


def test_a_published_answer_can_be_changed_and_followers_are_told(app, world, camden, client):
    question = ask(app, world)
    publish(camden, question.id, "Can a lunch club bid?", "Yes.")
    page = soup(camden.get(f"/buyer/opportunities/{world['opportunity'].id}"))
    assert page.select_one(f"#publish-{question.id}-answer").get_text() == "Yes.", "the change form starts as published"
    response = publish(camden, question.id, "Can a lunch club bid?", "Yes, with a partner that has insurance.")
    assert response.status_code == 303
    assert "with a partner that has insurance" in public_answers(client)
    changed = told(app, world["amy"].id)[-1]
    assert changed.message == "The buyer changed a published answer about \u201cHealthy school meals\u201d."
    assert stored(app, question.id).text == ORIGINAL


# --- rejecting -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reason, message", [("", "Say why you are not publishing this question"),
                                             (" \x00 ", "Say why you are not publishing this question"),
                                             ("word " * 101, "Reason must be 100 words or fewer")])
def test_rejecting_needs_a_reason(app, world, camden, reason, message):
    question = ask(app, world)
    response = reject(camden, question.id, reason)
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(".govuk-error-summary a").get_text().startswith(message)
    details = page.select_one(f"#question-{question.id} details:has(#reject-{question.id}-reason)")
    assert details.has_attr("open"), "the reject form is open, showing its error"
    assert stored(app, question.id).status == "waiting"
    assert told(app, world["amy"].id) == []


def test_a_rejected_question_tells_the_asker_why_and_never_appears_publicly(app, world, camden, amy_client, client):
    question = ask(app, world)
    response = reject(camden, question.id, "It names your organisation. Ask again without it.")
    assert response.status_code == 303
    banner = soup(camden.get(response.headers["Location"])).select_one("#questions ~ .govuk-notification-banner")
    assert "will not be published" in banner.get_text()
    kept = stored(app, question.id)
    assert (kept.status, kept.rejection_reason) == ("rejected", "It names your organisation. Ask again without it.")
    [notice] = told(app, world["amy"].id)
    assert notice.message == "Your question about \u201cHealthy school meals\u201d was not published."
    assert "It names your organisation" in notice.details and "ask again" in notice.details
    dashboard = soup(amy_client.get("/dashboard")).select_one("#questions").find_next("ul").get_text()
    assert ORIGINAL in dashboard and "Not published" in dashboard and "It names your organisation" in dashboard
    for path, body in public_outputs(app, client).items():
        assert ORIGINAL not in body and "It names your organisation" not in body, path


def test_waiting_questions_never_appear_publicly(app, world, client):
    ask(app, world)
    for path, body in public_outputs(app, client).items():
        assert ORIGINAL not in body, path
    assert "No questions have been answered yet." in soup(client.get(PAGE)).get_text()


def test_the_supplier_dashboard_shows_each_status(app, world, camden, amy_client):
    waiting = ask(app, world, "Still waiting?")
    published = ask(app, world, "Amy asks: published?")
    rejected = ask(app, world, "Rejected?")
    publish(camden, published.id, "Published?", "Yes.")
    reject(camden, rejected.id, "Too narrow.")
    listed = soup(amy_client.get("/dashboard")).select_one("#questions").find_next("ul").find_all("li", recursive=False)
    items = {li.select_one(".portal-question-text").get_text(): li.get_text(" ", strip=True) for li in listed}
    assert "Waiting for an answer" in items[waiting.text]
    assert "Answered" in items[published.text] and "The buyer published it as: Published?" in items[published.text]
    assert "Not published" in items[rejected.text] and "The buyer's reason: Too narrow." in items[rejected.text]


def test_a_decided_question_cannot_be_decided_again(app, world, camden):
    rejected, published = ask(app, world, "Rejected?"), ask(app, world, "Published?")
    reject(camden, rejected.id, "No.")
    publish(camden, published.id, "Published?", "Yes.")
    response = publish(camden, rejected.id, "Rejected?", "Yes after all.")
    assert response.status_code == 303
    assert banner_after(camden, response) == "Important This question was rejected, so it cannot be published."
    response = reject(camden, published.id, "Too late.")
    assert banner_after(camden, response).startswith("Important This question is published, so it cannot be rejected.")
    response = reject(camden, rejected.id, "Twice.")
    assert banner_after(camden, response) == "Important This question was already rejected."
    response = publish(camden, published.id, "Published?", "Yes.")
    assert banner_after(camden, response) == "Important Nothing was changed."
    assert len([n for n in all_notifications(app) if n.user_id == world["amy"].id]) == 2, "one for each decision"
    assert (stored(app, rejected.id).status, stored(app, rejected.id).answer) == ("rejected", None)
    assert (stored(app, published.id).status, stored(app, published.id).rejection_reason) == ("published", None)


def banner_after(client, response) -> str:
    assert response.status_code == 303
    page = soup(client.get(response.headers["Location"]))
    return page.select_one("#questions ~ .govuk-notification-banner").get_text(" ", strip=True)


# --- who may moderate ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["answer", "reject"])
def test_another_buyer_gets_404_and_changes_nothing(app, world, action):
    question = ask(app, world)
    kent = client_for(app, "kim@kent.example.org")
    data = {f"publish-{question.id}-question": "Taken over", f"publish-{question.id}-answer": "Taken over",
            f"reject-{question.id}-reason": "Taken over"}
    assert post(kent, f"/buyer/questions/{question.id}/{action}", data).status_code == 404
    assert post(kent, f"/buyer/questions/999999/{action}", data).status_code == 404
    assert post(kent, f"/buyer/questions/99999999999999999999999/{action}", data).status_code == 404
    assert stored(app, question.id).status == "waiting"


@pytest.mark.parametrize("action", ["answer", "reject"])
def test_a_supplier_cannot_moderate_and_anonymous_people_are_sent_to_sign_in(app, world, amy_client, client, action):
    question = ask(app, world)
    data = {f"publish-{question.id}-question": "Mine", f"publish-{question.id}-answer": "Mine",
            f"reject-{question.id}-reason": "Mine"}
    assert post(amy_client, f"/buyer/questions/{question.id}/{action}", data).status_code == 403
    response = post(client, f"/buyer/questions/{question.id}/{action}", data)
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    assert stored(app, question.id).status == "waiting"


# --- when questions close --------------------------------------------------------------------------------------------

def test_the_closing_date_is_shown_near_the_form_and_questions_are_taken_on_that_day(app, world, amy_client):
    set_dates(app, world, questions_close_on=TODAY)
    page = soup(amy_client.get(PAGE))
    assert page.select_one("#questions-close-on").get_text() == "Questions close on 22 November 2026."
    assert page.select_one("#question") is not None
    assert post(amy_client, f"{PAGE}/questions", {"question": "Just in time?"}).status_code == 303
    assert [q.text for q in session_rows(app)] == ["Just in time?"]


@pytest.mark.parametrize("dates, message", [
    ({"questions_close_on": date(2026, 11, 21)}, "Questions closed on 21 November 2026."),
    ({"engagement_closes_on": date(2026, 11, 20)}, "Engagement on this opportunity closed on 20 November 2026."),
    ({"engagement_closes_on": date(2026, 11, 20), "questions_close_on": date(2026, 11, 21)},
     "Engagement on this opportunity closed on 20 November 2026."),
    ({"questions_close_on": date(2026, 11, 18), "engagement_closes_on": date(2026, 11, 20)},
     "Questions closed on 18 November 2026."),
    ({"engagement_closed_at": utcnow(), "engagement_closes_on": TODAY},
     "Engagement on this opportunity closed on 22 November 2026."),
])
def test_after_questions_close_the_form_is_replaced_and_a_question_is_refused(app, world, amy_client, client, dates,
                                                                                message):
    set_dates(app, world, **dates)
    for viewer in (amy_client, client):
        page = soup(viewer.get(PAGE))
        assert page.select_one("#questions-closed").get_text() == message
        assert page.select_one("#question") is None and page.find("button", string="Send question") is None
    response = post(amy_client, f"{PAGE}/questions", {"question": "Too late?"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#confirmation")
    banner = soup(amy_client.get(response.headers["Location"])).select_one("#questions ~ .govuk-notification-banner")
    assert banner.get_text(" ", strip=True) == f"Important {message}"
    assert session_rows(app) == []
    assert [n for n in all_notifications(app) if n.message.startswith("New question")] == []


def test_a_closed_opportunity_still_lets_the_buyer_moderate(app, world, camden):
    question = ask(app, world)
    set_dates(app, world, questions_close_on=date(2026, 11, 1))
    assert publish(camden, question.id, "When?", "Soon.").status_code == 303
    assert stored(app, question.id).status == QuestionStatus.PUBLISHED
