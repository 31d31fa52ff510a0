"""Track requests in the store (store/track_requests.py) on both databases: each step is
atomic with its mail, two organizers acting at once on one request give one winner and a
clear refusal, approving is one audited change that undo removes whole, and the closing
date is kept beside the other registration settings."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from ptghub.commands.track_requests import Proposal
from ptghub.core.errors import Conflict, PermissionDenied, PtgError
from ptghub.core.model import SYSTEM, Actor, Role, RoleKind
from ptghub.store import tables as t
from ptghub.store.store import Store

SLUG = "test-ptg"
SITE = "https://ptg.example.org"
PROPOSAL = Proposal(
    team_name="Eventlet Removal",
    kind="pop-up",
    contacts="tess on OFTC",
    purpose="Remove eventlet.",
    hours=3,
    onboarding=False,
    preferred_days=(date(2022, 4, 5),),
)
OLIVIA = Actor("olivia", frontend="web")  # organizes the small test event


def _requester(store: Store) -> int:
    return store.accounts.sign_up("tess@example.org").person_id


def _kinds(store: Store) -> list[str]:
    return [entry.kind for entry in store.outbox.entries()][::-1]


def _second_organizer(store: Store) -> Actor:
    store.run("~role grant oscar organizer", SYSTEM, event=SLUG)
    return Actor("oscar", frontend="web")


def _at_once(*calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` in threads released together; each one's result or PtgError."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        start.wait()
        try:
            results[index] = call()
        except PtgError as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_organizers_approving_at_once_one_wins(store: Store) -> None:
    tracks = store.attendees.tracks
    tracks.submit(SLUG, _requester(store), PROPOSAL, site=SITE)
    oscar = _second_organizer(store)
    audits = len(store.audit(SLUG))
    results = _at_once(
        lambda: tracks.approve(store, SLUG, 1, OLIVIA, site=SITE),
        lambda: tracks.approve(store, SLUG, 1, oscar, site=SITE),
    )
    refusals = [r for r in results if isinstance(r, Conflict)]
    assert (len(refusals), len(store.audit(SLUG))) == (1, audits + 1)
    winner = store.audit(SLUG)[-1].actor
    assert refusals[0].message == (
        f"Track request #1 was already approved by {winner}; nothing changed. "
        "Reload the queue to see it."
    )
    assert tracks.get(SLUG, 1).state == "approved"
    assert _kinds(store) == ["track-request-received", "track-request-approved"]


def test_approving_and_declining_at_once_one_wins(store: Store) -> None:
    tracks = store.attendees.tracks
    tracks.submit(SLUG, _requester(store), PROPOSAL, site=SITE)
    oscar = _second_organizer(store)
    results = _at_once(
        lambda: tracks.approve(store, SLUG, 1, OLIVIA, site=SITE),
        lambda: tracks.decline(SLUG, 1, oscar, "No room left.", site=SITE),
    )
    found = tracks.get(SLUG, 1)
    team_made = "eventlet-removal" in store.state(SLUG).teams
    assert (found.state, team_made) in {("approved", True), ("declined", False)}
    [refusal] = [r for r in results if isinstance(r, Conflict)]
    assert refusal.message.startswith(f"Track request #1 was already {found.state} by ")
    assert len(_kinds(store)) == 2  # received, and the winner's mail only


def test_approval_is_one_change_that_undo_removes_whole(store: Store) -> None:
    tracks = store.attendees.tracks
    tracks.submit(SLUG, _requester(store), PROPOSAL, site=SITE)
    before = store.state(SLUG)
    result = tracks.approve(store, SLUG, 1, OLIVIA, site=SITE)
    assert result.audit_id is not None
    entry = store.audit(SLUG)[-1]
    nick = store.accounts.account(tracks.get(SLUG, 1).person_id).web_nick
    assert (entry.id, entry.text, [e.kind for e in entry.events]) == (
        result.audit_id,
        f"track request 1 approve eventlet-removal chair {nick}",
        ["team-added", "role-granted", "needs-changed"],
    )
    assert Role(nick, RoleKind.CHAIR, "eventlet-removal") in store.state(SLUG).roles
    store.undo(result.audit_id, OLIVIA)
    after = store.state(SLUG)
    assert (after.teams, after.roles, after.needs) == (before.teams, before.roles, before.needs)


def test_a_failed_approval_queues_no_mail_and_leaves_the_request_waiting(store: Store) -> None:
    tracks = store.attendees.tracks
    tracks.submit(SLUG, _requester(store), PROPOSAL, site=SITE)
    store.run("~add Eventlet-Removal", SYSTEM, event=SLUG)
    with pytest.raises(Conflict) as refused:
        tracks.approve(store, SLUG, 1, OLIVIA, site=SITE)
    assert refused.value.message == (
        "There is already a team 'Eventlet-Removal' (#eventlet-removal) at this event; choose "
        "another name, or ask its chairs for time in their track."
    )
    assert (tracks.get(SLUG, 1).state, _kinds(store)) == ("submitted", ["track-request-received"])


def test_only_an_organizer_approves(store: Store) -> None:
    tracks = store.attendees.tracks
    tracks.submit(SLUG, _requester(store), PROPOSAL, site=SITE)
    with pytest.raises(PermissionDenied) as refused:
        tracks.approve(store, SLUG, 1, Actor("mallory", frontend="web"), site=SITE)
    assert refused.value.message == (
        "Approving a track request needs an organizer; mallory is not one."
    )
    assert tracks.get(SLUG, 1).state == "submitted"


def test_a_second_open_request_for_the_same_team_is_refused(store: Store) -> None:
    tracks = store.attendees.tracks
    tracks.submit(SLUG, _requester(store), PROPOSAL, site=SITE)
    other = store.accounts.sign_up("tom@example.org").person_id
    with pytest.raises(Conflict) as refused:
        tracks.submit(SLUG, other, PROPOSAL, site=SITE)
    assert refused.value.message == (
        "A track request for 'Eventlet Removal' is already waiting (#1); ask its requester, "
        "or choose another name."
    )


def test_the_closing_date_keeps_the_other_settings_and_closes(store: Store) -> None:
    tracks = store.attendees.tracks
    with store.engine.begin() as conn:
        event_id = conn.execute(select(t.events.c.id).where(t.events.c.slug == SLUG)).scalar()
        conn.execute(insert(t.registration_settings).values(event_id=event_id, capacity=40))
    closes = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)  # the test clock's now
    tracks.set_closes_at(SLUG, closes)
    with store.engine.connect() as conn:
        row = conn.execute(select(t.registration_settings)).one()
    assert (row.capacity, row.track_requests_close_at, tracks.is_closed(SLUG)) == (
        40,
        closes,
        True,
    )
    with pytest.raises(Conflict) as refused:
        tracks.submit(SLUG, _requester(store), PROPOSAL, site=SITE)
    assert refused.value.message == (
        "Track requests for this event closed on 2022-04-04 13:30 UTC; write to the "
        "organizers if your team still needs a track."
    )
    tracks.set_closes_at(SLUG, None)
    assert (tracks.is_closed(SLUG), tracks.queue(SLUG)) == (False, [])
