"""The catalogue: organisations, missions, opportunities and guidance. Choices are stored as plain strings;
the allowed values live in the enums."""

from datetime import date, datetime, timezone
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint, false
from sqlmodel import Field, Relationship, SQLModel


# The most any form or upload accepts for a sum of money, in pounds (the columns hold far more).
MAX_POUNDS = 100_000_000_000


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class OrganisationKind(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"
    EXTERNAL_BUYER = "external-buyer"  # named in an imported notice; not a portal account


class BuyerType(StrEnum):
    LONDON_BOROUGH = "london-borough"
    COUNTY_COUNCIL = "county-council"
    UNITARY_AUTHORITY = "unitary-authority"
    COMBINED_AUTHORITY = "combined-authority"
    NHS_TRUST = "nhs-trust"
    CENTRAL_DEPARTMENT = "central-department"


class OpportunityKind(StrEnum):
    PROBLEM_STATEMENT = "problem-statement"
    INNOVATION_CHALLENGE = "innovation-challenge"
    PIPELINE_ITEM = "pipeline-item"


class Source(StrEnum):
    """Where an opportunity comes from. Imported notices are read-only copies, linked back to their source."""
    PORTAL = "portal"
    CONTRACTS_FINDER = "contracts-finder"
    FIND_A_TENDER = "find-a-tender"
    PUBLIC_CONTRACTS_SCOTLAND = "public-contracts-scotland"
    SELL2WALES = "sell2wales"
    ETENDERS_NI = "etenders-ni"
    OTHER = "other"  # another OCDS publisher: Opportunity.source_name says which


class Stage(StrEnum):
    PIPELINE = "pipeline"
    ENGAGEMENT = "engagement"
    TENDER = "tender"
    AWARDED = "awarded"
    CANCELLED = "cancelled"


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class OpportunityMission(SQLModel, table=True):
    opportunity_id: int = Field(foreign_key="opportunity.id", primary_key=True, ondelete="CASCADE")
    mission_id: int = Field(foreign_key="mission.id", primary_key=True, ondelete="CASCADE")


class OpportunityOutcome(SQLModel, table=True):
    opportunity_id: int = Field(foreign_key="opportunity.id", primary_key=True, ondelete="CASCADE")
    outcome_id: int = Field(foreign_key="outcome.id", primary_key=True, ondelete="CASCADE")


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=100)
    name: str = Field(max_length=200)
    kind: str = Field(default=OrganisationKind.BUYER, index=True, max_length=20)
    org_type: str = Field(max_length=40)  # a BuyerType for buyers; empty for suppliers and imported buyers
    region: str = Field(max_length=3)
    # A council's own local authority (portal.places code), from which its items take their area unless told otherwise.
    area_code: str | None = Field(default=None, max_length=8)
    website: str | None = Field(default=None, max_length=300)
    description_md: str = Field(default="", sa_column=Column(Text, nullable=False))
    # Supplier organisations only
    # An OrganisationSize and a LegalForm; None where the supplier has not told us yet (accounts made before
    # we asked both questions), shown as "not given" and asked for on their organisation's profile.
    size: str | None = Field(default=None, max_length=20)
    legal_form: str | None = Field(default=None, max_length=40)
    one_line: str = Field(default="", max_length=200)
    registration_number: str | None = Field(default=None, max_length=20)
    regions_served: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    capabilities: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    # What "How you match" compares with an opportunity's conditions; None or empty where not given.
    turnover_band: str | None = Field(default=None, max_length=20)  # a bidding.vocabulary.TurnoverBand
    staff_count: int | None = None
    insurance: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list, server_default="[]"))  # [{kind, amount}]
    accreditations: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list, server_default="[]"))
    joins_consortia: bool | None = None  # would they bid as part of a group of organisations?
    # Buyer organisations only: may editors publish items they wrote themselves, without a publisher's review?
    editors_publish_own: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    opportunities: list["Opportunity"] = Relationship(back_populates="buyer")
    missions: list["Mission"] = Relationship(back_populates="owner")


class Mission(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=100)
    title: str = Field(max_length=300)
    short_title: str = Field(max_length=60)
    summary: str = Field(max_length=600)
    body_md: str = Field(default="", sa_column=Column(Text, nullable=False))
    owner_id: int | None = Field(default=None, foreign_key="organisation.id")
    # A measurable target, all optional: what is measured, where it started, where it should get to, and by when.
    measure: str = Field(default="", max_length=300)
    baseline: str = Field(default="", max_length=120)
    target: str = Field(default="", max_length=120)
    target_date: date | None = None

    owner: Organisation | None = Relationship(back_populates="missions")
    outcomes: list["Outcome"] = Relationship(
        back_populates="mission",
        sa_relationship_kwargs={"order_by": "Outcome.position", "cascade": "all, delete-orphan"},
    )
    opportunities: list["Opportunity"] = Relationship(
        back_populates="missions", link_model=OpportunityMission
    )


class Outcome(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=100)
    mission_id: int = Field(foreign_key="mission.id", ondelete="CASCADE")
    position: int = 0
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=1000)
    measure: str = Field(default="", max_length=300)  # a measurable target, as a Mission's; all optional
    baseline: str = Field(default="", max_length=120)
    target: str = Field(default="", max_length=120)
    target_date: date | None = None

    mission: Mission = Relationship(back_populates="outcomes")


class Opportunity(SQLModel, table=True):
    # The home page's newest and closing-soon lists read a few rows from these, never the whole table.
    __table_args__ = (
        Index("ix_opportunity_status_published_on", "status", "published_on", "id"),
        Index("ix_opportunity_status_engagement_closes_on", "status", "engagement_closes_on", "id"),
        Index("ix_opportunity_status_stage_window", "status", "stage", "engagement_closed_at", "engagement_closes_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=120)
    ocid: str = Field(unique=True, index=True, max_length=200)
    kind: str = Field(index=True, max_length=30)
    title: str = Field(max_length=200)
    summary: str = Field(max_length=600)
    body_md: str = Field(default="", sa_column=Column(Text, nullable=False))
    why_md: str = Field(default="", sa_column=Column(Text, nullable=False))
    buyer_id: int = Field(foreign_key="organisation.id", index=True)
    cpv_code: str = Field(max_length=12)
    # Pounds, 64-bit: public contracts can be worth more than the 2,147,483,647 a 32-bit column holds. Forms and
    # uploads accept up to MAX_POUNDS.
    value_min: int | None = Field(default=None, sa_type=BigInteger)
    value_max: int | None = Field(default=None, sa_type=BigInteger)
    # Whether the range is for the whole contract or for each year of it: a bidding.vocabulary.ValueBasis.
    # None or "GBP" for pounds; an imported notice in another currency keeps its amounts in that currency (ISO 4217).
    value_currency: str | None = Field(default=None, max_length=3)
    value_basis: str = Field(default="total", max_length=10, sa_column_kwargs={"server_default": "total"})
    published_on: date | None = Field(default=None, index=True)
    engagement_closes_on: date | None = Field(default=None, index=True)
    engagement_closed_at: datetime | None = None  # set when the buyer closes engagement early
    questions_close_on: date | None = None  # the last day suppliers may ask questions (None: while engagement is open)
    market_year: int | None = None  # the calendar year the financial year starts in
    market_quarter: int | None = None  # 1 = April to June
    contract_length_months: int | None = None
    likely_route: str = Field(default="", max_length=200)  # e.g. "open procedure", "a framework", "not decided"
    brief_answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    plain_score: int | None = None  # the plain-language checker's score at the last save
    # The reading age of summary, why and brief, worked out whenever they change (see services/reading_age), so
    # pages showing it need not load the checker's word lists.
    reading_age: int | None = None
    # Summary and brief as the plain text their HTML shows, worked out whenever either changes (see
    # services/search_text), so a page of search results takes its extracts from here and renders no Markdown.
    plain_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Can we bid? Lots, conditions of participation, contract terms, how bids are judged and social value asks,
    # as a bidding.facts.BidFacts: read it with bidding.facts.facts_of(), which checks it.
    bid_facts: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict, server_default="{}"))
    # The local authorities (portal.places codes, "CMD") whose area the work is in; empty when it covers whole regions.
    area_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list, server_default="[]"))
    suitable_for_sme: bool = False
    suitable_for_vcse: bool = False
    # A published item's edits that are not public yet: every public field as services.version_changes.public_values
    # writes it, applied when the buyer publishes the change. None when there is nothing waiting.
    pending: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Review before publish (services.review): where the draft or pending change stands (a review.ReviewState), and
    # who last saved it, the person "editors may publish their own" means.
    review_state: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    written_by_id: int | None = None  # a user's id; no foreign key, so adding it never copies this table
    stage: str = Field(default=Stage.ENGAGEMENT, index=True, max_length=20)
    status: str = Field(default=Status.DRAFT, index=True, max_length=20)
    first_published_at: datetime | None = Field(default=None, index=True)  # when it first went public
    source: str = Field(default=Source.PORTAL, index=True, max_length=30)
    source_url: str | None = Field(default=None, max_length=500)  # the notice on its own site
    source_name: str | None = Field(default=None, max_length=200)  # the publisher's own name, for Source.OTHER
    source_release_id: str | None = Field(default=None, max_length=300)
    source_release_date: datetime | None = None  # an older release never overwrites a newer one
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    buyer: Organisation = Relationship(back_populates="opportunities")
    missions: list[Mission] = Relationship(back_populates="opportunities", link_model=OpportunityMission)
    outcomes: list[Outcome] = Relationship(link_model=OpportunityOutcome)
    regions: list["OpportunityRegion"] = Relationship(
        sa_relationship_kwargs={"order_by": "OpportunityRegion.region_code", "cascade": "all, delete-orphan"}
    )
    phases: list["ChallengePhase"] = Relationship(
        sa_relationship_kwargs={"order_by": "ChallengePhase.position", "cascade": "all, delete-orphan"}
    )

    @property
    def region_codes(self) -> list[str]:
        return [r.region_code for r in self.regions]


class OpportunityVersion(SQLModel, table=True):
    """A record of each publish: what the public saw then (every public field; versions before the pending-change
    design kept only dates, value and stage) and what changed, in sentences with the old and new values."""
    __table_args__ = (UniqueConstraint("opportunity_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    number: int
    published_at: datetime = Field(default_factory=utcnow)
    changes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    snapshot: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))


class OpportunityRegion(SQLModel, table=True):
    opportunity_id: int = Field(foreign_key="opportunity.id", primary_key=True, ondelete="CASCADE")
    region_code: str = Field(primary_key=True, max_length=3, index=True)


class ChallengePhase(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("opportunity_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", ondelete="CASCADE")
    position: int
    name: str = Field(max_length=120)
    starts_on: date
    ends_on: date
    funding: int | None = Field(default=None, sa_type=BigInteger)
    description: str = Field(default="", max_length=1000)


class GuidancePage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=100)
    title: str = Field(max_length=200)
    summary: str = Field(max_length=400)
    body_md: str = Field(default="", sa_column=Column(Text, nullable=False))
    position: int = 0


class GlossaryTerm(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=100)
    term: str = Field(max_length=120)
    definition: str = Field(max_length=1000)
    also_called: str = Field(default="", max_length=300)  # comma-separated
