"""Today's date, in UK time, and the current moment. Tests can fix them with the TODAY and NOW settings."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    fixed = current_app.config.get("TODAY")
    return fixed if fixed else datetime.now(LONDON).date()


def now() -> datetime:
    """The current moment, in UTC."""
    fixed = current_app.config.get("NOW")
    return fixed if fixed else datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def london(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(LONDON)


def from_london(local: datetime) -> datetime:
    """A UK wall-clock time, as people type it, in UTC."""
    aware = local if local.tzinfo else local.replace(tzinfo=LONDON)
    return aware.astimezone(timezone.utc)
