"""Field helpers shared by the forms."""

import re

from wtforms import IntegerField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from portal.services.pipeline_cells import CellError, money


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


class MoneyField(IntegerField):
    """Whole pounds, typed the way people write them: "£50,000", "50,000" or "50000". Read by the same rule as the
    pipeline upload's money cells; what was typed is kept when it cannot be read."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = money(valuelist[0].strip())
        except CellError as error:
            self.data = None
            message = str(error)
            raise ValueError(message[0].upper() + message[1:]) from error


class WholeNumberField(IntegerField):
    """A whole number, with a plain message when what was typed is not one (kept, so it can be put right)."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        self.data = None
        if re.fullmatch(r"\d{13,}", text):
            raise ValueError("Enter a smaller number")
        if not re.fullmatch(r"\d{1,12}", text):
            raise ValueError("Enter a whole number, like 30")
        self.data = int(text)
