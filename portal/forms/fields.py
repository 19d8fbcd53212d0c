"""Field helpers shared by the forms."""

import re

from wtforms import DateField, IntegerField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from portal.places.authorities import UnknownPlaces, codes_for
from portal.models import MAX_POUNDS
from portal.presenters import long_date, parse_date, parse_pounds


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
        text = str(self.data if self.data is not None else "").strip()  # typed text, or a number to show
        # isdecimal, not isdigit: "²" is a digit that int() cannot read
        return int(text) if text.isdecimal() and len(text) <= len(str(self.high)) else None

    def pre_validate(self, form):
        if not str(self.data if self.data is not None else "").strip() and not self.required:
            raise StopValidation()
        if self.number is None or not self.low <= self.number <= self.high:
            raise StopValidation(self.message)


class CouncilAreasField(StringField):
    """Local authorities typed by name, separated by commas ("Camden, Islington"), read by portal.places. What was
    typed stays in `data`; the codes are `codes`. A name we do not know gets a message with the closest we know."""

    codes: list[str] = []

    def pre_validate(self, form):
        self.codes = []
        text = (self.data or "").strip()
        if len(text) > 1000:
            raise StopValidation("Enter no more than 1,000 characters")
        names = [name for name in text.replace(";", ",").split(",") if name.strip()]
        if len(names) > 30:
            raise StopValidation("Name no more than 30 council areas, or leave it empty if the work covers whole regions")
        try:
            self.codes = codes_for(names)
        except UnknownPlaces as unknown:
            raise StopValidation(str(unknown)) from None


class MoneyField(IntegerField):
    """Whole pounds, typed the way people write them: "£50,000", "50,000", "50000", "50k", "1.2m" or "£2 million"
    (read by presenters.parse_pounds, as pipeline uploads are) and shown back as "£50,000". What was typed is kept
    when it cannot be read; `message` says what to type instead. When what was typed is shown again (the page has
    errors), `understood` says what it was read as."""

    def __init__(self, label, validators=None, message: str = "Enter an amount in whole pounds, like £50,000",
                 high: int = MAX_POUNDS, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message, self.high = message, high

    def process_data(self, value):
        self.data = value if value is None or isinstance(value, int) else parse_pounds(str(value))

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = parse_pounds(valuelist[0])
        if self.data is None:
            raise ValueError(self.message)
        if self.data > self.high:
            self.data = None
            raise ValueError(f"Enter an amount no more than £{self.high:,}")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"£{self.data:,}"

    @property
    def understood(self) -> str | None:
        """"We read this as £1,200,000" when the amount typed was read but is not written that way already."""
        if self.errors or self.data is None or not self.raw_data:
            return None
        shown = f"£{self.data:,}"
        return None if self.raw_data[0].strip() == shown else f"We read this as {shown}"


class UkDateField(DateField):
    """A date typed in a text box the way people in the UK write it ("31 March 2027", "31/3/2027", "2027-03-31"),
    read by presenters.parse_date and shown back as "31 March 2027". The input macro adds `format_hint` to the
    field's hint, so the hint always says what the box accepts."""
    format_hint = "For example, 31 March 2027 or 31/3/2027."

    def __init__(self, label, validators=None, message: str = "Enter a real date, like 31 March 2027", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = parse_date(valuelist[0])
        if self.data is None:
            raise ValueError(self.message)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return long_date(self.data)

    @property
    def understood(self) -> str | None:
        """"We read this as 1 March 2027" when the date typed was read but is not written that way already."""
        if self.errors or self.data is None or not self.raw_data:
            return None
        shown = long_date(self.data)
        return None if self.raw_data[0].strip() == shown else f"We read this as {shown}"
