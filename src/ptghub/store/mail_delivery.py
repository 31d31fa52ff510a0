"""The sender's side of the outbox: take a due mail, record how its delivery went.

A worker ``claim``s one due row at a time: a single ``UPDATE ... RETURNING`` that sets it
``sending``, stamps ``claimed_at`` and counts the attempt. On PostgreSQL the row is picked
by a sub-select ``FOR UPDATE SKIP LOCKED``, so two workers (``ptghub serve`` and ``ptghub
mail worker``, or two machines) never take the same row and never wait for each other;
SQLite has one writer, so the UPDATE alone is atomic there.

The attempt number is the claim's token: ``sent``, ``retry``, ``failed`` and ``refused``
change the row only while it is still ``sending`` under that attempt, so a worker whose
claim went stale (and was taken over) cannot overwrite the newer attempt's outcome.

A ``sending`` row whose claim is older than ``lease`` belongs to a worker that died during
the SMTP transaction; it is claimed again and resent with the same Message-ID. Why that
is the right choice is in docs/mail.md ("Sent once").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ptghub.store import tables as t
from ptghub.store.accounts import address_key
from ptghub.store.engine import writing
from ptghub.store.outbox import FAILED, HELD, QUEUED, SENDING, SENT, OutboxEntry

FIRST_RETRY = timedelta(minutes=1)  # after the first failed attempt; doubling each time
LONGEST_RETRY = timedelta(hours=6)
# 1, 2, 4 ... 256 minutes, then 6 h twice: the 12th attempt comes about 20 h after the
# first. A mail still refused after a day is not coming through by itself.
MAX_ATTEMPTS = 12
# Far longer than one SMTP transaction can last with the sender's timeouts.
LEASE = timedelta(minutes=10)

o = t.outbox.c


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1 min, doubling, at most 6 h."""
    doubled: timedelta = FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(doubled, LONGEST_RETRY)


class Delivery:
    """Claims and outcomes of deliveries, on the store's clock."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        *,
        max_attempts: int = MAX_ATTEMPTS,
        lease: timedelta = LEASE,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.max_attempts = max_attempts
        self.lease = lease
        self._postgres = engine.dialect.name == "postgresql"

    def _due(self, now: datetime) -> ColumnElement[bool]:
        return or_(
            and_(o.state == QUEUED, o.next_attempt_at <= now),
            and_(o.state == SENDING, o.claimed_at <= now - self.lease),
        )

    def claim(self) -> OutboxEntry | None:
        """The due mail queued first, now ``sending`` for this worker; None when none is due."""
        now = self.clock()
        pick = select(o.id).where(self._due(now)).order_by(o.next_attempt_at, o.id).limit(1)
        if self._postgres:
            pick = pick.with_for_update(skip_locked=True)
        claim = (
            update(t.outbox)
            .where(o.id == pick.scalar_subquery(), self._due(now))
            .values(state=SENDING, claimed_at=now, attempts=o.attempts + 1)
            .returning(*t.outbox.c)
        )
        with writing(self.engine) as conn:
            row = conn.execute(claim).first()
        return None if row is None else OutboxEntry.from_row(row)

    def next_due(self) -> datetime | None:
        """When the next mail falls due (a stale claim included); None when none waits."""
        query = select(
            select(func.min(o.next_attempt_at)).where(o.state == QUEUED).scalar_subquery(),
            select(func.min(o.claimed_at)).where(o.state == SENDING).scalar_subquery(),
        )
        with self.engine.connect() as conn:
            queued, claimed = conn.execute(query).one()
        moments = [m for m in (queued, claimed and claimed + self.lease) if m is not None]
        return min(moments, default=None)

    def _settle(self, entry: OutboxEntry, **values: object) -> bool:
        """Write the outcome of ``entry``'s attempt; False when its claim was taken over."""
        mine = and_(o.id == entry.id, o.state == SENDING, o.attempts == entry.attempts)
        with writing(self.engine) as conn:
            return conn.execute(update(t.outbox).where(mine).values(**values)).rowcount == 1

    def sent(self, entry: OutboxEntry) -> bool:
        """The server accepted the mail (its 250 after DATA)."""
        return self._settle(entry, state=SENT, sent_at=self.clock(), last_error=None)

    def retry(self, entry: OutboxEntry, error: str) -> str:
        """A temporary failure (4xx, no connection, a timeout): queued again after
        ``backoff``, or ``failed`` once it has had ``max_attempts``. Returns the new state."""
        if entry.attempts >= self.max_attempts:
            given_up = f"{error} (gave up after {entry.attempts} attempts)"
            self._settle(entry, state=FAILED, last_error=given_up)
            return FAILED
        later = self.clock() + backoff(entry.attempts)
        self._settle(entry, state=QUEUED, next_attempt_at=later, last_error=error)
        return QUEUED

    def failed(self, entry: OutboxEntry, error: str) -> None:
        """A permanent failure of this mail only (its content refused, an address SMTP
        cannot carry): not retried, the address stays open."""
        self._settle(entry, state=FAILED, last_error=error)

    def refused(self, entry: OutboxEntry, error: str) -> None:
        """The recipient was refused permanently (5xx to RCPT TO): this mail fails, the
        address is paused, and what else waits for it is held with the same reason."""
        key = address_key(entry.to_address)
        now = self.clock()
        reason = f"{error} (to {entry.message_id})"
        insert = pg_insert if self._postgres else sqlite_insert
        pause = (
            insert(t.mail_suppressions)
            .values(address_key=key, address=entry.to_address, reason=reason, at=now)
            .on_conflict_do_nothing(index_elements=["address_key"])
        )
        mine = and_(o.id == entry.id, o.state == SENDING, o.attempts == entry.attempts)
        others = and_(o.state == QUEUED, func.lower(o.to_address) == key)
        with writing(self.engine) as conn:
            conn.execute(update(t.outbox).where(mine).values(state=FAILED, last_error=error))
            conn.execute(pause)
            conn.execute(update(t.outbox).where(others).values(state=HELD, last_error=reason))
