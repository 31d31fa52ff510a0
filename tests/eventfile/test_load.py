"""Loading valid event files: the events emitted, their order and the slot codes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.errors import InvalidInput, PermissionDenied
from ptghub.core.events import (
    CellChanged,
    EventCreated,
    OpenToEveryoneChanged,
    RoleGranted,
    RoomAdded,
    SlotAdded,
    TeamAdded,
)
from ptghub.core.model import (
    Actor,
    Cell,
    CellStatus,
    EventFormat,
    EventInfo,
    EventState,
    Role,
    RoleKind,
    Room,
    Slot,
    Social,
    Team,
    TeamKind,
)
from ptghub.eventfile import EventFileError, Problem, load_event_file, load_event_text
from ptghub.store.store import Store

HEADER = """\
slug: ptg-2022-04
name: Project Teams Gathering
start: 2022-04-04
end: 2022-04-05
timezone: UTC
format: virtual
contact: ptg@openinfra.dev
"""

FULL = """\
slug: ptg-2022-04
name: Project Teams Gathering, April 2022
start: 2022-04-04
end: 2022-04-05
timezone: Europe/Paris
format: hybrid
contact: ptg@openinfra.dev
etherpad_template: https://pads.example.org/{event}/{team}
open_to_everyone: false
pages:
  faq: |
    Ask us.
  about: |
    # About

    A gathering.
links:
  venue map: https://example.org/map
  Board: https://example.org/board
slots:
  - {name: B, start: "14:00", end: "15:00"}
  - {name: A, start: "13:00", end: "14:00"}
days:
  - date: 2022-04-05
    slots: [{name: X, start: "09:00", end: "12:00"}]
rooms:
  - name: Coiste  Bainisti
    capacity: 40
    video_url: https://meet.example.org/cb
    description: First floor
    unavailable: [Mon-B]
  - {name: Austin, bookable: false}
teams:
  - slug: nova
    name: Nova/Placement
    chairs: [Nova-Chair, other]
    onboarding: true
    color: "#336699"
    etherpad: https://pads.example.org/nova
    video_url: https://meet.example.org/nova
    description: Compute.
  - {slug: edge, name: Edge WG, kind: working-group}
organizers: [organizer]
schedule:
  coiste bainisti: {Mon-A: nova, tue-x: edge}
  AUSTIN: {MonB: nova}
socials:
  - title: Happy hour
    start: 2022-04-04T20:00
    end: 2022-04-04T21:30
    url: https://example.org/social
    description: Drinks.
"""


def load(text: str) -> list[object]:
    return list(load_event_text(text, "ptg.yaml"))


def slot_codes(text: str) -> list[str]:
    return [event.slot.code for event in load(text) if isinstance(event, SlotAdded)]


def test_load_full_file_emits_every_event_in_order() -> None:
    paris = "Europe/Paris"
    info = EventInfo(
        slug="ptg-2022-04",
        name="Project Teams Gathering, April 2022",
        start=date(2022, 4, 4),
        end=date(2022, 4, 5),
        timezone=paris,
        format=EventFormat.HYBRID,
        contact="ptg@openinfra.dev",
        etherpad_template="https://pads.example.org/{event}/{team}",
        pages=(("about", "# About\n\nA gathering."), ("faq", "Ask us.")),
        links=(("venue map", "https://example.org/map"), ("Board", "https://example.org/board")),
        socials=(
            Social(
                title="Happy hour",
                starts=datetime(2022, 4, 4, 18, 0, tzinfo=UTC),
                ends=datetime(2022, 4, 4, 19, 30, tzinfo=UTC),
                url="https://example.org/social",
                description="Drinks.",
            ),
        ),
    )
    unavailable = Cell(CellStatus.UNAVAILABLE)
    assert load(FULL) == [
        EventCreated(info),
        OpenToEveryoneChanged(True, False),
        RoomAdded(Room("Coiste  Bainisti", 40, "https://meet.example.org/cb", "First floor")),
        RoomAdded(Room("Austin", bookable=False)),
        SlotAdded(Slot("Mon-A", date(2022, 4, 4), time(13), time(14))),
        SlotAdded(Slot("Mon-B", date(2022, 4, 4), time(14), time(15))),
        SlotAdded(Slot("Tue-X", date(2022, 4, 5), time(9), time(12))),
        TeamAdded(
            Team(
                slug="nova",
                name="Nova/Placement",
                kind=TeamKind.PROJECT_TEAM,
                onboarding=True,
                color="#336699",
                etherpad="https://pads.example.org/nova",
                video_url="https://meet.example.org/nova",
                description="Compute.",
            )
        ),
        TeamAdded(Team("edge", "Edge WG", TeamKind.WORKING_GROUP)),
        CellChanged("coiste bainisti", "mona", unavailable, Cell(CellStatus.PLANNED, "nova")),
        CellChanged("coiste bainisti", "tuex", unavailable, Cell(CellStatus.PLANNED, "edge")),
        CellChanged("austin", "mona", unavailable, Cell(CellStatus.FREE)),
        CellChanged("austin", "monb", unavailable, Cell(CellStatus.PLANNED, "nova")),
        CellChanged("austin", "tuex", unavailable, Cell(CellStatus.FREE)),
        RoleGranted(Role("organizer", RoleKind.ORGANIZER)),
        RoleGranted(Role("nova-chair", RoleKind.CHAIR, "nova")),
        RoleGranted(Role("other", RoleKind.CHAIR, "nova")),
    ]


def test_load_full_file_applies_cleanly() -> None:
    state = apply_all(EventState(), load_event_text(FULL, "ptg.yaml"))
    assert state.open_to_everyone is False
    assert list(state.slots) == ["mona", "monb", "tuex"]
    assert state.cell("coiste bainisti", "monb") == Cell(CellStatus.UNAVAILABLE)
    assert state.team_cells("nova") == [("coiste bainisti", "mona"), ("austin", "monb")]


def test_load_minimal_file_uses_defaults() -> None:
    text = HEADER + "slots: []\nrooms: []\nteams: []\n"
    assert load(text) == [
        EventCreated(
            EventInfo(
                slug="ptg-2022-04",
                name="Project Teams Gathering",
                start=date(2022, 4, 4),
                end=date(2022, 4, 5),
                timezone="UTC",
                format=EventFormat.VIRTUAL,
                contact="ptg@openinfra.dev",
            )
        ),
        OpenToEveryoneChanged(True, False),
    ]


def test_load_without_open_to_everyone_closes_teams_to_chairs_and_organizers() -> None:
    state = apply_all(EventState(), load(HEADER + "slots: []\nrooms: []\nteams: []\n"))
    assert state.open_to_everyone is False


def test_load_open_to_everyone_true_keeps_the_event_open() -> None:
    text = HEADER + "open_to_everyone: true\nslots: []\nrooms: []\nteams: []\n"
    assert [type(e) for e in load(text)] == [EventCreated]
    assert apply_all(EventState(), load(text)).open_to_everyone is True


def test_load_show_checkin_nicks_is_off_unless_the_file_says_true() -> None:
    empty = "slots: []\nrooms: []\nteams: []\n"
    shown = apply_all(EventState(), load(HEADER + "show_checkin_nicks: true\n" + empty)).info
    hidden = apply_all(EventState(), load(HEADER + empty)).info
    assert shown is not None and hidden is not None
    assert (shown.show_checkin_nicks, hidden.show_checkin_nicks) == (True, False)


def test_load_quoted_dates_and_timezone_aware_socials() -> None:
    text = (
        HEADER.replace("start: 2022-04-04", 'start: "2022-04-04"')
        + "slots: []\nrooms: []\nteams: []\n"
        + "socials:\n"
        + "  - {title: Early, start: 2022-04-04 10:00:00+02:00, end: '2022-04-04T11:00+02:00'}\n"
    )
    created, _closed = load(text)
    assert isinstance(created, EventCreated)
    assert created.info.start == date(2022, 4, 4)
    assert created.info.socials == (
        Social(
            "Early",
            datetime(2022, 4, 4, 8, tzinfo=UTC),
            datetime(2022, 4, 4, 9, tzinfo=UTC),
        ),
    )


def test_load_file_reads_path(tmp_path: Path) -> None:
    path = tmp_path / "ptg.yaml"
    path.write_text(FULL, encoding="utf-8")
    assert load_event_file(path) == load_event_text(FULL, "other.yaml")


def test_load_file_missing_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(EventFileError) as caught:
        load_event_file(path)
    assert caught.value.message == f"{path}: cannot read the file: No such file or directory"


def test_load_file_not_utf8_gives_line(tmp_path: Path) -> None:
    path = tmp_path / "ptg.yaml"
    path.write_bytes(b"slug: a\nname: \xff\n")
    with pytest.raises(EventFileError) as caught:
        load_event_file(path)
    assert caught.value.message == f"{path}:2: the file is not UTF-8 text"


def test_event_file_error_is_invalid_input_with_problems() -> None:
    with pytest.raises(InvalidInput) as caught:
        load_event_text(HEADER.replace("format: virtual", "format: online"), "ptg.yaml")
    error = caught.value
    assert isinstance(error, EventFileError)
    assert error.exit_code == 2
    assert error.problems == (
        Problem("ptg.yaml", 1, "slots", "required field is missing"),
        Problem("ptg.yaml", 1, "rooms", "required field is missing"),
        Problem("ptg.yaml", 1, "teams", "required field is missing"),
        Problem("ptg.yaml", 6, "format", "'online' is not one of virtual, in-person, hybrid"),
    )
    assert str(error.problems[0]) == "ptg.yaml:1: slots: required field is missing"


def test_docs_example_loads_and_applies() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "event-file.md"
    example = doc.read_text(encoding="utf-8").split("```yaml\n")[1].split("```")[0]
    state = apply_all(EventState(), load_event_text(example, "event-file.md"))
    assert list(state.slots) == ["monp1", "monp2", "monp3", "tuep1"]
    assert state.cell("austin", "monp3") == Cell(CellStatus.UNAVAILABLE)
    assert state.cell("coiste bainisti", "tuep1") == Cell(CellStatus.PLANNED, "first-contact")
    assert state.open_to_everyone is False


def test_loaded_event_without_open_to_everyone_refuses_a_stranger_changing_a_team(
    empty_store: Store,
) -> None:
    """The attack the default used to allow: any nick pointing a team's link elsewhere."""
    text = HEADER + "slots: []\nrooms: []\nteams:\n  - {slug: nova, name: Nova, chairs: [nc]}\n"
    events = list(load_event_text(text, "ptg.yaml"))
    empty_store.create_event(events, Actor("loader", operator=True), "load")
    with pytest.raises(PermissionDenied) as error:
        empty_store.run("#nova url https://phishing.example/nova", Actor("mallory", frontend="irc"))
    assert error.value.message == (
        "Only a chair of nova or an organizer can change it; mallory is neither."
    )
    result = empty_store.run("#nova url https://meet.example.org/nova", Actor("nc", frontend="irc"))
    assert result is not None and empty_store.state().teams["nova"].video_url == (
        "https://meet.example.org/nova"
    )


def test_load_room_capability_and_icon_are_room_fields() -> None:
    text = HEADER + (
        "slots:\n"
        '  - {name: A, start: "13:00", end: "14:00"}\n'
        "rooms:\n"
        "  - name: Aspen\n"
        "    description: Fits a team of 10\n"
        "    capability: Videoprojection available\n"
        "    capability_icon: facetime-video\n"
        "teams: []\n"
    )
    state = apply_all(EventState(), load_event_text(text, "ptg.yaml"))
    assert state.rooms["aspen"] == Room(
        "Aspen",
        description="Fits a team of 10",
        capability="Videoprojection available",
        capability_icon="facetime-video",
    )


def test_load_room_location_is_kept_and_empty_by_default() -> None:
    text = HEADER + (
        "slots: []\n"
        "rooms:\n"
        "  - {name: Aspen, location: 'Second floor, by the elevators'}\n"
        "  - {name: Birch}\n"
        "teams: []\n"
    )
    state = apply_all(EventState(), load_event_text(text, "ptg.yaml"))
    assert state.rooms["aspen"].location == "Second floor, by the elevators"
    assert state.rooms["birch"].location == ""


def test_load_team_onboarding_slot_takes_the_slot_code_and_implies_onboarding() -> None:
    text = HEADER + (
        "slots:\n"
        '  - {name: A, start: "13:00", end: "14:00"}\n'
        "rooms: []\n"
        "teams:\n"
        "  - {slug: nova, name: Nova, onboarding_slot: mona}\n"
        "  - {slug: cinder, name: Cinder}\n"
    )
    state = apply_all(EventState(), load_event_text(text, "ptg.yaml"))
    assert (state.teams["nova"].onboarding, state.teams["nova"].onboarding_slot) == (
        True,
        "Mon-A",
    )
    assert (state.teams["cinder"].onboarding, state.teams["cinder"].onboarding_slot) == (
        False,
        None,
    )


def test_load_team_recording_is_its_link_or_none() -> None:
    text = HEADER + (
        "slots:\n"
        '  - {name: A, start: "13:00", end: "14:00"}\n'
        "rooms: []\n"
        "teams:\n"
        "  - {slug: nova, name: Nova, recording: 'https://videos.example.org/nova'}\n"
        "  - {slug: cinder, name: Cinder}\n"
    )
    state = apply_all(EventState(), load_event_text(text, "ptg.yaml"))
    assert (state.teams["nova"].recording, state.teams["cinder"].recording) == (
        "https://videos.example.org/nova",
        None,
    )
