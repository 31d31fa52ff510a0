"""User commands, bare in private or ``+VERB``/``#VERB`` in a channel: anyone may use them."""

from __future__ import annotations

from datetime import datetime

from ptghub.commands.grammar import Command, Scope
from ptghub.commands.registry import Context, Outcome, Permission, command
from ptghub.core.errors import InvalidInput, Refused
from ptghub.core.events import PresenceChanged, SubscriptionChanged
from ptghub.core.model import Presence, Subscription, nick_key
from ptghub.core.patterns import compile_pattern
from ptghub.core.permissions import require_team
from ptghub.core.validate import MAX_LOCATION, check_nick, check_text


def _when(moment: datetime) -> str:
    return moment.strftime("%a %H:%M UTC")


@command(
    Scope.USER,
    "in",
    usage="in #TEAM|LOCATION",
    help="Check in to a team's room or any place, so that people can find you.",
    permission=Permission.ANYONE,
)
def check_in(ctx: Context, cmd: Command) -> Outcome:
    where = check_text(cmd.args, what="location (in #TEAM|LOCATION)", limit=MAX_LOCATION)
    if where.startswith("#"):
        where = "#" + require_team(ctx.state, where[1:]).slug
    old = ctx.state.presence.get(ctx.actor.key)
    new = Presence(ctx.actor.nick, where, ctx.now)
    event = PresenceChanged(ctx.actor.key, old, new)
    return Outcome(f"OK, checked into {where} - thanks for the update!", (event,))


@command(
    Scope.USER,
    "out",
    usage="out",
    help="Check out of where you checked in; people still see where you were.",
    permission=Permission.ANYONE,
)
def check_out(ctx: Context, cmd: Command) -> Outcome:
    if cmd.args:
        raise InvalidInput("The 'out' command does not take any parameter.")
    old = ctx.state.presence.get(ctx.actor.key)
    if old is None:
        raise Refused("You weren't checked in anywhere yet!")
    if old.checked_out is not None:
        when = _when(old.checked_out)
        raise Refused(f"You already checked out of {old.location} at {when}!")
    new = Presence(old.nick, old.location, old.checked_in, ctx.now)
    event = PresenceChanged(ctx.actor.key, old, new)
    return Outcome(f"OK, checked out of {old.location} - thanks for the update!", (event,))


@command(
    Scope.USER,
    "seen",
    usage="seen NICK",
    help="Tell where a person last checked in (nicks are case-insensitive).",
    permission=Permission.ANYONE,
)
def seen(ctx: Context, cmd: Command) -> Outcome:
    words = cmd.words
    if len(words) != 1:
        raise InvalidInput("The 'seen' command needs a single nick.")
    nick = check_nick(words[0])
    presence = ctx.state.presence.get(nick_key(nick))
    if presence is None:
        return Outcome(f"{nick} never checked in anywhere.")
    if presence.checked_out is None:
        when = _when(presence.checked_in)
        return Outcome(f"{presence.nick} was last seen in {presence.location} at {when}.")
    when = _when(presence.checked_out)
    return Outcome(f"{presence.nick} checked out of {presence.location} at {when}.")


@command(
    Scope.USER,
    "subscribe",
    usage="subscribe [REGEX]",
    help="Get a private notice whenever a 'now' or 'next' matches REGEX, tested "
    "case-insensitively against '#team now topic'. One subscription per nick: a new "
    "REGEX replaces yours (combine several with '|'). Without REGEX, show yours.",
    permission=Permission.ANYONE,
)
def subscribe(ctx: Context, cmd: Command) -> Outcome:
    old = ctx.state.subscriptions.get(ctx.actor.key)
    if not cmd.args:
        if old is None:
            return Outcome("You don't have a subscription regex set yet.")
        return Outcome(f"Your current subscription regex is: {old.pattern}")
    compile_pattern(cmd.args)
    new = Subscription(ctx.actor.nick, cmd.args)
    event = SubscriptionChanged(ctx.actor.key, old, new)
    if old is None:
        return Outcome(f"Subscription set to {cmd.args} (previously none).", (event,))
    return Outcome(
        f"Subscription set to {cmd.args}; it replaces your previous one, {old.pattern} "
        "(one per nick: combine patterns with '|').",
        (event,),
    )


@command(
    Scope.USER,
    "unsubscribe",
    usage="unsubscribe",
    help="Cancel your subscription.",
    permission=Permission.ANYONE,
)
def unsubscribe(ctx: Context, cmd: Command) -> Outcome:
    if cmd.args:
        raise InvalidInput("The 'unsubscribe' command does not take any parameter.")
    old = ctx.state.subscriptions.get(ctx.actor.key)
    if old is None:
        return Outcome("You don't have a subscription regex set yet.")
    event = SubscriptionChanged(ctx.actor.key, old, None)
    return Outcome(f"Cancelled subscription {old.pattern}", (event,))
