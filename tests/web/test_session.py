"""web/session.py: a signed-in browser is known by its session cookie alone, and a change
needs the CSRF token of that very session and a request from this site."""

from __future__ import annotations

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from starlette.requests import Request as StarletteRequest

from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.session import CsrfRefused, check_csrf, csrf_for, signed_in
from tests.web.signing_in import sign_in


def _request(client: TestClient, headers: dict[str, str]) -> Request:
    cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    raw = [(b"host", b"testserver")] + [
        (k.lower().encode(), v.encode()) for k, v in headers.items()
    ]
    if cookies:
        raw.append((b"cookie", cookies.encode()))
    app = client.app
    return StarletteRequest({"type": "http", "headers": raw, "app": app, "method": "POST"})


@pytest.fixture
def app_client(store: Store) -> TestClient:
    return TestClient(create_app(store))


def test_the_session_cookie_names_the_person(app_client: TestClient, store: Store) -> None:
    me = sign_in(app_client, store, "ann@example.org")
    found = signed_in(_request(app_client, {}))
    assert found is not None and found.account == me.account
    assert found.actor().nick == "ann@web" and found.actor().frontend == "web"


def test_an_ended_session_signs_nobody_in(app_client: TestClient, store: Store) -> None:
    me = sign_in(app_client, store, "ann@example.org")
    store.accounts.end_sessions(me.account.person_id)
    assert signed_in(_request(app_client, {})) is None


def test_the_csrf_token_of_the_session_passes_and_others_do_not(
    app_client: TestClient, store: Store
) -> None:
    me = sign_in(app_client, store, "ann@example.org")
    check_csrf(_request(app_client, {}), me.csrf)
    check_csrf(_request(app_client, {"X-CSRF-Token": me.csrf}), None)
    other = csrf_for(store, session="another session")
    # The token is hex: one in 16 ends in "0", so the tampered one must change its last digit.
    tampered = me.csrf[:-1] + ("1" if me.csrf.endswith("0") else "0")
    for token in (None, "", other, tampered):
        with pytest.raises(CsrfRefused, match="security token"):
            check_csrf(_request(app_client, {}), token)


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}, {"Origin": "null"}],
)
def test_a_cross_site_request_is_refused_even_with_the_right_token(
    app_client: TestClient, store: Store, headers: dict[str, str]
) -> None:
    me = sign_in(app_client, store, "ann@example.org")
    with pytest.raises(CsrfRefused, match="another site"):
        check_csrf(_request(app_client, headers), me.csrf)
    check_csrf(_request(app_client, {"Origin": "http://testserver"}), me.csrf)
