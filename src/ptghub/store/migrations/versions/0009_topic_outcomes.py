"""topic_outcomes: a chair's written outcome of each topic; teams: their recordings link

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 20:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "topic_outcomes",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_topic_outcomes_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "team", "number", name=op.f("pk_topic_outcomes")),
    )
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("recording", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("recording")
    op.drop_table("topic_outcomes")
