"""``ptghub person``: people and their nicks, which share their roles."""

from __future__ import annotations

from ptghub.store.store import Store
from tests.cli.running import run


def test_person_nicks_share_roles(store: Store, database_url: str) -> None:
    code, stdout, _ = run(database_url, "person", "add", "olivia", "olivia_", "--name", "Olivia O.")
    assert (code, stdout) == (0, "OK, person #1 Olivia O.: olivia, olivia_\n")
    # olivia is an organizer of the test event; her other nick acts with her roles.
    assert run(database_url, "cmd", "--as", "Olivia_", "~add manila")[:2] == (
        0,
        "OK, added manila\n",
    )
    assert run(database_url, "person", "list")[1] == "#1  Olivia O.  olivia, olivia_\n"


def test_person_nick_belongs_to_one_person(store: Store, database_url: str) -> None:
    run(database_url, "person", "add", "alice", "--name", "Alice")
    code, _, stderr = run(database_url, "person", "add", "ALICE", "--name", "Other")
    assert (code, stderr) == (1, "A nick is already taken by Alice (alice).\n")
