"""Changes of needs and rules, as ``Store.change`` builders shared by the CLI and the API.

Each builder is pure: it sees the state under the write claim and the actor (with their
other nicks), checks the permission, parses the input against that very state and returns
the domain events, or raises a PtgError and nothing changes. Who may do what: the needs
file and the planning rules belong to the organizers; a team's needs to its chairs and
the organizers (whether or not the event lets anyone change teams: needs shape the
whole schedule, not one team's topics).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ptghub.core.errors import InvalidInput
from ptghub.core.events import DomainEvent, NeedsChanged, PlanRulesChanged
from ptghub.core.model import Actor, EventState
from ptghub.core.needs import joint_clashes
from ptghub.core.permissions import require_chair, require_organizer, require_team
from ptghub.eventfile.needs_fields import parse_rules, parse_team, problem_text, rules_fields
from ptghub.eventfile.needs_file import parse_text

Build = Callable[[EventState, Actor], Sequence[DomainEvent]]


def _chair(state: EventState, actor: Actor, name: str) -> str:
    team = require_team(state, name)
    require_chair(state, actor, team, "change its needs")
    return team.key


def load_text(text: str, source: str) -> Build:
    """Replace every team's needs and the rules with those of a needs file."""

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        require_organizer(state, actor, "Loading a needs file")
        return parse_text(text, source, state).events(state)

    return build


def set_team(name: str, fields: Mapping[str, Any]) -> Build:
    """Replace one team's needs with ``fields`` (as in the needs file)."""

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        key = _chair(state, actor, name)
        needs, problems = parse_team(state, key, dict(fields))
        if needs is None:
            raise InvalidInput(
                f"The needs of {state.teams[key].slug} are wrong:\n" + problem_text(problems)
            )
        clashes = [
            f"{host}: {path[0]}.{path[1]}: {message}"
            for host, (path, message) in joint_clashes({**state.needs, key: needs})
            if key in (host, path[1])
        ]
        if clashes:
            raise InvalidInput(
                f"The needs of {state.teams[key].slug} clash:\n" + "\n".join(clashes)
            )
        old = state.needs.get(key)
        return [] if old == needs else [NeedsChanged(key, old, needs)]

    return build


def clear_team(name: str) -> Build:
    """Remove one team's needs: the planner leaves the team out."""

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        key = _chair(state, actor, name)
        old = state.needs.get(key)
        return [] if old is None else [NeedsChanged(key, old, None)]

    return build


def set_rules(fields: Mapping[str, Any], *, merge: bool = False) -> Build:
    """Replace the planning rules with ``fields``; with ``merge``, change only those given."""

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        require_organizer(state, actor, "Changing the planning rules")
        given = {**rules_fields(state.plan_rules, as_json=True), **fields} if merge else fields
        rules, problems = parse_rules(state, dict(given))
        if rules is None:
            raise InvalidInput("The planning rules are wrong:\n" + problem_text(problems))
        return [] if rules == state.plan_rules else [PlanRulesChanged(state.plan_rules, rules)]

    return build
