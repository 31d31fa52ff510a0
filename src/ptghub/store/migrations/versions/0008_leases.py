"""leases: which process runs each thing that must run once (the mail sender, each bot)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 17:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("acquired_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("leases")
