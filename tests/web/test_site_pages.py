"""Site-wide addresses: the favicon, the old live board, and the page not found."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.web.test_pages import EVENT, page, texts


def test_favicon_is_the_sites_svg_icon(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert (response.status_code, response.headers["content-type"]) == (200, "image/svg+xml")
    assert response.text.lstrip().startswith("<svg")


def test_old_live_board_address_leads_to_the_current_events_board(client: TestClient) -> None:
    response = client.get("/ptg.html", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (302, f"{EVENT}/board")


def test_old_live_board_without_a_current_event_is_a_404_page(empty_store: Store) -> None:
    with TestClient(create_app(empty_store)) as client:
        response = client.get("/ptg.html")
    assert response.status_code == 404
    assert texts(page(response), '//p[@class="error-message"]') == [
        "There is no current event yet."
    ]


def test_unknown_page_is_an_html_404_with_links(client: TestClient) -> None:
    response = client.get("/schedule")
    assert response.status_code == 404
    doc = page(response)
    assert texts(doc, "//h1") == ["Page not found"]
    assert doc.xpath('//ul[@class="not-found-links"]//a/@href') == [
        f"{EVENT}/",
        f"{EVENT}/board",
        "/events/",
        "/docs",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing",
        "/api/nothing",
        "/static/nothing.css",
        "/events/test-ptg/rooms/%0A.ics",
        "/nothing.json",
        "/nothing.xml",
    ],
)
def test_unknown_address_of_programs_stays_a_json_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert (response.status_code, response.headers["content-type"]) == (404, "application/json")
    assert set(response.json()) == {"error"}


def test_every_page_footer_links_the_api_docs(client: TestClient) -> None:
    for path in (f"{EVENT}/", f"{EVENT}/board", "/events/", "/schedule"):
        assert "/docs" in page(client.get(path)).xpath("//footer//a/@href")
