"""notices from any OCDS publisher: the publisher's own name, and values in another currency

Revision ID: a3f61c0d9e25
Revises: 7c41e2b9d058
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'a3f61c0d9e25'
down_revision = '7c41e2b9d058'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('value_currency', sa.String(length=3), nullable=True))


def downgrade() -> None:
    # Plain drops: a batch copy of the table on SQLite would delete the rows that refer to it.
    op.drop_column('opportunity', 'value_currency')
    op.drop_column('opportunity', 'source_name')
