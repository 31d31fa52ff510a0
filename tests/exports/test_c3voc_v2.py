"""The c3voc JSON schedule, version 2: valid against its schema, one flat list of events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from ptghub.core.model import EventState
from ptghub.exports.c3voc_v2 import iso_duration, schedule_json_v2
from ptghub.exports.sessions import room_id, stable_id
from tests.exports.helpers import hostile

NOVA_MONDAY = stable_id("session", "test-ptg", "austin", "nova", "mona1")


def validate_v2(data: dict[str, Any], shared_data: Path) -> None:
    schema = json.loads((shared_data / "c3voc" / "json_schema2.json").read_text())
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())


def test_schedule_json_v2_of_small_and_demo_events_is_valid(
    small_state: EventState, demo_state: EventState, shared_data: Path
) -> None:
    validate_v2(schedule_json_v2(small_state, version="1", url="https://p.example/"), shared_data)
    validate_v2(schedule_json_v2(demo_state, version="1"), shared_data)
    validate_v2(schedule_json_v2(hostile(small_state), version="1"), shared_data)


def test_schedule_json_v2_small_event_events(small_state: EventState) -> None:
    data = schedule_json_v2(small_state, version="4")
    austin = str(room_id("test-ptg", small_state.rooms["austin"]))
    number = NOVA_MONDAY.int % (2**31 - 1) + 1
    assert data["schedule"]["events"] == [
        {
            "guid": str(NOVA_MONDAY),
            "start": "2022-04-04T13:00:00+00:00",
            "end": "2022-04-04T15:00:00+00:00",
            "room": {"name": "Austin", "guid": austin},
            "slug": f"test_ptg-{number}-nova",
            "url": "https://etherpad.opendev.org/p/test-ptg-nova",
            "title": "Nova/Placement",
            "subtitle": None,
            "track": {"slug": "nova"},
            "type": "MEETING",
            "language": "en",
            "abstract": None,
            "description": "Etherpad: https://etherpad.opendev.org/p/test-ptg-nova\n"
            "Video: https://meet.example.org/austin",
            "participants": [],
            "links": [
                {
                    "url": "https://etherpad.opendev.org/p/test-ptg-nova",
                    "title": "Etherpad",
                    "type": "WEB",
                },
                {"url": "https://meet.example.org/austin", "title": "Video", "type": "WEB"},
            ],
        }
    ]
    assert data["schedule"]["conference"]["days"] == [
        {
            "index": 1,
            "date": "2022-04-04",
            "start": "2022-04-04T13:00:00+00:00",
            "end": "2022-04-04T17:00:00+00:00",
        },
        {
            "index": 2,
            "date": "2022-04-05",
            "start": "2022-04-05T13:00:00+00:00",
            "end": "2022-04-05T17:00:00+00:00",
        },
    ]


def test_iso_duration_of_hours_and_minutes() -> None:
    assert [iso_duration(t) for t in ("01:00", "00:45", "02:30", "00:00")] == [
        "PT1H",
        "PT45M",
        "PT2H30M",
        "PT0M",
    ]
