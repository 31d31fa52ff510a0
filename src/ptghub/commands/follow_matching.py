"""Who follows what a topic change says: the "My PTG" follows matched against it.

A person follows a team (by its key) or a topic pattern, the same RE2 pattern as the chat
``subscribe`` takes, matched the same way: case-insensitively against the line the
change says (``#nova now Placement``, ``commands.notices.topic_lines``). All the patterns
of an event are one compiled ``PatternSet``, so a change costs one pass of each line
through it whatever the number of patterns (``patterns_matching``); the compiled set is
kept for the next change while the patterns stay the same. Only then are the follows
read that can concern the change: those of its teams and of the patterns that matched
(``FollowIndex``), not every follow of the event.

Pure: the follows come from the store (``store.follow_notices``), the channels that use
the result (chat, email, browser) live elsewhere.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
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


def patterns_matching(patterns: Iterable[str], texts: Iterable[str]) -> dict[str, list[str]]:
    """For each text, the patterns among ``patterns`` that match it (one pass of the text
    through the compiled set of them all)."""
    valid = tuple(sorted(p for p in set(patterns) if _valid(p)))
    if not valid:
        return {}
    compiled = _pattern_set(valid)
    return {text: [valid[i] for i in compiled.matching(text)] for text in texts}


class FollowIndex:
    """Follows ready to match: team key -> people, pattern -> people, with ``matched``
    (``patterns_matching``: text -> the patterns that match it) for the lines to match."""

    def __init__(self, follows: Iterable[Follow], matched: Mapping[str, Sequence[str]]) -> None:
        self.teams: dict[str, set[int]] = {}
        self.patterns: dict[str, set[int]] = {}
        for follow in follows:
            if follow.kind == TEAM:
                self.teams.setdefault(follow.value, set()).add(follow.person_id)
            elif follow.kind == PATTERN:
                self.patterns.setdefault(follow.value, set()).add(follow.person_id)
        self.matched = matched

    def people(self, line: TopicLine) -> set[int]:
        """Who follows ``line``: its team, or a pattern matching its text."""
        found = set(self.teams.get(line.team, ()))
        for pattern in self.matched.get(line.text, ()):
            found.update(self.patterns.get(pattern, ()))
        return found


def changed_lines(state: EventState, events: Iterable[DomainEvent]) -> list[TopicLine]:
    """Every line ``events`` say (``topic_lines``), in order."""
    return [
        line
        for event in events
        if isinstance(event, TopicsChanged)
        for line in topic_lines(state, event)
    ]


def followers_lines(
    state: EventState, events: Iterable[DomainEvent], index: FollowIndex
) -> dict[int, list[TopicLine]]:
    """For ``events`` committed on ``state`` (the state after them): each person who
    follows what they say, and the lines they follow, in order, each once."""
    owed: dict[int, list[TopicLine]] = {}
    for line in changed_lines(state, events):
        for person in sorted(index.people(line)):
            lines = owed.setdefault(person, [])
            if line not in lines:
                lines.append(line)
    return owed
