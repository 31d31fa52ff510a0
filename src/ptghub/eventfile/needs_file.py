"""The needs file: every team's needs and the planning rules of one event, in YAML.

::

    rules:
      max_hours_per_day: 4
      cross_project_days: [Mon]
    teams:
      nova: {hours: 12, avoid: [cinder], joint: {cinder: 1.5}}

Loading reads the file against the event's state (its teams, days and slots) and reports
every problem at once, each with its line (``needs.yaml:7: teams.nova.avoid[0]: unknown
team 'cindr' (known: ...)``), as the event file does. The format is in docs/needs.md.
``export_text`` writes the state back in this format; loading that text gives the same
needs and rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ptghub.core.events import DomainEvent, NeedsChanged, PlanRulesChanged
from ptghub.core.model import EventState, team_key
from ptghub.core.needs import joint_clashes, unknown_team
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.eventfile.loader import EventFileError, Problem, parse_yaml
from ptghub.eventfile.needs_fields import parse_rules, parse_team, rules_fields, team_fields
from ptghub.eventfile.yamlnodes import Loc, duplicate_keys, format_path, line_of

TOP_FIELDS = ("rules", "teams")


class NeedsFileError(EventFileError):
    """A needs file cannot be loaded; the message lists every problem, one per line."""


@dataclass(frozen=True)
class NeedsFile:
    """What a needs file says: the rules, and the needs of each team it lists (by key)."""

    rules: PlanRules
    needs: dict[str, TeamNeeds]

    def events(self, state: EventState) -> list[DomainEvent]:
        """The changes that make ``state`` hold exactly this file's needs and rules."""
        events: list[DomainEvent] = []
        if state.plan_rules != self.rules:
            events.append(PlanRulesChanged(state.plan_rules, self.rules))
        for key in sorted(set(state.needs) | set(self.needs)):
            old, new = state.needs.get(key), self.needs.get(key)
            if old != new:
                events.append(NeedsChanged(key, old, new))
        return events


def read_text(path: Path) -> str:
    """The text of the file at ``path``, or a NeedsFileError saying why it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise NeedsFileError([Problem(str(path), line, "", "the file is not UTF-8 text")]) from None
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        raise NeedsFileError([Problem(str(path), None, "", message)]) from None


def parse_text(text: str, source: str, state: EventState) -> NeedsFile:
    """The needs and rules that YAML ``text`` (from ``source``) states for ``state``'s event."""
    try:
        root, data = parse_yaml(text, source)
    except EventFileError as error:
        raise NeedsFileError(error.problems) from None

    def problem(loc: Loc, message: str) -> Problem:
        return Problem(source, line_of(root, loc), format_path(loc), message)

    problems = [Problem(source, n, format_path(loc), m) for n, loc, m in duplicate_keys(root)]
    if not isinstance(data, dict):
        expected = "expected a mapping with 'rules:' and 'teams:'"
        message = "the file is empty; " + expected if data is None else expected
        raise NeedsFileError([*problems, problem((), message)])
    problems += [
        problem((str(key),), f"unknown field; expected one of {', '.join(TOP_FIELDS)}")
        for key in data
        if key not in TOP_FIELDS
    ]
    rules, found = parse_rules(state, data.get("rules"), ("rules",))
    problems += [problem(loc, message) for loc, message in found]
    needs = _teams(state, data.get("teams"), problems, problem)
    if problems:
        raise NeedsFileError(problems)
    assert rules is not None
    return NeedsFile(rules, needs)


def _teams(
    state: EventState,
    teams: Any,
    problems: list[Problem],
    problem: Callable[[Loc, str], Problem],
) -> dict[str, TeamNeeds]:
    needs: dict[str, TeamNeeds] = {}
    if teams is None:
        return needs
    if not isinstance(teams, dict):
        problems.append(problem(("teams",), "expected a mapping of team: {hours: ...}"))
        return needs
    written: dict[str, str] = {}
    for name, fields in teams.items():
        at: Loc = ("teams", str(name))
        key = team_key(str(name))
        if not isinstance(name, str) or key not in state.teams:
            problems.append(problem(at, unknown_team(state, str(name))))
            continue
        if key in written:
            message = f"team '{name}' is listed twice (also as '{written[key]}'); list it once"
            problems.append(problem(at, message))
            continue
        written[key] = name
        found, found_problems = parse_team(state, name, fields, at)
        problems += [problem(loc, message) for loc, message in found_problems]
        if found is not None:
            needs[key] = found
    for host, (path, message) in joint_clashes(needs):
        guest = next(
            g for g in _fields_of(teams[written[host]], "joint") if team_key(str(g)) == path[1]
        )
        problems.append(problem(("teams", written[host], "joint", str(guest)), message))
    return needs


def _fields_of(fields: Any, name: str) -> dict[Any, Any]:
    found = fields.get(name) if isinstance(fields, dict) else None
    return found if isinstance(found, dict) else {}


def load_file(path: Path, state: EventState) -> NeedsFile:
    return parse_text(read_text(path), str(path), state)


def export_text(state: EventState) -> str:
    """The event's needs and rules as a needs file."""
    assert state.info is not None
    data: dict[str, Any] = {
        "rules": rules_fields(state.plan_rules),
        "teams": {
            state.teams[key].slug: team_fields(state, needs)
            for key, needs in sorted(state.needs.items())
        },
    }
    header = (
        f"# Team needs and planning rules of {state.info.slug} ({state.info.name}).\n"
        "# Load with 'ptghub needs load FILE'; the format is in docs/needs.md.\n"
    )
    body = yaml.safe_dump(data, sort_keys=False, default_flow_style=None, allow_unicode=True)
    return header + body
