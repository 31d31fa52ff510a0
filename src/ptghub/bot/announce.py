"""Announce in a chat channel the changes made elsewhere (web, API, CLI, another bot).

The announcer follows the event's audit log from the moment it starts, through the
process's one follower (``live.follower``): every ``interval`` seconds at most it gets
the audit entries it has not seen. Entries from its own front end are skipped (the
channel saw those commands already); each other one becomes one short line
``who (where): command``. It only needs a store, an event and a ``send`` callable (an
outbox's ``put`` bound to a channel), so every chat adapter can use it.

The same changes bring subscription notices: a ``now`` set on the web or from another
network's bot must reach a subscriber here too. Commands made through this bot send
their own notices (``BotCore``), so only foreign changes count; ``reachable`` keeps the
subscribers this network can address (an IRC bot cannot write to a Matrix id, and the
other way round). The notices are those of ``commands.notices.subscriber_notices``, the
one function the write path uses, driven by the entries' domain events.

People who follow a team or a topic pattern on the web ("My PTG") and chose chat are told
here too, for every change (this bot's own included: ``BotCore`` only tells subscribers),
at their linked chat nicks that this network reaches; a person whose own ``subscribe``
already brought the same line for the same change gets it once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence

from ptghub.bot.conversation import MAX_LINE, split_lines
from ptghub.commands.notices import subscriber_notices
from ptghub.commands.registry import Notice
from ptghub.core.events import TopicsChanged
from ptghub.core.model import EventState, nick_key
from ptghub.live.follower import Change, Feed, Follower, newest_id, read_change
from ptghub.store.audit_log import AuditEntry
from ptghub.store.store import Store

log = logging.getLogger(__name__)

MAX_PER_POLL = 10  # more changes at once are summed up in one line, not flooded


def announcement(entry: AuditEntry, limit: int = MAX_LINE) -> str:
    """One line for one change: ``olivia (web): #nova book Austin-Mon-P1``."""
    text = " ".join(entry.text.split())
    line = f"{entry.actor} ({entry.frontend}): {text}"
    return line if len(line) <= limit else line[: limit - 1] + "…"


def entry_notices(state: EventState, entry: AuditEntry) -> tuple[Notice, ...]:
    """The notices one audited change owes its subscribers (never to its own author)."""
    return subscriber_notices(state, entry.events, skip={nick_key(entry.actor)})


class Announcer:
    """Follows ``event`` (None: the current event) for the changes made elsewhere.

    With ``announce``, one line per change goes to ``send``; with ``notify``, each
    subscriber that ``reachable`` accepts gets its notices through ``notify(nick, line)``.
    ``start()`` subscribes to ``follower`` (by default the process's one for ``store``);
    ``poll()`` does one round by itself, without it.
    """

    def __init__(
        self,
        store: Store,
        event: str | None,
        send: Callable[[str], object],
        *,
        skip_frontends: Collection[str],
        interval: float = 2.0,
        announce: bool = True,
        notify: Callable[[str, str], object] | None = None,
        reachable: Callable[[str], bool] = lambda nick: True,
        follower: Follower | None = None,
    ) -> None:
        if interval <= 0:
            raise ValueError(f"the announce interval must be positive, not {interval}")
        self.store = store
        self.event = event
        self.send = send
        self.skip = frozenset(skip_frontends)
        self.interval = interval
        self.announce = announce
        self.notify = notify
        self.reachable = reachable
        self.follower = follower
        self._last_id: int | None = None
        self._version: int | None = None
        self._feed: Feed | None = None

    def begin(self) -> None:
        """Start from now: what is already in the audit log is never announced."""
        self._version = self.store.version(self.event)
        self._last_id = newest_id(self.store, self.event)

    def poll(self) -> int:
        """Announce what changed since the last poll (and notify its subscribers); the
        number of lines sent."""
        if self._last_id is None:
            self.begin()
        assert self._last_id is not None
        read = read_change(self.store, self.event, version=self._version, after=self._last_id)
        if read is None:
            return 0
        version, entries = read
        newest = entries[-1].id if entries else self._last_id
        return self.handle(Change(self.event, version, entries, newest))

    def handle(self, change: Change) -> int:
        """Announce one ``Change`` (and notify its subscribers); the number of lines sent.
        The follower calls it, on its thread."""
        self._version = change.version
        self._last_id = change.newest
        foreign = [e for e in change.entries if e.frontend not in self.skip]
        sent = self._notify(foreign) if self.notify is not None and foreign else 0
        if self.notify is not None:
            sent += self._notify_followers(change.entries)
        if not self.announce:
            return sent
        lines = [announcement(e) for e in foreign[:MAX_PER_POLL]]
        for entry in foreign[:MAX_PER_POLL]:
            log.info(
                "change announced",
                extra={"audit_id": entry.id, "event": self.event, "frontend": entry.frontend},
            )
        if len(foreign) > MAX_PER_POLL:
            rest = len(foreign) - MAX_PER_POLL
            lines.append(f"… and {rest} more change(s); 'ptghub audit' lists them all.")
        for line in lines:
            self.send(line)
        return sent + len(lines)

    def _notify(self, entries: list[AuditEntry]) -> int:
        assert self.notify is not None
        # Subscriptions as they are now: one read for the whole batch of changes.
        state = self.store.state(self.event)
        sent = 0
        for entry in entries:
            for notice in entry_notices(state, entry):
                if self.reachable(notice.nick):
                    for line in split_lines(notice.text):
                        self.notify(notice.nick, line)
                        sent += 1
        return sent

    def _notify_followers(self, entries: Sequence[AuditEntry]) -> int:
        """Tell the followers who chose chat (see the module's docstring)."""
        assert self.notify is not None
        changes = [e for e in entries if any(isinstance(x, TopicsChanged) for x in e.events)]
        if not changes:
            return 0
        state = self.store.state(self.event)
        events = [x for e in changes for x in e.events]
        followers = self.store.attendees.follow_notices.followers(
            self.event, state, events, with_nicks=True
        )
        if not any(r.chat and r.nicks for r in followers.people.values()):
            return 0
        sent = 0
        for entry in changes:
            told: dict[str, set[str]] = {}  # nick key -> lines its subscription brought
            for notice in entry_notices(state, entry):
                told.setdefault(nick_key(notice.nick), set()).add(notice.text)
            owed = followers.owed(state, entry.events, author=entry.person_id)
            for recipient, lines in owed.items():
                if not recipient.chat:
                    continue
                keys = [nick_key(nick) for nick in recipient.nicks]
                for line in lines:
                    if any(line.text in told.get(key, ()) for key in keys):
                        continue
                    for nick in recipient.nicks:
                        if self.reachable(nick):
                            self.notify(nick, line.text)
                            sent += 1
        return sent

    # -- following ----------------------------------------------------------------------

    def start(self) -> None:
        if self._feed is not None:
            raise RuntimeError("the announcer is already running")
        self.begin()  # now, not when the follower first reads: nothing in between is missed
        follower = self.follower or Follower.of(self.store)
        self._feed = follower.subscribe(self.handle, interval=self.interval)
        self._feed.follow(self.event, after=self._last_id, version=self._version)

    def stop(self, timeout: float | None = 10.0) -> None:
        feed, self._feed = self._feed, None
        if feed is not None:
            feed.close(timeout)
