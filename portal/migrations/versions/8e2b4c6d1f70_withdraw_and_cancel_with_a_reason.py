"""withdraw and cancel with a reason: who stopped a published item, when, and why (shown to the public)

Revision ID: 8e2b4c6d1f70
Revises: 5a0c2d7e9f31
Create Date: 2026-12-05 09:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '8e2b4c6d1f70'
down_revision = '5a0c2d7e9f31'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table: nothing that exists is copied or changed.
    op.create_table('stopnotice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=True),
    sa.Column('made_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['made_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_stopnotice_opportunity_id'), 'stopnotice', ['opportunity_id'], unique=False)


def downgrade() -> None:
    # The reasons go; the items keep their status and stage.
    op.drop_index(op.f('ix_stopnotice_opportunity_id'), table_name='stopnotice')
    op.drop_table('stopnotice')
