"""Tables that serve search. The database is the source of truth; these are derived and can be rebuilt.

`search_entry` and `search_word` are the PostgreSQL search backend's index (a weighted tsvector with a GIN
index, the facets filters count, and the plain text extracts are cut from; and the words "did you mean"
chooses from). `search_backlog` lists opportunities whose index entry
could not be updated straight away; any backend catches up from it.
"""

from datetime import datetime

from sqlalchemy import DDL, JSON, Column, Index, Text, event
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlmodel import Field, SQLModel

from portal.models.catalogue import utcnow


class SearchEntry(SQLModel, table=True):
    __tablename__ = "search_entry"
    __table_args__ = (Index("ix_search_entry_document", "document", postgresql_using="gin"),)

    opportunity_id: int = Field(primary_key=True)
    document: str = Field(sa_column=Column(Text().with_variant(TSVECTOR(), "postgresql"), nullable=False))
    facets: dict = Field(sa_column=Column(JSON().with_variant(JSONB(), "postgresql"), nullable=False))
    # "group=value" for each filter value the entry counts towards (postgres_sql.entry_tokens); null until reindexed.
    tokens: list | None = Field(default=None, sa_column=Column(JSON().with_variant(ARRAY(Text), "postgresql"),
                                                               nullable=True))
    plain: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))  # for extracts


class SearchWord(SQLModel, table=True):
    __tablename__ = "search_word"
    __table_args__ = (
        Index("ix_search_word_trigrams", "word", postgresql_using="gin", postgresql_ops={"word": "gin_trgm_ops"}),
    )

    word: str = Field(primary_key=True, max_length=40)


class SearchBacklog(SQLModel, table=True):
    __tablename__ = "search_backlog"

    opportunity_id: int = Field(primary_key=True)
    queued_at: datetime = Field(default_factory=utcnow)


# Trigram matching for "did you mean" needs PostgreSQL's pg_trgm extension (a trusted extension since 13).
event.listen(
    SearchWord.__table__, "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
