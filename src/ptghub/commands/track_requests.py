"""Track requests ("my team is not on the list"): what a request holds, its checks, and
the one audited change that approves it.

A request names a team (its display name; the slug people type after '#' is made from it),
a kind, contacts, a purpose, the hours wanted, whether the team wants an onboarding
session, and the days it prefers. ``check_proposal`` checks all of it against the event
and reports every problem at once, each with the form field it is about. ``approve`` is a
``Store.change`` builder: under the write claim it checks again (another team may have
taken the name meanwhile) and returns ``TeamAdded``, the requester's ``RoleGranted``
(chair of the new team) and the team's ``NeedsChanged``, so that the audit log shows one
entry and undoing it removes the team, the role and the needs together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ptghub.core.apply import apply_all
from ptghub.core.errors import Conflict, InvalidInput
from ptghub.core.events import DomainEvent, NeedsChanged, RoleGranted, TeamAdded
from ptghub.core.model import Actor, EventState, Role, RoleKind, Team, TeamKind, nick_key, team_key
from ptghub.core.needs import day_minutes, day_name, event_minutes, hours, needs_problems
from ptghub.core.permissions import require_organizer
from ptghub.core.team_needs import TeamNeeds
from ptghub.core.validate import MAX_NAME, check_nick, shorten
from ptghub.core.verbs import USER_VERBS

Build = Callable[[EventState, Actor], Sequence[DomainEvent]]

# The kinds a request offers, as stored (track_requests.kind), and the team kind each makes.
KINDS: Mapping[str, TeamKind] = {
    "project": TeamKind.PROJECT_TEAM,
    "sig": TeamKind.SIG,
    "working-group": TeamKind.WORKING_GROUP,
    "pop-up": TeamKind.POPUP_TEAM,
}
KIND_LABELS: Mapping[str, str] = {
    "project": "Project team",
    "sig": "Special interest group (SIG)",
    "working-group": "Working group",
    "pop-up": "Pop-up team",
}
MAX_CONTACTS = 500
MAX_PURPOSE = 500  # it becomes the team's description (the event file's limit)
MAX_SLUG = 40
_NOT_SLUG = re.compile(r"[^a-z0-9_.-]+")

Problem = tuple[str, str]  # (form field, message)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A checked request: what the team would be."""

    team_name: str
    kind: str  # a key of KINDS
    contacts: str
    purpose: str
    hours: int
    onboarding: bool
    preferred_days: tuple[date, ...]

    @property
    def slug(self) -> str:
        return team_slug(self.team_name)


def team_slug(name: str) -> str:
    """The slug made from a team's name: lower case, each run of other characters one '-'
    ("First Contact SIG" is first-contact-sig); "" when nothing usable is left."""
    slug = _NOT_SLUG.sub("-", name.casefold()).strip("-._")
    return slug[:MAX_SLUG].rstrip("-._")


def _text(problems: list[Problem], field: str, value: str, what: str, limit: int) -> str:
    text = value.strip()
    if not text:
        problems.append((field, f"Missing {what}: please fill it in."))
    elif len(text) > limit:
        problems.append(
            (field, f"The {what} is {len(text)} characters long; at most {limit} are allowed.")
        )
    elif any(not (c.isprintable() or c in "\r\n\t") for c in text):
        problems.append((field, f"The {what} contains a non-printable character; use text."))
    return text


def name_problems(state: EventState, name: str) -> list[Problem]:
    """Why ``name`` cannot be a new team of ``state`` (empty when it can)."""
    slug = team_slug(name)
    if not slug or not slug[0].isalnum():
        return [
            (
                "team_name",
                f"'{shorten(name)}' gives no usable team slug: a team name needs letters or "
                "digits (a-z, 0-9), for example 'Eventlet Removal'.",
            )
        ]
    if slug in USER_VERBS:
        reserved = ", ".join(sorted(USER_VERBS))
        return [
            (
                "team_name",
                f"'{slug}' cannot be a team name: '#{slug}' is a user command "
                f"(reserved: {reserved}).",
            )
        ]
    for team in state.teams.values():
        if team.key == team_key(slug) or team.name.casefold() == name.casefold():
            return [
                (
                    "team_name",
                    f"There is already a team '{team.name}' (#{team.slug}) at this event; "
                    "choose another name, or ask its chairs for time in their track.",
                )
            ]
    return []


def check_proposal(state: EventState, fields: Mapping[str, str | list[str]]) -> Proposal:
    """The request the form's ``fields`` make, checked against ``state``; InvalidInput
    listing every problem (one line each, ``field: message``) otherwise."""
    problems = proposal_problems(state, fields)
    if problems:
        raise InvalidInput("\n".join(message for _, message in problems))
    return _proposal(fields)


def _one(fields: Mapping[str, str | list[str]], name: str) -> str:
    value = fields.get(name, "")
    return value if isinstance(value, str) else (value[0] if value else "")


def _days(fields: Mapping[str, str | list[str]]) -> list[str]:
    value = fields.get("days", [])
    return [value] if isinstance(value, str) else list(value)


def _proposal(fields: Mapping[str, str | list[str]]) -> Proposal:
    return Proposal(
        team_name=_one(fields, "team_name").strip(),
        kind=_one(fields, "kind"),
        contacts=_one(fields, "contacts").strip(),
        purpose=_one(fields, "purpose").strip(),
        hours=int(_one(fields, "hours").strip()),
        onboarding=_one(fields, "onboarding") in ("yes", "on", "true"),
        preferred_days=tuple(sorted({date.fromisoformat(d) for d in _days(fields)})),
    )


def proposal_problems(state: EventState, fields: Mapping[str, str | list[str]]) -> list[Problem]:
    """Every problem of the form's ``fields`` as (field, message), in the form's order."""
    problems: list[Problem] = []
    name = _text(problems, "team_name", _one(fields, "team_name"), "team name", MAX_NAME)
    if name and not problems:
        problems += name_problems(state, name)
    kind = _one(fields, "kind")
    if kind not in KINDS:
        problems.append(
            (
                "kind",
                f"'{shorten(kind)}' is not a kind of team; choose one of "
                + ", ".join(KIND_LABELS.values())
                + ".",
            )
            if kind
            else ("kind", "Missing kind of team: choose one.")
        )
    _text(problems, "contacts", _one(fields, "contacts"), "contacts", MAX_CONTACTS)
    _text(problems, "purpose", _one(fields, "purpose"), "purpose", MAX_PURPOSE)
    problems += _hours_problems(state, _one(fields, "hours").strip())
    problems += _day_problems(state, _days(fields))
    return problems


def _hours_problems(state: EventState, text: str) -> list[Problem]:
    most = event_minutes(state) // 60
    if not text:
        return [("hours", f"Missing hours wanted: give a whole number from 1 to {most}.")]
    if not text.isdecimal() or not 1 <= int(text) <= most:
        return [
            (
                "hours",
                f"'{shorten(text, 10)}' hours: give a whole number from 1 to {most} "
                f"(the event has {hours(event_minutes(state))} in all its slots).",
            )
        ]
    return []


def _day_problems(state: EventState, days: list[str]) -> list[Problem]:
    known = day_minutes(state)
    listed = ", ".join(day_name(d) for d in known) or "none"
    for day in days:
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            parsed = None
        if parsed is None or parsed not in known:
            return [("days", f"'{shorten(day, 20)}' is not a day of the event ({listed}).")]
    return []


def approve(proposal: Proposal, chair: str) -> Build:
    """Create the requested team with ``chair`` (a web nick) as its chair and its needs
    set from the request: one change. Organizers only."""

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        require_organizer(state, actor, "Approving a track request")
        problems = name_problems(state, proposal.team_name)
        if problems:
            raise Conflict(problems[0][1])
        nick = check_nick(chair)
        slug = proposal.slug
        team = Team(
            slug=slug,
            name=proposal.team_name,
            kind=KINDS[proposal.kind],
            onboarding=proposal.onboarding,
            description=proposal.purpose,
        )
        needs = TeamNeeds(
            team=team.key,
            minutes=proposal.hours * 60,
            preferred_days=frozenset(proposal.preferred_days),
            onboarding=proposal.onboarding,
        )
        wrong = needs_problems(apply_all(state, [TeamAdded(team)]), needs)
        if wrong:
            # The grid shrank since the request was made: the organizers must say so.
            raise Conflict(
                f"The request's needs no longer fit the event: {wrong[0][1]}; ask the "
                "requester for changes."
            )
        return [
            TeamAdded(team),
            RoleGranted(Role(nick_key(nick), RoleKind.CHAIR, team.key)),
            NeedsChanged(team.key, None, needs),
        ]

    return build
