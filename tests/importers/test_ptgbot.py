"""Import of an old PTG bot database: the real Denver 2018 file and small fixtures."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.errors import InvalidInput
from ptghub.core.model import (
    Actor,
    Cell,
    CellStatus,
    EventState,
    Motd,
    MotdLevel,
    Presence,
    Room,
    Slot,
    Subscription,
    Team,
    Topics,
)
from ptghub.exports.ptgjson import default_color, ptg_json
from ptghub.importers.ptgbot import event_slug, import_ptgbot
from ptghub.store.store import Store
from tests.importers.ptgbot_databases import DENVER_START, denver, small_db

UPDATED = datetime(2018, 9, 14, 17, 0, tzinfo=UTC)
LOADER = Actor("loader", operator=True)


def test_import_ptgbot_of_denver_2018_reports_everything_imported(shared_data: Path) -> None:
    result = import_ptgbot(denver(shared_data), DENVER_START)
    assert (result.imported, result.skipped) == (
        [
            "20 slots on 5 days",
            "44 tracks as teams",
            "room Aspen: capability and its icon",
            "23 rooms",
            "446 schedule cells (356 planned)",
            "3 links",
            "event den-ptg (hybrid), 2018-09-10 to 2018-09-14, UTC",
        ],
        [
            "slots: MonA1 realtime 2020-06-01T09:00:00Z is 09:00 on Monday 2020-06-01 in UTC, "
            "not 09:00 on Monday 2018-09-10 as its desc 09:00-10:45 says; desc used"
        ],
    )


def test_import_ptgbot_of_denver_2018_takes_no_room_field_for_a_track(
    shared_data: Path,
) -> None:
    data = denver(shared_data)
    state = apply_all(EventState(), import_ptgbot(data, DENVER_START).events)
    assert [team.slug for team in state.teams.values()] == data["tracks"]
    assert [room.name for room in state.rooms.values()] == list(data["schedule"])
    assert state.rooms["aspen"] == Room(
        "Aspen",
        description="Fits a team of 10",
        capability="Videoprojection available",
        capability_icon="facetime-video",
    )
    assert [(s.code, s.day, s.start, s.end) for s in state.slots.values()][:5] == [
        ("MonA1", date(2018, 9, 10), time(9, 0), time(10, 45)),
        ("MonA2", date(2018, 9, 10), time(10, 45), time(12, 30)),
        ("MonP1", date(2018, 9, 10), time(13, 30), time(15, 15)),
        ("MonP2", date(2018, 9, 10), time(15, 15), time(17, 0)),
        ("TueA1", date(2018, 9, 11), time(9, 0), time(10, 45)),
    ]


def test_import_then_ptg_json_export_gives_back_the_denver_data(
    shared_data: Path, empty_store: Store
) -> None:
    data = denver(shared_data)
    empty_store.create_event(import_ptgbot(data, DENVER_START).events, LOADER, "import")
    exported = ptg_json(empty_store.state("den-ptg"), updated=UPDATED, at=UPDATED)
    # What ptg.json writes differently by design: every slot has a date and a length,
    # every team its etherpad and a colour, the slug is lower case.
    expected = copy.deepcopy(data)
    for offset, slots in enumerate(expected["slots"].values()):
        for slot in slots:
            start, end = slot["desc"].split("-")
            minutes = (int(end[:2]) - int(start[:2])) * 60 + int(end[3:]) - int(start[3:])
            slot.update(realtime=f"2018-09-{10 + offset}T{start}:00Z", duration=minutes)
    expected["etherpads"] = {
        t: f"https://etherpad.opendev.org/p/DEN-ptg-{t}" for t in data["tracks"]
    }
    expected["colors"] = {t: default_color(t) for t in data["tracks"]}
    expected["eventid"] = "den-ptg"
    expected["timestamp"] = "2018-09-14 17:00:00"
    assert exported == expected


def test_import_ptgbot_of_small_database_imports_live_and_private_state() -> None:
    result = import_ptgbot(small_db(), date(2018, 9, 12), timezone="Europe/Paris")
    state = apply_all(EventState(), result.events)
    assert state.info is not None
    assert (state.info.slug, state.info.start, state.info.end, state.info.links) == (
        "vancouver-ptg",
        date(2018, 9, 12),
        date(2018, 9, 18),
        (("venue map", "https://example.org/map"),),
    )
    assert list(state.slots.values()) == [
        Slot("MonA1", date(2018, 9, 17), time(9, 0), time(10, 30)),
        Slot("MonA2", date(2018, 9, 17), time(11, 0), time(12, 0)),
        Slot("TueA1", date(2018, 9, 18), time(9, 0), time(10, 0)),
    ]
    assert list(state.teams.values()) == [
        Team("cinder", "cinder", video_url="https://video.example.org/cinder"),
        Team("nova", "nova", color="#ff0000", etherpad="https://pad.example.org/nova"),
        Team("swift", "swift"),
    ]
    assert state.cells == {
        ("room 1", "mona1"): Cell(CellStatus.PLANNED, "nova"),
        ("room 1", "mona2"): Cell(CellStatus.FREE),
        ("room 1", "tuea1"): Cell(CellStatus.PLANNED, "swift"),
        ("room 2", "mona1"): Cell(CellStatus.PLANNED, "cinder"),
    }
    assert state.topics == {
        "cinder": Topics(location="Room 2"),
        "nova": Topics("Placement", ("Quotas", "Cells")),
    }
    assert (state.open_to_everyone, state.motd) == (
        False,
        (Motd(MotdLevel.WARNING, "Lunch is late"),),
    )
    assert state.presence == {
        "alice": Presence("Alice", "nova", datetime(2018, 9, 10, 9, 5, tzinfo=UTC))
    }
    assert state.subscriptions == {"carol": Subscription("Carol", "nova|cinder")}
    assert result.skipped == [
        "slots: MonA1 realtime 2020-06-01T07:00:00Z is 09:00 on Monday 2020-06-01 in "
        "Europe/Paris, not on Monday 2018-09-17; only its time is used"
    ]
    assert result.imported == [
        "3 slots on 2 days",
        "2 tracks as teams",
        "room Room 2: capability and its icon",
        "tracks added from the schedule: swift",
        "2 rooms",
        "4 schedule cells (3 planned)",
        "1 links",
        "event vancouver-ptg (hybrid), 2018-09-12 to 2018-09-18, Europe/Paris",
        "1 colors",
        "1 urls",
        "1 etherpads",
        "voice: only chairs and organizers may change teams",
        "now, next and location of 2 teams",
        "1 messages of the day",
        "1 check-ins (their times taken as UTC)",
        "1 subscriptions",
    ]


def test_import_ptgbot_skips_and_reports_entries_it_cannot_use() -> None:
    data = small_db()
    data["slots"]["Funday"] = [{"name": "FunA1", "desc": "09:00-10:00"}]
    data["slots"]["Tuesday"] += [{"name": "TueA2", "desc": "soon"}, {"name": "Tue A3"}]
    data["tracks"].append("in")
    data["schedule"]["Room 2"]["TueA1"] = "swift"
    data["schedule"]["Room 2"]["TueB9"] = "nova"
    data["now"]["glance"] = "Images"
    data["colors"]["cinder"] = "not a colour"
    data["motd"].append({"level": "shout", "message": "Hi"})
    data["subscriptions"]["dave"] = "(a"
    data["voice"] = 3
    data["extra"] = True
    result = import_ptgbot(data, date(2018, 9, 10))
    assert result.skipped == [
        "slots: TueA2 skipped: no time in desc, realtime or duration",
        "slots: an entry of Tuesday has the name 'Tue A3'; expected e.g. MonA1",
        "slots: MonA1 realtime 2020-06-01T07:00:00Z is 07:00 on Monday 2020-06-01 in UTC, "
        "not on Monday 2018-09-10; only its time is used",
        "slots: day 'Funday' is not an English weekday name",
        "tracks: track 'in' skipped: '#in' is a user command, no team's name",
        "schedule: Room 2 TueA1 skipped: swift is already in Room 1 then",
        "schedule: Room 2 TueB9 skipped: no such slot",
        "extra: not a field of the old bot's database, ignored",
        "colors: 'cinder' skipped: 'not a colour' is not a CSS colour; use a name (red), #rgb, "
        "#rrggbb or rgb(r, g, b).",
        "voice: 3 is neither 0 nor 1; everyone may change teams",
        "now: 'glance' skipped: no such track",
        "motd: message 2 skipped: level 'shout' is not one of info, success, warning, danger",
        "subscriptions: 'dave' skipped: Invalid regex: missing ): (a "
        "(backreferences and lookaround are not supported).",
    ]


def test_import_ptgbot_without_slots_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        import_ptgbot({"eventid": "x", "slots": {}}, date(2018, 9, 10))
    assert error.value.message == "The database has no usable slot; an event needs at least one."


def test_import_ptgbot_without_eventid_or_slug_is_refused() -> None:
    data = small_db()
    del data["eventid"]
    with pytest.raises(InvalidInput) as error:
        import_ptgbot(data, date(2018, 9, 10))
    assert error.value.message == "The database has no eventid; give the event's slug."


def test_import_ptgbot_with_unknown_timezone_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        import_ptgbot(small_db(), date(2018, 9, 10), timezone="Mars/Olympus")
    assert error.value.message == (
        "Unknown time zone 'Mars/Olympus'; use an IANA name such as UTC or Europe/Paris."
    )


def test_import_ptgbot_with_slug_and_config_uses_them() -> None:
    result = import_ptgbot(
        small_db(), date(2018, 9, 10), slug="yvr", config={"irc_channel": "#openstack-ptg"}
    )
    state = apply_all(EventState(), result.events)
    assert state.info is not None
    assert (state.info.slug, state.info.contact, state.info.name) == (
        "yvr",
        "#openstack-ptg",
        "Vancouver PTG!",
    )


def test_event_slug_of_eventid_is_a_valid_slug() -> None:
    assert [event_slug(e) for e in ("DEN-ptg", "  PTG 2018/09 ", "x" * 50)] == [
        "den-ptg",
        "ptg-2018-09",
        "x" * 40,
    ]


def test_import_ptgbot_of_oldest_motd_format_and_a_check_out_keeps_both() -> None:
    data = small_db()
    data["motd"] = {"level": "info", "message": "Welcome"}
    data["last_check_in"]["alice"]["out"] = "2018-09-10 12:00:00"
    state = apply_all(EventState(), import_ptgbot(data, date(2018, 9, 10)).events)
    assert (state.motd, state.presence["alice"]) == (
        (Motd(MotdLevel.INFO, "Welcome"),),
        Presence(
            "Alice",
            "nova",
            datetime(2018, 9, 10, 9, 5, tzinfo=UTC),
            datetime(2018, 9, 10, 12, 0, tzinfo=UTC),
        ),
    )


@pytest.mark.parametrize(("voice", "open_to_everyone"), [(0, True), (1, False)])
def test_import_ptgbot_keeps_who_may_change_teams_as_the_old_database_said(
    empty_store: Store, voice: int, open_to_everyone: bool
) -> None:
    """New events are closed by default; an imported one keeps the old bot's ``voice``."""
    data = small_db()
    data["voice"] = voice
    empty_store.create_event(import_ptgbot(data, DENVER_START).events, LOADER, "import")
    assert empty_store.state("vancouver-ptg").open_to_everyone is open_to_everyone


def test_import_ptgbot_of_room_capability_too_long_skips_only_it() -> None:
    data = small_db()
    data["schedule"]["Room 2"]["cap_desc"] = "x" * 501
    result = import_ptgbot(data, date(2018, 9, 10))
    state = apply_all(EventState(), result.events)
    assert state.rooms["room 2"] == Room("Room 2", description="Fits 8", capability_icon="star")
    assert result.skipped[-1] == (
        "schedule: Room 2 cap_desc skipped: The room capability is 501 characters long; "
        "at most 500 are allowed."
    )


def test_import_ptgbot_room_capability_is_stored_and_read_back(
    shared_data: Path, database_url: str
) -> None:
    store = Store.open(database_url)
    try:
        store.create_event(import_ptgbot(denver(shared_data), DENVER_START).events, LOADER, "x")
    finally:
        store.close()
    store = Store.open(database_url)  # a new store reads the tables, not its cache
    try:
        aspen = store.state("den-ptg").rooms["aspen"]
    finally:
        store.close()
    assert (aspen.capability, aspen.capability_icon) == (
        "Videoprojection available",
        "facetime-video",
    )
