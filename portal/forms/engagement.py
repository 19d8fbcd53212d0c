import re

from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.forms.base import PortalForm
from portal.forms.fields import max_words, options
from portal.services.interest import Reply
from portal.services.questions import MAX_QUESTION_WORDS
from portal.services.saved_searches import FREQUENCIES


# Words are what is limited; characters are capped too, generously, so nobody can send a novel as one "word".
CHARACTERS_PER_WORD = 20


def _email_address(form, field):
    if field.data and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", field.data.strip()):
        raise ValidationError("Enter an email address in the correct format, like name@example.org")


def _phone_number(form, field):
    text = (field.data or "").strip()
    if text and not (re.fullmatch(r"[0-9+()\-. ]+", text) and 7 <= sum(c.isdigit() for c in text) <= 15):
        raise ValidationError("Enter a phone number, like 020 7946 0000 or +44 7700 900000")


class InterestForm(PortalForm):
    """Interest in one opportunity: answers to the buyer's own questions (added by interest_form()), a named
    contact the buyer may see if the organisation agrees, and choices. Word limits are checked when sending, so a
    long draft can still be saved."""
    share_contact = BooleanField("Let the buyer see who to contact")
    contact_name = StringField("Name", [Optional(), Length(max=120, message="Name must be 120 characters or fewer")])
    contact_email = StringField("Email address", [Optional(), Length(max=320, message="Email address must be 320 "
                                                                      "characters or fewer"), _email_address])
    contact_phone = StringField("Phone number (optional)", [Optional(), Length(max=30, message="Phone number must be "
                                                                           "30 characters or fewer"), _phone_number])
    open_to_partnering = BooleanField("We are open to partnering with other organisations on this")
    listed_publicly = BooleanField("Show our organisation on the public list of interested suppliers")
    keep_updated = BooleanField("Keep me updated about this opportunity")
    action = HiddenField()  # the button pressed: "draft" saves, anything else sends
    questions: tuple = ()

    @property
    def sending(self) -> bool:
        return self.action.data != "draft"

    def answer_field(self, question):
        return self[f"answer_{question.id}"]

    def _over_limit(self, question) -> str | None:
        try:
            max_words(question.max_words, "Your answer")(self, self.answer_field(question))
        except ValidationError as problem:
            return str(problem)
        return None

    def too_long(self) -> list[int]:
        """The numbers of the questions whose answers are over their word limit."""
        return [number for number, question in enumerate(self.questions, start=1) if self._over_limit(question)]

    def ready_to_send(self) -> bool:
        """What sending needs on top of the usual checks: answers within their limits, and a name and an email
        address if the buyer may see who to contact."""
        for question in self.questions:
            problem = self._over_limit(question)
            if problem:
                field = self.answer_field(question)
                field.errors = [*field.errors, problem]
        if self.share_contact.data:
            for field, message in ((self.contact_name, "Enter the name of the person to contact"),
                                   (self.contact_email, "Enter the email address of the person to contact")):
                if not (field.data or "").strip():
                    field.errors = [*field.errors, message]
        return not self.errors

    def reply(self) -> Reply:
        return Reply(answers={question.id: self.answer_field(question).data or "" for question in self.questions},
                     open_to_partnering=self.open_to_partnering.data, listed_publicly=self.listed_publicly.data,
                     share_contact=self.share_contact.data, contact_name=self.contact_name.data or "",
                     contact_email=self.contact_email.data or "", contact_phone=self.contact_phone.data or "",
                     keep_updated=self.keep_updated.data)


def interest_form(questions, **kwargs) -> InterestForm:
    """The interest form for an opportunity that asks `questions` (MarketQuestion rows, in order)."""
    fields = {f"answer_{question.id}": TextAreaField(question.text, [Optional(), Length(
        max=question.max_words * CHARACTERS_PER_WORD, message="Your answer is too long")]) for question in questions}
    form = type("InterestFormFor", (InterestForm,), fields)(**kwargs)
    form.questions = tuple(questions)
    return form


def interest_values(interest, answers: dict[int, str], person, following: bool) -> dict:
    """What the form shows before anything is typed: the saved interest, or the signed-in person as the contact."""
    if interest is None:
        return {"contact_name": person.name, "contact_email": person.email, "keep_updated": following}
    return {f"answer_{question_id}": text for question_id, text in answers.items()} | {
        "share_contact": interest.share_contact,
        "contact_name": interest.contact_name or person.name, "contact_email": interest.contact_email or person.email,
        "contact_phone": interest.contact_phone, "open_to_partnering": interest.open_to_partnering,
        "listed_publicly": interest.listed_publicly, "keep_updated": following}


class QuestionForm(PortalForm):
    question = TextAreaField("Your question", [
        InputRequired("Enter your question"),
        Length(max=1000, message="Question must be 1,000 characters or fewer"),
        max_words(MAX_QUESTION_WORDS, "Question"),
    ])


class SaveSearchForm(PortalForm):
    name = StringField("Name this search", [InputRequired("Enter a name for this search"),
                                            Length(max=100, message="Name must be 100 characters or fewer")])
    frequency = RadioField("How often should we email you?", choices=options(FREQUENCIES.items()), default="weekly",
                           validators=[InputRequired("Choose how often we should email you")])
    query = HiddenField()


class ActionForm(PortalForm):
    """A button that changes something: only its CSRF token is checked."""
