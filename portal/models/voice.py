"""Residents' voice: what a problem means to the people it affects, "this matters to me", reports of published
contributions, and what the buyer says changed because of it. The resident's own words and name are kept for the
buyer's staff; the public only ever sees the moderated text and, if the staff allow it, the display name."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.models.catalogue import utcnow


class ContributionStatus(StrEnum):
    WAITING = "waiting"  # nothing is public before the buyer's staff approve it
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"  # was published; reported by enough people to be taken down until the staff look again


class Contribution(SQLModel, table=True):
    """A resident's "what this problem means to me", on a problem statement or on a mission (one of the two)."""
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    mission_id: int | None = Field(default=None, foreign_key="mission.id", index=True, ondelete="CASCADE")
    author_id: int = Field(foreign_key="user.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))  # what the resident wrote: kept, never published
    published_text: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    status: str = Field(default=ContributionStatus.WAITING, index=True, max_length=20)
    display_name: str = Field(max_length=60)  # as the resident's account said when they wrote
    show_name: bool = True  # the staff can publish a contribution without the name
    rejection_reason: str = Field(default="", max_length=1000)
    redaction_reason: str = Field(default="", max_length=1000)  # set when the staff published part of it
    official_response: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    responded_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow, index=True)
    decided_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")


class ContributionReport(SQLModel, table=True):
    """Someone thinks a published contribution should not be there. One per person per contribution."""
    __table_args__ = (UniqueConstraint("contribution_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    contribution_id: int = Field(foreign_key="contribution.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True)
    reason: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    dismissed: bool = False  # the staff looked and published the contribution again


class MattersToMe(SQLModel, table=True):
    """"This matters to me": once per person, on a problem statement or a mission."""
    __table_args__ = (UniqueConstraint("user_id", "opportunity_id"), UniqueConstraint("user_id", "mission_id"))
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    mission_id: int | None = Field(default=None, foreign_key="mission.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


class WhatChanged(SQLModel, table=True):
    """The buyer's "we did": what changed because of what residents and suppliers said, shown once engagement ends."""
    opportunity_id: int = Field(foreign_key="opportunity.id", primary_key=True, ondelete="CASCADE")
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
