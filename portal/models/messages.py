"""Messages between supplier organisations about partnering on an opportunity."""

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.models.catalogue import utcnow


class Conversation(SQLModel, table=True):
    """One organisation wrote to another, listed as open to partnering, about one opportunity."""
    __table_args__ = (UniqueConstraint("opportunity_id", "starter_id", "recipient_id"),)
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    starter_id: int = Field(foreign_key="organisation.id", index=True)  # the organisation that wrote first
    recipient_id: int = Field(foreign_key="organisation.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    # When the recipient first replied: from then on each side sees the other's email addresses.
    replied_at: datetime | None = None
    last_message_at: datetime = Field(default_factory=utcnow)


class PartnerMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True, ondelete="CASCADE")
    sender_id: int = Field(foreign_key="user.id", index=True)
    sender_organisation_id: int = Field(foreign_key="organisation.id")
    text: str = Field(sa_column=Column(Text, nullable=False))  # plain text, always shown escaped
    sent_at: datetime = Field(default_factory=utcnow, index=True)
    reported_at: datetime | None = Field(default=None, index=True)
    reported_by_id: int | None = Field(default=None, foreign_key="user.id")
    report_reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class MessagingSetting(SQLModel, table=True):
    """An organisation's choices about messages. No row means the defaults: it takes messages and may send them."""
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    accepts_messages: bool = True  # set by the organisation on its profile page
    sending_stopped_at: datetime | None = None  # set by an administrator after reports
    updated_at: datetime = Field(default_factory=utcnow)
