"""The reason a buyer gives when they withdraw or cancel a published item. It is shown to the public as written."""

from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from portal.forms.base import PortalForm
from portal.forms.fields import max_words

MIN_REASON_WORDS = 3
MAX_REASON_WORDS = 100
MAX_REASON_CHARACTERS = 1000
REASON_HINT = "Say why, in a sentence or two. This is shown to the public."


def min_words(limit: int):
    def check(form, field):
        if len((field.data or "").split()) < limit:
            raise ValidationError(f"Say why in a sentence of at least {limit} words, so people understand")
    return check


class StopReasonForm(PortalForm):
    reason = TextAreaField("Why", [
        InputRequired("Say why, in a sentence or two"),
        Length(max=MAX_REASON_CHARACTERS, message=f"Reason must be {MAX_REASON_CHARACTERS:,} characters or fewer"),
        min_words(MIN_REASON_WORDS),
        max_words(MAX_REASON_WORDS, "Reason"),
    ])
