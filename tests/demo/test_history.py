"""The demo event's past: a deterministic script of the week in the command language,
up to the demo's clock, that runs through a real store without a refusal."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from ptghub import demo
from ptghub.core.apply import apply_all
from ptghub.core.model import EventState
from ptghub.demo.history import Line, past, story
from ptghub.demo.sessions import Session, Slots, sessions
from ptghub.eventfile import load_event_file
from ptghub.store.store import Store
from tests.support import Clock, load_demo

TUESDAY = datetime(2022, 4, 5, 15, 10, tzinfo=UTC)  # where the demo's clock starts
FIRST_SLOT = datetime(2022, 4, 4, 0, 0, tzinfo=UTC)
END = datetime(2022, 4, 8, 21, 0, tzinfo=UTC)  # the end of the last slot, Fri-20h
LATER = datetime(2026, 12, 2, 18, 36, tzinfo=UTC)
SRC = Path(__file__).resolve().parents[2] / "src"


def _event() -> EventState:
    """The demo event as its file creates it."""
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        return apply_all(EventState(), load_event_file(path))


def _verbs(lines: list[Line]) -> Counter[str]:
    """How many lines of each verb (``now`` for '#nova now ...', ``in`` for 'in #nova')."""
    return Counter(text.split()[1] if text[0] == "#" else text.split()[0] for _, _, text in lines)


def test_past_is_the_same_for_the_same_event_in_any_process() -> None:
    lines = past(_event(), END)
    assert past(_event(), END) == lines
    # Another interpreter, with another string hash seed: the same lines.
    script = (
        "from importlib import resources; from ptghub import demo; "
        "from ptghub.core.apply import apply_all; from ptghub.core.model import EventState; "
        "from ptghub.demo.history import story; from ptghub.eventfile import load_event_file\n"
        "with resources.as_file(resources.files(demo) / demo.FILE) as path:\n"
        "    state = apply_all(EventState(), load_event_file(path))\n"
        "for moment, nick, text in story(state): print(moment.isoformat(), nick, text)"
    )
    for seed in ("1", "2"):
        printed = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": str(SRC), "PYTHONHASHSEED": seed},
        ).stdout
        assert printed.splitlines() == [f"{m.isoformat()} {n} {t}" for m, n, t in lines]


def test_past_is_in_time_order_within_the_event_and_before_until() -> None:
    lines = past(_event(), TUESDAY)
    moments = [moment for moment, _, _ in lines]
    assert moments == sorted(moments)
    assert moments[0] >= FIRST_SLOT and moments[-1] < TUESDAY
    assert all(moment.second == 0 and moment.tzinfo is UTC for moment in moments)


def test_past_of_an_earlier_moment_is_a_prefix_of_a_later_one() -> None:
    state = _event()
    whole = story(state)
    for until in (FIRST_SLOT, TUESDAY, datetime(2022, 4, 7, 13, 0, tzinfo=UTC), END):
        lines = past(state, until)
        assert lines == whole[: len(lines)]
        assert all(moment >= until for moment, _, _ in whole[len(lines) :])


def test_past_at_the_end_or_after_is_the_whole_event_and_before_it_nothing() -> None:
    state = _event()
    assert past(state, END) == past(state, LATER) == story(state)
    assert story(state)[-1][0] < END
    assert past(state, FIRST_SLOT) == []
    assert story(EventState()) == []


def test_past_up_to_the_clock_start_tells_a_day_and_a_half() -> None:
    lines = past(_event(), TUESDAY)
    assert len(lines) == 257
    assert _verbs(lines) == Counter(
        {
            "in": 107,
            "now": 80,
            "next": 33,
            "out": 27,
            "~motd": 4,
            "book": 2,
            "outcome": 2,
            "unbook": 1,
            "~newday": 1,
        }
    )
    organizer = [(f"{m:%a %H:%M}", t) for m, n, t in lines if n == "ptg-organizer"]
    assert organizer == [
        (
            "Mon 12:45",
            "~motd add info Monday: onboarding for newcomers with Ironic and Manila. Welcome!",
        ),
        ("Mon 14:00", "~motd del 1"),
        ("Mon 23:40", "~newday"),
        (
            "Tue 12:45",
            "~motd add info Tuesday: onboarding for newcomers with Cinder, Kolla, Neutron and "
            "Nova/Placement. Welcome!",
        ),
        ("Tue 14:00", "~motd del 1"),
    ]
    bookings = [(f"{m:%a %H:%M}", n, t) for m, n, t in lines if " book " in t or " unbook " in t]
    assert bookings == [
        ("Mon 16:30", "relmgt-chair", "#relmgt book Bexar-Mon-17h"),
        ("Mon 18:10", "manila-chair", "#manila book Bexar-Mon-19h"),
        ("Mon 18:35", "manila-chair", "#manila unbook Bexar-Mon-19h"),
    ]


def test_the_whole_week_is_hundreds_of_commands() -> None:
    lines = story(_event())
    assert len(lines) == 869
    assert _verbs(lines) == Counter(
        {
            "in": 314,
            "now": 272,
            "next": 136,
            "out": 113,
            "outcome": 13,
            "~motd": 10,
            "book": 6,
            "~newday": 4,
            "unbook": 1,
        }
    )


def _held(state: EventState, lines: list[Line]) -> list[Session]:
    """The sessions teams held: their planned cells and the cells the lines booked (and
    did not free)."""
    holders = {key: cell.team for key, cell in state.cells.items() if cell.team}
    slots = Slots(state)
    codes = {f"{state.rooms[r].name}-{state.slots[s].code}": (r, s) for r, s in state.cells}
    for _, _, text in (line for line in lines if line[2].startswith("#")):
        team, verb, *rest = text.split()
        if verb == "book":
            holders[codes[rest[0]]] = team[1:]
        elif verb == "unbook":
            del holders[codes[rest[0]]]
    return sessions(slots, holders)


def _topics_per_session(state: EventState, until: datetime) -> list[int]:
    """How many topics each session begun before ``until`` had set during it."""
    lines = past(state, until)
    held = [s for s in _held(state, lines) if s.start < until]
    nows = [(m, t.split()[0][1:]) for m, _, t in lines if t.startswith("#") and " now " in t]
    return [sum(s.team == team and s.start <= m < s.end for m, team in nows) for s in held]


def test_every_session_held_has_two_to_four_topics() -> None:
    state = _event()
    week = _topics_per_session(state, END)
    assert (len(week), Counter(week)) == (94, Counter({2: 41, 3: 22, 4: 31}))
    # By the demo's clock: the 31 sessions begun, four under way with their first topic.
    tuesday = _topics_per_session(state, TUESDAY)
    assert (len(tuesday), Counter(tuesday)) == (31, Counter({1: 4, 2: 10, 3: 12, 4: 5}))


def test_some_sessions_are_busier_than_others() -> None:
    state = _event()
    lines = story(state)
    checkins = Counter(text for _, _, text in lines if text.startswith("in #"))
    assert (checkins["in #cinder"], checkins["in #nova"], checkins["in #interop"]) == (17, 15, 2)
    held = _held(state, lines)
    per_session = [
        sum(t == f"in #{s.team}" and s.start <= m < s.end for m, _, t in lines) for s in held
    ]
    assert Counter(per_session) == Counter({1: 1, 2: 28, 3: 27, 4: 23, 5: 6, 6: 9})


def test_every_line_runs_through_a_store_without_a_refusal(database_url: str) -> None:
    store = Store.open(database_url, clock=Clock(LATER))
    try:
        load_demo(store)  # raises on the first refused line
        entries = store.audit(demo.SLUG)
    finally:
        store.close()
    lines = story(_event())
    samples = len(demo.SAMPLE_COMMANDS)
    assert [(e.at, e.actor, e.text) for e in entries[1:-samples]] == lines
    assert all(entry.events for entry in entries)  # each line changed something
    assert {entry.frontend for entry in entries[1:]} == {"demo"}
    # The event is loaded the day before its first slot; the sample commands come "now".
    assert (entries[0].at, entries[-1].at) == (datetime(2022, 4, 3, 0, 0, tzinfo=UTC), LATER)
