"""What the store keeps of attendees for each event (migration 0007): registrations,
track requests, the updates list and announcements, follows and personal settings.

One object per part, each in a module of its own; ``Store.attendees`` holds them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from ptghub.store.accounts import Accounts
from ptghub.store.follow_notices import FollowNotices
from ptghub.store.follows import Follows
from ptghub.store.outbox import Outbox
from ptghub.store.registrations import Registrations
from ptghub.store.track_requests import TrackRequests
from ptghub.store.updates import Updates


class Attendees:
    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        accounts: Accounts,
        outbox: Outbox,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.accounts = accounts
        self.outbox = outbox
        # Each part below: self.<part> = <Part>(engine, clock, ...)
        self.tracks = TrackRequests(engine, clock, accounts, outbox)
        self.follows = Follows(engine, clock)
        self.updates = Updates(engine, clock, accounts, outbox)
        self.registrations = Registrations(engine, clock, outbox)
        self.follow_notices = FollowNotices(engine, clock, outbox)
