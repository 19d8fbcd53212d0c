"""awards, their suppliers, key performance indicators and their results; measurable targets for missions and outcomes

Revision ID: d5a1f3c8e702
Revises: a4d7e2c9b513
Create Date: 2026-12-06 09:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'd5a1f3c8e702'
down_revision = 'a4d7e2c9b513'
branch_labels = None
depends_on = None

TARGET_COLUMNS = (('measure', 300), ('baseline', 120), ('target', 120))


def upgrade() -> None:
    op.create_table('award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('value', sa.BigInteger(), nullable=True),
    sa.Column('awarded_on', sa.Date(), nullable=False),
    sa.Column('contract_starts_on', sa.Date(), nullable=True),
    sa.Column('contract_ends_on', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('source_award_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_award_opportunity_id'), 'award', ['opportunity_id'], unique=False)
    op.create_table('awardsupplier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('size', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('is_vcse', sa.Boolean(), nullable=True),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['award_id'], ['award.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_awardsupplier_award_id'), 'awardsupplier', ['award_id'], unique=False)
    op.create_index(op.f('ix_awardsupplier_organisation_id'), 'awardsupplier', ['organisation_id'], unique=False)
    op.create_table('kpi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('measure', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('frequency', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['award.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_kpi_award_id'), 'kpi', ['award_id'], unique=False)
    op.create_table('kpiresult',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('observed', sa.Float(), nullable=False),
    sa.Column('rating', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('rating_note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_kpiresult_kpi_id'), 'kpiresult', ['kpi_id'], unique=False)
    # New columns on existing tables: added in place (with a default for the rows already there), never copied.
    for table in ('mission', 'outcome'):
        for name, length in TARGET_COLUMNS:
            op.add_column(table, sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=False,
                                           server_default=''))
        op.add_column(table, sa.Column('target_date', sa.Date(), nullable=True))


def downgrade() -> None:
    # Plain drops: a batch copy of a table on SQLite would delete the rows that refer to it.
    for table in ('outcome', 'mission'):
        op.drop_column(table, 'target_date')
        for name, _ in reversed(TARGET_COLUMNS):
            op.drop_column(table, name)
    op.drop_index(op.f('ix_kpiresult_kpi_id'), table_name='kpiresult')
    op.drop_table('kpiresult')
    op.drop_index(op.f('ix_kpi_award_id'), table_name='kpi')
    op.drop_table('kpi')
    op.drop_index(op.f('ix_awardsupplier_organisation_id'), table_name='awardsupplier')
    op.drop_index(op.f('ix_awardsupplier_award_id'), table_name='awardsupplier')
    op.drop_table('awardsupplier')
    op.drop_index(op.f('ix_award_opportunity_id'), table_name='award')
    op.drop_table('award')
