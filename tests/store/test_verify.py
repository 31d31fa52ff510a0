"""``verify``: the tables against the replay of the audit log."""

from __future__ import annotations

from sqlalchemy import delete, update

from ptghub.store import tables as t
from ptghub.store.store import Store
from ptghub.store.verify import Verification, verify
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER


def _some_changes(store: Store) -> int:
    store.run("#nova now Placement", NOVA_CHAIR)
    store.run("#nova book Coiste Bainisti-Tue-A1", NOVA_CHAIR)
    store.run("subscribe nova", ALICE)
    result = store.run("~motd add info Welcome", ORGANIZER)
    assert result is not None and result.audit_id is not None
    return result.audit_id


def test_verify_of_an_untouched_database_finds_no_difference(store: Store) -> None:
    _some_changes(store)
    assert verify(store.engine) == Verification(1, 5, None)


def test_verify_finds_a_tampered_row(store: Store) -> None:
    last = _some_changes(store)
    with store.engine.begin() as conn:
        conn.execute(update(t.teams).where(t.teams.c.key == "nova").values(color="#000000"))
    result = verify(store.engine)
    assert (result.events, result.changes, result.difference) == (
        1,
        5,
        f"Event 'test-ptg': teams['nova'].color is '#000000' in the tables, None in the "
        f"audit log (the audit log replayed through change #{last})",
    )


def test_verify_finds_a_lost_row(store: Store) -> None:
    last = _some_changes(store)
    with store.engine.begin() as conn:
        conn.execute(delete(t.subscriptions))
    assert verify(store.engine).difference == (
        "Event 'test-ptg': subscriptions['alice'] is in the audit log, not in the tables "
        f"(the audit log replayed through change #{last})"
    )


def test_verify_finds_a_tampered_audit_row(store: Store) -> None:
    last = _some_changes(store)
    with store.engine.begin() as conn:
        conn.execute(delete(t.audit).where(t.audit.c.text == "subscribe nova"))
    assert verify(store.engine) == Verification(
        1,
        4,
        "Event 'test-ptg': subscriptions['alice'] is in the tables, not in the audit log "
        f"(the audit log replayed through change #{last})",
    )
