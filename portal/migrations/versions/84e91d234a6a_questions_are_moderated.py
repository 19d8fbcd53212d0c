"""questions are moderated: the buyer publishes them in their own words with an answer, or rejects them with a reason

Revision ID: 84e91d234a6a
Revises: 34d12f0fe520
Create Date: 2026-12-02 09:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '84e91d234a6a'
down_revision = '34d12f0fe520'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='waiting',
                                      nullable=False))
        batch_op.add_column(sa.Column('published_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('answer_changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('rejection_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('rejected_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    # Questions answered before moderation were published word for word.
    op.execute("UPDATE question SET status = 'published', published_text = text WHERE answered_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('rejected_at')
        batch_op.drop_column('rejection_reason')
        batch_op.drop_column('answer_changed_at')
        batch_op.drop_column('published_text')
        batch_op.drop_column('status')
