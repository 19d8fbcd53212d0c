"""stored reading age of each opportunity; plain text for search extracts; no search_generation sequence

Revision ID: a4d7e2c9b513
Revises: d3a9c1e7b524
Create Date: 2026-12-02 10:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'a4d7e2c9b513'
down_revision = 'd3a9c1e7b524'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('opportunity', sa.Column('reading_age', sa.Integer(), nullable=True))
    op.add_column('search_entry', sa.Column('plain', sa.Text(), server_default='', nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS search_generation")  # no process keeps a copy of the facets now
    _backfill_reading_ages()


def _backfill_reading_ages() -> None:
    from portal.services.reading_age import reading_age_of

    connection = op.get_bind()
    opportunity = sa.table('opportunity', sa.column('id', sa.Integer), sa.column('summary', sa.String),
                           sa.column('why_md', sa.Text), sa.column('body_md', sa.Text),
                           sa.column('reading_age', sa.Integer))
    rows = connection.execute(sa.select(opportunity.c.id, opportunity.c.summary, opportunity.c.why_md,
                                        opportunity.c.body_md)).all()
    for row in rows:
        connection.execute(opportunity.update().where(opportunity.c.id == row.id).values(
            reading_age=reading_age_of(row.summary, row.why_md, row.body_md)))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE IF NOT EXISTS search_generation")
    op.drop_column('search_entry', 'plain')
    op.drop_column('opportunity', 'reading_age')
