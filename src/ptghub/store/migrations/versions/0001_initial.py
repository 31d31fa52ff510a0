"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 13:52:13.062076
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    op.create_table(
        "nicks",
        sa.Column("nick_key", sa.String(length=64), nullable=False),
        sa.Column("nick", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_nicks_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("nick_key", name=op.f("pk_nicks")),
    )
    with op.batch_alter_table("nicks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nicks_person_id"), ["person_id"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("open_to_everyone", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("slug", name=op.f("uq_events_slug")),
    )
    op.create_table(
        "event_info",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.Column("plan_rules", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_info_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_info")),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("nick_key", sa.String(length=64), nullable=False),
        sa.Column("nick", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("digest", name=op.f("uq_tokens_digest")),
    )
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tokens_nick_key"), ["nick_key"], unique=False)

    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("frontend", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reverts", sa.Integer(), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_audit_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    op.create_table(
        "motd",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_motd_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "position", name=op.f("pk_motd")),
    )
    op.create_table(
        "presence",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("nick_key", sa.String(length=64), nullable=False),
        sa.Column("nick", sa.String(length=64), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("checked_in", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_out", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_presence_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "nick_key", name=op.f("pk_presence")),
    )
    op.create_table(
        "roles",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("nick_key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("team_key", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_roles_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "nick_key", "kind", "team_key", name=op.f("pk_roles")),
    )
    op.create_table(
        "rooms",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("video_url", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("bookable", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_rooms_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "key", name=op.f("pk_rooms")),
    )
    op.create_table(
        "slots",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("end", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_slots_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "key", name=op.f("pk_slots")),
    )
    op.create_table(
        "subscriptions",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("nick_key", sa.String(length=64), nullable=False),
        sa.Column("nick", sa.String(length=64), nullable=False),
        sa.Column("pattern", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_subscriptions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "nick_key", name=op.f("pk_subscriptions")),
    )
    op.create_table(
        "teams",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("onboarding", sa.Boolean(), nullable=False),
        sa.Column("color", sa.String(length=100), nullable=True),
        sa.Column("etherpad", sa.Text(), nullable=True),
        sa.Column("video_url", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_teams_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "key", name=op.f("pk_teams")),
    )
    op.create_table(
        "cells",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("room_key", sa.String(length=200), nullable=False),
        sa.Column("slot_key", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("team_key", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id", "room_key"],
            ["rooms.event_id", "rooms.key"],
            name=op.f("fk_cells_event_id_rooms"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id", "slot_key"],
            ["slots.event_id", "slots.key"],
            name=op.f("fk_cells_event_id_slots"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id", "team_key"],
            ["teams.event_id", "teams.key"],
            name=op.f("fk_cells_event_id_teams"),
        ),
        sa.PrimaryKeyConstraint("event_id", "room_key", "slot_key", name=op.f("pk_cells")),
        sa.UniqueConstraint("event_id", "slot_key", "team_key", name="uq_cells_team_slot"),
    )
    op.create_table(
        "topics",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("team_key", sa.String(length=40), nullable=False),
        sa.Column("now", sa.Text(), nullable=True),
        sa.Column("next", sa.JSON(), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id", "team_key"],
            ["teams.event_id", "teams.key"],
            name=op.f("fk_topics_event_id_teams"),
        ),
        sa.PrimaryKeyConstraint("event_id", "team_key", name=op.f("pk_topics")),
    )
    op.create_table(
        "team_needs",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("team_key", sa.String(length=40), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id", "team_key"],
            ["teams.event_id", "teams.key"],
            name=op.f("fk_team_needs_event_id_teams"),
        ),
        sa.PrimaryKeyConstraint("event_id", "team_key", name=op.f("pk_team_needs")),
    )
    op.create_table(
        "plan_pins",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("room_key", sa.String(length=200), nullable=False),
        sa.Column("slot_key", sa.String(length=40), nullable=False),
        sa.Column("team_key", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id", "room_key", "slot_key"],
            ["cells.event_id", "cells.room_key", "cells.slot_key"],
            name=op.f("fk_plan_pins_event_id_cells"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id", "team_key"],
            ["teams.event_id", "teams.key"],
            name=op.f("fk_plan_pins_event_id_teams"),
        ),
        sa.PrimaryKeyConstraint("event_id", "room_key", "slot_key", name=op.f("pk_plan_pins")),
    )


def downgrade() -> None:
    op.drop_table("plan_pins")
    op.drop_table("team_needs")
    op.drop_table("topics")
    op.drop_table("cells")
    op.drop_table("teams")
    op.drop_table("subscriptions")
    op.drop_table("slots")
    op.drop_table("rooms")
    op.drop_table("roles")
    op.drop_table("presence")
    op.drop_table("motd")
    op.drop_table("audit")
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tokens_nick_key"))

    op.drop_table("tokens")
    op.drop_table("event_info")
    op.drop_table("events")
    op.drop_table("nicks")
    op.drop_table("people")
