"""The HTML pages: what they show, for the small test event and the demo event."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import lxml.html
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from ptghub.core.model import Actor, Slot
from ptghub.store.store import Store
from ptghub.web.templating import format_time, slot_bounds
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, Clock

EVENT = "/events/test-ptg"
DEMO = "/events/ptg-2022-04"


def page(response: Response) -> lxml.html.HtmlElement:
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return lxml.html.fromstring(response.text)


def texts(doc: lxml.html.HtmlElement, xpath: str) -> list[str]:
    """The whitespace-normalised text of each element matched."""
    return [" ".join(el.text_content().split()) for el in doc.xpath(xpath)]


def region(doc: lxml.html.HtmlElement, key: str) -> lxml.html.HtmlElement:
    (found,) = doc.xpath(f'//div[@data-live="{key}"]')
    return found


SMALL_PAGES = [
    (f"{EVENT}/", "Test PTG"),
    (f"{EVENT}/board", "Live board"),
    (f"{EVENT}/teams/nova", "Nova/Placement"),
    (f"{EVENT}/teams/NOVA", "Nova/Placement"),
    (f"{EVENT}/etherpads", "Etherpads"),
    (f"{EVENT}/signage", "Now and next in every room"),
    (f"{EVENT}/signage?room=coiste%20bainisti", "Now and next in Coiste Bainisti"),
    (f"{EVENT}/rooms", "Rooms"),
    (f"{EVENT}/rooms/coiste%20bainisti", "Coiste Bainisti"),
    (f"{EVENT}/calendars", "Calendar feeds"),
    (f"{EVENT}/socials", "Socials"),
    ("/events/", "Events"),
]


@pytest.mark.parametrize(("path", "heading"), SMALL_PAGES)
def test_page_small_event_is_ok_with_its_heading(
    client: TestClient, path: str, heading: str
) -> None:
    response = client.get(path)
    doc = page(response)
    assert response.status_code == 200
    assert doc.get("lang") == "en"
    assert texts(doc, "//h1") == [heading]
    assert len(doc.xpath("//main")) == 1


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        (f"{DEMO}/", "Project Teams Gathering, April 2022"),
        (f"{DEMO}/board", "Live board"),
        (f"{DEMO}/teams/cinder", "Cinder"),
        (f"{DEMO}/etherpads", "Etherpads"),
        (f"{DEMO}/signage", "Now and next in every room"),
        (f"{DEMO}/signage?room=Icehouse", "Now and next in Icehouse"),
        (f"{DEMO}/about", "About"),
        (f"{DEMO}/who-should-attend", "Who should attend"),
        (f"{DEMO}/faq", "Frequently asked questions"),
        (f"{DEMO}/code-of-conduct", "Code of conduct"),
        (f"{DEMO}/socials", "Socials"),
        (f"{DEMO}/rooms", "Rooms"),
        (f"{DEMO}/rooms/Essex", "Essex"),
        (f"{DEMO}/calendars", "Calendar feeds"),
    ],
)
def test_page_demo_event_is_ok_with_its_heading(
    demo_client: TestClient, path: str, heading: str
) -> None:
    response = demo_client.get(path)
    assert response.status_code == 200
    assert texts(page(response), "//h1") == [heading]


def test_root_redirects_to_current_event_home(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (302, f"{EVENT}/")


def test_old_etherpads_address_redirects_to_current_event(client: TestClient) -> None:
    response = client.get("/etherpads.html", follow_redirects=False)
    assert response.headers["location"] == f"{EVENT}/etherpads"


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/events/nope/", 404, "There is no event 'nope'."),
        ("/events/nope/board", 404, "There is no event 'nope'."),
        (f"{EVENT}/teams/glance", 404, "There is no team 'glance' at test-ptg."),
        (f"{EVENT}/nothing/here", 404, "There is no page 'nothing/here' at test-ptg."),
        (
            f"{EVENT}/faq",
            404,
            "Test PTG has no page 'Frequently asked questions'; it has no information pages.",
        ),
        (
            f"{EVENT}/rooms/Mars",
            404,
            "There is no room 'Mars' at test-ptg; rooms: Austin, Bexar, Coiste Bainisti.",
        ),
        (
            f"{EVENT}/rooms/Austin?day=2022-04-09",
            404,
            "The schedule has no slot on 2022-04-09; it has 2022-04-04, 2022-04-05.",
        ),
        ("/no/such/page", 404, "There is no page at /no/such/page."),
        (
            f"{EVENT}/signage?room=Mars",
            404,
            "There is no room 'Mars' at test-ptg; rooms: Austin, Bexar, Coiste Bainisti.",
        ),
        (
            f"{EVENT}/board?tz=Mars/Olympus",
            400,
            "Unknown time zone 'Mars/Olympus'; use an IANA name such as UTC, Europe/Paris "
            "or America/Los_Angeles.",
        ),
        (
            f"{EVENT}/board?day=monday",
            400,
            "The day must be a date such as 2022-04-04; this event has 2022-04-04, 2022-04-05.",
        ),
        (
            f"{EVENT}/board?day=2022-04-09",
            404,
            "The schedule has no slot on 2022-04-09; it has 2022-04-04, 2022-04-05.",
        ),
    ],
)
def test_page_bad_address_is_html_error_saying_what(
    client: TestClient, path: str, status: int, message: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert texts(page(response), '//p[@class="error-message"]') == [message]


def test_board_shows_topic_set_via_store_run(client: TestClient, store: Store) -> None:
    store.run("#nova now Placement API", NOVA_CHAIR)
    store.run("#nova next Unified limits", NOVA_CHAIR)
    doc = page(client.get(f"{EVENT}/board"))
    (row,) = region(doc, "now-next").xpath('.//tr[th/a[@href="/events/test-ptg/teams/nova"]]')
    assert texts(row, "./*") == [
        "Nova/Placement Onboarding",
        "Placement API",
        "Unified limits",
        "Austin",
        "Join the video call",
        "Etherpad",
    ]
    assert row.xpath(".//a/@href") == [
        "/events/test-ptg/teams/nova",
        "https://meet.example.org/austin",
        "https://etherpad.opendev.org/p/test-ptg-nova",
    ]


def test_board_grid_marks_current_slot_for_clock_time(client: TestClient, clock: Clock) -> None:
    doc = page(client.get(f"{EVENT}/board"))
    assert texts(doc, '//th[@aria-current="time"]') == ["13:00 (now) slot code Mon-A1"]
    assert texts(doc, '//p[@class="as-of"]') == [
        "As of Mon 4 Apr 13:30, during the slot 13:00–14:00 (slot code Mon-A1)."
    ]
    clock.now = datetime(2022, 4, 5, 15, 59, tzinfo=UTC)
    doc = page(client.get(f"{EVENT}/board"))
    assert texts(doc, '//th[@aria-current="time"]') == ["15:00 (now) slot code Tue-P1"]
    grid = region(doc, "grid-2022-04-05")
    assert texts(grid, './/td[contains(@class, " now")]') == [
        "free Austin-Tue-P1",
        "free, not bookable",
        "free Coiste Bainisti-Tue-P1",
    ]


def test_board_grid_marks_no_slot_between_slots(client: TestClient, clock: Clock) -> None:
    clock.now = datetime(2022, 4, 4, 12, 59, tzinfo=UTC)
    doc = page(client.get(f"{EVENT}/board"))
    assert texts(doc, '//th[@aria-current="time"]') == []
    assert texts(doc, '//p[@class="as-of"]') == ["As of Mon 4 Apr 12:59, no slot running."]


def test_board_grid_shows_planned_booked_free_and_unavailable(
    client: TestClient, store: Store
) -> None:
    store.run("#nova book Austin-Mon-P1", NOVA_CHAIR)
    doc = page(client.get(f"{EVENT}/board"))
    monday = region(doc, "grid-2022-04-04")
    assert texts(monday, ".//thead/tr/th") == [
        "Room",
        "13:00 (now) slot code Mon-A1",
        "14:00 slot code Mon-A2",
        "15:00 slot code Mon-P1",
        "16:00 slot code Mon-P2",
    ]
    assert [texts(row, "./*") for row in monday.xpath(".//tbody/tr")] == [
        ["Austin", "nova planned", "nova planned", "nova booked", "free Austin-Mon-P2"],
        ["Bexar", *["free, not bookable"] * 4],
        ["Coiste Bainisti", *(f"free Coiste Bainisti-Mon-{s}" for s in ("A1", "A2", "P1", "P2"))],
    ]
    tuesday = region(doc, "grid-2022-04-05")
    assert texts(tuesday, ".//tbody/tr[1]/td[4]") == ["unavailable"]
    assert monday.xpath(".//th[@scope]/@scope") == ["col"] * 5 + ["row"] * 3


def test_board_day_tabs_open_on_today_and_follow_day_parameter(
    client: TestClient, clock: Clock
) -> None:
    clock.now = datetime(2022, 4, 5, 9, 0, tzinfo=UTC)
    doc = page(client.get(f"{EVENT}/board"))
    assert doc.xpath('//section[contains(@class, "selected")]/@id') == ["grid-2022-04-05"]
    assert texts(doc, '//nav[@aria-label="Days"]//a[@aria-current="true"]') == [
        "Tuesday 5 April 2022"
    ]
    assert doc.xpath('//nav[@aria-label="Days"]//a/@href') == [
        "?day=2022-04-04#grid-2022-04-04",
        "?day=2022-04-05#grid-2022-04-05",
    ]
    doc = page(client.get(f"{EVENT}/board?day=2022-04-04&tz=Europe/Paris"))
    assert doc.xpath('//section[contains(@class, "selected")]/@id') == ["grid-2022-04-04"]
    assert doc.xpath('//nav[@aria-label="Days"]//a/@href')[1] == (
        "?day=2022-04-05&tz=Europe%2FParis#grid-2022-04-05"
    )


def test_board_without_javascript_holds_every_piece_of_information(
    client: TestClient, store: Store
) -> None:
    store.run("~motd add warning Lunch is late", ORGANIZER)
    store.run("#nova now Placement API", NOVA_CHAIR)
    store.run("in #nova", ALICE)
    store.run("in Lobby", Actor("bob", frontend="test"))
    doc = page(client.get(f"{EVENT}/board"))
    assert texts(region(doc, "motd"), "./p") == ["warning: Lunch is late"]
    assert region(doc, "motd").xpath("./p/@class") == ["motd motd-warning"]
    assert texts(region(doc, "checkins"), ".//li") == ["#nova: 1 person", "Lobby: 1 person"]
    assert texts(region(doc, "now-next"), './/td[@class="topic-now"]') == ["Placement API"]
    # Every day's grid is in the page, not only the selected one.
    assert doc.xpath("//div[@data-live]/@data-live") == [
        "motd",
        "now-next",
        "checkins",
        "grid-2022-04-04",
        "grid-2022-04-05",
    ]
    assert texts(doc, '//p[@class="how-to-book"]') == [
        "A free cell shows its code. A team books it from the chat with #TEAM book CODE, "
        "for example #nova book Austin-Mon-P1."
    ]


@pytest.mark.parametrize("path", ["/board", "/teams/nova", "/signage"])
def test_live_page_loads_scripts_and_names_its_stream(client: TestClient, path: str) -> None:
    doc = page(client.get(EVENT + path))
    # The board's search box, and its grid opening on the running slot.
    board = ["/static/filter.js", "/static/grid.js"] if path == "/board" else []
    assert doc.xpath("//script/@src") == ["/static/time.js", "/static/live.js", *board]
    (body,) = doc.xpath("//body")
    assert (body.get("data-stream"), body.get("data-event-tz")) == (f"{EVENT}/stream", "UTC")


def test_time_zone_parameter_renders_times_in_that_zone(client: TestClient) -> None:
    doc = page(client.get(f"{EVENT}/board?tz=Pacific/Auckland"))
    # 13:00 UTC on Monday is 01:00 on Tuesday in Auckland (NZST, +12 after 3 April): the
    # event's Monday is Auckland's Tuesday, a day of its own, not the event's Tuesday.
    monday = region(doc, "grid@Pacific/Auckland@2022-04-05")
    assert texts(monday, ".//thead/tr/th[position() > 1]") == [
        "01:00 (now) slot code Mon-A1",
        "02:00 slot code Mon-A2",
        "03:00 slot code Mon-P1",
        "04:00 slot code Mon-P2",
    ]
    assert doc.xpath('//select[@name="tz"]/option[@selected]/@value') == ["Pacific/Auckland"]
    doc = page(client.get(f"{EVENT}/board?tz=America/Los_Angeles"))
    assert texts(doc, '//p[@class="as-of"]') == [
        "As of Mon 4 Apr 06:30, during the slot 06:00–07:00 (slot code Mon-A1)."
    ]
    assert doc.xpath('//div[@data-live="grid-2022-04-04"]//thead//time/@datetime')[0] == (
        "2022-04-04T13:00:00+00:00"
    )


@pytest.mark.parametrize(
    ("at", "zone", "shown"),
    [
        # Auckland leaves daylight time (+13) for standard time (+12) on 3 April 2022.
        (datetime(2022, 4, 2, 13, 0, tzinfo=UTC), "Pacific/Auckland", "Sun 3 Apr 02:00"),
        (datetime(2022, 4, 3, 13, 0, tzinfo=UTC), "Pacific/Auckland", "Mon 4 Apr 01:00"),
        # Los Angeles enters daylight time (-8 to -7) on 13 March 2022.
        (datetime(2022, 3, 13, 9, 0, tzinfo=UTC), "America/Los_Angeles", "Sun 13 Mar 01:00"),
        (datetime(2022, 3, 13, 11, 0, tzinfo=UTC), "America/Los_Angeles", "Sun 13 Mar 04:00"),
        (datetime(2022, 4, 4, 3, 0, tzinfo=UTC), "America/Los_Angeles", "Sun 3 Apr 20:00"),
    ],
)
def test_format_time_converts_across_dst_and_day_changes(
    at: datetime, zone: str, shown: str
) -> None:
    assert format_time(at, zone, "datetime") == shown


def test_format_time_slot_names_the_day_only_when_it_differs() -> None:
    at = datetime(2022, 4, 4, 13, 0, tzinfo=UTC)
    assert [format_time(at, z, "slot", date(2022, 4, 4)) for z in ("UTC", "Pacific/Auckland")] == [
        "13:00",
        "Tue 01:00",
    ]


def test_slot_bounds_use_the_offset_of_their_own_day() -> None:
    before = Slot("Sat-9", date(2022, 3, 26), time(9), time(10))
    after = Slot("Mon-9", date(2022, 3, 28), time(9), time(10))
    assert [slot_bounds(s, "Europe/Paris")[0] for s in (before, after)] == [
        datetime(2022, 3, 26, 8, 0, tzinfo=UTC),
        datetime(2022, 3, 28, 7, 0, tzinfo=UTC),
    ]


def test_home_page_shows_event_facts_and_teams_by_kind(client: TestClient) -> None:
    doc = page(client.get(f"{EVENT}/"))
    assert texts(doc, '//dd[@class="dates"]') == [
        "Monday 4 April 2022 to Tuesday 5 April 2022 (UTC) First session Mon 4 Apr 13:00, "
        "last one ends Tue 5 Apr 17:00 (UTC)"
    ]
    assert texts(doc, '//dd[@class="format"]') == ["Virtual: every room is a video call"]
    assert doc.xpath('//dd[@class="contact"]/a/@href') == ["mailto:ptg@example.org"]
    assert texts(doc, '//section[@id="teams"]//h3') == ["Project teams", "Special interest groups"]
    assert texts(doc, '//section[@id="teams"]//ul/li') == [
        "Cinder",
        "Nova/Placement Onboarding",
        "Release Management",
        "First Contact SIG",
    ]
    assert texts(doc, "//h2") == [
        "About this event",
        "Calendars",
        "How to ask for a track",
        "Teams",
    ]


def test_home_page_of_demo_has_a_table_of_contents_not_every_page(
    demo_client: TestClient,
) -> None:
    doc = page(demo_client.get(f"{DEMO}/"))
    assert texts(doc, "//h2") == [
        "About this event",
        "Calendars",
        "Where the chat is",
        "How to ask for a track",
        "Teams",
        "Links",
    ]
    contents = doc.xpath('//nav[@aria-label="Event information"]//a')
    assert [(a.get("href"), a.text_content()) for a in contents] == [
        (f"{DEMO}/about", "About"),
        (f"{DEMO}/who-should-attend", "Who should attend"),
        (f"{DEMO}/who-should-not-attend", "Who should not attend"),
        (f"{DEMO}/faq", "Frequently asked questions"),
        (f"{DEMO}/code-of-conduct", "Code of conduct"),
        (f"{DEMO}/ptg-vs-forum", "The PTG and the Forum"),
        (f"{DEMO}/socials", "Socials"),
        (f"{DEMO}/rooms", "Rooms"),
        (f"{DEMO}/calendars", "Calendar feeds"),
    ]
    assert "What is the PTG?" not in texts(doc, "//h3")


def test_etherpads_page_links_every_team(client: TestClient) -> None:
    doc = page(client.get(f"{EVENT}/etherpads"))
    assert doc.xpath("//table//td/a/@href") == [
        f"https://etherpad.opendev.org/p/test-ptg-{slug}"
        for slug in ("cinder", "first-contact", "nova", "relmgt")
    ]


def test_signage_for_one_room_shows_now_and_next(client: TestClient, store: Store) -> None:
    store.run("#nova now Placement API", NOVA_CHAIR)
    store.run("#nova book Austin-Mon-P2", NOVA_CHAIR)
    doc = page(client.get(f"{EVENT}/signage?room=austin"))
    assert texts(doc, '//section[@class="sign"]') == [
        "Austin Now Nova/Placement 13:00–15:00 Placement API Next Nova/Placement from 16:00"
    ]
    assert doc.xpath("//body/@data-reload-at") == ["2022-04-04T14:00:00+00:00"]
