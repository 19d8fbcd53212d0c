"""Each supplier sees only their own organisation's activity, on the dashboard and on every page they visit."""

from datetime import timedelta

import pytest
from sqlmodel import Session

from portal.models import utcnow
from portal.search.query import SearchQuery
from portal.services import events, notifications, questions, saved_searches
from tests.factories import make_buyer, make_interest, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_supplier, sign_in

BOBS_WORDS = ["Bob's Bikes", "Does Bob need a van?", "Bob's unanswered question", "Bob's saved search",
              "Bob's private briefing", "Listed publicly", "Open to partnering", "You have a place"]


@pytest.fixture
def bobs_activity(app):
    """Bob, of another organisation, is interested, has asked, booked, followed and saved a search."""
    bob = make_supplier(app, email="bob@example.org", organisation="Bob's Bikes", size="micro", legal_form="company")
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session, slug="camden", name="Camden Council")
        opportunity = make_opportunity(session, buyer, slug="school-meals", title="Healthy school meals")
        start = utcnow().replace(microsecond=0) + timedelta(days=10)
        event = events.create_event(session, opportunity, kind="webinar", title="Bob's private briefing",
                                    starts_at=start, ends_at=start + timedelta(hours=1),
                                    online_link="https://meet.example.org/secret", capacity=5,
                                    booking_deadline=start - timedelta(days=1))
        make_interest(session, opportunity, bob, open_to_partnering=True)  # private
        answered = questions.ask(session, opportunity.id, bob.organisation_id, bob.id, "Does Bob need a van?")
        questions.publish(session, answered, answered.text, "No van is needed.")
        questions.ask(session, opportunity.id, bob.organisation_id, bob.id, "Bob's unanswered question")
        events.book(session, event.id, bob.id)
        notifications.follow(session, bob.id, opportunity.id)
        saved_searches.save(session, bob.id, "Bob's saved search", SearchQuery(text="bikes"), "daily")
    return {"bob": bob, "opportunity": opportunity, "event": event}


@pytest.fixture
def amy_client(app, bobs_activity):
    make_supplier(app)
    client = app.test_client()
    sign_in(client)
    return client


def test_dashboard_shows_none_of_another_organisations_activity(amy_client):
    response = amy_client.get("/dashboard")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Your dashboard"
    text = page.get_text()
    for words in BOBS_WORDS + ["Healthy school meals", "has been answered"]:
        assert words not in text
    assert "None yet." in text and "You have not booked any events." in text
    assert "You have not asked any questions." in text and "No saved searches." in text


def test_opportunity_page_shows_none_of_another_organisations_activity(amy_client):
    response = amy_client.get("/opportunities/school-meals")
    assert response.status_code == 200
    page = soup(response)
    assert page.find("h3", string=lambda s: s and s.strip() == "Register your interest") is not None
    assert page.find("button", string="Withdraw interest") is None
    assert page.find("button", string="Follow this opportunity") is not None
    assert page.find("button", string="Stop following") is None
    text = page.get_text()
    assert "1 organisation has registered interest so far." in text, "the count only, Bob chose not to be listed"
    assert "Bob's Bikes" not in text and "Bob's unanswered question" not in text
    assert "Does Bob need a van?" in text and "No van is needed." in text, "answers are published to everyone"


def test_event_page_does_not_give_another_persons_place_or_link(amy_client, bobs_activity):
    response = amy_client.get(f"/events/{bobs_activity['event'].id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "https://meet.example.org/secret" not in body
    assert "You have a place" not in body and "waiting list. We will email you" not in body
    assert "4 of 5 left" in soup(response).get_text()


def test_bob_still_sees_his_own_activity(app, bobs_activity):
    client = app.test_client()
    sign_in(client, "bob@example.org")
    response = client.get("/dashboard")
    assert response.status_code == 200
    text = soup(response).get_text()
    for words in ["Healthy school meals", "Does Bob need a van?", "Bob's unanswered question", "Bob's saved search",
                  "Bob's private briefing", "Open to partnering", "You have a place"]:
        assert words in text
    page = soup(client.get("/opportunities/school-meals"))
    assert page.find("button", string="Stop following") is not None
    assert page.find("button", string="Withdraw interest") is not None


def test_unanswered_questions_are_never_shown_publicly(client, bobs_activity):
    response = client.get("/opportunities/school-meals")
    assert response.status_code == 200
    text = soup(response).get_text()
    assert "Bob's unanswered question" not in text
    assert "Does Bob need a van?" in text and "No van is needed." in text
    assert "Bob's Bikes" not in text, "answers are published without the asker's name"


def test_whats_new_shows_what_changed_not_only_that_something_did(app, client):
    amy = make_supplier(app)
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        opportunity = make_opportunity(session, make_buyer(session, slug="camden", name="Camden Council"),
                                       slug="lunch-clubs", title="Lunch clubs")
        notifications.notify(session, {amy.id}, opportunity.id, "\u201cLunch clubs\u201d has changed.",
                             details="Engagement has closed, so suppliers can no longer register interest.")
        session.commit()
    sign_in(client)
    [item] = soup(client.get("/dashboard")).select("#updates + ul li")
    assert "has changed." in item.get_text() and "Engagement has closed" in item.get_text()
