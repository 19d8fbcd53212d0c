"""search entries keep the filter values they count towards as tokens, so counts read one narrow array

Revision ID: d4e6a8b0c2f1
Revises: c8f1a2d3e4b5
Create Date: 2026-12-02 14:00:00.000000
"""

import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'd4e6a8b0c2f1'
down_revision = 'c8f1a2d3e4b5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('search_entry', sa.Column('tokens', sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), 'postgresql'),
                                            nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        _backfill_tokens()


def _backfill_tokens() -> None:
    from portal.search.postgres_sql import entry_tokens

    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT opportunity_id, facets FROM search_entry")).all()
    for row in rows:
        facets = row.facets if isinstance(row.facets, dict) else json.loads(row.facets)
        connection.execute(sa.text("UPDATE search_entry SET tokens = CAST(:tokens AS text[]) WHERE opportunity_id = :id"),
                           {"tokens": entry_tokens(facets), "id": row.opportunity_id})


def downgrade() -> None:
    op.drop_column('search_entry', 'tokens')
