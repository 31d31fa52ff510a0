"""What a signed-in person follows at an event ("My PTG"): teams, and topic patterns.

A follow is a row of ``follows``: kind ``team`` with the team's key, or kind ``pattern``
with an RE2 pattern exactly as the chat's ``subscribe`` takes it (``core.patterns``
checks it, so a bad pattern is refused with the chat's own words). Adding what is
already there, or removing what is not, changes nothing and is not an error: a button
pressed twice, or in two tabs, does what the person meant.

``settings`` (``store.person_settings``) and ``feeds`` (``store.calendar_feeds``) hold
the rest of a person's "My PTG": their time zone, how they want to be told, and their
secret calendar feed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from ptghub.core.errors import InvalidInput, NotFound
from ptghub.core.model import team_key
from ptghub.core.patterns import compile_pattern
from ptghub.core.validate import shorten
from ptghub.store import tables as t
from ptghub.store.calendar_feeds import CalendarFeeds, event_id
from ptghub.store.engine import writing
from ptghub.store.person_settings import PersonSettings

TEAM = "team"
PATTERN = "pattern"
# Patterns are matched against every now/next of the event for every person who follows
# them; a person needs a handful (several can be one with '|'), never hundreds.
MAX_PATTERNS = 50


@dataclass(frozen=True, slots=True)
class Followed:
    """What one person follows at one event: team keys and patterns, each by when it was
    added (then by value)."""

    teams: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


def check_pattern(pattern: str) -> str:
    """The pattern as it will be matched (surrounding spaces dropped), or InvalidInput
    saying why it is refused: the chat ``subscribe``'s own check and words."""
    pattern = pattern.strip()
    if not pattern:
        raise InvalidInput(
            "Give a pattern: a regular expression matched, without regard to case, "
            "against '#team now topic' and '#team next topic', e.g. placement|quota."
        )
    compile_pattern(pattern)
    return pattern


class Follows:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        self.settings = PersonSettings(engine)
        self.feeds = CalendarFeeds(engine, clock)

    # -- teams ----------------------------------------------------------------------

    def follow_team(self, person_id: int, event: str, team: str) -> bool:
        """Follow ``team`` (slug or key) of ``event``; False when already followed.
        NotFound, naming the event's teams, for a team the event does not have."""
        with writing(self.engine) as conn:
            eid = event_id(conn, event)
            key = _known_team(conn, eid, event, team)
            return _add(conn, person_id, eid, TEAM, key, self.clock())

    def unfollow_team(self, person_id: int, event: str, team: str) -> bool:
        """Stop following ``team``; False when it was not followed. A team that is gone
        from the event can still be unfollowed."""
        with writing(self.engine) as conn:
            eid = event_id(conn, event)
            return _remove(conn, person_id, eid, TEAM, team_key(team))

    # -- patterns -------------------------------------------------------------------

    def add_pattern(self, person_id: int, event: str, pattern: str) -> bool:
        """Follow the topics ``pattern`` matches (see ``check_pattern``); False when the
        person follows it already."""
        pattern = check_pattern(pattern)
        with writing(self.engine) as conn:
            eid = event_id(conn, event)
            count = conn.execute(
                select(func.count()).where(
                    t.follows.c.person_id == person_id,
                    t.follows.c.event_id == eid,
                    t.follows.c.kind == PATTERN,
                    t.follows.c.value != pattern,
                )
            ).scalar_one()
            if count >= MAX_PATTERNS:
                raise InvalidInput(
                    f"You follow {count} patterns at this event already, the most there can "
                    "be; remove one first, or combine several into one with '|'."
                )
            return _add(conn, person_id, eid, PATTERN, pattern, self.clock())

    def remove_pattern(self, person_id: int, event: str, pattern: str) -> bool:
        """Stop following ``pattern``; False when it was not followed."""
        with writing(self.engine) as conn:
            eid = event_id(conn, event)
            return _remove(conn, person_id, eid, PATTERN, pattern.strip())

    # -- reading --------------------------------------------------------------------

    def of(self, person_id: int, event: str) -> Followed:
        """What ``person_id`` follows at ``event``."""
        f = t.follows
        with self.engine.connect() as conn:
            eid = event_id(conn, event)
            rows = conn.execute(
                select(f.c.kind, f.c.value)
                .where(f.c.person_id == person_id, f.c.event_id == eid)
                .order_by(f.c.created_at, f.c.value)
            ).all()
        return Followed(
            tuple(value for kind, value in rows if kind == TEAM),
            tuple(value for kind, value in rows if kind == PATTERN),
        )

    def followers(self, event: str, team: str) -> tuple[int, ...]:
        """The people who follow ``team`` at ``event``, by id."""
        f = t.follows
        with self.engine.connect() as conn:
            eid = event_id(conn, event)
            ids = conn.execute(
                select(f.c.person_id)
                .where(f.c.event_id == eid, f.c.kind == TEAM, f.c.value == team_key(team))
                .order_by(f.c.person_id)
            ).scalars()
            return tuple(int(i) for i in ids)

    def patterns(self, event: str) -> tuple[tuple[int, str], ...]:
        """Every (person id, pattern) followed at ``event``."""
        f = t.follows
        with self.engine.connect() as conn:
            eid = event_id(conn, event)
            rows = conn.execute(
                select(f.c.person_id, f.c.value)
                .where(f.c.event_id == eid, f.c.kind == PATTERN)
                .order_by(f.c.person_id, f.c.created_at, f.c.value)
            ).all()
        return tuple((int(person), str(pattern)) for person, pattern in rows)


def _known_team(conn: Connection, eid: int, event: str, team: str) -> str:
    key = team_key(team)
    teams = t.teams
    found = conn.execute(
        select(teams.c.key).where(teams.c.event_id == eid, teams.c.key == key)
    ).scalar()
    if found is None:
        names = conn.execute(
            select(teams.c.slug).where(teams.c.event_id == eid).order_by(teams.c.slug)
        ).scalars()
        known = ", ".join(names) or "none yet"
        raise NotFound(f"There is no team '{shorten(team, 60)}' at {event}; its teams: {known}.")
    return str(found)


def _add(conn: Connection, person_id: int, eid: int, kind: str, value: str, at: datetime) -> bool:
    f = t.follows
    where = (f.c.person_id == person_id, f.c.event_id == eid, f.c.kind == kind, f.c.value == value)
    if conn.execute(select(f.c.kind).where(*where)).first() is not None:
        return False
    # Two tabs may add the same follow at once: the primary key keeps one, and the loser
    # has nothing left to do (a savepoint keeps the transaction usable on PostgreSQL).
    try:
        with conn.begin_nested():
            conn.execute(
                insert(f).values(
                    person_id=person_id, event_id=eid, kind=kind, value=value, created_at=at
                )
            )
    except IntegrityError:
        return False
    return True


def _remove(conn: Connection, person_id: int, eid: int, kind: str, value: str) -> bool:
    f = t.follows
    done = conn.execute(
        delete(f).where(
            f.c.person_id == person_id, f.c.event_id == eid, f.c.kind == kind, f.c.value == value
        )
    )
    return bool(done.rowcount)
