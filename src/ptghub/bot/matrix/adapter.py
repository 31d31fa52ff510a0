"""The Matrix adapter: a matrix-nio client that feeds ``BotCore`` and delivers its text.

What it hears:

- a text message (``m.text``) in the configured room -> a channel ``Incoming`` whose
  ``channel`` is the room id, spoken by ``Sender(display name, account=user id)``;
- a text message in a direct room (a room of the bot and one other person, other than the
  configured room) -> a private ``Incoming``. Its ``Sender.nick`` is the user id, because
  the core answers a private message by sending to the sender's nick, and a user id is
  what ``send`` can route back to that same room.

The homeserver authenticates every sender, so ``Sender.account`` is always the user id:
commands act as ``@alice:example.org``, whose roles are granted to that id (or to any nick
of the same person). A display name is only decoration: anyone may pick "nova-chair".

Ignored: what was said before the bot started (the first sync only yields its position),
the bot's own messages, ``m.notice`` messages (other bots; the spec reserves notices for
automated output, so bots never answer them and two bots cannot loop), edits, and any
event already handled (a sync retried after a dropped connection).

What it says goes out as ``m.notice``, for the same reason, through the session with the
homeserver (``link.MatrixLink``: logging in, retries, delivery to rooms and direct
rooms). Invites to direct rooms are accepted; others are left alone.

Connection trouble (homeserver restart, network, 5xx) -> log, back off and sync again
from the last position, so nothing heard is lost or handled twice. When more was said
meanwhile than one sync returns (a "limited" timeline), the gap is read back with
/messages first (``gap``).

SIGTERM or Ctrl-C (``stop()``) ends the sync loop; the client is closed on the way out.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections import OrderedDict
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    JoinResponse,
    MatrixRoom,
    RoomMessageText,
    SyncResponse,
)

from ptghub.bot.announce import Announcer
from ptghub.bot.conversation import BotCore
from ptghub.bot.matrix.config import MatrixBotError, MatrixConfig, localpart
from ptghub.bot.matrix.gap import MAX_GAP, GapError, fetch_gap, missed_notice
from ptghub.bot.matrix.link import MatrixLink, Retry
from ptghub.bot.outbox import Outbox
from ptghub.bot.transport import Incoming, Sender, is_matrix_id
from ptghub.core.ratelimit import Rate
from ptghub.store.store import Store

log = logging.getLogger(__name__)

FRONTEND = "matrix"

SEEN_EVENTS = 2000  # event ids remembered to never handle one twice


class MatrixBot(MatrixLink):
    """The Matrix transport and its sync loop around one ``BotCore``.

    ``run()`` is the coroutine (until ``stop()``); ``run_forever()`` runs it in an event
    loop of its own, for the CLI or a thread. ``ready`` is set once the bot has joined
    its room and is listening. It is the core's ``Transport``. A bot runs once: after
    ``stop()``, make a new one.
    """

    def __init__(
        self,
        config: MatrixConfig,
        store: Store,
        *,
        event: str | None = None,
        outbox_burst: int = 4,
        outbox_interval: float = 1.0,
        follow_interval: float = 1.0,
        write_rate: Rate | None = None,
        gap_limit: int = MAX_GAP,
    ) -> None:
        super().__init__(config)
        self.gap_limit = gap_limit  # missed events read back per room after a cut
        outbox = Outbox(self, burst=outbox_burst, interval=outbox_interval)
        self.core = BotCore(
            store,
            self,
            event=event,
            nick=config.user or "",
            frontend=FRONTEND,
            outbox=outbox,
            reachable=is_matrix_id,
            write_rate=write_rate,
        )
        # Subscribers here must also hear of a 'now' set on the web, the CLI or IRC.
        self.follower = Announcer(
            store,
            event,
            lambda line: None,
            skip_frontends={FRONTEND},
            interval=follow_interval,
            announce=False,
            notify=outbox.put,
            reachable=is_matrix_id,
        )
        self._seen: OrderedDict[str, None] = OrderedDict()

    # -- running --------------------------------------------------------------------

    def run_forever(self) -> None:
        """Run until ``stop()`` (or Ctrl-C) in a new event loop."""
        asyncio.run(self.run())

    async def run(self) -> None:
        """Log in, join the room, then hear and answer until ``stop()``."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._queue = asyncio.PriorityQueue()
        self._stopping = asyncio.Event()
        if self._stop_asked.is_set():
            return
        # Connection errors come back to us at once (max_timeouts=0): the sync loop's own
        # backoff decides, so that stop() is never stuck behind nio's inner retries.
        client_config = AsyncClientConfig(
            max_timeouts=0, encryption_enabled=False, store_sync_tokens=False
        )
        self._client = AsyncClient(
            self.config.homeserver, self.config.user or "", config=client_config
        )
        sender: asyncio.Task[None] | None = None
        try:
            if not await self._until_stopped(self._connect()):
                return
            self.core.outbox.start()
            self.follower.start()
            sender = asyncio.create_task(self._sender())
            self.ready.set()
            log.info("Matrix bot %s listening in %s", self.user_id, self.room_id)
            await self._sync_loop()
        finally:
            self.ready.clear()
            await asyncio.to_thread(self.follower.stop)
            # Notices still queued are dropped: a restarted bot must not send stale ones.
            await asyncio.to_thread(self.core.outbox.stop, drain=False)
            if sender is not None:
                sender.cancel()
                await asyncio.gather(sender, return_exceptions=True)
            await self._client.close()
            self._client = None
            log.info("Matrix bot %s stopped; its connection is closed", self.user_id)

    # -- connecting -----------------------------------------------------------------

    async def _connect(self) -> None:
        await self._with_backoff(self._login, "logging in")
        self.room_id = await self._with_backoff(self._join_room, f"joining {self.config.room}")
        await self._with_backoff(self._first_sync, "the first sync")

    async def _login(self) -> None:
        await super()._login()
        self.core.nick = self.user_id  # whose messages the core never handles

    async def _first_sync(self) -> None:
        """Learn the rooms and where the timeline stands, handling none of the past.

        Until the joined room shows up in a sync (the homeserver may take a moment after
        the join), everything synced is past: a room new to a sync comes with its recent
        history, which must not run as commands.
        """
        assert self._client is not None
        # Synapse answers a repeated identical sync from a cache (2 minutes by default): a
        # bot restarted with the same token would get its predecessor's position and run
        # again what was said since. Excluding a made-up event type makes ours unique.
        nonce = f"org.ptghub.never.{uuid.uuid4().hex}"
        past_only = {"room": {"timeline": {"limit": 1, "not_types": [nonce]}}}
        first = True
        while True:
            answer = await self._call(
                self._client.sync(
                    timeout=0 if first else 1000, full_state=first or None, sync_filter=past_only
                )
            )
            if not isinstance(answer, SyncResponse):
                raise Retry(f"sync refused: {answer.message}")
            first = False
            # Invites that came while the bot was away are still worth accepting.
            await self._accept_invites(answer)
            if self.room_id in self._client.rooms:
                return

    # -- hearing --------------------------------------------------------------------

    async def _sync_loop(self) -> None:
        while await self._until_stopped(self._with_backoff(self._sync_once, "sync")):
            pass

    async def _sync_once(self) -> None:
        assert self._client is not None
        since = self._client.next_batch  # where the previous sync left off
        answer = await self._call(
            self._client.sync(
                timeout=int(self.config.sync_timeout * 1000),
                # Generous, so that a busy minute is never cut short (a "limited" timeline).
                sync_filter={"room": {"timeline": {"limit": 100}}},
            )
        )
        if not isinstance(answer, SyncResponse):
            if answer.status_code == "M_UNKNOWN_TOKEN":
                raise MatrixBotError(
                    f"The homeserver no longer accepts the bot's login ({answer.message}); "
                    "give it a new access token."
                )
            raise Retry(f"sync refused: {answer.message}")
        try:
            heard = await self._with_gaps(answer, since)
        except Retry:
            # Sync again from the same place: the gap is read again, nothing is lost.
            self._client.next_batch = since
            raise
        for room, event in heard:
            self._hear(room, event)
        await self._accept_invites(answer)

    async def _with_gaps(
        self, answer: SyncResponse, since: str | None
    ) -> list[tuple[MatrixRoom, RoomMessageText]]:
        """The text messages of a sync, each room's gap first when its timeline was cut."""
        assert self._client is not None
        heard: list[tuple[MatrixRoom, RoomMessageText]] = []
        for room_id, info in answer.rooms.join.items():
            room = self._client.rooms.get(room_id)
            if room is None:
                continue
            events = list(info.timeline.events)
            if info.timeline.limited and info.timeline.prev_batch and since:
                events = await self._gap(room_id, info.timeline.prev_batch, since) + events
            heard += [(room, e) for e in events if isinstance(e, RoomMessageText)]
        return heard

    async def _gap(self, room_id: str, prev_batch: str, since: str) -> list[Any]:
        """What a cut timeline left out; the room is told when it was too long to read."""
        assert self._client is not None
        try:
            gap = await fetch_gap(
                self._client, self._call, room_id, prev_batch, since, limit=self.gap_limit
            )
        except GapError as problem:
            log.warning("Matrix: %s", problem)
            return []
        log.info("Matrix: read %d events missed in %s", len(gap.events), room_id)
        if not gap.complete and (room_id == self.room_id or room_id in self._direct.values()):
            log.warning("Matrix: the gap in %s was longer than could be read", room_id)
            self.send(room_id, missed_notice(gap))
        return gap.events

    def _hear(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == self.user_id or self._already_seen(event.event_id):
            return
        relates = event.source.get("content", {}).get("m.relates_to", {})
        if relates.get("rel_type") == "m.replace":
            return  # an edit: the original was handled, running it twice would surprise
        text = _without_reply_fallback(event.body) if "m.in_reply_to" in relates else event.body
        if room.room_id == self.room_id:
            nick = room.user_name(event.sender) or localpart(event.sender)
            incoming = Incoming(Sender(nick, account=event.sender), text, room.room_id)
        elif self._is_direct(room, event.sender):
            self._direct[event.sender] = room.room_id
            incoming = Incoming(Sender(event.sender, account=event.sender), text)
        else:
            return  # a room the bot is in but does not serve
        try:
            self.core.handle(incoming)
        except Exception:
            # One failing command must not stop the bot for everybody else.
            log.exception("Matrix: handling %r from %s failed", text, event.sender)

    def _already_seen(self, event_id: str) -> bool:
        if event_id in self._seen:
            return True
        self._seen[event_id] = None
        if len(self._seen) > SEEN_EVENTS:
            self._seen.popitem(last=False)
        return False

    async def _accept_invites(self, answer: SyncResponse) -> None:
        assert self._client is not None
        for room_id, info in answer.rooms.invite.items():
            invite = next(
                (
                    e
                    for e in info.invite_state
                    if isinstance(e, InviteMemberEvent)
                    and e.state_key == self.user_id
                    and e.membership == "invite"
                ),
                None,
            )
            if invite is None:
                continue
            if not invite.content.get("is_direct"):
                log.info("Matrix: ignoring %s's invite to %s (not direct)", invite.sender, room_id)
                continue
            joined = await self._call(self._client.join(room_id))
            if isinstance(joined, JoinResponse):
                self._direct[invite.sender] = room_id
                log.info("Matrix: joined the direct room %s of %s", room_id, invite.sender)
            else:
                log.warning("Matrix: could not join %s: %s", room_id, joined.message)


def _without_reply_fallback(body: str) -> str:
    """A reply's own text: clients quote the message replied to as leading ``> `` lines."""
    lines = body.splitlines()
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)
