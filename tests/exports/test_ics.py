"""ICS feeds: structure, times in UTC, scope of each feed, socials and escaping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from ptghub.core.events import DomainEvent
from ptghub.core.model import EventState, Social
from ptghub.exports import ics
from ptghub.exports.revisions import revisions
from ptghub.exports.sessions import stable_id
from tests.exports.helpers import HOSTILE, hostile, vevents
from tests.support import small_event

LOADED = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)
MONDAY = datetime(2022, 4, 4, tzinfo=UTC)
NOVA_MONDAY = str(stable_id("session", "test-ptg", "austin", "nova", "mona1"))


def loaded(events: list[DomainEvent] | None = None) -> dict[str, ics.Revision]:
    """Revisions as right after the event was created from ``events``."""
    return revisions([(1, LOADED, events if events is not None else small_event())])


def test_event_calendar_of_small_event_parses_back_exactly(small_state: EventState) -> None:
    body = ics.event_calendar(small_state, loaded(), generated=NOW)
    assert vevents(body) == [
        {
            "uid": NOVA_MONDAY,
            "sequence": 0,
            "start": datetime(2022, 4, 4, 13, 0, tzinfo=UTC),
            "end": datetime(2022, 4, 4, 15, 0, tzinfo=UTC),
            "summary": "Test PTG: Nova/Placement",
            "location": "Austin (https://meet.example.org/austin)",
            "url": "https://meet.example.org/austin",
            "description": "Room: Austin\nVideo: https://meet.example.org/austin\n"
            "Etherpad: https://etherpad.opendev.org/p/test-ptg-nova",
            "stamp": LOADED,
        }
    ]


def test_event_calendar_header_makes_a_subscribable_feed(small_state: EventState) -> None:
    body = ics.event_calendar(small_state, loaded(), generated=NOW)
    header = body.split(b"BEGIN:VEVENT")[0].decode().split("\r\n")
    assert header == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ptghub//ptghub//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Test PTG",
        "REFRESH-INTERVAL;VALUE=DURATION:PT15M",
        "X-PUBLISHED-TTL:PT15M",
        "",
    ]


def test_event_calendar_times_are_utc_with_no_vtimezone(demo_state: EventState) -> None:
    body = ics.event_calendar(demo_state, {}, generated=NOW)
    lines = body.decode().split("\r\n")
    starts = [line for line in lines if line.startswith(("DTSTART", "DTEND"))]
    assert len(starts) == 2 * len(vevents(body))
    assert [line for line in starts if not line.endswith("Z") or ";" in line] == []
    assert b"VTIMEZONE" not in body


def test_event_calendar_lists_socials_after_sessions(small_state: EventState) -> None:
    assert small_state.info is not None
    socials = (
        Social(
            "Happy hour", MONDAY.replace(hour=21), MONDAY.replace(hour=22), "https://x.example/h"
        ),
        Social("Happy hour", MONDAY.replace(day=5, hour=21), MONDAY.replace(day=5, hour=22)),
    )
    state = replace(small_state, info=replace(small_state.info, socials=socials))
    found = [
        (e["uid"], e["summary"], e["start"], e["url"])
        for e in vevents(ics.event_calendar(state, {}, generated=NOW))
    ]
    assert found == [
        (
            NOVA_MONDAY,
            "Test PTG: Nova/Placement",
            NOW.replace(minute=0),
            "https://meet.example.org/austin",
        ),
        (
            str(stable_id("social", "test-ptg", "happy hour", "1")),
            "Test PTG: Happy hour",
            MONDAY.replace(hour=21),
            "https://x.example/h",
        ),
        (
            str(stable_id("social", "test-ptg", "happy hour", "2")),
            "Test PTG: Happy hour",
            MONDAY.replace(day=5, hour=21),
            "",
        ),
    ]


def test_team_calendar_holds_only_that_team(small_state: EventState) -> None:
    nova = vevents(ics.team_calendar(small_state, "NOVA", loaded(), generated=NOW))
    cinder = vevents(ics.team_calendar(small_state, "cinder", loaded(), generated=NOW))
    assert ([e["uid"] for e in nova], cinder) == ([NOVA_MONDAY], [])


def test_teams_calendar_holds_the_teams_sessions_as_their_own_feeds_do(
    demo_state: EventState,
) -> None:
    revisions = loaded([])
    mine = ics.teams_calendar(demo_state, ["nova", "#Cinder"], "Mine", revisions, generated=NOW)
    nova = vevents(ics.team_calendar(demo_state, "nova", revisions, generated=NOW))
    cinder = vevents(ics.team_calendar(demo_state, "cinder", revisions, generated=NOW))
    assert nova and cinder
    # The same VEVENTs as the teams' own feeds (so calendars see one session), by start.
    assert sorted(vevents(mine), key=lambda e: e["uid"]) == sorted(
        nova + cinder, key=lambda e: e["uid"]
    )
    starts = [e["start"] for e in vevents(mine)]
    assert starts == sorted(starts)
    assert b"X-WR-CALNAME:Mine\r\n" in mine
    assert vevents(ics.teams_calendar(demo_state, [], "None", revisions, generated=NOW)) == []


def test_room_calendar_holds_only_that_room(small_state: EventState) -> None:
    austin = vevents(ics.room_calendar(small_state, "austin", loaded(), generated=NOW))
    coiste = vevents(ics.room_calendar(small_state, "coiste  BAINISTI", loaded(), generated=NOW))
    assert ([e["uid"] for e in austin], coiste) == ([NOVA_MONDAY], [])


def test_event_calendar_unknown_to_revisions_gets_sequence_0_stamped_now(
    small_state: EventState,
) -> None:
    (event,) = vevents(ics.event_calendar(small_state, {}, generated=NOW))
    assert (event["sequence"], event["stamp"]) == (0, NOW)


def test_ics_hostile_text_is_escaped_and_parses_back(small_state: EventState) -> None:
    body = ics.event_calendar(hostile(small_state), {}, generated=NOW)
    (event,) = vevents(body)
    text = HOSTILE.replace("\r\n", "\n")  # the one change: iCalendar text has no CR
    assert event["summary"] == f"Event {text}: {text}"
    assert event["location"] == (f"Austin {text} (https://meet.example.org/austin?a=1&b=2)")
    assert event["description"] == (
        f"Room: Austin {text}\nVideo: https://meet.example.org/austin?a=1&b=2\n"
        f"Etherpad: https://etherpad.opendev.org/p/test-ptg-nova\n\nAbout {text}"
    )
    # No raw line break, comma or semicolon leaks into a content line.
    unfolded = body.replace(b"\r\n ", b"")
    summary = next(line for line in unfolded.split(b"\r\n") if line.startswith(b"SUMMARY"))
    assert summary == (
        b'SUMMARY:Event Nova <script>alert("x")</script> ]]> a\\,b\\;c\\\\d\\nsecond line'
        b' & more: Nova <script>alert("x")</script> ]]> a\\,b\\;c\\\\d\\nsecond line & more'
    )
    assert b"\r" not in body.replace(b"\r\n", b"")


def test_is_http_accepts_only_http_and_https_addresses() -> None:
    urls = ["https://a.example/", "HTTP://a.example", "javascript:alert(1)", "http://[::1", None]
    assert [ics.is_http(url) for url in urls] == [True, True, False, False, False]


def test_ics_video_link_that_is_not_http_is_text_only(small_state: EventState) -> None:
    nova = replace(small_state.teams["nova"], video_url="javascript:alert(1)")
    state = replace(small_state, teams={**small_state.teams, "nova": nova})
    (event,) = vevents(ics.event_calendar(state, {}, generated=NOW))
    assert (event["url"], event["location"]) == ("", "Austin (javascript:alert(1))")


# Long multi-byte text (2-, 3- and 4-octet characters): it must fold, and the folds fall
# among multi-byte characters.
WIDE = "Ünïcödé — 日本語のセッション 🚀 Plänung, ça marche; "


def wide(state: EventState) -> EventState:
    nova = replace(state.teams["nova"], name=f"Nova {WIDE * 2}", description=WIDE * 8)
    return replace(state, teams={**state.teams, "nova": nova})


def feeds(state: EventState) -> list[bytes]:
    """Every ICS export of ``state``: the whole event, each team's and each room's."""
    made = [ics.event_calendar(state, {}, generated=NOW)]
    made += [ics.team_calendar(state, team, {}, generated=NOW) for team in state.teams]
    made += [ics.room_calendar(state, room, {}, generated=NOW) for room in state.rooms]
    return made


def unfold(body: bytes) -> list[bytes]:
    """RFC 5545 3.1: a CRLF followed by one space or tab is removed."""
    return body.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").split(b"\r\n")


def test_ics_lines_are_folded_at_75_octets_never_inside_a_character(
    small_state: EventState, demo_state: EventState
) -> None:
    bodies = feeds(wide(small_state)) + feeds(demo_state)
    lines = [line for body in bodies for line in body.split(b"\r\n")]
    assert [line for line in lines if len(line) > 75] == []
    undecodable = []
    for line in lines:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            undecodable.append(line)
    assert undecodable == []
    assert [body[-2:] for body in bodies] == [b"\r\n"] * len(bodies)
    # the wide text did need folding
    assert max(len(line) for body in feeds(wide(small_state)) for line in unfold(body)) > 300


def test_ics_folded_lines_unfold_to_the_text(small_state: EventState) -> None:
    body = ics.event_calendar(wide(small_state), {}, generated=NOW)
    lines = unfold(body)
    escaped = WIDE.replace(",", "\\,").replace(";", "\\;")
    summary = next(line for line in lines if line.startswith(b"SUMMARY:"))
    assert summary.decode() == f"SUMMARY:Test PTG: Nova {escaped * 2}"
    description = next(line for line in lines if line.startswith(b"DESCRIPTION:"))
    assert description.decode().endswith(f"\\n\\n{escaped * 8}")
    (event,) = vevents(body)
    assert event["summary"] == f"Test PTG: Nova {WIDE * 2}"
    assert event["description"].endswith("\n\n" + (WIDE * 8))
