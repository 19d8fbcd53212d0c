"""residents' voice: contributions on problem statements and missions, reports of them, "this matters to me",
and the buyer's "what changed" for each item

Revision ID: a5d17e3c9b42
Revises: a3f61c0d9e25
Create Date: 2026-12-02 09:45:28.811392
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = 'a5d17e3c9b42'
down_revision = 'a3f61c0d9e25'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('mission_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('published_text', sa.Text(), server_default='', nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('rejection_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('redaction_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('official_response', sa.Text(), server_default='', nullable=False),
    sa.Column('responded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['mission_id'], ['mission.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_mission_id'), ['mission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_status'), ['status'], unique=False)

    op.create_table('matterstome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('mission_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mission_id'], ['mission.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'mission_id'),
    sa.UniqueConstraint('user_id', 'opportunity_id')
    )
    with op.batch_alter_table('matterstome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matterstome_mission_id'), ['mission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matterstome_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matterstome_user_id'), ['user_id'], unique=False)

    op.create_table('whatchanged',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('opportunity_id')
    )
    op.create_table('contributionreport',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('dismissed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contribution.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contribution_id', 'user_id')
    )
    with op.batch_alter_table('contributionreport', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributionreport_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributionreport_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    # Plain drops: a batch copy on SQLite would cascade-delete rows that refer to these tables.
    op.drop_table('contributionreport')
    op.drop_table('whatchanged')
    op.drop_table('matterstome')
    op.drop_table('contribution')
