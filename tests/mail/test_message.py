"""An outbox row as the MIME message sent for it (as received: tests/mail/test_sender.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from ptghub.mail.message import build_message
from ptghub.store.outbox import OutboxEntry

QUEUED_AT = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)


def _entry(html: str | None = None) -> OutboxEntry:
    return OutboxEntry(
        id=7,
        message_id="<abc123@ptg.example.org>",
        to_address="ada@example.org",
        subject="Your sign-in link",
        body_text="Open https://ptg.example.org/sign-in/xyz within 15 minutes.",
        body_html=html,
        headers={"Auto-Submitted": "auto-generated"},
        kind="sign-in",
        state="sending",
        created_at=QUEUED_AT,
        next_attempt_at=QUEUED_AT,
        attempts=1,
        claimed_at=QUEUED_AT,
        sent_at=None,
        last_error=None,
    )


def test_the_headers_come_from_the_row_and_the_sender() -> None:
    message = build_message(_entry(), "OpenInfra PTG <ptg@example.org>")
    assert [(name, str(value)) for name, value in message.items()] == [
        ("From", "OpenInfra PTG <ptg@example.org>"),
        ("To", "ada@example.org"),
        ("Subject", "Your sign-in link"),
        ("Date", "Mon, 04 Apr 2022 13:30:00 +0000"),  # when it was queued: every attempt alike
        ("Message-ID", "<abc123@ptg.example.org>"),
        ("Auto-Submitted", "auto-generated"),
        ("Content-Type", 'text/plain; charset="utf-8"'),
        ("Content-Transfer-Encoding", "7bit"),
        ("MIME-Version", "1.0"),
    ]
    assert message.get_content() == "Open https://ptg.example.org/sign-in/xyz within 15 minutes.\n"


def test_html_is_an_alternative_to_the_text() -> None:
    message = build_message(_entry("<p>Open <a href='x'>the link</a></p>"), "ptg@example.org")
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]


def test_every_attempt_sends_the_same_message() -> None:
    one, two = (build_message(_entry("<p>x</p>"), "ptg@example.org") for _ in range(2))
    assert one.as_bytes() == two.as_bytes()  # the MIME boundary too: not a random one
