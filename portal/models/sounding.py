"""Market sounding: the buyer's own questions on an opportunity, and each interested organisation's answers."""

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.models.catalogue import utcnow


class MarketQuestion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    position: int = 0
    text: str = Field(max_length=300)
    max_words: int = 200
    # Set when the buyer takes away a question that has answers: suppliers no longer see it, the buyer still
    # reads the answers already given. A question without answers is deleted instead.
    removed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class MarketAnswer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("interest_id", "question_id"),)
    id: int | None = Field(default=None, primary_key=True)
    interest_id: int = Field(foreign_key="interest.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="marketquestion.id", index=True, ondelete="CASCADE")
    text: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
