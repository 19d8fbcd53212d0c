"""Awards, the contracts they lead to, and how those contracts perform: who won, for how much, the key performance
indicators (KPIs) a buyer set, and the results published for each period. Everything an imported award notice holds
(supplier names and sizes, value, dates) fits here too, so an importer can fill the same tables."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Float, Text
from sqlmodel import Field, Relationship, SQLModel

from portal.models.catalogue import utcnow


class AwardStatus(StrEnum):
    """OCDS award status codes that a portal award can have."""
    ACTIVE = "active"
    PENDING = "pending"
    CANCELLED = "cancelled"


class Rating(StrEnum):
    """A result's rating: the four in the Procurement Act 2023's contract performance notices, or "other" with a
    note."""
    GOOD = "good"
    APPROACHING_TARGET = "approaching-target"
    REQUIRES_IMPROVEMENT = "requires-improvement"
    INADEQUATE = "inadequate"
    OTHER = "other"


class Award(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    lot_id: str | None = Field(default=None, max_length=60)  # one of the item's bid_facts lots, if it has lots
    value: int | None = Field(default=None, sa_type=BigInteger)  # whole pounds; None when a notice did not say
    awarded_on: date
    contract_starts_on: date | None = None
    contract_ends_on: date | None = None
    status: str = Field(default=AwardStatus.ACTIVE, max_length=20)
    source_award_id: str | None = Field(default=None, max_length=200)  # the award's id in an imported notice
    created_at: datetime = Field(default_factory=utcnow)

    suppliers: list["AwardSupplier"] = Relationship(
        sa_relationship_kwargs={"order_by": "AwardSupplier.position", "cascade": "all, delete-orphan"})
    kpis: list["KPI"] = Relationship(
        sa_relationship_kwargs={"order_by": "KPI.position", "cascade": "all, delete-orphan"})


class AwardSupplier(SQLModel, table=True):
    """A supplier that won an award, as the buyer or the notice named it. A portal supplier is linked to its
    organisation; the name, size and VCSE answer are still kept here, as they were at the award."""
    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True, ondelete="CASCADE")
    position: int = 0
    name: str = Field(max_length=200)
    size: str | None = Field(default=None, max_length=20)  # an OrganisationSize; None when not known
    is_vcse: bool | None = None  # None when not known
    region: str | None = Field(default=None, max_length=3)  # an ITL1 code, like the catalogue's regions
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True, ondelete="SET NULL")


class KPI(SQLModel, table=True):
    """A key performance indicator for the contract an award leads to."""
    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True, ondelete="CASCADE")
    position: int = 0
    title: str = Field(max_length=200)
    measure: str = Field(max_length=600)  # what is measured, in a sentence
    unit: str = Field(max_length=60)  # e.g. "%", "days", "homes"
    target: float = Field(sa_column=Column(Float, nullable=False))
    frequency: str = Field(max_length=20)  # a services.awards.Frequency

    results: list["KPIResult"] = Relationship(
        sa_relationship_kwargs={"order_by": "KPIResult.period_end", "cascade": "all, delete-orphan"})


class KPIResult(SQLModel, table=True):
    """What was observed for one KPI over one period, how the buyer rated it, and why, published for everyone."""
    id: int | None = Field(default=None, primary_key=True)
    kpi_id: int = Field(foreign_key="kpi.id", index=True, ondelete="CASCADE")
    period_start: date
    period_end: date
    observed: float = Field(sa_column=Column(Float, nullable=False))
    rating: str = Field(max_length=30)  # a Rating
    rating_note: str = Field(default="", max_length=200)  # what "other" means here
    comment: str = Field(default="", sa_column=Column(Text, nullable=False))
    published_at: datetime = Field(default_factory=utcnow)
