"""Residents' voice forms: a resident's account, what a problem means to them, reports, and the staff's moderation."""

from wtforms import BooleanField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from portal.forms.accounts import PASSWORD_RULES, _email_field
from portal.forms.base import PortalForm
from portal.forms.fields import max_words
from portal.services.passwords import HINT as PASSWORD_HINT
from portal.services.voice import MAX_CHARACTERS, MAX_WORDS
from portal.services.voice_moderation import MAX_REASON_CHARACTERS, MAX_RESPONSE_WORDS

CONSENT_LABEL = ("I agree to this being published. My email address will never be published, and my display name "
                 "only if the council allows it.")


class ResidentSignUpForm(PortalForm):
    display_name = StringField("Display name", [
        InputRequired("Enter a display name"),
        Length(max=60, message="Display name must be 60 characters or fewer")])
    email = _email_field()
    password = PasswordField("Create a password", PASSWORD_RULES, description=PASSWORD_HINT)


def _text(label: str, what: str, required: str, words: int = MAX_WORDS, characters: int = MAX_CHARACTERS):
    return TextAreaField(label, [InputRequired(required),
                                 Length(max=characters, message=f"{what} must be {characters:,} characters or fewer"),
                                 max_words(words, what)])


class ContributionForm(PortalForm):
    text = _text("What this problem means to you", "Your comment", "Say what this problem means to you")
    consent = BooleanField(CONSENT_LABEL, [DataRequired("Tick the box to agree to your comment being published")])
    # Hidden from people; robots that fill in every field fill this one in too.
    website = StringField("Leave this empty", [Length(max=300)])


class ReportForm(PortalForm):
    reason = StringField("Why should it not be there? (optional)", [
        Length(max=500, message="Reason must be 500 characters or fewer")])


class ApproveForm(PortalForm):
    hide_name = BooleanField("Publish without the display name")


class RejectContributionForm(PortalForm):
    reason = _text("Why you are not publishing it", "Reason", "Say why you are not publishing this comment",
                   words=150, characters=MAX_REASON_CHARACTERS)


class RedactForm(PortalForm):
    published_text = _text("What to publish", "What to publish", "Enter what to publish")
    reason = _text("Why you took parts out", "Reason", "Say why you took parts out", words=150,
                   characters=MAX_REASON_CHARACTERS)
    hide_name = BooleanField("Publish without the display name")


class ResponseForm(PortalForm):
    response = _text("Your official response", "Response", "Enter your response", words=MAX_RESPONSE_WORDS)


class WhatChangedForm(PortalForm):
    what_changed = TextAreaField("What changed because of what people said", [
        Length(max=MAX_CHARACTERS, message=f"What changed must be {MAX_CHARACTERS:,} characters or fewer"),
        max_words(MAX_WORDS, "What changed")])
