"""event update through the store: one audited change in the tables, undone by ``undo``.

Each test runs on SQLite and PostgreSQL. What the tables hold is read by a second store
on the same database (its cache is empty, so it loads the rows), and ``audit verify``
replays the log against them.
"""

from __future__ import annotations

import pytest

from ptghub.commands.event_update import EventUpdater
from ptghub.core.errors import Conflict
from ptghub.core.model import Actor, Cell, CellStatus
from ptghub.eventfile import load_event_text
from ptghub.store.store import Store
from ptghub.store.verify import verify
from tests.event_files import EVENT, edited, loaded
from tests.support import ORGANIZER, snapshot

# Bexar (cinder's Monday morning) goes, Diablo comes first, a slot before the others,
# nova renamed, a chair added, the about page rewritten.
EDITED = edited(
    ("  - name: Bexar\n", ""),
    ("  Bexar: {Mon-A1: cinder}\n", ""),
    ("rooms:\n", "rooms:\n  - name: Diablo\n    capacity: 10\n"),
    ("slots:\n", 'slots:\n  - {name: A0, start: "12:00", end: "13:00"}\n'),
    ("    name: Nova\n", "    name: Nova Compute\n"),
    ("chairs: [nchair]", "chairs: [nchair, alice]"),
    ("  about: About the PTG.", "  about: All about it."),
)


@pytest.fixture
def store(empty_store: Store) -> Store:
    empty_store.create_event(
        load_event_text(EVENT, "test.yaml"), Actor("loader", operator=True), "event load"
    )
    return empty_store


def _tables(database_url: str) -> Store:
    return Store.open(database_url)


def _update(store: Store, text: str, *, free_cells: bool = False) -> int | None:
    updater = EventUpdater(text, "edited.yaml", free_cells=free_cells)
    return store.change(updater, ORGANIZER, "event update edited.yaml", event="upd-ptg").audit_id


def test_an_update_is_one_audited_change_the_tables_hold(store: Store, database_url: str) -> None:
    before = len(store.audit("upd-ptg"))
    audit_id = _update(store, EDITED, free_cells=True)
    entries = store.audit("upd-ptg")
    assert len(entries) == before + 1
    assert (entries[-1].id, entries[-1].text, entries[-1].actor) == (
        audit_id,
        "event update edited.yaml",
        "olivia",
    )
    kinds = {event.kind for event in entries[-1].events}
    assert {"room-removed", "room-added", "rooms-reordered", "slots-reordered"} <= kinds
    tables = _tables(database_url)
    try:
        assert snapshot(tables.state("upd-ptg")) == snapshot(store.state("upd-ptg"))
        assert snapshot(tables.state("upd-ptg")) == snapshot(loaded(EDITED))
    finally:
        tables.close()
    assert snapshot(store.replay("upd-ptg")) == snapshot(store.state("upd-ptg"))
    assert verify(store.engine).difference is None


def test_undo_gives_back_the_event_as_it_was_rooms_and_slots_in_place(
    store: Store, database_url: str
) -> None:
    audit_id = _update(store, EDITED, free_cells=True)
    assert audit_id is not None
    store.undo(audit_id, ORGANIZER)
    tables = _tables(database_url)
    try:
        assert snapshot(tables.state("upd-ptg")) == snapshot(loaded())
    finally:
        tables.close()
    assert snapshot(store.state("upd-ptg")) == snapshot(loaded())
    assert verify(store.engine).difference is None


def test_a_refused_update_changes_nothing(store: Store) -> None:
    version, count = store.version("upd-ptg"), len(store.audit("upd-ptg"))
    with pytest.raises(Conflict, match=r"Bexar Mon-A1: cinder \(room removed\)"):
        _update(store, EDITED)
    assert (store.version("upd-ptg"), len(store.audit("upd-ptg"))) == (version, count)
    assert snapshot(store.state("upd-ptg")) == snapshot(loaded())


def test_the_same_file_changes_nothing(store: Store) -> None:
    version = store.version("upd-ptg")
    assert _update(store, EVENT) is None
    assert store.version("upd-ptg") == version


def test_a_booking_made_during_the_event_survives_an_update(store: Store) -> None:
    store.run("#manila book Cactus-Mon-A1", ORGANIZER, event="upd-ptg")
    _update(store, EDITED, free_cells=True)
    state = store.state("upd-ptg")
    assert state.cell("cactus", "mona1") == Cell(CellStatus.BOOKED, "manila")
    assert state.teams["nova"].name == "Nova Compute"
