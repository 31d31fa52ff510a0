"""Shared fixtures: a real database per test (SQLite always, PostgreSQL when configured).

Every test that takes ``store`` runs once on SQLite and once on PostgreSQL. PostgreSQL
runs when PTGHUB_TEST_DATABASE_URL is set (``.ci/run`` sets it); each test gets a schema
of its own, dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.sqlite_writes import watch
from tests.support import Clock, small_event

if TYPE_CHECKING:
    from tests.mailserver import MailServer

POSTGRES_ENV = "PTGHUB_TEST_DATABASE_URL"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def clock() -> Clock:
    # Monday of the test event, 13:30 UTC: in the middle of slot Mon-A1.
    return Clock(datetime(2022, 4, 4, 13, 30, tzinfo=UTC))


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(
            f"PostgreSQL tests need {POSTGRES_ENV}, for example "
            "postgresql://postgres@127.0.0.1:5432/test"
        )
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ptghub.sqlite3'}"
        return
    yield from _postgres_schema()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """For PostgreSQL-only tests (skipped without PTGHUB_TEST_DATABASE_URL): the URL of
    a schema of the test's own."""
    yield from _postgres_schema()


def _postgres_schema() -> Iterator[str]:
    import psycopg

    base = _postgres_url()
    schema = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def empty_store(database_url: str, clock: Clock) -> Iterator[Store]:
    store = Store.open(database_url, clock=clock)
    unlocked = watch(store.engine) if database_url.startswith("sqlite") else []
    yield store
    store.close()
    assert unlocked == [], "writes on SQLite outside a write transaction (tests/sqlite_writes.py)"


@pytest.fixture
def store(empty_store: Store) -> Store:
    """A store holding the small test event as its current event."""
    empty_store.create_event(small_event(), Actor("loader", operator=True), "test setup")
    return empty_store


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A real SMTP server (aiosmtpd) on a free port, started, that accepts every mail;
    stopped after the test. See tests/mailserver.py for what it records and can be told."""
    from tests.mailserver import MailServer  # aiosmtpd, from the dev extra

    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared test data not found at {SHARED_DATA} (it sits beside the checkout)")
    return SHARED_DATA


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say once why tests skipped; with PTGHUB_FORBID_SKIPS set (.ci/run), fail the run."""
    skipped = terminalreporter.stats.get("skipped", [])
    reasons = Counter(
        str(report.longrepr[2]).removeprefix("Skipped: ")
        for report in skipped
        if isinstance(report.longrepr, tuple)
    )
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"skipped {count}: {reason}", yellow=True)
    if os.environ.get("PTGHUB_FORBID_SKIPS") and skipped:
        terminalreporter.write_line(
            f"PTGHUB_FORBID_SKIPS: {len(skipped)} test(s) skipped; every component must run here.",
            red=True,
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("PTGHUB_FORBID_SKIPS") and reporter and reporter.stats.get("skipped"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
