"""One registry of commands: each declares its name, usage, help and permission once.

Front ends never list commands themselves: help texts, the CLI's documentation and the
permission check all read from here, so a command cannot exist without its help. The
rules behind a permission, and the wording of a refusal, are ``core.permissions``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ptghub.commands.grammar import Command, Scope
from ptghub.core.events import DomainEvent
from ptghub.core.model import Actor, EventState
from ptghub.core.permissions import is_organizer, require_chair, require_organizer, require_team


class Permission(StrEnum):
    ANYONE = "anyone"
    CHAIR = "chair of the team"  # or an organizer; anyone while the event is open
    ORGANIZER = "organizer"


@dataclass(frozen=True, slots=True)
class Notice:
    """A private message for one person, such as a subscription match."""

    nick: str
    text: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a handler decided. Subscribers' notices are not part of it: they are owed
    for committed changes only, and computed after the commit (``commands.notices``)."""

    reply: str
    events: tuple[DomainEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class Context:
    state: EventState
    actor: Actor
    now: datetime  # aware, UTC


Handler = Callable[[Context, Command], Outcome]


@dataclass(frozen=True, slots=True)
class Spec:
    scope: Scope
    verb: str
    usage: str
    help: str
    permission: Permission
    handler: Handler = field(compare=False)

    @property
    def name(self) -> str:
        return {Scope.TRACK: "#TEAM ", Scope.USER: "", Scope.ADMIN: "~"}[self.scope] + self.verb


REGISTRY: dict[tuple[Scope, str], Spec] = {}


def command(
    scope: Scope, verb: str, *, usage: str, help: str, permission: Permission
) -> Callable[[Handler], Handler]:
    """Register a handler; ``usage`` is the syntax line, ``help`` one or two sentences."""

    def register(handler: Handler) -> Handler:
        if (scope, verb) in REGISTRY:
            raise ValueError(f"command {scope}:{verb} registered twice")
        REGISTRY[(scope, verb)] = Spec(scope, verb, usage, help, permission, handler)
        return handler

    return register


def check_permission(spec: Spec, ctx: Context, cmd: Command) -> None:
    """Refuse (PermissionDenied) unless the actor may run the command ``spec`` declares."""
    state, actor = ctx.state, ctx.actor
    if spec.permission is Permission.ANYONE:
        return
    if spec.permission is Permission.ORGANIZER:
        require_organizer(state, actor, f"'{spec.name}'")
        return
    if state.open_to_everyone or is_organizer(state, actor):
        return
    assert cmd.team is not None
    require_chair(state, actor, require_team(state, cmd.team))
