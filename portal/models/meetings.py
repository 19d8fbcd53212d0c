"""One-to-one meetings: times a buyer offers on an opportunity, each held by at most one supplier."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.models.catalogue import utcnow


class MeetingSlot(SQLModel, table=True):
    """A time for one supplier to meet the buyer. One row has room for one holder, and an organisation may hold
    only one slot per opportunity (NULLs never clash, so free slots are not limited)."""
    __tablename__ = "meetingslot"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "holder_organisation_id", name="uq_meetingslot_one_per_organisation"),
        CheckConstraint("(holder_id IS NULL) = (holder_organisation_id IS NULL)", name="ck_meetingslot_holder_whole"),
        Index("ix_meetingslot_opportunity_starts", "opportunity_id", "starts_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", ondelete="CASCADE")
    starts_at: datetime  # UTC; shown in UK time
    ends_at: datetime
    online: bool
    place: str = Field(default="", max_length=300)  # the address, for a meeting in person
    meeting_link: str = Field(default="", max_length=500)  # shown only to the buyer and the holder
    holder_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    holder_organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    held_since: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
