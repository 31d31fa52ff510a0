"""The attendees' rows of the authorization table (tests/web/authorization_routes.py):
the updates list, announcements and track requests. test_authorization.py runs them
with the others.
"""

from __future__ import annotations

from ptghub.commands.track_requests import check_proposal
from ptghub.core.model import SYSTEM
from ptghub.store.store import Store
from tests.web.authorization_routes import (
    _O,
    ORG,
    ORGANIZERS,
    PERSONAS,
    SIGNED_IN,
    SLUG,
    WEB,
    Case,
)

# The updates list and announcements (web/updates_pages.py, organize_announcements.py).
EVERYONE = frozenset(PERSONAS)  # public: no sign-in needed
ADA = "ada@example.org"


def _pending(store: Store) -> None:
    store.attendees.updates.subscribers.subscribe(SLUG, ADA)


def _confirm_token(store: Store) -> str:
    token = store.attendees.updates.subscribers.subscribe(SLUG, ADA)[1]
    assert token is not None
    return token


def _unsubscribe_token(store: Store) -> str:
    subscribers = store.attendees.updates.subscribers
    return subscribers.unsubscribe_tokens(subscribers.event_id(SLUG))(ADA)


def _announcement(store: Store) -> None:
    """Announcement 1: a draft to the updates list."""
    store.attendees.updates.announcements.create(SLUG, None, "Hello", "Hi", "updates-list", "")


_DRAFT = {"subject": "Hello", "text": "Hi *all*", "audience": "registrants"}
_A = "/events/{slug}/organize/announcements"
UPDATES_CASES: tuple[Case, ...] = (
    Case("POST", "/events/{slug}/updates", f"{WEB}/updates", EVERYONE,
         form={"email": ADA}, changes="updates_subscribers"),
    Case("POST", "/events/{slug}/updates/confirm", f"{WEB}/updates/confirm", EVERYONE,
         form={"token": "{token}"}, setup=_pending, token=_confirm_token,
         changes="updates_subscribers"),
    Case("POST", "/events/{slug}/unsubscribe/{token}", f"{WEB}/unsubscribe/{{token}}", EVERYONE,
         form={"List-Unsubscribe": "One-Click"}, token=_unsubscribe_token,
         changes="updates_subscribers", note="RFC 8058 one-click: no cookie, no CSRF token"),
    Case("POST", _A, f"{ORG}/announcements", ORGANIZERS, form=_DRAFT, changes="announcements"),
    Case("POST", f"{_A}/preview", f"{ORG}/announcements/preview", ORGANIZERS, form=_DRAFT,
         changes="nothing"),
    Case("POST", f"{_A}/{{number:int}}", f"{ORG}/announcements/1", ORGANIZERS, form=_DRAFT,
         setup=_announcement, changes="announcements"),
    Case("POST", f"{_A}/{{number:int}}/preview", f"{ORG}/announcements/1/preview", ORGANIZERS,
         form=_DRAFT, setup=_announcement, changes="nothing"),
    Case("POST", f"{_A}/{{number:int}}/delete", f"{ORG}/announcements/1/delete", ORGANIZERS,
         setup=_announcement, changes="announcements"),
    Case("POST", f"{_A}/{{number:int}}/test", f"{ORG}/announcements/1/test", ORGANIZERS,
         setup=_announcement, changes="outbox"),
    Case("POST", f"{_A}/{{number:int}}/send", f"{ORG}/announcements/1/send", ORGANIZERS,
         setup=_announcement, changes="announcements"),
)  # fmt: skip


# Track requests (web/track_requests.py, web/organize_tracks.py). A request is sent by
# any signed-in person; the requester withdraws or edits their own (another person's is
# refused with 404 in tests/web/test_track_requests.py); the queue is the organizers'.
# Each success adds a step to a request (``changes="track_requests"``) or, approving,
# an audited change; setting the closing date fills registration_settings.
TRACK_REQUEST = {
    "team_name": "Eventlet Removal",
    "kind": "pop-up",
    "contacts": "tess on OFTC",
    "purpose": "Remove eventlet.",
    "hours": "2",
}
_T = "/events/{slug}/tracks"


def _requested(store: Store, address: str = "tess@example.org") -> None:
    """Request #1, sent by ``address`` (made if new)."""
    person = store.accounts.sign_up(address).person_id
    proposal = check_proposal(store.state(SLUG), TRACK_REQUEST)
    store.attendees.tracks.submit(SLUG, person, proposal, site="http://testserver")


def _changes_asked(store: Store, address: str) -> None:
    _requested(store, address)
    store.attendees.tracks.ask_changes(SLUG, 1, SYSTEM, "Fewer hours.", site="")


TRACK_CASES: tuple[Case, ...] = (
    Case("POST", f"{_T}/request", f"{WEB}/tracks/request", SIGNED_IN, form=TRACK_REQUEST,
         changes="track_requests"),
    Case("POST", f"{_T}/requests/{{number}}/withdraw", f"{WEB}/tracks/requests/1/withdraw",
         SIGNED_IN, form={}, own=_requested, changes="track_requests"),
    Case("POST", f"{_T}/requests/{{number}}", f"{WEB}/tracks/requests/1", SIGNED_IN,
         form={**TRACK_REQUEST, "hours": "1"}, own=_changes_asked, changes="track_requests"),
    Case("POST", f"{_O}/tracks/{{number}}/approve", f"{ORG}/tracks/1/approve", ORGANIZERS,
         setup=_requested),
    Case("POST", f"{_O}/tracks/{{number}}/changes", f"{ORG}/tracks/1/changes", ORGANIZERS,
         form={"message": "Fewer hours."}, setup=_requested, changes="track_requests"),
    Case("POST", f"{_O}/tracks/{{number}}/decline", f"{ORG}/tracks/1/decline", ORGANIZERS,
         form={"reason": "No room."}, setup=_requested, changes="track_requests"),
    Case("POST", f"{_O}/tracks/closing", f"{ORG}/tracks/closing", ORGANIZERS,
         form={"closes_at": "2022-04-03T12:00"}, changes="closing_dates"),
)  # fmt: skip
