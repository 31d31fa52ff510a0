"""Admin commands, ``~VERB ...``: the team list, messages of the day, resets, roles.

``~del`` refuses a team that still holds cells in the schedule (planned or booked): a
deletion must not silently take a room from a team, so its cells are unbooked first.
``~emptydb`` removes every team (with its needs, pins and topics' outcomes), topic,
message, presence and subscription (rooms, slots, planning rules and organizers stay) in
one audited change; undoing that change restores all of it.
"""

from __future__ import annotations

from ptghub.commands.cells import cell_name
from ptghub.commands.grammar import Command, Scope
from ptghub.commands.registry import Context, Outcome, Permission, command
from ptghub.commands.track import clean_events, outcome_removals
from ptghub.core.errors import Conflict, InvalidInput
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    MotdChanged,
    OpenToEveryoneChanged,
    PresenceChanged,
    RoleGranted,
    RoleRevoked,
    SubscriptionChanged,
    TeamAdded,
    TeamRemoved,
)
from ptghub.core.model import (
    FREE,
    Motd,
    MotdLevel,
    Role,
    RoleKind,
    Team,
    nick_key,
    team_key,
)
from ptghub.core.needs import removal_events
from ptghub.core.permissions import require_team
from ptghub.core.validate import MAX_MOTD, check_nick, check_slug, check_text
from ptghub.core.verbs import USER_VERBS

_LEVELS = ", ".join(level.value for level in MotdLevel)


def _teams(ctx: Context, cmd: Command) -> list[Team]:
    if not cmd.words:
        raise InvalidInput(f"'~{cmd.verb}' takes one or more team names.")
    teams = [require_team(ctx.state, word.removeprefix("#")) for word in cmd.words]
    return list({team.key: team for team in teams}.values())


@command(
    Scope.ADMIN,
    "list",
    usage="~list",
    help="List the teams.",
    permission=Permission.ANYONE,
)
def list_teams(ctx: Context, cmd: Command) -> Outcome:
    if not ctx.state.teams:
        return Outcome("There are no teams defined yet.")
    return Outcome("Available tracks: " + " ".join(t.slug for t in ctx.state.teams.values()))


@command(
    Scope.ADMIN,
    "add",
    usage="~add TEAM [TEAM ...]",
    help="Add teams (tracks) by name: the slug is the name in lower case ('~add Nova' adds "
    "nova, shown as Nova).",
    permission=Permission.ORGANIZER,
)
def add(ctx: Context, cmd: Command) -> Outcome:
    if not cmd.words:
        raise InvalidInput("'~add' takes one or more team names.")
    slugs = [check_slug(word) for word in cmd.words]
    seen: set[str] = set()
    for slug in slugs:
        if slug.casefold() in USER_VERBS:
            raise InvalidInput(f"'{slug}' is a user command and cannot be a team name.")
        if team_key(slug) in ctx.state.teams or team_key(slug) in seen:
            raise Conflict(f"Team '{slug}' already exists.")
        seen.add(team_key(slug))
    # The slug is what people type after '#', lower-case as in the event files; the
    # name keeps the case it was written in, for the pages.
    teams = [Team(slug=team_key(slug), name=slug) for slug in slugs]
    added = " ".join(t.slug if t.slug == t.name else f"{t.slug} ({t.name})" for t in teams)
    return Outcome(f"OK, added {added}", tuple(TeamAdded(team) for team in teams))


@command(
    Scope.ADMIN,
    "del",
    usage="~del TEAM [TEAM ...]",
    help="Delete teams. Refused while a team holds cells in the schedule: unbook them first.",
    permission=Permission.ORGANIZER,
)
def delete(ctx: Context, cmd: Command) -> Outcome:
    teams = _teams(ctx, cmd)
    # Their needs and pins go in the same change, and so do other teams' clashes with them.
    events = removal_events(ctx.state, {team.key for team in teams})
    for team in teams:
        cells = ctx.state.team_cells(team.key)
        if cells:
            names = ", ".join(cell_name(ctx.state, r, s) for r, s in cells[:5])
            more = f" and {len(cells) - 5} more" if len(cells) > 5 else ""
            raise Conflict(
                f"{team.slug} holds {len(cells)} cell(s) in the schedule ({names}{more}); "
                f"free them first ('#{team.slug} unbook ROOM-SLOT') before deleting the team."
            )
        events += _team_removal(ctx, team)
    return Outcome("OK, deleted " + " ".join(t.slug for t in teams), tuple(events))


def _team_removal(ctx: Context, team: Team) -> list[DomainEvent]:
    events: list[DomainEvent] = list(clean_events(ctx, team))
    events += outcome_removals(ctx.state, team.key)
    chairs = sorted(role for role in ctx.state.roles if role.team == team.key)
    events += [RoleRevoked(role) for role in chairs]
    events.append(TeamRemoved(team))
    return events


@command(
    Scope.ADMIN,
    "clean",
    usage="~clean TEAM [TEAM ...]",
    help="Remove the now, next and location of the given teams.",
    permission=Permission.ORGANIZER,
)
def clean(ctx: Context, cmd: Command) -> Outcome:
    teams = _teams(ctx, cmd)
    events = tuple(event for team in teams for event in clean_events(ctx, team))
    return Outcome("OK, cleaned " + " ".join(t.slug for t in teams), events)


@command(
    Scope.ADMIN,
    "newday",
    usage="~newday",
    help="Start a new day: remove every now, next, location and check-in.",
    permission=Permission.ORGANIZER,
)
def newday(ctx: Context, cmd: Command) -> Outcome:
    events: list[DomainEvent] = [
        event for team in ctx.state.teams.values() for event in clean_events(ctx, team)
    ]
    events += [PresenceChanged(k, p, None) for k, p in ctx.state.presence.items()]
    return Outcome("OK, a new day: topics, locations and check-ins are cleared.", tuple(events))


@command(
    Scope.ADMIN,
    "emptydb",
    usage="~emptydb",
    help="Remove all teams (with their planner needs, pins and topics' outcomes), bookings, "
    "topics, messages, check-ins and subscriptions (rooms, slots and organizers stay). "
    "Undo restores everything.",
    permission=Permission.ORGANIZER,
)
def emptydb(ctx: Context, cmd: Command) -> Outcome:
    state = ctx.state
    events: list[DomainEvent] = [
        CellChanged(room, slot, cell, FREE)
        for (room, slot), cell in state.cells.items()
        if cell.team is not None
    ]
    events += removal_events(state, set(state.teams))
    for team in state.teams.values():
        events += _team_removal(ctx, team)
    if state.motd:
        events.append(MotdChanged(state.motd, ()))
    events += [PresenceChanged(k, p, None) for k, p in state.presence.items()]
    events += [SubscriptionChanged(k, s, None) for k, s in state.subscriptions.items()]
    return Outcome(
        f"OK, emptied: {len(state.teams)} teams and their bookings, topics, messages, "
        "check-ins and subscriptions removed. Undo this change to restore them.",
        tuple(events),
    )


@command(
    Scope.ADMIN,
    "motd",
    usage="~motd add LEVEL TEXT | del N | clean | reorder X Y ...",
    help=f"Manage the messages of the day shown on the board (LEVEL: {_LEVELS}).",
    permission=Permission.ORGANIZER,
)
def motd(ctx: Context, cmd: Command) -> Outcome:
    words = cmd.words
    if not words:
        raise InvalidInput("Missing subcommand: expected '~motd add|del|clean|reorder ...'.")
    sub, old = words[0].lower(), ctx.state.motd
    if sub == "add":
        if len(words) < 3:
            raise InvalidInput("Missing parameters: expected '~motd add LEVEL TEXT'.")
        if words[1].lower() not in {level.value for level in MotdLevel}:
            raise InvalidInput(f"Unknown level '{words[1][:20]}': expected one of {_LEVELS}.")
        text = cmd.args.split(None, 2)[2]
        item = Motd(MotdLevel(words[1].lower()), check_text(text, what="message", limit=MAX_MOTD))
        return Outcome("OK, message added.", (MotdChanged(old, (*old, item)),))
    if sub == "del":
        if len(words) != 2:
            raise InvalidInput("Expected '~motd del N' with one message number.")
        index = _message_number(words[1], old)
        return Outcome(
            f"OK, message {index + 1} deleted.",
            (MotdChanged(old, old[:index] + old[index + 1 :]),),
        )
    if sub == "clean":
        if len(words) != 1:
            raise InvalidInput("'~motd clean' does not take any parameter.")
        return Outcome("OK, messages cleared.", (MotdChanged(old, ()),) if old else ())
    if sub == "reorder":
        if len(words) < 2:
            raise InvalidInput("Missing message numbers: expected '~motd reorder X Y ...'.")
        order = [_message_number(word, old) for word in words[1:]]
        duplicates = sorted({n + 1 for n in order if order.count(n) > 1})
        if duplicates:
            raise InvalidInput(
                f"Message {duplicates[0]} is listed twice; list each message at most once."
            )
        new = tuple(old[n] for n in order)
        # As in the old bot, messages left out of the new order are removed: say so.
        dropped = [str(n + 1) for n in range(len(old)) if n not in order]
        reply = "OK, messages reordered." + (
            f" Removed message(s) not listed: {', '.join(dropped)}." if dropped else ""
        )
        return Outcome(reply, (MotdChanged(old, new),) if new != old else ())
    raise InvalidInput(f"Unknown subcommand '{sub[:20]}': expected add, del, clean or reorder.")


def _message_number(word: str, messages: tuple[Motd, ...]) -> int:
    if not word.isdecimal() or not 1 <= int(word) <= len(messages):
        raise InvalidInput(
            f"Incorrect message number '{word[:10]}': expected 1 to {len(messages)}."
            if messages
            else "There are no messages of the day."
        )
    return int(word) - 1


def _set_open(ctx: Context, value: bool) -> Outcome:
    events = (
        ()
        if ctx.state.open_to_everyone == value
        else (OpenToEveryoneChanged(ctx.state.open_to_everyone, value),)
    )
    who = "anyone" if value else "only team chairs and organizers"
    return Outcome(f"OK, {who} can now change teams.", events)


@command(
    Scope.ADMIN,
    "requirevoice",
    usage="~requirevoice",
    help="Only chairs of a team (and organizers) may change it: the default for new events.",
    permission=Permission.ORGANIZER,
)
def requirevoice(ctx: Context, cmd: Command) -> Outcome:
    return _set_open(ctx, False)


@command(
    Scope.ADMIN,
    "alloweveryone",
    usage="~alloweveryone",
    help="Anyone may change any team (the old bot's default; new events start closed).",
    permission=Permission.ORGANIZER,
)
def alloweveryone(ctx: Context, cmd: Command) -> Outcome:
    return _set_open(ctx, True)


@command(
    Scope.ADMIN,
    "role",
    usage="~role grant|revoke NICK organizer | ~role grant|revoke NICK chair TEAM",
    help="Give or take a person's role: organizer of the event, or chair of a team.",
    permission=Permission.ORGANIZER,
)
def role(ctx: Context, cmd: Command) -> Outcome:
    words = cmd.words
    usage = "expected '~role grant|revoke NICK organizer' or '~role grant|revoke NICK chair TEAM'"
    if len(words) < 3 or words[0].lower() not in ("grant", "revoke"):
        raise InvalidInput(f"Wrong arguments: {usage}.")
    action, nick, kind = words[0].lower(), check_nick(words[1]), words[2].lower()
    if kind == "organizer" and len(words) == 3:
        wanted = Role(nick_key(nick), RoleKind.ORGANIZER)
        label = "organizer"
    elif kind == "chair" and len(words) == 4:
        team = require_team(ctx.state, words[3].removeprefix("#"))
        wanted = Role(nick_key(nick), RoleKind.CHAIR, team.key)
        label = f"chair of {team.slug}"
    else:
        raise InvalidInput(f"Wrong arguments: {usage}.")
    has = wanted in ctx.state.roles
    if action == "grant":
        if has:
            return Outcome(f"{nick} is already {label}.")
        return Outcome(f"OK, {nick} is now {label}.", (RoleGranted(wanted),))
    if not has:
        return Outcome(f"{nick} is not {label}.")
    return Outcome(f"OK, {nick} is no longer {label}.", (RoleRevoked(wanted),))
