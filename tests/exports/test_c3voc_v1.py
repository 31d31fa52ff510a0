"""The c3voc JSON schedule, version 1: valid against its schema, same ids as schedule.xml."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
from lxml import etree

from ptghub.core.model import EventState
from ptghub.exports.c3voc_v1 import schedule_json
from ptghub.exports.frab import schedule_xml
from ptghub.exports.sessions import room_id, stable_id
from tests.exports.helpers import HOSTILE, hostile

NOVA_MONDAY = stable_id("session", "test-ptg", "austin", "nova", "mona1")


def validate(data: dict[str, Any], shared_data: Path) -> None:
    schema = json.loads((shared_data / "c3voc" / "json_schema.json").read_text())
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())


def test_schedule_json_of_small_event_is_valid(small_state: EventState, shared_data: Path) -> None:
    validate(schedule_json(small_state, version="3", url="https://p.example/s.json"), shared_data)


def test_schedule_json_of_demo_event_is_valid(demo_state: EventState, shared_data: Path) -> None:
    validate(schedule_json(demo_state, version="3"), shared_data)


def test_schedule_json_of_hostile_text_is_valid_and_round_trips(
    small_state: EventState, shared_data: Path
) -> None:
    data = json.loads(json.dumps(schedule_json(hostile(small_state), version="1")))
    validate(data, shared_data)
    conference = data["schedule"]["conference"]
    (event,) = conference["days"][0]["rooms"][f"Austin {HOSTILE}"]
    assert (conference["title"], event["title"], event["abstract"], event["room"]) == (
        f"Event {HOSTILE}",
        HOSTILE,
        f"About {HOSTILE}",
        f"Austin {HOSTILE}",
    )


def test_schedule_json_small_event_conference(small_state: EventState) -> None:
    data = schedule_json(small_state, version="3", url="https://p.example/s.json")
    conference = data["schedule"]["conference"]
    number = NOVA_MONDAY.int % (2**31 - 1) + 1
    head = {k: v for k, v in conference.items() if k not in ("rooms", "days", "tracks")}
    assert (data["$schema"], data["generator"], data["schedule"]["version"]) == (
        "https://c3voc.de/schedule/schema.json",
        {"name": "ptghub", "version": "0.1.0"},
        "3",
    )
    assert head == {
        "acronym": "test_ptg",
        "title": "Test PTG",
        "start": "2022-04-04",
        "end": "2022-04-05",
        "daysCount": 2,
        "timeslot_duration": "01:00",
        "time_zone_name": "UTC",
        "url": "https://p.example/s.json",
    }
    assert conference["tracks"] == [
        {"name": "Cinder"},
        {"name": "First Contact SIG"},
        {"name": "Nova/Placement"},
        {"name": "Release Management"},
    ]
    assert conference["rooms"][:2] == [
        {
            "name": "Austin",
            "guid": str(room_id("test-ptg", small_state.rooms["austin"])),
            "capacity": 50,
            "description": None,
            "url": "https://meet.example.org/austin",
        },
        {
            "name": "Bexar",
            "guid": str(room_id("test-ptg", small_state.rooms["bexar"])),
            "capacity": 20,
            "description": "Organizers only",
        },
    ]
    monday = conference["days"][0]
    assert {k: v for k, v in monday.items() if k != "rooms"} == {
        "index": 1,
        "date": "2022-04-04",
        "day_start": "2022-04-04T13:00:00+00:00",
        "day_end": "2022-04-04T17:00:00+00:00",
    }
    assert monday["rooms"] == {
        "Austin": [
            {
                "guid": str(NOVA_MONDAY),
                "id": number,
                "date": "2022-04-04T13:00:00+00:00",
                "start": "13:00",
                "end": "2022-04-04T15:00:00+00:00",
                "duration": "02:00",
                "room": "Austin",
                "slug": f"test_ptg-{number}-nova",
                "url": "https://etherpad.opendev.org/p/test-ptg-nova",
                "title": "Nova/Placement",
                "subtitle": "",
                "track": "Nova/Placement",
                "type": "meeting",
                "language": "en",
                "abstract": "",
                "description": "Etherpad: https://etherpad.opendev.org/p/test-ptg-nova\n"
                "Video: https://meet.example.org/austin",
                "persons": [],
                "links": [
                    {"url": "https://etherpad.opendev.org/p/test-ptg-nova", "title": "Etherpad"},
                    {"url": "https://meet.example.org/austin", "title": "Video"},
                ],
            }
        ],
        "Bexar": [],
        "Coiste Bainisti": [],
    }


def test_schedule_json_and_xml_give_the_same_ids(demo_state: EventState) -> None:
    data = schedule_json(demo_state, version="1")
    from_json = sorted(
        (event["guid"], event["id"])
        for day in data["schedule"]["conference"]["days"]
        for talks in day["rooms"].values()
        for event in talks
    )
    root = etree.fromstring(schedule_xml(demo_state, version="1"))
    from_xml = sorted((e.get("guid"), int(e.get("id"))) for e in root.iter("event"))
    assert (from_json, len(from_json)) == (from_xml, len(set(from_xml)))


def test_schedule_json_leaves_out_zone_names_the_schema_refuses(small_state: EventState) -> None:
    assert small_state.info is not None
    names = {}
    for zone in ("Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "EST5EDT"):
        state = replace(small_state, info=replace(small_state.info, timezone=zone))
        names[zone] = schedule_json(state, version="1")["schedule"]["conference"].get(
            "time_zone_name"
        )
    assert names == {
        "Europe/Berlin": "Europe/Berlin",
        "America/Argentina/Buenos_Aires": "America/Argentina/Buenos_Aires",
        "Etc/GMT+5": None,
        "EST5EDT": None,
    }
