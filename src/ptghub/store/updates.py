"""The updates list and announcements of an event (issue 13): ``store.attendees.updates``.

``subscribers`` (``store.updates_list``) is the public list with its double opt-in and the
unsubscribe tokens; ``announcements`` (``store.announcements``) the organizers' mail to an
audience, which every unsubscribed address is left out of.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from ptghub.store.accounts import Accounts
from ptghub.store.announcements import Announcements
from ptghub.store.outbox import Outbox
from ptghub.store.updates_list import UpdatesList


class Updates:
    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        accounts: Accounts,
        outbox: Outbox,
    ) -> None:
        self.subscribers = UpdatesList(engine, clock, accounts, outbox)
        self.announcements = Announcements(engine, clock, outbox, self.subscribers)
