"""The demo event's past: what its people did from its first slot up to a moment.

``past(state, until)`` is a script, in the command language, of the event before the
demo's clock starts: for each session a team held (its planned cells, and the few cells
the script books), two to four topics set with ``#TEAM now`` over the session, the next
ones often queued with ``#TEAM next``, a few written outcomes (``#TEAM outcome N TEXT``,
by the teams that have chairs), attendees checking in and out (more for some teams than
others), a few bookings of free rooms (one freed again), and each day the organizer's
``~newday`` and a message of the day that is taken down once the day's sessions are
under way. The demo loader (``demo.load``) runs it through the ordinary command path
with the store's clock set to each line's moment, before ``SAMPLE_COMMANDS``.

It is pure and deterministic: the story of the whole event is a function of the event
as its file creates it (random choices come from a generator seeded with the event's
slug), and ``past`` keeps its lines before ``until``: an earlier ``until`` gives a
prefix of a later one's lines, and ``until`` at the event's end or after gives the
whole event. The people are the demo's fictional ones (``demo.replay``): ``TEAM-chair``
for each team's chair, ``ptg-organizer``, and the attendees of ``demo.topics``.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from ptghub.core.model import CellStatus, EventState, RoleKind, slot_key
from ptghub.demo import topics as bank
from ptghub.demo.sessions import Session, Slots, sessions

Line = tuple[datetime, str, str]  # (moment, nick, command line)

ORGANIZER = "ptg-organizer"
OPENS = time(6, 0)  # a day's first slot from this hour on (local) opens its main sessions
BOOKED_BEFORE = timedelta(minutes=30)  # a follow-up is booked this long before its slot


def chair(team: str) -> str:
    """The nick of a team's (a key) chair in the demo."""
    return f"{team}-chair"


def past(state: EventState, until: datetime) -> list[Line]:
    """The lines of the event's story before ``until``, in time order (lines of one
    moment in the order that makes them valid). ``state``: the event as its definition
    creates it."""
    return [line for line in story(state) if line[0] < until]


def story(state: EventState) -> list[Line]:
    """Every line of the event's story, from its first slot to its end."""
    if state.info is None or not state.slots:
        return []
    return _Story(state).lines()


@dataclass(frozen=True, slots=True)
class _Step:
    moment: datetime
    nick: str
    text: str


class _Booking(NamedTuple):
    team: str
    room: str
    slot: str
    at: datetime


class _Story:
    def __init__(self, state: EventState) -> None:
        assert state.info is not None
        self.state, self.slots = state, Slots(state)
        # One generator for each part of the story, so that changing one part leaves the
        # others' choices as they were.
        seed = f"ptghub demo history {state.info.slug}"
        self.agenda, self.people, self.rooms = (
            random.Random(f"{seed} {part}") for part in ("topics", "people", "rooms")
        )
        self.chaired = {role.team for role in state.roles if role.kind is RoleKind.CHAIR}
        self.planned = sessions(self.slots, {k: c.team for k, c in state.cells.items() if c.team})

    def lines(self) -> list[Line]:
        steps = list(self._organizer())
        kept, freed = self._bookings()
        for booking in kept:
            steps.append(self._say(booking.at, booking.team, "book", self._cell(booking)))
        for booking in freed:
            steps.append(self._say(booking.at, booking.team, "book", self._cell(booking)))
            later = booking.at + timedelta(minutes=25)
            steps.append(self._say(later, booking.team, "unbook", self._cell(booking)))
        booked = sessions(self.slots, {(b.room, b.slot): b.team for b in kept})
        held = sorted([*self.planned, *(replace(s, booked=True) for s in booked)])
        by_team: dict[str, list[Session]] = {}
        for session in held:
            by_team.setdefault(session.team, []).append(session)
        for team, theirs in by_team.items():
            steps += self._topics(team, theirs)
        steps += self._checkins(held)
        steps.sort(key=lambda step: step.moment)  # stable: ties keep their written order
        return [(step.moment, step.nick, step.text) for step in steps]

    # -- the organizer ---------------------------------------------------------------

    def _organizer(self) -> Iterator[_Step]:
        """Each day: ``~newday`` 20 minutes before its first slot (from the second day
        on), and a message of the day from a quarter of an hour before its main sessions
        open until their first slot ends."""
        days = self.slots.days()
        for number, day in enumerate(days):
            held = self.slots.held(day)
            if not held:
                continue
            if number > 0:
                newday = self.slots.start(held[0]) - timedelta(minutes=20)
                yield _Step(newday, ORGANIZER, "~newday")
            opening = next((k for k in held if self.state.slots[k].start >= OPENS), held[0])
            text = self._motd(day, held, last=number == len(days) - 1)
            yield _Step(self.slots.start(opening) - timedelta(minutes=15), ORGANIZER, text)
            yield _Step(self.slots.end(opening), ORGANIZER, "~motd del 1")

    def _motd(self, day: date, held: list[str], *, last: bool) -> str:
        weekday = f"{day:%A}"
        if last:
            return f"~motd add info {weekday}, the last day: please post your team's summary."
        codes = {slot_key(self.state.slots[k].code) for k in held}
        newcomers = [
            team.name
            for team in self.state.teams.values()
            if team.onboarding_slot and slot_key(team.onboarding_slot) in codes
        ]
        if newcomers:
            names = ", ".join(newcomers[:-1]) + " and " if len(newcomers) > 1 else ""
            return (
                f"~motd add info {weekday}: onboarding for newcomers with "
                f"{names}{newcomers[-1]}. Welcome!"
            )
        teams = {c.team for (_, s), c in self.state.cells.items() if s in held and c.team}
        return (
            f"~motd add info {weekday}: {len(teams)} teams meet today; book a free room "
            "from the board with '#TEAM book ROOM-SLOT'."
        )

    # -- bookings --------------------------------------------------------------------

    def _bookings(self) -> tuple[list[_Booking], list[_Booking]]:
        """Each day, one team books a follow-up (``_follow_ups``); on the first day
        another team books one too, and frees it again before its slot."""
        kept: list[_Booking] = []
        freed: list[_Booking] = []
        for day in self.slots.days():
            taken = {(b.room, b.slot) for b in kept + freed}
            options = [b for b in self._follow_ups(day) if (b.room, b.slot) not in taken]
            if not options:
                continue
            first = self.rooms.choice(options)
            kept.append(first)
            others = [b for b in options if b.team != first.team and b.slot != first.slot]
            if not freed and others:
                other = self.rooms.choice(others)
                freed.append(other._replace(at=other.at - timedelta(minutes=20)))
        return kept, freed

    def _follow_ups(self, day: date) -> Iterator[_Booking]:
        """The follow-ups a team could book on ``day``: the first free bookable room
        (not its own) in the slot right after one of its sessions, when it holds no
        other room then."""
        for session in self.planned:
            slot = self.slots.after(session.slots[-1])
            if slot is None or self.state.slots[slot].day != day:
                continue
            if any(c.team == session.team for (_, s), c in self.state.cells.items() if s == slot):
                continue
            room = next(
                (
                    key
                    for key, room in self.state.rooms.items()
                    if key != session.room
                    and room.bookable
                    and self.state.cell(key, slot).status is CellStatus.FREE
                ),
                None,
            )
            if room is not None:
                yield _Booking(session.team, room, slot, self.slots.start(slot) - BOOKED_BEFORE)

    # -- topics ----------------------------------------------------------------------

    def _topics(self, team: str, held: list[Session]) -> Iterator[_Step]:
        """The chair sets the session's topics one after the other, often queues the next
        one, and (for the teams with chairs) writes some outcomes as a topic ends; at the
        end of a session, the next session's first topic may be queued, and after the
        team's last one a topic it never got to."""
        drawn = self._bank(team)
        plans = self._plans(team, held, drawn)
        number = 0  # the team's topics from 1, in the order discussed
        for index, (session, titles) in enumerate(zip(held, plans, strict=True)):
            length = (session.end - session.start) / len(titles)
            starts = [
                _minute(session.start + length * i + timedelta(minutes=self.agenda.randint(1, 8)))
                for i in range(len(titles))
            ]
            ends = [*starts[1:], session.end]
            for i, title in enumerate(titles):
                number += 1
                yield self._say(starts[i], team, "now", title)
                if i + 1 < len(titles) and self.agenda.random() < 0.4:
                    queued = titles[i + 1 : i + 2 + (self.agenda.random() < 0.3)]
                    for j, text in enumerate(queued):
                        yield self._say(starts[i] + timedelta(minutes=2 + j), team, "next", text)
                if team in self.chaired and title != bank.ONBOARDING and self.agenda.random() < 0.5:
                    outcome = f"{number} {self.agenda.choice(bank.OUTCOMES)}"
                    yield self._say(ends[i] - timedelta(minutes=1), team, "outcome", outcome)
            last = index + 1 == len(held)
            if last or self.agenda.random() < 0.35:
                later = next(drawn) if last else plans[index + 1][0]
                yield self._say(session.end - timedelta(minutes=3), team, "next", later)

    def _plans(self, team: str, held: list[Session], drawn: Iterator[str]) -> list[list[str]]:
        """Each session's topics: two to four (fewer in short sessions), the onboarding
        first in the session of the team's onboarding slot, a follow-up of the topic
        before first in a booked session."""
        onboarding = self.state.teams[team].onboarding_slot
        plans: list[list[str]] = []
        for session in held:
            count = self.agenda.randint(2, min(4, len(session.slots) + 1))
            titles: list[str] = []
            if session.booked and plans:
                titles.append(bank.FOLLOW_UP.format(topic=plans[-1][-1]))
            codes = {slot_key(self.state.slots[s].code) for s in session.slots}
            if onboarding and slot_key(onboarding) in codes:
                titles.append(bank.ONBOARDING)
            while len(titles) < count:
                titles.append(next(drawn))
            plans.append(titles)
        return plans

    def _bank(self, team: str) -> Iterator[str]:
        """The team's own topics (or the generic opening ones), then the other generic ones
        in an order of its own, then the same again, continued, should a team run out."""
        own = bank.TEAM_TOPICS.get(team, bank.OPENING)
        generic = [t for t in bank.GENERIC if t not in own]
        topics = [*own, *self.agenda.sample(generic, len(generic))]
        return itertools.chain(topics, (f"{t}, continued" for t in itertools.cycle(topics)))

    # -- check-ins -------------------------------------------------------------------

    def _checkins(self, held: list[Session]) -> Iterator[_Step]:
        """Attendees check in during a session's first hour, more for the busy teams and
        long sessions, and some leave before its end; nobody is in two sessions at once."""
        free = dict.fromkeys(bank.ATTENDEES, held[0].start if held else datetime.min)
        # By start; sessions that start together draw their people in a random order.
        for session in sorted(held, key=lambda s: (s.start, self.people.random())):
            minutes = int((session.end - session.start).total_seconds() // 60)
            latest = session.start + timedelta(minutes=min(45, minutes - 15))
            busy = session.team in bank.BUSY
            wanted = self.people.randint(2, 5) if busy else self.people.randint(1, 3)
            wanted += len(session.slots) >= 4
            there = [nick for nick, at in free.items() if at <= latest]
            for nick in self.people.sample(there, min(wanted, len(there))):
                earliest = max(session.start, free[nick])
                spare = int((latest - earliest).total_seconds() // 60)
                at = earliest + timedelta(minutes=self.people.randint(0, spare))
                yield _Step(at, nick, f"in #{self.state.teams[session.team].slug}")
                free[nick] = session.end
                if self.people.random() < 0.35:
                    left = int((session.end - at).total_seconds() // 60)
                    free[nick] = at + timedelta(minutes=self.people.randint(10, left - 5))
                    yield _Step(free[nick], nick, "out")

    # -- lines -----------------------------------------------------------------------

    def _say(self, at: datetime, team: str, verb: str, text: str) -> _Step:
        """The team's chair says ``#TEAM VERB TEXT`` at ``at``."""
        return _Step(at, chair(team), f"#{self.state.teams[team].slug} {verb} {text}")

    def _cell(self, booking: _Booking) -> str:
        return f"{self.state.rooms[booking.room].name}-{self.state.slots[booking.slot].code}"


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)
