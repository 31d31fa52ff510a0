"""Follow notices by email, in the mail worker's loop: gather, then mail what is due.

Each pass of the mail worker (``sender.MailWorker``) first calls ``FollowMail.step()``:

1. gather: for every event, when its version moved, the audit entries after the newest
   one this worker read; each topic change owes lines to the followers who chose email
   (``store.follow_notices``: ``Followers.owed``), added to their pending mail;
2. send: each pending mail that is due becomes one outbox mail (``send_due``), which
   the same pass then delivers.

This runs after the commit and off every request, in the worker's thread, like the bots'
notices; so no process is added. A worker starts from the log as it is when it starts:
changes made while no worker ran are not mailed (a notice an hour late tells nothing).
With two workers (``ptghub serve`` and ``ptghub mail worker``), both gather the same
change and each line is added once; each pending mail is sent once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ptghub.core.events import TopicsChanged
from ptghub.store.audit_log import AuditEntry
from ptghub.store.follow_notices import notice_line

if TYPE_CHECKING:
    from ptghub.store.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Position:
    version: int
    after: int  # the newest audit id read


class FollowMail:
    """Gathers the email notices of ``store``'s events and queues the due ones, with
    links under ``site`` (the site's address)."""

    def __init__(self, store: Store, site: str) -> None:
        self.store = store
        self.site = site.rstrip("/")
        self.notices = store.attendees.follow_notices
        self._positions: dict[str, _Position] = {}

    def step(self) -> int:
        """One gathering round, then the due mails queued; how many were queued."""
        for summary in self.store.events():
            try:
                self._follow(summary.slug)
            except Exception:  # one event's trouble must not stop the mail of the others
                log.exception("Mail: gathering the follow notices of %s failed", summary.slug)
        return self.notices.send_due(self.site)

    def next_due(self) -> datetime | None:
        """When the next gathered mail falls due (None: none is waiting)."""
        return self.notices.next_due()

    def _follow(self, slug: str) -> None:
        version = self.store.version(slug)
        position = self._positions.get(slug)
        if position is None:  # from now on: nothing already in the log is mailed
            newest = self.store.audit(slug, limit=1)
            self._positions[slug] = _Position(version, newest[-1].id if newest else 0)
            return
        if version == position.version:
            return
        entries = self.store.audit(slug, after=position.after)
        if entries:
            self._gather(slug, entries)
            position.after = entries[-1].id
        position.version = version

    def _gather(self, slug: str, entries: list[AuditEntry]) -> None:
        changes = [e for e in entries if any(isinstance(x, TopicsChanged) for x in e.events)]
        if not changes:
            return
        state = self.store.state(slug)
        events = [x for e in changes for x in e.events]
        followers = self.notices.followers(slug, state, events)
        if not any(r.email for r in followers.people.values()):
            return
        for entry in changes:
            for recipient, lines in followers.owed(
                state, entry.events, author=entry.person_id
            ).items():
                if recipient.email:
                    self.notices.gather(
                        followers.event_id,
                        recipient.person_id,
                        [notice_line(state, line, entry.id) for line in lines],
                    )
