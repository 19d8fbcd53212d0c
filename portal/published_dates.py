"""One published date per item. `published_on` is the date every page, feed and data file shows: from the content
file's front matter, or the day a buyer first publishes. `first_published_at` is the moment behind it (for sorting
and "new since" alerts) and always falls on that date."""

from datetime import date, datetime, time, timezone

from portal.clock import LONDON, as_utc, london


def start_of(day: date) -> datetime:
    """Midnight at the start of a UK day, in UTC."""
    return datetime.combine(day, time(0, 0), LONDON).astimezone(timezone.utc)


def mark_published(opportunity, moment: datetime, day: date | None = None) -> None:
    """Record the first publishing, once: the date (a date already given, else `day`, else the moment's UK date) and
    a moment that falls on it, so the two cannot disagree. Publishing again later changes neither."""
    if opportunity.first_published_at is not None and opportunity.published_on is not None:
        return
    day = opportunity.published_on or day or london(moment).date()
    opportunity.published_on = day
    opportunity.first_published_at = as_utc(moment) if london(moment).date() == day else start_of(day)


def from_content(opportunity, published: date) -> None:
    """A content file's item went public on its front matter's date, not on the day the content was loaded."""
    opportunity.published_on = published
    if opportunity.first_published_at is None or london(opportunity.first_published_at).date() != published:
        opportunity.first_published_at = start_of(published)


def published_moment(opportunity) -> datetime | None:
    """When the item went public, on its published date: the recorded moment if it agrees, else that day's start."""
    if opportunity.published_on is None:
        return None
    recorded = opportunity.first_published_at
    if recorded is not None and london(recorded).date() == opportunity.published_on:
        return as_utc(recorded)
    return start_of(opportunity.published_on)
