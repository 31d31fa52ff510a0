"""Export routes: content types, ETag/304, 404s, old addresses and live SEQUENCE numbers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from ptghub import __version__, demo
from ptghub.core.model import Actor
from ptghub.exports.sessions import stable_id
from ptghub.store.store import Store
from tests.exports.helpers import vevents
from tests.support import ALICE, Clock

NOVA_MONDAY = str(stable_id("session", "test-ptg", "austin", "nova", "mona1"))
ICS = "text/calendar; charset=utf-8"
XML = "application/xml; charset=utf-8"
JSON = "application/json"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/events/test-ptg/calendar.ics", ICS),
        ("/events/test-ptg/teams/nova.ics", ICS),
        ("/events/test-ptg/rooms/Coiste%20Bainisti.ics", ICS),
        ("/events/test-ptg/schedule.xml", XML),
        ("/events/test-ptg/schedule.json", JSON),
        ("/events/test-ptg/schedule-v2.json", JSON),
        ("/events/test-ptg/ptg.json", JSON),
        ("/ptg.json", JSON),
        ("/ptg.ics", ICS),
        ("/nova.ics", ICS),
    ],
)
def test_exports_answer_with_their_content_type(
    client: TestClient, path: str, content_type: str
) -> None:
    response = client.get(path)
    assert (response.status_code, response.headers["content-type"]) == (200, content_type)


# The plain representation: a gzip-encoded one has the weak form of the same ETag
# (tests/web/test_compression.py).
PLAIN = {"Accept-Encoding": "identity"}


def test_exports_etag_gives_304_until_the_event_changes(client: TestClient, store: Store) -> None:
    first = client.get("/events/test-ptg/calendar.ics", headers=PLAIN)
    etag = first.headers["etag"]
    again = client.get("/events/test-ptg/calendar.ics", headers={"If-None-Match": etag})
    weak = client.get("/events/test-ptg/calendar.ics", headers={"If-None-Match": f"W/{etag}"})
    store.run("#nova now Placement", ALICE)
    changed = client.get("/events/test-ptg/calendar.ics", headers={"If-None-Match": etag, **PLAIN})
    assert (again.status_code, again.content, weak.status_code) == (304, b"", 304)
    assert (changed.status_code, changed.headers["etag"] != etag) == (200, True)
    assert first.headers["cache-control"] == "no-cache"


def test_exports_etag_names_the_event_its_version_and_the_release(
    client: TestClient, store: Store
) -> None:
    response = client.get("/events/test-ptg/schedule.xml", headers=PLAIN)
    version = store.version("test-ptg")
    assert response.headers["etag"] == f'"test-ptg-{version}-{__version__}"'


@pytest.mark.parametrize(
    ("path", "error"),
    [
        (
            "/events/test-ptg/teams/glance.ics",
            "Unknown team 'glance' in event 'test-ptg'; "
            "/events/test-ptg/ptg.json lists the teams under 'tracks'.",
        ),
        (
            "/glance.ics",
            "Unknown team 'glance' in event 'test-ptg'; "
            "/events/test-ptg/ptg.json lists the teams under 'tracks'.",
        ),
        (
            "/events/test-ptg/rooms/Cactus%2F1.ics",
            "Unknown room 'Cactus/1' in event 'test-ptg'; "
            "/events/test-ptg/schedule.json lists the rooms.",
        ),
        (
            "/events/nope/ptg.json",
            "Unknown event 'nope'; 'ptghub event list' shows the events.",
        ),
        (
            "/events/nope/calendar.ics",
            "Unknown event 'nope'; 'ptghub event list' shows the events.",
        ),
    ],
)
def test_exports_unknown_names_are_404_json(client: TestClient, path: str, error: str) -> None:
    response = client.get(path)
    assert (response.status_code, response.json()) == (404, {"error": error})


def test_exports_unknown_team_is_404_even_with_a_matching_etag(client: TestClient) -> None:
    etag = client.get("/nova.ics").headers["etag"]
    response = client.get("/glance.ics", headers={"If-None-Match": etag})
    assert response.status_code == 404


def test_exports_old_addresses_serve_the_current_event(client: TestClient) -> None:
    pairs = [
        ("/ptg.json", "/events/test-ptg/ptg.json"),
        ("/ptg.ics", "/events/test-ptg/calendar.ics"),
        ("/NOVA.ics", "/events/test-ptg/teams/nova.ics"),
    ]
    assert [client.get(old).content == client.get(new).content for old, new in pairs] == [
        True,
        True,
        True,
    ]


def test_exports_room_feed_finds_the_room_in_any_case(client: TestClient) -> None:
    response = client.get("/events/test-ptg/rooms/AUSTIN.ics")
    assert [event["uid"] for event in vevents(response.content)] == [NOVA_MONDAY]


def test_exports_sequence_grows_only_for_the_changed_session(
    client: TestClient, store: Store
) -> None:
    before = vevents(client.get("/events/test-ptg/calendar.ics").content)
    store.run("#cinder book Austin-Tue-A1", ALICE)
    unrelated = vevents(client.get("/events/test-ptg/teams/nova.ics").content)
    store.run("#nova book Austin-Mon-P1", ALICE)
    related = vevents(client.get("/events/test-ptg/teams/nova.ics").content)
    assert (before, unrelated) == (before, before)
    assert [(e["uid"], e["sequence"]) for e in related] == [(NOVA_MONDAY, 1)]


def test_exports_ptg_json_timestamp_is_the_last_change(client: TestClient, store: Store) -> None:
    store.run("#nova now Placement", ALICE)  # at the clock's 2022-04-04 13:30 UTC
    data = client.get("/ptg.json").json()
    assert (data["timestamp"], data["now"]) == ("2022-04-04 13:30:00", {"nova": "Placement"})


def test_exports_demo_schedules_are_valid_against_the_schemas(
    demo_client: TestClient, shared_data: Path
) -> None:
    xml = demo_client.get("/events/ptg-2022-04/schedule.xml")
    xsd = etree.XMLSchema(etree.parse(str(shared_data / "c3voc" / "xsd_schedule.xml.xsd")))
    schema = json.loads((shared_data / "c3voc" / "json_schema.json").read_text())
    data = demo_client.get("/events/ptg-2022-04/schedule.json").json()
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert (xsd.validate(etree.fromstring(xml.content)), data["schedule"]["version"]) == (
        True,
        str(demo_client.app.state.store.version("ptg-2022-04")),
    )
    schema2 = json.loads((shared_data / "c3voc" / "json_schema2.json").read_text())
    data2 = demo_client.get("/events/ptg-2022-04/schedule-v2.json").json()
    jsonschema.validate(data2, schema2, format_checker=jsonschema.FormatChecker())
    # No public URL configured: no address (never one made from the request's Host).
    assert (
        etree.fromstring(xml.content).findtext("url"),
        "url" in data["schedule"]["conference"],
    ) == (
        None,
        False,
    )


# What the old bot's own page reads of ptg.json, and the shape its JavaScript expects of
# each value. From openstack/ptgbot, ptgbot/html/: ptg.js (the check-in loop and the
# trackbadge, roomcode, roomactive, displaytime and activetime helpers), the Handlebars
# template in ptg.html, motd.js, etherpads.html and index.html. A type stands for any
# value of it; {str: shape} for any keys; {"key": shape} for those keys (others allowed);
# [shape] for a list of them; a tuple for one of several.
OLD_PAGE_CONTRACT: dict[str, Any] = {
    "tracks": [str],
    "now": {str: str},  # split on spaces: '#word' becomes a label, 'http…' a link
    "next": {str: [str]},
    "urls": {str: str},  # a team's own meeting link
    "location": {str: str},  # a room: schedule[location].url is the "join the meeting" link
    "colors": {str: str},  # the background of the team's .TRACK badges
    "schedule": {str: {str: str}},  # room -> url, desc, cap_icon, cap_desc, SLOT -> track|""
    "slots": {str: [{"name": str, "desc": str, "realtime": str}]},  # day -> its slots
    "last_check_in": {
        str: {"nick": str, "location": str, "in": (str, type(None)), "out": (str, type(None))}
    },
    "motd": [{"level": str, "message": str}],
    "etherpads": {str: str},
    "eventid": str,
    "links": {str: str},
    "timestamp": str,
}
TUESDAY_15_10 = datetime(2022, 4, 5, 15, 10, tzinfo=UTC)  # the demo's slot Tue-15h


def shape_problems(value: Any, shape: Any, where: str = "ptg.json") -> list[str]:
    """How ``value`` differs from ``shape`` (see OLD_PAGE_CONTRACT), one line each."""
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{where}: a list expected, got {value!r:.60}"]
        return [
            p
            for i, item in enumerate(value)
            for p in shape_problems(item, shape[0], f"{where}[{i}]")
        ]
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return [f"{where}: an object expected, got {value!r:.60}"]
        if list(shape) == [str]:
            return [
                p for k, v in value.items() for p in shape_problems(v, shape[str], f"{where}.{k}")
            ]
        return [
            p
            for key, inner in shape.items()
            for p in (
                shape_problems(value[key], inner, f"{where}.{key}")
                if key in value
                else [f"{where}.{key}: missing"]
            )
        ]
    if not isinstance(value, shape):
        return [f"{where}: {shape} expected, got {value!r:.60}"]
    return []


def test_exports_ptg_json_keeps_the_old_page_contract_on_the_running_demo(
    demo_client: TestClient, demo_store: Store, clock: Clock
) -> None:
    for nick, text in demo.SAMPLE_COMMANDS:  # as `ptghub demo` runs them after loading
        demo_store.run(text, Actor(nick, frontend="demo"))
    clock.now = TUESDAY_15_10
    data = demo_client.get("/ptg.json").json()
    assert shape_problems(data, OLD_PAGE_CONTRACT) == []
    tracks, schedule = set(data["tracks"]), data["schedule"]
    slot_names = {slot["name"] for day in data["slots"].values() for slot in day}
    # Every team is a track with a colour; every cell names a slot, and a track or "".
    assert set(data["colors"]) == tracks
    assert {k for v in schedule.values() for k in v} - {
        "url",
        "desc",
        "cap_icon",
        "cap_desc",
    } <= slot_names
    assert {
        track for v in schedule.values() for k, track in v.items() if k in slot_names
    } <= tracks | {""}
    # The page makes a "join the meeting" link of schedule[location[track]].url: every team
    # the schedule has in a room during Tue-15h is located there, and the room has a link.
    meeting_now = {
        track: room
        for room, row in schedule.items()
        for k, track in row.items()
        if k == "Tue-15h" and track
    }
    assert len(meeting_now) > 10
    assert {track: data["location"][track] for track in meeting_now} == meeting_now
    assert all(schedule[room]["url"].startswith("https://") for room in meeting_now.values())
    # It counts, per track, check-ins at '#track' with 'in' and no 'out'; nicks are hidden.
    present = [c for c in data["last_check_in"].values() if c["in"] and not c["out"]]
    assert [(c["location"], c["nick"]) for c in present] == [("#nova", "anonymous")]
    # And it reads the slots' start times with new Date(realtime).
    assert all(
        datetime.fromisoformat(slot["realtime"].replace("Z", "+00:00")).tzinfo is not None
        for day in data["slots"].values()
        for slot in day
    )


def test_exports_ptg_json_etag_changes_with_the_running_slot(
    client: TestClient, clock: Clock
) -> None:
    first = client.get("/ptg.json")  # 13:30 on Monday: nova is in Austin
    clock.advance(hours=2)
    later = client.get("/ptg.json", headers={"If-None-Match": first.headers["etag"]})
    assert (first.json()["location"], later.status_code, later.json()["location"]) == (
        {"nova": "Austin"},
        200,
        {},
    )
