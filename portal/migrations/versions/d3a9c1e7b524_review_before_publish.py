"""review before publish: staff roles, review states, history and private preview links

Revision ID: d3a9c1e7b524
Revises: a5d17e3c9b42
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'd3a9c1e7b524'
down_revision = 'a5d17e3c9b42'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_role', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='publisher', nullable=False))
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_role', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='publisher', nullable=False))
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('editors_publish_own', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('written_by_id', sa.Integer(), nullable=True))
    op.create_table(
        'reviewevent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('opportunity_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_reviewevent_opportunity_id', 'reviewevent', ['opportunity_id'], unique=False)
    op.create_table(
        'previewlink',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('opportunity_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('made_by_id', sa.Integer(), nullable=True),
        sa.Column('made_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['made_by_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_previewlink_opportunity_id', 'previewlink', ['opportunity_id'], unique=False)


def downgrade() -> None:
    # Plain drops: a batch copy of a table on SQLite would delete the rows that refer to it.
    op.drop_index('ix_previewlink_opportunity_id', table_name='previewlink')
    op.drop_table('previewlink')
    op.drop_index('ix_reviewevent_opportunity_id', table_name='reviewevent')
    op.drop_table('reviewevent')
    op.drop_column('opportunity', 'written_by_id')
    op.drop_column('opportunity', 'review_state')
    op.drop_column('organisation', 'editors_publish_own')
    op.drop_column('invitation', 'staff_role')
    op.drop_column('user', 'staff_role')
