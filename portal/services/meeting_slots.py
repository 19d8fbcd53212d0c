"""One-to-one meetings: the times a buyer offers on an opportunity, and suppliers booking, moving and cancelling them.

A slot has room for one holder. Booking is one conditional UPDATE (`... WHERE holder_id IS NULL`), so when two
suppliers ask for the same slot at the same moment the database runs the two updates one after the other and the
second finds the slot taken. An organisation holds at most one slot per opportunity (a unique constraint), so a move
frees the old slot and takes the new one in one transaction: if the new one has just gone, nothing changes.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from portal.clock import as_utc, from_london, london
from portal.models import MeetingSlot, Opportunity, Organisation, Status, User
from portal.presenters import time_span
from portal.services.engagement_window import closed_message, is_open
from portal.services.notifications import link, tell_buyer

MAX_SLOTS_AT_ONCE = 20
ALREADY_HOLDING = "Your organisation already has a meeting about this opportunity. You can move it or cancel it."


class SlotError(Exception):
    """A rule about meetings was broken; the message is shown to the person."""


@dataclass(frozen=True)
class NewSlots:
    """Meetings in a row on one day, as the buyer describes them (UK time)."""
    day: date
    first_start: time
    minutes: int
    count: int
    break_minutes: int
    online: bool
    place: str = ""
    meeting_link: str = ""

    def times(self) -> list[tuple[datetime, datetime]]:
        """Each meeting's start and end, in UTC."""
        first = datetime.combine(self.day, self.first_start)
        step = timedelta(minutes=self.minutes + self.break_minutes)
        return [(from_london(first + step * n), from_london(first + step * n + timedelta(minutes=self.minutes)))
                for n in range(self.count)]


@dataclass(frozen=True)
class SlotChange:
    """What just happened to a meeting, for the emails about it. `holder` is the person the meeting is for,
    `actor` the person who made the change (a colleague of the holder may move or cancel it)."""
    kind: str  # "booked" | "moved" | "cancelled"
    opportunity: Opportunity
    organisation: Organisation
    holder: User
    actor: User
    slot: MeetingSlot  # the time booked, moved to, or cancelled (as it is now: a cancelled one is free again)
    previous: MeetingSlot | None  # the time a meeting was moved from
    at: datetime


@dataclass(frozen=True)
class SlotRow:
    slot: MeetingSlot
    holder: User | None
    organisation: Organisation | None


def where(slot: MeetingSlot, show_link: bool = False) -> str:
    """'Online' or 'In person at ...', with the joining link for the people allowed to see it."""
    if not slot.online:
        return f"In person at {slot.place}"
    return f"Online: {slot.meeting_link}" if show_link and slot.meeting_link else "Online"


def when(slot: MeetingSlot) -> str:
    return f"{time_span(slot.starts_at, slot.ends_at)} (UK time)"


def add_slots(session: Session, opportunity: Opportunity, new: NewSlots) -> list[MeetingSlot]:
    times = new.times()
    clash = session.exec(select(MeetingSlot).where(
        MeetingSlot.opportunity_id == opportunity.id,
        col(MeetingSlot.starts_at) < times[-1][1], col(MeetingSlot.ends_at) > times[0][0],
    ).order_by(MeetingSlot.starts_at)).all()
    for slot in clash:
        if any(start < as_utc(slot.ends_at) and as_utc(slot.starts_at) < end for start, end in times):
            raise SlotError(f"These times overlap a meeting time you already offer: {when(slot)}")
    slots = [MeetingSlot(opportunity_id=opportunity.id, starts_at=start, ends_at=end, online=new.online,
                         place="" if new.online else new.place, meeting_link=new.meeting_link if new.online else "")
             for start, end in times]
    session.add_all(slots)
    session.commit()
    return slots


def free_slots(session: Session, opportunity_id: int, now: datetime) -> list[MeetingSlot]:
    return list(session.exec(select(MeetingSlot).where(
        MeetingSlot.opportunity_id == opportunity_id, col(MeetingSlot.holder_id).is_(None),
        col(MeetingSlot.starts_at) > now).order_by(MeetingSlot.starts_at, MeetingSlot.id)).all())


def held_by(session: Session, opportunity_id: int, organisation_id: int | None) -> MeetingSlot | None:
    if organisation_id is None:
        return None
    return session.exec(select(MeetingSlot).where(MeetingSlot.opportunity_id == opportunity_id,
                                                  MeetingSlot.holder_organisation_id == organisation_id)).first()


def held_by_organisation(session: Session, organisation_id: int) -> list[tuple[MeetingSlot, Opportunity]]:
    """The organisation's meetings about published opportunities, in time order, each with its opportunity."""
    return list(session.exec(
        select(MeetingSlot, Opportunity).join(Opportunity, Opportunity.id == MeetingSlot.opportunity_id)
        .where(MeetingSlot.holder_organisation_id == organisation_id, Opportunity.status == Status.PUBLISHED)
        .order_by(MeetingSlot.starts_at, MeetingSlot.id)).all())


def times_to_come(session: Session, opportunity_id: int, now: datetime) -> tuple[int, int]:
    """How many meeting times are still to come, and how many of them are free."""
    total, free = session.exec(
        select(func.count(), func.count().filter(col(MeetingSlot.holder_id).is_(None))).select_from(MeetingSlot)
        .where(MeetingSlot.opportunity_id == opportunity_id, col(MeetingSlot.starts_at) > now)).one()
    return total, free


def by_day(session: Session, opportunity_id: int) -> list[tuple[date, list[SlotRow]]]:
    """Every meeting time, grouped by its day in UK time, with who holds it."""
    rows = session.exec(
        select(MeetingSlot, User, Organisation)
        .outerjoin(User, User.id == MeetingSlot.holder_id)
        .outerjoin(Organisation, Organisation.id == MeetingSlot.holder_organisation_id)
        .where(MeetingSlot.opportunity_id == opportunity_id).order_by(MeetingSlot.starts_at, MeetingSlot.id)).all()
    listed = [SlotRow(slot, holder, organisation) for slot, holder, organisation in rows]
    return [(day, list(group)) for day, group in groupby(listed, key=lambda row: london(row.slot.starts_at).date())]


def book(session: Session, opportunity: Opportunity, slot_id: int, person: User, now: datetime) -> SlotChange:
    _check_open(opportunity, now)
    if held_by(session, opportunity.id, person.organisation_id) is not None:
        raise SlotError(ALREADY_HOLDING)
    taken = _take(session, opportunity, slot_id, person.id, person.organisation_id, now)
    if not taken:
        raise SlotError(_why_not_free(session, opportunity.id, slot_id, now))
    change = _change(session, "booked", opportunity, _fresh(session, slot_id), None, person, now)
    tell_buyer(session, opportunity.id, f"{change.organisation.name} has booked a one-to-one meeting about "
               f"\u201c{opportunity.title}\u201d.", _buyer_details(change), to=_buyer_page(opportunity),
               emailed_already=True)
    session.commit()
    return change


def move(session: Session, opportunity: Opportunity, slot_id: int, person: User, now: datetime) -> SlotChange:
    _check_open(opportunity, now)
    old = held_by(session, opportunity.id, person.organisation_id)
    if old is None:
        raise SlotError("Your organisation does not have a meeting to move. Choose a time to book one.")
    if not is_to_come(old, now):
        raise SlotError("Your meeting has already started, so it cannot be moved.")
    if old.id == slot_id:
        raise SlotError("Your meeting is already at that time. Choose a different time.")
    holder_id = old.holder_id  # read first: freeing the slot also clears it on the loaded row
    _free(session, old.id, person.organisation_id, now)
    if not _take(session, opportunity, slot_id, holder_id, person.organisation_id, now):
        raise SlotError(_why_not_free(session, opportunity.id, slot_id, now))  # _take rolled back: the old time is kept
    change = _change(session, "moved", opportunity, _fresh(session, slot_id), _fresh(session, old.id), person, now,
                     holder_id=holder_id)
    tell_buyer(session, opportunity.id, f"{change.organisation.name} has moved their one-to-one meeting about "
               f"\u201c{opportunity.title}\u201d.", _buyer_details(change), to=_buyer_page(opportunity),
               emailed_already=True)
    session.commit()
    return change


def cancel(session: Session, opportunity: Opportunity, person: User, now: datetime) -> SlotChange:
    """Give up the organisation's meeting. Allowed after engagement has closed, until the meeting starts, so the
    buyer is not left waiting for someone who cannot come."""
    slot = held_by(session, opportunity.id, person.organisation_id)
    if slot is None:
        raise SlotError("Your organisation does not have a meeting to cancel.")
    if not is_to_come(slot, now):
        raise SlotError("Your meeting has already started, so it cannot be cancelled.")
    holder_id = slot.holder_id
    _free(session, slot.id, person.organisation_id, now)
    change = _change(session, "cancelled", opportunity, _fresh(session, slot.id), None, person, now, holder_id=holder_id)
    tell_buyer(session, opportunity.id, f"{change.organisation.name} has cancelled their one-to-one meeting about "
               f"\u201c{opportunity.title}\u201d.", _buyer_details(change), to=_buyer_page(opportunity),
               emailed_already=True)
    session.commit()
    return change


def remove(session: Session, opportunity: Opportunity, slot_id: int) -> None:
    """Take a free time away. A booked time stays: the supplier expects to meet."""
    removed = session.exec(delete(MeetingSlot).where(MeetingSlot.id == slot_id, MeetingSlot.opportunity_id == opportunity.id,
                                                     col(MeetingSlot.holder_id).is_(None)))
    if not removed.rowcount:
        session.rollback()
        raise SlotError("This time has been booked, so it cannot be removed.")
    session.commit()


def open_for_booking(opportunity: Opportunity, now: datetime) -> bool:
    return is_open(opportunity, london(now).date())


def closed_reason(opportunity: Opportunity) -> str:
    return closed_message(opportunity) + " Meetings can no longer be booked or moved."


def is_to_come(slot: MeetingSlot, now: datetime) -> bool:
    return as_utc(slot.starts_at) > now


def _check_open(opportunity: Opportunity, now: datetime) -> None:
    if not open_for_booking(opportunity, now):
        raise SlotError(closed_reason(opportunity))


def _free(session: Session, slot_id: int, organisation_id: int, now: datetime) -> None:
    """Give up a slot the organisation holds, if it has not started (a step in a transaction: not committed)."""
    freed = session.exec(update(MeetingSlot).where(
        MeetingSlot.id == slot_id, MeetingSlot.holder_organisation_id == organisation_id,
        col(MeetingSlot.starts_at) > now,
    ).values(holder_id=None, holder_organisation_id=None, held_since=None))
    if not freed.rowcount:
        session.rollback()
        raise SlotError("Your meeting changed a moment ago. Check it below.")


def _take(session: Session, opportunity: Opportunity, slot_id: int, holder_id: int, organisation_id: int,
          now: datetime) -> bool:
    """Hold a free slot that has not started; False (and the transaction rolled back) if it was not free."""
    try:
        taken = session.exec(update(MeetingSlot).where(
            MeetingSlot.id == slot_id, MeetingSlot.opportunity_id == opportunity.id,
            col(MeetingSlot.holder_id).is_(None), col(MeetingSlot.starts_at) > now,
        ).values(holder_id=holder_id, holder_organisation_id=organisation_id, held_since=now))
    except IntegrityError:  # a colleague took another slot at the same moment
        session.rollback()
        raise SlotError(ALREADY_HOLDING)
    if not taken.rowcount:
        session.rollback()
        return False
    return True


def _why_not_free(session: Session, opportunity_id: int, slot_id: int, now: datetime) -> str:
    slot = session.get(MeetingSlot, slot_id)
    if slot is None or slot.opportunity_id != opportunity_id:
        return "That time is no longer offered. Choose another time."
    session.refresh(slot)
    if not is_to_come(slot, now):
        return "That time has already started. Choose a later time."
    return "Someone has just booked that time. Choose another time."


def _fresh(session: Session, slot_id: int) -> MeetingSlot:
    slot = session.get(MeetingSlot, slot_id)
    session.refresh(slot)
    return slot


def _change(session: Session, kind: str, opportunity: Opportunity, slot: MeetingSlot, previous: MeetingSlot | None,
            actor: User, now: datetime, holder_id: int | None = None) -> SlotChange:
    holder = session.get(User, holder_id) if holder_id not in (None, actor.id) else actor
    return SlotChange(kind, opportunity, session.get(Organisation, actor.organisation_id), holder, actor, slot,
                      previous, now)


def _buyer_details(change: SlotChange) -> str:
    who = f"{change.holder.name} ({change.holder.email}), {change.organisation.name}"
    if change.kind == "moved":
        return f"New time: {when(change.slot)}\nIt was: {when(change.previous)}\n{where(change.slot)}\n{who}"
    if change.kind == "cancelled":
        return f"It was: {when(change.slot)}\n{where(change.slot)}\n{who}\nThe time is free again for others to book."
    return f"{when(change.slot)}\n{where(change.slot)}\n{who}"


def _buyer_page(opportunity: Opportunity) -> dict:
    return link("buyer_meetings.slots", opportunity_id=opportunity.id)
