"""Track commands, ``#TEAM VERB ...``: what a team discusses, its links, its bookings, the
written outcomes of its topics."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from ptghub.commands.cells import cell_name, parse_cell
from ptghub.commands.grammar import Command, Scope
from ptghub.commands.registry import Context, Outcome, Permission, command
from ptghub.core.errors import Conflict, InvalidInput, PermissionDenied, Refused
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    OutcomeChanged,
    TeamChanged,
    TopicsChanged,
)
from ptghub.core.model import Cell, CellStatus, EventState, Team, Topics
from ptghub.core.permissions import is_organizer, require_team
from ptghub.core.validate import (
    MAX_LOCATION,
    MAX_OUTCOME,
    MAX_TOPIC,
    check_color,
    check_text,
    check_url,
    shorten,
)

MAX_NEXT = 10
MAX_TOPIC_NUMBER = 999
_TOPIC_NUMBER = re.compile(r"[0-9]{1,3}")


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
    "recording",
    usage="#TEAM recording URL|none",
    help="Set where the team's recordings are (one http(s) link, listed in its recap); "
    "'none' removes it.",
    permission=Permission.CHAIR,
)
def recording(ctx: Context, cmd: Command) -> Outcome:
    team = _team(ctx, cmd)
    value = _single(cmd, "URL parameter")
    if value.lower() == "none":
        return _change_team(team, f"OK, {team.slug} has no recordings link", recording=None)
    link = check_url(value, what="recordings URL")
    return _change_team(team, f"OK, {team.slug} recordings are at {link}", recording=link)


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


def outcome_removals(state: EventState, team: str) -> list[DomainEvent]:
    """The events that remove every written outcome of a team (a key): before the team
    itself goes, so that undoing its removal brings them back."""
    return [
        OutcomeChanged(team, number, text, None) for number, text in state.outcomes_of(team).items()
    ]


@command(
    Scope.TRACK,
    "outcome",
    usage="#TEAM outcome N TEXT|none",
    help="Write the outcome of the team's topic number N (as its recap numbers them, from 1 "
    f"in the order discussed), at most {MAX_OUTCOME} characters; 'none' removes it.",
    permission=Permission.CHAIR,
)
def outcome(ctx: Context, cmd: Command) -> Outcome:
    team = _team(ctx, cmd)
    form = f"'#{team.slug} outcome N TEXT', such as '#{team.slug} outcome 3 We agreed to ...'"
    number_word, _, text = cmd.args.partition(" ")
    if not number_word:
        raise InvalidInput(
            f"Missing the topic's number and its outcome: expected {form}: N is the topic's "
            f"number in the team's recap, 1 to {MAX_TOPIC_NUMBER} ('none' as TEXT removes it)."
        )
    if not _TOPIC_NUMBER.fullmatch(number_word) or not 1 <= int(number_word) <= MAX_TOPIC_NUMBER:
        raise InvalidInput(
            f"'{shorten(number_word, 10)}' is not a topic number: expected {form}: N is the "
            f"topic's number in the team's recap, 1 to {MAX_TOPIC_NUMBER}."
        )
    number = int(number_word)
    if not text.strip():
        raise InvalidInput(
            f"Missing the outcome of topic {number}: expected '#{team.slug} outcome {number} "
            f"TEXT', or '#{team.slug} outcome {number} none' to remove it."
        )
    old = ctx.state.outcomes.get((team.key, number))
    if text.strip().lower() == "none":
        if old is None:
            return Outcome(f"{team.slug} has no outcome of topic {number} to remove.")
        reply = f"Outcome of topic {number} removed for {team.slug}."
        return Outcome(reply, (OutcomeChanged(team.key, number, old, None),))
    new = check_text(text, what="outcome (#TEAM outcome N TEXT)", limit=MAX_OUTCOME)
    reply = f"Outcome of topic {number} recorded for {team.slug}."
    if new == old:
        return Outcome(f"{reply[:-1]} (unchanged).")
    return Outcome(reply, (OutcomeChanged(team.key, number, old, new),))
