"""An outbox row as the MIME message that is sent: the same bytes on every attempt."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.utils import format_datetime

from ptghub.store.outbox import OutboxEntry


def build_message(entry: OutboxEntry, sender: str) -> EmailMessage:
    """From ``sender``; To, Subject, Date (when it was queued) and Message-ID from the row;
    the row's extra headers; the text, with the HTML as an alternative when there is one."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = entry.to_address
    message["Subject"] = entry.subject
    message["Date"] = format_datetime(entry.created_at)
    message["Message-ID"] = entry.message_id
    for name, value in entry.headers.items():
        message[name] = value
    message.set_content(entry.body_text)
    if entry.body_html is not None:
        message.add_alternative(entry.body_html, subtype="html")
        # Named after the Message-ID rather than random: every attempt is the same bytes.
        digest = hashlib.sha256(entry.message_id.encode()).hexdigest()[:32]
        message.set_boundary(f"=_ptghub_{digest}")
    return message
