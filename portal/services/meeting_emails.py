"""The emails sent at once when a one-to-one meeting is booked, moved or cancelled: one to the supplier, one to each
of the buyer's staff, each with a calendar file. Links are built on BASE_URL."""

from sqlmodel import Session, col, select

from portal.mail import Attachment, Email
from portal.models import MeetingSlot, Organisation, User
from portal.presenters import london_time
from portal.security import external_url
from portal.services.calendar_file import meeting_ics
from portal.services.meeting_slots import SlotChange, when, where
from portal.services.notifications import buyer_staff

SUPPLIER_OPENINGS = {
    "booked": "Your one-to-one meeting with {buyer} about \u201c{title}\u201d is booked.",
    "moved": "Your one-to-one meeting with {buyer} about \u201c{title}\u201d has moved to a new time.",
    "cancelled": "Your one-to-one meeting with {buyer} about \u201c{title}\u201d has been cancelled.",
}
BUYER_OPENINGS = {
    "booked": "{supplier} has booked a one-to-one meeting about \u201c{title}\u201d.",
    "moved": "{supplier} has moved their one-to-one meeting about \u201c{title}\u201d to a new time.",
    "cancelled": "{supplier} has cancelled their one-to-one meeting about \u201c{title}\u201d.",
}
SUBJECTS = {
    "booked": "Meeting with {other} booked for {time}",
    "moved": "Meeting with {other} moved to {time}",
    "cancelled": "Meeting with {other} on {time} cancelled",
}


def emails_for(session: Session, change: SlotChange) -> list[Email]:
    buyer = session.get(Organisation, change.opportunity.buyer_id)
    supplier_page = external_url("meetings.show", slug=change.opportunity.slug)
    buyer_page = external_url("buyer_meetings.slots", opportunity_id=change.opportunity.id)
    supplier_body = _supplier_body(change, buyer, supplier_page)
    buyer_body = _buyer_body(change, buyer_page)
    supplier_files = _calendar_files(change, f"Meeting with {buyer.name}: {change.opportunity.title}",
                                     f"One-to-one meeting with {buyer.name} about \u201c{change.opportunity.title}\u201d.",
                                     supplier_page)
    buyer_files = _calendar_files(change, f"Meeting with {change.organisation.name}: {change.opportunity.title}",
                                  f"One-to-one meeting with {change.holder.name} ({change.holder.email}) of "
                                  f"{change.organisation.name} about \u201c{change.opportunity.title}\u201d.", buyer_page)
    moment = f"{london_time(change.slot.starts_at)} (UK time)"
    supplier_subject = SUBJECTS[change.kind].format(other=buyer.name, time=moment)
    buyer_subject = SUBJECTS[change.kind].format(other=change.organisation.name, time=moment)
    suppliers = {change.holder.email, change.actor.email}
    staff = session.exec(select(User.email).where(col(User.id).in_(buyer_staff(session, change.opportunity.id)))).all()
    return ([Email(to, supplier_subject, supplier_body, supplier_files) for to in sorted(suppliers)]
            + [Email(to, buyer_subject, buyer_body, buyer_files) for to in sorted(staff)])


def _supplier_body(change: SlotChange, buyer: Organisation, page: str) -> str:
    lines = [SUPPLIER_OPENINGS[change.kind].format(buyer=buyer.name, title=change.opportunity.title), ""]
    lines += _time_and_place(change, show_link=change.kind != "cancelled")
    if change.actor.id != change.holder.id:
        lines += ["", f"{change.actor.name} of {change.organisation.name} made this change."]
    if change.kind == "cancelled":
        lines += ["", "You can book another time while engagement is open:", page,
                  "", "The calendar file attached takes the meeting out of your calendar."]
    else:
        lines += ["", "See your meeting, move it or cancel it:", page,
                  "", "The calendar file attached adds the meeting to your calendar."]
    return "\n".join(lines)


def _buyer_body(change: SlotChange, page: str) -> str:
    lines = [BUYER_OPENINGS[change.kind].format(supplier=change.organisation.name, title=change.opportunity.title), ""]
    lines += _time_and_place(change, show_link=change.kind != "cancelled")
    lines += [f"Who: {change.holder.name} ({change.holder.email}), {change.organisation.name}"]
    if change.kind == "cancelled":
        lines += ["", "The time is free again for others to book."]
    lines += ["", "See the day's meetings:", page]
    return "\n".join(lines)


def _time_and_place(change: SlotChange, show_link: bool) -> list[str]:
    label = {"booked": "When", "moved": "New time", "cancelled": "It was"}[change.kind]
    lines = [f"{label}: {when(change.slot)}"]
    if change.previous is not None:
        lines.append(f"It was: {when(change.previous)}")
    lines.append(f"Where: {where(change.slot, show_link)}")
    return lines


def _calendar_files(change: SlotChange, summary: str, description: str, page: str) -> tuple[Attachment, ...]:
    def ics(slot: MeetingSlot, cancelled: bool) -> bytes:
        return meeting_ics(slot, summary, description, page, change.at, cancelled=cancelled)

    if change.kind == "cancelled":
        return (Attachment("cancelled-meeting.ics", ics(change.slot, True), "text/calendar"),)
    files = [Attachment("meeting.ics", ics(change.slot, False), "text/calendar")]
    if change.previous is not None:
        files.append(Attachment("cancelled-meeting.ics", ics(change.previous, True), "text/calendar"))
    return tuple(files)
