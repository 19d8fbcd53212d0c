from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from portal import reference
from portal.bidding.vocabulary import ACCREDITATIONS, INSURANCE_HINTS, INSURANCE_LABELS, TURNOVER_LABELS, InsuranceKind
from portal.forms.base import PortalForm
from portal.forms.fields import CheckboxesField, MoneyField, WholeNumberField, at_least_one, options, web_address
from portal.models import MAX_POUNDS, LegalForm, OrganisationSize
from portal.presenters import LEGAL_FORM_LABELS, SIZE_LABELS, lower_first
from portal.services.passwords import HINT as PASSWORD_HINT, password_problem

# The UK definitions used in public procurement, in plain words. Micro, small and medium-sized are SMEs.
SIZE_HINTS = {
    OrganisationSize.MICRO: "Fewer than 10 staff, and a yearly turnover or balance sheet of £2 million or less",
    OrganisationSize.SMALL: "Fewer than 50 staff, and a yearly turnover or balance sheet of £10 million or less",
    OrganisationSize.MEDIUM: ("Fewer than 250 staff, and a yearly turnover of £44 million or less or a balance sheet "
                              "of £38 million or less"),
    OrganisationSize.LARGE: "250 staff or more, or a turnover and balance sheet above the medium-sized limits",
}
LEGAL_FORM_HINTS = {
    LegalForm.COMPANY: "A limited company that is not a charity or a CIC",
    LegalForm.COMMUNITY_INTEREST_COMPANY: "A company set up to benefit the community",
    LegalForm.CHARITY: "A registered charity, including a charitable company",
    LegalForm.CHARITABLE_INCORPORATED_ORGANISATION: "A charity registered as a CIO (or a SCIO in Scotland)",
    LegalForm.CO_OPERATIVE: "Owned and run by its members, such as its workers or customers",
    LegalForm.MUTUAL: "For example a public service mutual or a community benefit society",
    LegalForm.COMMUNITY_GROUP: "A voluntary or community group that is not registered as a company or a charity",
    LegalForm.SOLE_TRADER: "You are self-employed",
    LegalForm.OTHER: "For example a partnership or a limited liability partnership (LLP)",
}
# Companies House (8 digits, or 2 letters and 6 digits) or a charity number (England and Wales,
# Scotland SC, Northern Ireland NIC).
REGISTRATION_PATTERN = r"^(?:[0-9]{8}|[A-Z]{2}[0-9]{6}|[0-9]{6,7}|SC0[0-9]{5}|NIC[0-9]{6})$"


def hard_to_guess(form, field):
    """The portal's password rules (portal.services.passwords), with the form's name, email and organisation
    fields, and any context_words the view passed in, as words a password must not be."""
    context = [form[name].data for name in ("name", "email", "organisation_name") if name in form]
    context += getattr(form, "context_words", ())
    problem = password_problem(field.data or "", [word for word in context if isinstance(word, str)])
    if problem:
        raise ValidationError(problem)


PASSWORD_RULES = [InputRequired("Enter a password"), hard_to_guess]


class _PasswordContext:
    """For forms without the person's name or email among their fields: the view passes them as context_words."""

    def __init__(self, *args, context_words=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.context_words = tuple(context_words)


def _email_field(label="Email address"):
    return EmailField(label, [
        InputRequired("Enter your email address"),
        Length(max=320, message="Email address must be 320 characters or fewer"),
        Email("Enter an email address in the correct format, like name@example.org", check_deliverability=False),
    ])


class PersonForm(PortalForm):
    name = StringField("Your name", [InputRequired("Enter your name"), Length(max=120, message="Name must be 120 characters or fewer")])
    email = _email_field()
    password = PasswordField("Create a password", PASSWORD_RULES, description=PASSWORD_HINT)


class OrganisationForm(PortalForm):
    option_hints = {"size": SIZE_HINTS, "legal_form": LEGAL_FORM_HINTS}  # shown under each option
    organisation_name = StringField("Organisation name", [
        InputRequired("Enter your organisation's name"), Length(max=200, message="Name must be 200 characters or fewer")])
    size = RadioField("How big is your organisation?", choices=options((s, SIZE_LABELS[s]) for s in OrganisationSize),
                      validators=[InputRequired("Choose your organisation's size")],
                      invalid_choice_message="Choose your organisation's size")
    legal_form = RadioField("What type of organisation is it?",
                            choices=options((f, LEGAL_FORM_LABELS[f]) for f in LegalForm),
                            validators=[InputRequired("Choose your organisation's type")],
                            invalid_choice_message="Choose your organisation's type")
    registration_number = StringField("Companies House or charity number (optional)", [
        Optional(), Regexp(REGISTRATION_PATTERN, message=(
            "Enter a Companies House number like 01234567 or SC123456, or a charity number like 1234567"))],
        filters=[lambda v: v.strip().upper().replace(" ", "") if v else v])
    regions_served = CheckboxesField("Where do you work?", choices=options((c, r.name) for c, r in reference.regions().items()),
                                     validators=[at_least_one("Choose at least one region where you work")])
    capabilities = CheckboxesField("What kinds of work do you do? (optional)",
                                   choices=options(reference.cpv_divisions().items()))
    website = StringField("Website (optional)", [Optional(), Length(max=300), web_address],
                          filters=[lambda v: v.strip() if v else v])
    one_line = StringField("Describe your organisation in one line", [
        InputRequired("Describe your organisation in one line"),
        Length(max=150, message="Description must be 150 characters or fewer")])


MAX_STAFF = 2_000_000
CONSORTIUM_CHOICES = {"yes": "Yes", "no": "No", "not-sure": "Not sure"}
CONSORTIUM_ANSWERS = {"yes": True, "no": False, "not-sure": None}


def insurance_field_name(kind: str) -> str:
    return "insurance_" + kind.replace("-", "_")


def _insurance_field(kind: InsuranceKind) -> MoneyField:
    label = INSURANCE_LABELS[kind]
    message = f"Enter your {lower_first(label)} in pounds, like £5,000,000, or leave it empty"
    return MoneyField(f"{label} (optional)", [Optional(), NumberRange(min=1, max=MAX_POUNDS, message=message)],
                      message=message, description=INSURANCE_HINTS[kind].capitalize())


class ProfileForm(OrganisationForm):
    """The profile asks more than sign-up: what "How you match" compares with an opportunity's conditions.
    Every one of these is optional."""
    option_hints = {**OrganisationForm.option_hints,
                    "accreditations": {slug: meaning.capitalize() for slug, (_, meaning) in ACCREDITATIONS.items()}}
    turnover_band = RadioField("What was your organisation's turnover last year? (optional)",
                               choices=options(TURNOVER_LABELS.items()), validators=[Optional()],
                               invalid_choice_message="Choose your turnover from the options shown")
    staff_count = WholeNumberField("How many people work for your organisation? (optional)", 0, MAX_STAFF,
                                   f"Enter the number of staff as a whole number, like 12, from 0 to {MAX_STAFF:,}",
                                   required=False)
    insurance_employers_liability = _insurance_field(InsuranceKind.EMPLOYERS_LIABILITY)
    insurance_public_liability = _insurance_field(InsuranceKind.PUBLIC_LIABILITY)
    insurance_professional_indemnity = _insurance_field(InsuranceKind.PROFESSIONAL_INDEMNITY)
    accreditations = CheckboxesField("Which of these do you have? (optional)",
                                     choices=options((slug, label) for slug, (label, _) in ACCREDITATIONS.items()))
    joins_consortia = RadioField("Would you bid as part of a group of organisations (a consortium)? (optional)",
                                 choices=options(CONSORTIUM_CHOICES.items()), validators=[Optional()],
                                 invalid_choice_message="Choose yes, no or not sure")

    def insurance_fields(self):
        return [self[insurance_field_name(kind)] for kind in InsuranceKind]

    def insurance(self) -> dict[str, int]:
        return {kind.value: self[insurance_field_name(kind)].data for kind in InsuranceKind
                if self[insurance_field_name(kind)].data}


class SignUpForm(PersonForm, OrganisationForm):
    """Fields appear in the order they were declared: the person first, then the organisation."""


class SignInForm(PortalForm):
    email = _email_field()
    password = PasswordField("Password", [InputRequired("Enter your password")])


class ResetRequestForm(PortalForm):
    email = _email_field()


class NewPasswordForm(_PasswordContext, PortalForm):
    password = PasswordField("New password", PASSWORD_RULES, description=PASSWORD_HINT)
    confirm = PasswordField("Type the new password again", [
        InputRequired("Type the new password again"), EqualTo("password", message="The passwords do not match")])


class InviteForm(PortalForm):
    email = _email_field("Your colleague's email address")


class JoinForm(_PasswordContext, PortalForm):
    name = StringField("Your name", [InputRequired("Enter your name"), Length(max=120)])
    password = PasswordField("Create a password", PASSWORD_RULES, description=PASSWORD_HINT)
