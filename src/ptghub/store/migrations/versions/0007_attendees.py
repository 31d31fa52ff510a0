"""attendees: registrations and their settings (capacity, code of conduct version, track
request closing date), track requests, the updates list, announcements, follows,
personal settings and calendar feeds, pending mail notices

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def _event() -> sa.Column[int]:
    return sa.Column(
        "event_id",
        sa.Integer(),
        sa.ForeignKey("events.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def _person(nullable: bool = False) -> sa.Column[int]:
    return sa.Column(
        "person_id",
        sa.Integer(),
        sa.ForeignKey("people.id", ondelete="CASCADE"),
        nullable=nullable,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "registration_settings",
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("coc_version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("coc_changed_at", _WHEN, nullable=True),
        sa.Column("track_requests_close_at", _WHEN, nullable=True),
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _event(),
        _person(),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("teams", sa.JSON(), nullable=False),
        sa.Column("onboarding", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("first_time", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("coc_version", sa.Integer(), nullable=False),
        sa.Column("coc_accepted_at", _WHEN, nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.Column("queued_at", _WHEN, nullable=False),
        sa.UniqueConstraint("event_id", "person_id", name="uq_registrations_event_id"),
    )
    op.create_table(
        "track_requests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _event(),
        _person(),
        sa.Column("team_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("contacts", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("onboarding", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("preferred_days", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False, server_default=""),
        sa.Column("team_key", sa.String(length=40), nullable=True),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
    )
    op.create_table(
        "updates_subscribers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _event(),
        sa.Column("address_key", sa.String(length=320), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("confirmed_at", _WHEN, nullable=True),
        sa.Column("unsubscribed_at", _WHEN, nullable=True),
        sa.UniqueConstraint("event_id", "address_key", name="uq_updates_subscribers_event_id"),
    )
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _event(),
        _person(nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_markdown", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=40), nullable=False),
        sa.Column("audience_value", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("sent_at", _WHEN, nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "follows",
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(length=10), primary_key=True),
        sa.Column("value", sa.String(length=400), primary_key=True),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    op.create_table(
        "person_settings",
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("notify_chat", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("notify_email", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("notify_browser", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "calendar_feeds",
        sa.Column("digest", sa.String(length=64), primary_key=True),
        _person(),
        _event(),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("revoked_at", _WHEN, nullable=True),
    )
    op.create_table(
        "pending_notices",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _person(),
        _event(),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("due_at", _WHEN, nullable=False, index=True),
        sa.UniqueConstraint("person_id", "event_id", name="uq_pending_notices_person_id"),
    )


def downgrade() -> None:
    for table in (
        "pending_notices",
        "calendar_feeds",
        "person_settings",
        "follows",
        "announcements",
        "updates_subscribers",
        "track_requests",
        "registrations",
        "registration_settings",
    ):
        op.drop_table(table)
