"""one-to-one meeting slots: times a buyer offers, each held by at most one supplier organisation

Revision ID: c4f19a7e2d83
Revises: 84164b725ef8
Create Date: 2026-12-02 03:19:07
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'c4f19a7e2d83'
down_revision = '84164b725ef8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meetingslot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ends_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('meeting_link', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('holder_organisation_id', sa.Integer(), nullable=True),
    sa.Column('held_since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('(holder_id IS NULL) = (holder_organisation_id IS NULL)', name='ck_meetingslot_holder_whole'),
    sa.ForeignKeyConstraint(['holder_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['holder_organisation_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('opportunity_id', 'holder_organisation_id', name='uq_meetingslot_one_per_organisation')
    )
    with op.batch_alter_table('meetingslot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetingslot_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetingslot_holder_organisation_id'), ['holder_organisation_id'], unique=False)
        batch_op.create_index('ix_meetingslot_opportunity_starts', ['opportunity_id', 'starts_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('meetingslot', schema=None) as batch_op:
        batch_op.drop_index('ix_meetingslot_opportunity_starts')
        batch_op.drop_index(batch_op.f('ix_meetingslot_holder_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_meetingslot_holder_id'))
    op.drop_table('meetingslot')