"""Registrations for an event: registering, editing, cancelling, the waiting list, and the
version of the code of conduct each registrant accepted (``store.attendees.registrations``).

Places: with a capacity (``registration_settings.capacity``), a person beyond it is put on
the waiting list (state ``waiting``, in order of ``queued_at`` then ``id``). Every change
of who holds a place runs in one transaction that first locks the event's settings row
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` locks the whole
database), so two people asking for the last place are served one after the other: one
gets it, the other waits. Cancelling, or raising the capacity, promotes the first waiting
people in the same transaction and queues their mail in the outbox with it: a mail is
sent only for a promotion that was committed.

The code of conduct has a version (``registration_settings.coc_version``, 1 until the
organizers say it changed). A registrant who accepted an older one must accept the
current one before changing their registration (``coc_outdated``); cancelling stays
possible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ptghub.core.errors import Conflict, InvalidInput, NotFound
from ptghub.store import registration_reports as reports
from ptghub.store import tables as t
from ptghub.store.engine import writing
from ptghub.store.outbox import Outbox
from ptghub.store.registration_answers import (
    CANCELLED,
    REGISTERED,
    WAITING,
    Answers,
)

MAX_CAPACITY = 1_000_000
PROMOTED_KIND = "registration-promoted"


@dataclass(frozen=True, slots=True)
class Settings:
    capacity: int | None
    coc_version: int
    coc_changed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Registration:
    id: int
    person_id: int
    answers: Answers
    coc_version: int
    coc_accepted_at: datetime
    state: str
    created_at: datetime
    updated_at: datetime
    queued_at: datetime


@dataclass(frozen=True, slots=True)
class PlaceMail:
    """What the mail telling a promoted person says: the event and where to see it."""

    event_name: str
    page_url: str  # the registration page, on the site's public address


def _registration(row: Any) -> Registration:
    answers = Answers(
        row.role, tuple(row.teams), row.onboarding, row.time_zone, bool(row.first_time)
    )
    return Registration(
        row.id,
        row.person_id,
        answers,
        row.coc_version,
        row.coc_accepted_at,
        row.state,
        row.created_at,
        row.updated_at,
        row.queued_at,
    )


class Registrations:
    def __init__(self, engine: Engine, clock: Callable[[], datetime], outbox: Outbox) -> None:
        self.engine = engine
        self.clock = clock
        self.outbox = outbox

    # -- reading ---------------------------------------------------------------------

    def event_id(self, slug: str) -> int:
        """The id of the event ``slug``; NotFound when there is none."""
        with self.engine.connect() as conn:
            found = conn.execute(select(t.events.c.id).where(t.events.c.slug == slug)).scalar()
        if found is None:
            raise NotFound(f"There is no event '{slug}'.")
        return int(found)

    def settings(self, event_id: int) -> Settings:
        with self.engine.connect() as conn:
            return _settings(conn, event_id)

    def get(self, event_id: int, person_id: int) -> Registration | None:
        """The person's registration for the event (cancelled ones too), if any."""
        with self.engine.connect() as conn:
            row = conn.execute(_mine(event_id, person_id)).first()
        return None if row is None else _registration(row)

    def taken(self, event_id: int) -> int:
        """How many people hold a place (state ``registered``)."""
        with self.engine.connect() as conn:
            return reports.registered_count(conn, event_id)

    def place_in_line(self, event_id: int, person_id: int) -> int | None:
        """1 for the first on the waiting list...; None for someone not waiting."""
        with self.engine.connect() as conn:
            return reports.place_in_line(conn, event_id, person_id)

    def coc_outdated(self, event_id: int, person_id: int) -> bool:
        """Whether the person holds a registration (registered or waiting) whose accepted
        code of conduct is older than the current one: they are asked to accept again."""
        with self.engine.connect() as conn:
            return reports.coc_outdated(conn, event_id, person_id)

    def outdated_addresses(self, event_id: int) -> list[str]:
        """The addresses of registrants (registered or waiting) who accepted an older code
        of conduct than the current one, one per person, sorted: the announcements ask
        them to accept again."""
        with self.engine.connect() as conn:
            return reports.outdated_addresses(conn, event_id)

    def overview(self, event_id: int, first_day: date) -> reports.Overview:
        """Everything the organizers' page shows (bands by offsets on ``first_day``)."""
        with self.engine.connect() as conn:
            return reports.overview(conn, event_id, first_day)

    def team_numbers(self, event_id: int, team: str) -> tuple[int, int]:
        """(registrants who chose the team (its key), those of them wanting onboarding)."""
        with self.engine.connect() as conn:
            return reports.team_numbers(conn, event_id, team)

    # -- changing ----------------------------------------------------------------------

    def register(
        self,
        event_id: int,
        person_id: int,
        answers: Answers,
        *,
        coc_version: int,
    ) -> Registration:
        """Register the person, or change their registration (keeping their place or
        their turn), having accepted ``coc_version`` of the code of conduct (the current
        one, else InvalidInput). A new registration, or one cancelled before, takes a
        place when one is free, else the end of the waiting list.

        Conflict when the person's registration holds an older acceptance: they must
        accept the current code first (``accept_coc``)."""
        with self._locked(event_id) as (conn, settings):
            if coc_version != settings.coc_version:
                raise InvalidInput(
                    f"The code of conduct changed while you filled the form (it is now "
                    f"version {settings.coc_version}): read it again and accept the new "
                    "version. Nothing was stored."
                )
            now = self.clock()
            row = conn.execute(_mine(event_id, person_id)).first()
            values: dict[str, Any] = {
                "role": answers.role,
                "teams": list(answers.teams),
                "onboarding": answers.onboarding,
                "time_zone": answers.time_zone,
                "first_time": answers.first_time,
                "updated_at": now,
            }
            if row is not None and row.state != CANCELLED:
                if row.coc_version < settings.coc_version:
                    raise Conflict(
                        "The code of conduct changed since you accepted it: accept the new "
                        "version first, then change your registration."
                    )
                conn.execute(
                    update(t.registrations).where(t.registrations.c.id == row.id).values(values)
                )
            else:
                taken = reports.registered_count(conn, event_id)
                free = settings.capacity is None or taken < settings.capacity
                values |= {
                    "state": REGISTERED if free else WAITING,
                    "queued_at": now,
                    "coc_version": coc_version,
                    "coc_accepted_at": now,
                }
                if row is None:
                    conn.execute(
                        insert(t.registrations).values(
                            values
                            | {"event_id": event_id, "person_id": person_id, "created_at": now}
                        )
                    )
                else:
                    conn.execute(
                        update(t.registrations).where(t.registrations.c.id == row.id).values(values)
                    )
            found = conn.execute(_mine(event_id, person_id)).one()
        return _registration(found)

    def accept_coc(self, event_id: int, person_id: int, *, version: int) -> Registration:
        """The person accepts ``version`` of the code of conduct (the current one, else
        InvalidInput); NotFound when they hold no registration."""
        with self._locked(event_id) as (conn, settings):
            if version != settings.coc_version:
                raise InvalidInput(
                    f"The code of conduct changed again (it is now version "
                    f"{settings.coc_version}): read it again and accept the new version."
                )
            row = conn.execute(_mine(event_id, person_id)).first()
            if row is None or row.state == CANCELLED:
                raise NotFound("You are not registered for this event: register first.")
            now = self.clock()
            conn.execute(
                update(t.registrations)
                .where(t.registrations.c.id == row.id)
                .values(coc_version=version, coc_accepted_at=now, updated_at=now)
            )
            return _registration(conn.execute(_mine(event_id, person_id)).one())

    def cancel(self, event_id: int, person_id: int, *, mail: PlaceMail) -> list[int]:
        """Cancel the person's registration; the people promoted into the freed place
        (their person ids), each told by mail. NotFound when there is nothing to cancel."""
        with self._locked(event_id) as (conn, settings):
            row = conn.execute(_mine(event_id, person_id)).first()
            if row is None or row.state == CANCELLED:
                raise NotFound("You are not registered for this event: there is nothing to cancel.")
            conn.execute(
                update(t.registrations)
                .where(t.registrations.c.id == row.id)
                .values(state=CANCELLED, updated_at=self.clock())
            )
            return self._promote(conn, event_id, settings.capacity, mail)

    def set_capacity(self, event_id: int, capacity: int | None, *, mail: PlaceMail) -> list[int]:
        """Set (None: remove) the capacity; the people promoted by a larger one."""
        if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
            raise InvalidInput(
                f"A capacity is a number of places from 0 to {MAX_CAPACITY}, or empty for no "
                f"limit; {capacity} is not one."
            )
        with self._locked(event_id) as (conn, _):
            conn.execute(
                update(t.registration_settings)
                .where(t.registration_settings.c.event_id == event_id)
                .values(capacity=capacity)
            )
            return self._promote(conn, event_id, capacity, mail)

    def coc_changed(self, event_id: int) -> int:
        """The organizers changed the code of conduct: its version goes up by one (every
        registrant is asked to accept it again). Returns the new version."""
        with self._locked(event_id) as (conn, settings):
            version = settings.coc_version + 1
            conn.execute(
                update(t.registration_settings)
                .where(t.registration_settings.c.event_id == event_id)
                .values(coc_version=version, coc_changed_at=self.clock())
            )
        return version

    # -- inside a transaction ------------------------------------------------------

    @contextmanager
    def _locked(self, event_id: int) -> Iterator[tuple[Connection, Settings]]:
        """A write transaction holding the event's settings row (made if missing): the
        one lock every change of places takes, so places are counted exactly."""
        with writing(self.engine) as conn:
            if conn.dialect.name == "postgresql":
                make: Any = postgresql.insert(t.registration_settings)
            else:
                make = sqlite.insert(t.registration_settings)
            conn.execute(make.values(event_id=event_id).on_conflict_do_nothing())
            locked = (
                select(t.registration_settings)
                .where(t.registration_settings.c.event_id == event_id)
                .with_for_update()
            )
            row = conn.execute(locked).one()
            yield conn, Settings(row.capacity, row.coc_version, row.coc_changed_at)

    def _promote(
        self, conn: Connection, event_id: int, capacity: int | None, mail: PlaceMail
    ) -> list[int]:
        """Give free places to the first waiting people, in order; queue their mail."""
        regs = t.registrations
        waiting = (
            select(regs.c.id, regs.c.person_id)
            .where(regs.c.event_id == event_id, regs.c.state == WAITING)
            .order_by(regs.c.queued_at, regs.c.id)
        )
        if capacity is not None:
            free = capacity - reports.registered_count(conn, event_id)
            if free <= 0:
                return []
            waiting = waiting.limit(free)
        promoted: list[int] = []
        now = self.clock()
        for row in conn.execute(waiting).all():
            conn.execute(
                update(regs).where(regs.c.id == row.id).values(state=REGISTERED, updated_at=now)
            )
            address = reports.address_of(conn, row.person_id)
            if address is not None:
                self.outbox.enqueue(
                    to=address,
                    subject=f"A place opened for you at {mail.event_name}",
                    text=promoted_mail(mail),
                    kind=PROMOTED_KIND,
                    conn=conn,
                )
            promoted.append(int(row.person_id))
        return promoted


def promoted_mail(mail: PlaceMail) -> str:
    return (
        f"A place opened at {mail.event_name}, and you were first on the waiting list: "
        "you are now registered.\n\n"
        f"Your registration, to change or cancel it:\n\n{mail.page_url}\n\n"
        "If you can no longer come, please cancel, so that the next person gets the place.\n"
    )


def _mine(event_id: int, person_id: int) -> Any:
    regs = t.registrations
    return select(regs).where(regs.c.event_id == event_id, regs.c.person_id == person_id)


def _settings(conn: Connection, event_id: int) -> Settings:
    row = conn.execute(
        select(t.registration_settings).where(t.registration_settings.c.event_id == event_id)
    ).first()
    if row is None:
        return Settings(None, 1, None)
    return Settings(row.capacity, row.coc_version, row.coc_changed_at)
