"""Notices to the people who follow a team or a topic pattern ("My PTG").

The follows (``follows``) and each person's channels (``person_settings``) are written by
the My PTG pages; this module only reads them. ``followers(event, state, events)`` reads,
once per batch of changes, the follows those changes concern, with the channels each
person chose and, for chat, their linked chat nicks; ``Followers.owed`` says, for one
audited change, who is owed which lines (never its own author). The channels use it
after the commit, off the request: the bots (``bot.announce``) for chat, the web
server's personal streams (``live.personal``) for the browser, and the mail worker for
email, through here:

- ``gather`` adds the lines of one change to the person's pending row for the event
  (``pending_notices``): made on the first change with ``due_at`` one minute later,
  later changes add their lines, each line once (two workers gathering the same change
  add it once);
- ``send_due`` turns each due row into one mail in the outbox: the row is taken by a
  conditional ``DELETE ... RETURNING`` (on PostgreSQL picked ``FOR UPDATE SKIP
  LOCKED``) in the same transaction as the mail's INSERT, so one row makes one mail
  whatever the number of workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ptghub.commands.follow_matching import (
    PATTERN,
    TEAM,
    Follow,
    FollowIndex,
    changed_lines,
    followers_lines,
    patterns_matching,
)
from ptghub.commands.notices import TopicLine
from ptghub.core.errors import NotFound
from ptghub.core.events import DomainEvent
from ptghub.core.model import EventState, nick_key
from ptghub.store import tables as t
from ptghub.store.engine import writing
from ptghub.store.notice_mail import KIND, notice_mail
from ptghub.store.outbox import Outbox

DEBOUNCE = timedelta(minutes=1)  # a burst of changes within it becomes one mail
_SEND_BATCH = 100  # rows turned into mails by one call of send_due at most

pn = t.pending_notices.c
_CHANNELS = (
    t.person_settings.c.notify_chat,
    t.person_settings.c.notify_email,
    t.person_settings.c.notify_browser,
)


@dataclass(frozen=True, slots=True)
class Recipient:
    """A follower and the channels they chose; ``nicks``: their linked chat identities."""

    person_id: int
    chat: bool
    email: bool
    browser: bool
    nicks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Followers:
    """The follows a batch of changes concerns, matched through ``index``, and the people
    behind them with their channels."""

    event_id: int
    index: FollowIndex
    people: dict[int, Recipient]

    def owed(
        self, state: EventState, events: Sequence[DomainEvent], *, author: int | None = None
    ) -> dict[Recipient, list[TopicLine]]:
        """Who is owed which lines for ``events`` committed on ``state``, but ``author``
        (the person who made the change, who knows)."""
        if not self.people:
            return {}
        return {
            self.people[person]: lines
            for person, lines in followers_lines(state, events, self.index).items()
            if person != author and person in self.people
        }


def notice_line(state: EventState, line: TopicLine, audit_id: int) -> dict[str, Any]:
    """One line of a pending mail, with what the mail shows of it (kept as JSON)."""
    assert state.info is not None
    team = state.teams.get(line.team)
    return {
        "audit": audit_id,
        "event": state.info.slug,
        "event_name": state.info.name,
        "team": line.slug,
        "name": team.name if team is not None else line.slug,
        "when": line.when,
        "topic": line.topic,
        "video": _video(state, line.team),
        "etherpad": state.etherpad_url(team) if team is not None else None,
    }


def _video(state: EventState, team_key: str) -> str | None:
    """The team's video: its own, else that of the room it has a cell in (the first)."""
    team = state.teams.get(team_key)
    if team is None:
        return None
    cells = state.team_cells(team_key)
    room = state.rooms.get(cells[0][0]) if cells else None
    return state.video_url(team, room)


class FollowNotices:
    def __init__(self, engine: Engine, clock: Callable[[], datetime], outbox: Outbox) -> None:
        self.engine = engine
        self.clock = clock
        self.outbox = outbox
        self._postgres = engine.dialect.name == "postgresql"

    # -- who follows --------------------------------------------------------------------

    def followers(
        self,
        event: str | None,
        state: EventState,
        events: Iterable[DomainEvent],
        *,
        with_nicks: bool = False,
    ) -> Followers:
        """The followers of what ``events`` (committed on ``state``, the state after them)
        say in ``event`` (None: the current event), among the people who chose at least
        one channel: the event's patterns are matched first, then only the follows of
        the changed teams and of the matching patterns are kept. ``with_nicks``: read the
        chat nicks of those who chose chat (the bots need them). NotFound for an unknown
        event."""
        lines = changed_lines(state, events)
        f, s = t.follows.c, t.person_settings.c
        with self.engine.connect() as conn:
            event_id = _event_id(conn, event)
            if not lines:
                return Followers(event_id, FollowIndex((), {}), {})
            # One read: every pattern follow (matched below, in one pass), and the follows
            # of the changed teams; of the people who chose a channel.
            concerned = or_(
                f.kind == PATTERN, and_(f.kind == TEAM, f.value.in_({ln.team for ln in lines}))
            )
            found = conn.execute(
                select(f.person_id, f.kind, f.value, *_CHANNELS)
                .join(t.person_settings, s.person_id == f.person_id)
                .where(f.event_id == event_id, concerned, or_(*_CHANNELS))
            ).all()
            patterns = {r.value for r in found if r.kind == PATTERN}
            matched = patterns_matching(patterns, {line.text for line in lines})
            wanted = {p for hits in matched.values() for p in hits}
            rows = [r for r in found if r.kind == TEAM or r.value in wanted]
            chatty = sorted({r.person_id for r in rows if r.notify_chat})
            nicks = _chat_nicks(conn, chatty) if chatty and with_nicks else {}
        people = {
            r.person_id: Recipient(
                r.person_id,
                bool(r.notify_chat),
                bool(r.notify_email),
                bool(r.notify_browser),
                nicks.get(r.person_id, ()),
            )
            for r in rows
        }
        index = FollowIndex((Follow(r.person_id, r.kind, r.value) for r in rows), matched)
        return Followers(event_id, index, people)

    def followed_events(self, person_id: int) -> list[str]:
        """The slugs of the events the person follows anything in."""
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(t.events.c.slug)
                    .join(t.follows, t.follows.c.event_id == t.events.c.id)
                    .where(t.follows.c.person_id == person_id)
                    .distinct()
                    .order_by(t.events.c.slug)
                ).scalars()
            )

    # -- email: gathered, then sent once due ------------------------------------------------

    def gather(self, event_id: int, person_id: int, lines: Sequence[dict[str, Any]]) -> None:
        """Add ``lines`` to the person's pending mail for the event, making it (due one
        ``DEBOUNCE`` from now) when there is none; a line already there is not added."""
        where = (pn.person_id == person_id, pn.event_id == event_id)
        for _ in range(5):
            with writing(self.engine) as conn:
                pick = select(pn.id, pn.lines).where(*where)
                if self._postgres:
                    pick = pick.with_for_update()
                row = conn.execute(pick).first()
                if row is not None:
                    have = list(row.lines)
                    new = [line for line in lines if line not in have]
                    if not new:
                        return
                    changed = conn.execute(
                        update(t.pending_notices).where(pn.id == row.id).values(lines=have + new)
                    )
                    if changed.rowcount == 1:
                        return
                    continue  # sent meanwhile: a new row
                now = self.clock()
                try:
                    with conn.begin_nested():
                        conn.execute(
                            insert(t.pending_notices).values(
                                person_id=person_id,
                                event_id=event_id,
                                lines=list(lines),
                                created_at=now,
                                due_at=now + DEBOUNCE,
                            )
                        )
                    return
                except IntegrityError:
                    continue  # another worker made it first: add to theirs
        raise RuntimeError("could not gather a notice after 5 tries")

    def pending(self, person_id: int) -> list[list[dict[str, Any]]]:
        """The lines waiting in the person's pending mails (one list per event)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(pn.lines).where(pn.person_id == person_id).order_by(pn.id)
            ).all()
        return [list(r.lines) for r in rows]

    def next_due(self) -> datetime | None:
        with self.engine.connect() as conn:
            due: datetime | None = conn.execute(select(func.min(pn.due_at))).scalar()
        return due

    def send_due(self, site: str) -> int:
        """Queue one mail for each pending row that is due (links under ``site``, the
        site's address); the number queued."""
        sent = 0
        while sent < _SEND_BATCH and self._send_one(site):
            sent += 1
        if sent:
            for listener in list(self.outbox.listeners):
                listener()
        return sent

    def _send_one(self, site: str) -> bool:
        now = self.clock()
        pick = select(pn.id).where(pn.due_at <= now).order_by(pn.due_at, pn.id).limit(1)
        if self._postgres:
            pick = pick.with_for_update(skip_locked=True)
        take = (
            delete(t.pending_notices)
            .where(pn.id == pick.scalar_subquery(), pn.due_at <= now)
            .returning(pn.person_id, pn.lines)
        )
        with writing(self.engine) as conn:
            row = conn.execute(take).first()
            if row is None:
                return False
            address = conn.execute(
                select(t.emails.c.address)
                .where(t.emails.c.person_id == row.person_id)
                .order_by(t.emails.c.verified_at, t.emails.c.address_key)
                .limit(1)
            ).scalar()
            if address is not None and row.lines:
                subject, text = notice_mail(list(row.lines), site)
                self.outbox.enqueue(to=address, subject=subject, text=text, kind=KIND, conn=conn)
        return True


def _event_id(conn: Connection, event: str | None) -> int:
    e = t.events.c
    query = select(e.id).where(e.slug == event if event is not None else e.is_current)
    found = conn.execute(query).scalar()
    if found is None:
        raise NotFound(f"There is no event {event!r}." if event else "There is no current event.")
    return int(found)


def _chat_nicks(conn: Connection, people: list[int]) -> dict[int, tuple[str, ...]]:
    """Each person's chat nicks: their nicks rows but the one they act as on the web
    (made at sign-in, it may be someone else's on a chat network), unless they linked
    it from chat themselves."""
    rows = conn.execute(
        select(t.nicks.c.person_id, t.nicks.c.nick, t.nicks.c.nick_key, t.people.c.web_nick)
        .join(t.people, t.people.c.id == t.nicks.c.person_id)
        .where(t.nicks.c.person_id.in_(people))
        .order_by(t.nicks.c.person_id, t.nicks.c.nick_key)
    ).all()
    linked = {
        (r.person_id, nick_key(r.used_by))
        for r in conn.execute(
            select(t.link_codes.c.person_id, t.link_codes.c.used_by).where(
                t.link_codes.c.person_id.in_(people), t.link_codes.c.used_by.is_not(None)
            )
        )
    }
    found: dict[int, tuple[str, ...]] = {}
    for r in rows:
        web = r.web_nick is not None and nick_key(r.web_nick) == r.nick_key
        if web and (r.person_id, r.nick_key) not in linked:
            continue
        found[r.person_id] = (*found.get(r.person_id, ()), r.nick)
    return found
