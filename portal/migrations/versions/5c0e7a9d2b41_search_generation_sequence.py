"""search_generation: tells each process when its cached search facets are stale (PostgreSQL only)

Revision ID: 5c0e7a9d2b41
Revises: e11574d836ee
Create Date: 2026-11-22 10:00:00.000000
"""

from alembic import op

revision = '5c0e7a9d2b41'
down_revision = 'e11574d836ee'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE IF NOT EXISTS search_generation")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS search_generation")
