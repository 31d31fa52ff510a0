"""ptg.json: exactly the old PTG bot's database format."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ptghub.core.model import Actor, EventState
from ptghub.exports.ptgjson import PALETTE, default_color, ptg_json
from tests.commands.helpers import Chat
from tests.support import ORGANIZER

UPDATED = datetime(2022, 4, 4, 13, 5, 9, tzinfo=UTC)
AT = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)  # in slot Mon-A1, nova's in Austin
EVENING = datetime(2022, 4, 4, 20, 0, tzinfo=UTC)  # no slot running


def monday(*codes: str) -> list[dict[str, Any]]:
    return [slot(day="Mon", date="2022-04-04", code=code) for code in codes]


def slot(*, day: str, date: str, code: str) -> dict[str, Any]:
    hour = {"A1": 13, "A2": 14, "P1": 15, "P2": 16}[code]
    return {
        "name": f"{day}-{code}",
        "desc": f"{hour}:00-{hour + 1}:00",
        "realtime": f"{date}T{hour}:00:00Z",
        "duration": 60,
    }


def test_ptg_json_of_small_event_equals_the_old_format(small_state: EventState) -> None:
    tuesday = [slot(day="Tue", date="2022-04-05", code=c) for c in ("A1", "A2", "P1", "P2")]
    assert ptg_json(small_state, updated=UPDATED, at=AT) == {
        "tracks": ["cinder", "first-contact", "nova", "relmgt"],
        "slots": {"Monday": monday("A1", "A2", "P1", "P2"), "Tuesday": tuesday},
        "now": {},
        "next": {},
        "etherpads": {
            "cinder": "https://etherpad.opendev.org/p/test-ptg-cinder",
            "first-contact": "https://etherpad.opendev.org/p/test-ptg-first-contact",
            "nova": "https://etherpad.opendev.org/p/test-ptg-nova",
            "relmgt": "https://etherpad.opendev.org/p/test-ptg-relmgt",
        },
        "urls": {},
        "colors": {
            "cinder": default_color("cinder"),
            "first-contact": default_color("first-contact"),
            "nova": default_color("nova"),
            "relmgt": default_color("relmgt"),
        },
        "location": {"nova": "Austin"},
        "schedule": {
            "Austin": {
                "url": "https://meet.example.org/austin",
                "desc": "Fits 50 people",
                "Mon-A1": "nova",
                "Mon-A2": "nova",
                "Mon-P1": "",
                "Mon-P2": "",
                "Tue-A1": "",
                "Tue-A2": "",
                "Tue-P1": "",
            },
            "Bexar": {"desc": "Organizers only"},
            "Coiste Bainisti": {
                "url": "https://meet.example.org/coiste",
                "desc": "Fits 10 people",
                "Mon-A1": "",
                "Mon-A2": "",
                "Mon-P1": "",
                "Mon-P2": "",
                "Tue-A1": "",
                "Tue-A2": "",
                "Tue-P1": "",
                "Tue-P2": "",
            },
        },
        "voice": 0,
        "eventid": "test-ptg",
        "motd": [],
        "links": {},
        "last_check_in": {},
        "subscriptions": {},
        "timestamp": "2022-04-04 13:05:09",
    }


def test_ptg_json_shows_topics_messages_and_team_settings() -> None:
    chat = Chat()
    chat.say("#nova now Unified limits")
    chat.say("#nova next Placement <script>")
    chat.say("#nova next Quotas")
    chat.say("#cinder location Bexar table 2")
    chat.say("#cinder url https://video.example.org/cinder")
    chat.say("#cinder color #ff0000")
    chat.say("#nova etherpad https://pad.example.org/nova")
    chat.say("#cinder book Coiste Bainisti-Tue-P2")
    chat.say("~motd add warning Lunch is late", ORGANIZER)
    chat.say("~requirevoice", ORGANIZER)
    assert chat.state.info is not None
    links = (("venue map", "https://example.org/map"),)
    state = replace(chat.state, info=replace(chat.state.info, links=links))
    data = ptg_json(state, updated=UPDATED, at=EVENING)
    found = {key: data[key] for key in ("now", "next", "location", "urls", "colors", "motd")}
    assert found == {
        "now": {"nova": "Unified limits"},
        "next": {"nova": ["Placement <script>", "Quotas"]},
        "location": {"cinder": "Bexar table 2"},
        "urls": {"cinder": "https://video.example.org/cinder"},
        "colors": {
            "cinder": "#ff0000",
            **{t: default_color(t) for t in ("first-contact", "nova", "relmgt")},
        },
        "motd": [{"level": "warning", "message": "Lunch is late"}],
    }
    assert (data["voice"], data["links"], data["etherpads"]["nova"]) == (
        1,
        {"venue map": "https://example.org/map"},
        "https://pad.example.org/nova",
    )
    assert data["schedule"]["Coiste Bainisti"]["Tue-P2"] == "cinder"


def test_ptg_json_has_the_keys_and_shapes_of_the_old_bot(
    small_state: EventState, shared_data: Path
) -> None:
    old = json.loads((shared_data / "ptgbot-denver-2018.json").read_text())
    new = ptg_json(small_state, updated=UPDATED, at=AT)

    def shape(value: Any) -> Any:
        if isinstance(value, dict):
            return "dict"
        return type(value).__name__

    old_slot = old["slots"]["Monday"][0]
    assert sorted(new) == sorted([*old, "timestamp"])
    assert {k: shape(v) for k, v in new.items() if k != "timestamp"} == {
        k: shape(v) for k, v in old.items()
    }
    assert sorted(new["slots"]["Monday"][0]) == sorted([*old_slot, "duration"])
    slot_names = {slot["name"] for day in old["slots"].values() for slot in day}
    old_headers = {key for room in old["schedule"].values() for key in room} - slot_names
    new_headers = {key for room in new["schedule"].values() for key in room} - {
        slot["name"] for day in new["slots"].values() for slot in day
    }
    assert (old_headers, new_headers) == ({"url", "desc", "cap_icon", "cap_desc"}, {"url", "desc"})


def test_ptg_json_location_is_the_scheduled_room_unless_the_team_set_one() -> None:
    chat = Chat()
    chat.say("#cinder book Coiste Bainisti-Mon-A1")
    chat.say("#cinder location Coiste Bainisti, table 2")
    at_a1 = ptg_json(chat.state, updated=UPDATED, at=AT)["location"]
    at_p1 = ptg_json(chat.state, updated=UPDATED, at=AT.replace(hour=15))["location"]
    # nova is in Austin during Mon-A1 only; cinder's own location holds all day.
    assert (at_a1, at_p1) == (
        {"nova": "Austin", "cinder": "Coiste Bainisti, table 2"},
        {"cinder": "Coiste Bainisti, table 2"},
    )


def test_ptg_json_check_ins_are_counts_without_nicks_by_default() -> None:
    chat = Chat()
    for nick in ("Zoe", "alice", "bob"):
        chat.say("+in #nova", Actor(nick, frontend="test"))
    chat.say("+in the hallway", Actor("carol", frontend="test"))
    chat.say("+out", Actor("bob", frontend="test"))
    check_ins = ptg_json(chat.state, updated=UPDATED, at=AT)["last_check_in"]
    assert check_ins == {
        "anonymous-1": _present("anonymous", "#nova"),
        "anonymous-2": _present("anonymous", "#nova"),
        "anonymous-3": _present("anonymous", "the hallway"),
    }


def test_ptg_json_check_ins_name_nicks_when_the_event_shows_them() -> None:
    chat = Chat()
    chat.say("+in #NOVA", Actor("Zoe", frontend="test"))
    chat.say("+in #nova", Actor("bob", frontend="test"))
    chat.say("+out", Actor("bob", frontend="test"))
    assert chat.state.info is not None
    info = replace(chat.state.info, show_checkin_nicks=True)
    check_ins = ptg_json(replace(chat.state, info=info), updated=UPDATED, at=AT)["last_check_in"]
    assert check_ins == {
        "bob": {**_present("bob", "#nova"), "out": "2022-04-04 13:30:00"},
        "zoe": _present("Zoe", "#nova"),
    }


def _present(nick: str, location: str) -> dict[str, str | None]:
    # tests.commands.helpers.Chat runs every command at 13:30 UTC on the Monday.
    return {"nick": nick, "location": location, "in": "2022-04-04 13:30:00", "out": None}


def test_default_colors_are_stable_readable_and_varied(small_state: EventState) -> None:
    def contrast_with_white(color: str) -> float:
        def linear(channel: int) -> float:
            c = channel / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
        return 1.05 / (0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b) + 0.05)

    slugs = [f"team-{n}" for n in range(200)]
    assert default_color("nova") == default_color("Nova") == "#4a5a1c"  # never changes
    assert {default_color(slug) for slug in slugs} == set(PALETTE)
    assert min(contrast_with_white(color) for color in PALETTE) >= 4.5
