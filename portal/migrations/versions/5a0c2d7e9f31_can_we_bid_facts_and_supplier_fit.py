"""can we bid? an opportunity's facts (lots, conditions, terms, criteria, social value) and whether its value is per
year; what a supplier organisation holds (turnover band, staff, insurance, accreditations, consortia)

Revision ID: 5a0c2d7e9f31
Revises: 6bdb46db4191
Create Date: 2026-12-04 09:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '5a0c2d7e9f31'
down_revision = '6bdb46db4191'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value_basis', sqlmodel.sql.sqltypes.AutoString(length=10), server_default='total', nullable=False))
        batch_op.add_column(sa.Column('bid_facts', sa.JSON(), server_default='{}', nullable=False))
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('turnover_band', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('staff_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('insurance', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('accreditations', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('joins_consortia', sa.Boolean(), nullable=True))


def downgrade() -> None:
    # Plain drops: a batch copy of these tables on SQLite would delete the rows that refer to them.
    for column in ('joins_consortia', 'accreditations', 'insurance', 'staff_count', 'turnover_band'):
        op.drop_column('organisation', column)
    for column in ('bid_facts', 'value_basis'):
        op.drop_column('opportunity', column)
