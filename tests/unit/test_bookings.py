"""Booking rules: capacity, waiting list, deadline, double booking, cancelling, and racing for the last place."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portal.models import Booking, BookingStatus, Notification, utcnow
from portal.services import events
from tests.factories import make_buyer, make_opportunity
from tests.web.helpers import make_supplier


@pytest.fixture
def people(app):
    return [make_supplier(app, email=f"person{i}@example.org", organisation=f"Org {i}", size="micro", legal_form="company") for i in range(6)]


def make_event(app, capacity=2, deadline_in=timedelta(days=1), starts_in=timedelta(days=2)):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session)
        opportunity = make_opportunity(session, buyer)
        start = utcnow() + starts_in
        return events.create_event(session, opportunity, kind="webinar", title="Briefing", starts_at=start,
                                   ends_at=start + timedelta(hours=1), online_link="https://meet.example.org/a",
                                   capacity=capacity, booking_deadline=utcnow() + deadline_in)


def statuses(app, event_id) -> dict[int, str]:
    with Session(app.extensions["engine"]) as session:
        return {b.user_id: b.status for b in session.exec(select(Booking).where(Booking.event_id == event_id))}


def test_places_then_waiting_list(app, people, session):
    event = make_event(app, capacity=2)
    results = [events.book(session, event.id, person.id).status for person in people[:4]]
    assert results == ["booked", "booked", "waiting", "waiting"]
    assert events.places(session, event.id) == events.Places(capacity=2, booked=2, waiting=2)


def test_cancelling_promotes_the_first_person_waiting(app, people, session):
    event = make_event(app, capacity=1)
    for person in people[:3]:
        events.book(session, event.id, person.id)
    events.cancel(session, event.id, people[0].id)
    assert statuses(app, event.id) == {people[0].id: "cancelled", people[1].id: "booked", people[2].id: "waiting"}
    notices = session.exec(select(Notification).where(Notification.user_id == people[1].id)).all()
    assert any("now yours" in n.message for n in notices)


def test_leaving_the_waiting_list_promotes_nobody(app, people, session):
    event = make_event(app, capacity=1)
    for person in people[:3]:
        events.book(session, event.id, person.id)
    events.cancel(session, event.id, people[1].id)
    assert statuses(app, event.id) == {people[0].id: "booked", people[1].id: "cancelled", people[2].id: "waiting"}


def test_booking_twice_is_refused(app, people, session):
    event = make_event(app)
    events.book(session, event.id, people[0].id)
    with pytest.raises(events.BookingError, match=r"^You already have a place\.$"):
        events.book(session, event.id, people[0].id)


def test_booking_again_after_cancelling_goes_to_the_back(app, people, session):
    event = make_event(app, capacity=1)
    events.book(session, event.id, people[0].id)
    events.book(session, event.id, people[1].id)
    events.cancel(session, event.id, people[0].id)
    assert events.book(session, event.id, people[0].id).status == BookingStatus.WAITING


def test_no_booking_after_the_deadline(app, people, session):
    event = make_event(app, deadline_in=timedelta(minutes=-1))
    with pytest.raises(events.BookingError, match=r"^Booking for this event has closed\.$"):
        events.book(session, event.id, people[0].id)


def test_waiting_position(app, people, session):
    event = make_event(app, capacity=1)
    bookings = [events.book(session, event.id, person.id) for person in people[:4]]
    assert [events.waiting_position(session, b) for b in bookings[1:]] == [1, 2, 3]


def test_racing_for_the_last_place_never_overbooks(app, people):
    event = make_event(app, capacity=1)
    barrier = threading.Barrier(len(people))
    outcomes, errors = [], []

    def try_to_book(person):
        with Session(app.extensions["engine"]) as session:
            barrier.wait()
            try:
                outcomes.append(events.book(session, event.id, person.id).status)
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)

    threads = [threading.Thread(target=try_to_book, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["booked"] + ["waiting"] * (len(people) - 1)
    assert list(statuses(app, event.id).values()).count("booked") == 1


def test_booking_is_open_until_the_deadline_itself(app, people, session):
    event = make_event(app, deadline_in=timedelta(days=1), starts_in=timedelta(days=2))
    deadline = event.booking_deadline
    assert events.book(session, event.id, people[0].id, now=deadline).status == BookingStatus.BOOKED
    with pytest.raises(events.BookingError, match=r"^Booking for this event has closed\.$"):
        events.book(session, event.id, people[1].id, now=deadline + timedelta(microseconds=1))


def test_no_booking_once_the_event_has_started(app, people, session):
    event = make_event(app, deadline_in=timedelta(days=3), starts_in=timedelta(days=2))  # deadline after the start
    assert events.book(session, event.id, people[0].id, now=event.starts_at).status == BookingStatus.BOOKED
    with pytest.raises(events.BookingError, match=r"^This event has already started\.$"):
        events.book(session, event.id, people[1].id, now=event.starts_at + timedelta(seconds=1))


def test_joining_the_waiting_list_twice_is_refused(app, people, session):
    event = make_event(app, capacity=1)
    events.book(session, event.id, people[0].id)
    events.book(session, event.id, people[1].id)
    with pytest.raises(events.BookingError, match=r"^You are already on the waiting list\.$"):
        events.book(session, event.id, people[1].id)
    with pytest.raises(events.BookingError, match=r"^You already have a place\.$"):
        events.book(session, event.id, people[0].id)


def test_cancelling_without_a_place_changes_nothing(app, people, session):
    event = make_event(app, capacity=1)
    events.book(session, event.id, people[0].id)
    assert events.cancel(session, event.id, people[1].id) is None
    assert events.cancel(session, event.id, people[0].id).status == BookingStatus.CANCELLED
    assert events.cancel(session, event.id, people[0].id) is None, "cancelling twice"
    assert statuses(app, event.id) == {people[0].id: "cancelled"}


def test_places_left_counts_down_to_zero_and_never_below(app, people, session):
    event = make_event(app, capacity=2)
    assert events.places(session, event.id).left == 2
    events.book(session, event.id, people[0].id)
    assert events.places(session, event.id) == events.Places(capacity=2, booked=1, waiting=0)
    assert events.places(session, event.id).left == 1
    for person in people[1:4]:
        events.book(session, event.id, person.id)
    assert events.places(session, event.id) == events.Places(capacity=2, booked=2, waiting=2)
    assert events.places(session, event.id).left == 0
    assert events.Places(capacity=1, booked=3, waiting=0).left == 0


def test_bookings_for_a_person_leave_out_cancelled_ones_and_come_soonest_first(app, people, session):
    later = make_event(app, starts_in=timedelta(days=5))
    sooner = make_event(app, starts_in=timedelta(days=3))
    dropped = make_event(app, starts_in=timedelta(days=4))
    for event in (later, sooner, dropped):
        events.book(session, event.id, people[0].id)
    events.book(session, sooner.id, people[1].id)
    events.cancel(session, dropped.id, people[0].id)
    assert [event.id for _b, event in events.bookings_for_user(session, people[0].id)] == [sooner.id, later.id]


def test_followers_hear_about_new_events_and_published_outcomes(app, people, session):
    from portal.services import notifications
    with Session(app.extensions["engine"], expire_on_commit=False) as setup:
        buyer = make_buyer(setup)
        opportunity = make_opportunity(setup, buyer, title="School meals")
    notifications.follow(session, people[0].id, opportunity.id)
    start = utcnow() + timedelta(days=3)
    event = events.create_event(session, opportunity, kind="webinar", title="Briefing", starts_at=start,
                                ends_at=start + timedelta(hours=1), online_link="https://meet.example.org/a",
                                capacity=5, booking_deadline=start)
    events.publish_outcome(session, event, "Slides", "We heard a lot.")
    assert (event.materials_md, event.what_we_heard_md) == ("Slides", "We heard a lot.")
    told = session.exec(select(Notification.user_id, Notification.opportunity_id, Notification.message)
                        .order_by(Notification.id)).all()
    assert told == [(people[0].id, opportunity.id, "A new engagement event for \u201cSchool meals\u201d: Briefing."),
                    (people[0].id, opportunity.id, "What we heard at \u201cBriefing\u201d has been published.")]
    earlier = events.create_event(session, opportunity, kind="webinar", title="Earlier", starts_at=start - timedelta(days=1),
                                  ends_at=start, online_link="https://meet.example.org/b", capacity=5,
                                  booking_deadline=start - timedelta(days=1))
    assert [e.id for e in events.events_for(session, opportunity.id)] == [earlier.id, event.id], "soonest first"


def test_each_event_keeps_its_own_waiting_list(app, people, session):
    first, second = make_event(app, capacity=1), make_event(app, capacity=1)
    for person in people[3:6]:  # the other event's waiting list is older
        events.book(session, second.id, person.id)
    for person in people[:3]:
        events.book(session, first.id, person.id)
    assert [events.waiting_position(session, events.booking_for(session, second.id, p.id)) for p in people[4:6]] == [1, 2]
    assert [events.waiting_position(session, events.booking_for(session, first.id, p.id)) for p in people[1:3]] == [1, 2]
    events.cancel(session, first.id, people[0].id)
    assert statuses(app, first.id) == {people[0].id: "cancelled", people[1].id: "booked", people[2].id: "waiting"}
    assert statuses(app, second.id) == {people[3].id: "booked", people[4].id: "waiting", people[5].id: "waiting"}
    promoted = session.exec(select(Notification).where(Notification.user_id == people[1].id,
                                                       Notification.message.contains("now yours"))).all()
    assert [n.opportunity_id for n in promoted] == [first.opportunity_id]


def test_people_who_joined_at_the_same_moment_wait_in_booking_order(app, people, session):
    event = make_event(app, capacity=1)
    moment = utcnow()
    bookings = [events.book(session, event.id, person.id, now=moment) for person in people[:4]]
    assert [events.waiting_position(session, b) for b in bookings[1:]] == [1, 2, 3]
    events.cancel(session, event.id, people[0].id)
    assert statuses(app, event.id)[people[1].id] == "booked"


def test_cancelling_gives_up_only_your_own_place(app, people, session):
    event = make_event(app, capacity=2)
    for person in people[:4]:
        events.book(session, event.id, person.id)
    events.cancel(session, event.id, people[0].id)
    events.cancel(session, event.id, people[3].id)
    assert statuses(app, event.id) == {people[0].id: "cancelled", people[1].id: "booked", people[2].id: "booked",
                                       people[3].id: "cancelled"}


def test_a_cancelled_place_is_free_for_the_next_person(app, people, session):
    event = make_event(app, capacity=1)
    events.book(session, event.id, people[0].id)
    events.cancel(session, event.id, people[0].id)
    assert events.book(session, event.id, people[1].id).status == BookingStatus.BOOKED


def test_rejoining_the_waiting_list_goes_to_its_end(app, people, session):
    event = make_event(app, capacity=1)
    for person in people[:3]:
        events.book(session, event.id, person.id)
    events.cancel(session, event.id, people[1].id)
    again = events.book(session, event.id, people[1].id)
    assert again.status == BookingStatus.WAITING
    assert events.waiting_position(session, again) == 2
    assert events.waiting_position(session, events.booking_for(session, event.id, people[2].id)) == 1
