"""One registry of commands: each declares its name, usage, help and permission once.

Front ends never list commands themselves: help texts, the CLI's documentation and the
permission check all read from here, so a command cannot exist without its help.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ptghub.commands.grammar import Command, Scope
from ptghub.core.errors import NotFound, PermissionDenied
from ptghub.core.events import DomainEvent
from ptghub.core.model import Actor, EventState, RoleKind, Team, team_key


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


def is_organizer(state: EventState, actor: Actor) -> bool:
    return (
        actor.operator
        or RoleKind.ORGANIZER in actor.trust
        or (
            actor.proven
            and any(
                role.nick in actor.keys and role.kind is RoleKind.ORGANIZER for role in state.roles
            )
        )
    )


def is_chair(state: EventState, actor: Actor, team: str) -> bool:
    """Whether ``actor`` chairs ``team``: by a role, or trusted as a chair of any team."""
    return RoleKind.CHAIR in actor.trust or (
        actor.proven
        and any(
            role.nick in actor.keys and role.kind is RoleKind.CHAIR and role.team == team
            for role in state.roles
        )
    )


def _unproven(state: EventState, actor: Actor) -> str:
    """Why roles did not count, when the nick has some but nobody proved it is theirs."""
    if actor.proven or not any(role.nick in actor.keys for role in state.roles):
        return ""
    return (
        f" {actor.nick} has roles, but this connection has not proven it is {actor.nick}: "
        "send 'identify TOKEN' to the bot in private (or log in to the network) first."
    )


def require_team(state: EventState, name: str) -> Team:
    team = state.teams.get(team_key(name))
    if team is None:
        raise NotFound(f"Unknown team '#{name[:40]}'. Send '~list' to see the teams.")
    return team


def check_permission(spec: Spec, ctx: Context, cmd: Command) -> None:
    state, actor = ctx.state, ctx.actor
    if spec.permission is Permission.ANYONE or is_organizer(state, actor):
        return
    if spec.permission is Permission.ORGANIZER:
        raise PermissionDenied(
            f"'{spec.name}' needs an organizer; {actor.nick} is not one." + _unproven(state, actor)
        )
    assert cmd.team is not None
    team = require_team(state, cmd.team)
    if state.open_to_everyone or is_chair(state, actor, team.key):
        return
    raise PermissionDenied(
        f"Only a chair of {team.slug} or an organizer can change it; {actor.nick} is neither."
        + _unproven(state, actor)
    )
