"""Who may do what in an event, and the one wording of each refusal.

Pure rules over an event's state and the actor, asked by every layer that decides: the
command registry (each command's declared permission), the needs builders
(``commands.needs``), the planning workflow and undo (``store``). An organizer may do
anything in the event; a chair may change their own team. Roles count by the actor's
nick and its aliases (``Actor.keys``), or by the chat network's trust (``Actor.trust``);
a chat nick nobody has proven (``Actor.proven``) keeps no roles of its own, and a refusal
tells it how to prove it.
"""

from __future__ import annotations

from ptghub.core.errors import NotFound, PermissionDenied
from ptghub.core.model import Actor, EventState, Role, RoleKind, Team, team_key


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


def chairs_any_team(state: EventState, actor: Actor) -> bool:
    """Whether ``actor`` chairs some team of the event (or is trusted as a chair)."""
    return RoleKind.CHAIR in actor.trust or (
        actor.proven
        and any(role.kind is RoleKind.CHAIR and role.nick in actor.keys for role in state.roles)
    )


def may_change_team(state: EventState, actor: Actor, team: str) -> bool:
    """Whether ``actor`` may run the chair's commands on ``team`` (a key): anyone while
    the event is open to everyone, an organizer, a chair of the team. The registry's
    rule for ``Permission.CHAIR`` (``commands.registry.check_permission``), asked by the
    pages that offer those commands."""
    return state.open_to_everyone or is_organizer(state, actor) or is_chair(state, actor, team)


def require_team(state: EventState, name: str) -> Team:
    team = state.teams.get(team_key(name))
    if team is None:
        raise NotFound(f"Unknown team '#{name[:40]}'. Send '~list' to see the teams.")
    return team


def require_organizer(state: EventState, actor: Actor, what: str) -> None:
    """Refuse unless ``actor`` is an organizer; ``what`` names the action as the refusal
    says it: ``'~motd' needs an organizer; bob is not one.``"""
    if not is_organizer(state, actor):
        raise PermissionDenied(
            f"{what} needs an organizer; {actor.nick} is not one." + _unproven(state, actor)
        )


def require_chair(state: EventState, actor: Actor, team: Team, change: str = "change it") -> None:
    """Refuse unless ``actor`` is an organizer or a chair of ``team``; ``change`` names
    the action: ``Only a chair of nova or an organizer can change it; bob is neither.``"""
    if not (is_organizer(state, actor) or is_chair(state, actor, team.key)):
        raise PermissionDenied(
            f"Only a chair of {team.slug} or an organizer can {change}; {actor.nick} is neither."
            + _unproven(state, actor)
        )


def _unproven(state: EventState, actor: Actor) -> str:
    """Why roles did not count, when the nick has some but nobody proved it is theirs."""
    if actor.proven or not any(role.nick in actor.keys for role in state.roles):
        return ""
    return (
        f" {actor.nick} has roles, but this connection has not proven it is {actor.nick}: "
        "send 'identify TOKEN' to the bot in private (or log in to the network) first."
    )


def role_label(state: EventState, role: Role) -> str:
    """A role as people say it: ``organizer``, ``chair of nova``."""
    if role.kind is RoleKind.ORGANIZER:
        return "organizer"
    team = state.teams.get(role.team or "")
    return f"chair of {team.slug if team else role.team}"


def role_labels(state: EventState, keys: frozenset[str]) -> list[str]:
    """The roles held under any of the nick ``keys`` (one person's), organizer first,
    then chairs by team."""
    held = {
        (r.kind is not RoleKind.ORGANIZER, role_label(state, r))
        for r in state.roles
        if r.nick in keys
    }
    return [label for _, label in sorted(held)]
