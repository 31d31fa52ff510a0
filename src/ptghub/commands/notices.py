"""Who is told of a change: the subscription notices owed for committed topic changes.

Notices are computed from the events a change committed, after the commit and outside
the store's write lock, so that thousands of subscriptions never hold up other writers
(they used to be matched one by one inside the transaction). The same function serves
the bots' follower of changes made elsewhere (``bot.announce``).

Matching uses compiled RE2 sets (``core.patterns.PatternSet``) cached per state of the
subscriptions (``EventState.subscriptions_tag``): a ``now`` costs one pass of the text
through each set whatever the number of patterns. Subscriptions are spread over
``BUCKETS`` sets by a hash of the nick, so that one ``subscribe`` recompiles about
1/BUCKETS of the patterns, not all of them.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from ptghub.commands.registry import Notice
from ptghub.core.events import DomainEvent, TopicsChanged
from ptghub.core.model import EventState, Subscription
from ptghub.core.patterns import PatternSet

BUCKETS = 8
_KEEP_INDEXES = 8  # subscription states kept compiled (a few events, old and new)
_KEEP_SETS = 8 * BUCKETS  # compiled buckets kept, shared by those states


@dataclass(frozen=True, slots=True)
class TopicLine:
    """One thing a topic change says: team ``slug`` goes ``when`` ('now' or 'next') on
    ``topic``; ``text`` is how subscribers read it (``#nova now Placement``)."""

    team: str  # the team's key
    slug: str
    when: str
    topic: str

    @property
    def text(self) -> str:
        return f"#{self.slug} {self.when} {self.topic}"


def topic_lines(state: EventState, event: TopicsChanged) -> list[TopicLine]:
    """What a topic change says, as the ``now``/``next`` commands word it: a new ``now``,
    and each topic appended to ``next`` (a clean or a ``now`` that drops one adds none)."""
    team = state.teams.get(event.team)
    slug = team.slug if team is not None else event.team
    lines = []
    if event.new.now and event.new.now != event.old.now:
        lines.append(TopicLine(event.team, slug, "now", event.new.now))
    old_next, new_next = event.old.next, event.new.next
    if new_next[: len(old_next)] == old_next:
        lines.extend(TopicLine(event.team, slug, "next", t) for t in new_next[len(old_next) :])
    return lines


def topic_texts(state: EventState, event: TopicsChanged) -> list[str]:
    """What a topic change says to subscribers, worded as the ``now``/``next`` commands do."""
    return [line.text for line in topic_lines(state, event)]


class _Index:
    """One state's subscriptions as compiled buckets, and their order in the state."""

    def __init__(self, subscriptions: dict[str, Subscription], sets: _SetCache) -> None:
        self.size = len(subscriptions)
        self.order = {key: position for position, key in enumerate(subscriptions)}
        grouped: list[list[tuple[str, Subscription]]] = [[] for _ in range(BUCKETS)]
        for key, sub in subscriptions.items():
            grouped[zlib.crc32(key.encode()) % BUCKETS].append((key, sub))
        self.buckets = [
            (tuple(items), sets.get(tuple(sub.pattern for _, sub in items)))
            for items in grouped
            if items
        ]

    def matching(self, text: str) -> list[tuple[str, Subscription]]:
        found = [items[i] for items, compiled in self.buckets for i in compiled.matching(text)]
        return sorted(found, key=lambda item: self.order[item[0]])


class _SetCache:
    """Compiled buckets by their patterns, least recently used dropped first."""

    def __init__(self) -> None:
        self._sets: OrderedDict[tuple[str, ...], PatternSet] = OrderedDict()

    def get(self, patterns: tuple[str, ...]) -> PatternSet:
        compiled = self._sets.get(patterns)
        if compiled is None:
            compiled = self._sets[patterns] = PatternSet(patterns)
            while len(self._sets) > _KEEP_SETS:
                self._sets.popitem(last=False)
        else:
            self._sets.move_to_end(patterns)
        return compiled


_lock = threading.Lock()
_sets = _SetCache()
_indexes: OrderedDict[int, _Index] = OrderedDict()


def _index(state: EventState) -> _Index:
    """The compiled subscriptions of ``state``, built once per change of them."""
    tag = state.subscriptions_tag
    with _lock:  # web workers, bots and their followers share one cache
        index = _indexes.get(tag)
        if index is None or index.size != len(state.subscriptions):
            index = _indexes[tag] = _Index(state.subscriptions, _sets)
            while len(_indexes) > _KEEP_INDEXES:
                _indexes.popitem(last=False)
        else:
            _indexes.move_to_end(tag)
        return index


def subscriber_notices(
    state: EventState, events: Iterable[DomainEvent], *, skip: Collection[str] = ()
) -> tuple[Notice, ...]:
    """The notices owed for ``events``, committed on ``state`` (the state after them), to
    every subscriber but the nick keys in ``skip`` (the author's)."""
    texts: Sequence[str] = [
        text
        for event in events
        if isinstance(event, TopicsChanged)
        for text in topic_texts(state, event)
    ]
    if not texts or not state.subscriptions:
        return ()
    index = _index(state)
    return tuple(
        Notice(sub.nick, text)
        for text in texts
        for key, sub in index.matching(text)
        if key not in skip
    )
