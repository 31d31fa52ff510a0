"""Helpers for command tests: a pure in-memory chat, and a full snapshot of a state.

Most command behaviour is pure (``execute`` takes a state and returns the next one), so
command tests run it without a database; tests about persistence, audit and undo use the
``store`` fixture from tests/conftest.py instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from ptghub.commands.notices import subscriber_notices
from ptghub.commands.registry import Notice
from ptghub.commands.run import execute
from ptghub.core.apply import apply_all
from ptghub.core.errors import PtgError
from ptghub.core.events import DomainEvent
from ptghub.core.model import Actor, EventState
from tests.support import ALICE, small_event, snapshot

# Monday of the test event, 13:30 UTC, as the ``clock`` fixture.
MONDAY = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Said:
    """A command's outcome, with the notices its committed change owes subscribers."""

    reply: str
    events: tuple[DomainEvent, ...]
    notices: tuple[Notice, ...]


class Chat:
    """Runs commands against an in-memory state, keeping the state each one leaves."""

    def __init__(self) -> None:
        self.state: EventState = apply_all(EventState(), small_event())
        self.now = MONDAY

    def say(self, text: str, actor: Actor = ALICE, *, private: bool = True) -> Said:
        """Run ``text``; fail the test when it is taken for chatter rather than a command.

        Its notices are computed from its events on the new state, as the store does
        after committing them.
        """
        applied = execute(self.state, text, actor, self.now, private=private)
        assert applied is not None, f"{text!r} was taken for chatter"
        self.state = applied.state
        outcome = applied.outcome
        notices = subscriber_notices(self.state, outcome.events, skip=actor.keys)
        return Said(outcome.reply, outcome.events, notices)

    def reply(self, text: str, actor: Actor = ALICE) -> str:
        return self.say(text, actor).reply

    def refuse(self, text: str, actor: Actor = ALICE) -> PtgError:
        """Run ``text``, which must be refused with nothing changed; return the error."""
        before = snapshot(self.state)
        with pytest.raises(PtgError) as error:
            self.say(text, actor)
        assert snapshot(self.state) == before
        return error.value
