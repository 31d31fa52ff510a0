"""The database schema. Alembic migrations create it; this module names it for queries.

The two schedule invariants are constraints here as well as checks in the core, so that
no code path and no race can break them: the primary key of ``cells`` lets a (room, slot)
hold one team, and ``uq_cells_team_slot`` keeps a team in one room per slot (NULL teams,
free cells, are distinct from each other in both SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would hand them back naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(40), nullable=False, unique=True),
    Column("version", Integer, nullable=False, default=0),
    Column("is_current", Boolean, nullable=False, default=False),
    Column("open_to_everyone", Boolean, nullable=False, default=True),
)

# Apart from ``events``, whose row every command rewrites (the version): a few KB of
# pages would otherwise be rewritten with it, and written to the WAL, on every command.
event_info = Table(
    "event_info",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("info", JSON, nullable=False),
    Column("plan_rules", JSON),  # core ``PlanRules``; NULL: the defaults
)

rooms = Table(
    "rooms",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("capacity", Integer),
    Column("video_url", Text),
    Column("description", Text, nullable=False, default=""),
    Column("bookable", Boolean, nullable=False, default=True),
    Column("capability", Text, nullable=False, server_default=""),
    Column("capability_icon", String(80), nullable=False, server_default=""),
    Column("location", Text, nullable=False, server_default=""),
)

slots = Table(
    "slots",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(40), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("code", String(40), nullable=False),
    Column("day", Date, nullable=False),
    Column("start", Time, nullable=False),
    Column("end", Time, nullable=False),
)

teams = Table(
    "teams",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(40), primary_key=True),
    Column("slug", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("onboarding", Boolean, nullable=False, default=False),
    Column("color", String(100)),
    Column("etherpad", Text),
    Column("video_url", Text),
    Column("description", Text, nullable=False, default=""),
    Column("onboarding_slot", String(40)),
    Column("recording", Text),
)

cells = Table(
    "cells",
    metadata,
    Column("event_id", Integer, primary_key=True),
    Column("room_key", String(200), primary_key=True),
    Column("slot_key", String(40), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("team_key", String(40)),
    ForeignKeyConstraint(["event_id", "room_key"], ["rooms.event_id", "rooms.key"]),
    ForeignKeyConstraint(["event_id", "slot_key"], ["slots.event_id", "slots.key"]),
    ForeignKeyConstraint(["event_id", "team_key"], ["teams.event_id", "teams.key"]),
    UniqueConstraint("event_id", "slot_key", "team_key", name="uq_cells_team_slot"),
)

topics = Table(
    "topics",
    metadata,
    Column("event_id", Integer, primary_key=True),
    Column("team_key", String(40), primary_key=True),
    Column("now", Text),
    Column("next", JSON, nullable=False),
    Column("location", Text),
    ForeignKeyConstraint(["event_id", "team_key"], ["teams.event_id", "teams.key"]),
)

motd = Table(
    "motd",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("level", String(10), nullable=False),
    Column("text", Text, nullable=False),
)

presence = Table(
    "presence",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("nick_key", String(64), primary_key=True),
    Column("nick", String(64), nullable=False),
    Column("location", Text, nullable=False),
    Column("checked_in", UTCDateTime(), nullable=False),
    Column("checked_out", UTCDateTime()),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("nick_key", String(64), primary_key=True),
    Column("nick", String(64), nullable=False),
    Column("pattern", Text, nullable=False),
)

roles = Table(
    "roles",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("nick_key", String(64), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("team_key", String(40), primary_key=True),  # '' for roles without a team
)

# What each team asks of the planner (core ``TeamNeeds`` as JSON, read by the codec).
team_needs = Table(
    "team_needs",
    metadata,
    Column("event_id", Integer, primary_key=True),
    Column("team_key", String(40), primary_key=True),
    Column("needs", JSON, nullable=False),
    ForeignKeyConstraint(["event_id", "team_key"], ["teams.event_id", "teams.key"]),
)

# Organizers' pins for the next plan: a team in a cell, which must exist.
plan_pins = Table(
    "plan_pins",
    metadata,
    Column("event_id", Integer, primary_key=True),
    Column("room_key", String(200), primary_key=True),
    Column("slot_key", String(40), primary_key=True),
    Column("team_key", String(40), nullable=False),
    ForeignKeyConstraint(
        ["event_id", "room_key", "slot_key"],
        ["cells.event_id", "cells.room_key", "cells.slot_key"],
    ),
    ForeignKeyConstraint(["event_id", "team_key"], ["teams.event_id", "teams.key"]),
)

# A chair's written outcome of a team's topic (core ``EventState.outcomes``); ``number``
# counts the team's topics from 1 in the order discussed. A team's outcomes go before the
# team does (core.apply refuses otherwise), so no foreign key to teams is needed.
topic_outcomes = Table(
    "topic_outcomes",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("team", String(40), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("text", Text, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("frontend", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("changes", JSON, nullable=False),
    Column("reverts", Integer),
    Column("undone_by", Integer),
    # The person behind the actor's nick when there is one (not a foreign key: the record of
    # a change outlives the person).
    Column("person_id", Integer),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("nick_key", String(64), nullable=False, index=True),
    Column("nick", String(64), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
    Column("label", String(100)),
    Column("last_used_at", UTCDateTime()),  # to the minute (see store.tokens)
    Column("expires_at", UTCDateTime()),
    # A scoped token acts on this event only; NULL: on every event.
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), index=True),
)

# People are installation-wide (they come back to the next PTG); roles are per event.
people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("display_name", String(200), nullable=False),
    # The nick (one of this person's nicks rows) they act as on the web; set at first sign-in.
    Column("web_nick", String(64)),
)

nicks = Table(
    "nicks",
    metadata,
    Column("nick_key", String(64), primary_key=True),
    Column("nick", String(64), nullable=False),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
)

# Planner drafts and published versions (store/plan_versions.py). Numbered per event; a draft
# becomes a published version in the same transaction as the change that puts it on
# the board (``published_audit_id``), so the two never disagree.
plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("status", String(20), nullable=False),
    Column("schedule", JSON, nullable=False),
    Column("report", JSON, nullable=False),
    Column("inputs", JSON, nullable=False),
    Column("published_at", UTCDateTime()),
    Column("published_audit_id", Integer),
    UniqueConstraint("event_id", "number", name="uq_plans_event_number"),
)

# -- Accounts (migration 0006) ------------------------------------------------------------
# A person signs in on the web with a verified email address (a magic link) or with an
# OpenID Connect identity; a signed-in browser holds a server-side session. On the web the
# person acts as ``people.web_nick``: one of their nicks rows, so that a role granted to it
# holds under every chat nick the person links, and the other way round.

emails = Table(
    "emails",
    metadata,
    Column("address_key", String(320), primary_key=True),  # store.accounts.address_key
    Column("address", String(320), nullable=False),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("verified_at", UTCDateTime(), nullable=False),
)

# Only a SHA-256 digest of the cookie's secret is kept, as for tokens.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("via", String(20), nullable=False),  # 'email' or 'oidc'
    Column("user_agent", String(200), nullable=False, server_default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),  # to the minute
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
)

# A magic link: single use (``used_at``), expiring, bound to the browser that asked
# (``browser_digest``: the digest of that browser's own cookie).
sign_in_links = Table(
    "sign_in_links",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("address", String(320), nullable=False),
    Column("browser_digest", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
    # What the link does: 'sign-in', or 'add-address' (a signed-in person, ``person_id``,
    # verifying another address of theirs).
    Column("purpose", String(20), nullable=False, server_default="sign-in"),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE")),
)

oidc_identities = Table(
    "oidc_identities",
    metadata,
    Column("issuer", String(255), primary_key=True),
    Column("subject", String(255), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("email", String(320)),
    Column("created_at", UTCDateTime(), nullable=False),
)

# A one-time code a signed-in person sends to a bot in private ("link CODE") to add that
# chat identity to their nicks.
link_codes = Table(
    "link_codes",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
    Column("used_by", String(64)),
)

# Every mail goes through here; a sender worker delivers it (store.outbox, the mail worker).
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(255), nullable=False, unique=True),
    Column("to_address", String(320), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body_text", Text, nullable=False),
    Column("body_html", Text),
    Column("headers", JSON, nullable=False),  # extra headers, name -> value
    Column("kind", String(40), nullable=False),  # what it is: 'sign-in', 'verify-address', ...
    Column("state", String(10), nullable=False, index=True),  # queued, sending, sent, failed, held
    Column("created_at", UTCDateTime(), nullable=False),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("claimed_at", UTCDateTime()),
    Column("sent_at", UTCDateTime()),
    Column("last_error", Text),
)

# Addresses mail is no longer sent to: a permanent (5xx) refusal, until an organizer or
# the person clears it.
mail_suppressions = Table(
    "mail_suppressions",
    metadata,
    Column("address_key", String(320), primary_key=True),
    Column("address", String(320), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
)

# Installation-wide secrets made on first use (the key that signs CSRF tokens), so that
# every worker and machine on one database agrees without configuration.
site_secrets = Table(
    "site_secrets",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", String(128), nullable=False),
)

# -- Attendees (migration 0007) -----------------------------------------------------------
# Registration, track requests, the updates list, announcements and "My PTG". People are
# installation-wide; what they do for one event is keyed by the event as well.

# Per event: the capacity (NULL: no limit), the code of conduct's version (raised when the
# organizers change it, so that registrants accept it again), when track requests close.
registration_settings = Table(
    "registration_settings",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("capacity", Integer),
    Column("coc_version", Integer, nullable=False, server_default="1"),
    Column("coc_changed_at", UTCDateTime()),
    Column("track_requests_close_at", UTCDateTime()),
)

# One per person and event. ``state``: registered, waiting (beyond capacity; promoted in
# ``queued_at`` order) or cancelled. ``teams``: the keys of the teams of interest.
registrations = Table(
    "registrations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(20), nullable=False),  # developer, operator, end-user, ...
    Column("teams", JSON, nullable=False),
    Column("onboarding", Boolean, nullable=False, server_default=false()),
    Column("time_zone", String(64), nullable=False),  # an IANA name
    Column("first_time", Boolean, nullable=False, server_default=false()),
    Column("coc_version", Integer, nullable=False),  # the version accepted
    Column("coc_accepted_at", UTCDateTime(), nullable=False),
    Column("state", String(12), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("queued_at", UTCDateTime(), nullable=False),
    UniqueConstraint("event_id", "person_id", name="uq_registrations_event_id"),
)

# "My team is not on the list". ``state``: submitted, changes-requested, approved, declined
# or withdrawn; ``message``: the organizers' last word (the changes asked, the reason);
# ``history``: each step as {"at", "state", "by", "message"}; ``team_key`` once approved.
track_requests = Table(
    "track_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("team_name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),  # project, sig, working-group, pop-up
    Column("contacts", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("hours", Integer, nullable=False),
    Column("onboarding", Boolean, nullable=False, server_default=false()),
    Column("preferred_days", JSON, nullable=False),  # ISO dates
    Column("state", String(20), nullable=False),
    Column("message", Text, nullable=False, server_default=""),
    Column("team_key", String(40)),
    Column("history", JSON, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# The public "keep me updated" list, double opt-in. ``state``: pending (the confirmation
# mail is out), confirmed (mail goes to it) or unsubscribed.
updates_subscribers = Table(
    "updates_subscribers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("address_key", String(320), nullable=False),  # store.accounts.address_key
    Column("address", String(320), nullable=False),
    Column("state", String(12), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("confirmed_at", UTCDateTime()),
    Column("unsubscribed_at", UTCDateTime()),
    UniqueConstraint("event_id", "address_key", name="uq_updates_subscribers_event_id"),
)

# An organizer's announcement: a draft until sent, then archived on the event site.
# ``audience``: updates-list, registrants, role (``audience_value``: the role), chairs,
# followers (``audience_value``: the team key).
announcements = Table(
    "announcements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), index=True),  # the author
    Column("subject", Text, nullable=False),
    Column("body_markdown", Text, nullable=False),
    Column("audience", String(40), nullable=False),
    Column("audience_value", String(200), nullable=False, server_default=""),
    Column("state", String(10), nullable=False),  # draft or sent
    Column("created_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime()),
    Column("recipients", Integer, nullable=False, server_default="0"),
)

# What a signed-in person follows: ``kind`` 'team' (``value``: the team key) or 'pattern'
# (``value``: an RE2 pattern, as the chat ``subscribe`` takes).
follows = Table(
    "follows",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(10), primary_key=True),
    Column("value", String(400), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

# A person's choices: the time zone pages are shown in (NULL: the event's, or the
# browser's), and how they are told when what they follow goes now or next.
person_settings = Table(
    "person_settings",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("time_zone", String(64)),
    Column("notify_chat", Boolean, nullable=False, server_default=false()),
    Column("notify_email", Boolean, nullable=False, server_default=false()),
    Column("notify_browser", Boolean, nullable=False, server_default=false()),
)

# A personal calendar feed's secret URL; only a SHA-256 digest of its secret is kept.
calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
)

# Email notices gathered for one mail: a burst of edits within a minute becomes one mail,
# sent when ``due_at`` comes (one pending row per person and event).
pending_notices = Table(
    "pending_notices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("lines", JSON, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("due_at", UTCDateTime(), nullable=False, index=True),
    UniqueConstraint("person_id", "event_id", name="uq_pending_notices_person_id"),
)

# Who runs each thing that must run once however many processes run (``store.leases``):
# the mail sender ("mail"), each bot ("irc:<server>/<channel>", "matrix:<room>").
leases = Table(
    "leases",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("holder", String(200), nullable=False),  # host:pid:random of the process
    Column("acquired_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)
