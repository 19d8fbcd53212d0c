"""buyers' staff choose how often they are emailed about new interest, questions and bookings

Revision ID: 84164b725ef8
Revises: 84e91d234a6a
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '84164b725ef8'
down_revision = '84e91d234a6a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Everyone starts with "straight away": buyers' staff hear at once until they choose otherwise.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('update_emails', sqlmodel.sql.sqltypes.AutoString(length=10),
                                      server_default='instant', nullable=False))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of the table would break the foreign keys of
    # every row that points at a person.
    op.drop_column('user', 'update_emails')
