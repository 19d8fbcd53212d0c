"""a published item's edits wait as a pending change until the buyer publishes them

Revision ID: 7c41e2b9d058
Revises: 8e2b4c6d1f70
Create Date: 2026-12-05 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '7c41e2b9d058'
down_revision = '8e2b4c6d1f70'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending', sa.JSON(), nullable=True))


def downgrade() -> None:
    # A plain drop: a batch copy of the table on SQLite would delete the rows that refer to it.
    op.drop_column('opportunity', 'pending')
