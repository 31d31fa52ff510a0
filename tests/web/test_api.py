"""The JSON API's reads: exact JSON of every endpoint for the small event, and ETags."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi.testclient import TestClient

from ptghub.core.events import EventCreated
from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, Clock, small_event

API = "/api/v1/events/test-ptg"
ROOMS = ("Austin", "Bexar", "Coiste Bainisti")
SLOTS = ("A1", "A2", "P1", "P2")  # 13h, 14h, 15h, 16h, one hour each
DAYS = (("Mon", "2022-04-04"), ("Tue", "2022-04-05"))
PAD = "https://etherpad.opendev.org/p/test-ptg-"


def slot_json(day: str, date: str, index: int, offset: str = "+00:00") -> dict[str, Any]:
    """A slot of the small event in UTC, where event time and UTC are the same."""
    start, end = f"{date}T{13 + index}:00:00", f"{date}T{14 + index}:00:00"
    return {
        "code": f"{day}-{SLOTS[index]}",
        "day": date,
        "start": start + offset,
        "end": end + offset,
        "start_utc": start + "+00:00",
        "end_utc": end + "+00:00",
    }


def cell_status(room: str, code: str) -> tuple[str, str | None]:
    """The small event's grid: nova planned in Austin on Monday morning, Austin-Tue-P2 absent."""
    if room == "Austin" and code in ("Mon-A1", "Mon-A2"):
        return "planned", "nova"
    if room == "Austin" and code == "Tue-P2":
        return "unavailable", None
    return "free", None


def team_json(slug: str, name: str, **fields: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": name,
        "kind": "project-team",
        "onboarding": False,
        "color": None,
        "description": "",
        "etherpad": PAD + slug,
        "video_url": None,
        "onboarding_slot": None,
        "recording": None,
        **fields,
    }


def board_team(slug: str, name: str, **fields: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": name,
        "color": None,
        "onboarding": False,
        "now": None,
        "next": [],
        "location": None,
        "room": None,
        "video_url": None,
        "etherpad": PAD + slug,
        **fields,
    }


def test_api_events_lists_every_event(client: TestClient) -> None:
    response = client.get("/api/v1/events")
    assert (response.status_code, response.json()) == (
        200,
        {
            "events": [
                {
                    "slug": "test-ptg",
                    "name": "Test PTG",
                    "start": "2022-04-04",
                    "end": "2022-04-05",
                    "timezone": "UTC",
                    "format": "virtual",
                    "current": True,
                }
            ]
        },
    )


def test_api_event_shows_its_public_information(client: TestClient) -> None:
    response = client.get(API)
    assert (response.status_code, response.json()) == (
        200,
        {
            "slug": "test-ptg",
            "name": "Test PTG",
            "start": "2022-04-04",
            "end": "2022-04-05",
            "timezone": "UTC",
            "format": "virtual",
            "contact": "ptg@example.org",
            "open_to_everyone": True,
            "links": [],
            "socials": [],
            "chat": {"irc": None, "matrix": None},
            "pages": {},
        },
    )


def test_api_event_unknown_is_404_with_message(client: TestClient) -> None:
    response = client.get("/api/v1/events/nope/teams")
    assert (response.status_code, response.json()) == (
        404,
        {"error": "Unknown event 'nope'; 'ptghub event list' shows the events."},
    )


def test_api_teams_lists_teams_by_slug(client: TestClient) -> None:
    response = client.get(f"{API}/teams")
    assert (response.status_code, response.json()) == (
        200,
        {
            "teams": [
                team_json("cinder", "Cinder"),
                team_json("first-contact", "First Contact SIG", kind="sig"),
                team_json("nova", "Nova/Placement", onboarding=True),
                team_json("relmgt", "Release Management"),
            ]
        },
    )


def test_api_teams_show_the_recording_link_a_chair_set(client: TestClient, store: Store) -> None:
    store.run("#nova recording https://videos.example.org/nova-ptg", NOVA_CHAIR)
    nova = client.get(f"{API}/teams").json()["teams"][2]
    assert nova == team_json(
        "nova",
        "Nova/Placement",
        onboarding=True,
        recording="https://videos.example.org/nova-ptg",
    )


def test_api_rooms_lists_rooms_in_file_order(client: TestClient) -> None:
    response = client.get(f"{API}/rooms")
    assert (response.status_code, response.json()) == (
        200,
        {
            "rooms": [
                {
                    "name": "Austin",
                    "capacity": 50,
                    "video_url": "https://meet.example.org/austin",
                    "description": "",
                    "bookable": True,
                    "location": "",
                },
                {
                    "name": "Bexar",
                    "capacity": 20,
                    "video_url": None,
                    "description": "Organizers only",
                    "bookable": False,
                    "location": "",
                },
                {
                    "name": "Coiste Bainisti",
                    "capacity": 10,
                    "video_url": "https://meet.example.org/coiste",
                    "description": "",
                    "bookable": True,
                    "location": "",
                },
            ]
        },
    )


def test_api_slots_gives_times_in_event_zone_and_utc(client: TestClient) -> None:
    response = client.get(f"{API}/slots")
    expected = [slot_json(day, date, i) for day, date in DAYS for i in range(4)]
    assert (response.status_code, response.json()) == (200, {"slots": expected})


def test_api_slots_of_an_event_east_of_utc_carry_its_offset(
    client: TestClient, store: Store
) -> None:
    events = small_event()
    first = events[0]
    assert isinstance(first, EventCreated)
    info = replace(first.info, slug="paris-ptg", timezone="Europe/Paris")
    store.create_event([EventCreated(info), *events[1:]], Actor("loader", operator=True), "t")
    slots = client.get("/api/v1/events/paris-ptg/slots").json()["slots"]
    assert slots[0] == {
        "code": "Mon-A1",
        "day": "2022-04-04",
        "start": "2022-04-04T13:00:00+02:00",
        "end": "2022-04-04T14:00:00+02:00",
        "start_utc": "2022-04-04T11:00:00+00:00",
        "end_utc": "2022-04-04T12:00:00+00:00",
    }


def test_api_schedule_lists_every_cell_by_slot_then_room(client: TestClient, store: Store) -> None:
    store.run("#cinder book Coiste Bainisti-Tue-P1", NOVA_CHAIR)
    expected = []
    for day, _ in DAYS:
        for name in SLOTS:
            for room in ROOMS:
                code = f"{day}-{name}"
                status, team = cell_status(room, code)
                if (room, code) == ("Coiste Bainisti", "Tue-P1"):
                    status, team = "booked", "cinder"
                cell = {"room": room, "slot": code, "cell": f"{room}-{code}"}
                expected.append({**cell, "status": status, "team": team})
    response = client.get(f"{API}/schedule")
    assert (response.status_code, response.json()) == (200, {"cells": expected})


def test_api_board_shows_the_event_now(client: TestClient, store: Store) -> None:
    store.run("~motd add warning Lunch is late", ORGANIZER)
    store.run("#nova now Placement API", NOVA_CHAIR)
    store.run("#nova next Quotas", NOVA_CHAIR)
    store.run("#relmgt location Hallway", ORGANIZER)
    store.run("in #nova", ALICE)
    store.run("in #nova", ORGANIZER)
    store.run("in Lobby", NOVA_CHAIR)
    days = [
        {
            "day": date,
            "slots": [slot_json(day, date, i) for i in range(4)],
            "rows": [
                {
                    "room": room,
                    "cells": [
                        {
                            "slot": f"{day}-{name}",
                            "cell": f"{room}-{day}-{name}",
                            "status": cell_status(room, f"{day}-{name}")[0],
                            "team": cell_status(room, f"{day}-{name}")[1],
                        }
                        for name in SLOTS
                    ],
                }
                for room in ROOMS
            ],
        }
        for day, date in DAYS
    ]
    response = client.get(f"{API}/board")
    assert (response.status_code, response.json()) == (
        200,
        {
            "event": "test-ptg",
            "name": "Test PTG",
            "timezone": "UTC",
            "at": "2022-04-04T13:30:00+00:00",
            "current_slot": "Mon-A1",
            "motd": [{"level": "warning", "text": "Lunch is late"}],
            "teams": [
                board_team(
                    "nova",
                    "Nova/Placement",
                    onboarding=True,
                    now="Placement API",
                    next=["Quotas"],
                    location="Austin",
                    room="Austin",
                    video_url="https://meet.example.org/austin",
                ),
                board_team("cinder", "Cinder"),
                board_team("first-contact", "First Contact SIG"),
                board_team("relmgt", "Release Management", location="Hallway"),
            ],
            "checkins": [{"location": "#nova", "count": 2}, {"location": "Lobby", "count": 1}],
            "links": [],
            "days": days,
            "ended": None,
        },
    )


def test_api_board_between_slots_has_no_current_slot(client: TestClient, clock: Clock) -> None:
    clock.advance(hours=4)  # Monday 17:30, after the last slot
    board = client.get(f"{API}/board").json()
    assert (board["at"], board["current_slot"], board["teams"][2]["room"]) == (
        "2022-04-04T17:30:00+00:00",
        None,
        None,
    )


def test_api_board_of_an_event_that_is_over_says_when_it_ended(
    client: TestClient, clock: Clock
) -> None:
    last_day = client.get(f"{API}/board")
    clock.advance(days=2)  # Wednesday 6 April: the event ended on Tuesday 5 April
    board = client.get(f"{API}/board", headers={"If-None-Match": last_day.headers["etag"]})
    assert (last_day.json()["ended"], board.status_code, board.json()["ended"]) == (
        None,
        200,
        "2022-04-05",
    )
    assert board.json()["current_slot"] is None


def test_api_read_with_current_etag_is_304(client: TestClient) -> None:
    for path in ("/api/v1/events", API, f"{API}/teams", f"{API}/schedule", f"{API}/board"):
        first = client.get(path)
        again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert (again.status_code, again.content, again.headers["etag"]) == (
            304,
            b"",
            first.headers["etag"],
        )


def test_api_read_etag_matches_weakly_and_in_lists(client: TestClient) -> None:
    # The plain form: to a client accepting gzip it is weak (tests/web/test_compression.py).
    etag = client.get(f"{API}/rooms", headers={"Accept-Encoding": "identity"}).headers["etag"]
    assert etag == '"1.1"'
    codes = [
        client.get(f"{API}/rooms", headers={"If-None-Match": value}).status_code
        for value in (f'"x", W/{etag}', "*", '"1.0"')
    ]
    assert codes == [304, 304, 200]


def test_api_read_etag_changes_exactly_when_the_event_changes(
    client: TestClient, store: Store
) -> None:
    before = client.get(f"{API}/teams").headers["etag"]
    store.run("~list", ALICE)  # reads only: the event is unchanged
    unchanged = client.get(f"{API}/teams", headers={"If-None-Match": before})
    store.run("#nova now Quotas", NOVA_CHAIR)
    changed = client.get(
        f"{API}/teams", headers={"If-None-Match": before, "Accept-Encoding": "identity"}
    )
    assert (unchanged.status_code, changed.status_code) == (304, 200)
    assert changed.headers["etag"] == '"1.2"'


def test_api_board_etag_changes_when_the_slot_changes(client: TestClient, clock: Clock) -> None:
    first = client.get(f"{API}/board")
    clock.advance(minutes=10)  # still Mon-A1
    same = client.get(f"{API}/board", headers={"If-None-Match": first.headers["etag"]})
    clock.advance(minutes=30)  # Mon-A2
    later = client.get(f"{API}/board", headers={"If-None-Match": first.headers["etag"]})
    assert (first.headers["etag"], same.status_code) == ('W/"1.1.0"', 304)
    assert (later.status_code, later.headers["etag"], later.json()["current_slot"]) == (
        200,
        'W/"1.1.1"',
        "Mon-A2",
    )


def test_api_events_etag_changes_when_the_current_event_changes(
    client: TestClient, store: Store
) -> None:
    events = small_event()
    first = events[0]
    assert isinstance(first, EventCreated)
    info = replace(first.info, slug="other-ptg")
    store.create_event([EventCreated(info), *events[1:]], Actor("loader", operator=True), "t")
    before = client.get("/api/v1/events").headers["etag"]
    store.set_current("other-ptg")
    after = client.get("/api/v1/events", headers={"If-None-Match": before})
    assert (after.status_code, [e["current"] for e in after.json()["events"]]) == (
        200,
        [False, True],
    )


def test_api_event_of_the_demo_shows_links_socials_and_pages(demo_client: TestClient) -> None:
    event = demo_client.get("/api/v1/events/ptg-2022-04").json()
    assert (event["links"], event["socials"][0], sorted(event["pages"])) == (
        [
            {
                "title": "Etherpads of all teams",
                "url": "https://ptg.openinfra.dev/ptg-2022-04/etherpads",
            },
            {"title": "Live board", "url": "https://ptg.openinfra.dev/ptg-2022-04/"},
        ],
        {
            "title": "Happy hour",
            "starts": "2022-04-05T21:00:00+00:00",
            "ends": "2022-04-05T22:00:00+00:00",
            "starts_utc": "2022-04-05T21:00:00+00:00",
            "ends_utc": "2022-04-05T22:00:00+00:00",
            "url": "https://meet.jit.si/openinfra-ptg-2022-04-social",
            "description": "Bring a drink and meet the people behind the nicks. No agenda, "
            "no slides.",
        },
        [
            "about",
            "code_of_conduct",
            "faq",
            "ptg_vs_forum",
            "who_should_attend",
            "who_should_not_attend",
        ],
    )
    board = demo_client.get("/api/v1/events/ptg-2022-04/board")
    assert (board.status_code, board.json()["links"]) == (200, event["links"])
