"""The mail outbox: every mail ptghub sends is first a row here, written in the same
transaction as whatever asked for it when there is one, then delivered by the sender worker
(``ptghub.mail``, through ``store.mail_delivery``).

Each row has its own Message-ID, made when it is queued, so that every attempt to deliver
it is the same message to the receiving side.

A row's life (docs/mail.md): ``queued`` -> ``sending`` (claimed by one worker) -> ``sent``;
back to ``queued`` with a later ``next_attempt_at`` after a temporary failure; ``failed``
after a permanent refusal or too many attempts. An address that refused mail permanently
is paused (a row of ``mail_suppressions``): what is queued for it afterwards is ``held``,
with the reason, until ``unpause``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Text,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)

from ptghub.core.errors import InvalidInput
from ptghub.store import tables as t
from ptghub.store.accounts import address_key, check_address
from ptghub.store.engine import writing

QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
HELD = "held"
STATES = (QUEUED, SENDING, SENT, FAILED, HELD)

# Headers the sender writes from the row itself; an extra header may not replace them.
OWN_HEADERS = frozenset(
    {"from", "to", "cc", "bcc", "subject", "date", "message-id", "sender", "reply-to"}
    | {"mime-version", "content-type", "content-transfer-encoding"}
)
HEADER_NAME = re.compile(r"[!-9;-~]{1,76}")  # RFC 5322 field name: printable, no colon


def new_message_id(domain: str) -> str:
    return f"<{secrets.token_hex(16)}@{domain}>"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One queued mail, as stored."""

    id: int
    message_id: str
    to_address: str
    subject: str
    body_text: str
    body_html: str | None
    headers: Mapping[str, str]
    kind: str
    state: str
    created_at: datetime
    next_attempt_at: datetime
    attempts: int
    claimed_at: datetime | None
    sent_at: datetime | None
    last_error: str | None

    @classmethod
    def from_row(cls, row: Any) -> OutboxEntry:
        values = dict(row._mapping)
        values["headers"] = dict(values["headers"] or {})
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Suppression:
    """A paused address: why, and since when."""

    address: str
    reason: str
    at: datetime


def check_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """Extra headers as given, refused when one could break the message: a name that is
    not a header name or is one the sender writes itself, a value with a line break (which
    would start a header of its own)."""
    checked: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not HEADER_NAME.fullmatch(name):
            raise InvalidInput(
                f"'{name[:40]}' is not a mail header name; use printable ASCII without "
                "spaces or ':', such as List-Unsubscribe."
            )
        if name.lower() in OWN_HEADERS:
            raise InvalidInput(f"The header {name} is written by the sender; leave it out.")
        if "\r" in value or "\n" in value:
            raise InvalidInput(f"The header {name} has a line break; give it on one line.")
        checked[name] = value
    return checked


class Outbox:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        # The right-hand side of every Message-ID; the CLI sets the site's (Settings.mail_domain).
        self.domain = "ptghub.invalid"
        # Called after a mail is queued outside a caller's transaction: a sender worker of
        # this process wakes up at once instead of at its next look.
        self.listeners: list[Callable[[], None]] = []

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
        written in that transaction (it is sent only if the transaction commits).

        Mail to a paused address is stored ``held`` with the pause's reason, never sent."""
        address = check_address(to)
        paused = t.mail_suppressions.c.address_key == address_key(address)
        row = {
            "message_id": new_message_id(self.domain),
            "to_address": address,
            # A line break in a subject would end the header; no subject needs one.
            "subject": " ".join(subject.split()),
            "body_text": text,
            "body_html": html,
            "headers": check_headers(headers),
            "kind": kind,
            # Decided in the INSERT itself: one statement, so no pause slips in between.
            "state": case((exists().where(paused), HELD), else_=QUEUED),
            "last_error": select(literal("paused: ", Text) + t.mail_suppressions.c.reason)
            .where(paused)
            .scalar_subquery(),
            "created_at": (now := self.clock()),
            "next_attempt_at": now,
            "attempts": 0,
        }
        if conn is not None:
            conn.execute(insert(t.outbox).values(row))
        else:
            with writing(self.engine) as own:
                own.execute(insert(t.outbox).values(row))
            for listener in list(self.listeners):
                listener()
        return str(row["message_id"])

    # -- what the organizers see -------------------------------------------------------

    def entries(self, states: Sequence[str] = (), *, limit: int = 50) -> list[OutboxEntry]:
        """The newest ``limit`` mails (only those in ``states`` when given), newest first."""
        unknown = sorted(set(states) - set(STATES))
        if unknown:
            raise InvalidInput(
                f"'{unknown[0]}' is not a state of the outbox; use one of {', '.join(STATES)}."
            )
        query = select(t.outbox).order_by(t.outbox.c.id.desc()).limit(limit)
        if states:
            query = query.where(t.outbox.c.state.in_(states))
        with self.engine.connect() as conn:
            return [OutboxEntry.from_row(row) for row in conn.execute(query)]

    def entry(self, message_id: str) -> OutboxEntry | None:
        query = select(t.outbox).where(t.outbox.c.message_id == message_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else OutboxEntry.from_row(row)

    def counts(self) -> dict[str, int]:
        """How many mails are in each state (states with none left out)."""
        query = select(t.outbox.c.state, func.count()).group_by(t.outbox.c.state)
        with self.engine.connect() as conn:
            return {str(state): int(count) for state, count in conn.execute(query)}

    def suppressions(self) -> list[Suppression]:
        """The paused addresses, most recently paused first."""
        s = t.mail_suppressions.c
        query = select(s.address, s.reason, s.at).order_by(s.at.desc(), s.address)
        with self.engine.connect() as conn:
            return [Suppression(*row) for row in conn.execute(query)]

    def unpause(self, address: str, *, send_held: bool = False) -> int:
        """Send mail to ``address`` again; with ``send_held``, the mail held for it while
        it was paused is queued again (else it stays held, unsent). Returns how many held
        mails were queued again. Refused when the address is not paused."""
        key = address_key(address)
        with writing(self.engine) as conn:
            gone = conn.execute(
                delete(t.mail_suppressions).where(t.mail_suppressions.c.address_key == key)
            )
            if gone.rowcount == 0:
                raise InvalidInput(
                    f"'{address.strip()[:80]}' is not paused; 'ptghub mail paused' lists "
                    "the paused addresses."
                )
            if not send_held:
                return 0
            released = conn.execute(
                update(t.outbox)
                .where(t.outbox.c.state == HELD, func.lower(t.outbox.c.to_address) == key)
                .values(state=QUEUED, next_attempt_at=self.clock(), last_error=None)
            )
        for listener in list(self.listeners):
            listener()
        return int(released.rowcount)
