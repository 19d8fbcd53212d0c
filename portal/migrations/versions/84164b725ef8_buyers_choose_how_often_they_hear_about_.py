"""buyers' staff choose how often they are emailed about new interest, questions and bookings

Revision ID: 84164b725ef8
Revises: b8d4e2a61c07
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '84164b725ef8'
down_revision = 'b8d4e2a61c07'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Everyone starts with "straight away": buyers' staff hear at once until they choose otherwise.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('update_emails', sqlmodel.sql.sqltypes.AutoString(length=10),
                                      server_default='instant', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('update_emails')
