"""A team's recap as text to paste into a mailing-list summary, and as JSON.

``recap_markdown`` contracts:

- Plain text, every line at most 72 columns (``textwrap``), except where a word is
  longer than that (a URL is never broken) and the references at the end (``[1] URL``,
  one line each).
- Markdown that reads as plain text: Setext headings (a heading may take two lines, and
  is underlined), lists with hanging indents, no emphasis or inline links.
- Times are shown in ``zone``; its name is said once, at the top.
- Links are listed at the end as numbered references (``[1] https://...``) and named in
  the text by their number (``Etherpad: [1].``).

``recap_json`` gives the same content for machines: times as ISO 8601 in UTC, durations
as whole minutes (None while a topic still runs), counts as numbers.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ptghub.history.recap import GivenUpCell, LinkKind, RecapLink, RecapSession, TeamRecap

LINK_LABELS = {
    LinkKind.ETHERPAD.value: "Etherpad",
    LinkKind.VIDEO.value: "Video",
    LinkKind.RECORDING.value: "Recordings",
}
WIDTH = 72
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# -- Markdown ---------------------------------------------------------------------------


def recap_markdown(recap: TeamRecap, zone: ZoneInfo) -> str:
    """The recap as Markdown ready to mail (see the module docstring); ends with a newline."""
    numbers = {link: n for n, link in enumerate(recap.links, 1)}
    blocks = [
        _heading(f"{recap.team_name} at {recap.event_name}", "="),
        _para(f"What the team did up to {_when(recap.until, zone)}. Times are in {zone.key}."),
        _para(_links_sentence(recap.links, numbers)),
        _heading("Sessions", "-"),
        _items([_session_line(s, zone) for s in recap.sessions], "No sessions."),
        _heading("Topics", "-"),
        _topics(recap, zone),
        _heading("Planned but not used", "-"),
        _items(_unused_lines(recap, zone), "Nothing: every session was used."),
        _heading("Links", "-"),
        # Never wrapped: a reference is its number and its URL, on one line.
        "\n".join(f"[{n}] {link.url}" for link, n in numbers.items()),
    ]
    return "\n\n".join(blocks) + "\n"


# Joins the words of a phrase that should not be split across lines (a date, "55 min",
# "topics 1 and 2"): textwrap does not break at it, and it becomes a space once wrapped.
# A control character, which no user text holds (the commands refuse them).
GLUE = "\x1f"


def _glue(phrase: str) -> str:
    return phrase.replace(" ", GLUE)


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    lines = textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(GLUE, " ") for line in lines]


def _para(text: str) -> str:
    return "\n".join(_wrap(text))


def _hanging(text: str, indent: str) -> str:
    """``text`` wrapped, its lines after the first indented (a list item's)."""
    return "\n".join(_wrap(text, rest=indent))


def _heading(text: str, underline: str) -> str:
    lines = _wrap(text)
    return "\n".join([*lines, underline * max(len(line) for line in lines)])


def _items(lines: list[str], empty: str) -> str:
    if not lines:
        return _para(empty)
    return "\n".join(_hanging(f"- {line}", "  ") for line in lines)


def _when(at: datetime, zone: ZoneInfo) -> str:
    """Mon 4 Apr 13:05 in ``zone``, kept on one line."""
    local = at.astimezone(zone)
    day = f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}"
    return _glue(f"{day} {local:%H:%M}")


def _span(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """Mon 4 Apr 13:00-15:00, naming the end's day when it is another day in ``zone``."""
    same_day = start.astimezone(zone).date() == end.astimezone(zone).date()
    return (
        f"{_when(start, zone)}-{end.astimezone(zone):%H:%M}"
        if same_day
        else (f"{_when(start, zone)}-{_when(end, zone)}")
    )


def _and(words: list[str]) -> str:
    """a, b and c."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _refs(links: Iterable[RecapLink], numbers: dict[RecapLink, int]) -> str:
    return _and([f"[{numbers[link]}]" + (f" ({link.room})" if link.room else "") for link in links])


def _links_sentence(links: tuple[RecapLink, ...], numbers: dict[RecapLink, int]) -> str:
    parts = []
    for kind, label in LINK_LABELS.items():
        of_kind = [link for link in links if link.kind == kind]
        if of_kind:
            parts.append(f"{label}: {_refs(of_kind, numbers)}.")
    return " ".join(parts)


def _checkins(count: int) -> str:
    if count == 0:
        return "nobody checked in"
    return _glue(f"{count} {'person' if count == 1 else 'people'}") + " checked in"


def _topic_numbers(numbers: tuple[int, ...]) -> str:
    if not numbers:
        return "no topic"
    word = "topic" if len(numbers) == 1 else "topics"
    phrase = f"{word} {_and([str(n) for n in numbers])}"
    return _glue(phrase) if len(phrase) <= 24 else phrase


def _session_line(session: RecapSession, zone: ZoneInfo) -> str:
    about = [session.room, session.status.value]
    if session.host:
        about.append(f"hosted by {session.host}")
    if session.joint_with:
        about.append(f"joint with {_and(list(session.joint_with))}")
    head = f"{_span(session.start, session.end, zone)}, {', '.join(about)}"
    if session.upcoming:
        return f"{head}: not begun yet."
    return f"{head}: {_checkins(session.checkins)}; {_topic_numbers(session.topics)}."


def duration(minutes: int | None) -> str:
    """55 min, 1 h, 1 h 35 min; "still running" for None."""
    if minutes is None:
        return "still running"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def _topics(recap: TeamRecap, zone: ZoneInfo) -> str:
    if not recap.topics:
        return _para("No topic was set.")
    lines = []
    for topic in recap.topics:
        label = f"{topic.number}. "
        indent = " " * len(label)
        when = f"{_when(topic.start, zone)}, {_glue(duration(topic.minutes))}"
        lines.append(_hanging(f"{label}{topic.text} ({when})", indent))
        if topic.outcome:
            lines.append("\n".join(_wrap(f"Outcome: {topic.outcome}", indent, indent)))
    return "\n".join(lines)


def _unused_lines(recap: TeamRecap, zone: ZoneInfo) -> list[str]:
    lines = [
        f"{_span(s.start, s.end, zone)}, {s.room}: no topic and nobody checked in."
        for s in recap.unused_sessions
    ]
    lines += [_given_up_line(cell, zone) for cell in recap.given_up]
    lines += [f"Queued as next, never discussed: {topic}" for topic in recap.queued]
    return lines


def _given_up_line(cell: GivenUpCell, zone: ZoneInfo) -> str:
    return (
        f"{_span(cell.start, cell.end, zone)}, {cell.room}: planned, given up on "
        f"{_when(cell.at, zone)}."
    )


# -- JSON -------------------------------------------------------------------------------


def recap_json(recap: TeamRecap) -> dict[str, Any]:
    """The recap as JSON-ready data: times ISO 8601 in UTC, minutes and counts as numbers."""
    return {
        "event": {"slug": recap.event_slug, "name": recap.event_name, "timezone": recap.zone},
        "team": {"slug": recap.team_slug, "name": recap.team_name},
        "until": _iso(recap.until),
        "sessions": [_session_json(s) for s in recap.sessions],
        "topics": [
            {
                "number": t.number,
                "text": t.text,
                "start": _iso(t.start),
                "end": _iso(t.end) if t.end else None,
                "minutes": t.minutes,
                "outcome": t.outcome,
            }
            for t in recap.topics
        ],
        "links": [
            {"kind": link.kind.value, "url": link.url, "room": link.room} for link in recap.links
        ],
        "unused": {
            "sessions": [_session_json(s) for s in recap.unused_sessions],
            "given_up": [
                {
                    "room": c.room,
                    "slot": c.slot,
                    "start": _iso(c.start),
                    "end": _iso(c.end),
                    "at": _iso(c.at),
                }
                for c in recap.given_up
            ],
            "queued": list(recap.queued),
        },
    }


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


def _session_json(session: RecapSession) -> dict[str, Any]:
    return {
        "room": session.room,
        "slots": list(session.slots),
        "start": _iso(session.start),
        "end": _iso(session.end),
        "status": session.status.value,
        "host": session.host,
        "joint_with": list(session.joint_with),
        "checkins": session.checkins,
        "topics": list(session.topics),
        "upcoming": session.upcoming,
    }
