"""Fixtures for export tests: states built in memory from the test and demo events."""

from __future__ import annotations

from importlib import resources

import pytest

from ptghub import demo
from ptghub.core.apply import apply_all
from ptghub.core.events import DomainEvent
from ptghub.core.model import EventState
from ptghub.eventfile import load_event_file
from tests.support import small_event

pytest.register_assert_rewrite("tests.exports.helpers")


@pytest.fixture
def small_state() -> EventState:
    """The small test event of tests/support.py, as loaded."""
    return apply_all(EventState(), small_event())


@pytest.fixture
def demo_events() -> list[DomainEvent]:
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        return load_event_file(path)


@pytest.fixture
def demo_state(demo_events: list[DomainEvent]) -> EventState:
    """The April 2022 demo event, as loaded."""
    return apply_all(EventState(), demo_events)
