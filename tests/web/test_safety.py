"""Hostile data through every page: nothing a user typed may become markup or a script.

The event below bypasses the input checks (it is written as domain events, as a
compromised or careless event file could be), so the pages' own escaping is what is
tested: text shown literally, links only for http(s)/mailto, colours normalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from urllib.parse import quote, urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient

from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    EventCreated,
    MotdChanged,
    PresenceChanged,
    RoomAdded,
    SlotAdded,
    TeamAdded,
    TopicsChanged,
)
from ptghub.core.model import (
    Actor,
    Cell,
    CellStatus,
    EventFormat,
    EventInfo,
    Motd,
    MotdLevel,
    Presence,
    Room,
    Slot,
    Social,
    Team,
    TeamKind,
    Topics,
    room_key,
    slot_key,
    team_key,
)
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.templating import badge_colors, http_url, markdown

SCRIPT = "<script>alert(1)</script>"
ATTR = '"><img src=x onerror=alert(1)>'
SINGLE = "'><svg onload=alert(1)>"
JS = "javascript:alert(1)"
HOSTILE_MARKDOWN = (
    f'# Hi {SCRIPT}\n\n[click]({JS}) [ok](https://ok.example/"onmouseover=alert(1)) '
    "[Js](JaVaScRiPt:x)\n\n"
    f'<img src=x onerror=alert(1)>\n\n<a href="{JS}">raw</a>\n\n![pic]({JS})\n'
)
HOSTILE_SLUG = 'x"><b>y'
AT = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)


def hostile_event() -> list[DomainEvent]:
    info = EventInfo(
        slug="evil",
        name=f"Evil {SCRIPT}",
        start=date(2022, 4, 4),
        end=date(2022, 4, 4),
        timezone="UTC",
        format=EventFormat.HYBRID,
        contact=JS,
        etherpad_template="javascript:alert('{team}')",
        pages=tuple((name, HOSTILE_MARKDOWN) for name in ("about", "faq", "code_of_conduct")),
        links=((SCRIPT, JS), (ATTR, "https://ok.example/")),
        socials=(Social(SCRIPT, AT, AT.replace(hour=15), JS, ATTR),),
    )
    rooms = [
        Room(ATTR, 10, JS, SCRIPT),
        Room(SCRIPT, 10, 'https://meet.example.org/x"onmouseover=alert(1)'),
    ]
    slots = [
        Slot("Mon-A1", date(2022, 4, 4), time(13), time(14)),
        Slot(f"Mon-{SINGLE}"[:40], date(2022, 4, 4), time(14), time(15)),
    ]
    teams = [
        Team("evil-team", ATTR, color=f"red;background:url({JS})", etherpad=JS, video_url=JS),
        Team("t2", SCRIPT, TeamKind.SIG, onboarding=True, color='"><script>', description=ATTR),
        Team(HOSTILE_SLUG, SINGLE, TeamKind.OTHER, color="expression(alert(1))"),
    ]
    unavailable = Cell(CellStatus.UNAVAILABLE)
    cells: list[DomainEvent] = [
        CellChanged(room_key(r.name), slot_key(s.code), unavailable, Cell(CellStatus.FREE))
        for r in rooms
        for s in slots
    ]
    cells[0] = CellChanged(
        room_key(ATTR), "mona1", unavailable, Cell(CellStatus.PLANNED, "evil-team")
    )
    cells[1] = CellChanged(
        room_key(ATTR), slot_key(slots[1].code), unavailable, Cell(CellStatus.BOOKED, "t2")
    )
    cells[2] = CellChanged(
        room_key(SCRIPT), "mona1", unavailable, Cell(CellStatus.BOOKED, team_key(HOSTILE_SLUG))
    )
    return [
        EventCreated(info),
        *(RoomAdded(r) for r in rooms),
        *(SlotAdded(s) for s in slots),
        *(TeamAdded(t) for t in teams),
        *cells,
        TopicsChanged("evil-team", Topics(), Topics(SCRIPT, (ATTR, JS), SINGLE)),
        TopicsChanged("t2", Topics(), Topics(ATTR, (SCRIPT,), None)),
        MotdChanged((), (Motd(MotdLevel.DANGER, SCRIPT), Motd(MotdLevel.INFO, ATTR))),
        PresenceChanged("mallory", None, Presence(SCRIPT, ATTR, AT)),
    ]


@pytest.fixture
def hostile_client(empty_store: Store) -> Iterator[TestClient]:
    empty_store.create_event(hostile_event(), Actor("loader", operator=True), "hostile")
    with TestClient(create_app(empty_store)) as test_client:
        yield test_client


# Each page with the status it must answer: a page that wrongly refuses would not be
# checked for escaping, so the status is pinned, not merely one of 200/400/404.
HOSTILE_PAGES = [
    ("/events/evil/", 200),
    ("/events/evil/board", 200),
    ("/events/evil/board?tz=America/Los_Angeles", 200),
    ("/events/evil/teams/evil-team", 200),
    ("/events/evil/teams/t2", 200),
    (f"/events/evil/teams/{quote(HOSTILE_SLUG, safe='')}", 200),
    ("/events/evil/etherpads", 200),
    ("/events/evil/signage", 200),
    (f"/events/evil/signage?room={quote(ATTR)}", 200),  # rooms of those names exist
    (f"/events/evil/signage?room={quote(SCRIPT)}", 200),
    (f"/events/evil/board?tz={quote(SCRIPT)}", 400),  # not a time zone
    (f"/events/evil/board?day={quote(ATTR)}", 400),  # not a day of the event
    (f"/events/evil/teams/{quote(SCRIPT, safe='')}", 404),  # no such team
    ("/events/evil/rooms", 200),
    (f"/events/evil/rooms/{quote(ATTR, safe='')}", 200),
    (f"/events/evil/rooms/{quote(SCRIPT, safe='')}", 200),
    (f"/events/evil/rooms/{quote(SINGLE, safe='')}", 404),  # no such room
    ("/events/evil/calendars", 200),
    ("/events/evil/socials", 200),
    ("/events/evil/about", 200),
    ("/events/evil/faq", 200),
    ("/events/evil/code-of-conduct", 200),
    ("/events/evil/who-should-attend", 404),  # not in the event's pages
    (f"/{quote(SCRIPT)}", 404),  # the site's 404 page
    ("/ptg.html", 200),  # followed to the board
    (f"/events/{quote(ATTR, safe='')}/board", 404),  # no such event
    ("/events/", 200),
]
SCRIPTS = {
    "/static/time.js",
    "/static/live.js",
    "/static/filter.js",
    "/static/grid.js",
    "/static/signage.js",
    "/static/follow.js",
}
BADGE_STYLE = re.compile(r"background-color: #[0-9a-f]{6}; color: #[0-9a-f]{6}")
TAG = re.compile(r"<[a-zA-Z][^>]*>")
# A tag whose attributes are all bare names or quoted values ('>' in values is escaped).
QUOTED_TAG = re.compile(r"""<[a-zA-Z][\w-]*(?:\s+[\w:-]+(?:="[^"<>]*"|='[^'<>]*')?)*\s*/?>""")


def unsafe_parts(html: str) -> list[str]:
    """Everything in a page that user data could have turned into markup or a script."""
    doc = lxml.html.fromstring(html)
    found = []
    for script in doc.xpath("//script"):
        if script.get("src") not in SCRIPTS or (script.text or "").strip():
            found.append(f"script {script.get('src')!r} {script.text!r}")
    found += [f"element {el.tag}" for el in doc.xpath("//img|//svg|//iframe|//object|//b|//i")]
    for element in doc.iter():
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"handler {name}={value!r}")
            if name in ("href", "src", "action"):
                scheme = urlsplit(value).scheme.lower()
                relative = not scheme and value.startswith(("/", "?", "#"))
                if scheme not in ("http", "https", "mailto") and not relative:
                    found.append(f"link {name}={value!r}")
            if name == "style" and not BADGE_STYLE.fullmatch(value):
                found.append(f"style {value!r}")
    found += [f"unquoted {m!r}" for m in TAG.findall(html) if not QUOTED_TAG.fullmatch(m)]
    found += [f"raw {m!r}" for m in re.findall(r"<(?:script|img|svg)\b[^>]*>", html)]
    return [f for f in found if not f.startswith("raw '<script src=\"/static/")]


@pytest.mark.parametrize(("path", "status"), HOSTILE_PAGES)
def test_page_with_hostile_data_renders_it_inert(
    hostile_client: TestClient, path: str, status: int
) -> None:
    response = hostile_client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert unsafe_parts(response.text) == []


def test_board_with_hostile_data_shows_it_as_text(hostile_client: TestClient) -> None:
    doc = lxml.html.fromstring(hostile_client.get("/events/evil/board").text)
    assert [p.text_content() for p in doc.xpath('//div[@data-live="motd"]/p')] == [
        f"danger: {SCRIPT}",
        f"info: {ATTR}",
    ]
    rows = doc.xpath('//div[@data-live="now-next"]//tbody/tr')
    (row,) = [r for r in rows if r.xpath('string(td[@class="topic-now"])') == SCRIPT]
    assert [c.text_content() for c in row.xpath("./td")] == [
        SCRIPT,
        ATTR + JS,
        SINGLE,
        JS,  # the video link is not http(s): shown as text, not linked
        JS,
    ]
    assert row.xpath(".//td//a") == []
    assert doc.xpath('//div[@data-live="checkins"]//li')[0].text_content() == f"{ATTR}: 1 person"


def test_team_badge_colour_is_normalised_or_replaced(hostile_client: TestClient) -> None:
    doc = lxml.html.fromstring(hostile_client.get("/events/evil/etherpads").text)
    assert doc.xpath("//table//a[@class='badge']/@style") == [
        "background-color: #2f3e4e; color: #ffffff",
        "background-color: #2f3e4e; color: #ffffff",
        "background-color: #2f3e4e; color: #ffffff",
    ]


def test_markdown_drops_raw_html_and_unsafe_links() -> None:
    assert markdown(HOSTILE_MARKDOWN) == (
        "<h3>Hi &lt;script&gt;alert(1)&lt;/script&gt;</h3>\n"
        "<p>[click](javascript:alert(1)) "
        '<a href="https://ok.example/%22onmouseover=alert(1)">ok</a> '
        "[Js](JaVaScRiPt:x)</p>\n"
        "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"
        "<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;raw&lt;/a&gt;</p>\n"
        "<p>![pic](javascript:alert(1))</p>\n"
    )


def test_markdown_keeps_http_and_mailto_links_and_shifts_headings() -> None:
    text = "## Help\n\n[site](https://example.org) [mail](mailto:ptg@example.org)\n\n### Sub\n"
    assert markdown(text, 3) == (
        "<h3>Help</h3>\n"
        '<p><a href="https://example.org">site</a> <a href="mailto:ptg@example.org">mail</a></p>\n'
        "<h4>Sub</h4>\n"
    )


def test_markdown_table_headers_get_a_scope_and_empty_corners_none() -> None:
    assert markdown("| | PTG |\n|---|---|\n| When | April |\n") == (
        '<table>\n<thead>\n<tr>\n<td></td>\n<th scope="col">PTG</th>\n</tr>\n</thead>\n'
        "<tbody>\n<tr>\n<td>When</td>\n<td>April</td>\n</tr>\n</tbody>\n</table>\n"
    )


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//example.org", None),
        ("/relative", None),
        ("https://", None),
        ("https://exa mple.org", None),
        ("https://example.org/\n", None),
        (None, None),
    ],
)
def test_http_url_keeps_only_absolute_http_addresses(url: str | None, kept: str | None) -> None:
    assert http_url(url) == kept


@pytest.mark.parametrize(
    ("color", "colors"),
    [
        ("#572395", ("#572395", "#ffffff")),
        ("#aab62b", ("#aab62b", "#000000")),  # white on it would be unreadable
        ("rgb(0, 0, 128)", ("#000080", "#ffffff")),
        ("hsl(120, 100%, 25%)", ("#008000", "#ffffff")),
        ("navy", ("#000080", "#ffffff")),
        ("red;background:url(javascript:alert(1))", ("#2f3e4e", "#ffffff")),
        ('"><script>', ("#2f3e4e", "#ffffff")),
        (None, ("#2f3e4e", "#ffffff")),
    ],
)
def test_badge_colors_are_normalised_with_readable_text(
    color: str | None, colors: tuple[str, str]
) -> None:
    assert badge_colors(color) == colors
