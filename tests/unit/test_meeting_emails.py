"""The emails about a one-to-one meeting: what happened, when in UK time, where, a link, and a calendar file."""

from datetime import date, time

import pytest
from icalendar import Calendar
from sqlmodel import Session

from portal.models import Opportunity
from portal.services import meeting_emails, meeting_slots
from portal.services.meeting_slots import NewSlots
from tests.conftest import NOW
from tests.factories import make_buyer, make_opportunity
from tests.web.helpers import make_buyer_user, make_supplier

LINK = "https://meet.example.org/camden"


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session, name="Camden Council")
        opportunity = make_opportunity(session, buyer, title="School meals", slug="school-meals")
        slots = meeting_slots.add_slots(session, opportunity, NewSlots(
            day=date(2026, 12, 8), first_start=time(10), minutes=30, count=2, break_minutes=0, online=True,
            meeting_link=LINK))
    make_buyer_user(app, buyer, "cam@camden.example.org")
    make_buyer_user(app, buyer, "kay@camden.example.org")
    supplier = make_supplier(app)
    return opportunity, slots, supplier


def emails(app, change):
    with app.app_context(), Session(app.extensions["engine"]) as session:
        return {email.to: email for email in meeting_emails.emails_for(session, change)}


def calendar(attachment) -> Calendar:
    assert attachment.mimetype == "text/calendar"
    return Calendar.from_ical(attachment.content)


def test_booking_emails_the_supplier_and_each_of_the_buyers_staff(app, world, session):
    opportunity, slots, supplier = world
    change = meeting_slots.book(session, session.get(Opportunity, opportunity.id), slots[0].id, supplier, NOW)
    sent = emails(app, change)
    assert sorted(sent) == ["amy@example.org", "cam@camden.example.org", "kay@camden.example.org"]
    mine = sent["amy@example.org"]
    assert mine.subject == "Meeting with Camden Council booked for Tuesday 8 December 2026, 10am (UK time)"
    assert "Your one-to-one meeting with Camden Council about \u201cSchool meals\u201d is booked." in mine.body
    assert "When: Tuesday 8 December 2026, 10am to 10:30am (UK time)" in mine.body
    assert f"Where: Online: {LINK}" in mine.body
    assert "http://localhost/opportunities/school-meals/meetings" in mine.body
    theirs = sent["cam@camden.example.org"]
    assert theirs.subject == "Meeting with Good Food CIC booked for Tuesday 8 December 2026, 10am (UK time)"
    assert "Good Food CIC has booked a one-to-one meeting about \u201cSchool meals\u201d." in theirs.body
    assert "Who: Amy Example (amy@example.org), Good Food CIC" in theirs.body
    assert f"http://localhost/buyer/opportunities/{opportunity.id}/meetings" in theirs.body
    [file] = mine.attachments
    event = calendar(file).walk("VEVENT")[0]
    assert calendar(file)["METHOD"] == "PUBLISH"
    assert str(event["UID"]) == f"meeting-slot-{slots[0].id}@opportunity-portal"
    assert event.decoded("DTSTART").isoformat() == "2026-12-08T10:00:00+00:00"
    assert str(event["LOCATION"]) == LINK
    assert "Camden Council" in str(event["SUMMARY"])


def test_moving_sends_the_new_time_and_takes_the_old_one_out_of_the_calendar(app, world, session):
    opportunity, slots, supplier = world
    meeting_slots.book(session, session.get(Opportunity, opportunity.id), slots[0].id, supplier, NOW)
    change = meeting_slots.move(session, session.get(Opportunity, opportunity.id), slots[1].id, supplier, NOW)
    mine = emails(app, change)["amy@example.org"]
    assert mine.subject == "Meeting with Camden Council moved to Tuesday 8 December 2026, 10:30am (UK time)"
    assert "New time: Tuesday 8 December 2026, 10:30am to 11am (UK time)" in mine.body
    assert "It was: Tuesday 8 December 2026, 10am to 10:30am (UK time)" in mine.body
    new, old = (calendar(file) for file in mine.attachments)
    assert (new["METHOD"], str(new.walk("VEVENT")[0]["UID"])) == ("PUBLISH", f"meeting-slot-{slots[1].id}@opportunity-portal")
    assert (old["METHOD"], str(old.walk("VEVENT")[0]["UID"])) == ("CANCEL", f"meeting-slot-{slots[0].id}@opportunity-portal")
    assert str(old.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_cancelling_says_so_and_cancels_the_calendar_entry(app, world, session):
    opportunity, slots, supplier = world
    booked = meeting_slots.book(session, session.get(Opportunity, opportunity.id), slots[0].id, supplier, NOW)
    change = meeting_slots.cancel(session, session.get(Opportunity, opportunity.id), supplier, NOW)
    sent = emails(app, change)
    mine, theirs = sent["amy@example.org"], sent["kay@camden.example.org"]
    assert mine.subject == "Meeting with Camden Council on Tuesday 8 December 2026, 10am (UK time) cancelled"
    assert "has been cancelled" in mine.body and "It was: Tuesday 8 December 2026, 10am to 10:30am (UK time)" in mine.body
    assert LINK not in mine.body, "no joining link for a meeting that is off"
    assert "The time is free again for others to book." in theirs.body
    [file] = mine.attachments
    cancelled = calendar(file).walk("VEVENT")[0]
    first = calendar(emails(app, booked)["amy@example.org"].attachments[0]).walk("VEVENT")[0]
    assert calendar(file)["METHOD"] == "CANCEL" and cancelled["UID"] == first["UID"]
    assert cancelled["SEQUENCE"] >= first["SEQUENCE"]


def test_a_colleague_making_the_change_is_emailed_too_and_named(app, world, session):
    opportunity, slots, supplier = world
    from portal.services import accounts
    from tests.web.helpers import PASSWORD
    token = accounts.invite_colleague(session, supplier, "bo@example.org")
    colleague = accounts.accept_invitation(session, accounts.open_invitation(session, token), "Bo Colleague", PASSWORD)
    meeting_slots.book(session, session.get(Opportunity, opportunity.id), slots[0].id, supplier, NOW)
    change = meeting_slots.cancel(session, session.get(Opportunity, opportunity.id), colleague, NOW)
    sent = emails(app, change)
    assert {"amy@example.org", "bo@example.org"} <= set(sent)
    assert "Bo Colleague of Good Food CIC made this change." in sent["amy@example.org"].body
