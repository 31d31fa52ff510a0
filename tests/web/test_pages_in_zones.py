"""The pages in a zone far from the event's, and across a daylight-saving change: times
read as times, slot codes only as marked codes, days split at the viewer's midnight,
and the zone chosen once is kept from page to page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from fastapi.testclient import TestClient

from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    EventCreated,
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
    Room,
    Slot,
    Team,
)
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.fragments import render_fragments
from tests.support import Clock
from tests.web.test_pages import DEMO, page, texts

# A weekday code of the command language, e.g. Tue-15h, Essex-Mon-17h or Sun-A.
CODE = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)-(?:\d\dh|[A-Z]\d?)\b")
DST = "/events/fall-back"
TOKYO = ZoneInfo("Asia/Tokyo")


def _text_outside_code(doc: lxml.html.HtmlElement) -> str:
    """The page's visible text, without what is inside <code> (and scripts, styles)."""
    parts = []
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        inside_code = el.tag == "code" or any(a.tag == "code" for a in el.iterancestors())
        if el.text and not inside_code:
            parts.append(el.text)
        # The tail follows the element: it is outside it, though maybe inside a <code>.
        tail_in_code = any(a.tag == "code" for a in el.iterancestors())
        if el.tail and not tail_in_code:
            parts.append(el.tail)
    return " ".join(" ".join(parts).split())


def _days(doc: lxml.html.HtmlElement) -> dict[str, list[tuple[str, str, str]]]:
    """Per day section of the board: (instant, time shown, slot code) of each column."""
    out = {}
    for section in doc.xpath('//section[contains(concat(" ", @class, " "), " day ")]'):
        heading = texts(section, "./h3")[0]
        out[heading] = [
            (
                th.xpath(".//time/@datetime")[0],
                th.xpath(".//time")[0].text_content(),
                th.xpath(".//code")[0].text_content(),
            )
            for th in section.xpath('.//th[contains(@class, "slot")]')
        ]
    return out


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_demo_board_shows_no_slot_code_as_a_time(
    demo_client: TestClient, clock: Clock, zone: str
) -> None:
    clock.now = datetime(2022, 4, 5, 15, 10, tzinfo=UTC)  # Tue-15h is running
    doc = page(demo_client.get(f"{DEMO}/board?tz={zone}"))
    assert CODE.findall(_text_outside_code(doc)) == []
    # Where a slot code is shown on its own, it says what it is.
    for marked in doc.xpath('//span[@class="slot-code"]'):
        assert texts(marked, './span[@class="code-label"]') == ["slot code"]


def test_demo_board_says_the_running_slot_by_its_times(
    demo_client: TestClient, clock: Clock
) -> None:
    clock.now = datetime(2022, 4, 5, 15, 10, tzinfo=UTC)
    doc = page(demo_client.get(f"{DEMO}/board?tz=America/Los_Angeles"))
    assert texts(doc, '//p[@class="as-of"]') == [
        "As of Tue 5 Apr 08:10, during the slot 08:00–09:00 (slot code Tue-15h)."
    ]
    # Tuesday 00:00 UTC is Monday 17:00 in Los Angeles: a column of Monday's grid there.
    monday = _days(doc)["Monday 4 April 2022"]
    assert ("2022-04-05T00:00:00+00:00", "17:00", "Tue-00h") in monday


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles", "UTC"])
def test_demo_board_days_split_at_the_viewers_midnight(demo_client: TestClient, zone: str) -> None:
    doc = page(demo_client.get(f"{DEMO}/board?tz={zone}"))
    days = _days(doc)
    columns = [column for day in days.values() for column in day]
    # Every slot of the event is shown once, on the day it starts in the viewer's zone.
    assert len(columns) == len({instant for instant, _, _ in columns}) == 12 * 5
    for heading, day in days.items():
        local = {_long(datetime.fromisoformat(i).astimezone(ZoneInfo(zone))) for i, _, _ in day}
        assert local == {heading}
    tabs = texts(doc, '//nav[@aria-label="Days"]//a')
    assert tabs == list(days) == sorted(days, key=lambda d: datetime.strptime(d, "%A %d %B %Y"))


def _long(at: datetime) -> str:
    return f"{at:%A} {at.day} {at:%B %Y}"


def test_team_page_names_the_booking_code_as_such(demo_client: TestClient) -> None:
    doc = page(demo_client.get(f"{DEMO}/teams/nova?tz=Asia/Tokyo"))
    assert texts(doc, '//table[@class="team-slots"]//thead//th') == [
        "When",
        "Room",
        "Booking codes",
        "Status",
    ]


# -- an event in New York whose week crosses the end of daylight-saving time -----------


def _fall_back_event() -> list[DomainEvent]:
    """Friday 4 to Monday 7 November 2022 in New York (EDT -4 until Sunday 02:00, then
    EST -5); two slots a day, A 10:00-11:00 and E 20:00-21:00; nova in Essex on Saturday
    evening and Sunday morning."""
    info = EventInfo(
        slug="fall-back",
        name="Fall back PTG",
        start=date(2022, 11, 4),
        end=date(2022, 11, 7),
        timezone="America/New_York",
        format=EventFormat.VIRTUAL,
        contact="ptg@example.org",
    )
    room = Room("Essex", 20, "https://meet.example.org/essex")
    slots = [
        Slot(f"{day:%a}-{name}", day, time(start), time(start + 1))
        for day in (date(2022, 11, d) for d in range(4, 8))
        for name, start in (("A", 10), ("E", 20))
    ]
    planned = {"sate", "suna"}
    return [
        EventCreated(info),
        RoomAdded(room),
        *(SlotAdded(s) for s in slots),
        TeamAdded(Team("nova", "Nova")),
        *(
            CellChanged(
                room.key,
                s.key,
                Cell(CellStatus.UNAVAILABLE),
                Cell(CellStatus.PLANNED, "nova") if s.key in planned else Cell(CellStatus.FREE),
            )
            for s in slots
        ),
    ]


@pytest.fixture
def dst_client(empty_store: Store, clock: Clock) -> TestClient:
    empty_store.create_event(_fall_back_event(), Actor("loader", operator=True), "test")
    # Sunday 10:30 in New York (EST by then), Monday 00:30 in Tokyo: slot Sun-A runs.
    clock.now = datetime(2022, 11, 6, 15, 30, tzinfo=UTC)
    return TestClient(create_app(empty_store))


def test_dst_event_in_a_far_zone_splits_days_at_its_midnight(dst_client: TestClient) -> None:
    doc = page(dst_client.get(f"{DST}/board?tz=Asia/Tokyo"))
    shown = {day: [(t, c) for _, t, c in cols] for day, cols in _days(doc).items()}
    # Tokyo keeps +9; New York's 10:00 is 23:00 there before the change, 00:00 after.
    assert shown == {
        "Friday 4 November 2022": [("23:00", "Fri-A")],
        "Saturday 5 November 2022": [("09:00", "Fri-E"), ("23:00", "Sat-A")],
        "Sunday 6 November 2022": [("09:00", "Sat-E")],
        "Monday 7 November 2022": [("00:00", "Sun-A"), ("10:00", "Sun-E")],
        "Tuesday 8 November 2022": [("00:00", "Mon-A"), ("10:00", "Mon-E")],
    }
    assert texts(doc, '//th[@aria-current="time"]') == ["00:00 (now) slot code Sun-A"]
    assert texts(doc, '//nav[@aria-label="Days"]//a[@aria-current="true"]') == [
        "Monday 7 November 2022"  # today in Tokyo, though Sunday in New York
    ]
    assert texts(doc, '//p[@class="as-of"]') == [
        "As of Mon 7 Nov 00:30, during the slot 00:00–01:00 (slot code Sun-A)."
    ]
    assert CODE.findall(_text_outside_code(doc)) == []


def test_dst_event_in_its_own_zone_keeps_its_days_and_local_times(
    dst_client: TestClient,
) -> None:
    doc = page(dst_client.get(f"{DST}/board"))
    days = _days(doc)
    assert list(days) == [
        "Friday 4 November 2022",
        "Saturday 5 November 2022",
        "Sunday 6 November 2022",
        "Monday 7 November 2022",
    ]
    # The same 10:00 is 14:00 UTC on Saturday (EDT) and 15:00 UTC on Sunday (EST).
    assert days["Saturday 5 November 2022"][0] == ("2022-11-05T14:00:00+00:00", "10:00", "Sat-A")
    assert days["Sunday 6 November 2022"][0] == (
        "2022-11-06T15:00:00+00:00",
        "10:00",
        "Sun-A",
    )
    assert doc.xpath("//div[@data-live]/@data-live")[3:] == [
        f"grid-2022-11-0{d}" for d in range(4, 8)
    ]


def test_dst_team_rows_read_as_times_in_the_viewers_zone(dst_client: TestClient) -> None:
    doc = page(dst_client.get(f"{DST}/teams/nova?tz=Asia/Tokyo"))
    rows = doc.xpath('//table[@class="team-slots"]/tbody/tr')
    assert [texts(row, "./*") for row in rows] == [
        ["Sun 6 Nov 09:00–10:00", "Essex", "Essex-Sat-E", "planned (past)"],
        ["Mon 7 Nov 00:00–01:00", "Essex", "Essex-Sun-A", "planned (now)"],
    ]
    assert [row.xpath("./td[2]/code/text()") for row in rows] == [["Essex-Sat-E"], ["Essex-Sun-A"]]


def test_dst_room_page_lists_the_slots_of_the_viewers_day(dst_client: TestClient) -> None:
    doc = page(dst_client.get(f"{DST}/rooms/Essex?tz=Asia/Tokyo&day=2022-11-07"))
    rows = doc.xpath('//table[@class="room-day"]/tbody/tr')
    # Monday 7 November in Tokyo: New York's Sunday 10:00 (EST) and 20:00.
    assert [texts(row, "./*")[:2] for row in rows] == [
        ["00:00–01:00", "Sun-A"],
        ["10:00–11:00", "Sun-E"],
    ]
    assert texts(doc, '//nav//a[@aria-current="true"]')[-1:] == ["Monday 7 November 2022"]


def test_the_zone_chosen_is_kept_from_page_to_page(dst_client: TestClient) -> None:
    def footer_zone(path: str) -> list[str]:
        return texts(page(dst_client.get(path)), "//footer//*[@data-tz-label]")

    assert footer_zone(f"{DST}/board") == ["America/New_York"]
    assert footer_zone(f"{DST}/board?tz=Asia/Tokyo") == ["Asia/Tokyo"]
    assert footer_zone(f"{DST}/teams/nova") == ["Asia/Tokyo"]  # no ?tz=: remembered
    assert footer_zone(f"{DST}/?tz=event") == ["America/New_York"]
    assert footer_zone(f"{DST}/etherpads") == ["America/New_York"]
    # A remembered zone that is not one any more is ignored, not an error.
    dst_client.cookies.set("ptghub_tz", "Mars/Olympus")
    response = dst_client.get(f"{DST}/board")
    assert (response.status_code, texts(page(response), "//footer//*[@data-tz-label]")) == (
        200,
        ["America/New_York"],
    )


def test_live_fragments_carry_the_grids_of_the_zones_viewed(
    dst_client: TestClient, empty_store: Store
) -> None:
    at = datetime(2022, 11, 6, 15, 30, tzinfo=UTC)
    fragments = render_fragments(empty_store.state("fall-back"), at, zones={"Asia/Tokyo"})
    grids = sorted(key for key in fragments if key.startswith("grid"))
    assert grids == [
        *(f"grid-2022-11-0{d}" for d in range(4, 8)),
        *(f"grid@Asia/Tokyo@2022-11-0{d}" for d in range(4, 9)),
    ]
    # The board shown in Tokyo has the regions the stream fills.
    doc = page(dst_client.get(f"{DST}/board?tz=Asia/Tokyo"))
    keys = doc.xpath('//div[starts-with(@data-live, "grid")]/@data-live')
    assert keys == grids[4:]
    tuesday = lxml.html.fromstring(fragments["grid@Asia/Tokyo@2022-11-08"])
    assert [(t.get("datetime"), t.text_content()) for t in tuesday.xpath("//thead//time")] == [
        ("2022-11-07T15:00:00+00:00", "00:00"),
        ("2022-11-08T01:00:00+00:00", "10:00"),
    ]
