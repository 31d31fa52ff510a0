"""The demo's replay: plausible activity every few seconds, so the live board moves.

A newcomer who runs ``make demo`` should see what a PTG looks like while it runs:
teams moving to a new topic and lining up the next ones, a booking of a free room,
people checking in and out, a message of the day coming and going. ``Script`` says what
happens next, as a pure function of the event's state and the (simulated) time; it
cycles through the same ``STEPS``, each one undone later in the cycle (a booking is
freed, a message deleted, the first topics come back), so the event does not grow
however long the demo runs -- only the audit log does, one entry a step.

``Replay`` runs the script in a thread of the serving process, through the ordinary
command path (``Store.run``, as the demo's fictional chairs, attendees and organizer,
front end ``demo``): every step is an audited change that the watcher publishes to
the open boards like any other. The web app starts it with the server and stops it
with the server (``create_app(..., companions=...)``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ptghub.core.errors import PtgError
from ptghub.core.model import Actor, CellStatus, EventState
from ptghub.demo.history import ORGANIZER
from ptghub.history.timeline import event_end
from ptghub.store.results import Result
from ptghub.store.store import Store

log = logging.getLogger(__name__)

DEFAULT_EVERY = 4.0  # seconds between two steps: a change to look at, not a flicker
FRONTEND = "demo"
# Teams that book a free room for a follow-up (the first with no room in the next slot),
# then free it again.
BOOKERS = ("tc", "first-contact", "diversity", "neutron")
MOTD = (
    "Slides of the onboarding sessions are linked from each team's etherpad. "
    "Thanks to everyone who joined!"
)

Line = tuple[str, str]  # (nick, command)


@dataclass(slots=True)
class Script:
    """What the demo's people do next: ``next_line(state, now)`` gives one command (or
    None when a step has nothing to do in this state) and moves on, round the ``steps``;
    from the event's end on (``history.timeline.event_end``) it gives None and stays put."""

    steps: Sequence[Callable[[Script, EventState, datetime], Line | None]] = ()
    position: int = 0
    booked: tuple[str, str] | None = None  # (team, ROOM-SLOT) booked, to be freed

    def __post_init__(self) -> None:
        if not self.steps:
            self.steps = STEPS

    def next_line(self, state: EventState, now: datetime) -> Line | None:
        if state.info is None or now >= event_end(state):
            return None  # the event is over: nobody sets topics or checks in any more
        step = self.steps[self.position]
        self.position = (self.position + 1) % len(self.steps)
        return step(self, state, now)


def say(nick: str, text: str) -> Callable[[Script, EventState, datetime], Line | None]:
    """A step that always sends ``text`` as ``nick``."""
    return lambda _script, _state, _now: (nick, text)


def book_next_slot(script: Script, state: EventState, now: datetime) -> Line | None:
    """One of ``BOOKERS`` books a free bookable room in the first slot still to come
    today that has one (and a booker with no room then)."""
    if state.info is None or script.booked is not None:
        return None
    local = now.astimezone(ZoneInfo(state.info.timezone))
    upcoming = sorted(
        (slot.start, key)
        for key, slot in state.slots.items()
        if slot.day == local.date() and slot.start > local.time()
    )
    for _, slot in upcoming:
        busy = {c.team for (_, s), c in state.cells.items() if s == slot and c.team}
        team = next((t for t in BOOKERS if t in state.teams and t not in busy), None)
        room = next(
            (
                room
                for key, room in state.rooms.items()
                if room.bookable and state.cell(key, slot).status is CellStatus.FREE
            ),
            None,
        )
        if team is not None and room is not None:
            script.booked = (team, f"{room.name}-{state.slots[slot].code}")
            return (f"{team}-chair", f"#{team} book {script.booked[1]}")
    return None


def unbook(script: Script, state: EventState, _now: datetime) -> Line | None:
    """The team frees the cell the script booked for it (if it still holds it)."""
    booked, script.booked = script.booked, None
    if booked is None:
        return None
    team, code = booked
    held = {
        f"{state.rooms[r].name}-{state.slots[s].code}"
        for (r, s), cell in state.cells.items()
        if cell.team == team and cell.status is CellStatus.BOOKED
    }
    return (f"{team}-chair", f"#{team} unbook {code}") if code in held else None


def delete_motd(_script: Script, state: EventState, _now: datetime) -> Line | None:
    """The organizer deletes the script's message of the day (wherever it stands now)."""
    for number, message in enumerate(state.motd, start=1):
        if message.text == MOTD:
            return (ORGANIZER, f"~motd del {number}")
    return None


# One round of the demo: about a minute at the default pace. Topics are set with 'now',
# which empties 'next', so the next-lists stay short; the last steps put the sample
# commands' topics back (src/ptghub/demo/__init__.py), and everyone checked in leaves.
STEPS: tuple[Callable[[Script, EventState, datetime], Line | None], ...] = (
    say("nova-chair", "#nova now Placement consumer types"),
    say("demo-operator", "in #nova"),
    say("cinder-chair", "#cinder now Volume attachments, with #nova"),
    say("nova-chair", "#nova next Volume attachments with #cinder"),
    say(ORGANIZER, f"~motd add success {MOTD}"),
    book_next_slot,
    say("neutron-chair", "#neutron now Port binding during live migration"),
    say("demo-newcomer", "in #tc"),
    say("tc-chair", "#tc now Release cadence, then the PTL-less projects"),
    say("demo-operator", "in #cinder"),
    say("neutron-chair", "#neutron next Port binding: follow-up on Thursday"),
    delete_motd,
    unbook,
    say("nova-chair", "#nova now Unified limits: what is left for Zed"),
    say("nova-chair", "#nova next Placement consumer types"),
    say("nova-chair", "#nova next Cross-project session with #cinder on volume attachments"),
    say("cinder-chair", "#cinder now Backup driver clean-up"),
    say("neutron-chair", "#neutron now OVN feature parity with ML2/OVS"),
    say("tc-chair", "#tc now Zed cycle goals and community-wide goals"),
    say("tc-chair", "#tc next Release cadence, then the PTL-less projects"),
    say("demo-operator", "out"),
    say("demo-newcomer", "out"),
)


class Replay:
    """Runs ``script`` on ``event`` of ``store``, one step every ``every`` seconds, in a
    thread between ``start()`` and ``stop()``. A refused step is logged and skipped."""

    def __init__(
        self,
        store: Store,
        event: str,
        *,
        every: float = DEFAULT_EVERY,
        script: Script | None = None,
    ) -> None:
        if every <= 0:
            raise ValueError(f"the replay's pace must be positive, not {every}")
        self.store, self.event, self.every = store, event, every
        self.script = script or Script()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def step(self) -> Result | None:
        """Run the script's next command now; None when it had nothing to do."""
        line = self.script.next_line(self.store.state(self.event), self.store.clock())
        if line is None:
            return None
        nick, text = line
        return self.store.run(text, Actor(nick, frontend=FRONTEND), event=self.event)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="ptghub-demo-replay", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop stepping and wait for a step under way to finish."""
        thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.step()
            except PtgError as error:  # someone changed the event meanwhile: go on
                log.info("demo replay: step refused: %s", error.message)
            except Exception:  # a database hiccup must not end the demo
                log.exception("demo replay: step failed")
