"""A self-healing session with one Matrix homeserver, under the Matrix bot.

It logs in (password or access token), joins the configured room, makes every request
with retries, and delivers what the bot says.

What it sends: every line as ``m.notice`` (the spec reserves notices for automated
output, so bots never answer them and two bots cannot loop). ``send(target, text)`` may
be called from the event loop (the command handler) or from the outbox thread; it only
queues, and one sender task delivers, replies before notices, each in order. A target
is a room id (``!...``), or a user id (``@...:server``) for a direct message, sent to
the direct room with that person (found among the bot's rooms, else created with an
invite, then cached).

Connection trouble (homeserver restart, network, 5xx) -> log, back off (1 s doubling up
to ``max_backoff``) and try again: every request goes through ``_call``, which turns
that trouble into ``Retry``, and ``_with_backoff``. A message being sent is retried with
the same transaction id, which the homeserver deduplicates.

What the bot hears (the first sync, the sync loop, invites, gaps) and what it does with
it live in ``adapter.MatrixBot``, a subclass; ``stop()`` ends its loop from any thread.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import ClientError
from nio import (
    AsyncClient,
    ErrorResponse,
    JoinResponse,
    LoginResponse,
    MatrixRoom,
    RoomCreateResponse,
    RoomPreset,
    RoomSendResponse,
    WhoamiResponse,
)

from ptghub.bot.matrix.config import MatrixBotError, MatrixConfig, is_user_id

log = logging.getLogger(__name__)

T = TypeVar("T")


class Retry(Exception):
    """A failure worth retrying after a pause: connection lost, homeserver busy or down."""


class MatrixLink:
    """The bot's session with its homeserver: logging in, requests, delivery.

    The subclass's ``run()`` sets up the client and the loop's queue, logs in and joins
    (``_login``, ``_join_room``), then starts ``_sender``. ``ready`` is set once the bot
    has joined its room and is listening. It is the ``Transport`` of the bot's core. A
    link runs once: after ``stop()``, make a new one.
    """

    def __init__(self, config: MatrixConfig) -> None:
        config.check()
        self.config = config
        self.ready = threading.Event()
        self._stop_asked = threading.Event()  # stop() may come before run() has a loop
        self.user_id = config.user or ""
        self.room_id = ""  # the configured room's id, once joined
        self._client: AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._queue: asyncio.PriorityQueue[tuple[int, int, str, str]] | None = None
        self._order = itertools.count()  # keeps first-in first-out among equals
        self._stopping: asyncio.Event | None = None
        self._direct: dict[str, str] = {}  # user id -> direct room id
        self._created: set[str] = set()  # direct rooms made by us, maybe not yet synced

    # -- Transport ------------------------------------------------------------------

    def send(self, target: str, text: str) -> None:
        """Queue ``text`` for ``target`` (room id or user id); safe from any thread.

        Replies come from the command handler, on the event loop's thread; notices come
        from the outbox thread. Replies go first, so that a backlog of notices (behind a
        homeserver's rate limit) never delays the answer to a command.
        """
        loop, queue = self._loop, self._queue
        if loop is None or queue is None or loop.is_closed():
            raise RuntimeError("the Matrix bot is not running; nothing can be sent")
        urgency = 0 if threading.get_ident() == self._loop_thread else 1
        loop.call_soon_threadsafe(queue.put_nowait, (urgency, next(self._order), target, text))

    # -- running --------------------------------------------------------------------

    def stop(self) -> None:
        """Ask a running bot to stop; safe from any thread, harmless when stopped."""
        self._stop_asked.set()
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stopping.set)

    async def _until_stopped(self, work: Awaitable[T]) -> bool:
        """Run ``work`` unless ``stop()`` comes first; whether it completed."""
        assert self._stopping is not None
        task = asyncio.ensure_future(work)
        stopper = asyncio.create_task(self._stopping.wait())
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        await asyncio.gather(stopper, return_exceptions=True)
        if task.done():
            task.result()  # re-raises what went wrong
            return True
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return False

    async def _with_backoff(self, attempt: Callable[[], Awaitable[T]], what: str) -> T:
        """``attempt()`` until it no longer raises ``Retry``, pausing longer each time."""
        delay = 1.0
        while True:
            try:
                return await attempt()
            except Retry as problem:
                log.warning("Matrix: %s failed (%s); retrying in %.0f s", what, problem, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.config.max_backoff)

    async def _call(self, request: Awaitable[Any]) -> Any:
        """One request; connection trouble and 429/5xx answers become ``Retry``."""
        try:
            response = await request
        except (OSError, TimeoutError, ClientError) as error:
            raise Retry(str(error) or type(error).__name__) from error
        if isinstance(response, ErrorResponse):
            status = getattr(response.transport_response, "status", 0) or 0
            if status == 429 or status >= 500:
                raise Retry(f"{response.status_code or status}: {response.message}")
        return response

    # -- logging in -----------------------------------------------------------------

    async def _login(self) -> None:
        client = self._client
        assert client is not None
        if self.config.access_token:
            client.access_token = self.config.access_token
            who = await self._call(client.whoami())
            if not isinstance(who, WhoamiResponse):
                raise MatrixBotError(f"The homeserver refused the access token: {who.message}")
            if self.config.user and who.user_id != self.config.user:
                raise MatrixBotError(
                    f"The access token belongs to {who.user_id}, not to {self.config.user}."
                )
            client.restore_login(who.user_id, who.device_id or "", self.config.access_token)
        else:
            assert self.config.password is not None
            answer = await self._call(
                client.login(self.config.password, device_name=self.config.device_name)
            )
            if not isinstance(answer, LoginResponse):
                raise MatrixBotError(
                    f"The homeserver refused the login of {self.config.user}: {answer.message}"
                )
        self.user_id = client.user_id

    async def _join_room(self) -> str:
        assert self._client is not None
        answer = await self._call(self._client.join(self.config.room))
        if not isinstance(answer, JoinResponse):
            raise MatrixBotError(f"Could not join {self.config.room}: {answer.message}")
        room_id: str = answer.room_id
        return room_id

    def _is_direct(self, room: MatrixRoom, user_id: str) -> bool:
        """Whether ``room`` is the bot's direct room with ``user_id``: only the two of them."""
        return (
            room.room_id != self.room_id
            and user_id in room.users
            and set(room.users) <= {self.user_id, user_id}
        )

    # -- sending --------------------------------------------------------------------

    async def _sender(self) -> None:
        assert self._queue is not None
        while True:
            _, _, target, text = await self._queue.get()
            try:
                await self._deliver(target, text)
            except MatrixBotError as problem:
                log.warning("Matrix: not sent to %s: %s", target, problem)
            except Exception:
                log.exception("Matrix: sending to %s failed", target)

    async def _deliver(self, target: str, text: str) -> None:
        if target.startswith("!"):
            room_id = target
        elif is_user_id(target):
            room_id = await self._with_backoff(
                lambda: self._direct_room(target), f"opening a direct room with {target}"
            )
        else:
            # A nick from another network (an IRC subscriber): not reachable from here.
            raise MatrixBotError(f"'{target}' is neither a Matrix room id nor a user id")
        content = {"msgtype": "m.notice", "body": text}
        transaction = uuid.uuid4().hex  # the same on every retry: delivered once

        async def attempt() -> None:
            assert self._client is not None
            answer = await self._call(
                self._client.room_send(room_id, "m.room.message", content, tx_id=transaction)
            )
            if not isinstance(answer, RoomSendResponse):
                raise MatrixBotError(f"{room_id} refused the message: {answer.message}")

        await self._with_backoff(attempt, f"sending to {target}")

    async def _direct_room(self, user_id: str) -> str:
        """The direct room with ``user_id``: cached, else found, else created."""
        client = self._client
        assert client is not None
        cached = self._direct.get(user_id)
        if cached is not None:
            room = client.rooms.get(cached)
            if (room is None and cached in self._created) or (
                room is not None and self._is_direct(room, user_id)
            ):
                return cached
            del self._direct[user_id]  # they left, or someone else joined
        for room in client.rooms.values():
            if self._is_direct(room, user_id):
                self._direct[user_id] = room.room_id
                return str(room.room_id)
        answer = await self._call(
            client.room_create(
                is_direct=True, invite=[user_id], preset=RoomPreset.trusted_private_chat
            )
        )
        if not isinstance(answer, RoomCreateResponse):
            raise MatrixBotError(f"could not open a direct room with {user_id}: {answer.message}")
        room_id: str = answer.room_id
        self._created.add(room_id)
        self._direct[user_id] = room_id
        log.info("Matrix: opened the direct room %s with %s", room_id, user_id)
        return room_id
