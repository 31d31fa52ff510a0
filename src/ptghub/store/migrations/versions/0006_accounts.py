"""accounts: email addresses, web sessions, magic links, OpenID Connect identities, chat
link codes, the mail outbox and suppressions, site secrets; people.web_nick, audit.person_id

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def _person() -> sa.Column[int]:
    return sa.Column(
        "person_id",
        sa.Integer(),
        sa.ForeignKey("people.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("web_nick", sa.String(length=64), nullable=True))
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
    op.create_table(
        "emails",
        sa.Column("address_key", sa.String(length=320), primary_key=True),
        sa.Column("address", sa.String(length=320), nullable=False),
        _person(),
        sa.Column("verified_at", _WHEN, nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(length=64), nullable=False, unique=True),
        _person(),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("last_seen_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.Column("revoked_at", _WHEN, nullable=True),
    )
    op.create_table(
        "sign_in_links",
        sa.Column("digest", sa.String(length=64), primary_key=True),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("browser_digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.Column("used_at", _WHEN, nullable=True),
        sa.Column("purpose", sa.String(length=20), nullable=False, server_default="sign-in"),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=True,
        ),
    )
    op.create_table(
        "oidc_identities",
        sa.Column("issuer", sa.String(length=255), primary_key=True),
        sa.Column("subject", sa.String(length=255), primary_key=True),
        _person(),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    op.create_table(
        "link_codes",
        sa.Column("digest", sa.String(length=64), primary_key=True),
        _person(),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.Column("used_at", _WHEN, nullable=True),
        sa.Column("used_by", sa.String(length=64), nullable=True),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.String(length=255), nullable=False, unique=True),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False, index=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("next_attempt_at", _WHEN, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("claimed_at", _WHEN, nullable=True),
        sa.Column("sent_at", _WHEN, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_table(
        "mail_suppressions",
        sa.Column("address_key", sa.String(length=320), primary_key=True),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
    )
    op.create_table(
        "site_secrets",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("value", sa.String(length=128), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "site_secrets",
        "mail_suppressions",
        "outbox",
        "link_codes",
        "oidc_identities",
        "sign_in_links",
        "web_sessions",
        "emails",
    ):
        op.drop_table(table)
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("person_id")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("web_nick")
