"""The mail outbox: every mail ptghub sends is first a row here, written in the same
transaction as whatever asked for it when there is one, then delivered by the sender worker.

Each row has its own Message-ID, made when it is queued, so that every attempt to deliver
it is the same message to the receiving side.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import Connection, Engine, insert

from ptghub.store import tables as t
from ptghub.store.accounts import check_address

QUEUED = "queued"


def new_message_id(domain: str) -> str:
    return f"<{secrets.token_hex(16)}@{domain}>"


class Outbox:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        # The right-hand side of every Message-ID; the mail settings may name the site's.
        self.domain = "ptghub.invalid"

    def enqueue(
        self,
        *,
        to: str,
        subject: str,
        text: str,
        kind: str,
        html: str | None = None,
        headers: Mapping[str, str] | None = None,
        conn: Connection | None = None,
    ) -> str:
        """Queue one mail to ``to``; returns its Message-ID. With ``conn``, the row is
        written in that transaction (it is sent only if the transaction commits)."""
        row = {
            "message_id": new_message_id(self.domain),
            "to_address": check_address(to),
            "subject": subject,
            "body_text": text,
            "body_html": html,
            "headers": dict(headers or {}),
            "kind": kind,
            "state": QUEUED,
            "created_at": (now := self.clock()),
            "next_attempt_at": now,
            "attempts": 0,
        }
        if conn is not None:
            conn.execute(insert(t.outbox).values(row))
        else:
            with self.engine.begin() as own:
                own.execute(insert(t.outbox).values(row))
        return str(row["message_id"])
