from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from portal import reference
from portal.forms.base import PortalForm
from portal.forms.fields import CheckboxesField, at_least_one, options, web_address
from portal.models import SupplierType
from portal.services.passwords import HINT as PASSWORD_HINT, password_problem

SUPPLIER_TYPE_LABELS = {
    SupplierType.MICRO: "Micro business (fewer than 10 staff)",
    SupplierType.SMALL: "Small business (fewer than 50 staff)",
    SupplierType.MEDIUM: "Medium-sized business (fewer than 250 staff)",
    SupplierType.LARGE: "Large business (250 staff or more)",
    SupplierType.CHARITY: "Charity",
    SupplierType.SOCIAL_ENTERPRISE: "Social enterprise",
    SupplierType.COMMUNITY_INTEREST_COMPANY: "Community interest company (CIC)",
    SupplierType.COMMUNITY_GROUP: "Community or voluntary group",
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
    organisation_name = StringField("Organisation name", [
        InputRequired("Enter your organisation's name"), Length(max=200, message="Name must be 200 characters or fewer")])
    supplier_type = RadioField("What kind of organisation is it?", choices=options(SUPPLIER_TYPE_LABELS.items()),
                               validators=[InputRequired("Choose what kind of organisation it is")])
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
