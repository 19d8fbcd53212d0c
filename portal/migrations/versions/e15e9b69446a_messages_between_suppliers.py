"""messages between suppliers about partnering: conversations, their messages (which can be reported), and each
organisation's choice to get messages (no row: the defaults)

Revision ID: e15e9b69446a
Revises: b8d4e2a61c07
Create Date: 2026-12-02 03:18:26
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'e15e9b69446a'
down_revision = 'b8d4e2a61c07'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('messagingsetting',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('accepts_messages', sa.Boolean(), nullable=False),
    sa.Column('sending_stopped_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('organisation_id')
    )
    op.create_table('conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('starter_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('replied_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_message_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['starter_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('opportunity_id', 'starter_id', 'recipient_id')
    )
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_starter_id'), ['starter_id'], unique=False)
    op.create_table('partnermessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('sender_organisation_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('reported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('report_reason', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['sender_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['sender_organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('partnermessage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnermessage_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnermessage_reported_at'), ['reported_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnermessage_sender_id'), ['sender_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnermessage_sent_at'), ['sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('partnermessage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnermessage_sent_at'))
        batch_op.drop_index(batch_op.f('ix_partnermessage_sender_id'))
        batch_op.drop_index(batch_op.f('ix_partnermessage_reported_at'))
        batch_op.drop_index(batch_op.f('ix_partnermessage_conversation_id'))
    op.drop_table('partnermessage')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_starter_id'))
        batch_op.drop_index(batch_op.f('ix_conversation_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_conversation_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_conversation_created_at'))
    op.drop_table('conversation')
    op.drop_table('messagingsetting')
