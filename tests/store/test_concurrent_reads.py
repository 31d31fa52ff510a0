"""Reads and migrations under concurrency: a state read while another store commits is one
version of the event, and stores opened by many threads or processes at once (on a new
database: the schema is created and migrated meanwhile) all open."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from ptghub.core.model import Cell, CellStatus
from ptghub.store import engine as engine_module
from ptghub.store import store as store_module
from ptghub.store.store import Store
from tests.store.racing import TIMEOUT, in_processes, in_threads
from tests.support import ORGANIZER, snapshot


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
            for opened in in_threads([partial(_try_open, database_url) for _ in range(8)]):
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
    outcomes = in_processes(_open_each, [(urls,)] * 4)
    assert outcomes == [["opened"] * len(urls)] * 4
