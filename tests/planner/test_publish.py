"""Publishing a draft: the cell changes that put it on the board, or a clear refusal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.errors import Conflict
from ptghub.core.events import CellChanged, NeedsChanged, PinChanged
from ptghub.core.model import FREE, Cell, CellStatus, EventState
from ptghub.core.team_needs import TeamNeeds
from ptghub.planner.from_state import build_instance
from ptghub.planner.instance import Placement
from ptghub.planner.publish import board_schedule, cell_namer, publish_events
from tests.support import small_event

BEFORE = datetime(2022, 4, 1, tzinfo=UTC)  # the Friday before the event
NOVA, CINDER, RELMGT = Placement("nova"), Placement("cinder"), Placement("relmgt")


def planned(team: str) -> Cell:
    return Cell(CellStatus.PLANNED, team)


def event(*needs: TeamNeeds) -> EventState:
    """The small test event with these needs stated."""
    return apply_all(
        EventState(), [*small_event(), *(NeedsChanged(n.team, None, n) for n in needs)]
    )


def standard() -> EventState:
    return event(TeamNeeds("nova", 120), TeamNeeds("cinder", 120), TeamNeeds("relmgt", 60))


def test_draft_cells_become_planned_and_cells_it_leaves_become_free() -> None:
    state = standard()
    draft = {
        ("austin", "mona1"): NOVA,  # kept as it is: no change
        ("austin", "tuea1"): NOVA,  # nova's Mon-A2 moves here
        ("coiste bainisti", "mona1"): CINDER,
    }
    events = publish_events(state, draft, BEFORE)
    assert events == [
        CellChanged("austin", "mona2", planned("nova"), FREE),
        CellChanged("coiste bainisti", "mona1", FREE, planned("cinder")),
        CellChanged("austin", "tuea1", FREE, planned("nova")),
    ]
    after = apply_all(state, events)
    assert {where: c.team for where, c in after.cells.items() if c.team} == {
        where: p.team for where, p in draft.items()
    }


def test_teams_may_swap_rooms_within_a_slot() -> None:
    """Every team stays in one room at a time at each step: cells are freed first."""
    state = apply_all(
        standard(), [CellChanged("coiste bainisti", "mona1", FREE, planned("cinder"))]
    )
    draft = {
        ("austin", "mona1"): CINDER,
        ("coiste bainisti", "mona1"): NOVA,
        ("austin", "mona2"): NOVA,
    }
    after = apply_all(state, publish_events(state, draft, BEFORE))
    assert after.cell("austin", "mona1") == planned("cinder")
    assert after.cell("coiste bainisti", "mona1") == planned("nova")


def test_a_draft_the_board_shows_already_changes_nothing() -> None:
    state = standard()
    assert publish_events(state, board_schedule(state, build_instance(state)), BEFORE) == []


def test_booked_cells_are_never_touched() -> None:
    """A booking the draft holds for its team stays booked; one made since the draft, in
    a cell the draft leaves empty, stays too."""
    booked = Cell(CellStatus.BOOKED, "relmgt")
    state = apply_all(
        standard(),
        [
            CellChanged("austin", "tuea1", FREE, booked),
            CellChanged("coiste bainisti", "tuea2", FREE, Cell(CellStatus.BOOKED, "cinder")),
        ],
    )
    draft = {("austin", "mona1"): NOVA, ("austin", "mona2"): NOVA, ("austin", "tuea1"): RELMGT}
    assert publish_events(state, draft, BEFORE) == []


def test_planned_cells_of_rooms_the_planner_does_not_plan_stay() -> None:
    """Bexar is not bookable: the organizers keep its cells; a draft leaves them alone."""
    state = apply_all(standard(), [CellChanged("bexar", "mona1", FREE, planned("relmgt"))])
    draft = {("austin", "mona1"): NOVA, ("austin", "mona2"): NOVA}
    assert publish_events(state, draft, BEFORE) == []


def test_refused_when_a_cell_it_uses_was_booked_since() -> None:
    state = apply_all(
        standard(),
        [CellChanged("coiste bainisti", "mona1", FREE, Cell(CellStatus.BOOKED, "relmgt"))],
    )
    draft = {
        ("austin", "mona1"): NOVA,
        ("austin", "mona2"): NOVA,
        ("coiste bainisti", "mona1"): CINDER,
    }
    with pytest.raises(Conflict) as refused:
        publish_events(state, draft, BEFORE)
    assert refused.value.message == (
        "The draft no longer fits the event: Coiste Bainisti-Mon-A1 was booked by Release "
        "Management. "
        "Run 'ptghub plan run' again."
    )


def test_refused_when_a_booking_since_puts_a_team_in_two_rooms() -> None:
    state = apply_all(
        standard(),
        [CellChanged("coiste bainisti", "tuea1", FREE, Cell(CellStatus.BOOKED, "cinder"))],
    )
    draft = {("austin", "mona1"): NOVA, ("austin", "mona2"): NOVA, ("austin", "tuea1"): CINDER}
    with pytest.raises(
        Conflict,
        match=r"no longer fits the event: Cinder is in Austin and Coiste Bainisti at Tue 5 Apr "
        r"13:00 UTC\. Run",
    ):
        publish_events(state, draft, BEFORE)


def test_refused_when_a_cell_left_the_grid() -> None:
    draft = {("austin", "mona1"): NOVA, ("austin", "tuep2"): NOVA}  # Austin has no Tue-P2
    with pytest.raises(Conflict, match="Austin-Tue-P2 is not in the grid"):
        publish_events(standard(), draft, BEFORE)


def test_refused_when_the_checker_finds_a_hard_rule_broken_now() -> None:
    """cinder declared since the draft that it must not meet nova: the draft overlaps."""
    state = event(TeamNeeds("nova", 120), TeamNeeds("cinder", 60, avoid=frozenset({"nova"})))
    draft = {
        ("austin", "mona1"): NOVA,
        ("austin", "mona2"): NOVA,
        ("coiste bainisti", "mona1"): CINDER,
    }
    with pytest.raises(Conflict) as refused:
        publish_events(state, draft, BEFORE)
    assert refused.value.message == (
        "The draft no longer fits the event: Cinder (in Coiste Bainisti) and Nova/Placement "
        "(in Austin) must not clash, but both meet at Mon 4 Apr 13:00 UTC. Run 'ptghub plan "
        "run' again."
    )


def test_refused_when_it_changes_a_slot_that_has_begun() -> None:
    """Mid-event the past is frozen: a draft made on Friday cannot move Monday morning."""
    draft = {("austin", "mona2"): NOVA, ("austin", "tuea1"): NOVA}  # drops nova's Mon-A1
    monday = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)
    assert publish_events(standard(), draft, BEFORE)  # fine on Friday
    with pytest.raises(Conflict) as refused:
        publish_events(standard(), draft, monday)
    assert refused.value.message == (
        "The draft no longer fits the event: these slots have begun: Mon 4 Apr 13:00 UTC; "
        "plan as of an earlier time with --at (before Mon 4 Apr 13:00 UTC), or run 'ptghub "
        "plan run' again for a draft of what is left."
    )


def test_refused_when_a_pin_was_added_since() -> None:
    state = apply_all(standard(), [PinChanged("coiste bainisti", "tuea1", None, "relmgt")])
    draft = {("austin", "mona1"): NOVA, ("austin", "mona2"): NOVA}
    with pytest.raises(Conflict, match="no longer fits"):
        publish_events(state, draft, BEFORE)


def test_refused_for_a_team_that_no_longer_exists() -> None:
    draft = {
        ("austin", "mona1"): NOVA,
        ("austin", "mona2"): NOVA,
        ("austin", "tuea1"): Placement("gone"),
    }
    with pytest.raises(Conflict, match=r"team\(s\) gone no longer exist"):
        publish_events(standard(), draft, BEFORE)


def test_board_schedule_keeps_the_guests_of_the_published_version() -> None:
    state = standard()
    instance = build_instance(state)
    published = {("austin", "mona1"): Placement("nova", ("cinder",)), ("austin", "tuea1"): CINDER}
    assert board_schedule(state, instance, published) == {
        ("austin", "mona1"): Placement("nova", ("cinder",)),
        ("austin", "mona2"): NOVA,
    }


def test_cells_are_named_as_people_type_them() -> None:
    name = cell_namer(standard())
    assert name(("coiste bainisti", "mona1")) == "Coiste Bainisti-Mon-A1"
    assert name(("gone", "mona1")) == "gone-Mon-A1"
