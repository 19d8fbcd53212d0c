"""search tables for the PostgreSQL backend and the index backlog

Revision ID: e11574d836ee
Revises: 3bac6e54d1b1
Create Date: 2026-11-22 04:58:41.609543
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'e11574d836ee'
down_revision = '3bac6e54d1b1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # trigram matching for "did you mean"
    op.create_table('search_backlog',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('queued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('opportunity_id')
    )
    op.create_table('search_entry',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql'), nullable=False),
    sa.Column('facets', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('opportunity_id')
    )
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.create_index('ix_search_entry_document', ['document'], unique=False, postgresql_using='gin')

    op.create_table('search_word',
    sa.Column('word', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.PrimaryKeyConstraint('word')
    )
    with op.batch_alter_table('search_word', schema=None) as batch_op:
        batch_op.create_index('ix_search_word_trigrams', ['word'], unique=False, postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})



def downgrade() -> None:
    with op.batch_alter_table('search_word', schema=None) as batch_op:
        batch_op.drop_index('ix_search_word_trigrams', postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})

    op.drop_table('search_word')
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_search_entry_document', postgresql_using='gin')

    op.drop_table('search_entry')
    op.drop_table('search_backlog')
