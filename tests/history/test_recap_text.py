"""recap_markdown and recap_json: the recap as mailable text and as data."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from ptghub.history.recap import LinkKind, RecapLink, team_recap
from ptghub.history.recap_text import recap_json, recap_markdown
from ptghub.history.timeline import Timeline
from tests.history.recap_data import state, timeline, utc

PARIS = ZoneInfo("Europe/Paris")
OUTCOME = "We agree to ship the new API in Zed; see the etherpad for who does what, and when."

NOVA_MARKDOWN = """\
Nova at Recap PTG
=================

What the team did up to Tue 5 Apr 16:00. Times are in Europe/Paris.

Etherpad: [1]. Video: [2] (Austin) and [3] (Bexar).

Sessions
--------

- Mon 4 Apr 13:00-15:00, Austin, planned: 2 people checked in;
  topics 1 and 2.
- Tue 5 Apr 13:00-14:00, Bexar, planned, hosted by Cinder: 1 person
  checked in; topic 3.
- Tue 5 Apr 15:00-16:00, Cactus, booked, joint with Swift: nobody
  checked in; no topic.

Topics
------

1. Placement API (Mon 4 Apr 13:05, 55 min)
   Outcome: We agree to ship the new API in Zed; see the etherpad for
   who does what, and when.
2. Quotas <script>alert(1)</script> (Mon 4 Apr 14:00, 1 h)
3. Unified limits across every project that keeps quotas, and what the
   operators asked of it in the last cycle (Tue 5 Apr 13:30,
   still running)

Planned but not used
--------------------

- Tue 5 Apr 15:00-16:00, Cactus: no topic and nobody checked in.
- Tue 5 Apr 14:00-15:00, Austin: planned, given up on Mon 4 Apr 18:00.
- Queued as next, never discussed: Scheduling

Links
-----

[1] https://etherpad.opendev.org/p/rc-ptg-nova
[2] https://meet.example.org/austin
[3] https://meet.example.org/bexar
"""


def nova_recap(history: Timeline | None = None) -> object:
    latest = state()
    latest.outcomes = {("nova", 1): OUTCOME}
    return team_recap(history or timeline(), latest, "nova")


def test_recap_markdown_is_the_whole_mailable_text() -> None:
    assert recap_markdown(nova_recap(), PARIS) == NOVA_MARKDOWN


def test_recap_markdown_lines_fit_72_columns_and_never_break_a_url() -> None:
    history = timeline()
    url = "https://etherpad.example.org/p/" + "a-very-long-etherpad-name-" * 3
    nova = history.state.teams["nova"]
    history.state.teams["nova"] = replace(nova, etherpad=url)
    recap = nova_recap(history)

    text = recap_markdown(recap, PARIS)

    assert [line for line in text.splitlines() if len(line) > 72] == [f"[1] {url}"]
    assert max(len(line) for line in NOVA_MARKDOWN.splitlines()) <= 72


def changed(text: str, *changes: tuple[str, str]) -> str:
    """``text`` with each (old, new) replaced; an old text not found is a test bug."""
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return text


def test_recap_markdown_in_utc_names_utc_once_and_shifts_every_time() -> None:
    assert recap_markdown(nova_recap(), ZoneInfo("UTC")) == changed(
        NOVA_MARKDOWN,
        ("Tue 5 Apr 16:00. Times are in Europe/Paris.", "Tue 5 Apr 14:00. Times are in UTC."),
        ("Mon 4 Apr 13:00-15:00", "Mon 4 Apr 11:00-13:00"),
        ("Tue 5 Apr 13:00-14:00", "Tue 5 Apr 11:00-12:00"),
        ("Tue 5 Apr 15:00-16:00", "Tue 5 Apr 13:00-14:00"),
        ("Mon 4 Apr 13:05", "Mon 4 Apr 11:05"),
        ("Mon 4 Apr 14:00", "Mon 4 Apr 12:00"),
        ("Tue 5 Apr 13:30", "Tue 5 Apr 11:30"),
        ("Tue 5 Apr 14:00-15:00", "Tue 5 Apr 12:00-13:00"),
        ("Mon 4 Apr 18:00", "Mon 4 Apr 16:00"),
    )


def test_recap_markdown_session_past_midnight_names_both_days() -> None:
    history = timeline()
    history.sessions[0] = replace(history.sessions[0], start=utc(4, 21), end=utc(4, 23))

    assert recap_markdown(nova_recap(history), PARIS) == changed(
        NOVA_MARKDOWN,
        (
            "- Mon 4 Apr 13:00-15:00, Austin, planned: 2 people checked in;\n  topics 1 and 2.",
            "- Mon 4 Apr 23:00-Tue 5 Apr 01:00, Austin, planned: 1 person checked in;\n  no topic.",
        ),
    )


def test_recap_markdown_of_a_team_that_did_nothing() -> None:
    history = timeline()
    history.sessions.clear()
    history.given_up.clear()
    recap = team_recap(history, state(), "swift")

    assert (
        recap_markdown(recap, PARIS)
        == """\
Swift at Recap PTG
==================

What the team did up to Tue 5 Apr 16:00. Times are in Europe/Paris.

Etherpad: [1].

Sessions
--------

No sessions.

Topics
------

No topic was set.

Planned but not used
--------------------

Nothing: every session was used.

Links
-----

[1] https://etherpad.opendev.org/p/rc-ptg-swift
"""
    )


def test_recap_markdown_upcoming_session_and_recording_link() -> None:
    history = timeline(until=utc(5, 12, 30))
    history.sessions[2] = replace(history.sessions[2], upcoming=True)
    recap = replace(
        nova_recap(history),
        links=(
            RecapLink(LinkKind.ETHERPAD, "https://pad.example.org/nova"),
            RecapLink(LinkKind.RECORDING, "https://videos.example.org/nova"),
        ),
    )

    assert recap_markdown(recap, PARIS) == changed(
        NOVA_MARKDOWN,
        ("up to Tue 5 Apr 16:00", "up to Tue 5 Apr 14:30"),
        ("Video: [2] (Austin) and [3] (Bexar).", "Recordings: [2]."),
        ("Swift: nobody\n  checked in; no topic.", "Swift: not begun\n  yet."),
        ("- Tue 5 Apr 15:00-16:00, Cactus: no topic and nobody checked in.\n", ""),
        (
            "[1] https://etherpad.opendev.org/p/rc-ptg-nova\n"
            "[2] https://meet.example.org/austin\n[3] https://meet.example.org/bexar\n",
            "[1] https://pad.example.org/nova\n[2] https://videos.example.org/nova\n",
        ),
    )


def test_recap_json_holds_utc_times_and_numbers() -> None:
    cactus = {
        "room": "Cactus",
        "slots": ["Tue-P1"],
        "start": "2022-04-05T13:00:00+00:00",
        "end": "2022-04-05T14:00:00+00:00",
        "status": "booked",
        "host": None,
        "joint_with": ["Swift"],
        "checkins": 0,
        "topics": [],
        "upcoming": False,
    }
    assert recap_json(nova_recap()) == {
        "event": {"slug": "rc-ptg", "name": "Recap PTG", "timezone": "Europe/Paris"},
        "team": {"slug": "nova", "name": "Nova"},
        "until": "2022-04-05T14:00:00+00:00",
        "sessions": [
            {
                "room": "Austin",
                "slots": ["Mon-A1", "Mon-A2"],
                "start": "2022-04-04T11:00:00+00:00",
                "end": "2022-04-04T13:00:00+00:00",
                "status": "planned",
                "host": None,
                "joint_with": [],
                "checkins": 2,
                "topics": [1, 2],
                "upcoming": False,
            },
            {
                "room": "Bexar",
                "slots": ["Tue-A1"],
                "start": "2022-04-05T11:00:00+00:00",
                "end": "2022-04-05T12:00:00+00:00",
                "status": "planned",
                "host": "Cinder",
                "joint_with": [],
                "checkins": 1,
                "topics": [3],
                "upcoming": False,
            },
            cactus,
        ],
        "topics": [
            {
                "number": 1,
                "text": "Placement API",
                "start": "2022-04-04T11:05:00+00:00",
                "end": "2022-04-04T12:00:00+00:00",
                "minutes": 55,
                "outcome": OUTCOME,
            },
            {
                "number": 2,
                "text": "Quotas <script>alert(1)</script>",
                "start": "2022-04-04T12:00:00+00:00",
                "end": "2022-04-04T13:00:00+00:00",
                "minutes": 60,
                "outcome": None,
            },
            {
                "number": 3,
                "text": "Unified limits across every project that keeps quotas, and what "
                "the operators asked of it in the last cycle",
                "start": "2022-04-05T11:30:00+00:00",
                "end": None,
                "minutes": None,
                "outcome": None,
            },
        ],
        "links": [
            {"kind": "etherpad", "url": "https://etherpad.opendev.org/p/rc-ptg-nova", "room": None},
            {"kind": "video", "url": "https://meet.example.org/austin", "room": "Austin"},
            {"kind": "video", "url": "https://meet.example.org/bexar", "room": "Bexar"},
        ],
        "unused": {
            "sessions": [cactus],
            "given_up": [
                {
                    "room": "Austin",
                    "slot": "Tue-A2",
                    "start": "2022-04-05T12:00:00+00:00",
                    "end": "2022-04-05T13:00:00+00:00",
                    "at": "2022-04-04T16:00:00+00:00",
                }
            ],
            "queued": ["Scheduling"],
        },
    }
