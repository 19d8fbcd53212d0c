"""Engagement events follow the rules (no dates in the past, "what we heard" after the event, no booking once
engagement has closed), and buyers see who booked and can download the list."""

import csv
import email
import email.policy
import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portal.mail import wait_for_background_mail
from portal.models import Booking, EngagementEvent, Notification, Opportunity, User
from portal.services import events
from tests.conftest import NOW
from tests.factories import make_buyer, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in

GOOD_EVENT = {"kind": "webinar", "title": "Supplier briefing", "starts": "2026-12-08T10:00", "ends": "2026-12-08T11:00",
              "booking_deadline": "2026-12-07T17:00", "online_link": "https://meet.example.org/brief", "capacity": "2"}


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        kent = make_buyer(session, slug="kent", name="Kent County Council")
        meals = make_opportunity(session, camden, slug="school-meals", title="Healthy school meals")
        kents = make_opportunity(session, kent, slug="kent-item")
        start = NOW + timedelta(days=16)
        briefing = events.create_event(session, meals, kind="webinar", title="Briefing", starts_at=start,
                                       ends_at=start + timedelta(hours=1), online_link="https://meet.example.org/a",
                                       capacity=1, booking_deadline=start - timedelta(days=1))
        elsewhere = events.create_event(session, kents, kind="webinar", title="Kent briefing", starts_at=start,
                                        ends_at=start + timedelta(hours=1), online_link="https://meet.example.org/k",
                                        capacity=5, booking_deadline=start)
    make_buyer_user(app, camden, "cam@camden.example.org")
    make_buyer_user(app, kent, "kim@kent.example.org")
    return {"meals": meals, "briefing": briefing, "elsewhere": elsewhere}


def client_for(app, email: str, supplier: str | None = None, name: str | None = None):
    if supplier:
        user = make_supplier(app, email=email, organisation=supplier)
        if name:
            with Session(app.extensions["engine"]) as session:
                stored = session.get(User, user.id)
                stored.name = name
                session.add(stored)
                session.commit()
    client = app.test_client()
    sign_in(client, email)
    return client


def error_summary(response) -> str:
    return soup(response).select_one(".govuk-error-summary").get_text(" ", strip=True)


def banner(response) -> str:
    return soup(response).select_one(".govuk-notification-banner").get_text(" ", strip=True)


@pytest.mark.parametrize("changes, field, message", [
    ({"starts": "2026-11-22T11:00", "ends": "2026-11-22T11:30", "booking_deadline": "2026-11-22T10:00"}, "starts",
     "The start must be in the future"),
    ({"starts": "2026-11-20T11:00"}, "starts", "The start must be in the future"),
    ({"ends": "2026-11-21T11:00"}, "ends", "The end must be in the future"),
    ({"booking_deadline": "2026-11-22T11:59"}, "booking_deadline", "The time booking closes must be in the future"),
    ({"ends": "2026-12-08T09:00"}, "ends", "The event must end after it starts"),
    ({"booking_deadline": "2026-12-08T10:30"}, "booking_deadline", "Booking must close before the event starts"),
])
def test_new_events_refuse_dates_in_the_past_and_say_why(app, world, changes, field, message):
    cam = client_for(app, "cam@camden.example.org")
    response = post(cam, f"/buyer/opportunities/{world['meals'].id}/events/new", {**GOOD_EVENT, **changes})
    assert response.status_code == 400
    assert message in error_summary(response)
    assert soup(response).select_one(f"#{field}-error") is not None
    assert soup(response).select_one("#title")["value"] == "Supplier briefing"
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(EngagementEvent).where(EngagementEvent.title == "Supplier briefing")).all() == []


def test_a_new_event_in_the_future_is_added_with_a_confirmation(app, world):
    cam = client_for(app, "cam@camden.example.org")
    response = post(cam, f"/buyer/opportunities/{world['meals'].id}/events/new", GOOD_EVENT)
    assert response.status_code == 303 and response.headers["Location"].endswith("#confirmation")
    page = cam.get(f"/buyer/opportunities/{world['meals'].id}")
    assert "Event added" in soup(page).select_one("#events").find_next(class_="govuk-notification-banner").get_text()


def test_what_we_heard_waits_until_the_event_has_ended(app, world):
    cam = client_for(app, "cam@camden.example.org")
    manage = f"/buyer/opportunities/{world['meals'].id}"
    outcome = f"/buyer/events/{world['briefing'].id}/outcome"
    assert soup(cam.get(manage)).select(f'form[action="{outcome}"]') == [], "not offered before the event"
    response = post(cam, outcome, {"what_we_heard": "Too early."})
    assert response.status_code == 303
    assert "once the event has ended, after Tuesday 8 December 2026, 1pm" in banner(cam.get(manage))
    with Session(app.extensions["engine"]) as session:
        assert session.get(EngagementEvent, world["briefing"].id).what_we_heard_md == ""
    app.config["NOW"] = world["briefing"].ends_at
    assert soup(cam.get(manage)).select(f'form[action="{outcome}"]'), "offered once it has ended"
    assert post(cam, outcome, {"what_we_heard": ""}).status_code == 400
    response = post(cam, outcome, {"what_we_heard": "Suppliers want longer contracts."})
    assert response.status_code == 303
    assert "is published on the event page" in banner(cam.get(manage))
    with Session(app.extensions["engine"]) as session:
        assert session.get(EngagementEvent, world["briefing"].id).what_we_heard_md == "Suppliers want longer contracts."


def test_booking_an_event_is_refused_once_engagement_has_closed(app, world):
    amy = client_for(app, "amy@example.org", "Good Food CIC")
    with Session(app.extensions["engine"]) as session:
        meals = session.get(Opportunity, world["meals"].id)
        meals.engagement_closed_at = NOW
        session.add(meals)
        session.commit()
    event_page = f"/events/{world['briefing'].id}"
    page = soup(amy.get(event_page))
    assert "Places can no longer be booked." in page.select_one(".govuk-inset-text").get_text()
    assert page.select(f'form[action="{event_page}/book"]') == []
    response = post(amy, f"{event_page}/book")
    assert response.status_code == 303
    assert "Places can no longer be booked." in banner(amy.get(event_page))
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(Booking)).all() == []


def test_buyer_sees_who_booked_and_who_is_waiting(app, world):
    client_for(app, "amy@example.org", "Good Food CIC")
    for client in (client_for(app, "amy@example.org"), client_for(app, "bob@example.org", "Bob's Bakes")):
        assert post(client, f"/events/{world['briefing'].id}/book").status_code == 303
    cam = client_for(app, "cam@camden.example.org")
    manage = soup(cam.get(f"/buyer/opportunities/{world['meals'].id}"))
    assert manage.find("a", href=f"/buyer/events/{world['briefing'].id}/bookings") is not None
    page = soup(cam.get(f"/buyer/events/{world['briefing'].id}/bookings"))
    booked, waiting = page.select("main ol")
    assert "Amy Example" in booked.get_text() and "Good Food CIC" in booked.get_text()
    assert booked.find("a", href="mailto:amy@example.org") is not None
    assert "bob@example.org" in waiting.get_text() and "Joined the waiting list on" in waiting.get_text()
    assert page.find("h2", string="Places booked (1)") and page.find("h2", string="Waiting list (1)")


def emails_to(app, address: str) -> list[email.message.EmailMessage]:
    wait_for_background_mail()
    messages = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                for path in sorted(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))]
    return [message for message in messages if message["To"] == address]


def test_buyer_staff_are_told_about_each_booking_with_the_event_and_its_time(app, world):
    amy = client_for(app, "amy@example.org", "Good Food CIC")
    post(amy, f"/events/{world['briefing'].id}/book")
    with Session(app.extensions["engine"]) as session:
        cam = session.exec(select(User).where(User.email == "cam@camden.example.org")).one()
        [told] = session.exec(select(Notification).where(Notification.user_id == cam.id)).all()
    assert told.message == "Good Food CIC has booked a place at \u201cBriefing\u201d."
    assert "Briefing" in told.details and "Tuesday 8 December 2026, midday to 1pm (UK time)" in told.details
    assert "Amy Example (amy@example.org)" in told.details
    assert told.link == {"endpoint": "buyer.event_bookings", "values": {"event_id": world["briefing"].id}}


def test_the_person_who_books_is_emailed_at_once_with_the_time_a_link_and_a_calendar_file(app, world):
    amy = client_for(app, "amy@example.org", "Good Food CIC")
    bob = client_for(app, "bob@example.org", "Bob's Bakes")
    page = f"/events/{world['briefing'].id}"
    post(amy, f"{page}/book")
    post(bob, f"{page}/book")
    [placed] = emails_to(app, "amy@example.org")
    assert placed["Subject"] == "Your place at \u201cBriefing\u201d: Tuesday 8 December 2026, midday (UK time)"
    text = placed.get_body(preferencelist=("plain",)).get_content()
    assert "When: Tuesday 8 December 2026, midday to 1pm (UK time)" in text
    assert "Joining link: https://meet.example.org/a" in text and f"http://localhost{page}" in text
    [calendar] = placed.iter_attachments()
    assert calendar.get_content_type() == "text/calendar" and "DTSTART" in calendar.get_content()
    [waiting] = emails_to(app, "bob@example.org")
    assert waiting["Subject"].startswith("You are on the waiting list for \u201cBriefing\u201d: Tuesday 8 December 2026")
    text = waiting.get_body(preferencelist=("plain",)).get_content()
    assert "number 1 on the waiting list" in text and "https://meet.example.org/a" not in text
    assert list(waiting.iter_attachments()) == []
    assert "We have emailed you" in banner(amy.get(page))


def test_promotion_from_the_waiting_list_says_when_and_links_to_the_event(app, world):
    amy = client_for(app, "amy@example.org", "Good Food CIC")
    bob = client_for(app, "bob@example.org", "Bob's Bakes")
    page = f"/events/{world['briefing'].id}"
    post(amy, f"{page}/book")
    post(bob, f"{page}/book")
    post(amy, f"{page}/cancel")
    with Session(app.extensions["engine"]) as session:
        bob_user = session.exec(select(User).where(User.email == "bob@example.org")).one()
        [promoted] = session.exec(select(Notification).where(Notification.user_id == bob_user.id)).all()
    assert promoted.message == "A place has come free at \u201cBriefing\u201d and it is now yours."
    assert promoted.details.startswith("Tuesday 8 December 2026, midday to 1pm (UK time)")
    assert promoted.link == {"endpoint": "events.show", "values": {"event_id": world["briefing"].id}}


def test_the_bookings_list_downloads_as_a_spreadsheet_excel_can_open(app, world):
    client_for(app, "eve@example.org", "=HYPERLINK(\"http://evil\")", name="=1+2 Zoë")
    for client in (client_for(app, "eve@example.org"), client_for(app, "bob@example.org", "Bob's Bakes")):
        post(client, f"/events/{world['briefing'].id}/book")
    cam = client_for(app, "cam@camden.example.org")
    response = cam.get(f"/buyer/events/{world['briefing'].id}/bookings.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.headers["Content-Disposition"].startswith("attachment;")
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Email", "Organisation", "Status", "Booked at (UK time)"]
    assert rows[1][:4] == ["'=1+2 Zoë", "eve@example.org", "'=HYPERLINK(\"http://evil\")", "booked"]
    assert rows[2][:4] == ["Amy Example", "bob@example.org", "Bob's Bakes", "waiting"]
    assert all(len(row[4]) == 16 and row[4][4] == "-" for row in rows[1:])


@pytest.mark.parametrize("path", ["/buyer/events/{id}/bookings", "/buyer/events/{id}/bookings.csv"])
def test_only_the_buyers_own_staff_see_who_booked(app, client, world, path):
    url = path.format(id=world["elsewhere"].id)
    assert client.get(url).status_code == 302
    amy = client_for(app, "amy@example.org", "Good Food CIC")
    assert amy.get(url).status_code == 403
    cam = client_for(app, "cam@camden.example.org")
    assert cam.get(url).status_code == 404
    assert cam.get(path.format(id=999_999)).status_code == 404
    assert client_for(app, "kim@kent.example.org").get(url).status_code == 200


def test_followers_hear_about_a_new_event_with_its_time_and_a_link(app, world, session):
    from portal.services import notifications
    amy = make_supplier(app)
    notifications.follow(session, amy.id, world["meals"].id)
    meals = session.get(Opportunity, world["meals"].id)
    start = NOW + timedelta(days=20)
    event = events.create_event(session, meals, kind="in-person", title="Drop-in", starts_at=start,
                                ends_at=start + timedelta(hours=2), location="Town Hall", capacity=5,
                                booking_deadline=start)
    [told] = session.exec(select(Notification).where(Notification.user_id == amy.id)).all()
    assert told.details == "Saturday 12 December 2026, midday to 2pm (UK time)\nTown Hall"
    assert told.link == {"endpoint": "events.show", "values": {"event_id": event.id}}
