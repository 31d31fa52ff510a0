"""The topics of a timeline: how long each was discussed, and those never reached.

A span begins when a team's ``now`` is set to a new topic and ends when its ``now``
changes (another topic, clean, newday): ``replay.Replay`` records that much. Its end is
then clamped: no later than the end of the team's session containing its start (a merged
session, its own or one it is a guest of), else of the slot (any slot of the event)
containing its start, else not clamped. A span still running at ``until`` ends at its
clamp when that is at or before ``until``; otherwise its ``end`` is None (still the topic).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from datetime import datetime

from ptghub.core.model import EventState
from ptghub.history.timeline import Session, TopicSpan, slot_bounds


def topic_spans(
    state: EventState, spans: Sequence[TopicSpan], held: Sequence[Session], until: datetime
) -> list[TopicSpan]:
    """``spans`` as recorded (``end``: when the team's ``now`` changed, None while it has
    not) with their ends clamped, by start."""
    by_team: dict[str, list[Session]] = {}
    for session in held:
        for team in (session.team, *session.guests):
            by_team.setdefault(team, []).append(session)
    zone = state.info.timezone if state.info is not None else "UTC"
    slots = sorted(slot_bounds(slot, zone) for slot in state.slots.values())
    starts = [start for start, _ in slots]
    clamped = []
    for span in spans:
        clamp = _clamp(span, by_team.get(span.team, ()), slots, starts)
        end = span.end
        if clamp is not None:
            end = clamp if end is None else min(end, clamp)
        if end is not None and end > until:
            end = None
        clamped.append(TopicSpan(span.team, span.number, span.text, span.start, end))
    clamped.sort(key=lambda span: span.start)
    return clamped


def _clamp(
    span: TopicSpan,
    sessions: Sequence[Session],
    slots: Sequence[tuple[datetime, datetime]],
    starts: Sequence[datetime],
) -> datetime | None:
    for session in sessions:
        if session.start <= span.start < session.end:
            return session.end
    # The last slot beginning at or before the span: slots of one event do not overlap.
    index = bisect.bisect_right(starts, span.start) - 1
    if index >= 0 and span.start < slots[index][1]:
        return slots[index][1]
    return None


def queued_topics(
    queues: Mapping[str, tuple[tuple[str, ...], set[str]]],
) -> dict[str, tuple[str, ...]]:
    """Per team, the ``next`` topics (first-seen order and spelling) that never became its
    ``now`` (compared case-insensitively); teams with none are left out. ``queues``: team
    -> (every ``next`` topic seen, the case-folded ``now`` topics set)."""
    queued = {}
    for team, (seen, discussed) in sorted(queues.items()):
        left = tuple(topic for topic in seen if topic.casefold() not in discussed)
        if left:
            queued[team] = left
    return queued
