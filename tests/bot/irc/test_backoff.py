"""The IRC link's reconnection delays: doubling to a ceiling, with jitter."""

from __future__ import annotations

from ptghub.bot.irc.backoff import Backoff


def test_backoff_doubles_to_the_ceiling_with_jitter_and_resets() -> None:
    draws = iter([1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.5])
    backoff = Backoff(1.0, 8.0, rand=lambda: next(draws))

    assert [backoff.next() for _ in range(6)] == [1.0, 1.0, 4.0, 8.0, 8.0, 8.0]
    backoff.reset()
    assert backoff.next() == 0.75
