"""What every ``ptghub`` command shares within one invocation.

The settings and the store (opened on first use, closed when the command ends), who
acts (the operator, or ``--as NICK``), the two consoles, and how an error becomes the
exit status: 0 done, 1 refused (permission or state), 2 invalid input. The root
callback (``cli/app.py``) makes the ``State``; every command module reads it from here.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from ptghub.core.errors import PtgError
from ptghub.core.model import Actor
from ptghub.settings import Settings

if TYPE_CHECKING:
    from ptghub.store.store import Store

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class State:
    """One invocation's settings, and its store once a command asks for it."""

    settings: Settings
    _store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            from ptghub.store.pool import PoolLimits  # not for --help: it costs the start-up
            from ptghub.store.store import Store

            url, clock = self.settings.effective_database_url, self.settings.make_clock()
            pool = PoolLimits.from_settings(self.settings)
            self._store = (
                Store.open(url, pool=pool)
                if clock is None
                else Store.open(url, clock=clock, pool=pool)
            )
            self._store.outbox.domain = self.settings.mail_domain  # in every Message-ID
        return self._store

    def use_clock(self, clock: str | None, speed: str | None) -> None:
        """``--clock``/``--clock-speed`` given to a command: they override the settings
        (checked here, so that bad input is refused with its message, exit status 2).
        Call it before the first ``store()``: the store keeps the clock it opened with."""
        from ptghub.core.clock import parse_moment, parse_speed

        assert self._store is None, "the store is open already"
        update: dict[str, object] = {}
        if clock is not None:
            parse_moment(clock)
            update["clock"] = clock
        if speed is not None:
            update["clock_speed"] = parse_speed(speed)
        self.settings = self.settings.model_copy(update=update)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def state_of(ctx: typer.Context) -> State:
    """The invocation's ``State``, put on the root context by the root callback."""
    state = ctx.find_root().obj
    assert isinstance(state, State)
    return state


def operator() -> Actor:
    """The person at the terminal: every role, named after the login."""
    return Actor(os.environ.get("USER") or "operator", frontend="cli", operator=True)


def acting_as(nick: str | None) -> Actor:
    """``--as NICK``: that nick with its roles; without it, the operator."""
    return operator() if nick is None else Actor(nick, frontend="cli")


def fail(error: PtgError) -> NoReturn:
    """Print the error's message on stderr and exit with its code (1 refused, 2 invalid)."""
    err.print(Text(error.message))
    raise typer.Exit(error.exit_code)


P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """A command whose ``PtgError`` ends the invocation through ``fail``, not a traceback.

    Put it under ``@app.command()``: Typer reads the options from the wrapped signature.
    """

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PtgError as error:
            fail(error)

    return run


def follow_as_set(store: Store, settings: Settings) -> None:
    """Have the process's change follower listen (LISTEN/NOTIFY) and poll as the settings
    say, before anything subscribes to it: the first subscriber starts it, and a bot
    starts before the web server's live feed would have set it."""
    from ptghub.live.follower import Follower

    Follower.of(store, listen=settings.live_notify, safety_poll=settings.live_safety_poll)
