"""Forms for one-to-one meetings: a buyer offering times in a row, and a supplier choosing one."""

import re
from datetime import date, time, timedelta

from wtforms import RadioField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from portal.clock import london, now
from portal.forms.base import PortalForm
from portal.forms.fields import WholeNumberField, options, web_address
from portal.services.meeting_slots import MAX_SLOTS_AT_ONCE, NewSlots

TIME = re.compile(r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?", re.IGNORECASE)
TIME_MESSAGE = "Enter the time of the first meeting, like 9:30am or 14:00"
HOW = {"online": "Online", "in-person": "In person"}
HOW_MESSAGE = "Choose whether you will meet online or in person"
LATEST = timedelta(days=731)  # meetings are offered up to 2 years ahead


def parse_time(text: str) -> time | None:
    """'9:30am', '2pm', '14:00', '9.30', 'midday' as a time of day; None if it is not one."""
    text = (text or "").strip().lower()
    if text in ("midday", "noon", "12 noon"):
        return time(12, 0)
    match = TIME.fullmatch(text)
    if match is None:
        return None
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), match["half"]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


class SlotsForm(PortalForm):
    """Meetings in a row on one day. The date uses the GOV.UK pattern of three boxes; times are UK time."""
    day = StringField("Day", [Optional()])
    month = StringField("Month", [Optional()])
    year = StringField("Year", [Optional()])
    first_start = StringField("Time of the first meeting", [InputRequired(TIME_MESSAGE),
                                                            Length(max=20, message=TIME_MESSAGE)])
    minutes = WholeNumberField("Length of each meeting, in minutes", 15, 120, "Enter a length from 15 to 120 minutes",
                               default="30")
    count = WholeNumberField("How many meetings in a row", 1, MAX_SLOTS_AT_ONCE,
                             f"Enter how many meetings in a row, from 1 to {MAX_SLOTS_AT_ONCE}")
    break_minutes = WholeNumberField("Break between meetings, in minutes (optional)", 0, 120,
                                     "Enter a break from 0 to 120 minutes, or leave it empty", required=False)
    how = RadioField("How will you meet?", choices=options(HOW.items()), validate_choice=False, validators=[
        InputRequired(HOW_MESSAGE), AnyOf(list(HOW), message=HOW_MESSAGE)])
    place = StringField("Address, for meetings in person", [
        Optional(), Length(max=300, message="Address must be 300 characters or fewer")])
    meeting_link = StringField("Joining link, for online meetings", [
        Optional(), Length(max=500, message="Joining link must be 500 characters or fewer"), web_address])

    planned: NewSlots | None = None

    def validate(self, extra_validators=None) -> bool:
        # Errors are added to the fields' own lists (not read from `self.errors`, which caches what it first sees).
        super().validate(extra_validators)
        day = self._date()
        start = parse_time(self.first_start.data) if self.first_start.data else None
        if self.first_start.data and start is None and not self.first_start.errors:
            self.first_start.errors = [TIME_MESSAGE]
        if self.how.data == "in-person" and not (self.place.data or "").strip():
            self.place.errors = [*self.place.errors, "Enter the address for meetings in person"]
        if self.how.data == "online" and not (self.meeting_link.data or "").strip():
            self.meeting_link.errors = [*self.meeting_link.errors, "Enter the joining link for online meetings"]
        if day and not self.day.errors and not london(now()).date() <= day <= london(now()).date() + LATEST:
            self.day.errors = ["The date must be today or in the future" if day < london(now()).date()
                               else "The date must be within the next 2 years"]
        if day and start and not self._has_errors():
            self.planned = NewSlots(
                day=day, first_start=start, minutes=self.minutes.number, count=self.count.number,
                break_minutes=self.break_minutes.number or 0, online=self.how.data == "online",
                place=(self.place.data or "").strip(), meeting_link=(self.meeting_link.data or "").strip())
            times = self.planned.times()
            if times[0][0] <= now():
                self.first_start.errors = ["The first meeting must start in the future"]
            elif london(times[-1][1] - timedelta(seconds=1)).date() != day:
                self.count.errors = ["The last meeting must end by midnight: start earlier or have fewer meetings"]
        return not self._has_errors()

    def _has_errors(self) -> bool:
        return any(field.errors for field in self)

    def _date(self) -> date | None:
        parts = [(field.data or "").strip() for field in (self.day, self.month, self.year)]
        if not any(parts):
            self.day.errors = ["Enter the date of the meetings"]
            return None
        try:
            if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
                raise ValueError
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            self.day.errors = ["Enter a real date, like 27 3 2027"]
            return None


class SlotChoiceForm(PortalForm):
    """The time a supplier picks. Whether it is still free is the booking's job, which says why if it is not."""
    slot = WholeNumberField("Choose a time", 1, 2**31 - 1, "Choose a time")
