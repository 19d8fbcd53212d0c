"""indexes for the newest and closing-soon lists: the home page reads a few rows, never the whole table

Revision ID: e48a990aec9b
Revises: 5c0e7a9d2b41
Create Date: 2026-12-01 13:16:53.667614
"""

from alembic import op

revision = 'e48a990aec9b'
down_revision = '5c0e7a9d2b41'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.create_index('ix_opportunity_status_engagement_closes_on', ['status', 'engagement_closes_on', 'id'])
        batch_op.create_index('ix_opportunity_status_published_on', ['status', 'published_on', 'id'])


def downgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_index('ix_opportunity_status_published_on')
        batch_op.drop_index('ix_opportunity_status_engagement_closes_on')
