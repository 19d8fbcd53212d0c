"""each opportunity keeps its summary and brief as plain text, which search results quote

Revision ID: e7a9c1d3f5b7
Revises: d4e6a8b0c2f1
Create Date: 2026-12-02 16:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'e7a9c1d3f5b7'
down_revision = 'd4e6a8b0c2f1'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    op.add_column('opportunity', sa.Column('plain_text', sa.Text(), nullable=True))
    _backfill()


def _backfill() -> None:
    from portal.services.search_text import plain_text_of

    connection = op.get_bind()
    last = 0
    while rows := connection.execute(sa.text(
            "SELECT id, summary, body_md FROM opportunity WHERE id > :last ORDER BY id LIMIT :batch"),
            {"last": last, "batch": BATCH}).all():
        connection.execute(sa.text("UPDATE opportunity SET plain_text = :text WHERE id = :id"),
                           [{"id": row.id, "text": plain_text_of(row.summary, row.body_md)} for row in rows])
        last = rows[-1].id


def downgrade() -> None:
    op.drop_column('opportunity', 'plain_text')
