"""tokens: label, last use, expiry and event scope

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 16:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing tokens keep working: no label, never used as far as we know, no expiry,
    # valid on every event.
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("label", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_tokens_event_id"), ["event_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_tokens_event_id_events"),
            "events",
            ["event_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.drop_constraint(batch.f("fk_tokens_event_id_events"), type_="foreignkey")
        batch.drop_index(batch.f("ix_tokens_event_id"))
        batch.drop_column("event_id")
        batch.drop_column("expires_at")
        batch.drop_column("last_used_at")
        batch.drop_column("label")
