"""The "Can we bid?" page of the brief editor: lots, conditions of participation, contract terms, how bids will be
judged and social value asks. The form reads what was typed; every rule about the facts is BidFacts', whose
problems are put back beside the fields they are about."""

from wtforms.fields.choices import SelectChoice
from wtforms import FieldList, FormField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from portal import reference
from portal.bidding.facts import MAX_ASKS, MAX_CRITERIA, MAX_LOTS, BidFacts
from portal.bidding.social_value import OUTCOMES, THEMES
from portal.bidding.vocabulary import (
    ACCREDITATIONS,
    CRITERION_TYPE_LABELS,
    INSURANCE_LABELS,
    PAYMENT_FREQUENCY_LABELS,
    RESERVED_LABELS,
    TUPE_LABELS,
    InsuranceKind,
)
from portal.forms.base import PortalForm, SubForm, problems
from portal.forms.bidding_facts import check_facts
from portal.forms.buyers import VALUE_BASIS_LABELS
from portal.forms.fields import CheckboxesField, MoneyField, WholeNumberField, options
from portal.models import MAX_POUNDS

LOT_ROWS, CRITERIA_ROWS, ASK_ROWS = 3, 3, 2
NOT_DECIDED = ""
YES_NO = [("yes", "Yes"), ("no", "No"), (NOT_DECIDED, "Not decided yet")]
INSURANCE_FIELDS = {kind.value: "insurance_" + kind.value.replace("-", "_") for kind in InsuranceKind}


def _yes_no(label: str) -> RadioField:
    return RadioField(label, choices=options(YES_NO), default=NOT_DECIDED)


def _money(label: str) -> MoneyField:
    return MoneyField(label, [Optional(), NumberRange(min=0, max=MAX_POUNDS, message=f"Enter no more than £{MAX_POUNDS:,}")])


def _number(label: str, low: int, high: int) -> WholeNumberField:
    return WholeNumberField(label, low, high, f"Enter a whole number from {low} to {high}", required=False)


def _text(label: str, limit: int = 600) -> TextAreaField:
    return TextAreaField(label, [Optional(), Length(max=limit, message=f"Keep it to {limit} characters or fewer")])


class Row(SubForm):
    """One row of a table of rows; a row left empty is ignored."""
    ignored = ()

    def filled(self) -> bool:
        return any(field.data not in (None, "", []) or (field.raw_data and field.raw_data[0].strip())
                   for field in self if field.short_name not in self.ignored)


class LotForm(Row):
    ignored = ("value_basis",)
    number = _number("Lot number", 1, 99)
    title = StringField("Title", [Optional(), Length(max=120, message="Keep the title to 120 characters or fewer")])
    description = _text("Short description (optional)")
    value_min = _money("Lowest value in pounds (optional)")
    value_max = _money("Highest value in pounds (optional)")
    value_basis = RadioField("Is this value for the whole contract or for each year?", choices=options(VALUE_BASIS_LABELS.items()),
                             default="total")
    contract_length_months = _number("Contract length in months (optional)", 1, 600)
    regions = CheckboxesField("Where will the work be? (optional)",
                              choices=options((c, r.name) for c, r in reference.regions().items()))


class CriterionForm(Row):
    type = SelectField("Type", choices=options([("", "Choose a type")] + list(CRITERION_TYPE_LABELS.items())), default="")
    name = StringField("Name", [Optional(), Length(max=120, message="Keep the name to 120 characters or fewer")])
    description = _text("What you will look for (optional)")
    weight = _number("Weight, per cent of the score", 0, 100)


def _outcome_choices() -> list[SelectChoice]:
    """The Social Value Model's outcomes, grouped by theme."""
    return [SelectChoice("", "Choose an outcome")] + [SelectChoice(o.slug, o.name, optgroup=theme.name)
                                                      for theme in THEMES for o in OUTCOMES if o.theme == theme.slug]


class AskForm(Row):
    outcome = SelectField("Outcome from the Social Value Model", choices=_outcome_choices(), default="")
    mission = SelectField("Which of this item's missions does it serve? (optional)", default="")
    wish = _text("What you would like to see", 400)


class BiddingForm(PortalForm):
    lots = FieldList(FormField(LotForm), min_entries=LOT_ROWS, max_entries=MAX_LOTS)
    max_lots_per_bidder = _number("Suppliers may bid for up to this many lots (optional)", 1, MAX_LOTS)

    min_turnover = _money("Lowest yearly turnover a supplier needs, in pounds (optional)")
    insurance_employers_liability = _money(f"{INSURANCE_LABELS['employers-liability']} (optional)")
    insurance_public_liability = _money(f"{INSURANCE_LABELS['public-liability']} (optional)")
    insurance_professional_indemnity = _money(f"{INSURANCE_LABELS['professional-indemnity']} (optional)")
    accreditations = CheckboxesField("Registrations and certificates suppliers need (optional)",
                                     choices=options((slug, label) for slug, (label, _) in ACCREDITATIONS.items()))
    other_accreditations = _text("Anything else suppliers must have (optional)")
    consortia_welcome = _yes_no("Can organisations bid together, as a group (consortium)?")
    may_combine = _yes_no("Can a group, or a supplier with its subcontractors, meet these conditions together?")

    payment_days = _number("We pay invoices within this many days (optional)", 0, 120)
    payment_frequency = RadioField("How often will you pay?", choices=options(
        list(PAYMENT_FREQUENCY_LABELS.items()) + [(NOT_DECIDED, "Not decided yet")]), default=NOT_DECIDED)
    e_invoicing = _yes_no("Must invoices be sent electronically?")
    tupe = RadioField("Are staff likely to move to the new supplier (TUPE)?", choices=options(TUPE_LABELS.items()),
                      validators=[Optional()])
    subcontracting_allowed = _yes_no("Can the supplier use subcontractors?")
    small_firm_share = _number("Share of the value you want to go to smaller firms, per cent (optional)", 0, 100)
    reserved_for = CheckboxesField("Is the contract reserved for any of these? (optional)", choices=options(RESERVED_LABELS.items()))
    split_for_small_suppliers = _yes_no("Have you split the work so small suppliers can bid?")
    not_split_reason = _text("If not, why not? (optional)")

    criteria = FieldList(FormField(CriterionForm), min_entries=CRITERIA_ROWS, max_entries=MAX_CRITERIA)
    social_value = FieldList(FormField(AskForm), min_entries=ASK_ROWS, max_entries=MAX_ASKS)

    facts: BidFacts | None = None

    def __init__(self, *args, missions: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        for row in self.social_value:
            row.form.mission.choices = options([("", "None")] + list(missions))
        self.section_errors: dict[str, list[str]] = {}

    def insurance_fields(self):
        return [(kind, self[name]) for kind, name in INSURANCE_FIELDS.items()]

    def add_row(self, table: str) -> bool:
        """One more empty row in `table` (for the buttons that add a lot, a criterion or an ask). False if full."""
        rows = self[table]
        if len(rows) >= rows.max_entries:
            return False
        rows.append_entry()
        if table == "social_value":
            rows[-1].form.mission.choices = rows[0].form.mission.choices
        return True

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        return check_facts(self)

    def problems(self) -> list[tuple[str, str]]:
        """(id to link to, message) for the error summary, in the order of the page: a table's own problems come
        before its rows'."""
        found = [("lots", message) for message in self.section_errors.get("general", [])]
        for field in self:
            if field.type == "FieldList":
                found += [(field.name, message) for message in self.section_errors.get(field.name, [])]
            found += problems([field])
        return found
