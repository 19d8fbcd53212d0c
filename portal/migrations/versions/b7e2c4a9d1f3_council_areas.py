"""Council areas: the local authorities an opportunity's work is in, and a buyer's own

Revision ID: b7e2c4a9d1f3
Revises: b7e3f9a1c640
Create Date: 2026-12-02 10:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'b7e2c4a9d1f3'
down_revision = 'b7e3f9a1c640'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('opportunity', sa.Column('area_codes', sa.JSON(), nullable=False, server_default='[]'))
    op.add_column('organisation', sa.Column('area_code', sa.String(length=8), nullable=True))


def downgrade() -> None:
    # Plain drops: a batch copy of either table on SQLite would cascade-delete the rows that point at it.
    op.drop_column('organisation', 'area_code')
    op.drop_column('opportunity', 'area_codes')
