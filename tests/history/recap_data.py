"""A hand-built timeline of a small event for the recap tests (before the replay exists,
and to pin the recap's rules apart from the replay's).

The event is in Europe/Paris (UTC+2 in April): slots A1 13:00, A2 14:00, P1 15:00 local,
so 11:00, 12:00 and 13:00 UTC. Nova meets in Austin on Monday (A1 and A2, one session),
is Cinder's guest in Bexar on Tuesday A1, and books Cactus on Tuesday P1 with Swift as
its guest, where nothing happens. It gave up its planned Austin Tue-A2.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ptghub.core.model import CellStatus, EventState
from ptghub.history.timeline import CheckIn, GivenUp, Session, Timeline, TopicSpan
from tests.event_files import loaded

EVENT = """\
slug: rc-ptg
name: Recap PTG
start: 2022-04-04
end: 2022-04-05
timezone: Europe/Paris
format: virtual
contact: ptg@example.org
slots:
  - {name: A1, start: "13:00", end: "14:00"}
  - {name: A2, start: "14:00", end: "15:00"}
  - {name: P1, start: "15:00", end: "16:00"}
rooms:
  - name: Austin
    video_url: https://meet.example.org/austin
  - name: Bexar
    video_url: https://meet.example.org/bexar
  - name: Cactus
teams:
  - slug: nova
    name: Nova
  - slug: cinder
    name: Cinder
  - slug: swift
    name: Swift
schedule:
  Austin: {Mon-A1: nova, Mon-A2: nova}
  Bexar: {Tue-A1: cinder}
"""


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2022, 4, day, hour, minute, tzinfo=UTC)


def state() -> EventState:
    return loaded(EVENT)


AUSTIN_MON = Session(
    "nova", "austin", ("mona1", "mona2"), utc(4, 11), utc(4, 13), CellStatus.PLANNED
)
BEXAR_TUE = Session(
    "cinder", "bexar", ("tuea1",), utc(5, 11), utc(5, 12), CellStatus.PLANNED, guests=("nova",)
)
CACTUS_TUE = Session(
    "nova",
    "cactus",
    ("tuep1",),
    utc(5, 13),
    utc(5, 14),
    CellStatus.BOOKED,
    booked_at=utc(5, 9),
    guests=("swift",),
)


END = utc(5, 14)  # the end of the event: Tuesday 16:00 in Paris


def timeline(until: datetime = END) -> Timeline:
    return Timeline(
        until=until,
        state=state(),
        sessions=[AUSTIN_MON, BEXAR_TUE, CACTUS_TUE],
        topics=[
            TopicSpan("nova", 1, "Placement API", utc(4, 11, 5), utc(4, 12)),
            TopicSpan("nova", 2, "Quotas <script>alert(1)</script>", utc(4, 12), utc(4, 13)),
            TopicSpan("cinder", 1, "Backups", utc(5, 11), utc(5, 11, 30)),
            TopicSpan(
                "nova",
                3,
                "Unified limits across every project that keeps quotas, and what the "
                "operators asked of it in the last cycle",
                utc(5, 11, 30),
                None,
            ),
        ],
        checkins=[
            CheckIn("erin", "Austin", utc(4, 9), utc(4, 10)),  # before the session
            CheckIn("alice", "#Nova", utc(4, 10, 50), utc(4, 12, 30)),
            CheckIn("dave", "#swift", utc(4, 11), utc(4, 12)),  # another team
            CheckIn("bob", "austin", utc(4, 11, 30), None),  # the room, still in
            CheckIn("alice", "#nova", utc(4, 12, 40), utc(4, 12, 50)),  # again: one nick
            CheckIn("carol", "#cinder", utc(5, 11), utc(5, 11, 30)),  # the host's
            CheckIn("frank", "#nova", utc(5, 14), None),  # after the last session began
        ],
        given_up=[
            GivenUp("nova", "austin", "tuea2", utc(4, 16)),
            GivenUp("cinder", "bexar", "tuea2", utc(4, 17)),
        ],
        queued={"nova": ("Scheduling",), "cinder": ("Snapshots",)},
    )
