"""Concurrent writers: many threads and processes booking the same cells at the same moment.

Every write goes through ``Store.run`` and the database serializes the writers of an event
(``BEGIN IMMEDIATE`` on SQLite, ``SELECT ... FOR UPDATE`` on PostgreSQL). So whatever the
interleaving, each cell ends with exactly one team, every loser is told who won, and the
audit log tells the same story as the tables. Writers use a Store of their own (separate
engines, as separate workers would), one Store shared by all threads, or separate processes.

Reads and the opening of stores under concurrency: test_concurrent_reads.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from sqlalchemy import func, select

from ptghub.commands.cells import parse_cell
from ptghub.core.errors import Conflict
from ptghub.core.events import CellChanged
from ptghub.core.model import Actor, Cell, CellStatus, EventState
from ptghub.store import tables
from ptghub.store.store import Store
from tests.store.racing import TIMEOUT, in_processes, in_threads
from tests.support import ORGANIZER, snapshot

TEAMS = tuple(f"t{i:02d}" for i in range(1, 21))
# The free Monday cells of 'Coiste Bainisti' in the small test event, one per slot.
CELLS = ("Coiste Bainisti-Mon-A1", "Coiste Bainisti-Mon-A2", "Coiste Bainisti-Mon-P1")
# The two bookable rooms' cells in one slot: a team can hold only one of them.
SAME_SLOT = ("Austin-Mon-P1", "Coiste Bainisti-Mon-P1")
CONCURRENT = "Someone else changed the same thing at the same moment; try again."


@dataclass(frozen=True, slots=True)
class Attempt:
    """One '#TEAM book CELL' and what came of it (pickled across processes)."""

    team: str
    cell: str
    won: bool
    message: str  # the reply when it won, the Conflict's message when it lost
    audit_id: int | None


def _chair(team: str) -> Actor:
    return Actor(f"chair-{team}", frontend="test")


def _book_all(store: Store, team: str, cells: Sequence[str]) -> list[Attempt]:
    """Book each cell in turn; a Conflict is an answer, any other error fails the writer."""
    attempts = []
    for cell in cells:
        try:
            result = store.run(f"#{team} book {cell}", _chair(team))
        except Conflict as error:
            attempts.append(Attempt(team, cell, False, error.message, None))
        else:
            assert result is not None
            attempts.append(Attempt(team, cell, True, result.reply, result.audit_id))
    return attempts


def _race(jobs: Sequence[Callable[[], list[Attempt]]]) -> list[Attempt]:
    return [attempt for done in in_threads(jobs) for attempt in done]


@contextmanager
def _stores(store: Store, database_url: str, count: int, *, shared: bool) -> Iterator[list[Store]]:
    """``count`` stores: ``store`` itself when shared, else new ones opened on the same URL."""
    if shared:
        yield [store] * count
        return
    with ExitStack() as stack:
        stores = []
        for _ in range(count):
            other = Store.open(database_url)
            stack.callback(other.close)
            stores.append(other)
        yield stores


def _orders(cells: Sequence[str], count: int) -> list[tuple[str, ...]]:
    """``count`` booking orders, cycling through every permutation of ``cells``."""
    return list(itertools.islice(itertools.cycle(itertools.permutations(cells)), count))


def _stored_state(database_url: str) -> EventState:
    """The state as the tables hold it, read by a store with an empty cache."""
    reader = Store.open(database_url)
    try:
        return reader.state()
    finally:
        reader.close()


def _teams_in_two_rooms(store: Store) -> list[tuple[str, str, int]]:
    """(slot, team, count) for any team holding more than one room in a slot, per the table."""
    c = tables.cells.c
    query = (
        select(c.slot_key, c.team_key, func.count())
        .where(c.team_key.is_not(None))
        .group_by(c.slot_key, c.team_key)
        .having(func.count() > 1)
    )
    with store.engine.connect() as conn:
        return [(r[0], r[1], r[2]) for r in conn.execute(query)]


def _check_race(
    store: Store, database_url: str, attempts: list[Attempt], teams: Sequence[str], after: int
) -> None:
    """Check the outcome of every team booking every cell of CELLS once."""
    stored = _stored_state(database_url)
    winners: dict[str, str] = {}
    for name in CELLS:
        cell = stored.cell(*parse_cell(stored, name))
        assert cell.status is CellStatus.BOOKED and cell.team is not None
        assert cell.team in teams
        winners[name] = cell.team
    # Every team tried every cell once; the holder of a cell is the one that won it.
    assert sorted((a.team, a.cell) for a in attempts) == sorted(itertools.product(teams, CELLS))
    wins = sorted((a.cell, a.team, a.message) for a in attempts if a.won)
    assert wins == sorted(
        (name, team, f"OK, {name} is now booked for {team}.") for name, team in winners.items()
    )
    # Every loser heard who holds the cell (or, at worst, that it raced and may retry).
    wrong = [
        a
        for a in attempts
        if not a.won
        and a.message not in (f"{a.cell} is already booked for {winners[a.cell]}.", CONCURRENT)
    ]
    assert wrong == []
    # The audit log holds exactly the winning bookings, under the ids that run() returned.
    logged = [e for e in store.audit() if e.id > after]
    assert sorted((e.id, e.actor, e.text) for e in logged) == sorted(
        (a.audit_id, _chair(a.team).nick, f"#{a.team} book {a.cell}") for a in attempts if a.won
    )
    booked = {
        (c.room, c.slot, c.new) for e in logged for c in e.events if isinstance(c, CellChanged)
    }
    assert booked == {
        (*parse_cell(stored, name), Cell(CellStatus.BOOKED, team)) for name, team in winners.items()
    }
    assert snapshot(store.replay()) == snapshot(stored)
    assert _teams_in_two_rooms(store) == []


def _add_teams(store: Store, teams: Sequence[str]) -> int:
    """Add the teams as the organizer; return the audit id after which the race is logged."""
    result = store.run("~add " + " ".join(teams), ORGANIZER)
    assert result is not None and result.audit_id is not None
    return result.audit_id


@pytest.mark.parametrize("shared", [False, True], ids=["own-stores", "shared-store"])
def test_concurrent_bookings_of_the_same_cells_give_each_cell_one_team(
    store: Store, database_url: str, shared: bool
) -> None:
    after = _add_teams(store, TEAMS)
    with _stores(store, database_url, len(TEAMS), shared=shared) as stores:
        jobs = [
            partial(_book_all, s, team, order)
            for s, team, order in zip(stores, TEAMS, _orders(CELLS, len(TEAMS)), strict=True)
        ]
        attempts = _race(jobs)
    _check_race(store, database_url, attempts, TEAMS, after)


@pytest.mark.parametrize("shared", [False, True], ids=["own-stores", "shared-store"])
def test_concurrent_bookings_of_one_team_in_two_rooms_at_once_let_one_win(
    store: Store, database_url: str, shared: bool
) -> None:
    after = store.audit()[-1].id
    with _stores(store, database_url, len(TEAMS), shared=shared) as stores:
        targets = [SAME_SLOT[i % 2] for i in range(len(stores))]
        jobs = [
            partial(_book_all, s, "cinder", [cell]) for s, cell in zip(stores, targets, strict=True)
        ]
        attempts = _race(jobs)
    stored = _stored_state(database_url)
    held = [name for name in SAME_SLOT if stored.cell(*parse_cell(stored, name)).team == "cinder"]
    assert len(held) == 1
    won, room = held[0], stored.rooms[parse_cell(stored, held[0])[0]].name
    assert [(a.cell, a.message) for a in attempts if a.won] == [
        (won, f"OK, {won} is now booked for cinder.")
    ]
    expected = {
        won: f"{won} is already booked for cinder.",
        **{
            other: f"cinder is already in {room} at Mon-P1; a team is in one room at a time."
            for other in SAME_SLOT
            if other != won
        },
    }
    wrong = [a for a in attempts if not a.won and a.message not in (expected[a.cell], CONCURRENT)]
    assert (wrong, len(attempts)) == ([], len(TEAMS))
    assert [(e.actor, e.text) for e in store.audit() if e.id > after] == [
        ("chair-cinder", f"#cinder book {won}")
    ]
    assert snapshot(store.replay()) == snapshot(stored)
    assert _teams_in_two_rooms(store) == []


def _open_and_book(barrier: Any, url: str, team: str, cells: tuple[str, ...]) -> list[Attempt]:
    """A writer process: opens its own Store, then races the others for ``cells``."""
    store = Store.open(url)
    try:
        barrier.wait(TIMEOUT)
        return _book_all(store, team, cells)
    finally:
        store.close()


def test_concurrent_bookings_from_processes_give_each_cell_one_team(
    store: Store, database_url: str
) -> None:
    teams = TEAMS[:4]
    after = _add_teams(store, teams)
    calls = [
        (database_url, team, order)
        for team, order in zip(teams, _orders(CELLS, len(teams)), strict=True)
    ]
    attempts = [attempt for done in in_processes(_open_and_book, calls) for attempt in done]
    _check_race(store, database_url, attempts, teams, after)
