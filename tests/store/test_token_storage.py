"""Tokens are stored hashed (store/tokens.py, README): the tokens table holds the SHA-256
digest of each secret, and the secret itself appears nowhere in the database, neither in
a row of any table nor, on SQLite, anywhere in the database file or its write-ahead log."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select

from ptghub.store import tables as t
from ptghub.store.store import Store
from tests.support import Clock

NICKS = ("alice", "bob")


def secrets_of(store: Store) -> list[str]:
    """Two new tokens, each used once (so that whatever a use records is recorded)."""
    made = [store.tokens.create(nick)[1] for nick in NICKS]
    assert [store.tokens.identify(secret, event=None) for secret in made] == list(NICKS)
    return made


def test_tokens_table_holds_the_sha256_digest_of_each_secret(store: Store) -> None:
    made = secrets_of(store)
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.tokens).order_by(t.tokens.c.id)).mappings().all()
    assert [(row["nick"], row["digest"]) for row in rows] == [
        (nick, hashlib.sha256(secret.encode()).hexdigest())
        for nick, secret in zip(NICKS, made, strict=True)
    ]


def test_token_secrets_appear_in_no_row_of_any_table(store: Store) -> None:
    made = secrets_of(store)
    found = []
    with store.engine.connect() as conn:
        for table in t.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                text = repr(tuple(row))
                # the whole secret, or its random part without the prefix
                found += [(table.name, s) for s in made if s in text or s[-32:] in text]
    assert found == []


def test_token_secrets_appear_nowhere_in_the_sqlite_files(tmp_path: Path, clock: Clock) -> None:
    """The file and its write-ahead log, as a copy or a backup would carry them (SQLite
    only: on PostgreSQL the rows are all there is to read, the test above)."""
    main = tmp_path / "ptghub.sqlite3"
    store = Store.open(f"sqlite:///{main}", clock=clock)
    try:
        made = secrets_of(store)
    finally:
        store.close()
    files = [main, *(main.with_name(main.name + end) for end in ("-wal", "-shm", "-journal"))]
    content = b"".join(path.read_bytes() for path in files if path.exists())
    # The rows are in what was read: each token's digest is there, its secret is not.
    assert [hashlib.sha256(s.encode()).hexdigest().encode() in content for s in made] == [
        True
    ] * len(made)
    assert [s for s in made if s.encode() in content or s[-32:].encode() in content] == []
