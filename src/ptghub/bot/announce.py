"""Announce in a chat channel the changes made elsewhere (web, API, CLI, another bot).

The announcer follows the store's audit log from the moment it starts: every
``interval`` seconds it reads the event's version (one cheap query) and, when it moved,
the audit entries after the last one it has seen. Entries from its own front end are
skipped (the channel saw those commands already); each other one becomes one short line
``who (where): command``. It only needs a store, an event and a ``send`` callable (an
outbox's ``put`` bound to a channel), so every chat adapter can use it.

Changes are read from the database, not from an in-process hook, because they may come
from other processes (``ptghub cmd`` in a shell, another web worker).

The same follower delivers subscription notices for those changes: a ``now`` set on the
web or from another network's bot must reach a subscriber here too. Commands made
through this bot send their own notices (``BotCore``), so only foreign changes count;
``reachable`` keeps the subscribers this network can address (an IRC bot cannot write
to a Matrix id, and the other way round).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection

from ptghub.bot.core import MAX_LINE, split_lines
from ptghub.commands.notices import subscriber_notices
from ptghub.commands.registry import Notice
from ptghub.core.model import EventState, nick_key
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
        self._last_id: int | None = None
        self._version: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def begin(self) -> None:
        """Start from now: what is already in the audit log is never announced."""
        newest = self.store.audit(self.event, limit=1)
        self._last_id = newest[-1].id if newest else 0
        self._version = self.store.version(self.event)

    def poll(self) -> int:
        """Announce what changed since the last poll (and notify its subscribers); the
        number of lines sent."""
        if self._last_id is None:
            self.begin()
        version = self.store.version(self.event)
        if version == self._version:
            return 0
        entries = self.store.audit(self.event, after=self._last_id)
        self._version = version
        if not entries:
            return 0
        self._last_id = entries[-1].id
        foreign = [e for e in entries if e.frontend not in self.skip]
        sent = self._notify(foreign) if self.notify is not None and foreign else 0
        if not self.announce:
            return sent
        lines = [announcement(e) for e in foreign[:MAX_PER_POLL]]
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

    # -- the polling thread -----------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the announcer is already running")
        self.begin()  # now, not when the thread first runs: nothing in between is missed
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="ptghub-announce", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except Exception:
                # The database may be restarting: try again at the next interval.
                log.exception("announce: reading the audit log failed")
