"""Pre-market engagement events and their bookings.

Booking decides "booked" or "waiting" inside one SQL statement, so two people taking the last place at
the same moment cannot both get it: SQLite runs each statement under its write lock, and on PostgreSQL
the event row is locked first.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, insert, literal, update
from sqlmodel import Session, col, select

from portal.clock import as_utc
from portal.models import Booking, BookingStatus, EngagementEvent, Opportunity, Organisation, User, utcnow
from portal.presenters import time_span
from portal.services.notifications import followers, link, notify, tell_buyer


class BookingError(Exception):
    """A booking rule was broken; the message is shown to the person."""


@dataclass(frozen=True)
class Places:
    capacity: int
    booked: int
    waiting: int

    @property
    def left(self) -> int:
        return max(0, self.capacity - self.booked)


def create_event(session: Session, opportunity: Opportunity, **fields) -> EngagementEvent:
    event = EngagementEvent(opportunity_id=opportunity.id, **fields)
    session.add(event)
    session.flush()
    notify(session, followers(session, opportunity.id), opportunity.id,
           f"A new engagement event for \u201c{opportunity.title}\u201d: {event.title}.", when_and_where(event),
           to=link("events.show", event_id=event.id))
    session.commit()
    return event


def publish_outcome(session: Session, event: EngagementEvent, materials_md: str, what_we_heard_md: str) -> None:
    event.materials_md = materials_md
    event.what_we_heard_md = what_we_heard_md
    notify(session, followers(session, event.opportunity_id), event.opportunity_id,
           f"What we heard at \u201c{event.title}\u201d has been published.", what_we_heard_md,
           to=link("events.show", event_id=event.id))
    session.add(event)
    session.commit()


def has_ended(event: EngagementEvent, now: datetime) -> bool:
    """Whether "what we heard" can be published: only once the event is over."""
    return as_utc(event.ends_at) <= now


def events_for(session: Session, opportunity_id: int) -> list[EngagementEvent]:
    return list(session.exec(select(EngagementEvent).where(EngagementEvent.opportunity_id == opportunity_id)
                             .order_by(EngagementEvent.starts_at)).all())


def places(session: Session, event_id: int) -> Places:
    event = session.get(EngagementEvent, event_id)
    counts = dict(session.exec(select(Booking.status, func.count()).where(Booking.event_id == event_id)
                               .group_by(Booking.status)).all())
    return Places(event.capacity, counts.get(BookingStatus.BOOKED, 0), counts.get(BookingStatus.WAITING, 0))


def booking_for(session: Session, event_id: int, user_id: int) -> Booking | None:
    return session.exec(select(Booking).where(Booking.event_id == event_id, Booking.user_id == user_id)).first()


def waiting_position(session: Session, booking: Booking) -> int:
    ahead = session.exec(select(func.count()).where(
        Booking.event_id == booking.event_id, Booking.status == BookingStatus.WAITING,
        (col(Booking.created_at) < booking.created_at) | ((Booking.created_at == booking.created_at) & (col(Booking.id) < booking.id)),
    )).one()
    return ahead + 1


def book(session: Session, event_id: int, user_id: int, now: datetime | None = None) -> Booking:
    """A place if one is free, otherwise a place on the waiting list."""
    now = now or utcnow()
    event = session.exec(select(EngagementEvent).where(EngagementEvent.id == event_id).with_for_update()).one()
    if now > as_utc(event.booking_deadline):
        raise BookingError("Booking for this event has closed.")
    if now > as_utc(event.starts_at):
        raise BookingError("This event has already started.")
    existing = booking_for(session, event_id, user_id)
    if existing is not None and existing.status != BookingStatus.CANCELLED:
        raise BookingError("You already have a place." if existing.status == BookingStatus.BOOKED
                           else "You are already on the waiting list.")
    booked_now = (select(func.count()).select_from(Booking)
                  .where(Booking.event_id == event_id, Booking.status == BookingStatus.BOOKED).scalar_subquery())
    stamp = literal(now, type_=Booking.__table__.c.created_at.type)
    status = case((booked_now < event.capacity, literal(BookingStatus.BOOKED.value)), else_=literal(BookingStatus.WAITING.value))
    if existing is None:
        session.exec(insert(Booking).from_select(
            ["event_id", "user_id", "status", "created_at", "updated_at"],
            select(literal(event_id), literal(user_id), status, stamp, stamp),
        ))
    else:
        session.exec(update(Booking).where(Booking.id == existing.id).values(status=status, created_at=now, updated_at=now))
    booking = booking_for(session, event_id, user_id)
    session.refresh(booking)
    _tell_about_booking(session, event, booking)
    session.commit()
    return booking


def _tell_about_booking(session: Session, event: EngagementEvent, booking: Booking) -> None:
    """The buyer's staff, with the event and its time. (The person who booked is emailed at once by the page.)"""
    person = session.get(User, booking.user_id)
    organisation = session.get(Organisation, person.organisation_id) if person.organisation_id else None
    who = organisation.name if organisation else person.name
    happened = (f"{who} has booked a place at \u201c{event.title}\u201d." if booking.status == BookingStatus.BOOKED
                else f"{who} has joined the waiting list for \u201c{event.title}\u201d.")
    tell_buyer(session, event.opportunity_id, happened,
               f"{event.title}\n{when_and_where(event)}\n{person.name} ({person.email})",
               to=link("buyer.event_bookings", event_id=event.id))


def when_and_where(event: EngagementEvent) -> str:
    """When and where, as a notification shows it."""
    return f"{time_span(event.starts_at, event.ends_at)} (UK time)\n{event.location or 'Online'}"


def people_booked(session: Session, event_id: int) -> list[tuple[Booking, User, Organisation | None]]:
    """Who has a place, then who is waiting, each in booking order."""
    waiting_last = case((Booking.status == BookingStatus.BOOKED, 0), else_=1)
    return list(session.exec(
        select(Booking, User, Organisation).join(User, User.id == Booking.user_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(Booking.event_id == event_id, Booking.status != BookingStatus.CANCELLED)
        .order_by(waiting_last, Booking.created_at, Booking.id)).all())


def cancel(session: Session, event_id: int, user_id: int) -> Booking | None:
    """Give up a place (or leave the waiting list); the first person waiting is promoted.

    Safe when people book and cancel at once: the event row is locked first (PostgreSQL), and the booking is
    only cancelled from the status just read, so a place freed is never lost (on SQLite that write takes the
    database's write lock).
    """
    session.exec(select(EngagementEvent.id).where(EngagementEvent.id == event_id).with_for_update()).one()
    while True:
        current = session.exec(select(Booking.id, Booking.status)
                               .where(Booking.event_id == event_id, Booking.user_id == user_id)).first()
        if current is None or current.status == BookingStatus.CANCELLED:
            session.rollback()
            return None
        cancelled = session.exec(update(Booking).where(Booking.id == current.id, Booking.status == current.status)
                                 .values(status=BookingStatus.CANCELLED.value, updated_at=utcnow()))
        if cancelled.rowcount:
            break  # otherwise it changed (a promotion) between the read and the write: read it again
    promoted_id = _promote_first_waiting(session, event_id) if current.status == BookingStatus.BOOKED else None
    if promoted_id is not None:
        event = session.get(EngagementEvent, event_id)
        promoted = session.get(Booking, promoted_id)
        notify(session, {promoted.user_id}, event.opportunity_id,
               f"A place has come free at \u201c{event.title}\u201d and it is now yours.", when_and_where(event),
               to=link("events.show", event_id=event.id))
    session.commit()
    booking = session.get(Booking, current.id)
    session.refresh(booking)
    return booking


def _promote_first_waiting(session: Session, event_id: int) -> int | None:
    first = session.exec(select(Booking.id).where(Booking.event_id == event_id, Booking.status == BookingStatus.WAITING)
                         .order_by(Booking.created_at, Booking.id).limit(1)).first()
    if first is None:
        return None
    event = session.get(EngagementEvent, event_id)
    booked_now = (select(func.count()).select_from(Booking)
                  .where(Booking.event_id == event_id, Booking.status == BookingStatus.BOOKED).scalar_subquery())
    result = session.exec(update(Booking).where(Booking.id == first, Booking.status == BookingStatus.WAITING,
                                                booked_now < event.capacity)
                          .values(status=BookingStatus.BOOKED.value, updated_at=utcnow()))
    return first if result.rowcount else None


def bookings_for_user(session: Session, user_id: int) -> list[tuple[Booking, EngagementEvent]]:
    return list(session.exec(select(Booking, EngagementEvent).join(EngagementEvent, EngagementEvent.id == Booking.event_id)
                             .where(Booking.user_id == user_id, Booking.status != BookingStatus.CANCELLED)
                             .order_by(EngagementEvent.starts_at)).all())
