"""The people of the Matrix tests: their accounts on the test homeserver (``People``),
the organizer who grants roles, and real Matrix clients (matrix-nio) that play them in
scenarios (``Person``, ``scenario``)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nio import (
    AsyncClient,
    AsyncClientConfig,
    RoomMessageNotice,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
)

from ptghub.core.model import Actor
from tests.bot.matrix.synapse import Synapse, User

ORGANIZER = Actor("olivia", frontend="test")
TIMEOUT = 20.0  # seconds to wait for the bot's answer; it normally takes well under one


@dataclass(frozen=True)
class People:
    bot: User
    chair: User
    mallory: User


@dataclass(frozen=True)
class Heard:
    room_id: str
    sender: str
    msgtype: str
    body: str


class Person:
    """A real Matrix client (matrix-nio) of one test user, used from a test's event loop."""

    def __init__(self, synapse: Synapse, user: User) -> None:
        self.user = user
        self.client = AsyncClient(
            synapse.url,
            user.user_id,
            config=AsyncClientConfig(encryption_enabled=False, store_sync_tokens=False),
        )
        self.client.restore_login(user.user_id, user.device_id, user.access_token)
        self.nonce = f"org.ptghub.never.{uuid.uuid4().hex}"
        self.heard: list[Heard] = []
        self.invites: list[str] = []

    async def start(self) -> None:
        """Sync once so that only what happens from now on is heard."""
        await self.sync(0, first=True)

    async def sync(self, timeout_ms: int, *, first: bool = False) -> None:
        answer = await self.client.sync(
            timeout=timeout_ms,
            full_state=first or None,
            # Unique, or Synapse may answer from its cache of an earlier client's first sync.
            sync_filter={
                "room": {"timeline": {"limit": 1 if first else 50, "not_types": [self.nonce]}}
            },
        )
        assert isinstance(answer, SyncResponse), answer
        self.invites += list(answer.rooms.invite)
        if first:
            return
        for room_id, info in answer.rooms.join.items():
            for event in info.timeline.events:
                if isinstance(event, (RoomMessageText, RoomMessageNotice)):
                    msgtype = event.source["content"]["msgtype"]
                    self.heard.append(Heard(room_id, event.sender, msgtype, event.body))

    async def say(self, room_id: str, text: str) -> None:
        content = {"msgtype": "m.text", "body": text}
        answer = await self.client.room_send(room_id, "m.room.message", content)
        assert isinstance(answer, RoomSendResponse), answer

    async def expect(self, wanted: Callable[[Heard], bool], what: str) -> Heard:
        """The first message heard (now or within TIMEOUT) that is ``wanted``; it is used up."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for index, heard in enumerate(self.heard):
                if wanted(heard):
                    del self.heard[index]
                    return heard
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.user.user_id} never heard {what}; heard {self.heard}")
            await self.sync(500)

    def heard_from(self, sender: str, room_id: str) -> list[Heard]:
        return [h for h in self.heard if h.sender == sender and h.room_id == room_id]

    async def expect_from(self, sender: str, room_id: str, containing: str = "") -> Heard:
        return await self.expect(
            lambda h: h.sender == sender and h.room_id == room_id and containing in h.body,
            f"a message from {sender} in {room_id} with {containing!r}",
        )

    async def join_invites(self) -> list[str]:
        """Join every room this person was invited to; their ids."""
        deadline = time.monotonic() + TIMEOUT
        while not self.invites and time.monotonic() < deadline:
            await self.sync(500)
        joined, self.invites = self.invites, []
        for room_id in joined:
            await self.client.join(room_id)
        return joined

    async def close(self) -> None:
        await self.client.close()


Play = Callable[..., Awaitable[None]]


def scenario(synapse: Synapse, *users: User) -> Callable[[Play], Play]:
    """Decorator that runs ``async def play(*persons)`` at once, in an event loop of its own.

    Each user gets a ``Person`` that has synced (so hears only what follows); all are
    closed afterwards, whatever happens.
    """

    def decorate(play: Play) -> Play:
        async def main() -> None:
            persons = [Person(synapse, user) for user in users]
            try:
                for person in persons:
                    await person.start()
                await play(*persons)
            finally:
                for person in persons:
                    await person.close()

        asyncio.run(main())
        return play

    return decorate
