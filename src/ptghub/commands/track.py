"""Track commands, ``#TEAM VERB ...``: what a team discusses, its links, its bookings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from ptghub.commands.cells import cell_name, parse_cell
from ptghub.commands.grammar import Command, Scope
from ptghub.commands.registry import Context, Outcome, Permission, command
from ptghub.core.errors import Conflict, InvalidInput, PermissionDenied, Refused
from ptghub.core.events import CellChanged, DomainEvent, TeamChanged, TopicsChanged
from ptghub.core.model import Cell, CellStatus, Team, Topics
from ptghub.core.permissions import is_organizer, require_team
from ptghub.core.validate import (
    MAX_LOCATION,
    MAX_TOPIC,
    check_color,
    check_text,
    check_url,
)

MAX_NEXT = 10


def _team(ctx: Context, cmd: Command) -> Team:
    assert cmd.team is not None
    return require_team(ctx.state, cmd.team)


def _single(cmd: Command, what: str) -> str:
    words = cmd.words
    if len(words) != 1:
        raise InvalidInput(f"'#TEAM {cmd.verb}' takes a single {what}; got {len(words)} words.")
    return words[0]


def _no_args(cmd: Command) -> None:
    if cmd.args:
        raise InvalidInput(f"'#TEAM {cmd.verb}' does not take any parameter.")


def scheduled_today(ctx: Context, team: Team) -> bool:
    assert ctx.state.info is not None
    today = ctx.now.astimezone(ZoneInfo(ctx.state.info.timezone)).date()
    state, key = ctx.state, team.key
    today_slots = [k for k, slot in state.slots.items() if slot.day == today]
    return any(
        (cell := state.cells.get((room, slot))) is not None and cell.team == key
        for slot in today_slots
        for room in state.rooms
    )


def _topic_reply(ctx: Context, team: Team, reply: str) -> str:
    if scheduled_today(ctx, team):
        return reply
    return f"{reply} Note: {team.slug} is not scheduled today."


@command(
    Scope.TRACK,
    "now",
    usage="#TEAM now TOPIC",
    help="Set what the team discusses now. Replaces the current topic and empties 'next'.",
    permission=Permission.CHAIR,
)
def now(ctx: Context, cmd: Command) -> Outcome:
    team = _team(ctx, cmd)
    topic = check_text(cmd.args, what="topic (#TEAM now TOPIC)", limit=MAX_TOPIC)
    old = ctx.state.topics_of(team.key)
    new = Topics(now=topic, next=(), location=old.location)
    reply = _topic_reply(ctx, team, f"OK, {team.slug} now discusses: {topic}")
    return Outcome(reply, (TopicsChanged(team.key, old, new),))


@command(
    Scope.TRACK,
    "next",
    usage="#TEAM next TOPIC",
    help=f"Add a topic coming up next (at most {MAX_NEXT}); a new 'now' empties the list.",
    permission=Permission.CHAIR,
)
def next_(ctx: Context, cmd: Command) -> Outcome:
    team = _team(ctx, cmd)
    topic = check_text(cmd.args, what="topic (#TEAM next TOPIC)", limit=MAX_TOPIC)
    old = ctx.state.topics_of(team.key)
    if len(old.next) >= MAX_NEXT:
        raise Refused(
            f"{team.slug} already has {MAX_NEXT} next topics; set a new 'now' or "
            f"'#{team.slug} clean' first."
        )
    new = replace(old, next=(*old.next, topic))
    reply = _topic_reply(ctx, team, f"OK, {team.slug} next: {topic}")
    return Outcome(reply, (TopicsChanged(team.key, old, new),))


def clean_events(ctx: Context, team: Team) -> tuple[DomainEvent, ...]:
    old = ctx.state.topics_of(team.key)
    return () if old.is_empty() else (TopicsChanged(team.key, old, Topics()),)


def _clean(ctx: Context, cmd: Command) -> Outcome:
    _no_args(cmd)
    team = _team(ctx, cmd)
    events = clean_events(ctx, team)
    if not events:
        return Outcome(f"{team.slug} had no now, next or location to clean.")
    return Outcome(f"OK, cleaned now, next and location of {team.slug}.", events)


# Two names for one command, as on the old bot: neither does more than the other.
_CLEAN_HELP = {
    "clean": "Remove the team's now and next topics and its location override. "
    "'#TEAM clear' is the same command; '~clean TEAM ...' does it for organizers.",
    "clear": "The same command as '#TEAM clean', under the old bot's other name: removes "
    "the team's now and next topics and its location override.",
}
for _verb, _help in _CLEAN_HELP.items():
    command(
        Scope.TRACK,
        _verb,
        usage=f"#TEAM {_verb}",
        help=_help,
        permission=Permission.CHAIR,
    )(_clean)


def _change_team(team: Team, reply: str, **changes: Any) -> Outcome:
    new = replace(team, **changes)
    if new == team:
        return Outcome(f"{reply} (unchanged)")
    return Outcome(reply, (TeamChanged(team, new),))


@command(
    Scope.TRACK,
    "etherpad",
    usage="#TEAM etherpad URL|auto",
    help="Set the team's etherpad URL; 'auto' goes back to the generated one.",
    permission=Permission.CHAIR,
)
def etherpad(ctx: Context, cmd: Command) -> Outcome:
    team = _team(ctx, cmd)
    value = _single(cmd, "URL parameter")
    if value.lower() == "auto":
        pad = ctx.state.etherpad_url(replace(team, etherpad=None))
        return _change_team(team, f"OK, {team.slug} etherpad is {pad}", etherpad=None)
    url = check_url(value, what="etherpad URL")
    return _change_team(team, f"OK, {team.slug} etherpad is {url}", etherpad=url)


@command(
    Scope.TRACK,
    "url",
    usage="#TEAM url URL|none",
    help="Set the team's video URL, overriding its room's; 'none' removes the override.",
    permission=Permission.CHAIR,
)
def url(ctx: Context, cmd: Command) -> Outcome:
    team = _team(ctx, cmd)
    value = _single(cmd, "URL parameter")
    if value.lower() == "none":
        return _change_team(team, f"OK, {team.slug} uses its room's video URL", video_url=None)
    link = check_url(value, what="video URL")
    return _change_team(team, f"OK, {team.slug} video URL is {link}", video_url=link)


@command(
    Scope.TRACK,
    "color",
    usage="#TEAM color CSS_COLOR",
    help="Set the background colour of the team's badge (a CSS colour: red, #42f4c5, ...).",
    permission=Permission.CHAIR,
)
def color(ctx: Context, cmd: Command) -> Outcome:
    team = _team(ctx, cmd)
    value = check_color(cmd.args) if cmd.args else _single(cmd, "colour parameter")
    return _change_team(team, f"OK, {team.slug} colour is {value}", color=value)


@command(
    Scope.TRACK,
    "location",
    usage="#TEAM location TEXT",
    help="Say where the team meets, overriding the room from the schedule.",
    permission=Permission.CHAIR,
)
def location(ctx: Context, cmd: Command) -> Outcome:
    team = _team(ctx, cmd)
    where = check_text(cmd.args, what="location (#TEAM location TEXT)", limit=MAX_LOCATION)
    old = ctx.state.topics_of(team.key)
    new = replace(old, location=where)
    if new == old:
        return Outcome(f"OK, {team.slug} is in {where} (unchanged)")
    return Outcome(f"OK, {team.slug} is in {where}", (TopicsChanged(team.key, old, new),))


@command(
    Scope.TRACK,
    "book",
    usage="#TEAM book ROOM-SLOT",
    help="Book a free cell of a bookable room for the team, e.g. '#nova book Austin-Mon-13h'.",
    permission=Permission.CHAIR,
)
def book(ctx: Context, cmd: Command) -> Outcome:
    team = _team(ctx, cmd)
    room, slot = parse_cell(ctx.state, cmd.args)
    name = cell_name(ctx.state, room, slot)
    cell = ctx.state.cell(room, slot)
    if cell.status is CellStatus.UNAVAILABLE:
        raise Conflict(f"{name} is not available for booking.")
    if cell.team is not None:
        holder = ctx.state.teams[cell.team].slug
        raise Conflict(f"{name} is already {cell.status.value} for {holder}.")
    if not ctx.state.rooms[room].bookable:
        raise Conflict(f"{ctx.state.rooms[room].name} is not open for booking; ask an organizer.")
    event = CellChanged(room, slot, cell, Cell(CellStatus.BOOKED, team.key))
    return Outcome(f"OK, {name} is now booked for {team.slug}.", (event,))


@command(
    Scope.TRACK,
    "unbook",
    usage="#TEAM unbook ROOM-SLOT",
    help="Free a cell booked for the team. Cells the organizers planned can be freed by an "
    "organizer only.",
    permission=Permission.CHAIR,
)
def unbook(ctx: Context, cmd: Command) -> Outcome:
    team = _team(ctx, cmd)
    room, slot = parse_cell(ctx.state, cmd.args)
    name = cell_name(ctx.state, room, slot)
    cell = ctx.state.cell(room, slot)
    if cell.team != team.key:
        raise Conflict(f"{name} is not booked for {team.slug}.")
    if cell.status is CellStatus.PLANNED and not is_organizer(ctx.state, ctx.actor):
        raise PermissionDenied(
            f"{name} was planned for {team.slug} by the organizers; ask one of them to free it."
        )
    event = CellChanged(room, slot, cell, Cell(CellStatus.FREE))
    return Outcome(
        f"OK, {name} (previously {cell.status.value} for {team.slug}) is now free.", (event,)
    )
