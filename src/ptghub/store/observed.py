"""What the store's write methods tell the logs and the metrics about each call.

``observed(kind)`` wraps a write method; ``Store`` has its write methods (``run``,
``change``, ``undo``, ``create_event``) wrapped by deriving from ``Observed``. Each call
that changes something logs one INFO line, "change applied", on the ``ptghub.store``
logger with the fields ``audit_id``, ``event`` (the slug the caller named; null for the
installation's current event), ``frontend`` (web, api, cli, irc, matrix ...), ``kind``
and ``command``: the command's scope and verb (``track now``), or the first two words of
a change's description (``room bookable``), never the rest of what a person typed, which
may name people or hold anything they wrote.

Every call, whatever its outcome, is also handed to the ``listeners`` (the web app's
metrics add one: ``ptghub.metrics``) as a ``Call``; nothing here imports a metrics
library, so a ``ptghub cmd`` does not pay for one.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from ptghub.commands.grammar import parse
from ptghub.core.events import EventCreated
from ptghub.core.model import Actor
from ptghub.store.results import Result

log = logging.getLogger("ptghub.store")

APPLIED, UNCHANGED, REFUSED = "applied", "unchanged", "refused"


@dataclass(frozen=True, slots=True)
class Call:
    """One call of a write method: how long it took and what came of it."""

    kind: str  # the method: run, change, undo, create_event
    frontend: str
    outcome: str  # APPLIED, UNCHANGED or REFUSED (an exception)
    seconds: float


listeners: list[Callable[[Call], object]] = []

P = ParamSpec("P")
S = TypeVar("S")
R = TypeVar("R")


def command_name(kind: str, text: str) -> str:
    """What the log says the command was, without the person's own words."""
    if kind == "run":
        try:
            command = parse(text)
        except Exception:  # it ran, so it parses; a log line must not fail a change
            command = None
        return "" if command is None else f"{command.scope.value} {command.verb}"
    return " ".join(text.split()[:2])


def observed(
    kind: str,
) -> Callable[[Callable[Concatenate[S, P], R]], Callable[Concatenate[S, P], R]]:
    """Log and time every call of the wrapped write method (see the module's doc)."""

    def wrap(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
        @functools.wraps(method)
        def call(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
            actor = next((a for a in (*args, *kwargs.values()) if isinstance(a, Actor)), None)
            frontend = actor.frontend if actor is not None else "unknown"
            started = time.perf_counter()
            outcome = REFUSED
            try:
                result = method(self, *args, **kwargs)
                changed = isinstance(result, Result) and result.audit_id is not None
                outcome = APPLIED if changed else UNCHANGED
            finally:
                _tell(Call(kind, frontend, outcome, time.perf_counter() - started))
            if changed and log.isEnabledFor(logging.INFO):
                assert isinstance(result, Result)
                _log_change(kind, result, frontend, args, kwargs)
            return result

        return call  # type: ignore[return-value]

    return wrap


class Observed:
    """A base class whose subclasses get their ``WRITES`` methods wrapped by ``observed``."""

    WRITES = ("run", "change", "undo", "create_event")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls.WRITES:
            if name in cls.__dict__:
                setattr(cls, name, observed(name)(cls.__dict__[name]))


def _log_change(
    kind: str, result: Result, frontend: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    text = next((a for a in args if isinstance(a, str)), kwargs.get("text", ""))
    event = kwargs.get("event")
    first = result.events[0] if result.events else None
    if isinstance(first, EventCreated):
        event = first.info.slug
    log.info(
        "change applied",
        extra={
            "audit_id": result.audit_id,
            "event": event,
            "frontend": frontend,
            "kind": kind,
            "command": "undo" if kind == "undo" else command_name(kind, str(text)),
        },
    )


def _tell(call: Call) -> None:
    for listener in tuple(listeners):
        try:
            listener(call)
        except Exception:  # a metric must never fail a change
            log.exception("a listener of the store's calls failed")
