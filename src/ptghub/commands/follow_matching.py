"""Who follows what a topic change says: the "My PTG" follows matched against it.

A person follows a team (by its key) or a topic pattern, the same RE2 pattern as the chat
``subscribe`` takes, matched the same way: case-insensitively against the line the
change says (``#nova now Placement``, ``commands.notices.topic_lines``). All the patterns
of an event are one compiled ``PatternSet``, so a change costs one pass of each line
through it whatever the number of patterns; team follows are a dictionary lookup. The
compiled set is kept for the next change while the patterns stay the same.

Pure: the follows come from the store (``store.follow_notices``), the channels that use
the result (chat, email, browser) live elsewhere.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from ptghub.commands.notices import TopicLine, topic_lines
from ptghub.core.errors import InvalidInput
from ptghub.core.events import DomainEvent, TopicsChanged
from ptghub.core.model import EventState
from ptghub.core.patterns import PatternSet, compile_pattern

TEAM = "team"
PATTERN = "pattern"
_KEEP_SETS = 16  # compiled pattern sets kept (a few events, before and after a change)


@dataclass(frozen=True, slots=True)
class Follow:
    """One row of ``follows``: ``kind`` 'team' (``value`` a team key) or 'pattern'."""

    person_id: int
    kind: str
    value: str


_lock = threading.Lock()
_sets: OrderedDict[tuple[str, ...], PatternSet] = OrderedDict()


def _pattern_set(patterns: tuple[str, ...]) -> PatternSet:
    with _lock:  # the follower's thread, the mail worker and bots share the cache
        compiled = _sets.get(patterns)
        if compiled is None:
            compiled = _sets[patterns] = PatternSet(patterns)
            while len(_sets) > _KEEP_SETS:
                _sets.popitem(last=False)
        else:
            _sets.move_to_end(patterns)
        return compiled


def _valid(pattern: str) -> bool:
    # Patterns are checked when followed; one stored by an older rule must not stop the rest.
    try:
        compile_pattern(pattern)
    except InvalidInput:
        return False
    return True


class FollowIndex:
    """An event's follows, ready to match: team key -> people, patterns -> people."""

    def __init__(self, follows: Iterable[Follow]) -> None:
        self.teams: dict[str, list[int]] = {}
        by_pattern: dict[str, list[int]] = {}
        for follow in follows:
            if follow.kind == TEAM:
                self.teams.setdefault(follow.value, []).append(follow.person_id)
            elif follow.kind == PATTERN:
                by_pattern.setdefault(follow.value, []).append(follow.person_id)
        valid = sorted(p for p in by_pattern if _valid(p))
        self._people = [by_pattern[p] for p in valid]
        self._set = _pattern_set(tuple(valid)) if valid else None

    def people(self, line: TopicLine) -> set[int]:
        """Who follows ``line``: its team, or a pattern matching its text."""
        found = set(self.teams.get(line.team, ()))
        if self._set is not None:
            for position in self._set.matching(line.text):
                found.update(self._people[position])
        return found


def followers_lines(
    state: EventState, events: Iterable[DomainEvent], index: FollowIndex
) -> dict[int, list[TopicLine]]:
    """For ``events`` committed on ``state`` (the state after them): each person who
    follows what they say, and the lines they follow, in order, each once."""
    owed: dict[int, list[TopicLine]] = {}
    for event in events:
        if not isinstance(event, TopicsChanged):
            continue
        for line in topic_lines(state, event):
            for person in index.people(line):
                lines = owed.setdefault(person, [])
                if line not in lines:
                    lines.append(line)
    return owed
