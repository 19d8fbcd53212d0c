"""The email sent at once to a person who books a place at an event or joins its waiting list: what happened, when
in UK time, where, a link on BASE_URL, and (with a place) a calendar file."""

from portal.mail import Attachment, Email
from portal.models import Booking, BookingStatus, EngagementEvent, Opportunity, User
from portal.presenters import london_time
from portal.security import external_url
from portal.services.calendar_file import event_ics
from portal.services.events import when_and_where


def booking_confirmation(event: EngagementEvent, opportunity: Opportunity, booking: Booking, person: User,
                         position: int | None = None) -> Email:
    page = external_url("events.show", event_id=event.id)
    moment = f"{london_time(event.starts_at)} (UK time)"
    title = f"\u201c{event.title}\u201d"
    when, where = when_and_where(event).split("\n", 1)
    if booking.status == BookingStatus.BOOKED:
        lines = [f"You have a place at {title}, part of the pre-market engagement for \u201c{opportunity.title}\u201d.",
                 "", f"When: {when}", f"Where: {where}"]
        if event.online_link:
            lines.append(f"Joining link: {event.online_link}")
        lines += ["", "See the event, or cancel your place if you cannot come:", page,
                  "", "The calendar file attached adds the event to your calendar."]
        calendar = Attachment("event.ics", event_ics(event, opportunity.title, page, show_link=True), "text/calendar")
        return Email(person.email, f"Your place at {title}: {moment}", "\n".join(lines), (calendar,))
    lines = [f"{title} is full, so you are number {position} on the waiting list. "
             "We will tell you if a place comes free.", "", f"When: {when}", f"Where: {where}",
             "", "See the event, or leave the waiting list:", page]
    return Email(person.email, f"You are on the waiting list for {title}: {moment}", "\n".join(lines))
