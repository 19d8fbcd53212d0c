"""How suppliers take part: interest, questions, engagement events, follows, saved searches and alerts."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from portal.models.catalogue import utcnow


class Interest(SQLModel, table=True):
    """An organisation's interest in an opportunity, with its answers to the buyer's questions (MarketAnswer).
    A draft (submitted_at None) is the organisation's own; once sent, the buyer sees it if the person who sent it
    has confirmed their email address. Whether a person hears about changes is their Follow, not kept here."""
    __table_args__ = (UniqueConstraint("opportunity_id", "organisation_id"),)
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    open_to_partnering: bool = False
    listed_publicly: bool = False  # a separate, explicit opt-in
    submitted_at: datetime | None = None  # first sent to the buyer; None while it is a draft
    submitted_by_id: int | None = Field(default=None, foreign_key="user.id", index=True)  # who sent it last
    # A named contact, kept only while the organisation agrees that the buyer may see it.
    share_contact: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    contact_name: str = Field(default="", max_length=120, sa_column_kwargs={"server_default": ""})
    contact_email: str = Field(default="", max_length=320, sa_column_kwargs={"server_default": ""})
    contact_phone: str = Field(default="", max_length=30, sa_column_kwargs={"server_default": ""})
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class QuestionStatus(StrEnum):
    WAITING = "waiting"  # only the buyer and the asker's organisation see it
    PUBLISHED = "published"  # its published wording and its answer are public
    REJECTED = "rejected"  # never public; the asker is told why


class Question(SQLModel, table=True):
    """A supplier's question. The buyer publishes it, reworded as they see fit, with an answer, or rejects it with a
    reason. What the supplier wrote is kept and never made public."""
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    asked_by_id: int = Field(foreign_key="user.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))  # as the supplier wrote it
    asked_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default=QuestionStatus.WAITING, max_length=20,
                        sa_column_kwargs={"server_default": QuestionStatus.WAITING.value})
    published_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # as the buyer published it
    answer: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    answered_at: datetime | None = None  # first published
    answer_changed_at: datetime | None = None  # the buyer changed what was published
    rejection_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    rejected_at: datetime | None = None

    @property
    def edited(self) -> bool:
        """The buyer published other words than the supplier's."""
        return self.published_text is not None and self.published_text != self.text


class EventKind(StrEnum):
    WEBINAR = "webinar"
    IN_PERSON = "in-person"
    ONE_TO_ONE = "one-to-one"


class EngagementEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    starts_at: datetime  # UTC; shown in Europe/London time
    ends_at: datetime
    location: str = Field(default="", max_length=300)
    online_link: str = Field(default="", max_length=500)  # shown only to people with a place
    capacity: int = Field(ge=1)
    booking_deadline: datetime
    materials_md: str = Field(default="", sa_column=Column(Text, nullable=False))
    what_we_heard_md: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class BookingStatus(StrEnum):
    BOOKED = "booked"
    WAITING = "waiting"
    CANCELLED = "cancelled"


class Booking(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="engagementevent.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default=BookingStatus.BOOKED, max_length=20)
    created_at: datetime = Field(default_factory=utcnow)  # waiting-list order
    updated_at: datetime = Field(default_factory=utcnow)


class Follow(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("user_id", "opportunity_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    """Something a person should be told about; emailed by `send-alerts`, listed on the dashboard."""
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id", ondelete="CASCADE")
    message: str = Field(max_length=500)  # what happened, in one sentence
    details: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))  # the content itself
    # Where to act on it: {"endpoint": ..., "values": {...}}, built on BASE_URL when emailed; None means the opportunity.
    link: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, index=True)
    # When it was emailed, or passed over because the person asked for no update emails.
    emailed_at: datetime | None = Field(default=None, index=True)


class SavedSearch(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=100)
    # The canonical search address's query: unbounded, as a 200-character search in emoji is 2,400 once encoded.
    query_string: str = Field(sa_column=Column(Text, nullable=False))
    frequency: str = Field(default="weekly", max_length=10)  # daily | weekly
    created_at: datetime = Field(default_factory=utcnow)


class AlertDelivery(SQLModel, table=True):
    """One alert email for one saved search and period. The unique key makes sending idempotent."""
    __table_args__ = (UniqueConstraint("saved_search_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    saved_search_id: int = Field(foreign_key="savedsearch.id", index=True, ondelete="CASCADE")
    period: str = Field(max_length=20)  # "2026-11-22" (daily) or "2026-W47" (weekly)
    since: datetime  # opportunities first published after this are new
    until: datetime
    opportunity_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
