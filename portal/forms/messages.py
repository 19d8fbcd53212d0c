"""Messages between suppliers about partnering: writing, replying, reporting, and whether to get them."""

from wtforms import BooleanField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.forms.base import PortalForm
from portal.forms.fields import max_words
from portal.services.partner_messages import MAX_MESSAGE_WORDS

MAX_REASON_WORDS = 100


def _message_field(label: str, missing: str) -> TextAreaField:
    return TextAreaField(label, [
        InputRequired(missing),
        Length(max=3000, message="Message must be 3,000 characters or fewer"),
        max_words(MAX_MESSAGE_WORDS, "Message"),
    ])


class MessageForm(PortalForm):
    message = _message_field("Your message", "Enter your message")


class ReplyForm(PortalForm):
    message = _message_field("Your reply", "Enter your reply")


class ReportForm(PortalForm):
    reason = TextAreaField("Why are you reporting it? (optional)", [
        Length(max=1000, message="Reason must be 1,000 characters or fewer"),
        max_words(MAX_REASON_WORDS, "Reason"),
    ])


class MessagingSettingForm(PortalForm):
    accepts_messages = BooleanField("Other suppliers can message us about partnering")
