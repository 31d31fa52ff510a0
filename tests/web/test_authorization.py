"""Who may change what, route by route: every state-changing route of the app (the JSON
API and the web pages' forms) tried by six people — anonymous, signed in with no role, the
chair of another team, the chair, an organizer of another event, the organizer. Only the
allowed ones pass; everyone else gets 401 (anonymous) or 403 and changes nothing: the
audit log and the stored plans are as they were.

The table is tests/web/authorization_routes.py. A state-changing route missing from it
fails ``test_every_state_changing_route_is_in_the_table``, so a new route cannot skip
this test (routes that change only a person's own account are listed there as
``PERSONAL``, with where they are tested).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from ptghub.core.model import SYSTEM, Actor
from ptghub.eventfile import load_event_text
from ptghub.store import tables as t
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.session import BROWSER_COOKIE, SESSION_COOKIE, csrf_for
from tests.event_files import EVENT
from tests.web import authorization_routes
from tests.web.authorization_attendees import TRACK_CASES, UPDATES_CASES
from tests.web.authorization_routes import (
    ANONYMOUS,
    OTHER_EVENT,
    PERSONAL,
    PERSONAS,
    ROLES,
    Case,
)

READ_ONLY = {"GET", "HEAD", "OPTIONS"}
CASES = authorization_routes.CASES + UPDATES_CASES + TRACK_CASES


def state_changing_routes(client: TestClient) -> set[str]:
    """'METHOD /path' of every route that is not a read, however the routers nest."""
    found: set[str] = set()

    def walk(routes: list[object]) -> None:
        for route in routes:
            inner = getattr(route, "original_router", None) or getattr(route, "app", None)
            if inner is not None and hasattr(inner, "routes") and not hasattr(route, "methods"):
                walk(list(inner.routes))
                continue
            methods = getattr(route, "methods", None) or set()
            found.update(f"{m} {getattr(route, 'path', '')}" for m in set(methods) - READ_ONLY)

    walk(list(client.app.router.routes))  # type: ignore[attr-defined]
    return found


@pytest.fixture
def client(empty_store: Store) -> Iterator[TestClient]:
    loader = Actor("loader", operator=True)
    empty_store.create_event(load_event_text(EVENT, "upd.yaml"), loader, "event load")
    empty_store.create_event(load_event_text(OTHER_EVENT, "other.yaml"), loader, "event load")
    with TestClient(create_app(empty_store)) as test_client:
        yield test_client


def test_every_state_changing_route_is_in_the_table(client: TestClient) -> None:
    assert state_changing_routes(client) == {case.id for case in CASES} | PERSONAL


def _as(client: TestClient, store: Store, persona: str) -> dict[str, str]:
    """Sign ``client`` in as ``persona`` (nothing for anonymous); the headers and form
    fields its requests carry: a token for the API, the CSRF token for forms."""
    if persona == ANONYMOUS:  # a browser with its own cookie: public forms' CSRF token
        browser = "an-anonymous-browser"
        client.cookies.set(BROWSER_COOKIE, browser)
        return {"csrf": csrf_for(store, browser=browser)}
    account = store.accounts.sign_up(f"{persona.replace(' ', '-')}@example.org")
    if persona in ROLES:
        event, role = ROLES[persona]
        store.run(f"~role grant {account.web_nick} {role}", SYSTEM, event=event)
    session = store.accounts.start_session(account.person_id, via="email")
    client.cookies.set(SESSION_COOKIE, session)
    return {
        "token": store.tokens.create(account.web_nick)[1],
        "csrf": csrf_for(store, session=session),
    }


def _counts(store: Store) -> dict[str, object]:
    """Rows of what a change may add to: the audit log, the plans, a person's own link
    codes and chat identities, the outbox, the steps of track requests and the closing
    dates set; and what the updates list, the announcements and the paused mail
    addresses hold (``Case.changes``
    names the one that must change); the registrations and their settings as they are
    (a change need not add a row)."""
    tables = {
        "audit": t.audit,
        "plans": t.plans,
        "link_codes": t.link_codes,
        "nicks": t.nicks,
        "outbox": t.outbox,
    }
    s, a = t.updates_subscribers.c, t.announcements.c
    rows = {
        "updates_subscribers": select(s.event_id, s.address_key, s.state),
        "announcements": select(a.id, a.subject, a.body_markdown, a.audience, a.state),
        "mail_suppressions": select(t.mail_suppressions.c.address_key),
    }
    closing = t.registration_settings.c.track_requests_close_at
    whole = {"registrations": t.registrations, "registration_settings": t.registration_settings}
    with store.engine.connect() as conn:
        counts: dict[str, object] = {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in tables.items()
        }
        for name, query in rows.items():
            counts[name] = sorted(tuple(row) for row in conn.execute(query))
        # Every step of a track request is one more entry of its history.
        histories = conn.execute(select(t.track_requests.c.history)).scalars()
        counts["track_requests"] = sum(len(history) for history in histories)
        counts["closing_dates"] = conn.execute(
            select(func.count()).where(closing.is_not(None))
        ).scalar_one()
        for name, table in whole.items():
            counts[name] = sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
        return counts


def _request(client: TestClient, case: Case, credentials: dict[str, str]) -> Response:
    if case.api:
        token = credentials.get("token")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.request(case.method, case.url, json=case.json, headers=headers)
    form, url = dict(case.form or {}), case.url
    if case.token is not None:
        secret = case.token(client.app.state.store)  # type: ignore[attr-defined]
        form = {name: value.replace("{token}", secret) for name, value in form.items()}
        url = url.replace("{token}", secret)
    if credentials:
        form["csrf"] = credentials["csrf"]
    return client.request(
        case.method, url, data=form, headers={"Accept": "application/json"},
        follow_redirects=False,
    )  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_others_are_refused_and_change_nothing(
    client: TestClient, empty_store: Store, case: Case
) -> None:
    """Everyone not allowed, one after the other on one event."""
    if case.setup is not None:
        case.setup(empty_store)
    for persona in PERSONAS:
        if persona in case.allowed:
            continue
        credentials = _as(client, empty_store, persona)
        before = _counts(empty_store)
        response = _request(client, case, credentials)
        expected = 401 if persona == ANONYMOUS else 403
        assert (persona, response.status_code, _counts(empty_store)) == (
            persona,
            expected,
            before,
        ), response.text
        client.cookies.clear()


@pytest.mark.parametrize(
    ("case", "persona"),
    [(case, persona) for case in CASES for persona in PERSONAS if persona in case.allowed],
    ids=lambda value: value.id if isinstance(value, Case) else value,
)
def test_the_allowed_change_the_event(
    client: TestClient, empty_store: Store, case: Case, persona: str
) -> None:
    if case.setup is not None:
        case.setup(empty_store)
    credentials = _as(client, empty_store, persona)
    if case.own is not None:  # what a personal route works on: the persona's own rows
        case.own(empty_store, f"{persona.replace(' ', '-')}@example.org")
    before = _counts(empty_store)
    response = _request(client, case, credentials)
    after = _counts(empty_store)
    assert response.status_code < 400, response.text
    if case.changes == "nothing":  # a preview: allowed, and it writes nothing
        assert after == before
        return
    grew = after[case.changes] != before[case.changes]
    assert grew, f"{case.id} as {persona} answered {response.status_code} and changed nothing"
