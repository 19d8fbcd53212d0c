"""Forms for buyers: the brief editor (built from the kind's template), moderating questions, and outcomes of events."""

from datetime import date
from typing import NamedTuple

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal import reference
from portal.briefs import Template
from portal.clock import from_london, now
from portal.forms.base import PortalForm, SubForm
from portal.bidding.vocabulary import ValueBasis
from portal.forms.fields import CheckboxesField, CouncilAreasField, MoneyField, UkDateField, at_least_one, max_words, options
from portal.forms.fields import web_address
from portal.models import MAX_POUNDS, BuyerType, EventKind, Stage
from portal.presenters import EVENT_KIND_LABELS
from portal.presenters import STAGE_LABELS, financial_year, market_quarter
from portal.services.pipeline import financial_year_of, quarter_ends_on
from portal.services.questions import MAX_ANSWER_WORDS, MAX_QUESTION_WORDS, MAX_REASON_WORDS
from portal.services.update_emails import CHOICES
from portal.services.market_questions import (
    DEFAULT_WORDS,
    MAX_QUESTION_CHARACTERS,
    MAX_QUESTIONS,
    MAX_WORDS,
    MIN_WORDS,
    QuestionValues,
    same_text,
)

VALUE_BASIS_LABELS = {ValueBasis.TOTAL.value: "For the whole contract", ValueBasis.PER_YEAR.value: "For each year"}
QUARTER_LABELS = {"1": "April to June", "2": "July to September", "3": "October to December", "4": "January to March"}


def _known_cpv(form, field):
    code = (field.data or "").strip()
    if code and reference.cpv(code) is None:
        matches = [c for c in reference.cpv_codes() if c.startswith(code.replace("-", "")[:8])]
        if len(code.replace("-", "")) == 8 and matches:
            field.data = matches[0]
            return
        raise ValidationError("Enter a CPV code from the list of codes, like 85311000-2")


def _min_not_over_max(form, field):
    if field.data is not None and form.value_max.data is not None and field.data > form.value_max.data:
        raise ValidationError("The lowest value must not be more than the highest value")


class BriefBaseForm(PortalForm):
    """What every kind of opportunity asks. Template sections are added by brief_form()."""
    title = StringField("Title", [InputRequired("Enter a title"), Length(max=200, message="Title must be 200 characters or fewer")])
    summary = TextAreaField("Summary", [InputRequired("Enter a summary"), max_words(50, "Summary"),
                                        Length(max=600, message="Summary must be 600 characters or fewer")])
    why = TextAreaField("Why you are buying this", [InputRequired("Say why you are buying this"), max_words(200, "This answer")])
    missions = CheckboxesField("Which missions does it serve?")
    cpv = StringField("Type of work (CPV code)", [InputRequired("Enter a CPV code"), _known_cpv],
                      filters=[lambda v: v.strip() if v else v])
    regions = CheckboxesField("Where will the work be?", choices=options((c, r.name) for c, r in reference.regions().items()),
                              validators=[at_least_one("Choose at least one region")])
    value_min = MoneyField("Lowest likely value in pounds (optional)", [Optional(), NumberRange(min=0, max=MAX_POUNDS), _min_not_over_max])
    value_max = MoneyField("Highest likely value in pounds (optional)", [Optional(), NumberRange(min=0, max=MAX_POUNDS)])
    value_basis = RadioField("Is this value for the whole contract or for each year?",
                             choices=options(VALUE_BASIS_LABELS.items()), default=ValueBasis.TOTAL.value)
    engagement_closes = UkDateField("When does engagement close? (optional)", [Optional()])
    questions_close = UkDateField("Last day for questions (optional)", [Optional()])
    financial_year = SelectField("Financial year it goes to market (optional)", validators=[Optional()])
    quarter = SelectField("Quarter (optional)", choices=options([("", "Not decided")] + list(QUARTER_LABELS.items())),
                          validators=[Optional()])
    contract_length_months = IntegerField("Contract length in months (optional)", [Optional(), NumberRange(min=1, max=600)])
    areas = CouncilAreasField("Council areas where the work is (optional)")
    likely_route = StringField("Likely route to market, if known (optional)", [Optional(), Length(max=200)])
    stage = RadioField("Where does it stand?", default=Stage.ENGAGEMENT.value,
                       validators=[InputRequired("Choose where it stands")])
    suitable_for_sme = BooleanField("Suitable for small and medium-sized firms")
    suitable_for_vcse = BooleanField("Suitable for charities, social enterprises and community groups")

    today: date
    saved: "SavedDates"

    def page_order(self) -> list:
        """templates/buyer/edit.html's order: the written answers (the template's sections, the questions for
        suppliers and any phases come after "why"), then the facts."""
        written = ["title", "summary", "why", *(section.name for section in self.sections), "questions_to_suppliers",
                   "phases"]
        first = [self[name] for name in written if name in self]
        return first + [field for field in self if field.short_name not in written]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if bool(self.quarter.data) != bool(self.financial_year.data):
            self.quarter.errors = [*self.quarter.errors, "Choose both a financial year and a quarter, or neither"]
            valid = False
        if self.value_basis.data == ValueBasis.PER_YEAR and self.value_min.data is None and self.value_max.data is None \
                and not (self.value_min.errors or self.value_max.errors):
            self.value_basis.errors = [*self.value_basis.errors,
                                       "Enter a value before saying it is for each year, or choose the whole contract"]
            valid = False
        valid = self._dates_to_come() and valid
        valid = self._questions_close_before_engagement() and valid
        valid = self._check_questions_to_suppliers() and valid
        phases = getattr(self, "phases", None)
        if phases is not None:
            problems = [f"Phase {number}, {field.label.text.lower()}: {message}" for number, row in enumerate(phases, start=1)
                        for field in row.form for message in field.errors]
            problems += [message for number, row in enumerate(phases, start=1) for message in row.form.check(number)]
            filled = sum(row.form.filled() for row in phases)
            if not filled:
                problems.append("Give at least one phase a name, a start date and an end date")
            elif filled > MAX_PHASES:
                problems.append(TOO_MANY_PHASES)
            if problems:
                phases.errors = problems
                valid = False
        return valid

    def _dates_to_come(self) -> bool:
        """A new or changed date must not be past already; a date saved earlier may be, so that an item that has
        closed can still be edited without changing it."""
        valid = True
        closes, saved = self.engagement_closes.data, self.saved
        if closes and closes < self.today and closes != saved.engagement_closes_on:
            self.engagement_closes.errors = [*self.engagement_closes.errors,
                                             "The closing date must be today or in the future"]
            valid = False
        if self.financial_year.data and self.quarter.data and not (self.quarter.errors or self.financial_year.errors):
            year, quarter = int(self.financial_year.data), int(self.quarter.data)
            if quarter_ends_on(year, quarter) < self.today and (year, quarter) != (saved.market_year, saved.market_quarter):
                self.quarter.errors = [*self.quarter.errors, f"{market_quarter(year, quarter)} has already ended. "
                                       "Choose a quarter that has not ended yet"]
                valid = False
        questions_close = self.questions_close.data
        if questions_close and questions_close < self.today and questions_close != saved.questions_close_on:
            self.questions_close.errors = [*self.questions_close.errors,
                                           "The last day for questions must be today or in the future"]
            valid = False
        return valid

    def _questions_close_before_engagement(self) -> bool:
        closes, engagement = self.questions_close.data, self.engagement_closes.data
        if closes and engagement and closes > engagement:
            self.questions_close.errors = [*self.questions_close.errors,
                                           "The last day for questions must not be after engagement closes"]
            return False
        return True

    def _check_questions_to_suppliers(self) -> bool:
        rows = self.questions_to_suppliers
        problems = [f"Question {number}: {message}" for number, row in enumerate(rows, start=1)
                    for field in row.form for message in field.errors]
        seen = {}
        for number, row in enumerate(rows, start=1):
            if row.form.filled():
                key = same_text(row.form.text.data)
                if key in seen:
                    problems.append(f"Question {number} is the same as question {seen[key]}: change or remove one")
                seen.setdefault(key, number)
        rows.errors = problems
        return not problems


class MarketQuestionForm(SubForm):
    """One of the buyer's own questions to suppliers (part of the brief form). A row without a question is ignored."""
    text = StringField("Question", [Optional(), Length(
        max=MAX_QUESTION_CHARACTERS, message=f"Keep the question to {MAX_QUESTION_CHARACTERS} characters or fewer")])
    max_words = IntegerField("Word limit for answers", [Optional(), NumberRange(
        min=MIN_WORDS, max=MAX_WORDS, message=f"Enter a word limit from {MIN_WORDS} to {MAX_WORDS}")],
        default=DEFAULT_WORDS)

    def filled(self) -> bool:
        return bool((self.text.data or "").strip())

    def values(self) -> QuestionValues:
        return QuestionValues(self.text.data.strip(), self.max_words.data or DEFAULT_WORDS)


class SavedDates(NamedTuple):
    """The dates an item already has, which the editor accepts even once they are past."""
    engagement_closes_on: date | None = None
    market_year: int | None = None
    market_quarter: int | None = None
    questions_close_on: date | None = None


class PhaseForm(SubForm):
    """One phase of an innovation challenge (part of the brief form, which carries the CSRF token)."""
    name = StringField("Name", [Optional(), Length(max=120)])
    starts = UkDateField("Starts", [Optional()])
    ends = UkDateField("Ends", [Optional()])
    funding = MoneyField("Funding or prize in pounds (optional)", [Optional(), NumberRange(min=0, max=MAX_POUNDS)])

    def filled(self) -> bool:
        return any(field.data not in (None, "") for field in (self.name, self.starts, self.ends, self.funding))

    def check(self, number: int) -> list[str]:
        if not self.filled():
            return []
        if not ((self.name.data or "").strip() and self.starts.data and self.ends.data):
            return [f"Give phase {number} a name, a start date and an end date"]
        if self.ends.data < self.starts.data:
            return [f"Phase {number} must not end before it starts"]
        return []


PHASE_ROWS = 3  # rows a challenge's editor starts with; the buyer can add more, up to MAX_PHASES
MAX_PHASES = 12
TOO_MANY_PHASES = f"A challenge can have up to {MAX_PHASES} phases. Remove a phase, or join two together"


def brief_form(template: Template, kind: str, missions: list[tuple[str, str]], today: date,
               saved: SavedDates = SavedDates(), current_stage: str | None = None, **kwargs) -> BriefBaseForm:
    """A form for one kind's template: its sections as Markdown text areas, the buyer's questions to suppliers, and
    phases for a challenge. `saved` holds the dates of the item being edited, `current_stage` its stage."""
    fields = {"questions_to_suppliers": FieldList(FormField(MarketQuestionForm), "Questions for suppliers",
                                                  min_entries=MAX_QUESTIONS, max_entries=MAX_QUESTIONS)}
    for section in template.sections:
        checks = [max_words(section.max_words, "This answer")]
        checks.insert(0, InputRequired(f"Answer \u201c{section.label}\u201d") if section.required else Optional())
        fields[section.name] = TextAreaField(section.label, checks, description=section.hint)
    if kind == "innovation-challenge":
        # One row more than allowed is read, so that a form sent with too many gets a message rather than losing one.
        fields["phases"] = FieldList(FormField(PhaseForm), "Phases", min_entries=1, max_entries=MAX_PHASES + 1)
    form_class = type("BriefForm", (BriefBaseForm,), fields)
    form = form_class(**kwargs)
    form.missions.choices = options(missions)
    form.stage.choices = options(stage_choices(current_stage))
    first_year = financial_year_of(today)
    years = sorted({*range(first_year, first_year + 3), *([saved.market_year] if saved.market_year else [])})
    form.financial_year.choices = options([("", "Not decided")] + [(str(year), financial_year(year)) for year in years])
    form.sections = template.sections
    form.today, form.saved = today, saved
    if "phases" in fields and not form.is_submitted():
        while len(form.phases) < PHASE_ROWS:
            form.phases.append_entry()
    return form


def stage_choices(current_stage: str | None) -> list[tuple[str, str]]:
    """The stages a buyer may choose in the editor. Cancelling needs a reason (its own page) and an award needs its
    details, so those stages are offered only to keep an item that already has one as it is."""
    stages = [Stage.PIPELINE, Stage.ENGAGEMENT, Stage.TENDER]
    if current_stage in (Stage.AWARDED, Stage.CANCELLED):
        stages.append(Stage(current_stage))
    return [(stage.value, STAGE_LABELS[stage]) for stage in stages]


def add_phase(form: BriefBaseForm) -> bool:
    """One more empty phase row, for the "Add another phase" button; False, with a message, once there are enough."""
    if len(form.phases) >= MAX_PHASES:
        form.phases.errors = [TOO_MANY_PHASES]
        return False
    form.phases.append_entry()
    return True


class UpdateEmailsForm(PortalForm):
    update_emails = RadioField("Email me about new interest, questions and bookings", choices=options(CHOICES.items()),
                               validators=[InputRequired("Choose how often we should email you")])


class AnswerForm(PortalForm):
    """Publishing a supplier's question with an answer. The buyer may reword or shorten the question: the box starts
    with what the supplier wrote, which stays private whatever is published."""
    name_start = "publish"
    question = TextAreaField("The question as it will be published", [
        InputRequired("Enter the question as it will be published"),
        Length(max=1000, message="Question must be 1,000 characters or fewer"),
        max_words(MAX_QUESTION_WORDS, "Question"),
    ])
    answer = TextAreaField("Your answer", [
        InputRequired("Enter an answer"),
        Length(max=3000, message="Answer must be 3,000 characters or fewer"),
        max_words(MAX_ANSWER_WORDS, "Answer"),
    ])


class RejectQuestionForm(PortalForm):
    name_start = "reject"
    reason = TextAreaField("Why you are not publishing it", [
        InputRequired("Say why you are not publishing this question"),
        Length(max=1000, message="Reason must be 1,000 characters or fewer"),
        max_words(MAX_REASON_WORDS, "Reason"),
    ])


def for_question(form_class, question_id: int, **kwargs):
    """A form about one question, its fields named after the question so that several fit on one page."""
    return form_class(prefix=f"{form_class.name_start}-{question_id}", **kwargs)


def moderation_forms(question, failed: PortalForm | None = None) -> tuple[AnswerForm, RejectQuestionForm]:
    """A question's forms on the manage page: the one just sent with errors keeps what was typed; the others start
    from what the question says now."""
    answer = failed if isinstance(failed, AnswerForm) else for_question(
        AnswerForm, question.id, formdata=None, question=question.published_text or question.text,
        answer=question.answer)
    reject = failed if isinstance(failed, RejectQuestionForm) else for_question(
        RejectQuestionForm, question.id, formdata=None)
    return answer, reject


class OutcomeForm(PortalForm):
    materials = TextAreaField("Materials (optional)", [Optional(), Length(max=20000)])
    what_we_heard = TextAreaField("What we heard", [InputRequired("Say what you heard from suppliers"), max_words(600, "This")])


class BuyerOrganisationForm(PortalForm):
    name = StringField("Name", [InputRequired("Enter the organisation's name"), Length(max=200)])
    org_type = RadioField("Type", choices=options((t.value, t.value.replace("-", " ").capitalize()) for t in BuyerType),
                          validators=[InputRequired("Choose the type of organisation")])
    region = SelectField("Region of its head office", choices=options((c, r.name) for c, r in reference.regions().items()))


class PipelineUploadForm(PortalForm):
    file = FileField("Your pipeline as a CSV file", [FileRequired("Choose a CSV file to upload")])


class EventForm(PortalForm):
    """An engagement event. Times are UK time, as people read them."""
    kind = RadioField("What kind of event?", choices=options((k.value, EVENT_KIND_LABELS[k.value]) for k in EventKind),
                      validators=[InputRequired("Choose what kind of event it is")])
    title = StringField("Title", [InputRequired("Enter a title"), Length(max=200)])
    description = TextAreaField("What will happen (optional)", [Optional(), max_words(300, "Description")])
    starts = DateTimeLocalField("Starts", [InputRequired("Enter when it starts, like 2027-01-20 10:00")])
    ends = DateTimeLocalField("Ends", [InputRequired("Enter when it ends")])
    booking_deadline = DateTimeLocalField("Booking closes", [InputRequired("Enter when booking closes")])
    location = StringField("Address (optional for online events)", [Optional(), Length(max=300)])
    online_link = StringField("Joining link (optional; only people with a place see it)", [Optional(), Length(max=500), web_address])
    capacity = IntegerField("Number of places", [InputRequired("Enter the number of places"), NumberRange(min=1, max=10_000, message="Enter a number from 1 to 10,000")])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        moment = now()
        for field, message in ((self.starts, "The start must be in the future"),
                               (self.ends, "The end must be in the future"),
                               (self.booking_deadline, "The time booking closes must be in the future")):
            if field.data and from_london(field.data) <= moment:
                field.errors = [*field.errors, message]
                valid = False
        if self.starts.data and self.ends.data and self.ends.data <= self.starts.data:
            self.ends.errors = [*self.ends.errors, "The event must end after it starts"]
            valid = False
        if self.starts.data and self.booking_deadline.data and self.booking_deadline.data > self.starts.data:
            self.booking_deadline.errors = [*self.booking_deadline.errors, "Booking must close before the event starts"]
            valid = False
        if not (self.location.data or "").strip() and not (self.online_link.data or "").strip():
            self.location.errors = [*self.location.errors, "Enter an address, a joining link, or both"]
            valid = False
        return valid
