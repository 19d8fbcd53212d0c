"""An iCalendar (.ics) file for one engagement event."""

from icalendar import Calendar, Event

from portal.clock import as_utc
from portal.models import EngagementEvent, utcnow
from portal.security.text import clean_text, one_line


def event_ics(event: EngagementEvent, opportunity_title: str, page_url: str, show_link: bool) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Opportunity Portal//Engagement events//EN")
    calendar.add("version", "2.0")
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
