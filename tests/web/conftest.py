"""Web fixtures: an in-process client for the app around a real store."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import pytest
from fastapi.testclient import TestClient

from ptghub import demo
from ptghub.core.model import Actor
from ptghub.eventfile import load_event_file
from ptghub.store.store import Store
from ptghub.web.app import create_app


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    """The app around the small test event of tests/support.py (SQLite and PostgreSQL)."""
    with TestClient(create_app(store)) as test_client:
        yield test_client


@pytest.fixture
def demo_store(empty_store: Store) -> Store:
    """A store holding the April 2022 demo event as its current event."""
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        empty_store.create_event(load_event_file(path), Actor("loader", operator=True), "demo")
    return empty_store


@pytest.fixture
def demo_client(demo_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(demo_store)) as test_client:
        yield test_client
