"""iCalendar (.ics) files: one for an engagement event, and one for a one-to-one meeting (or its cancellation)."""

from datetime import datetime

from icalendar import Calendar, Event

from portal.clock import as_utc
from portal.models import EngagementEvent, MeetingSlot, utcnow
from portal.security.text import clean_text, one_line


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Opportunity Portal//Engagement events//EN")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def event_ics(event: EngagementEvent, opportunity_title: str, page_url: str, show_link: bool) -> bytes:
    calendar = _calendar()
    entry = Event()
    entry.add("uid", f"event-{event.id}@opportunity-portal")
    entry.add("dtstamp", utcnow())
    entry.add("dtstart", as_utc(event.starts_at))
    entry.add("dtend", as_utc(event.ends_at))
    entry.add("summary", one_line(event.title))
    place = one_line(event.location) or "Online"
    if show_link and event.online_link:
        place = event.online_link if not event.location else f"{event.location} ({event.online_link})"
    entry.add("location", one_line(place))
    entry.add("description", clean_text(
        f"Pre-market engagement for \u201c{opportunity_title}\u201d.\n\n{event.description}\n\n{page_url}"))
    entry.add("url", page_url)
    calendar.add_component(entry)
    return calendar.to_ical()


def meeting_ics(slot: MeetingSlot, summary: str, description: str, page_url: str, changed_at: datetime,
                cancelled: bool = False) -> bytes:
    """A meeting for a calendar, or (`cancelled`) the message that takes it out again: the same UID, and a sequence
    number from the time of the change so the newest file wins."""
    calendar = _calendar("CANCEL" if cancelled else "PUBLISH")
    entry = Event()
    entry.add("uid", f"meeting-slot-{slot.id}@opportunity-portal")
    entry.add("sequence", int(as_utc(changed_at).timestamp()))
    entry.add("dtstamp", as_utc(changed_at))
    entry.add("dtstart", as_utc(slot.starts_at))
    entry.add("dtend", as_utc(slot.ends_at))
    entry.add("summary", one_line(("Cancelled: " if cancelled else "") + summary))
    entry.add("location", one_line(slot.meeting_link if slot.online else slot.place))
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    entry.add("description", clean_text(f"{description}\n\n{page_url}"))
    entry.add("url", page_url)
    calendar.add_component(entry)
    return calendar.to_ical()
