"""event_update: the differences an edited event file makes, and the events that make them.

Pure: a state loaded from ``tests/event_files.EVENT``, maybe changed since as during an
event, and the edited file's state. Every applied update must leave the state the file
defines (where the event did not add to it), and its inverse must give back the state
it started from, order of rooms and slots included (that is what ``undo`` applies).
"""

from __future__ import annotations

import pytest

from ptghub.commands.event_diff import grouped
from ptghub.commands.event_update import EventUpdater, Update, check, plan_update
from ptghub.core.apply import apply_all
from ptghub.core.errors import Conflict, InvalidInput, PermissionDenied
from ptghub.core.events import CellChanged, DomainEvent, OutcomeChanged, TopicsChanged
from ptghub.core.model import FREE, Cell, CellStatus, EventState, Topics
from ptghub.eventfile import EventFileError
from tests.event_files import EVENT, edited, loaded
from tests.support import ALICE, ORGANIZER, snapshot


def _applied(state: EventState, update: Update) -> EventState:
    """The state after ``update``; checks that its inverse restores ``state`` exactly."""
    after = apply_all(state, update.events)
    inverses = [e.inverse() for e in reversed(update.events)]
    assert all(e is not None for e in inverses)
    restored = apply_all(after, [e for e in inverses if e is not None])
    assert snapshot(restored) == snapshot(state)
    return after


def _run(state: EventState, text: str, *, free_cells: bool = False) -> EventUpdater:
    updater = EventUpdater(text, "edited.yaml", free_cells=free_cells)
    updater(state, ORGANIZER)
    return updater


def test_the_same_file_makes_no_difference() -> None:
    update = plan_update(loaded(), loaded())
    assert (update.differences, update.held, update.events) == ([], [], [])


def test_every_kind_of_difference_is_listed_by_kind_and_applied() -> None:
    text = edited(
        ("name: Update PTG", "name: Updated PTG"),
        ("  about: About the PTG.", "  about: All about it.\n  faq: Ask."),
        ("links:\n  Wiki: https://wiki.example.org\n", ""),
        ("end: 2022-04-04T19:00", "end: 2022-04-04T20:00"),
        ("    capacity: 50", "    capacity: 60\n  - name: Diablo"),
        ("    name: Nova\n", "    name: Nova Compute\n"),
        ("chairs: [nchair]", "chairs: [nchair, alice]"),
        ("organizers: [olivia]", "organizers: [olivia, bob]\nopen_to_everyone: true"),
        ("  - slug: manila", "  - slug: swift\n    name: Swift\n  - slug: manila"),
        ("Bexar: {Mon-A1: cinder}", "Bexar: {Mon-A1: cinder, Tue-P1: swift}"),
        ('{name: P1, start: "15:00", end: "16:00"}', '{name: P1, start: "15:30", end: "16:30"}'),
    )
    state = loaded()
    update = plan_update(state, loaded(text))
    assert grouped(update.differences) == [
        ("event", ["name: 'Update PTG' -> 'Updated PTG'", "open to everyone: no -> yes"]),
        ("pages", ["changed about (13 characters) (was 14 characters)",
                   "added faq (4 characters)"]),
        ("links", ["removed Wiki"]),
        ("socials", ["changed 'Happy hour': ends 2022-04-04 19:00 UTC -> 2022-04-04 20:00 UTC"]),
        ("rooms", ["added Diablo", "changed Austin: capacity 50 -> 60",
                   "new order: Austin, Diablo, Bexar, Cactus"]),
        ("slots", ["changed Mon-P1: start 15:00 -> 15:30, end 16:00 -> 16:30",
                   "changed Tue-P1: start 15:00 -> 15:30, end 16:00 -> 16:30"]),
        ("teams", ["changed nova: name 'Nova' -> 'Nova Compute'", "added swift (Swift)"]),
        ("chairs", ["added alice as chair of nova"]),
        ("organizers", ["added bob"]),
        ("schedule", ["Bexar Tue-P1: planned swift (was free)"]),
    ]  # fmt: skip
    assert update.held == []
    after = _applied(state, update)
    assert snapshot(after) == snapshot(loaded(text))


def test_a_removed_room_holding_cells_is_refused_with_the_list_unless_freed() -> None:
    text = edited(("  - name: Bexar\n", ""), ("  Bexar: {Mon-A1: cinder}\n", ""))
    state = loaded()
    with pytest.raises(Conflict) as error:
        _run(state, text)
    assert error.value.message == (
        "The update would take 1 cell(s) of the schedule from their teams:\n"
        "  Bexar Mon-A1: cinder (room removed)\n"
        "Move or unbook them first, or say to free them "
        '(ptghub event update --free-cells; "free_cells": true in the API).'
    )
    updater = _run(state, text, free_cells=True)
    assert [str(cell) for cell in updater.update.held] == ["Bexar Mon-A1: cinder (room removed)"]
    after = _applied(state, updater.update)
    assert list(after.rooms) == ["austin", "cactus"]
    assert snapshot(after) == snapshot(loaded(text))


def test_a_removed_slot_takes_its_cells_and_comes_back_in_its_place_on_undo() -> None:
    text = edited(
        ('  - {name: A1, start: "13:00", end: "14:00"}\n', ""),
        ("schedule:\n  Austin: {Mon-A1: nova, Tue-A1: nova}\n  Bexar: {Mon-A1: cinder}\n", ""),
    )
    state = loaded()
    update = plan_update(state, loaded(text))
    assert [str(c) for c in update.held] == [
        "Austin Mon-A1: nova (slot removed)",
        "Bexar Mon-A1: cinder (slot removed)",
        "Austin Tue-A1: nova (slot removed)",
    ]
    assert grouped(update.differences) == [("slots", ["removed Mon-A1", "removed Tue-A1"])]
    after = _applied(state, update)
    assert snapshot(after) == snapshot(loaded(text))


def test_a_removed_team_loses_its_cells_chairs_topics_outcomes_and_needs_only_when_told() -> None:
    text = edited(
        ("  - slug: nova\n    name: Nova\n    chairs: [nchair]\n", ""),
        ("  Austin: {Mon-A1: nova, Tue-A1: nova}\n", ""),
    )
    state = apply_all(
        loaded(),
        [
            TopicsChanged("nova", Topics(), Topics(now="Quotas")),
            OutcomeChanged("nova", 1, None, "Agreed."),
        ],
    )
    with pytest.raises(Conflict) as error:
        _run(state, text)
    assert "  Austin Mon-A1: nova (team removed)\n  Austin Tue-A1: nova (team removed)\n" in (
        error.value.message
    )
    updater = _run(state, text, free_cells=True)
    assert grouped(updater.update.differences) == [
        ("teams", ["removed nova (Nova)"]),
        ("chairs", ["removed nchair as chair of nova"]),
        ("schedule", ["Austin Mon-A1: free (was planned)", "Austin Tue-A1: free (was planned)"]),
    ]
    after = _applied(state, updater.update)
    assert ("nova" in after.teams, after.topics, after.outcomes) == (False, {}, {})
    assert snapshot(after) == snapshot(loaded(text))


def test_a_booking_stays_where_the_file_says_free_and_blocks_a_closed_cell() -> None:
    booked = Cell(CellStatus.BOOKED, "manila")
    state = apply_all(loaded(), [CellChanged("cactus", "mona1", FREE, booked)])
    update = plan_update(state, loaded(edited(("name: Update PTG", "name: Renamed"))))
    assert apply_all(state, update.events).cell("cactus", "mona1") == booked
    closed = edited(("unavailable: [Tue-P1]", "unavailable: [Tue-P1, Mon-A1]"))
    update = plan_update(state, loaded(closed))
    assert [str(c) for c in update.held] == ["Cactus Mon-A1: manila (now unavailable)"]
    assert grouped(update.differences) == [
        ("schedule", ["Cactus Mon-A1: unavailable (was booked)"])
    ]
    assert _applied(state, update).cell("cactus", "mona1") == Cell(CellStatus.UNAVAILABLE)


def test_the_files_plan_replaces_another_team_and_teams_may_swap_cells() -> None:
    text = edited(
        ("Austin: {Mon-A1: nova,", "Austin: {Mon-A1: cinder,"),
        ("{Mon-A1: cinder}", "{Mon-A1: nova}"),
    )
    state = loaded()
    update = plan_update(state, loaded(text))
    assert grouped(update.differences) == [
        ("schedule", ["Austin Mon-A1: planned cinder (was nova)",
                      "Bexar Mon-A1: planned nova (was cinder)"])
    ]  # fmt: skip
    assert update.held == [] and check(state, update) is None
    assert snapshot(_applied(state, update)) == snapshot(loaded(text))


def test_an_earlier_slot_and_new_room_order_keep_the_files_order() -> None:
    text = edited(
        ("slots:\n", 'slots:\n  - {name: A0, start: "12:00", end: "13:00"}\n'),
        ("  - name: Bexar\n", ""),
        (
            "  - name: Cactus\n",
            "  - name: Cactus\n  - name: Bexar\n",
        ),
    )
    text = edited(
        (
            "  - name: Bexar\n    unavailable: [Tue-P1]",
            "    unavailable: [Tue-P1]\n  - name: Bexar",
        ),
        text=text,
    )
    state = loaded()
    update = plan_update(state, loaded(text))
    after = _applied(state, update)
    assert list(after.slots) == ["mona0", "mona1", "monp1", "tuea0", "tuea1", "tuep1"]
    assert list(after.rooms) == ["austin", "cactus", "bexar"]
    assert snapshot(after) == snapshot(loaded(text))


def test_an_update_from_another_events_file_is_invalid() -> None:
    with pytest.raises(InvalidInput) as error:
        _run(loaded(), edited(("slug: upd-ptg", "slug: other-ptg")))
    assert error.value.message == (
        "The file defines the event 'other-ptg', not 'upd-ptg': the slug cannot change "
        "(load the file as a new event instead)."
    )


def test_only_an_organizer_may_update() -> None:
    updater = EventUpdater(EVENT, "same.yaml")
    with pytest.raises(PermissionDenied) as error:
        updater(loaded(), ALICE)
    assert error.value.message == "Updating the event needs an organizer; alice is not one."


def test_an_invalid_file_is_refused_with_its_line_before_anything() -> None:
    with pytest.raises(EventFileError) as error:
        EventUpdater(edited(("capacity: 50", "capacity: many")), "bad.yaml")
    assert error.value.message == (
        "bad.yaml:17: rooms[0].capacity: expected a whole number of people from 1 to 100000, "
        "got 'many'"
    )


def test_check_says_why_an_update_would_not_apply() -> None:
    # nova is booked in Cactus on Tuesday morning; the file now plans it in Bexar then too.
    state = apply_all(
        loaded(),
        [
            CellChanged("austin", "tuea1", Cell(CellStatus.PLANNED, "nova"), FREE),
            CellChanged("cactus", "tuea1", FREE, Cell(CellStatus.BOOKED, "nova")),
        ],
    )
    text = edited(
        ("Austin: {Mon-A1: nova, Tue-A1: nova}", "Austin: {Mon-A1: nova}"),
        ("{Mon-A1: cinder}", "{Mon-A1: cinder, Tue-A1: nova}"),
    )
    update = plan_update(state, loaded(text))
    events: list[DomainEvent] = update.events
    assert events and check(state, update) == (
        "nova is already in Cactus at Tue-A1; a team is in one room at a time."
    )


def test_chairs_and_organizers_the_file_does_not_name_are_kept_and_said() -> None:
    # Granted in the chat during the event (~role grant), or dropped from the file: an
    # update of the file's pages must not lock a chair out; `~role revoke` does that.
    text = edited(("chairs: [nchair]", "chairs: []"), ("organizers: [olivia]", "organizers: []"))
    state = loaded()
    update = plan_update(state, loaded(text))
    assert grouped(update.differences) == [
        ("chairs", ["kept nchair as chair of nova (not in the file; "
                    "'~role revoke nchair chair nova' takes it away)"]),
        ("organizers", ["kept olivia (not in the file; "
                        "'~role revoke olivia organizer' takes it away)"]),
    ]  # fmt: skip
    assert _applied(state, update).roles == state.roles
