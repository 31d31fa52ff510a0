"""rooms: where to find them; teams: the slot of their onboarding session

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 07:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("location", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("onboarding_slot", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("onboarding_slot")
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("location")
