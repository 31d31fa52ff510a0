"""``ptghub audit`` (its table and its JSON): each change with its author as a person, the
nick and the front end."""

from __future__ import annotations

import io
import json

from rich.console import Console

from ptghub.cli.tables import print_audit
from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.cli.running import run


def test_audit_shows_the_person_with_nick_and_front_end(store: Store, database_url: str) -> None:
    alice = store.accounts.sign_up("alice@example.org", "Alice Smith")
    store.link_codes.redeem(store.link_codes.create(alice.person_id), "alice")
    store.run("#cinder now Backups", Actor("alice", frontend="irc"))
    store.run("#cinder now Quotas", Actor("bob", frontend="matrix"))

    console = Console(width=200, record=True, file=io.StringIO())
    print_audit(console, store.audit(limit=2))
    who = [line.split("│")[3].strip() for line in console.export_text().splitlines()[3:5]]
    assert who == ["Alice Smith (alice, irc)", "bob (matrix)"]
    code, stdout, _ = run(database_url, "audit", "--json", "--limit", "2")
    assert code == 0
    assert [(e["person_id"], e["person"], e["author"]) for e in json.loads(stdout)] == [
        (alice.person_id, "Alice Smith", "Alice Smith (alice, irc)"),
        (None, None, "bob (matrix)"),
    ]
