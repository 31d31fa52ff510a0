"""Concurrent writers: many threads and processes booking the same cells at the same moment.

Every write goes through ``Store.run`` and the database serializes the writers of an event
(``BEGIN IMMEDIATE`` on SQLite, ``SELECT ... FOR UPDATE`` on PostgreSQL). So whatever the
interleaving, each cell ends with exactly one team, every loser is told who won, and the
audit log tells the same story as the tables. Writers use a Store of their own (separate
engines, as separate workers would), one Store shared by all threads, or separate processes.
"""

from __future__ import annotations

import itertools
import multiprocessing
import queue
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, event, func, select

from ptghub.commands.cells import parse_cell
from ptghub.core.errors import Conflict
from ptghub.core.events import CellChanged
from ptghub.core.model import Actor, Cell, CellStatus, EventState
from ptghub.store import engine as engine_module
from ptghub.store import store as store_module
from ptghub.store import tables
from ptghub.store.store import Store
from tests.support import ORGANIZER, snapshot

T = TypeVar("T")
R = TypeVar("R")

TIMEOUT = 30.0  # seconds; a deadlock fails the test instead of hanging it
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


def _in_threads(jobs: Sequence[Callable[[], T]]) -> list[T]:
    """Run every job in a thread of its own, all released together; re-raise any failure."""
    barrier = threading.Barrier(len(jobs))
    lock = threading.Lock()
    done: list[T] = []
    errors: list[Exception] = []

    def worker(job: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            result = job()
        except Exception as error:  # collected here, raised in the test's thread below
            barrier.abort()
            with lock:
                errors.append(error)
        else:
            with lock:
                done.append(result)

    threads = [
        threading.Thread(target=worker, args=(job,), name=f"worker-{i}", daemon=True)
        for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert [t.name for t in threads if t.is_alive()] == []
    if errors:
        raise ExceptionGroup(f"{len(errors)} of {len(jobs)} threads failed", errors)
    return done


def _race(jobs: Sequence[Callable[[], list[Attempt]]]) -> list[Attempt]:
    return [attempt for done in _in_threads(jobs) for attempt in done]


def _process_main(job: Callable[..., Any], args: tuple[Any, ...], barrier: Any, out: Any) -> None:
    """Body of a spawned process: report ``job(barrier, *args)`` or its traceback."""
    try:
        out.put((args, job(barrier, *args), None))
    except BaseException:
        out.put((args, None, traceback.format_exc()))


def _in_processes(job: Callable[..., R], calls: Sequence[tuple[Any, ...]]) -> list[R]:
    """Run ``job(barrier, *args)`` for each args in a spawned process; fail on any error.

    ``job`` must be a module-level function (spawned processes import it by name) and
    call ``barrier.wait(TIMEOUT)`` where the processes should start racing.
    """
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(calls))
    out = context.Queue()
    processes = [
        context.Process(target=_process_main, args=(job, args, barrier, out), name=f"worker-{i}")
        for i, args in enumerate(calls)
    ]
    for process in processes:
        process.start()
    reports: list[tuple[tuple[Any, ...], R | None, str | None]] = []
    try:
        for _ in processes:
            reports.append(out.get(timeout=TIMEOUT))
    except queue.Empty:
        pass  # the assertions below say which process did not report
    finally:
        for process in processes:
            process.join(TIMEOUT)
            if process.is_alive():
                process.kill()
                process.join()
        out.close()
        out.join_thread()
    assert [(args, error) for args, _, error in reports if error is not None] == []
    assert sorted(args for args, _, _ in reports) == sorted(calls)
    assert [p.exitcode for p in processes] == [0] * len(calls)
    return [result for _, result, _ in reports if result is not None]


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
    attempts = [attempt for done in _in_processes(_open_and_book, calls) for attempt in done]
    _check_race(store, database_url, attempts, teams, after)


# -- reads and migrations under concurrency ------------------------------------------------


def test_state_read_while_another_store_commits_is_one_version_of_the_event(
    store: Store, database_url: str
) -> None:
    before = snapshot(store.state())
    failures: list[Exception] = []

    def commit() -> None:
        try:
            store.run("~add t21", ORGANIZER)
            store.run("#t21 book Coiste Bainisti-Mon-A1", ORGANIZER)
        except Exception as error:
            failures.append(error)

    writer = threading.Thread(target=commit, name="writer", daemon=True)

    def commit_before_cells_are_read(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM cells" in statement and writer.ident is None:
            writer.start()
            writer.join(2.0)  # a reader that locks the event row makes the writer wait

    reader = Store.open(database_url)  # a cache of its own, empty: state() reads the tables
    event.listen(reader.engine, "before_cursor_execute", commit_before_cells_are_read)
    try:
        read = reader.state()
    finally:
        reader.close()
    writer.join(TIMEOUT)
    assert (writer.ident is not None, writer.is_alive(), failures) == (True, False, [])
    assert store.state().cell("coiste bainisti", "mona1") == Cell(CellStatus.BOOKED, "t21")
    assert snapshot(read) == before


def _try_open(url: str) -> Store | str:
    try:
        return Store.open(url)
    except Exception as error:
        return f"{type(error).__name__}: {error}".splitlines()[0]


def test_stores_opened_by_many_threads_at_once_all_open(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    Store.open(database_url).close()  # the schema is current: only the opening races
    engines: list[Engine] = []  # a failed Store.open leaves its engine open: dispose it here

    def make_engine(url: str) -> Engine:
        created = engine_module.make_engine(url)
        engines.append(created)
        return created

    monkeypatch.setattr(store_module, "make_engine", make_engine)
    failures: list[str] = []
    try:
        for _ in range(5):
            for opened in _in_threads([partial(_try_open, database_url) for _ in range(8)]):
                if isinstance(opened, str):
                    failures.append(opened)
    finally:
        for each in engines:
            each.dispose()
    assert failures == []


def _open_each(barrier: Any, urls: tuple[str, ...]) -> list[str]:
    """Open (and close) a Store on each URL in turn, in step with the other processes."""
    outcomes = []
    for url in urls:
        barrier.wait(TIMEOUT)
        try:
            Store.open(url).close()
            outcomes.append("opened")
        except Exception as error:
            outcomes.append(f"{type(error).__name__}: {error}".splitlines()[0])
    return outcomes


def test_stores_opened_by_processes_on_a_new_database_all_open(
    database_url: str, tmp_path: Path
) -> None:
    urls: tuple[str, ...] = (database_url,)
    if database_url.startswith("sqlite"):  # new files are cheap: race on a few more
        urls += tuple(f"sqlite:///{tmp_path / f'new-{i}.sqlite3'}" for i in range(4))
    outcomes = _in_processes(_open_each, [(urls,)] * 4)
    assert outcomes == [["opened"] * len(urls)] * 4
