"""Helpers for command tests: a pure in-memory chat, and a full snapshot of a state.

Most command behaviour is pure (``execute`` takes a state and returns the next one), so
command tests run it without a database; tests about persistence, audit and undo use the
``store`` fixture from tests/conftest.py instead.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ptghub.commands.registry import Outcome
from ptghub.commands.run import execute
from ptghub.core.apply import apply_all
from ptghub.core.errors import PtgError
from ptghub.core.model import Actor, EventState
from tests.support import ALICE, small_event, snapshot

# Monday of the test event, 13:30 UTC, as the ``clock`` fixture.
MONDAY = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)


class Chat:
    """Runs commands against an in-memory state, keeping the state each one leaves."""

    def __init__(self) -> None:
        self.state: EventState = apply_all(EventState(), small_event())
        self.now = MONDAY

    def say(self, text: str, actor: Actor = ALICE, *, private: bool = True) -> Outcome:
        """Run ``text``; fail the test when it is taken for chatter rather than a command."""
        applied = execute(self.state, text, actor, self.now, private=private)
        assert applied is not None, f"{text!r} was taken for chatter"
        self.state = applied.state
        return applied.outcome

    def reply(self, text: str, actor: Actor = ALICE) -> str:
        return self.say(text, actor).reply

    def refuse(self, text: str, actor: Actor = ALICE) -> PtgError:
        """Run ``text``, which must be refused with nothing changed; return the error."""
        before = snapshot(self.state)
        with pytest.raises(PtgError) as error:
            self.say(text, actor)
        assert snapshot(self.state) == before
        return error.value
