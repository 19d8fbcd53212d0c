"""Registering interest, questions, following, events and saved searches, through the web."""

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from portal.models import Booking, Follow, Interest, Notification, Question, SavedSearch, utcnow
from portal.services import events, questions
from tests.factories import make_buyer, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_supplier, post, sign_in


@pytest.fixture
def opportunity(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session, slug="camden", name="Camden Council")
        return make_opportunity(session, buyer, slug="school-meals", title="Healthy school meals")


@pytest.fixture
def event(app, opportunity):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        start = utcnow().replace(microsecond=0) + timedelta(days=10)
        return events.create_event(session, opportunity, kind="webinar", title="Online briefing", starts_at=start,
                                   ends_at=start + timedelta(hours=1), online_link="https://meet.example.org/x",
                                   capacity=1, booking_deadline=start - timedelta(days=1))


@pytest.fixture
def amy(app, client):
    user = make_supplier(app)
    sign_in(client)
    return user


def rows(app, model):
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(model)).all()


SIGNED_IN_POSTS = [
    "/opportunities/school-meals/interest", "/opportunities/school-meals/interest/withdraw",
    "/opportunities/school-meals/questions", "/opportunities/school-meals/follow",
    "/opportunities/school-meals/unfollow", "/saved-searches/new",
]


@pytest.mark.parametrize("path", SIGNED_IN_POSTS)
def test_signed_out_posts_go_to_sign_in(client, opportunity, path):
    response = post(client, path, headers={"Referer": "http://localhost/opportunities/school-meals"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/opportunities/school-meals"


@pytest.mark.parametrize("path", SIGNED_IN_POSTS)
def test_posts_without_csrf_are_rejected(client, opportunity, amy, path):
    assert client.post(path, data={"question": "Hello?", "name": "x", "frequency": "daily"}).status_code == 400


def test_register_interest_privately_then_publicly_then_withdraw(client, app, opportunity, amy):
    post(client, "/opportunities/school-meals/interest", {})
    response = client.get("/opportunities/school-meals")
    assert response.status_code == 200
    page = soup(response)
    assert "1 organisation has registered interest" in page.get_text()
    assert "Good Food CIC" not in page.select_one("main").get_text(), "private unless they opt in"
    post(client, "/opportunities/school-meals/interest", {"listed_publicly": "y", "open_to_partnering": "y"})
    page = soup(client.get("/opportunities/school-meals"))
    [row] = [tr for tr in page.select("table tbody tr") if "Good Food CIC" in tr.get_text()]
    assert "Community interest company" in row.get_text() and "Yes" in row.get_text()
    assert len(rows(app, Interest)) == 1, "registering again updates, never duplicates"
    post(client, "/opportunities/school-meals/interest/withdraw")
    assert rows(app, Interest) == []


def test_ask_a_question_and_read_the_anonymous_answer(client, app, opportunity, amy):
    assert post(client, "/opportunities/school-meals/questions", {"question": "Can two charities bid together?"}).status_code == 303
    [question] = rows(app, Question)
    response = client.get("/opportunities/school-meals")
    assert response.status_code == 200
    assert "Can two charities" not in response.get_data(as_text=True), "unanswered questions stay private"
    with Session(app.extensions["engine"]) as session:
        questions.publish(session, question, question.text, "Yes. Consortium bids are welcome.")
    body = soup(client.get("/opportunities/school-meals")).select_one("#questions").find_next("dl").get_text()
    assert "Can two charities bid together?" in body and "Consortium bids are welcome" in body
    assert "Amy" not in body and "Good Food" not in body
    [notification] = rows(app, Notification)
    assert notification.user_id == amy.id and "answered" in notification.message


@pytest.mark.parametrize("text, message", [("", "Enter your question"), ("word " * 101, "100 words or fewer")])
def test_question_errors_keep_the_text(client, opportunity, amy, text, message):
    response = post(client, "/opportunities/school-meals/questions", {"question": text})
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("#question").get_text() == text


def test_follow_and_hear_about_new_events(client, app, opportunity, amy):
    post(client, "/opportunities/school-meals/follow")
    assert len(rows(app, Follow)) == 1
    with Session(app.extensions["engine"]) as session:
        start = utcnow() + timedelta(days=5)
        events.create_event(session, opportunity, kind="in-person", title="Drop-in", starts_at=start,
                            ends_at=start + timedelta(hours=2), location="Town hall", capacity=10,
                            booking_deadline=start)
    assert any("Drop-in" in n.message for n in rows(app, Notification))
    post(client, "/opportunities/school-meals/unfollow")
    assert rows(app, Follow) == []


def test_unknown_or_unpublished_opportunities_are_404(client, amy):
    assert post(client, "/opportunities/nope/interest", {}).status_code == 404
    assert post(client, "/opportunities/nope/questions", {"question": "Hi"}).status_code == 404


def test_book_an_event_then_see_the_link_and_get_a_calendar_file(client, app, event, amy):
    response = client.get(f"/events/{event.id}")
    assert response.status_code == 200
    assert "https://meet.example.org/x" not in response.get_data(as_text=True), "the link is only for people with a place"
    assert post(client, f"/events/{event.id}/book").status_code == 303
    page = soup(client.get(f"/events/{event.id}"))
    assert page.find("a", string="Join online")["href"] == "https://meet.example.org/x"
    response = client.get(f"/events/{event.id}/calendar.ics")
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Online briefing"
    assert entry.decoded("DTSTART") == event.starts_at
    assert "meet.example.org" in str(entry["LOCATION"])


def test_second_person_joins_the_waiting_list_and_is_promoted(client, app, event, amy):
    post(client, f"/events/{event.id}/book")
    other = app.test_client()
    make_supplier(app, email="ben@example.org", organisation="Ben's Bakery", size="micro", legal_form="sole-trader")
    sign_in(other, "ben@example.org")
    post(other, f"/events/{event.id}/book")
    assert "number 1 on the waiting list" in soup(other.get(f"/events/{event.id}")).get_text()
    waiting_calendar = other.get(f"/events/{event.id}/calendar.ics")
    assert waiting_calendar.status_code == 200 and waiting_calendar.mimetype == "text/calendar"
    assert "meet.example.org" not in waiting_calendar.get_data(as_text=True)
    post(client, f"/events/{event.id}/cancel")
    assert "You have a place" in soup(other.get(f"/events/{event.id}")).get_text()


def test_people_cannot_cancel_each_others_bookings(client, app, event, amy):
    post(client, f"/events/{event.id}/book")
    other = app.test_client()
    make_supplier(app, email="ben@example.org", organisation="Ben's Bakery", size="micro", legal_form="sole-trader")
    sign_in(other, "ben@example.org")
    post(other, f"/events/{event.id}/cancel")
    [booking] = rows(app, Booking)
    assert booking.user_id == amy.id and booking.status == "booked"


def test_unknown_event_is_404(client):
    assert client.get("/events/999").status_code == 404
    assert client.get("/events/999/calendar.ics").status_code == 404


def test_save_a_search_from_its_address(client, app, amy):
    form = soup(client.get("/saved-searches/new?q=school+meals&kind=pipeline-item&sme=yes"))
    assert form.select_one("#name")["value"] == "school meals"
    query = form.select_one('input[name="query"]')["value"]
    assert query == "q=school+meals&kind=pipeline-item&sme=yes"
    assert post(client, "/saved-searches/new", {"name": "Meals", "frequency": "daily", "query": query}).status_code == 303
    [saved] = rows(app, SavedSearch)
    assert (saved.name, saved.frequency, saved.query_string, saved.user_id) == ("Meals", "daily", query, amy.id)
    dashboard = soup(client.get("/dashboard"))
    assert dashboard.find("a", string="Meals")["href"] == f"/search?{query}"


@pytest.mark.parametrize("data, message", [
    ({"name": "", "frequency": "daily"}, "Enter a name"),
    ({"name": "x" * 101, "frequency": "daily"}, "100 characters"),
    ({"name": "Meals", "frequency": "hourly"}, "Not a valid choice"),
])
def test_save_search_errors_keep_what_was_typed(client, amy, data, message):
    response = post(client, "/saved-searches/new", {**data, "query": "q=meals"})
    assert response.status_code == 400
    assert message in soup(response).select_one(".govuk-error-summary").get_text()
    assert soup(response).select_one('input[name="query"]')["value"] == "q=meals"


def test_saved_search_with_a_tampered_query_is_cleaned(client, app, amy):
    post(client, "/saved-searches/new", {"name": "Odd", "frequency": "weekly", "query": "q=food&kind=<script>&page=-1"})
    [saved] = rows(app, SavedSearch)
    assert saved.query_string == "q=food"


def test_people_cannot_delete_each_others_saved_searches(client, app, amy):
    post(client, "/saved-searches/new", {"name": "Mine", "frequency": "daily", "query": "q=food"})
    [saved] = rows(app, SavedSearch)
    other = app.test_client()
    make_supplier(app, email="ben@example.org", organisation="Ben's Bakery", size="micro", legal_form="sole-trader")
    sign_in(other, "ben@example.org")
    assert post(other, f"/saved-searches/{saved.id}/delete").status_code == 404
    others_dashboard = other.get("/dashboard")
    assert others_dashboard.status_code == 200
    assert "Mine" not in others_dashboard.get_data(as_text=True)
    assert post(client, f"/saved-searches/{saved.id}/delete").status_code == 303
    assert rows(app, SavedSearch) == []


def test_dashboard_shows_what_changed_since_last_visit(client, app, opportunity, amy):
    post(client, "/opportunities/school-meals/interest", {})
    post(client, "/opportunities/school-meals/questions", {"question": "When do you decide?"})
    client.get("/dashboard")
    [question] = rows(app, Question)
    with Session(app.extensions["engine"]) as session:
        questions.publish(session, question, question.text, "In March.")
    page = soup(client.get("/dashboard"))
    assert page.find("strong", string="New answer") is not None
    assert "has been answered" in page.select_one("#updates").find_next("ul").get_text()
    assert soup(client.get("/dashboard")).find("strong", string="New answer") is None, "seen now"


def test_buyers_and_anonymous_people_cannot_use_the_dashboard(client):
    assert client.get("/dashboard").status_code == 302


def test_materials_and_what_we_heard_are_published_to_everyone(client, app, event):
    with Session(app.extensions["engine"]) as session:
        stored = session.get(type(event), event.id)
        events.publish_outcome(session, stored, "[Slides](https://example.org/slides.pdf)",
                               "Suppliers told us <script>alert(1)</script>the timescale is too short.")
    page = client.get(f"/events/{event.id}")
    text = soup(page).get_text()
    assert "What we heard" in text and "the timescale is too short" in text
    assert "<script>alert(1)" not in page.get_data(as_text=True)
    assert soup(page).find("a", string="Slides")["href"] == "https://example.org/slides.pdf"
