"""The "can we bid?" facts of one opportunity, as data. Every way in (the editor, content files, the pipeline
upload, imported notices) builds a BidFacts, so one set of rules holds everywhere; the database keeps it as
JSON in opportunity.bid_facts."""

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from portal import reference
from portal.bidding.social_value import MINIMUM_WEIGHT, OUTCOMES_BY_SLUG
from portal.bidding.vocabulary import (
    ACCREDITATIONS,
    CriterionType,
    InsuranceKind,
    PaymentFrequency,
    Reserved,
    Tupe,
    ValueBasis,
)
from portal.models import MAX_POUNDS

MAX_LOTS = 20
MAX_CRITERIA = 12
MAX_ASKS = 8
MAX_ACCREDITATIONS = 10
DESCRIPTION_WORDS = 60

Pounds = Annotated[int, Field(ge=0, le=MAX_POUNDS)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=600)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


def word_count(text: str) -> int:
    return len(re.findall(r"\S+", text))


def known_regions(value: list[str]) -> list[str]:
    """A pydantic check that every code is an ITL1 region; the codes come back sorted, each once."""
    unknown = [code for code in value if code not in reference.regions()]
    if unknown:
        raise ValueError(f"unknown ITL1 region code(s): {', '.join(unknown)}")
    return sorted(set(value))


def max_words(limit: int):
    """A pydantic check that a text has at most `limit` words."""
    def check(value: str) -> str:
        if word_count(value) > limit:
            raise ValueError(f"must be {limit} words or fewer (it has {word_count(value)})")
        return value
    return check


class Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Lot(Facts):
    number: int = Field(ge=1, le=99)
    title: Name
    description: Text = ""
    value_min: Pounds | None = None
    value_max: Pounds | None = None
    value_basis: ValueBasis = ValueBasis.TOTAL
    contract_length_months: int | None = Field(default=None, ge=1, le=600)
    regions: list[str] = []

    _description_words = field_validator("description")(max_words(DESCRIPTION_WORDS))

    _known_regions = field_validator("regions")(known_regions)

    @model_validator(mode="after")
    def ordered(self):
        if self.value_min is not None and self.value_max is not None and self.value_min > self.value_max:
            raise ValueError("the lowest value must not be more than the highest value")
        return self


class Insurance(Facts):
    kind: InsuranceKind
    amount: Pounds = Field(gt=0)


class Conditions(Facts):
    """Conditions of participation: what a supplier must have to take part."""
    min_turnover: Pounds | None = None  # 0: the buyer asks for no minimum; None: the buyer has not said
    insurance: list[Insurance] = []
    accreditations: list[str] = Field(default=[], max_length=MAX_ACCREDITATIONS)
    other_accreditations: Text = ""  # anything not in the list, in the buyer's words
    consortia_welcome: bool | None = None  # may organisations bid together?
    may_combine: bool | None = None  # may a group, or a supplier with subcontractors, meet the conditions together?

    @field_validator("accreditations")
    @classmethod
    def known_accreditations(cls, value: list[str]) -> list[str]:
        unknown = [a for a in value if a not in ACCREDITATIONS]
        if unknown:
            raise ValueError(f"unknown accreditation(s): {', '.join(unknown)}; write others in other_accreditations")
        return list(dict.fromkeys(value))

    @field_validator("insurance")
    @classmethod
    def one_of_each(cls, value: list[Insurance]) -> list[Insurance]:
        kinds = [i.kind for i in value]
        if len(kinds) != len(set(kinds)):
            raise ValueError("give each kind of insurance once")
        return value


class Terms(Facts):
    """Contract terms that matter most to small suppliers."""
    payment_days: int | None = Field(default=None, ge=0, le=120)
    payment_frequency: PaymentFrequency | None = None
    e_invoicing: bool | None = None  # may invoices be sent electronically?
    tupe: Tupe | None = None
    subcontracting_allowed: bool | None = None
    small_firm_share: int | None = Field(default=None, ge=0, le=100)  # per cent of the value to go to SMEs or VCSEs
    reserved_for: list[Reserved] = []
    split_for_small_suppliers: bool | None = None
    not_split_reason: Text = ""

    @model_validator(mode="after")
    def consistent(self):
        if self.small_firm_share and self.subcontracting_allowed is False:
            raise ValueError("a share for smaller firms needs subcontracting to be allowed")
        if self.split_for_small_suppliers is not False and self.not_split_reason:
            raise ValueError("give a reason only when the contract is not split to suit small suppliers")
        return self


class Criterion(Facts):
    type: CriterionType
    name: Name
    description: Text = ""
    weight: int = Field(ge=0, le=100)

    _description_words = field_validator("description")(max_words(DESCRIPTION_WORDS))


class SocialValueAsk(Facts):
    outcome: str  # a policy outcome of the UK Social Value Model
    mission: str | None = None  # one of the buyer's missions, by slug
    wish: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]

    _wish_words = field_validator("wish")(max_words(DESCRIPTION_WORDS))

    @field_validator("outcome")
    @classmethod
    def known_outcome(cls, value: str) -> str:
        if value not in OUTCOMES_BY_SLUG:
            raise ValueError(f"'{value}' is not a Social Value Model outcome (one of {', '.join(OUTCOMES_BY_SLUG)})")
        return value


class BidFacts(Facts):
    lots: list[Lot] = Field(default=[], max_length=MAX_LOTS)
    max_lots_per_bidder: int | None = Field(default=None, ge=1, le=MAX_LOTS)
    conditions: Conditions = Conditions()
    terms: Terms = Terms()
    criteria: list[Criterion] = Field(default=[], max_length=MAX_CRITERIA)
    social_value: list[SocialValueAsk] = Field(default=[], max_length=MAX_ASKS)

    @model_validator(mode="after")
    def consistent(self):
        numbers = [lot.number for lot in self.lots]
        if len(numbers) != len(set(numbers)):
            raise ValueError("lots: each lot needs its own number")
        if self.max_lots_per_bidder is not None and self.max_lots_per_bidder > max(len(self.lots), 1):
            raise ValueError("max_lots_per_bidder: must not be more than the number of lots")
        if self.max_lots_per_bidder is not None and not self.lots:
            raise ValueError("max_lots_per_bidder: only an opportunity with lots can limit how many a supplier bids for")
        if self.criteria and (total := sum(c.weight for c in self.criteria)) != 100:
            raise ValueError(f"criteria: the weights must add up to 100 (they add up to {total})")
        return self

    def is_empty(self) -> bool:
        return self == BidFacts()

    def social_value_weight(self) -> int:
        return sum(c.weight for c in self.criteria if c.type == CriterionType.SOCIAL_VALUE)

    def warnings(self) -> list[str]:
        """What the buyer should reconsider; never a reason to refuse."""
        found = []
        if self.criteria and self.social_value_weight() < MINIMUM_WEIGHT:
            found.append(f"Social value carries {self.social_value_weight()}% of the score. The UK Social Value Model "
                         f"asks for at least {MINIMUM_WEIGHT}%.")
        return found

    def to_json(self) -> dict:
        """What the database keeps: only what was given."""
        return self.model_dump(mode="json", exclude_defaults=True)


def facts_of(opportunity) -> BidFacts:
    """An opportunity's facts, read back from the database."""
    return BidFacts.model_validate(opportunity.bid_facts or {})


def total_value(value_min: int | None, value_max: int | None, basis: str, months: int | None
                ) -> tuple[int | None, int | None] | None:
    """The whole contract's value range for a per-year range over a known length; None where it cannot be known."""
    if basis != ValueBasis.PER_YEAR or not months:
        return None
    return tuple(None if v is None else round(v * months / 12) for v in (value_min, value_max))
