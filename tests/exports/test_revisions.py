"""SEQUENCE numbers from the audit log: they grow with a VEVENT's content, nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

from ptghub.exports import ics
from ptghub.exports.revisions import RevisionLog, revisions
from ptghub.exports.sessions import stable_id
from ptghub.store.store import Store
from tests.exports.helpers import by_uid, changes, vevents
from tests.support import ALICE, ORGANIZER, Clock

NOVA_MONDAY = str(stable_id("session", "test-ptg", "austin", "nova", "mona1"))
CINDER_TUESDAY = str(stable_id("session", "test-ptg", "austin", "cinder", "tuea1"))
LATER = datetime(2022, 4, 4, 14, 0, tzinfo=UTC)


def feed(store: Store) -> dict[str, dict[str, object]]:
    state = store.state()
    body = ics.event_calendar(state, revisions(changes(store)), generated=LATER)
    return by_uid(vevents(body))


def sequences(store: Store) -> dict[str, int]:
    return {uid: int(str(event["sequence"])) for uid, event in feed(store).items()}


def test_revisions_sequence_grows_when_the_session_changes(store: Store, clock: Clock) -> None:
    store.run("#nova book Austin-Mon-P1", ALICE)
    assert sequences(store) == {NOVA_MONDAY: 1}
    store.run("#nova url https://video.example.org/nova", ALICE)
    assert sequences(store) == {NOVA_MONDAY: 2}


def test_revisions_stamp_is_the_time_of_the_last_change(store: Store, clock: Clock) -> None:
    created = feed(store)[NOVA_MONDAY]["stamp"]
    clock.advance(minutes=10)
    store.run("#nova book Austin-Mon-P1", ALICE)
    assert (created, feed(store)[NOVA_MONDAY]["stamp"]) == (
        datetime(2022, 4, 4, 13, 30, tzinfo=UTC),
        datetime(2022, 4, 4, 13, 40, tzinfo=UTC),
    )


def test_revisions_unrelated_changes_leave_a_session_untouched(store: Store, clock: Clock) -> None:
    before = feed(store)[NOVA_MONDAY]
    clock.advance(minutes=10)
    store.run("#cinder book Austin-Tue-A1", ALICE)
    store.run("#nova now Placement API", ALICE)
    store.run("~motd add info Welcome", ORGANIZER)
    after = feed(store)
    assert (after[NOVA_MONDAY], after[CINDER_TUESDAY]["sequence"]) == (before, 0)


def test_revisions_uids_survive_changes_to_their_sessions(store: Store) -> None:
    store.run("#nova book Austin-Mon-P1", ALICE)
    store.run("#nova unbook Austin-Mon-P1", ALICE)
    store.run("#nova color red", ALICE)
    assert list(feed(store)) == [NOVA_MONDAY]


def test_revisions_a_session_back_as_it_was_keeps_its_sequence(store: Store) -> None:
    store.run("#cinder book Austin-Tue-A1", ALICE)
    store.run("#cinder unbook Austin-Tue-A1", ALICE)
    store.run("#cinder book Austin-Tue-A1", ALICE)
    assert sequences(store) == {NOVA_MONDAY: 0, CINDER_TUESDAY: 0}


def test_revision_log_fed_in_steps_equals_one_replay(store: Store) -> None:
    log = RevisionLog()
    for change in changes(store):
        log.feed(*change)
    store.run("#nova book Austin-Mon-P1", ALICE)
    store.run("#cinder book Austin-Tue-A1", ALICE)
    for change in changes(store):
        log.feed(*change)  # already-seen ids are skipped
    assert log.revisions == revisions(changes(store))


def test_ics_session_changed_after_the_revisions_were_read_is_one_ahead(store: Store) -> None:
    known = revisions(changes(store))
    store.run("#nova book Austin-Mon-P1", ALICE)
    body = ics.event_calendar(store.state(), known, generated=LATER)
    (event,) = vevents(body)
    assert (event["sequence"], event["stamp"]) == (1, LATER)
