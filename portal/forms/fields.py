"""Field helpers shared by the forms."""

import re

from wtforms import SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        unknown = set(self.data or []) - {choice.value for choice in self.choices}
        if unknown:
            raise ValidationError("Choose from the options shown")


def options(pairs) -> list[SelectChoice]:
    """Radio or checkbox options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def web_address(form, field):
    if field.data and not re.fullmatch(r"https?://[^\s/]+\.[^\s]{2,}.*", field.data.strip()):
        raise ValidationError("Enter a web address in the correct format, like https://www.example.org")


def at_least_one(message: str):
    def check(form, field):
        if not field.data:
            raise ValidationError(message)
    return check


def max_words(limit: int, what: str):
    def check(form, field):
        count = len((field.data or "").split())
        if count > limit:
            raise ValidationError(f"{what} must be {limit} words or fewer (it has {count})")
    return check


class WholeNumberField(StringField):
    """A whole number from `low` to `high`. What was typed stays in `data` (so it is shown again); the number is
    `number`. Anything else gets the field's own plain message."""

    def __init__(self, label, low: int, high: int, message: str, required: bool = True, **kwargs):
        super().__init__(label, **kwargs)
        self.low, self.high, self.message, self.required = low, high, message, required

    @property
    def number(self) -> int | None:
        text = (self.data or "").strip()
        # isdecimal, not isdigit: "²" is a digit that int() cannot read
        return int(text) if text.isdecimal() and len(text) <= len(str(self.high)) else None

    def pre_validate(self, form):
        if not (self.data or "").strip() and not self.required:
            raise StopValidation()
        if self.number is None or not self.low <= self.number <= self.high:
            raise StopValidation(self.message)


# "£2,000,000", "2000000", "2,000,000", "£2 million", "2.5m", "£5,000,000.00"
_POUNDS = re.compile(r"£?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d{1,2}))?(?P<million>m|million)?")


def parse_pounds(text: str) -> int | None:
    """An amount of money in whole pounds as people write it; None if it is not one."""
    compact = re.sub(r"\s+", "", text or "").lower()
    match = _POUNDS.fullmatch(compact) if len(compact) <= 30 else None
    if match is None:
        return None
    whole, fraction = int(match["whole"].replace(",", "")), match["fraction"] or ""
    if match["million"]:
        return whole * 1_000_000 + int(fraction.ljust(6, "0"))
    return whole if not fraction.strip("0") else None  # pence are not asked for


class PoundsField(StringField):
    """An optional amount in whole pounds from 1 to `high`. What was typed stays in `data` (so it is shown again);
    the amount is `pounds`."""

    def __init__(self, label, high: int, message: str, **kwargs):
        super().__init__(label, **kwargs)
        self.high, self.message = high, message

    @property
    def pounds(self) -> int | None:
        return parse_pounds(self.data or "")

    def pre_validate(self, form):
        if not (self.data or "").strip():
            raise StopValidation()
        if self.pounds is None or not 1 <= self.pounds <= self.high:
            raise StopValidation(self.message)
