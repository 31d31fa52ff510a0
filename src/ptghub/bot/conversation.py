"""The bot's behaviour, the same on every network: identity, commands, replies, notices.

A message goes through ``Store.run`` exactly as the CLI's and the API's commands do, with
the old bot's prefixes (``#TEAM verb``, ``#in``/``+in``, ``~admin``, bare words in
private). Who speaks is decided here, strongest first:

1. the network's verified account, when the sender has one;
2. the nick bound to this connection by a private ``identify TOKEN``, until the
   connection quits or changes nick;
3. the bare nick (which keeps no roles when the adapter asks for ``require_proof``).

Replies go back where the message came from: in a channel as ``nick: reply``, in
private as is; a refused command is answered the same way with its message. Subscription
notices go to the outbox, never inline, so a popular ``now`` cannot stall the handler.

Changes are rate limited per chat identity (``write_rate``): past the limit a change is
not applied, and the first one refused is answered "Too many changes from you; try
again in N seconds." (the next ones, until then, are not answered: a flood gets one
line back). Reading commands are never limited. Whether a command would change
something is found by running it on the current state without storing anything.
"""

from __future__ import annotations

import textwrap
import time
from collections import OrderedDict
from collections.abc import Callable

from ptghub.bot import linking
from ptghub.bot.outbox import Outbox
from ptghub.bot.transport import Incoming, Sender, Transport
from ptghub.commands.run import execute
from ptghub.core.errors import NotFound, PermissionDenied, PtgError
from ptghub.core.model import Actor, EventState, nick_key
from ptghub.core.ratelimit import Rate, RateLimiter, too_many
from ptghub.store.store import Store
from ptghub.store.tokens import TokenRefused

MAX_LINE = 400  # IRC allows 512 bytes per line, prefix and command included
IDENTIFY = "identify"
IDENTIFY_USAGE = "Usage: identify TOKEN (your ptghub token), sent to me in private."
CHANNEL_TOKEN_WARNING = (
    "Never paste a token in a channel: send 'identify TOKEN' to me in private. "
    "If that was a real token, revoke it now ('ptghub token revoke ID') and create a new one."
)
UNKNOWN_TOKEN = (
    "That token is unknown or revoked; nothing changed. "
    "Ask an organizer for a token ('ptghub token create --for NICK')."
)


TOO_MANY_CHANGES = "changes from you"  # "Too many changes from you; try again in N seconds."
REFUSALS_KEPT = 10_000  # identities told they are limited, remembered to stay quiet meanwhile
# (who asked, where the line goes, the line): how an adapter queues a reply fairly
ReplySender = Callable[[str, str, str], None]


def split_lines(text: str, limit: int = MAX_LINE) -> list[str]:
    """``text`` as non-empty lines of at most ``limit`` characters, cut at spaces if possible."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip():
            lines.extend(
                textwrap.wrap(line, width=limit, break_on_hyphens=False, drop_whitespace=True)
            )
    return lines


class BotCore:
    """Handles what a transport hears; sends replies through it and notices via ``outbox``.

    ``event`` is the event's slug (None: the current event); ``nick`` is the bot's own
    nick, whose messages are never handled (no loops with an echoing network);
    ``frontend`` is recorded in the audit log as where a change came from. The adapter
    drains ``outbox``: ``outbox.start()`` for a sender thread, or ``outbox.flush()``
    from its own loop. With ``require_proof`` (IRC, where anyone may take any free nick)
    a bare nick keeps no roles: only an account or an ``identify`` carries them.
    ``reachable`` says which subscribers this network can address; the others' notices
    are left to their own network's bot (see ``announce``).

    ``replies``, when given, queues each reply line as ``(asker's nick, target, text)``
    (the IRC bot's fair queue) instead of sending it through ``transport``.
    ``write_rate`` limits the changes of each chat identity (None: no limit), on
    ``clock``. ``identify_refusal(sender)`` says why this sender may not ``identify``
    now (IRC: not in the channel, where the bot would see them leave), or None.
    """

    def __init__(
        self,
        store: Store,
        transport: Transport,
        *,
        event: str | None = None,
        nick: str = "ptgbot",
        frontend: str = "chat",
        outbox: Outbox | None = None,
        require_proof: bool = False,
        reachable: Callable[[str], bool] = lambda nick: True,
        replies: ReplySender | None = None,
        write_rate: Rate | None = None,
        clock: Callable[[], float] = time.monotonic,
        identify_refusal: Callable[[Sender], str | None] = lambda sender: None,
    ) -> None:
        self.store = store
        self.reachable = reachable
        self.require_proof = require_proof
        self.transport = transport
        self.event = event
        self.nick = nick
        self.frontend = frontend
        self.outbox = outbox if outbox is not None else Outbox(transport)
        self._bound: dict[str, str] = {}  # connection key -> nick proven by identify
        self.replies = replies
        self.clock = clock
        self.writes = None if write_rate is None else RateLimiter(write_rate, clock=clock)
        self._told: OrderedDict[str, float] = OrderedDict()  # identity -> limited until
        self.identify_refusal = identify_refusal

    # -- identity -------------------------------------------------------------------

    def identity(self, sender: Sender) -> str:
        """The nick a sender acts as: account, else identified nick, else the bare nick."""
        if sender.account:
            return sender.account
        return self._bound.get(sender.connection, sender.nick)

    def on_nick_change(self, sender: Sender, new_nick: str) -> None:
        """A nick change ends what ``identify`` proved: the new nick must identify again.

        ``sender`` is the connection as it was before the change; ``new_nick`` is not
        needed here but is what every network reports, so adapters pass it along.
        """
        self._bound.pop(sender.connection, None)

    def on_quit(self, sender: Sender) -> None:
        self._bound.pop(sender.connection, None)

    def on_disconnect(self) -> None:
        """The adapter lost the network: it missed any quit or nick change meanwhile,
        so every connection must identify again."""
        self._bound.clear()

    # -- messages -------------------------------------------------------------------

    def handle(self, incoming: Incoming) -> None:
        """Run one message heard; channel chatter is ignored, refusals are answered."""
        if nick_key(incoming.sender.nick) == nick_key(self.nick):
            return  # our own message echoed back (IRCv3 echo-message, Matrix sync)
        text = incoming.text.strip()
        if _is_identify(text, private=incoming.private):
            self._identify(incoming, text)
            return
        if linking.is_link(text, private=incoming.private):
            self._link(incoming, text)
            return
        sender = incoming.sender
        proven = (
            not self.require_proof or sender.account is not None or sender.connection in self._bound
        )
        actor = Actor(
            self.identity(sender), frontend=self.frontend, trust=sender.trust, proven=proven
        )
        key = nick_key(actor.nick)
        limited = self.writes is not None and self.writes.wait(key) > 0
        if limited and self._would_change(text, actor, private=incoming.private):
            self._refuse_change(incoming, key)
            return
        try:
            result = self.store.run(text, actor, event=self.event, private=incoming.private)
        except PtgError as error:
            self.reply(incoming, error.message)
            return
        if result is None:
            return  # chatter in a channel, not addressed to the bot
        if self.writes is not None and result.events:
            self.writes.charge(key)
        self.reply(incoming, result.reply)
        for notice in result.notices:
            if not self.reachable(notice.nick):
                continue  # a subscriber on another network: that network's bot tells them
            for line in split_lines(notice.text):
                self.outbox.put(notice.nick, line)

    # -- write limits ---------------------------------------------------------------

    def _would_change(self, text: str, actor: Actor, *, private: bool) -> bool:
        """Whether ``text`` would change the event, found without storing anything.

        A permission refused here might be granted under the speaker's other nicks (the
        store looks them up): counted as a change, so nothing slips past the limit.
        """
        try:
            state = self.store.state(self.event)
            applied = execute(state, text, actor, self.store.clock(), private=private)
        except PermissionDenied:
            return True
        except PtgError:
            return False  # refused anyway: the store says why
        return applied is not None and bool(applied.outcome.events)

    def _refuse_change(self, incoming: Incoming, key: str) -> None:
        """Answer the first change refused by the limit; stay quiet until it is lifted."""
        assert self.writes is not None
        now = self.clock()
        wait = self.writes.wait(key)
        if self._told.get(key, 0.0) > now:
            return
        self._told[key] = now + wait
        self._told.move_to_end(key)
        if len(self._told) > REFUSALS_KEPT:
            self._told.popitem(last=False)
        self.reply(incoming, too_many(TOO_MANY_CHANGES, wait))

    # -- replies --------------------------------------------------------------------

    def reply(self, incoming: Incoming, text: str) -> None:
        """Answer the sender where they spoke: ``nick: line`` in a channel, else privately."""
        sender = incoming.sender.nick
        if incoming.channel is None:
            for line in split_lines(text):
                self._send(sender, sender, line)
            return
        prefix = f"{sender}: "
        # A very long nick (a Matrix id) must still leave room for the text itself.
        for line in split_lines(text, max(MAX_LINE - len(prefix), MAX_LINE // 4)):
            self._send(sender, incoming.channel, prefix + line)

    def _send(self, asker: str, target: str, line: str) -> None:
        if self.replies is not None:
            self.replies(asker, target, line)
        else:
            self.transport.send(target, line)

    def _identify(self, incoming: Incoming, text: str) -> None:
        if not incoming.private:
            # Not run: the token is already public and must not also become valid here.
            self.reply(incoming, CHANNEL_TOKEN_WARNING)
            return
        words = text.split()
        if len(words) != 2:
            self.reply(incoming, IDENTIFY_USAGE)
            return
        sender = incoming.sender
        if sender.account:
            self.reply(
                incoming,
                f"You are logged in to the network as {sender.account}; "
                "your commands already act as that account, so no token is needed.",
            )
            return
        refusal = self.identify_refusal(sender)
        if refusal is not None:
            self.reply(incoming, refusal)
            return
        try:
            nick = self.store.tokens.identify(words[1], event=self.event)
        except TokenRefused as error:  # expired, or made for another event
            self.reply(incoming, error.message)
            return
        if nick is None:
            self.reply(incoming, UNKNOWN_TOKEN)
            return
        self._bound[sender.connection] = nick
        self.reply(
            incoming,
            f"OK, your commands from this connection now act as {nick}, "
            "until you quit or change nick.",
        )

    def _link(self, incoming: Incoming, text: str) -> None:
        """``link CODE``: the sender's identity becomes a nick of the code's person.

        A nick (no network account) is also proven for this connection, as ``identify``
        would prove it; later connections prove it with ``identify TOKEN``.
        """
        words = text.split()
        if not incoming.private:
            # The code is public now: burn it, so nobody else can link with it.
            self.store.link_codes.burn(" ".join(words[1:]))
            self.reply(incoming, linking.CHANNEL_CODE_WARNING)
            return
        if len(words) < 2:
            self.reply(incoming, linking.LINK_USAGE)
            return
        sender = incoming.sender
        what = linking.kind(sender, self.frontend)
        try:
            linked = self.store.link_codes.redeem(
                " ".join(words[1:]), linking.identity(sender), what=what
            )
        except PtgError as error:
            self.reply(incoming, error.message)
            return
        try:
            state: EventState | None = self.store.state(self.event)
        except NotFound:
            state = None
        keys = frozenset(nick_key(n) for n in self.store.link_codes.nicks(linked.person_id))
        reply = linking.linked_text(linked, what, linking.roles_text(state, keys))
        if not sender.account:
            refusal = self.identify_refusal(sender)
            if refusal is None:
                self._bound[sender.connection] = linked.nick
                reply += (
                    f" Your commands from this connection act as {linked.nick} until you quit"
                    f" or change nick. {linking.PROVE_LATER}"
                )
            else:
                reply += f" {linking.NOT_PROVEN_HERE}"
        self.reply(incoming, reply)


def _is_identify(text: str, *, private: bool) -> bool:
    """Whether ``text`` is an ``identify``, which never reaches the command language.

    In private: ``identify ...`` or ``+identify ...``. In a channel: ``+identify ...``, or
    a bare ``identify`` with exactly one word after it (how a token gets pasted), so that
    chat such as "identify the owners first" stays chat.
    """
    words = text.split()
    if not words:
        return False
    head = words[0].lower()
    if head == "+" + IDENTIFY:
        return True
    return head == IDENTIFY and (private or len(words) == 2)
