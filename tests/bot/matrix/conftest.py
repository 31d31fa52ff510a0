"""Fixtures of the Matrix tests: one real Synapse for the session (synapse.py), the
session's users, a fresh room per test, newcomers to the bot, and the chair's store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from ptghub.store.store import Store
from tests.bot.matrix.people import ORGANIZER, People
from tests.bot.matrix.synapse import Synapse, User, ensure_venv


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    server = Synapse(tmp_path_factory.mktemp("synapse"), ensure_venv())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def people(synapse: Synapse) -> People:
    found = People(
        bot=synapse.register("ptgbot", "bot-password"),
        chair=synapse.register("chair", "chair-password"),
        mallory=synapse.register("mallory", "mallory-password"),
    )
    synapse.set_display_name(found.chair, "Nova Chair")
    return found


def newcomer(synapse: Synapse, name: str) -> User:
    """A user new to the bot (one per test: no direct room with it yet)."""
    return synapse.register(f"{name}-{uuid.uuid4().hex[:8]}", f"{name}-password")


@pytest.fixture
def alice(synapse: Synapse) -> User:
    return newcomer(synapse, "alice")


@pytest.fixture
def dora(synapse: Synapse) -> User:
    return newcomer(synapse, "dora")


@pytest.fixture
def room(synapse: Synapse, people: People) -> str:
    """A fresh public room where the chair and Mallory are (the bot joins itself)."""
    return synapse.create_room(people.chair, people.mallory)


@pytest.fixture
def chair_store(store: Store, people: People) -> Store:
    """The test event, with the chair's Matrix id made chair of nova by an organizer."""
    result = store.run(f"~role grant {people.chair.user_id} chair nova", ORGANIZER)
    assert result is not None
    return store
