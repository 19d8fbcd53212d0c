"""an imported award's value keeps its currency

Revision ID: b7e3f9a1c640
Revises: d5a1f3c8e702
Create Date: 2026-12-02 11:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'b7e3f9a1c640'
down_revision = 'd5a1f3c8e702'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('award') as batch_op:
        batch_op.add_column(sa.Column('value_currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True))


def downgrade() -> None:
    op.drop_column('award', 'value_currency')
