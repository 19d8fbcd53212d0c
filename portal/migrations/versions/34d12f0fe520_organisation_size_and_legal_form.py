"""a supplier organisation's size and legal form are two questions

Until now a supplier chose one "type" (org_type) that mixed size and legal form, so a two-person community
interest company had to choose between "micro" and "CIC". Suppliers now have a size and a legal form, and their
org_type is left empty (buyers keep theirs). Existing suppliers are moved like this; where we cannot tell, the
answer is left empty ("not given") and the supplier is asked for it on their dashboard and profile:

    old type                      size        legal form
    micro                         micro       not given (as likely a sole trader as a company)
    small, medium, large          same        company
    charity                       not given   charity
    community-interest-company    not given   community-interest-company
    community-group               not given   community-group (not registered as a company or charity)
    social-enterprise             not given   not given (a social enterprise can take many legal forms)

Going back, a VCSE legal form wins over the size (the old type could hold only one): a charity or CIO becomes
charity, a co-operative or mutual becomes social-enterprise, a CIC and a community group keep theirs; otherwise
the size is kept. A supplier who has told us neither (only the old social enterprises) becomes social-enterprise
again, and any other supplier without a size becomes micro.

Revision ID: 34d12f0fe520
Revises: e15e9b69446a
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '34d12f0fe520'
down_revision = 'e15e9b69446a'
branch_labels = None
depends_on = None

SUPPLIERS = "WHERE kind = 'supplier'"


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('size', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('legal_form', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    op.execute(f"""UPDATE organisation SET
        size = CASE WHEN org_type IN ('micro', 'small', 'medium', 'large') THEN org_type END,
        legal_form = CASE
            WHEN org_type IN ('small', 'medium', 'large') THEN 'company'
            WHEN org_type IN ('charity', 'community-interest-company', 'community-group') THEN org_type
        END,
        org_type = '' {SUPPLIERS}""")


def downgrade() -> None:
    op.execute(f"""UPDATE organisation SET org_type = CASE
            WHEN legal_form IN ('charity', 'charitable-incorporated-organisation') THEN 'charity'
            WHEN legal_form IN ('community-interest-company', 'community-group') THEN legal_form
            WHEN legal_form IN ('co-operative', 'mutual') THEN 'social-enterprise'
            WHEN size IS NOT NULL THEN size
            WHEN legal_form IS NULL THEN 'social-enterprise'
            ELSE 'micro'
        END {SUPPLIERS}""")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of the table would break the foreign keys of
    # every row that points at an organisation.
    op.drop_column('organisation', 'legal_form')
    op.drop_column('organisation', 'size')
