"""The API docs, /docs (Swagger UI), render in a real browser from this server alone: no
request to another site, no Content-Security-Policy violation."""

from __future__ import annotations

from playwright.sync_api import Request

from tests.browser.conftest import LiveServer, Tab

# Text the page shows only once it has read and rendered /openapi.json.
RENDERED = "/api/v1/events/{slug}/commands"


def test_api_docs_render_from_this_server_within_the_csp(tab: Tab, live_server: LiveServer) -> None:
    requested: list[str] = []

    def note(request: Request) -> None:
        requested.append(request.url)

    tab.page.on("request", note)
    page = tab.open("/docs")
    page.get_by_text(RENDERED).first.wait_for(timeout=10_000)
    elsewhere = [
        url for url in requested if not url.startswith((live_server.url + "/", "data:", "blob:"))
    ]
    assert (elsewhere, tab.errors) == ([], [])
