"""Why a published item was taken off the portal or its buying stopped: the buyer's reason, shown to the public."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from portal.models.catalogue import utcnow


class StopKind(StrEnum):
    WITHDRAWN = "withdrawn"  # taken off the portal: the status becomes withdrawn
    CANCELLED = "cancelled"  # the buying is not going ahead: it stays public, at the cancelled stage


class StopNotice(SQLModel, table=True):
    """One withdrawal or cancellation: who did it, when, and why. Kept when an item is published again, so the
    buyer's staff can always see what happened."""
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)  # a StopKind
    reason: str = Field(sa_column=Column(Text, nullable=False))
    made_by_id: int | None = Field(default=None, foreign_key="user.id")
    made_at: datetime = Field(default_factory=utcnow)
