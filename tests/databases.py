"""A second, empty database beside the ``database_url`` fixture's, on the same backend."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from tests.conftest import POSTGRES_ENV


@contextmanager
def another_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """SQLite: a new file under ``tmp_path``; PostgreSQL: a new schema, dropped after."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / f'other-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    import psycopg

    base = os.environ[POSTGRES_ENV]
    schema = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
