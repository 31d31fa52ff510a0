"""Every change the store applies is logged once, at INFO, with its audit id and what
kind of command it was (never the person's words); every write is timed for the metrics,
whatever its outcome."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from ptghub.commands import organize
from ptghub.core.errors import PtgError
from ptghub.core.model import Actor
from ptghub.logs import JsonFormatter, TextFormatter
from ptghub.store.observed import Call, listeners
from ptghub.store.store import Store
from tests.support import NOVA_CHAIR


@pytest.fixture
def calls() -> Iterator[list[Call]]:
    heard: list[Call] = []
    listeners.append(heard.append)
    yield heard
    listeners.remove(heard.append)


def applied(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "ptghub.store" and r.msg == "change applied"]


def test_a_command_is_logged_with_its_audit_id_and_verb_not_its_text(
    store: Store, caplog: pytest.LogCaptureFixture, calls: list[Call]
) -> None:
    with caplog.at_level(logging.INFO, logger="ptghub.store"):
        result = store.run("#nova now Lunch with bob@example.org", NOVA_CHAIR, event="test-ptg")
    [record] = applied(caplog)
    line = json.loads(JsonFormatter().format(record))
    assert {k: v for k, v in line.items() if k != "time"} == {
        "level": "INFO",
        "logger": "ptghub.store",
        "message": "change applied",
        "audit_id": result.audit_id,
        "event": "test-ptg",
        "frontend": "test",
        "kind": "run",
        "command": "track now",
    }
    assert "bob@example.org" not in TextFormatter().format(record)
    assert [(c.kind, c.frontend, c.outcome) for c in calls] == [("run", "test", "applied")]
    assert calls[0].seconds > 0


def test_a_refused_or_idle_command_logs_nothing_and_is_timed_as_such(
    store: Store, caplog: pytest.LogCaptureFixture, calls: list[Call]
) -> None:
    with caplog.at_level(logging.INFO, logger="ptghub.store"):
        with pytest.raises(PtgError):
            store.run("#nova book Nowhere-Z9", NOVA_CHAIR)
        store.run("help", NOVA_CHAIR)
    assert applied(caplog) == []
    assert [c.outcome for c in calls] == ["refused", "unchanged"]


def test_changes_undo_and_new_events_are_logged_too(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    organizer = Actor("org", frontend="web", operator=True)
    room = next(iter(store.state().rooms))
    build = organize.set_bookable(room, False)
    with caplog.at_level(logging.INFO, logger="ptghub.store"):
        changed = store.change(build, organizer, f"room bookable {room} no")
        undone = store.undo(changed.audit_id or 0, organizer)
    logged = [(r.audit_id, r.kind, r.command, r.frontend) for r in applied(caplog)]
    assert logged == [
        (changed.audit_id, "change", "room bookable", "web"),
        (undone.audit_id, "undo", "undo", "web"),
    ]


def test_the_store_logs_nothing_below_warning_unless_asked(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        store.run("#nova now Placement API", NOVA_CHAIR)
    assert applied(caplog) == []
