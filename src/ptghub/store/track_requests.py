"""Track requests of an event (table ``track_requests``) and their closing date
(``registration_settings.track_requests_close_at``).

A request's life: ``submitted`` -> ``approved`` (the team exists; ``team_key`` says which)
| ``changes-requested`` (the organizers' ``message`` says what) -> ``submitted`` again
once the requester edits it | ``declined`` (``message``: the reason) | ``withdrawn`` by
the requester while it is submitted or waiting for changes. Each step is one conditional
``UPDATE ... WHERE state = <the state it leaves>`` in one transaction with its mail (the
outbox row), after the row is locked: of two organizers acting on one request at once,
one wins and the other is told what happened. Approval is the store's one write path
(``Store.change`` with ``commands.track_requests.approve``): the team, its chair and its
needs are one audited change, and the request's step and mail commit with it or not at all.

Who may act is the caller's to check (the web pages: the requester for their own, an
organizer for the queue); approval is checked again by the builder, as every change is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, insert, select, update

from ptghub.commands.track_requests import Proposal, approve
from ptghub.core.codec import decode
from ptghub.core.errors import Conflict, NotFound, PtgError
from ptghub.core.model import Actor, EventInfo
from ptghub.store import tables as t
from ptghub.store import track_request_mail as mails
from ptghub.store.accounts import Accounts
from ptghub.store.engine import writing
from ptghub.store.outbox import Outbox
from ptghub.store.results import Result
from ptghub.store.track_request_rows import (
    APPROVED,
    CHANGES_REQUESTED,
    DECLINED,
    OPEN,
    SUBMITTED,
    WITHDRAWN,
    TrackRequest,
    check_message,
    columns,
    not_editable,
    taken,
)

if TYPE_CHECKING:
    from ptghub.store.store import Store


class TrackRequests:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime], accounts: Accounts, outbox: Outbox
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.accounts = accounts
        self.outbox = outbox

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction (``engine.writing``), then a wake-up for this process's
        mail worker: the mail queued in it is due now."""
        with writing(self.engine) as conn:
            yield conn
        for listener in list(self.outbox.listeners):
            listener()

    # -- the event and its closing date -----------------------------------------------------

    def _event(self, conn: Connection, slug: str) -> tuple[int, EventInfo]:
        row = conn.execute(
            select(t.events.c.id, t.event_info.c.info)
            .join(t.event_info, t.event_info.c.event_id == t.events.c.id)
            .where(t.events.c.slug == slug)
        ).first()
        if row is None:
            raise NotFound(f"There is no event '{slug[:40]}'.")
        return int(row.id), decode(EventInfo, row.info)

    def closes_at(self, slug: str) -> datetime | None:
        """When the event stops taking track requests; None: it does not."""
        with self.engine.connect() as conn:
            event_id, _ = self._event(conn, slug)
            return self._closes_at(conn, event_id)

    @staticmethod
    def _closes_at(conn: Connection, event_id: int) -> datetime | None:
        s = t.registration_settings.c
        found: datetime | None = conn.execute(
            select(s.track_requests_close_at).where(s.event_id == event_id)
        ).scalar()
        return found

    def set_closes_at(self, slug: str, when: datetime | None) -> None:
        """Set (or, with None, remove) the closing date; the other settings stay."""
        s = t.registration_settings.c
        with self._writing() as conn:
            event_id, _ = self._event(conn, slug)
            changed = conn.execute(
                update(t.registration_settings)
                .where(s.event_id == event_id)
                .values(track_requests_close_at=when)
            )
            if changed.rowcount == 0:
                conn.execute(
                    insert(t.registration_settings).values(
                        event_id=event_id, track_requests_close_at=when
                    )
                )

    def is_closed(self, slug: str) -> bool:
        closes = self.closes_at(slug)
        return closes is not None and self.clock() >= closes

    def require_open(self, slug: str) -> None:
        """Refuse (Conflict, with the date) when the event no longer takes requests."""
        with self.engine.connect() as conn:
            self._require_open(conn, self._event(conn, slug)[0])

    def _require_open(self, conn: Connection, event_id: int) -> None:
        closes = self._closes_at(conn, event_id)
        if closes is not None and self.clock() >= closes:
            raise Conflict(
                f"Track requests for this event closed on {closes:%Y-%m-%d %H:%M} UTC; "
                "write to the organizers if your team still needs a track."
            )

    # -- reading ------------------------------------------------------------------------------

    def _select(self, slug: str, *where: Any) -> list[TrackRequest]:
        r = t.track_requests.c
        with self.engine.connect() as conn:
            event_id, _ = self._event(conn, slug)
            rows = conn.execute(
                select(t.track_requests).where(r.event_id == event_id, *where).order_by(r.id)
            )
            return [TrackRequest.from_row(row) for row in rows]

    def of_person(self, slug: str, person_id: int) -> list[TrackRequest]:
        return self._select(slug, t.track_requests.c.person_id == person_id)

    def queue(self, slug: str) -> list[TrackRequest]:
        """Every request of the event, oldest first."""
        return self._select(slug)

    def get(self, slug: str, number: int) -> TrackRequest:
        found = self._select(slug, t.track_requests.c.id == number)
        if not found:
            raise NotFound(f"There is no track request #{number} for this event.")
        return found[0]

    def _locked(self, conn: Connection, event_id: int, number: int) -> TrackRequest:
        r = t.track_requests.c
        row = conn.execute(
            select(t.track_requests).where(r.id == number, r.event_id == event_id).with_for_update()
        ).first()
        if row is None:
            raise NotFound(f"There is no track request #{number} for this event.")
        return TrackRequest.from_row(row)

    # -- the requester's steps ------------------------------------------------------------------

    def submit(self, slug: str, person_id: int, proposal: Proposal, *, site: str) -> TrackRequest:
        """A new request by ``person_id``; refused after the closing date, or when an open
        request already asks for the same team."""
        with self._writing() as conn:
            event_id, info = self._event(conn, slug)
            self._require_open(conn, event_id)
            self._no_twin(conn, event_id, proposal, None)
            now = self.clock()
            step = self._step(conn, person_id, SUBMITTED, "")
            number = conn.execute(
                insert(t.track_requests)
                .values(
                    event_id=event_id,
                    person_id=person_id,
                    state=SUBMITTED,
                    message="",
                    history=[step],
                    created_at=now,
                    updated_at=now,
                    **columns(proposal),
                )
                .returning(t.track_requests.c.id)
            ).scalar_one()
            mail = mails.received(site, slug, info.name, proposal.team_name, number, False)
            self._mail(conn, person_id, mail)
        return self.get(slug, number)

    def resubmit(
        self, slug: str, number: int, person_id: int, proposal: Proposal, *, site: str
    ) -> TrackRequest:
        """The requester's edited request, after the organizers asked for changes."""
        with self._writing() as conn:
            event_id, info = self._event(conn, slug)
            found = self._own(conn, event_id, number, person_id)
            if found.state != CHANGES_REQUESTED:
                raise Conflict(not_editable(found))
            self._require_open(conn, event_id)
            self._no_twin(conn, event_id, proposal, number)
            self._move(conn, found, person_id, SUBMITTED, "", **columns(proposal))
            mail = mails.received(site, slug, info.name, proposal.team_name, number, True)
            self._mail(conn, person_id, mail)
        return self.get(slug, number)

    def withdraw(self, slug: str, number: int, person_id: int) -> TrackRequest:
        with self._writing() as conn:
            event_id, _ = self._event(conn, slug)
            found = self._own(conn, event_id, number, person_id)
            if found.state not in OPEN:
                raise Conflict(
                    f"Track request #{number} is {found.label}: only a request still waiting "
                    "can be withdrawn."
                )
            self._move(conn, found, person_id, WITHDRAWN, "")
        return self.get(slug, number)

    def _own(self, conn: Connection, event_id: int, number: int, person_id: int) -> TrackRequest:
        found = self._locked(conn, event_id, number)
        if found.person_id != person_id:
            # Whether someone else's request exists is theirs to know: the same answer.
            raise NotFound(f"You have no track request #{number} for this event.")
        return found

    def _no_twin(
        self, conn: Connection, event_id: int, proposal: Proposal, number: int | None
    ) -> None:
        r = t.track_requests.c
        rows = conn.execute(
            select(r.id, r.team_name).where(r.event_id == event_id, r.state.in_(OPEN))
        ).all()
        for row in rows:
            if row.id != number and row.team_name.casefold() == proposal.team_name.casefold():
                raise Conflict(
                    f"A track request for '{row.team_name}' is already waiting (#{row.id}); "
                    "ask its requester, or choose another name."
                )

    # -- the organizers' steps ------------------------------------------------------------------

    def ask_changes(self, slug: str, number: int, by: Actor, message: str, *, site: str) -> None:
        text = check_message(message, "message saying which changes")
        self._decide(slug, number, by, CHANGES_REQUESTED, text, site)

    def decline(self, slug: str, number: int, by: Actor, reason: str, *, site: str) -> None:
        text = check_message(reason, "reason for declining")
        self._decide(slug, number, by, DECLINED, text, site)

    def _decide(self, slug: str, number: int, by: Actor, state: str, text: str, site: str) -> None:
        with self._writing() as conn:
            event_id, info = self._event(conn, slug)
            found = self._waiting(conn, event_id, number)
            self._move(conn, found, None, state, text, by=by.nick)
            name, who = found.proposal.team_name, found.person_id
            if state == DECLINED:
                mail = mails.declined(site, slug, info.name, name, number, text)
            else:
                mail = mails.changes_asked(site, slug, info.name, name, number, text)
            self._mail(conn, who, mail)

    def approve(self, store: Store, slug: str, number: int, by: Actor, *, site: str) -> Result:
        """Create the team (one audited change: team, chair, needs) and mark the request
        approved, with its mail, in the same transaction."""
        found = self.get(slug, number)
        chair = self.accounts.account(found.person_id).web_nick
        build = approve(found.proposal, chair)

        def then(conn: Connection, event_id: int, audit_id: int) -> None:
            info = self._event(conn, slug)[1]
            current = self._waiting(conn, event_id, number)
            if current.proposal != found.proposal:  # sent back and edited since it was read
                raise Conflict(
                    f"Track request #{number} was edited by its requester meanwhile; nothing "
                    "changed. Reload the queue to see it."
                )
            key = current.proposal.slug
            self._move(conn, current, None, APPROVED, "", by=by.nick, team_key=key)
            mail = mails.approved(site, slug, info.name, current.proposal.team_name, number, key)
            self._mail(conn, current.person_id, mail)

        text = f"track request {number} approve {found.proposal.slug} chair {chair}"
        try:
            result = store.change(build, by, text, event=slug, then=then)
        except PtgError:
            # Another organizer may have acted first (their team now exists): say that.
            self._still_waiting(slug, number)
            raise
        for listener in list(self.outbox.listeners):
            listener()
        return result

    def _still_waiting(self, slug: str, number: int) -> None:
        now = self.get(slug, number)
        if now.state != SUBMITTED:
            raise Conflict(taken(now))

    def _waiting(self, conn: Connection, event_id: int, number: int) -> TrackRequest:
        found = self._locked(conn, event_id, number)
        if found.state != SUBMITTED:
            raise Conflict(taken(found))
        return found

    # -- one step ------------------------------------------------------------------------------

    def _step(
        self, conn: Connection, person_id: int | None, state: str, text: str
    ) -> dict[str, Any]:
        by = "" if person_id is None else self._nick(conn, person_id)
        return {"at": self.clock().isoformat(), "state": state, "by": by, "message": text}

    @staticmethod
    def _nick(conn: Connection, person_id: int) -> str:
        nick = conn.execute(select(t.people.c.web_nick).where(t.people.c.id == person_id))
        return str(nick.scalar() or "")

    def _move(
        self,
        conn: Connection,
        found: TrackRequest,
        person_id: int | None,
        state: str,
        text: str,
        *,
        by: str = "",
        **values: Any,
    ) -> None:
        step = self._step(conn, person_id, state, text)
        if by:
            step["by"] = by
        r = t.track_requests.c
        moved = conn.execute(
            update(t.track_requests)
            .where(r.id == found.id, r.state == found.state)
            .values(
                state=state,
                message=text,
                history=[*found.history, step],
                updated_at=self.clock(),
                **values,
            )
        )
        if moved.rowcount != 1:  # the row is locked: only a writer bypassing it gets here
            raise Conflict(f"Track request #{found.id} changed meanwhile; reload and try again.")

    def _mail(self, conn: Connection, person_id: int, mail: mails.Mail) -> None:
        addresses = conn.execute(
            select(t.emails.c.address)
            .where(t.emails.c.person_id == person_id)
            .order_by(t.emails.c.verified_at, t.emails.c.address_key)
        ).scalars()
        address = next(iter(addresses), None)
        if address is not None:  # a person signed in by OpenID Connect alone has none
            self.outbox.enqueue(
                to=address, subject=mail.subject, text=mail.text, kind=mail.kind, conn=conn
            )
