"""Field helpers shared by the forms."""

import re

from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError


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
