"""schedule.xml: valid against c3voc's XSD, exact for the small event, stable ids."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ptghub.core.apply import apply_all
from ptghub.core.events import CellChanged
from ptghub.core.model import Cell, CellStatus, EventState
from ptghub.exports.frab import schedule_xml, xml_text
from ptghub.exports.sessions import stable_id
from tests.exports.helpers import HOSTILE, hostile

NOVA_MONDAY = stable_id("session", "test-ptg", "austin", "nova", "mona1")


def schema(shared_data: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_data / "c3voc" / "xsd_schedule.xml.xsd")))


def assert_valid(body: bytes, shared_data: Path) -> None:
    xsd = schema(shared_data)
    valid = xsd.validate(etree.fromstring(body))
    assert (valid, [e.message for e in xsd.error_log]) == (True, [])


def events(body: bytes) -> list[etree._Element]:
    return list(etree.fromstring(body).iter("event"))


def test_schedule_xml_of_small_event_is_valid(small_state: EventState, shared_data: Path) -> None:
    assert_valid(
        schedule_xml(small_state, version="7", url="https://ptg.example/s.xml"), shared_data
    )


def test_schedule_xml_of_demo_event_is_valid(demo_state: EventState, shared_data: Path) -> None:
    assert_valid(schedule_xml(demo_state, version="1"), shared_data)


def test_schedule_xml_of_hostile_text_is_valid_and_parses_back(
    small_state: EventState, shared_data: Path
) -> None:
    body = schedule_xml(hostile(small_state), version="1")
    assert_valid(body, shared_data)
    root = etree.fromstring(body)
    (event,) = root.iter("event")
    found = (
        root.findtext("conference/title"),
        event.findtext("title"),
        event.findtext("abstract"),
        event.findtext("room"),
        root.find("day/room").get("name"),
        event.find("links/link[2]").get("href"),
    )
    assert found == (
        f"Event {HOSTILE}",
        HOSTILE,
        f"About {HOSTILE}",
        f"Austin {HOSTILE}",
        f"Austin {HOSTILE}",
        "https://meet.example.org/austin?a=1&b=2",
    )


def test_schedule_xml_small_event_structure(small_state: EventState) -> None:
    root = etree.fromstring(schedule_xml(small_state, version="7", url="http://h/s.xml"))
    days = [
        (d.get("index"), d.get("date"), d.get("start"), d.get("end"), [r.get("name") for r in d])
        for d in root.iter("day")
    ]
    rooms = ["Austin", "Bexar", "Coiste Bainisti"]
    assert (
        root.findtext("version"),
        root.findtext("url"),
        root.findtext("conference/acronym"),
    ) == (
        "7",
        "http://h/s.xml",
        "test_ptg",
    )
    assert days == [
        ("1", "2022-04-04", "2022-04-04T13:00:00+00:00", "2022-04-04T17:00:00+00:00", rooms),
        ("2", "2022-04-05", "2022-04-05T13:00:00+00:00", "2022-04-05T17:00:00+00:00", rooms),
    ]
    (event,) = events(etree.tostring(root))
    fields = {child.tag: child.text for child in event if child.tag not in ("persons", "links")}
    links = [(link.text, link.get("href")) for link in event.find("links")]
    number = NOVA_MONDAY.int % (2**31 - 1) + 1
    assert (event.get("guid"), event.get("id"), links) == (
        str(NOVA_MONDAY),
        str(number),
        [
            ("Etherpad", "https://etherpad.opendev.org/p/test-ptg-nova"),
            ("Video", "https://meet.example.org/austin"),
        ],
    )
    assert fields == {
        "date": "2022-04-04T13:00:00+00:00",
        "start": "13:00",
        "duration": "02:00",
        "room": "Austin",
        "slug": f"test_ptg-{number}-nova",
        "title": "Nova/Placement",
        "subtitle": None,
        "track": "Nova/Placement",
        "type": "meeting",
        "language": "en",
        "abstract": None,
        "description": "Etherpad: https://etherpad.opendev.org/p/test-ptg-nova\n"
        "Video: https://meet.example.org/austin",
        "url": "https://etherpad.opendev.org/p/test-ptg-nova",
    }


def test_schedule_xml_ids_stay_when_the_schedule_changes(small_state: EventState) -> None:
    before = {e.get("guid"): e.get("id") for e in events(schedule_xml(small_state, version="1"))}
    booked = Cell(CellStatus.BOOKED, "nova")
    changed = apply_all(
        small_state,
        [
            CellChanged("austin", "monp1", small_state.cell("austin", "monp1"), booked),
            CellChanged("austin", "tuea1", small_state.cell("austin", "tuea1"), booked),
        ],
    )
    after = {e.get("guid"): e.get("id") for e in events(schedule_xml(changed, version="2"))}
    tuesday = stable_id("session", "test-ptg", "austin", "nova", "tuea1")
    assert after == {**before, str(tuesday): str(tuesday.int % (2**31 - 1) + 1)}


def test_xml_text_replaces_characters_xml_cannot_hold() -> None:
    assert xml_text("a\x00b\x1bc\td\ne\rf\ufffeg") == "a\ufffdb\ufffdc\td\ne\rf\ufffdg"
