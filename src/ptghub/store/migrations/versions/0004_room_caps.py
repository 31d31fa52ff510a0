"""rooms: capability and its icon (the old bot's cap_desc and cap_icon)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 15:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("capability", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("capability_icon", sa.String(length=80), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("capability_icon")
        batch.drop_column("capability")
