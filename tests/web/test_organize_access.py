"""Who may use the organizers' pages and forms: the event's organizers, signed in, with the
page's CSRF token, from this site. Everyone else is refused (401 for nobody signed in, 403
for a person without the role, a chair, an organizer of another event; 403 without the
token or from another site) and the audit log does not grow."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from ptghub.core.events import EventCreated
from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.support import small_event
from tests.web.organizing import (
    EVENT,
    OPERATOR,
    ORGANIZE,
    audit_count,
    chair,
    nobody,
    organizer,
    post,
    post_json,
)
from tests.web.signing_in import SignedInClient, sign_in

PAGES = [
    ORGANIZE,
    f"{ORGANIZE}/messages",
    f"{ORGANIZE}/teams",
    f"{ORGANIZE}/grid",
    f"{ORGANIZE}/pages",
    f"{ORGANIZE}/pages/code-of-conduct",
    f"{ORGANIZE}/report",
    f"{ORGANIZE}/report/bookings.csv",
    f"{ORGANIZE}/compare",
]

# Every state-changing form of the organizers, with fields an organizer could send.
FORMS: dict[str, dict[str, str]] = {
    f"{ORGANIZE}/messages/add": {"level": "info", "text": "Hello"},
    f"{ORGANIZE}/messages/remove": {"n": "1"},
    f"{ORGANIZE}/messages/up": {"n": "2"},
    f"{ORGANIZE}/messages/reorder": {"order": "2 1"},
    f"{ORGANIZE}/teams/add": {"teams": "swift"},
    f"{ORGANIZE}/teams/delete": {"team": "cinder"},
    f"{ORGANIZE}/teams/rename": {"team": "cinder", "name": "Cinder Volumes"},
    f"{ORGANIZE}/grid/room": {"room": "Bexar", "bookable": "yes"},
    f"{ORGANIZE}/grid/slot": {"slot": "Tue-P2", "room": "Austin"},
    f"{ORGANIZE}/pages/faq": {"text": "# FAQ"},
    f"{ORGANIZE}/pages/faq/preview": {"text": "# FAQ"},
    f"/events/{EVENT}/plan/run": {"seconds": "1"},
    f"/events/{EVENT}/plan/1/publish": {},
}
# Those an organizer's test below can run without the planner (it takes seconds).
QUICK = [path for path in FORMS if "/plan/" not in path]


@pytest.fixture
def two_messages(store: Store) -> Store:
    store.run("~motd add info one", OPERATOR)
    store.run("~motd add info two", OPERATOR)
    return store


def other_organizer(client: TestClient, store: Store) -> SignedInClient:
    """Signed in as the organizer of another event (and of nothing in this one)."""
    events = small_event()
    created = events[0]
    assert isinstance(created, EventCreated)
    other = [EventCreated(replace(created.info, slug="other-ptg", name="Other PTG")), *events[1:]]
    store.create_event(other, Actor("loader", operator=True), "other event")
    me = sign_in(client, store, "otto@example.org")
    store.run(f"~role grant {me.account.web_nick} organizer", OPERATOR, event="other-ptg")
    return me


REFUSED_PEOPLE = {"no role": nobody, "chair": chair, "organizer elsewhere": other_organizer}


@pytest.mark.parametrize("path", PAGES)
def test_nobody_signed_in_gets_a_401_page_with_a_sign_in_link(
    client: TestClient, path: str
) -> None:
    page = client.get(path)
    assert page.status_code == 401
    assert f'<a href="/signin?next={path}">Sign in</a>' in page.text


@pytest.mark.parametrize("who", REFUSED_PEOPLE)
@pytest.mark.parametrize("path", PAGES)
def test_a_person_who_does_not_organize_the_event_gets_403(
    client: TestClient, store: Store, who: str, path: str
) -> None:
    me = REFUSED_PEOPLE[who](client, store)
    page = client.get(path)
    assert page.status_code == 403
    assert (
        f"The organizers' pages of {EVENT} are for its organizers; "
        f"{me.account.display_name} ({me.account.web_nick}) is not one."
    ) in page.text.replace("&#39;", "'")


def test_an_organizers_page_of_an_unknown_event_is_a_404(client: TestClient, store: Store) -> None:
    organizer(client, store)
    assert client.get("/events/nope/organize").status_code == 404


def test_every_form_from_nobody_signed_in_is_refused_401(
    client: TestClient, two_messages: Store
) -> None:
    before = audit_count(two_messages)
    scripts = {path: post_json(client, path, **fields) for path, fields in FORMS.items()}
    assert {path: answer.status_code for path, answer in scripts.items()} == dict.fromkeys(
        FORMS, 401
    )
    pages = {path: post(client, path, **fields) for path, fields in FORMS.items()}
    assert {path: page.status_code for path, page in pages.items()} == dict.fromkeys(FORMS, 401)
    assert all('<a href="/signin?next=' in page.text for page in pages.values())
    assert audit_count(two_messages) == before


@pytest.mark.parametrize("who", REFUSED_PEOPLE)
def test_every_form_from_a_person_who_does_not_organize_the_event_is_refused_403(
    client: TestClient, two_messages: Store, who: str
) -> None:
    me = REFUSED_PEOPLE[who](client, two_messages)
    before = (audit_count(two_messages), two_messages.version(EVENT))
    scripts = {path: post_json(client, path, **me.form(**f)) for path, f in FORMS.items()}
    pages = {path: post(client, path, **me.form(**f)) for path, f in FORMS.items()}
    assert {path: answer.status_code for path, answer in scripts.items()} == dict.fromkeys(
        FORMS, 403
    )
    assert {path: page.status_code for path, page in pages.items()} == dict.fromkeys(FORMS, 403)
    assert (audit_count(two_messages), two_messages.version(EVENT)) == before


def test_every_form_without_its_token_or_from_another_site_is_refused_403(
    client: TestClient, two_messages: Store
) -> None:
    me = organizer(client, two_messages)
    before = audit_count(two_messages)
    for path, fields in FORMS.items():
        without = post_json(client, path, **fields)
        wrong = post_json(client, path, **fields, csrf="0" * 64)
        cross_site = client.post(
            path,
            data=me.form(**fields),
            headers={"Accept": "application/json", "Sec-Fetch-Site": "cross-site"},
        )
        other_origin = client.post(
            path,
            data=me.form(**fields),
            headers={"Accept": "application/json", "Origin": "https://evil.example"},
        )
        statuses = [r.status_code for r in (without, wrong, cross_site, other_origin)]
        assert (path, statuses) == (path, [403] * 4)
        assert (path, without.json()) == (
            path,
            {
                "error": "This form has expired or did not come from this site (its security "
                "token is missing or wrong); reload the page and try again."
            },
        )
        assert (path, cross_site.json()) == (
            path,
            {"error": "This request came from another site; it was refused."},
        )
    assert audit_count(two_messages) == before


@pytest.mark.parametrize("path", QUICK)
def test_the_same_form_from_the_organizer_passes(
    client: TestClient, two_messages: Store, path: str
) -> None:
    me = organizer(client, two_messages)
    answer = post_json(client, path, **me.form(**FORMS[path]))
    assert answer.status_code == 200, answer.text


def test_a_token_holds_for_its_own_session_only(client: TestClient, store: Store) -> None:
    first = organizer(client, store)
    organizer(client, store, "oscar@example.org")  # the client's cookie is now oscar's
    before = audit_count(store)
    answer = post_json(client, f"{ORGANIZE}/messages/add", **first.form(level="info", text="Hello"))
    assert answer.status_code == 403
    assert audit_count(store) == before
