"""Today's date, in UK time. Tests can fix it with the TODAY setting."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    fixed = current_app.config.get("TODAY")
    return fixed if fixed else datetime.now(LONDON).date()
