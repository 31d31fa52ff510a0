"""Running one line of the command language against an event's state (pure: no I/O)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from ptghub.commands import admin, help, track, user  # noqa: F401  (they register commands)
from ptghub.commands.grammar import Command, Scope, parse
from ptghub.commands.registry import REGISTRY, Context, Outcome, Spec, check_permission
from ptghub.core.apply import apply_all
from ptghub.core.errors import InvalidInput
from ptghub.core.model import Actor, EventState
from ptghub.core.permissions import require_team
from ptghub.core.validate import check_nick, shorten


@dataclass(frozen=True, slots=True)
class Applied:
    """A command's outcome and the state after it (the same object when nothing changed)."""

    command: Command
    outcome: Outcome
    state: EventState


def lookup(cmd: Command) -> Spec:
    spec = REGISTRY.get((cmd.scope, cmd.verb))
    if spec is not None:
        return spec
    verbs = sorted(s.verb for s in REGISTRY.values() if s.scope is cmd.scope)
    close = difflib.get_close_matches(cmd.verb, verbs, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    where = {
        Scope.TRACK: f"#{shorten(cmd.team or '', 20)} ",
        Scope.ADMIN: "~",
        Scope.USER: "",
    }[cmd.scope]
    listing = ", ".join(verbs)
    return _raise(
        f"Unknown command '{where}{shorten(cmd.verb, 20)}'.{hint} Expected one of: {listing}."
    )


def _raise(message: str) -> Spec:
    raise InvalidInput(message)


def execute(
    state: EventState, text: str, actor: Actor, now: datetime, *, private: bool = True
) -> Applied | None:
    """Parse and run ``text``; None when it is channel chatter, not a command.

    Raises a PtgError (InvalidInput, Refused...) when the command cannot be applied;
    ``state`` is never changed in place.
    """
    cmd = parse(text, private=private)
    if cmd is None:
        return None
    check_nick(actor.nick)
    spec = lookup(cmd)
    ctx = Context(state=state, actor=actor, now=now)
    if cmd.team is not None:
        require_team(state, cmd.team)
    check_permission(spec, ctx, cmd)
    outcome = spec.handler(ctx, cmd)
    new_state = apply_all(state, outcome.events) if outcome.events else state
    return Applied(cmd, outcome, new_state)
