"""index for the home page's counts: open for ideas, open for bids and planned, read from the index alone

Revision ID: c8f1a2d3e4b5
Revises: b7e2c4a9d1f3
Create Date: 2026-12-02 13:50:00.000000
"""

from alembic import op

revision = 'c8f1a2d3e4b5'
down_revision = 'b7e2c4a9d1f3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_opportunity_status_stage_window', 'opportunity',
                    ['status', 'stage', 'engagement_closed_at', 'engagement_closes_on'])


def downgrade() -> None:
    op.drop_index('ix_opportunity_status_stage_window', table_name='opportunity')
