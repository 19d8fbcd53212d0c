"""money in 64-bit columns; confirmed email addresses; session versions; saved searches of any length

Revision ID: a7c3e5f10b92
Revises: e48a990aec9b
Create Date: 2026-12-02 01:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'a7c3e5f10b92'
down_revision = 'e48a990aec9b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.alter_column('value_min', existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=True)
        batch_op.alter_column('value_max', existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=True)
    with op.batch_alter_table('challengephase', schema=None) as batch_op:
        batch_op.alter_column('funding', existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=True)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('savedsearch', schema=None) as batch_op:
        batch_op.alter_column('query_string', existing_type=sa.String(length=2000), type_=sa.Text(), existing_nullable=False)
    # Everyone who had an account before confirmation was asked for keeps using it.
    op.execute('UPDATE "user" SET email_confirmed_at = created_at')


def downgrade() -> None:
    with op.batch_alter_table('savedsearch', schema=None) as batch_op:
        batch_op.alter_column('query_string', existing_type=sa.Text(), type_=sa.String(length=2000), existing_nullable=False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
        batch_op.drop_column('email_confirmed_at')
    with op.batch_alter_table('challengephase', schema=None) as batch_op:
        batch_op.alter_column('funding', existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=True)
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.alter_column('value_max', existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=True)
        batch_op.alter_column('value_min', existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=True)
