"""The organizers' workflow over a real store: run a draft, publish it, undo, pin, re-plan.

Every schedule the planner stores or publishes is judged by the independent checker
against the event as it is at that moment.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime

import pytest

from ptghub.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ptghub.core.events import CellChanged, DomainEvent, NeedsChanged, PlanRulesChanged
from ptghub.core.model import FREE, Actor, Cell, CellStatus, EventState
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.planner.checker import check
from ptghub.planner.from_state import build_instance
from ptghub.planner.instance import Placement
from ptghub.planner.publish import board_schedule
from ptghub.store import plan_workflow
from ptghub.store.plan_versions import Plans, PlanStatus
from ptghub.store.store import Store
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, Clock

FRIDAY = datetime(2022, 4, 1, 9, 0, tzinfo=UTC)  # before the event
LIMIT = 3.0
NEEDS = (
    TeamNeeds("nova", 180),
    TeamNeeds("cinder", 180),
    TeamNeeds("relmgt", 120),
    TeamNeeds("first-contact", 120, avoid=frozenset({"nova"})),
)


def state_needs(store: Store, *needs: TeamNeeds) -> None:
    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        return [NeedsChanged(n.team, state.needs.get(n.team), n) for n in needs]

    store.change(build, ORGANIZER, "needs")


def board(store: Store) -> dict[tuple[str, str], Cell]:
    return {where: cell for where, cell in store.state().cells.items() if cell.team}


def clash_free_on_the_board(store: Store, now: datetime) -> None:
    state = store.state()
    instance = build_instance(state, now)
    assert check(instance, board_schedule(state, instance)) == []


@pytest.fixture
def planned(store: Store, clock: Clock) -> Store:
    """The small event on the Friday before, with every team's needs stated."""
    clock.now = FRIDAY
    state_needs(store, *NEEDS)
    return store


def test_run_stores_a_clash_free_draft_and_leaves_the_board(planned: Store) -> None:
    before, audit = board(planned), planned.audit()
    record = plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    assert (record.number, record.status, record.created_by) == (1, PlanStatus.DRAFT, "olivia")
    assert record.report.clash_free and record.report.unmet == ()
    assert {(h.team, h.placed, h.wanted) for h in record.report.hours} == {
        ("nova", 180, 180),
        ("cinder", 180, 180),
        ("relmgt", 120, 120),
        ("first-contact", 120, 120),
    }
    assert record.report.at == FRIDAY
    assert record.report.stages[0].name == "hours"
    instance = build_instance(planned.state(), FRIDAY)
    assert check(instance, record.schedule) == []
    assert record.inputs["needs"]["first-contact"]["avoid"] == ["nova"]
    # nova's two published hours stay where they are
    assert record.schedule[("austin", "mona1")] == Placement("nova")
    assert record.report.changes.moved_minutes == 0
    assert (board(planned), planned.audit()) == (before, audit)


def test_only_organizers_run_publish_and_pin(planned: Store) -> None:
    with pytest.raises(
        PermissionDenied, match=re.escape("Planning needs an organizer; nchair is not one.")
    ):
        plan_workflow.run(planned, NOVA_CHAIR, work_limit=LIMIT)
    plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    with pytest.raises(PermissionDenied, match="Publishing a plan needs an organizer"):
        plan_workflow.publish(planned, ALICE)
    with pytest.raises(PermissionDenied, match="Pinning a cell needs an organizer"):
        plan_workflow.pin(planned, ALICE, "Austin-Tue-A1", "cinder")
    assert Plans(planned.engine).latest_draft(None).number == 1
    assert planned.state().pins == {}


def test_publish_puts_the_draft_on_the_board_in_one_change_and_undo_takes_it_back(
    planned: Store,
) -> None:
    before = board(planned)
    draft = plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    audit = planned.audit()
    record, result = plan_workflow.publish(planned, ORGANIZER)
    entries = planned.audit()
    assert len(entries) == len(audit) + 1
    assert (entries[-1].id, entries[-1].text, entries[-1].actor) == (
        result.audit_id,
        "plan publish 1",
        "olivia",
    )
    assert {where: c.team for where, c in board(planned).items()} == {
        where: p.team for where, p in draft.schedule.items()
    }
    assert all(c.status is CellStatus.PLANNED for c in board(planned).values())
    assert (record.status, record.published_audit_id) == (PlanStatus.PUBLISHED, result.audit_id)
    assert Plans(planned.engine).current(None) == record
    clash_free_on_the_board(planned, FRIDAY)
    assert result.audit_id is not None
    planned.undo(result.audit_id, ORGANIZER)
    assert board(planned) == before
    assert Plans(planned.engine).get(None, 1).undone_by == planned.audit()[-1].id
    assert Plans(planned.engine).current(None) is None


def test_a_draft_is_published_once(planned: Store) -> None:
    plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    plan_workflow.publish(planned, ORGANIZER, 1)
    with pytest.raises(Conflict, match="Plan #1 is published, not a draft"):
        plan_workflow.publish(planned, ORGANIZER, 1)
    with pytest.raises(NotFound, match="There is no draft yet"):
        plan_workflow.publish(planned, ORGANIZER)


def test_publishing_again_supersedes_and_an_unchanged_board_is_no_change(planned: Store) -> None:
    plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    plan_workflow.publish(planned, ORGANIZER)
    second = plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    assert second.report.changes.unchanged  # the board already holds the best plan
    audit = planned.audit()
    record, result = plan_workflow.publish(planned, ORGANIZER)
    assert (record.number, record.status, result.audit_id) == (2, PlanStatus.PUBLISHED, None)
    assert planned.audit() == audit
    assert Plans(planned.engine).get(None, 1).status is PlanStatus.SUPERSEDED


def test_publish_is_refused_when_a_cell_was_booked_since(planned: Store) -> None:
    draft = plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    taken = next(
        where
        for where, p in draft.schedule.items()
        if p.team != "relmgt" and planned.state().cell(*where).status is CellStatus.FREE
    )
    planned.change(
        lambda s, a: [CellChanged(*taken, FREE, Cell(CellStatus.BOOKED, "relmgt"))],
        ORGANIZER,
        "booking",
    )
    before, audit = board(planned), planned.audit()
    with pytest.raises(
        Conflict, match=re.escape("was booked by Release Management. Run 'ptghub plan run' again.")
    ):
        plan_workflow.publish(planned, ORGANIZER)
    assert (board(planned), planned.audit()) == (before, audit)
    assert Plans(planned.engine).get(None, 1).status is PlanStatus.DRAFT


def test_pins_are_kept_by_the_next_run(planned: Store) -> None:
    result = plan_workflow.pin(planned, ORGANIZER, "Coiste Bainisti-Tue-P2", "relmgt")
    assert result.audit_id is not None
    assert planned.state().pins == {("coiste bainisti", "tuep2"): "relmgt"}
    assert planned.audit()[-1].text == "plan pin Coiste Bainisti-Tue-P2 relmgt"
    draft = plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    assert draft.schedule[("coiste bainisti", "tuep2")] == Placement("relmgt")
    plan_workflow.pin(planned, ORGANIZER, "coiste bainisti-TueP2", None)
    assert planned.state().pins == {}


def test_pin_mistakes_are_named(planned: Store) -> None:
    with pytest.raises(InvalidInput, match="does not end with a known slot code"):
        plan_workflow.pin(planned, ORGANIZER, "Austin-Sun-A1", "nova")
    with pytest.raises(NotFound, match="swift"):
        plan_workflow.pin(planned, ORGANIZER, "Austin-Tue-A1", "swift")
    with pytest.raises(Conflict, match=re.escape("Austin-Tue-A1 is not pinned; nothing to unpin.")):
        plan_workflow.pin(planned, ORGANIZER, "Austin-Tue-A1", None)
    plan_workflow.pin(planned, ORGANIZER, "Austin-Tue-A1", "nova")
    with pytest.raises(Conflict, match=re.escape("Austin-Tue-A1 is pinned to nova already.")):
        plan_workflow.pin(planned, ORGANIZER, "Austin-Tue-A1", "nova")


def test_compare_against_the_board_and_another_version(planned: Store) -> None:
    first = plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    plan_workflow.publish(planned, ORGANIZER)
    state_needs(planned, TeamNeeds("cinder", 240))
    second = plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    against_board = plan_workflow.compare(planned, second)
    assert against_board == second.report.changes
    assert {t.team for t in against_board.teams} >= {"cinder"}
    assert plan_workflow.compare(planned, second, first.number) == against_board
    assert plan_workflow.compare(planned, first).unchanged


def test_mid_event_replan_keeps_the_past_and_the_bookings_and_moves_little(
    planned: Store, clock: Clock
) -> None:
    """Monday 15:30: Monday's A1, A2 and P1 have begun; a chair booked a cell; cinder now
    wants an hour more and relmgt an hour less. The re-plan keeps everything that has
    begun and the booking, moves few published hours, and publishes clash-free."""
    plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    plan_workflow.publish(planned, ORGANIZER)
    published = planned.state()
    clock.now = datetime(2022, 4, 4, 15, 30, tzinfo=UTC)
    busy = {slot for (_, slot), cell in published.cells.items() if cell.team == "nova"}
    free = next(
        where
        for where, cell in published.cells.items()
        if where[1].startswith("tue")
        and where[1] not in busy
        and cell.status is CellStatus.FREE
        and where[0] != "bexar"
    )
    name = f"{published.rooms[free[0]].name}-{published.slots[free[1]].code}"
    planned.run(f"#nova book {name}", NOVA_CHAIR)
    state_needs(planned, TeamNeeds("cinder", 240), TeamNeeds("relmgt", 60))
    draft = plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    assert draft.report.clash_free
    begun = {"mona1", "mona2", "monp1"}
    for where, cell in published.cells.items():
        if where[1] in begun and cell.team:
            assert draft.schedule[where] == Placement(cell.team), where
    assert draft.schedule[free] == Placement("nova")
    assert draft.report.changes.share <= 0.25
    plan_workflow.publish(planned, ORGANIZER)
    after = planned.state()
    for where, cell in published.cells.items():
        if where[1] in begun:
            assert after.cell(*where) == cell, where
    assert after.cell(*free) == Cell(CellStatus.BOOKED, "nova")
    clash_free_on_the_board(planned, clock.now)


def test_one_draft_published_twice_at_once_is_published_once(planned: Store) -> None:
    """Two organizers publish the same draft at the same moment: one wins, the other is
    told; the board and the audit log hold one publish."""
    plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    audit = len(planned.audit())
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def publish() -> None:
        barrier.wait()
        try:
            plan_workflow.publish(planned, ORGANIZER, 1)
            outcomes.append("published")
        except Conflict as error:
            outcomes.append(error.message)

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes)[1] == "published"
    assert sorted(outcomes)[0] in (
        "Plan #1 is published, not a draft; 'ptghub plan run' makes a new draft.",
        "Plan #1 is no longer a draft: it was published meanwhile.",
    )
    assert len(planned.audit()) == audit + 1
    clash_free_on_the_board(planned, FRIDAY)


def test_a_joint_session_that_has_begun_stays_a_joint_session_in_the_next_run(
    planned: Store, clock: Clock
) -> None:
    """The board keeps only the host: the published version gives the guests back, so a
    re-plan after the joint session began neither breaks nor moves it."""
    # Tuesday is for cross-project teams: relmgt's joint session can only be on Monday.
    tuesday = date(2022, 4, 5)

    def rules(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        new = PlanRules(cross_project_days=frozenset({tuesday}))
        return [PlanRulesChanged(state.plan_rules, new)]

    planned.change(rules, ORGANIZER, "rules")
    state_needs(
        planned,
        TeamNeeds("relmgt", 120, joint=(("cinder", 60),)),
        TeamNeeds("cinder", 180, cross_project=True),
        TeamNeeds("first-contact", 120, avoid=frozenset({"nova"}), cross_project=True),
    )
    published = plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)
    plan_workflow.publish(planned, ORGANIZER, published.number)
    (joint,) = [cell for cell, p in published.schedule.items() if p.guests == ("cinder",)]
    slot = planned.state().slots[joint[1]]
    clock.now = datetime.combine(slot.day, slot.end, UTC)  # the joint session is over

    again = plan_workflow.run(planned, ORGANIZER, work_limit=LIMIT)

    assert again.report.clash_free, again.report.violations
    assert again.schedule[joint] == Placement("relmgt", ("cinder",))
    assert plan_workflow.publish(planned, ORGANIZER, again.number)[0].status is PlanStatus.PUBLISHED
