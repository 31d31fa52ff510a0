"""The old PTG bot databases the importer tests read: the real Denver 2018 file and a small
one with everything Denver 2018 lacks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

DENVER_START = date(2018, 9, 10)  # a Monday


def denver(shared_data: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((shared_data / "ptgbot-denver-2018.json").read_text())
    return data


def small_db() -> dict[str, Any]:
    """A two-day database with everything Denver 2018 lacks: live state and private data."""
    return {
        "eventid": "Vancouver PTG!",
        "tracks": ["nova", "cinder"],
        "slots": {
            "Tuesday": [{"name": "TueA1", "desc": "09:00-10:00"}],
            "Monday": [
                {
                    "name": "MonA1",
                    "desc": "ignored",
                    "realtime": "2020-06-01T07:00:00Z",
                    "duration": 90,
                },
                {"name": "MonA2", "desc": "11:00-12:00"},
            ],
        },
        "schedule": {
            "Room 1": {
                "url": "https://meet.example.org/r1",
                "MonA1": "nova",
                "MonA2": "",
                "TueA1": "swift",
            },
            "Room 2": {"desc": "Fits 8", "cap_icon": "star", "MonA1": "cinder"},
        },
        "now": {"nova": "Placement"},
        "next": {"nova": ["Quotas", "Cells"]},
        "location": {"cinder": "Room 2"},
        "etherpads": {"nova": "https://pad.example.org/nova"},
        "urls": {"cinder": "https://video.example.org/cinder"},
        "colors": {"nova": "#ff0000"},
        "motd": [{"level": "warning", "message": "Lunch is late"}],
        "links": {"venue map": "https://example.org/map"},
        "voice": 1,
        "last_check_in": {
            "alice": {
                "nick": "Alice",
                "location": "nova",
                "in": "2018-09-10 09:05:00",
                "out": None,
            },
            "bob": {"nick": "bob", "location": None, "in": None, "out": None},
        },
        "subscriptions": {"Carol": "nova|cinder"},
        "timestamp": "2018-09-10 10:00:00",
    }
