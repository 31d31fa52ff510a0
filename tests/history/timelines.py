"""A timeline made by hand over the small test event (tests.support.small_event).

The event: Mon 4 and Tue 5 April 2022, UTC; slots A1 13-14, A2 14-15, P1 15-16, P2 16-17;
rooms Austin, Bexar (not bookable) and Coiste Bainisti; Austin has no Tue-P2 cell.

What happened (until Tue 17:00):
- nova held Austin Mon A1-A2 (planned) and booked Austin Tue A1 on Mon at 20:00;
- cinder booked Coiste Bainisti Mon P1 at 14:50 on Monday;
- relmgt was planned in Bexar Tue P1; a booking of Austin Tue P1 on 1 April was freed;
- nova set a topic Mon 13:10-14:00, cinder one Mon 17:00-17:30 (outside its session);
- alice checked in #Nova Mon 13:20-14:30 and #cinder Mon 15:05-15:30; bob in 'austin'
  from Mon 14:10 on (still in); carol in #nova Tue 12:00-12:30 (before nova's session).
- nova asked for 180 minutes; no other team stated needs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ptghub.core.apply import apply_all
from ptghub.core.model import Cell, CellStatus, EventState
from ptghub.core.team_needs import TeamNeeds
from ptghub.history.timeline import Booking, CheckIn, Session, Timeline, TopicSpan
from tests.support import small_event


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2022, 4, day, hour, minute, tzinfo=UTC)


NOVA_MON = Session("nova", "austin", ("mona1", "mona2"), at(4, 13), at(4, 15), CellStatus.PLANNED)
CINDER_MON = Session(
    "cinder", "coiste bainisti", ("monp1",), at(4, 15), at(4, 16), CellStatus.BOOKED, at(4, 14, 50)
)
NOVA_TUE = Session("nova", "austin", ("tuea1",), at(5, 13), at(5, 14), CellStatus.BOOKED, at(4, 20))
RELMGT_TUE = Session("relmgt", "bexar", ("tuep1",), at(5, 15), at(5, 16), CellStatus.PLANNED)


def hand_made() -> Timeline:
    state = apply_all(EventState(), small_event())
    state.cells[("coiste bainisti", "monp1")] = Cell(CellStatus.BOOKED, "cinder")
    state.cells[("austin", "tuea1")] = Cell(CellStatus.BOOKED, "nova")
    state.cells[("bexar", "tuep1")] = Cell(CellStatus.PLANNED, "relmgt")
    state.needs["nova"] = TeamNeeds("nova", 180)
    return Timeline(
        until=at(5, 17),
        state=state,
        sessions=[NOVA_MON, CINDER_MON, NOVA_TUE, RELMGT_TUE],
        topics=[
            TopicSpan("nova", 1, "Placement", at(4, 13, 10), at(4, 14)),
            TopicSpan("cinder", 1, "Backups", at(4, 17), at(4, 17, 30)),
        ],
        checkins=[
            CheckIn("alice", "#Nova", at(4, 13, 20), at(4, 14, 30)),
            CheckIn("bob", "austin", at(4, 14, 10), None),
            CheckIn("alice", "#cinder", at(4, 15, 5), at(4, 15, 30)),
            CheckIn("carol", "#nova", at(5, 12), at(5, 12, 30)),
        ],
        bookings=[
            Booking(
                datetime(2022, 4, 1, 9, tzinfo=UTC),
                "relmgt",
                "austin",
                "tuep1",
                "rchair",
                datetime(2022, 4, 2, 9, tzinfo=UTC),
            ),
            Booking(at(4, 14, 50), "cinder", "coiste bainisti", "monp1", "cchair"),
            Booking(at(4, 20), "nova", "austin", "tuea1", "nchair"),
        ],
    )
