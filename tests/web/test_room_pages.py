"""The rooms' pages: the list, and each room with its facts, its day and its feed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from ptghub.core.events import RoomAdded
from ptghub.core.model import Actor
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.support import NOVA_CHAIR, Clock, small_event
from tests.web.test_pages import EVENT, page, texts

ROWS = '//table[@class="room-day"]/tbody/tr'


def test_rooms_page_lists_every_room_with_capacity_and_video(client: TestClient) -> None:
    doc = page(client.get(f"{EVENT}/rooms"))
    assert texts(doc, '//table[@class="rooms"]/tbody/tr') == [
        "Austin 50 people Video call of Austin",
        "Bexar 20 people Organizers only",
        "Coiste Bainisti 10 people Video call of Coiste Bainisti",
    ]
    assert doc.xpath('//table[@class="rooms"]//th/a/@href') == [
        f"{EVENT}/rooms/Austin",
        f"{EVENT}/rooms/Bexar",
        f"{EVENT}/rooms/Coiste%20Bainisti",
    ]


def test_room_page_shows_todays_schedule_in_stretches_by_the_stores_clock(
    client: TestClient, store: Store
) -> None:
    store.run("#nova book Austin-Mon-P2", NOVA_CHAIR)
    doc = page(client.get(f"{EVENT}/rooms/austin"))
    assert texts(doc, "//h2")[0] == "Schedule on Monday 4 April 2022"
    assert texts(doc, ROWS) == [
        "13:00–15:00 Mon-A1 to Mon-A2 Nova/Placement (planned) (now)",
        "15:00–16:00 Mon-P1 Free",
        "16:00–17:00 Mon-P2 Nova/Placement (booked)",
    ]
    assert doc.xpath(f"{ROWS}/@aria-current") == ["time"]


def test_room_page_follows_the_day_parameter_and_shows_closed_cells(
    client: TestClient, clock: Clock
) -> None:
    clock.now = datetime(2022, 4, 5, 16, 30, tzinfo=UTC)
    doc = page(client.get(f"{EVENT}/rooms/Austin"))
    assert texts(doc, ROWS) == [
        "13:00–16:00 Tue-A1 to Tue-P1 Free",
        "16:00–17:00 Tue-P2 Closed (now)",
    ]
    doc = page(client.get(f"{EVENT}/rooms/Austin", params={"day": "2022-04-04"}))
    assert texts(doc, '//nav[@aria-label="Days"]//a[@aria-current]') == ["Monday 4 April 2022"]
    assert doc.xpath(f"{ROWS}/@aria-current") == []


def test_room_page_says_where_it_is_and_links_its_feed(empty_store: Store) -> None:
    events = [
        RoomAdded(replace(e.room, location="Second floor, by the elevators"))
        if isinstance(e, RoomAdded) and e.room.name == "Bexar"
        else e
        for e in small_event()
    ]
    empty_store.create_event(events, Actor("loader", operator=True), "test setup")
    with TestClient(create_app(empty_store)) as client:
        doc = page(client.get(f"{EVENT}/rooms/Bexar"))
    assert texts(doc, "//dl[contains(@class, 'room-facts')]/dd") == [
        "Organizers only",
        "Second floor, by the elevators",
        "20 people",
        "none: teams meeting here give their own link",
        "Only the organizers hand out its slots.",
    ]
    assert doc.xpath('//ul[@class="feeds"]//a/@href')[:2] == [
        f"{EVENT}/rooms/Bexar.ics",
        f"{EVENT}/calendar.ics",
    ]
