"""Review before publish: buyers' staff roles, where an item stands in review, what happened to it and when, and
private links to a draft."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from portal.models.catalogue import utcnow


class StaffRole(StrEnum):
    """What a member of a buyer's staff may do: editors write and submit, publishers approve and publish."""
    EDITOR = "editor"
    PUBLISHER = "publisher"


class ReviewState(StrEnum):
    """Where a draft, or a published item's pending change, stands in review. NONE: being written."""
    NONE = ""
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes-requested"


class ReviewStep(StrEnum):
    """A change recorded in an item's history, seen only by its buyer's staff."""
    CREATED = "created"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes-requested"
    PUBLISHED = "published"
    CHANGES_PUBLISHED = "changes-published"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    PREVIEW_LINK_MADE = "preview-link-made"
    PREVIEW_LINK_REVOKED = "preview-link-revoked"


class ReviewEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id")  # None if done by a script
    step: str = Field(max_length=30)  # a ReviewStep
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    at: datetime = Field(default_factory=utcnow)


class PreviewLink(SQLModel, table=True):
    """A private link to a draft: anyone with it can read the draft, until it expires or is revoked."""
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(unique=True, max_length=64)  # sha256 of the token in the link
    made_by_id: int | None = Field(default=None, foreign_key="user.id")
    made_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
