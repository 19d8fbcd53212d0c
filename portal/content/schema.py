"""The shape of each kind of content file. Every rule here gives a message a content editor can act on."""

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from portal import reference
from portal.bidding.facts import BidFacts, known_regions, max_words
from portal.bidding.vocabulary import ValueBasis
from portal.briefs import MarketQuestionEntry
from portal.content.award_schema import AwardEntry
from portal.content.voice_schema import ResidentSaidEntry
from portal.places import authorities as places
from portal.services.market_questions import MAX_QUESTIONS
from portal.models import BuyerType, EventKind, OpportunityKind, Stage, Status

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=100)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BuyerFile(Strict):
    name: Line
    type: BuyerType
    region: str
    website: str | None = None
    # The council's own local authority, by any of its names; when absent, found from the buyer's name if it names one
    local_authority: str | None = None

    @field_validator("local_authority")
    @classmethod
    def known_authority(cls, value: str | None) -> str | None:
        return None if value is None else places.codes_for([value])[0]

    @field_validator("region")
    @classmethod
    def known_region(cls, value: str) -> str:
        if value not in reference.regions():
            raise ValueError(f"'{value}' is not an ITL1 region code such as TLI")
        return value

    @field_validator("website")
    @classmethod
    def web_address(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
            raise ValueError("must be a full web address starting with https://")
        return value


class MeasurableTarget(Strict):
    """Optional: what is measured, where it started, where it should get to, and by when."""
    measure: str = Field(default="", max_length=300)
    baseline: str = Field(default="", max_length=120)
    target: str = Field(default="", max_length=120)
    target_date: date | None = None

    @field_validator("baseline", "target", mode="before")
    @classmethod
    def numbers_as_written(cls, value):
        """"target: 20" means what it says: a number is read as the words it was written with."""
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class OutcomeEntry(MeasurableTarget):
    slug: Slug
    title: Line
    description: str = Field(default="", max_length=1000)


class MissionFile(MeasurableTarget):
    title: Line
    short_title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    owner: Slug | None = None
    summary: Annotated[str, StringConstraints(min_length=1, max_length=600)]
    outcomes: list[OutcomeEntry] = Field(min_length=1)
    residents_said: list[ResidentSaidEntry] = []  # approved residents' comments, for the demo

    @model_validator(mode="after")
    def someone_reads_what_residents_say(self):
        if self.residents_said and not self.owner:
            raise ValueError("residents_said: only a mission with an owner takes residents' comments")
        return self


class ValueRange(Strict):
    min: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def ordered(self):
        if self.min > self.max:
            raise ValueError("min must not be more than max")
        return self


class MarketApproach(Strict):
    financial_year: str
    quarter: int = Field(ge=1, le=4)

    @field_validator("financial_year")
    @classmethod
    def two_years(cls, value: str) -> str:
        match = re.fullmatch(r"(\d{4})-(\d{2})", str(value))
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError("must look like 2027-28 (April 2027 to March 2028)")
        return value

    @property
    def start_year(self) -> int:
        return int(self.financial_year[:4])


class PhaseEntry(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    starts: date
    ends: date
    funding: int | None = Field(default=None, ge=0)
    description: str = Field(default="", max_length=1000)

    @model_validator(mode="after")
    def ordered(self):
        if self.ends < self.starts:
            raise ValueError("a phase must not end before it starts")
        return self


class EventEntry(Strict):
    """An engagement event; times are UK local time, as people write them."""
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    kind: EventKind
    starts: datetime
    ends: datetime
    location: str = Field(default="", max_length=300)
    online_link: str = Field(default="", max_length=500)
    capacity: int = Field(ge=1, le=10_000)
    booking_deadline: datetime
    description: str = Field(default="", max_length=2000)

    @field_validator("online_link")
    @classmethod
    def web_address(cls, value: str) -> str:
        if value and not re.match(r"^https://[^\s/]+\.[^\s]+$", value):
            raise ValueError("must be a full web address starting with https://")
        return value

    @model_validator(mode="after")
    def ordered(self):
        if self.ends <= self.starts:
            raise ValueError("an event must end after it starts")
        if self.booking_deadline > self.starts:
            raise ValueError("booking_deadline must not be after the event starts")
        if not self.location and not self.online_link:
            raise ValueError("give a location, an online_link, or both")
        return self


class OpportunityFile(Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    kind: OpportunityKind
    buyer: Slug
    summary: Annotated[str, StringConstraints(min_length=1, max_length=600)]
    why: Annotated[str, StringConstraints(min_length=1)]
    missions: list[Slug] = Field(min_length=1)
    outcomes: list[Slug] = []
    cpv: str
    regions: list[str] = Field(min_length=1)
    # The councils whose area the work is in, by name; when absent, the buyer's own council if it is one
    areas: list[str] | None = None
    value: ValueRange | None = None
    value_basis: ValueBasis = ValueBasis.TOTAL  # whether value is for the whole contract or for each year
    published: date
    engagement_closes: date | None = None
    approach_to_market: MarketApproach | None = None
    contract_length_months: int | None = Field(default=None, ge=1, le=600)
    suitable_for_sme: bool
    suitable_for_vcse: bool
    stage: Stage
    status: Status = Status.PUBLISHED
    ocid: Annotated[str, StringConstraints(pattern=r"^ocds-[a-z0-9]{6}-.+$", max_length=200)] | None = None
    phases: list[PhaseEntry] = []
    events: list[EventEntry] = []
    market_questions: list[MarketQuestionEntry] = Field(default=[], max_length=MAX_QUESTIONS)
    bidding: BidFacts = BidFacts()  # can we bid? lots, conditions, terms, criteria, social value
    awards: list[AwardEntry] = []  # who won, for how much, and the contract's KPIs and results
    residents_said: list[ResidentSaidEntry] = []  # approved residents' comments, for the demo

    _summary_words = field_validator("summary")(max_words(50))
    _why_words = field_validator("why")(max_words(200))

    @field_validator("cpv")
    @classmethod
    def known_cpv(cls, value: str) -> str:
        if reference.cpv(value) is None:
            raise ValueError(f"'{value}' is not a CPV 2008 code (write it with its check digit, like 85311000-2)")
        return value

    _known_regions = field_validator("regions")(known_regions)

    @field_validator("areas")
    @classmethod
    def known_areas(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else places.codes_for(value)

    @model_validator(mode="after")
    def fits_its_kind(self):
        if self.kind == OpportunityKind.INNOVATION_CHALLENGE and not self.phases:
            raise ValueError("phases: an innovation challenge needs at least one phase")
        if self.kind != OpportunityKind.INNOVATION_CHALLENGE and self.phases:
            raise ValueError("phases: only innovation challenges have phases")
        if self.kind == OpportunityKind.PIPELINE_ITEM and self.approach_to_market is None:
            raise ValueError("approach_to_market: a pipeline item needs a financial year and quarter")
        if self.engagement_closes and self.engagement_closes < self.published:
            raise ValueError("engagement_closes: must not be before the published date")
        if self.value_basis == ValueBasis.PER_YEAR and self.value is None:
            raise ValueError("value_basis: give a value before saying it is per year")
        if self.awards and self.stage != Stage.AWARDED:
            raise ValueError("awards: only an item at the awarded stage has awards")
        lots = {lot.number for lot in self.bidding.lots}
        if any(award.lot and award.lot not in lots for award in self.awards):
            raise ValueError("awards: an award's lot must be the number of one of the item's lots")
        if self.residents_said and self.kind != OpportunityKind.PROBLEM_STATEMENT:
            raise ValueError("residents_said: only problem statements take residents' comments")
        if any(said.date < self.published for said in self.residents_said):
            raise ValueError("residents_said: a comment cannot be approved before the item was published")
        return self


class GuidanceFile(Strict):
    title: Line
    summary: Annotated[str, StringConstraints(min_length=1, max_length=400)]
    order: int = 100


class GlossaryEntry(Strict):
    term: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    definition: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    also_called: list[Annotated[str, StringConstraints(max_length=120)]] = []
