"""notifications carry their content and a link; engagement can be closed early; a closing date for questions

Revision ID: b8d4e2a61c07
Revises: a7c3e5f10b92
Create Date: 2026-12-02 03:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'b8d4e2a61c07'
down_revision = 'a7c3e5f10b92'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('link', sa.JSON(), nullable=True))
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('engagement_closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('questions_close_on', sa.Date(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy would drop the table, and on the way delete
    # every row that cascades from it.
    op.drop_column('opportunity', 'questions_close_on')
    op.drop_column('opportunity', 'engagement_closed_at')
    op.drop_column('notification', 'link')
    op.drop_column('notification', 'details')
