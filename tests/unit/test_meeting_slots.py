"""One-to-one meetings: offering times, booking, moving and cancelling them, and racing for the same time."""

import threading
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.models import MeetingSlot, Notification, Opportunity, User
from portal.services import accounts, meeting_slots
from portal.services.meeting_slots import NewSlots, SlotError
from tests.conftest import NOW
from tests.factories import make_buyer, make_opportunity
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier

DAY = date(2026, 11, 24)  # a Tuesday, two days after NOW; UK time is UTC in November
LINK = "https://meet.example.org/camden"


@pytest.fixture
def opportunity(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session, name="Camden Council")
        opportunity = make_opportunity(session, buyer, title="School meals")
    make_buyer_user(app, buyer, "cam@camden.example.org")
    return opportunity


@pytest.fixture
def people(app):
    return [make_supplier(app, email=f"person{i}@example.org", organisation=f"Org {i}", size="micro", legal_form="company")
            for i in range(6)]


def colleague_of(app, person: User, email: str) -> User:
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        token = accounts.invite_colleague(session, person, email)
        return accounts.accept_invitation(session, accounts.open_invitation(session, token), "Colleague", PASSWORD)


def offer(app, opportunity, count=4, day=DAY, first=time(10), minutes=30, online=True) -> list[MeetingSlot]:
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        return meeting_slots.add_slots(session, opportunity, NewSlots(
            day=day, first_start=first, minutes=minutes, count=count, break_minutes=0, online=online,
            place="" if online else "5 Pancras Square", meeting_link=LINK if online else ""))


def holders(app, opportunity_id) -> dict[int, int | None]:
    with Session(app.extensions["engine"]) as session:
        return {slot.id: slot.holder_organisation_id for slot in session.exec(
            select(MeetingSlot).where(MeetingSlot.opportunity_id == opportunity_id).order_by(MeetingSlot.id))}


def fresh(session, opportunity) -> Opportunity:
    return session.get(Opportunity, opportunity.id)


def test_times_in_a_row_are_uk_wall_clock_times():
    winter = NewSlots(day=date(2027, 1, 12), first_start=time(9, 30), minutes=30, count=3, break_minutes=15, online=True)
    assert [(start.isoformat(), end.time().isoformat()) for start, end in winter.times()] == [
        ("2027-01-12T09:30:00+00:00", "10:00:00"), ("2027-01-12T10:15:00+00:00", "10:45:00"),
        ("2027-01-12T11:00:00+00:00", "11:30:00")]
    summer = NewSlots(day=date(2027, 6, 1), first_start=time(9, 30), minutes=45, count=1, break_minutes=0, online=True)
    assert [start.hour for start, _ in summer.times()] == [8], "British Summer Time is an hour ahead of UTC"


def test_offered_times_must_not_overlap_those_already_offered(app, opportunity):
    offer(app, opportunity, count=2)  # 10am to 11am
    with pytest.raises(SlotError, match=r"overlap a meeting time you already offer: Tuesday 24 November 2026, 10:30am to 11am"):
        offer(app, opportunity, count=1, first=time(10, 45))
    assert len(offer(app, opportunity, count=2, first=time(11))) == 2, "touching is not overlapping"
    other = offer(app, opportunity, count=1, day=DAY + timedelta(days=1), first=time(10))
    assert len(other) == 1


def test_booking_a_free_time_tells_the_buyer_with_the_time(app, opportunity, people, session):
    slots = offer(app, opportunity)
    change = meeting_slots.book(session, fresh(session, opportunity), slots[1].id, people[0], NOW)
    assert (change.kind, change.slot.id, change.slot.holder_id, change.organisation.name) == ("booked", slots[1].id, people[0].id, "Org 0")
    told = session.exec(select(Notification).where(Notification.message.contains("has booked"))).one()
    assert told.message == "Org 0 has booked a one-to-one meeting about \u201cSchool meals\u201d."
    assert "Tuesday 24 November 2026, 10:30am to 11am (UK time)" in told.details
    assert "person0@example.org" in told.details
    assert told.link == {"endpoint": "buyer_meetings.slots", "values": {"opportunity_id": opportunity.id}}
    assert session.get(User, told.user_id).email == "cam@camden.example.org"


def test_a_time_someone_holds_cannot_be_booked(app, opportunity, people, session):
    slots = offer(app, opportunity)
    meeting_slots.book(session, fresh(session, opportunity), slots[0].id, people[0], NOW)
    with pytest.raises(SlotError, match=r"^Someone has just booked that time\. Choose another time\.$"):
        meeting_slots.book(session, fresh(session, opportunity), slots[0].id, people[1], NOW)
    assert holders(app, opportunity.id)[slots[0].id] == people[0].organisation_id


def test_an_organisation_holds_one_time_per_opportunity(app, opportunity, people, session):
    slots = offer(app, opportunity)
    colleague = colleague_of(app, people[0], "colleague@example.org")
    meeting_slots.book(session, fresh(session, opportunity), slots[0].id, people[0], NOW)
    with pytest.raises(SlotError, match="already has a meeting about this opportunity"):
        meeting_slots.book(session, fresh(session, opportunity), slots[1].id, colleague, NOW)
    other = make_opportunity(session, make_buyer(session))
    other_slots = offer(app, other)
    assert meeting_slots.book(session, fresh(session, other), other_slots[0].id, colleague, NOW).kind == "booked"


def test_the_database_itself_allows_one_time_per_organisation_and_a_whole_holder(app, opportunity, people, session):
    slots = offer(app, opportunity)
    session.exec(update(MeetingSlot).where(MeetingSlot.id == slots[0].id)
                 .values(holder_id=people[0].id, holder_organisation_id=people[0].organisation_id))
    session.commit()
    with pytest.raises(IntegrityError):
        session.exec(update(MeetingSlot).where(MeetingSlot.id == slots[1].id)
                     .values(holder_id=people[0].id, holder_organisation_id=people[0].organisation_id))
    session.rollback()
    with pytest.raises(IntegrityError):
        session.exec(update(MeetingSlot).where(MeetingSlot.id == slots[2].id).values(holder_id=people[1].id))
    session.rollback()


def test_a_time_that_has_started_cannot_be_booked(app, opportunity, people, session):
    [slot] = offer(app, opportunity, count=1)
    with pytest.raises(SlotError, match=r"^That time has already started\. Choose a later time\.$"):
        meeting_slots.book(session, fresh(session, opportunity), slot.id, people[0], slot.starts_at)
    assert meeting_slots.book(session, fresh(session, opportunity), slot.id, people[0],
                              slot.starts_at - timedelta(seconds=1)).kind == "booked"


def test_a_time_from_another_opportunity_or_removed_is_refused(app, opportunity, people, session):
    other = make_opportunity(session, make_buyer(session))
    [elsewhere] = offer(app, other, count=1)
    with pytest.raises(SlotError, match=r"^That time is no longer offered\."):
        meeting_slots.book(session, fresh(session, opportunity), elsewhere.id, people[0], NOW)
    with pytest.raises(SlotError, match=r"^That time is no longer offered\."):
        meeting_slots.book(session, fresh(session, opportunity), 999_999, people[0], NOW)
    assert holders(app, other.id) == {elsewhere.id: None}


@pytest.mark.parametrize("closing", [{"engagement_closed_at": NOW - timedelta(hours=1)},
                                     {"engagement_closes_on": date(2026, 11, 21)}, {"stage": "tender"}])
def test_nothing_is_booked_or_moved_once_engagement_has_closed(app, opportunity, people, session, closing):
    slots = offer(app, opportunity)
    meeting_slots.book(session, fresh(session, opportunity), slots[0].id, people[0], NOW)
    closed = fresh(session, opportunity)
    for name, value in closing.items():
        setattr(closed, name, value)
    session.add(closed)
    session.commit()
    with pytest.raises(SlotError, match=r"^Engagement on this opportunity .*closed.*\. "
                                        r"Meetings can no longer be booked or moved\.$"):
        meeting_slots.book(session, closed, slots[1].id, people[1], NOW)
    with pytest.raises(SlotError, match="can no longer be booked or moved"):
        meeting_slots.move(session, closed, slots[2].id, people[0], NOW)
    assert meeting_slots.cancel(session, closed, people[0], NOW).kind == "cancelled", "the buyer still hears"
    assert set(holders(app, opportunity.id).values()) == {None}


def test_moving_takes_the_new_time_and_frees_the_old_one(app, opportunity, people, session):
    slots = offer(app, opportunity)
    meeting_slots.book(session, fresh(session, opportunity), slots[0].id, people[0], NOW)
    change = meeting_slots.move(session, fresh(session, opportunity), slots[3].id, people[0], NOW)
    assert (change.kind, change.slot.id, change.previous.id) == ("moved", slots[3].id, slots[0].id)
    assert holders(app, opportunity.id) == {slots[0].id: None, slots[1].id: None, slots[2].id: None,
                                            slots[3].id: people[0].organisation_id}
    told = session.exec(select(Notification).where(Notification.message.contains("has moved"))).one()
    assert "New time: Tuesday 24 November 2026, 11:30am to midday (UK time)" in told.details
    assert "It was: Tuesday 24 November 2026, 10am to 10:30am (UK time)" in told.details
    assert meeting_slots.book(session, fresh(session, opportunity), slots[0].id, people[1], NOW).kind == "booked"


def test_moving_to_a_time_just_taken_keeps_the_old_time(app, opportunity, people, session):
    slots = offer(app, opportunity)
    meeting_slots.book(session, fresh(session, opportunity), slots[0].id, people[0], NOW)
    meeting_slots.book(session, fresh(session, opportunity), slots[1].id, people[1], NOW)
    with pytest.raises(SlotError, match=r"^Someone has just booked that time"):
        meeting_slots.move(session, fresh(session, opportunity), slots[1].id, people[0], NOW)
    assert holders(app, opportunity.id)[slots[0].id] == people[0].organisation_id
    assert holders(app, opportunity.id)[slots[1].id] == people[1].organisation_id
    with pytest.raises(SlotError, match="already at that time"):
        meeting_slots.move(session, fresh(session, opportunity), slots[0].id, people[0], NOW)
    with pytest.raises(SlotError, match="does not have a meeting to move"):
        meeting_slots.move(session, fresh(session, opportunity), slots[2].id, people[2], NOW)


def test_a_colleague_can_move_or_cancel_and_the_meeting_stays_the_holders(app, opportunity, people, session):
    slots = offer(app, opportunity)
    colleague = colleague_of(app, people[0], "colleague@example.org")
    meeting_slots.book(session, fresh(session, opportunity), slots[0].id, people[0], NOW)
    moved = meeting_slots.move(session, fresh(session, opportunity), slots[2].id, colleague, NOW)
    assert (moved.holder.id, moved.actor.id, moved.slot.holder_id) == (people[0].id, colleague.id, people[0].id)
    cancelled = meeting_slots.cancel(session, fresh(session, opportunity), colleague, NOW)
    assert (cancelled.holder.id, cancelled.slot.id, cancelled.slot.holder_id) == (people[0].id, slots[2].id, None)


def test_cancelling_frees_the_time_until_it_starts(app, opportunity, people, session):
    slots = offer(app, opportunity)
    with pytest.raises(SlotError, match="does not have a meeting to cancel"):
        meeting_slots.cancel(session, fresh(session, opportunity), people[0], NOW)
    meeting_slots.book(session, fresh(session, opportunity), slots[0].id, people[0], NOW)
    with pytest.raises(SlotError, match=r"^Your meeting has already started, so it cannot be cancelled\.$"):
        meeting_slots.cancel(session, fresh(session, opportunity), people[0], slots[0].starts_at)
    with pytest.raises(SlotError, match=r"^Your meeting has already started, so it cannot be moved\.$"):
        meeting_slots.move(session, fresh(session, opportunity), slots[1].id, people[0], slots[0].starts_at)
    change = meeting_slots.cancel(session, fresh(session, opportunity), people[0], NOW)
    assert change.kind == "cancelled" and holders(app, opportunity.id)[slots[0].id] is None
    told = session.exec(select(Notification).where(Notification.message.contains("has cancelled"))).one()
    assert "It was: Tuesday 24 November 2026, 10am to 10:30am (UK time)" in told.details


def test_a_buyer_removes_only_free_times(app, opportunity, people, session):
    slots = offer(app, opportunity, count=2)
    meeting_slots.book(session, fresh(session, opportunity), slots[0].id, people[0], NOW)
    with pytest.raises(SlotError, match=r"^This time has been booked, so it cannot be removed\.$"):
        meeting_slots.remove(session, fresh(session, opportunity), slots[0].id)
    meeting_slots.remove(session, fresh(session, opportunity), slots[1].id)
    assert holders(app, opportunity.id) == {slots[0].id: people[0].organisation_id}


def test_the_days_list_groups_by_uk_day_and_says_who_holds_each_time(app, opportunity, people, session):
    late = offer(app, opportunity, count=1, day=date(2027, 6, 2), first=time(0, 30))  # 11:30pm on 1 June in UTC
    early = offer(app, opportunity, count=2, day=date(2027, 6, 1), first=time(9), online=False)
    meeting_slots.book(session, fresh(session, opportunity), early[1].id, people[0], NOW)
    days = meeting_slots.by_day(session, opportunity.id)
    assert [day for day, _ in days] == [date(2027, 6, 1), date(2027, 6, 2)]
    assert [(row.slot.id, row.organisation.name if row.organisation else None, row.holder.email if row.holder else None)
            for row in days[0][1]] == [(early[0].id, None, None), (early[1].id, "Org 0", "person0@example.org")]
    assert [row.slot.id for row in days[1][1]] == [late[0].id]
    assert meeting_slots.where(early[0]) == "In person at 5 Pancras Square"
    assert meeting_slots.where(late[0]) == "Online"
    assert meeting_slots.where(late[0], show_link=True) == f"Online: {LINK}"


def test_free_times_to_come(app, opportunity, people, session):
    slots = offer(app, opportunity)
    meeting_slots.book(session, fresh(session, opportunity), slots[1].id, people[0], NOW)
    assert [slot.id for slot in meeting_slots.free_slots(session, opportunity.id, NOW)] == [slots[0].id, slots[2].id, slots[3].id]
    later = slots[0].starts_at
    assert [slot.id for slot in meeting_slots.free_slots(session, opportunity.id, later)] == [slots[2].id, slots[3].id]
    assert meeting_slots.times_to_come(session, opportunity.id, NOW) == (4, 3)
    assert meeting_slots.times_to_come(session, opportunity.id, later) == (3, 2)


def _race(app, work, people) -> tuple[list, list]:
    barrier = threading.Barrier(len(people))
    outcomes, errors = [], []

    def run(person):
        with Session(app.extensions["engine"], expire_on_commit=False) as session:
            barrier.wait()
            try:
                outcomes.append(work(session, person))
            except SlotError as error:
                errors.append(str(error))

    threads = [threading.Thread(target=run, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, errors


def test_racing_for_one_time_gives_it_to_exactly_one_supplier(app, opportunity, people):
    [slot] = offer(app, opportunity, count=1)
    outcomes, errors = _race(app, lambda session, person: meeting_slots.book(
        session, fresh(session, opportunity), slot.id, person, NOW).organisation.id, people)
    assert len(outcomes) == 1 and len(errors) == len(people) - 1
    assert set(errors) == {"Someone has just booked that time. Choose another time."}
    assert holders(app, opportunity.id) == {slot.id: outcomes[0]}


def test_colleagues_racing_for_two_times_get_one_between_them(app, opportunity, people):
    slots = offer(app, opportunity, count=4)
    team = [people[0]] + [colleague_of(app, people[0], f"colleague{i}@example.org") for i in range(3)]
    each_their_own = {person.id: slot.id for person, slot in zip(team, slots)}
    outcomes, errors = _race(app, lambda session, person: meeting_slots.book(
        session, fresh(session, opportunity), each_their_own[person.id], person, NOW).slot.id, team)
    assert len(outcomes) == 1, errors
    assert set(errors) == {meeting_slots.ALREADY_HOLDING}
    assert list(holders(app, opportunity.id).values()).count(people[0].organisation_id) == 1


def test_racing_to_move_into_one_free_time_moves_exactly_one(app, opportunity, people):
    slots = offer(app, opportunity, count=len(people) + 1)
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        for slot, person in zip(slots, people):
            meeting_slots.book(session, fresh(session, opportunity), slot.id, person, NOW)
    target = slots[-1]
    outcomes, errors = _race(app, lambda session, person: meeting_slots.move(
        session, fresh(session, opportunity), target.id, person, NOW).organisation.id, people)
    assert len(outcomes) == 1 and len(errors) == len(people) - 1
    held = holders(app, opportunity.id)
    assert held[target.id] == outcomes[0]
    assert sorted(organisation for organisation in held.values() if organisation) == sorted(p.organisation_id for p in people)
    assert list(held.values()).count(None) == 1, "the winner's old time is free; everyone else kept theirs"


def test_a_slot_moved_at_the_same_moment_as_another_books_it_is_never_lost(app, opportunity, people):
    """One supplier leaves a time as another asks for it: the time ends up held once, or free, never twice."""
    slots = offer(app, opportunity, count=2)
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        meeting_slots.book(session, fresh(session, opportunity), slots[0].id, people[0], NOW)

    def work(session, person):
        if person.id == people[0].id:
            return meeting_slots.move(session, fresh(session, opportunity), slots[1].id, person, NOW).kind
        return meeting_slots.book(session, fresh(session, opportunity), slots[0].id, person, NOW).kind

    outcomes, errors = _race(app, work, people[:2])
    held = holders(app, opportunity.id)
    assert outcomes.count("moved") == 1
    assert held[slots[1].id] == people[0].organisation_id
    assert held[slots[0].id] in (None, people[1].organisation_id)
    assert len(outcomes) + len(errors) == 2


def test_times_are_stored_in_utc(app, opportunity, session):
    [slot] = offer(app, opportunity, count=1, day=date(2027, 6, 1), first=time(10))
    stored = session.get(MeetingSlot, slot.id)
    assert stored.starts_at == datetime(2027, 6, 1, 9, tzinfo=timezone.utc)
