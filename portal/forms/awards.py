"""Recording an award, a contract's KPIs and a KPI's result for a period. Everything here is shown to the public."""

import math
import re

from wtforms import FieldList, FormField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, StopValidation, ValidationError

from portal import reference
from portal.forms.base import PortalForm, SubForm
from portal.forms.fields import MoneyField, UkDateField, max_words, options
from portal.models import OrganisationSize, Rating
from portal.presenters import SIZE_LABELS
from portal.services.awards import FREQUENCIES, AwardValues, KPIValues, ResultValues, SupplierValues
from portal.services.performance import RATING_LABELS

SUPPLIER_ROWS = 3  # most contracts go to one supplier; a few to a small group
MAX_NUMBER = 1_000_000_000_000
RATING_HINTS = {
    Rating.GOOD: "It met or beat the target.",
    Rating.APPROACHING_TARGET: "It came close to the target.",
    Rating.REQUIRES_IMPROVEMENT: "It fell short, and the supplier needs to do better.",
    Rating.INADEQUATE: "It fell well short of the target.",
    Rating.OTHER: "None of these fits. Say what the rating is.",
}


class NumberField(StringField):
    """A number that may have decimals, typed as people write it ("95", "95.5", "1,200", "95%"). What was typed is
    kept (and shown again); the number is `number`."""

    def __init__(self, label, message: str, **kwargs):
        super().__init__(label, **kwargs)
        self.message = message

    @property
    def number(self) -> float | None:
        text = re.sub(r"[,\s%£]", "", str(self.data if self.data is not None else ""))
        if not re.fullmatch(r"-?\d{1,13}(\.\d{1,4})?", text, re.ASCII):
            return None
        value = float(text)
        return value if math.isfinite(value) and abs(value) <= MAX_NUMBER else None

    def pre_validate(self, form):
        if self.number is None:
            raise StopValidation(self.message)


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class SupplierRow(SubForm):
    name = StringField("Name", [Optional(), Length(max=200, message="Name must be 200 characters or fewer")])
    organisation = SelectField("Supplier with an account on this portal (optional)", choices=[], validate_choice=False, default="")
    size = SelectField("Size", choices=options([("", "Not known")] + [(s.value, SIZE_LABELS[s.value]) for s in OrganisationSize]), default="")
    vcse = SelectField("Voluntary, community or social enterprise (VCSE)?",
                       choices=options([("", "Not known"), ("yes", "Yes"), ("no", "No")]), default="")
    region = SelectField("Region of its head office",
                         choices=options([("", "Not known")] + [(c, r.name) for c, r in reference.regions().items()]), default="")


class AwardForm(PortalForm):
    suppliers = FieldList(FormField(SupplierRow), min_entries=SUPPLIER_ROWS, max_entries=SUPPLIER_ROWS)
    value = MoneyField("Total value of the contract", [InputRequired("Enter the value of the contract, like £250,000")])
    awarded_on = UkDateField("Date of the award", [InputRequired("Enter the date of the award, like 31 March 2027")])
    contract_starts_on = UkDateField("Contract starts (optional)", [Optional()])
    contract_ends_on = UkDateField("Contract ends (optional)", [Optional()])
    lot = SelectField("Lot (optional)", choices=[], validate_choice=False, default="")

    def __init__(self, *args, supplier_choices=(), lot_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        for row in self.suppliers:
            row.form.organisation.choices = options([("", "Not on this portal")] + [(str(i), n) for i, n in supplier_choices])
            row.form.organisation.known = {str(i) for i, _ in supplier_choices}
        self.lot.choices = options([("", "The whole contract")] + list(lot_choices))
        self.known_lots = {value for value, _ in lot_choices}

    def validate_suppliers(self, field):
        rows = [row.form for row in field]
        for row in rows:
            if row.organisation.data and row.organisation.data not in row.organisation.known:
                raise ValidationError("Choose a supplier on this portal from the list, or leave it as not on this portal")
        if not any((row.name.data or "").strip() or row.organisation.data for row in rows):
            raise ValidationError("Enter the name of the supplier that won the contract")

    def validate_contract_ends_on(self, field):
        if field.data and self.contract_starts_on.data and field.data < self.contract_starts_on.data:
            raise ValidationError("The contract must end after it starts")

    def validate_lot(self, field):
        if field.data and field.data not in self.known_lots:
            raise ValidationError("Choose a lot from the list")

    def values(self, names: dict[int, str]) -> AwardValues:
        """`names` are the portal suppliers' names, by id: a linked supplier's name is the one on its account
        unless the buyer typed another."""
        suppliers = []
        for row in (r.form for r in self.suppliers):
            linked = int(row.organisation.data) if row.organisation.data else None
            name = (row.name.data or "").strip() or names.get(linked, "")
            if name:
                suppliers.append(SupplierValues(name, row.size.data or None,
                                                {"yes": True, "no": False}.get(row.vcse.data), row.region.data or None,
                                                linked))
        return AwardValues(self.value.data, self.awarded_on.data, self.contract_starts_on.data,
                           self.contract_ends_on.data, self.lot.data or None, suppliers)


class KPIForm(PortalForm):
    title = StringField("Name of the KPI", [InputRequired("Enter a short name for the KPI"),
                                            Length(max=200, message="Name must be 200 characters or fewer")])
    measure = TextAreaField("What is measured", [InputRequired("Say what is measured, in a sentence"),
                                                 Length(max=600, message="This must be 600 characters or fewer"),
                                                 max_words(80, "This")])
    unit = StringField("Unit", [InputRequired("Enter the unit, like % or days"),
                                Length(max=60, message="Unit must be 60 characters or fewer")])
    target = NumberField("Target", message="Enter the target as a number, like 95 or 12.5")
    frequency = RadioField("How often is it measured?", choices=options(FREQUENCIES.items()),
                           validators=[InputRequired("Choose how often it is measured")])

    def values(self) -> KPIValues:
        return KPIValues(self.title.data.strip(), self.measure.data.strip(), self.unit.data.strip(),
                         self.target.number, self.frequency.data)


class ResultForm(PortalForm):
    period_start = UkDateField("Start of the period", [InputRequired("Enter the first day of the period")])
    period_end = UkDateField("End of the period", [InputRequired("Enter the last day of the period")])
    observed = NumberField("Result", message="Enter the result as a number, like 92 or 3.5")
    rating = RadioField("Rating", choices=options(RATING_LABELS.items()),
                        validators=[InputRequired("Choose a rating")])
    rating_note = StringField("What is the rating?", [Length(max=200, message="This must be 200 characters or fewer")])
    comment = TextAreaField("Comment", [InputRequired("Say in a sentence or two what the result means"),
                                        Length(max=1000, message="Comment must be 1,000 characters or fewer"),
                                        max_words(100, "Comment")])

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_period_end(self, field):
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError("The period must end after it starts")
        if field.data and self.today and field.data > self.today:
            raise ValidationError("You can only publish a result for a period that has ended")

    def validate_rating_note(self, field):
        if self.rating.data == Rating.OTHER and not (field.data or "").strip():
            raise ValidationError("Say what the rating is, as you chose \u201cOther\u201d")

    def values(self) -> ResultValues:
        return ResultValues(self.period_start.data, self.period_end.data, self.observed.number, self.rating.data,
                            (self.rating_note.data or "").strip(), self.comment.data.strip())
