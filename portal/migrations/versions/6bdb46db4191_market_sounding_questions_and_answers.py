"""market sounding: the buyer's questions, suppliers' answers, contact with consent, who sent an interest;
"keep me updated" becomes a follow

Revision ID: 6bdb46db4191
Revises: c4f19a7e2d83
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '6bdb46db4191'
down_revision = 'c4f19a7e2d83'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The interest table changes first, while no table refers to it: a copy of it (SQLite) then deletes nothing.
    with op.batch_alter_table('interest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('submitted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('share_contact', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=320), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_phone', sqlmodel.sql.sqltypes.AutoString(length=30), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_interest_submitted_by_id'), ['submitted_by_id'], unique=False)
        batch_op.create_foreign_key('fk_interest_submitted_by_id_user', 'user', ['submitted_by_id'], ['id'])

    # Interest registered before drafts existed had been sent to the buyer. Who sent it was not recorded: the
    # organisation's first account stands for it, so the buyer keeps seeing it while that address is confirmed.
    op.execute('UPDATE interest SET submitted_at = updated_at, submitted_by_id = '
               '(SELECT MIN(u.id) FROM "user" u WHERE u.organisation_id = interest.organisation_id)')
    # "Keep me updated" was stored but never acted on. Everyone in an organisation that asked for it now follows
    # the opportunity, so they hear about answers, events and changes as they expected.
    op.execute('INSERT INTO follow (user_id, opportunity_id, created_at) '
               'SELECT u.id, i.opportunity_id, i.created_at FROM interest i JOIN "user" u ON u.organisation_id = i.organisation_id '
               'WHERE i.keep_updated AND NOT EXISTS '
               '(SELECT 1 FROM follow f WHERE f.user_id = u.id AND f.opportunity_id = i.opportunity_id)')
    op.drop_column('interest', 'keep_updated')  # in place (SQLite 3.35+), no copy of the table

    op.create_table('marketquestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('max_words', sa.Integer(), nullable=False),
    sa.Column('removed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_marketquestion_opportunity_id'), 'marketquestion', ['opportunity_id'], unique=False)

    op.create_table('marketanswer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['interest_id'], ['interest.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['marketquestion.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('interest_id', 'question_id')
    )
    op.create_index(op.f('ix_marketanswer_interest_id'), 'marketanswer', ['interest_id'], unique=False)
    op.create_index(op.f('ix_marketanswer_question_id'), 'marketanswer', ['question_id'], unique=False)


def downgrade() -> None:
    # The answers and questions go first, so that nothing refers to interest when its table is copied (SQLite).
    op.drop_index(op.f('ix_marketanswer_question_id'), table_name='marketanswer')
    op.drop_index(op.f('ix_marketanswer_interest_id'), table_name='marketanswer')
    op.drop_table('marketanswer')
    op.drop_index(op.f('ix_marketquestion_opportunity_id'), table_name='marketquestion')
    op.drop_table('marketquestion')

    op.add_column('interest', sa.Column('keep_updated', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute('UPDATE interest SET keep_updated = EXISTS (SELECT 1 FROM follow f JOIN "user" u ON u.id = f.user_id '
               'WHERE u.organisation_id = interest.organisation_id AND f.opportunity_id = interest.opportunity_id)')
    # Drafts did not exist before: they are taken away rather than shown to the buyer.
    op.execute('DELETE FROM interest WHERE submitted_at IS NULL')
    with op.batch_alter_table('interest', schema=None) as batch_op:
        batch_op.drop_constraint('fk_interest_submitted_by_id_user', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_interest_submitted_by_id'))
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_name')
        batch_op.drop_column('share_contact')
        batch_op.drop_column('submitted_by_id')
        batch_op.drop_column('submitted_at')
