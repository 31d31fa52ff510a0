"""Absolute URLs come from the configured public URL (PTGHUB_PUBLIC_URL), never from the
request's Host header, which any client can forge."""

from __future__ import annotations

import json
from collections.abc import Iterator

import lxml.html
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from pydantic import ValidationError

from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web.app import create_app

FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
PUBLIC = "https://ptg.example.org"
# Every page and answer that could hold an address, read with the forged header.
PATHS = (
    "/events/test-ptg/schedule.json",
    "/events/test-ptg/schedule-v2.json",
    "/events/test-ptg/schedule.xml",
    "/events/test-ptg/calendar.ics",
    "/events/test-ptg/teams/nova.ics",
    "/events/test-ptg/ptg.json",
    "/events/test-ptg/",
    "/events/test-ptg/board",
    "/events/test-ptg/teams/nova",
    "/events/test-ptg/etherpads",
    "/events/test-ptg/signage",
    "/events/test-ptg/rooms",
    "/events/test-ptg/rooms/Austin",
    "/events/test-ptg/calendars",
    "/events/test-ptg/socials",
    "/events/",
    "/api/v1/events/test-ptg",
    "/api/v1/events/test-ptg/board",
    "/openapi.json",
    "/docs",
)


@pytest.fixture
def public_client(store: Store) -> Iterator[TestClient]:
    """The app with a public URL configured, as ``ptghub serve`` builds it."""
    with TestClient(create_app(store, Settings(public_url=PUBLIC + "/"))) as client:
        yield client


@pytest.mark.parametrize("path", PATHS)
def test_public_url_forged_host_never_shows(
    client: TestClient, public_client: TestClient, path: str
) -> None:
    for each in (client, public_client):
        response = each.get(path, headers=FORGED)
        assert (response.status_code, "evil.example" in response.text) == (200, False)


def test_public_url_schedules_name_their_public_address(public_client: TestClient) -> None:
    base = f"{PUBLIC}/events/test-ptg"
    data = public_client.get("/events/test-ptg/schedule.json", headers=FORGED).json()
    flat = public_client.get("/events/test-ptg/schedule-v2.json", headers=FORGED).json()
    xml = public_client.get("/events/test-ptg/schedule.xml", headers=FORGED)
    assert (
        data["schedule"]["conference"]["url"],
        flat["schedule"]["conference"]["url"],
        etree.fromstring(xml.content).findtext("url"),
    ) == (
        f"{base}/schedule.json",
        f"{base}/schedule-v2.json",
        f"{base}/schedule.xml",
    )


def test_public_url_makes_the_pages_calendar_links_absolute(
    client: TestClient, public_client: TestClient
) -> None:
    xpath = '//ul[@class="feeds"]//a/@href'
    feeds = lxml.html.fromstring(public_client.get("/events/test-ptg/", headers=FORGED).text)
    assert feeds.xpath(xpath) == [
        f"{PUBLIC}/events/test-ptg/calendar.ics",
        "webcal://ptg.example.org/events/test-ptg/calendar.ics",
        "/events/test-ptg/calendars",
    ]
    relative = lxml.html.fromstring(client.get("/events/test-ptg/", headers=FORGED).text)
    assert relative.xpath(xpath) == ["/events/test-ptg/calendar.ics", "/events/test-ptg/calendars"]


def test_public_url_unset_leaves_the_address_out(client: TestClient) -> None:
    data = json.loads(client.get("/events/test-ptg/schedule.json").content)
    xml = etree.fromstring(client.get("/events/test-ptg/schedule.xml").content)
    assert ("url" in data["schedule"]["conference"], xml.findtext("url")) == (False, None)


@pytest.mark.parametrize(
    "value",
    ["ptg.example.org", "ftp://ptg.example.org", "https://ptg.example.org/ptg", "https://u@h.org"],
)
def test_public_url_setting_must_be_an_http_origin(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        Settings(public_url=value)
    assert [e["msg"] for e in error.value.errors()] == [
        "Value error, public_url must be an http(s) address with no path, such as "
        f"https://ptg.example.org; got {value!r}"
    ]


def test_public_url_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTGHUB_PUBLIC_URL", "http://127.0.0.1:8000/")
    assert Settings().public_url == "http://127.0.0.1:8000"
