from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.forms.base import PortalForm
from portal.forms.fields import max_words, options
from portal.services.questions import MAX_QUESTION_WORDS
from portal.services.saved_searches import FREQUENCIES


class InterestForm(PortalForm):
    keep_updated = BooleanField("Keep me updated about this opportunity", default=True)
    open_to_partnering = BooleanField("We are open to partnering with other organisations on this")
    listed_publicly = BooleanField("Show our organisation on the public list of interested suppliers")


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
