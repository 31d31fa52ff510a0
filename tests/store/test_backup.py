"""Backup and restore, on both backends, while writers run."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ptghub.core.errors import InvalidInput, Refused
from ptghub.store.backup import backup
from ptghub.store.engine import HEAD
from ptghub.store.restore import restore
from ptghub.store.store import Store
from ptghub.store.verify import verify
from tests.databases import another_database
from tests.support import ORGANIZER, small_event

WRITERS = 3
# The tables migrations 0006 to 0009 add.
LATER_TABLES = (
    "topic_outcomes",
    "leases",
    "pending_notices",
    "calendar_feeds",
    "person_settings",
    "follows",
    "announcements",
    "updates_subscribers",
    "track_requests",
    "registrations",
    "registration_settings",
    "emails",
    "web_sessions",
    "sign_in_links",
    "oidc_identities",
    "link_codes",
    "outbox",
    "mail_suppressions",
    "site_secrets",
)


def _audit(store: Store) -> dict[int, str]:
    return {entry.id: entry.text for entry in store.audit("test-ptg")}


def test_backup_while_writers_run_restores_every_confirmed_change(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    confirmed: list[tuple[int, str]] = []
    lock = threading.Lock()
    enough = threading.Event()
    stop = threading.Event()
    failures: list[BaseException] = []

    def write(number: int) -> None:
        # A store of its own: its own connections, as another process would have.
        writer = Store.open(database_url)
        try:
            for i in range(100_000):
                if stop.is_set():
                    return
                text = f"#nova now topic {number}-{i}"
                result = writer.run(text, ORGANIZER)
                assert result is not None and result.audit_id is not None
                with lock:
                    confirmed.append((result.audit_id, text))
                    if len(confirmed) >= 30:
                        enough.set()
        except BaseException as error:  # reported by the test below
            failures.append(error)
            enough.set()
        finally:
            writer.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        assert enough.wait(timeout=120), "the writers confirmed no change in 120 s"
        with lock:
            before = list(confirmed)  # every change whose run returned before the backup
        summary = backup(store.engine, tmp_path / "backup")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert failures == []
    with another_database(database_url, tmp_path) as url:
        restored_store = Store.open(url)
        try:
            restored = restore(restored_store.engine, tmp_path / "backup")
            in_backup = _audit(restored_store)
            check = verify(restored_store.engine)
        finally:
            restored_store.close()
    missing = [(i, text) for i, text in before if in_backup.get(i) != text]
    assert (missing, check.difference) == ([], None)
    assert (restored.events, restored.changes) == (summary.events, summary.changes)
    assert summary.changes == len(in_backup) >= len(before) + 1


def test_backup_file_is_readable_by_its_owner_only(store: Store, tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        backup(store.engine, tmp_path / "backup")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "backup").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("backup", ".b"))) == [
        "backup"
    ]


def test_backup_onto_the_database_itself_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "ptghub.sqlite3"
    store = Store.open(f"sqlite:///{database}")
    try:
        with pytest.raises(InvalidInput) as error:
            backup(store.engine, database)
    finally:
        store.close()
    assert error.value.message == (
        f"{database} is the database itself; give another file for the backup."
    )


def test_restore_into_a_database_that_is_not_empty_is_refused_and_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    backup(store.engine, tmp_path / "backup")
    store.run("#nova now after the backup", ORGANIZER)
    before = _audit(store)
    with pytest.raises(Refused) as error:
        restore(store.engine, tmp_path / "backup")
    assert error.value.message.startswith("The database is not empty (1 events, ")
    assert error.value.message.endswith(
        "rows); restore into an empty database, or give --force to replace everything in it."
    )
    assert _audit(store) == before


def test_restore_with_force_replaces_everything(store: Store, tmp_path: Path) -> None:
    backup(store.engine, tmp_path / "backup")
    before = _audit(store)
    store.run("#nova now after the backup", ORGANIZER)
    summary = restore(store.engine, tmp_path / "backup", force=True)
    fresh = Store.open(store.engine.url.render_as_string(hide_password=False))
    try:
        assert (summary.replaced, _audit(fresh), verify(fresh.engine).difference) == (
            True,
            before,
            None,
        )
        # Ids go on after the restored ones (PostgreSQL's sequences were moved).
        result = fresh.run("#nova now after the restore", ORGANIZER)
        assert result is not None and result.audit_id == max(before) + 1
    finally:
        fresh.close()


def test_export_restores_into_the_other_backend(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    """An export from one backend restores into SQLite, whichever it came from."""
    store.run("#nova now Placement", ORGANIZER)
    backup(store.engine, tmp_path / "export.json", export=True)
    target = Store.open(f"sqlite:///{tmp_path / 'moved.sqlite3'}")
    try:
        restore(target.engine, tmp_path / "export.json")
        assert (_audit(target), verify(target.engine).difference) == (_audit(store), None)
        assert target.state("test-ptg").topics_of("nova").now == "Placement"
    finally:
        target.close()


@pytest.mark.parametrize("export", [False, True], ids=["backup", "export"])
def test_backup_keeps_topics_outcomes_and_recordings_links(
    store: Store, database_url: str, tmp_path: Path, export: bool
) -> None:
    store.run("#nova outcome 2 We agreed to split the API.", ORGANIZER)
    store.run("#nova outcome 1 Quotas: no change.", ORGANIZER)
    store.run("#nova recording https://videos.example.org/nova", ORGANIZER)
    backup(store.engine, tmp_path / "backup", export=export)
    with another_database(database_url, tmp_path) as url:
        target = Store.open(url)
        try:
            restore(target.engine, tmp_path / "backup")
            state = target.state("test-ptg")
            check = verify(target.engine)
        finally:
            target.close()
    assert (state.outcomes, state.teams["nova"].recording, check.difference) == (
        {("nova", 1): "Quotas: no change.", ("nova", 2): "We agreed to split the API."},
        "https://videos.example.org/nova",
        None,
    )


def test_export_of_an_older_schema_is_migrated_on_restore(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    backup(store.engine, tmp_path / "export.json", export=True)
    document = json.loads((tmp_path / "export.json").read_text())
    # As revision 0003 wrote it: no rooms' capability or location, no onboarding slot or
    # recordings link, no accounts, no topics' outcomes yet.
    later = {"capability", "capability_icon", "location", "onboarding_slot", "web_nick"}
    later.add("recording")  # of the teams
    later.add("person_id")  # of the audit rows
    for name in LATER_TABLES:
        del document["tables"][name]
    for table in (document["tables"][name] for name in ("rooms", "teams", "people", "audit")):
        keep = [i for i, name in enumerate(table["columns"]) if name not in later]
        table["columns"] = [table["columns"][i] for i in keep]
        table["rows"] = [[row[i] for i in keep] for row in table["rows"]]
    document["revision"] = "0003"
    (tmp_path / "old.json").write_text(json.dumps(document))
    with another_database(database_url, tmp_path) as url:
        target = Store.open(url)
        try:
            restore(target.engine, tmp_path / "old.json")
            rooms_after = target.state("test-ptg").rooms
            check = verify(target.engine)
        finally:
            target.close()
    assert (rooms_after == store.state("test-ptg").rooms, check.difference) == (True, None)


def test_restore_of_a_file_that_is_no_backup_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    store = Store.open(f"sqlite:///{tmp_path / 'ptghub.sqlite3'}")
    try:
        with pytest.raises(InvalidInput) as error:
            restore(store.engine, tmp_path / "notes.txt")
    finally:
        store.close()
    assert error.value.message == (
        f"{tmp_path / 'notes.txt'} is not a ptghub backup (neither SQLite nor JSON: Expecting "
        "value: line 1 column 1 (char 0)); expected a file written by 'ptghub backup'."
    )


def test_restore_of_an_export_of_an_unknown_revision_is_refused(
    store: Store, tmp_path: Path
) -> None:
    backup(store.engine, tmp_path / "export.json", export=True)
    document = json.loads((tmp_path / "export.json").read_text())
    document["revision"] = "9999"
    (tmp_path / "new.json").write_text(json.dumps(document))
    target = Store.open(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    try:
        with pytest.raises(InvalidInput) as error:
            restore(target.engine, tmp_path / "new.json")
        assert target.events() == []
    finally:
        target.close()
    assert error.value.message == (
        f"{tmp_path / 'new.json'} has schema revision 9999, which this ptghub does not know "
        f"(its newest is {HEAD}); restore it with the ptghub that wrote it or a newer one."
    )


def test_backup_of_an_empty_database_restores_to_an_empty_one(
    empty_store: Store, database_url: str, tmp_path: Path
) -> None:
    summary = backup(empty_store.engine, tmp_path / "backup")
    with another_database(database_url, tmp_path) as url:
        target = Store.open(url)
        try:
            restored = restore(target.engine, tmp_path / "backup")
            events = target.events()
        finally:
            target.close()
    assert (summary.events, summary.changes, restored.events, events) == (0, 0, 0, [])


def test_sqlite_backup_of_an_older_schema_is_migrated_on_restore(
    database_url: str, tmp_path: Path
) -> None:
    source = Store.open(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    try:
        source.create_event(small_event(), ORGANIZER, "test setup")
        backup(source.engine, tmp_path / "backup.sqlite3")
        rooms_before = source.state("test-ptg").rooms
    finally:
        source.close()
    # Make it what revision 0003 wrote: without the columns and tables 0004 to 0009 add.
    with sqlite3.connect(tmp_path / "backup.sqlite3") as old:
        for name in LATER_TABLES:
            old.execute(f"DROP TABLE {name}")
        old.execute("ALTER TABLE people DROP COLUMN web_nick")
        old.execute("ALTER TABLE audit DROP COLUMN person_id")
        old.execute("ALTER TABLE rooms DROP COLUMN capability")
        old.execute("ALTER TABLE rooms DROP COLUMN capability_icon")
        old.execute("ALTER TABLE rooms DROP COLUMN location")
        old.execute("ALTER TABLE teams DROP COLUMN onboarding_slot")
        old.execute("ALTER TABLE teams DROP COLUMN recording")
        old.execute("UPDATE alembic_version SET version_num = '0003'")
    old.close()
    with another_database(database_url, tmp_path) as url:
        target = Store.open(url)
        try:
            restore(target.engine, tmp_path / "backup.sqlite3")
            rooms_after = target.state("test-ptg").rooms
            check = verify(target.engine)
        finally:
            target.close()
    assert (rooms_after == rooms_before, check.difference) == (True, None)


def test_restore_of_an_export_with_a_bad_value_is_refused_and_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    backup(store.engine, tmp_path / "export.json", export=True)
    document = json.loads((tmp_path / "export.json").read_text())
    audit = document["tables"]["audit"]
    audit["rows"][0][audit["columns"].index("at")] = "2022-04-04T13:30:00"  # no zone
    (tmp_path / "bad.json").write_text(json.dumps(document))
    target = Store.open(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    try:
        with pytest.raises(InvalidInput) as error:
            restore(target.engine, tmp_path / "bad.json")
        assert target.events() == []
    finally:
        target.close()
    assert error.value.message == (
        f"{tmp_path / 'bad.json'} is not a ptghub backup (a row of table 'audit': naive "
        "datetime given to a UTC column); expected a file written by 'ptghub backup'."
    )


WRITER_PROCESS = """
import sys
from ptghub.core.model import Actor
from ptghub.store.store import Store

store = Store.open(sys.argv[1])
organizer = Actor("olivia", frontend="test")
for i in range(100_000):
    text = f"#nova now item {i}"
    result = store.run(text, organizer)
    print(result.audit_id, text, flush=True)  # only once the change is committed
"""


def test_backup_while_a_writer_process_runs_restores_every_confirmed_change(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", WRITER_PROCESS, database_url],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    ) as writer:
        try:
            assert writer.stdout is not None
            # Every line read was printed after its change committed: before the backup.
            lines = [writer.stdout.readline().rstrip("\n") for _ in range(30)]
            backup(store.engine, tmp_path / "backup")
        finally:
            writer.kill()
    confirmed = [line.split(" ", 1) for line in lines]
    with another_database(database_url, tmp_path) as url:
        target = Store.open(url)
        try:
            restore(target.engine, tmp_path / "backup")
            in_backup = _audit(target)
            check = verify(target.engine)
        finally:
            target.close()
    missing = [(i, text) for i, text in confirmed if in_backup.get(int(i)) != text]
    assert (len(confirmed), missing, check.difference) == (30, [], None)
