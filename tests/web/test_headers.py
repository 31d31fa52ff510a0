"""Security headers on every kind of response, and the API docs served without a CDN."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.docs import ASSETS
from ptghub.web.headers import DEFAULT_CSP, DOCS_CSP, PAGE_CSP
from tests.web.serving import serving

EVENT = "/events/test-ptg"
FIXED = {"x-content-type-options": "nosniff", "referrer-policy": "same-origin"}


def _security(response: httpx.Response) -> dict[str, str]:
    names = ("x-content-type-options", "referrer-policy", "content-security-policy", "server")
    return {name: response.headers[name] for name in names if name in response.headers}


@pytest.fixture
def lenient(store: Store) -> Iterator[TestClient]:
    """The app with one more route that fails, answered like any unexpected error (500)."""
    app = create_app(store)

    @app.get("/test-failure")
    def failure() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "status", "csp"),
    [
        (f"{EVENT}/board", 200, PAGE_CSP),  # an HTML page
        (f"{EVENT}/teams/nobody", 404, PAGE_CSP),  # an HTML error page
        ("/api/v1/events/test-ptg/board", 200, DEFAULT_CSP),  # JSON
        ("/api/v1/events/nope", 404, DEFAULT_CSP),  # a JSON error
        (f"{EVENT}/calendar.ics", 200, DEFAULT_CSP),  # an export
        (f"{EVENT}/ptg.json", 200, DEFAULT_CSP),
        ("/events/nope/stream", 404, DEFAULT_CSP),  # the stream's refusal
        ("/static/style.css", 200, DEFAULT_CSP),  # a static file
        ("/openapi.json", 200, DEFAULT_CSP),
        ("/docs", 200, DOCS_CSP),
        ("/redoc", 404, PAGE_CSP),  # not served (ReDoc calls its vendor's CDN): a 404 page
        (f"{ASSETS}/swagger-ui-bundle.js", 200, DEFAULT_CSP),
        ("/no/such/address/at/all", 404, PAGE_CSP),  # the router's 404 page
        ("/api/no/such/address", 404, DEFAULT_CSP),  # the router's JSON 404
        ("/test-failure", 500, DEFAULT_CSP),  # Starlette's own error answer
    ],
)
def test_headers_on_every_response(lenient: TestClient, path: str, status: int, csp: str) -> None:
    response = lenient.get(path)
    assert (response.status_code, _security(response)) == (
        status,
        {**FIXED, "content-security-policy": csp},
    )


def test_headers_on_refusals_before_the_app(lenient: TestClient) -> None:
    response = lenient.post("/api/v1/events/test-ptg/commands", json={"text": "help"})
    assert (response.status_code, _security(response)) == (
        401,
        {**FIXED, "content-security-policy": DEFAULT_CSP},
    )


def test_headers_of_a_real_server_name_no_server_and_cover_streams(store: Store) -> None:
    with (
        serving(create_app(store)) as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):
        page = client.get(f"{EVENT}/board")
        with client.stream("GET", f"{EVENT}/stream") as stream:
            streamed = (stream.status_code, stream.headers["content-type"], _security(stream))
    assert (page.status_code, _security(page)) == (
        200,
        {**FIXED, "content-security-policy": PAGE_CSP},
    )
    assert streamed == (
        200,
        "text/event-stream; charset=utf-8",
        {**FIXED, "content-security-policy": DEFAULT_CSP},
    )


def test_headers_docs_load_everything_from_this_server(client: TestClient) -> None:
    html = client.get("/docs").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    fetched = {source: client.get(source) for source in sources}
    assert [s for s in sources if not s.startswith("/")] == []  # no other site, no CDN
    assert {s: r.status_code for s, r in fetched.items()} == dict.fromkeys(sources, 200)
    assert "<script>" not in html  # every script is a file: no inline one to allow
