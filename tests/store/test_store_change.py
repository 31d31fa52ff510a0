"""Store.change: a list of domain events applied as one audited change, or none at all."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ptghub.core.errors import PermissionDenied
from ptghub.core.events import DomainEvent, TopicsChanged
from ptghub.core.model import Actor, EventState, Topics
from ptghub.store.store import Store
from tests.support import ORGANIZER


def _set_now(text: str) -> Callable[[EventState, Actor], list[DomainEvent]]:
    def build(state: EventState, actor: Actor) -> list[DomainEvent]:
        old = state.topics.get("nova", Topics())
        return [TopicsChanged("nova", old, Topics(now=text))]

    return build


def test_events_are_applied_in_one_audited_change(store: Store) -> None:
    before = len(store.audit())
    result = store.change(_set_now("placement"), ORGANIZER, "set now from a file")
    assert store.state().topics["nova"].now == "placement"
    entries = store.audit()
    assert len(entries) == before + 1
    assert entries[-1].text == "set now from a file"
    assert entries[-1].id == result.audit_id
    assert store.replay() == store.state()


def test_a_refusal_changes_nothing(store: Store) -> None:
    version = store.version()

    def refuse(state: EventState, actor: Actor) -> list[DomainEvent]:
        raise PermissionDenied(f"{actor.nick} may not")

    with pytest.raises(PermissionDenied, match="may not"):
        store.change(refuse, ORGANIZER, "refused")
    assert store.version() == version


def test_no_events_write_nothing(store: Store) -> None:
    version = store.version()
    result = store.change(lambda state, actor: [], ORGANIZER, "empty")
    assert result.audit_id is None
    assert store.version() == version


def test_undo_reverts_the_whole_change(store: Store) -> None:
    result = store.change(_set_now("placement"), ORGANIZER, "set now")
    assert result.audit_id is not None
    store.undo(result.audit_id, ORGANIZER)
    assert store.state().topics.get("nova", Topics()).now is None
