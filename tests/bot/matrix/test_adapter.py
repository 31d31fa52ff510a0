"""The Matrix adapter against a real Synapse, with real Matrix clients playing people.

One homeserver serves the whole session (tests/bot/matrix/synapse.py); every test gets a fresh
room, a fresh store (SQLite, then PostgreSQL) and a bot of its own. The people:

- ``@chair:localhost`` ("Nova Chair"), chair of nova through ``~role grant``;
- ``@mallory:localhost``, an impostor who takes the chair's display name;
- ``@alice-...:localhost``, an attendee who talks to the bot in a direct room;
- ``@dora-...:localhost``, subscribed from the web, in no room with the bot.

Alice and Dora are new users in every test, so that each test starts with no direct
room between them and the bot.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from nio import (
    AsyncClient,
    AsyncClientConfig,
    RoomMessageNotice,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
)

from ptghub.bot.matrix.adapter import MatrixBot
from ptghub.bot.matrix.config import MatrixBotError, MatrixConfig
from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.bot.matrix.synapse import Synapse, User, ensure_venv
from tests.bot.matrix.tcp_proxy import TcpProxy

pytestmark = pytest.mark.matrix

ORGANIZER = Actor("olivia", frontend="test")
TIMEOUT = 20.0  # seconds to wait for the bot's answer; it normally takes well under one


@dataclass(frozen=True)
class People:
    bot: User
    chair: User
    mallory: User


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    server = Synapse(tmp_path_factory.mktemp("synapse"), ensure_venv())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def people(synapse: Synapse) -> People:
    found = People(
        bot=synapse.register("ptgbot", "bot-password"),
        chair=synapse.register("chair", "chair-password"),
        mallory=synapse.register("mallory", "mallory-password"),
    )
    synapse.set_display_name(found.chair, "Nova Chair")
    return found


def newcomer(synapse: Synapse, name: str) -> User:
    """A user new to the bot (one per test: no direct room with it yet)."""
    return synapse.register(f"{name}-{uuid.uuid4().hex[:8]}", f"{name}-password")


@pytest.fixture
def alice(synapse: Synapse) -> User:
    return newcomer(synapse, "alice")


@pytest.fixture
def dora(synapse: Synapse) -> User:
    return newcomer(synapse, "dora")


@pytest.fixture
def room(synapse: Synapse, people: People) -> str:
    """A fresh public room where the chair and Mallory are (the bot joins itself)."""
    return synapse.create_room(people.chair, people.mallory)


@pytest.fixture
def chair_store(store: Store, people: People) -> Store:
    """The test event, with the chair's Matrix id made chair of nova by an organizer."""
    result = store.run(f"~role grant {people.chair.user_id} chair nova", ORGANIZER)
    assert result is not None
    return store


def bot_config(synapse: Synapse, people: People, room: str) -> MatrixConfig:
    return MatrixConfig(
        homeserver=synapse.url,
        room=room,
        access_token=people.bot.access_token,
        sync_timeout=5.0,
        max_backoff=2.0,
    )


@contextmanager
def running(config: MatrixConfig, store: Store, **options: int) -> Iterator[MatrixBot]:
    """A bot serving ``store`` in a thread of its own, stopped (and joined) afterwards."""
    bot = MatrixBot(config, store, outbox_burst=10, outbox_interval=0.1, **options)
    thread = threading.Thread(target=bot.run_forever, name="matrix-bot")
    thread.start()
    try:
        assert bot.ready.wait(TIMEOUT), "the bot did not join its room in time"
        yield bot
    finally:
        bot.stop()
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "the bot did not stop"


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


def test_chair_books_and_sets_now_and_next_in_the_room(
    synapse: Synapse, people: People, room: str, chair_store: Store
) -> None:
    """The chair's commands run as their user id; replies are notices addressed by name."""
    bot_id = people.bot.user_id
    with running(bot_config(synapse, people, room), chair_store):

        @scenario(synapse, people.chair)
        async def play(chair: Person) -> None:
            for text in ["#nova book Austin-Mon-P1", "#nova now Placement API", "#nova next Cells"]:
                await chair.say(room, text)
            replies = [await chair.expect_from(bot_id, room) for _ in range(3)]
            assert [(h.msgtype, h.body) for h in replies] == [
                ("m.notice", "Nova Chair: OK, Austin-Mon-P1 is now booked for nova."),
                ("m.notice", "Nova Chair: OK, nova now discusses: Placement API"),
                ("m.notice", "Nova Chair: OK, nova next: Cells"),
            ]

    assert [(e.actor, e.frontend, e.text) for e in chair_store.audit()[-3:]] == [
        (people.chair.user_id, "matrix", "#nova book Austin-Mon-P1"),
        (people.chair.user_id, "matrix", "#nova now Placement API"),
        (people.chair.user_id, "matrix", "#nova next Cells"),
    ]


def test_messages_from_before_the_bot_started_are_not_run(
    synapse: Synapse, people: People, room: str, chair_store: Store
) -> None:
    """History is not replayed: only what is said once the bot listens is a command."""
    synapse.api(
        people.chair,
        "PUT",
        f"/rooms/{room}/send/m.room.message/before-bot",
        {"msgtype": "m.text", "body": "#nova now Old news"},
    )
    version = chair_store.version()
    with running(bot_config(synapse, people, room), chair_store):

        @scenario(synapse, people.chair)
        async def play(chair: Person) -> None:
            await chair.say(room, "#nova now Fresh news")
            reply = await chair.expect_from(people.bot.user_id, room)
            assert reply.body == "Nova Chair: OK, nova now discusses: Fresh news"
            await chair.sync(500)
            assert chair.heard_from(people.bot.user_id, room) == []

    assert chair_store.version() == version + 1
    assert chair_store.audit()[-1].text == "#nova now Fresh news"


def test_a_reply_is_read_without_its_quote_and_edits_and_notices_are_not_run(
    synapse: Synapse, people: People, room: str, chair_store: Store
) -> None:
    """Clients quote the message replied to (``> ...``); editing a command does not rerun it;
    notices (other bots' output) are never commands."""
    bot_id = people.bot.user_id
    with running(bot_config(synapse, people, room), chair_store):

        @scenario(synapse, people.chair)
        async def play(chair: Person) -> None:
            await chair.say(room, "#nova now Placement API")
            first = await chair.expect_from(bot_id, room)
            original = synapse.api(
                people.chair,
                "PUT",
                f"/rooms/{room}/send/m.room.message/reply-1",
                {
                    "msgtype": "m.text",
                    "body": f"> <{bot_id}> {first.body}\n\n#nova next Cells",
                    "m.relates_to": {"m.in_reply_to": {"event_id": "$whatever"}},
                },
            )["event_id"]
            reply = await chair.expect_from(bot_id, room)
            assert reply.body == "Nova Chair: OK, nova next: Cells"

            synapse.api(
                people.chair,
                "PUT",
                f"/rooms/{room}/send/m.room.message/edit-1",
                {
                    "msgtype": "m.text",
                    "body": "* #nova next Scheduler",
                    "m.new_content": {"msgtype": "m.text", "body": "#nova next Scheduler"},
                    "m.relates_to": {"rel_type": "m.replace", "event_id": original},
                },
            )
            synapse.api(
                people.chair,
                "PUT",
                f"/rooms/{room}/send/m.room.message/notice-1",
                {"msgtype": "m.notice", "body": "#nova next Nova-bot says hello"},
            )
            await chair.say(room, "#nova now Cells")
            reply = await chair.expect_from(bot_id, room)
            assert reply.body == "Nova Chair: OK, nova now discusses: Cells"

    assert [e.text for e in chair_store.audit()[-3:]] == [
        "#nova now Placement API",
        "#nova next Cells",
        "#nova now Cells",
    ]


def test_impostor_with_the_chairs_display_name_is_refused(
    synapse: Synapse, people: People, room: str, chair_store: Store
) -> None:
    """A display name proves nothing: Mallory named "Nova Chair" acts as her own user id."""
    chair_store.run("~requirevoice", ORGANIZER)
    synapse.api(
        people.mallory,
        "PUT",
        f"/rooms/{room}/state/m.room.member/{people.mallory.user_id}",
        {"membership": "join", "displayname": "Nova Chair"},
    )
    version = chair_store.version()
    with running(bot_config(synapse, people, room), chair_store):

        @scenario(synapse, people.mallory, people.chair)
        async def play(mallory: Person, chair: Person) -> None:
            await mallory.say(room, "#nova now Hijacked")
            refusal = await mallory.expect_from(people.bot.user_id, room)
            assert refusal.body.startswith("Nova Chair (@mallory:localhost): ")
            assert refusal.body.endswith(
                "Only a chair of nova or an organizer can change it; @mallory:localhost is neither."
            )
            assert chair_store.version() == version

            # The real chair, same display name, is still the chair.
            await chair.say(room, "#nova now Placement API")
            reply = await chair.expect_from(people.bot.user_id, room, "Placement API")
            assert reply.body == (
                "Nova Chair (@chair:localhost): OK, nova now discusses: Placement API"
            )

    assert chair_store.audit()[-1].actor == people.chair.user_id


def test_subscribers_get_a_direct_message_on_a_matching_now(
    synapse: Synapse, people: People, alice: User, dora: User, room: str, chair_store: Store
) -> None:
    """Alice subscribes in her direct room; Dora (subscribed on the web) gets a new one."""
    chair_store.run("subscribe nova", Actor(dora.user_id, frontend="web"), private=True)
    bot_id = people.bot.user_id
    config = bot_config(synapse, people, room)
    direct: dict[str, str] = {}  # user id -> their direct room with the bot
    with running(config, chair_store):

        @scenario(synapse, alice, people.chair, dora)
        async def play(attendee: Person, chair: Person, subscriber: Person) -> None:
            asked = {"is_direct": True, "invite": [bot_id], "preset": "trusted_private_chat"}
            alice_room = synapse.api(alice, "POST", "/createRoom", asked)["room_id"]
            await attendee.say(alice_room, "subscribe nova")
            reply = await attendee.expect_from(bot_id, alice_room)
            assert (reply.msgtype, reply.body) == (
                "m.notice",
                "Subscription set to nova (previously none).",
            )

            await chair.say(room, "#nova now Placement API")
            await chair.expect_from(bot_id, room)
            notice = await attendee.expect_from(bot_id, alice_room)
            assert (notice.msgtype, notice.body) == ("m.notice", "#nova now Placement API")

            # Dora shares no room with the bot: it invites her to a direct room of her own.
            (dora_room,) = await subscriber.join_invites()
            assert dora_room not in (room, alice_room)
            heard = await subscriber.expect_from(bot_id, dora_room)
            assert heard.body == "#nova now Placement API"

            # Chatter in the room is not a command and gets no answer.
            await chair.say(room, "Good morning everyone")
            await chair.say(room, "#nova next Cells")
            reply = await chair.expect_from(bot_id, room)
            assert reply.body == "Nova Chair: OK, nova next: Cells"
            notice = await attendee.expect_from(bot_id, alice_room)
            assert notice.body == "#nova next Cells"
            await subscriber.expect_from(bot_id, dora_room, "#nova next Cells")
            direct.update({alice.user_id: alice_room, dora.user_id: dora_room})

    # A new bot finds the direct rooms among its rooms instead of opening more.
    with running(config, chair_store):

        @scenario(synapse, alice, people.chair, dora)
        async def again(attendee: Person, chair: Person, subscriber: Person) -> None:
            await chair.say(room, "#nova now Cells")
            await chair.expect_from(bot_id, room)
            for person in (attendee, subscriber):
                heard = await person.expect_from(bot_id, direct[person.user.user_id])
                assert heard.body == "#nova now Cells"
            assert subscriber.invites == []

            # A change made on the web reaches the Matrix subscribers through the bot too.
            chair_store.run("#nova now From the web", Actor("olivia", frontend="web"))
            for person in (attendee, subscriber):
                heard = await person.expect_from(bot_id, direct[person.user.user_id])
                assert heard.body == "#nova now From the web"


def test_bot_survives_homeserver_restart_and_its_own_restart(
    synapse: Synapse, people: People, room: str, chair_store: Store
) -> None:
    """After Synapse restarts the bot syncs on; a bot restarted at once works.

    What was said while the bot was down is not run when it comes back, even though the
    new bot, logged in with the same token, asks for its first sync exactly as the
    previous one did (Synapse answers repeated syncs from a cache).
    """
    with_token = bot_config(synapse, people, room)
    with_password = replace(
        with_token, access_token=None, user=people.bot.user_id, password=people.bot.password
    )
    bot_id = people.bot.user_id

    def command(text: str, answer: str) -> None:
        @scenario(synapse, people.chair)
        async def play(chair: Person) -> None:
            await chair.say(room, text)
            reply = await chair.expect_from(bot_id, room)
            assert reply.body == f"Nova Chair: {answer}"
            await chair.sync(300)
            assert chair.heard_from(bot_id, room) == []  # and nothing else

    with running(with_password, chair_store):
        command("#nova now Before", "OK, nova now discusses: Before")
        synapse.restart()
        command("#nova now After", "OK, nova now discusses: After")

    with running(with_token, chair_store):
        command("#nova next One", "OK, nova next: One")
    synapse.api(
        people.chair,
        "PUT",
        f"/rooms/{room}/send/m.room.message/while-away",
        {"msgtype": "m.text", "body": "#nova next While away"},
    )
    with running(with_token, chair_store):
        command("#nova next Back", "OK, nova next: Back")

    assert [e.text for e in chair_store.audit()[-4:]] == [
        "#nova now Before",
        "#nova now After",
        "#nova next One",
        "#nova next Back",
    ]


@contextmanager
def bot_process(
    synapse: Synapse, people: People, room: str, database_url: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """``ptghub bot matrix`` in a process of its own, listening in ``room`` (stderr to
    ``log``); killed at the end of the block if the test did not stop it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTGHUB_")}
    env["PTGHUB_MATRIX_ACCESS_TOKEN"] = people.bot.access_token
    command = [sys.executable, "-m", "ptghub", "--database-url", database_url, "bot", "matrix"]
    options = ["--homeserver", synapse.url, "--room", room, "--event", "test-ptg"]
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, *options], stdout=subprocess.PIPE, stderr=stderr, env=env
        )
    try:
        deadline = time.monotonic() + TIMEOUT
        while "listening in" not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_ptghub_bot_matrix_command_serves_until_interrupted(
    synapse: Synapse,
    people: People,
    room: str,
    chair_store: Store,
    database_url: str,
    tmp_path: Path,
) -> None:
    """The CLI runs the same bot: token from the environment, options for the rest."""
    log = tmp_path / "bot.log"
    with bot_process(synapse, people, room, database_url, log) as process:

        @scenario(synapse, people.chair)
        async def play(chair: Person) -> None:
            await chair.say(room, "#nova now Placement API")
            reply = await chair.expect_from(people.bot.user_id, room)
            # The process runs on the real clock, when the test event is long over.
            assert reply.body == (
                "Nova Chair: OK, nova now discusses: Placement API "
                "Note: nova is not scheduled today."
            )

        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, log.read_text()
    assert stdout.decode().splitlines() == [
        f"Matrix bot for {room} on {synapse.url} (Ctrl-C stops it)",
        "Stopped.",
    ]
    assert chair_store.audit()[-1].actor == people.chair.user_id


def test_bad_credentials_stop_the_bot_with_the_reason(
    synapse: Synapse, people: People, room: str, store: Store
) -> None:
    """Retrying cannot fix a wrong token or password: the bot stops and says why."""
    config = bot_config(synapse, people, room)
    with pytest.raises(MatrixBotError, match="refused the access token"):
        MatrixBot(replace(config, access_token="syt_not_a_token"), store).run_forever()
    wrong_password = replace(
        config, access_token=None, user=people.bot.user_id, password="not-the-password"
    )
    with pytest.raises(MatrixBotError, match="refused the login of @ptgbot:localhost"):
        MatrixBot(wrong_password, store).run_forever()


def test_synapse_log_has_no_errors(synapse: Synapse) -> None:
    """Our requests were all well formed: Synapse logged no error while serving them."""
    log = Path(synapse.log_path).read_text(errors="replace")
    assert " - ERROR - " not in log, synapse.log_tail()


def cut_off_while_the_chair_sends(
    synapse: Synapse,
    people: People,
    room: str,
    store: Store,
    sent: list[str],
    applied: int,
    **options: int,
) -> list[Heard]:
    """Run a bot behind a proxy that is down while ``sent`` goes to the room; once it is
    back and ``applied`` more changes are in the audit log, the chair says one more
    command ('#nova next After') and waits for its answer. What the chair heard from the
    bot meanwhile."""
    before = len(store.audit())
    proxy = TcpProxy("127.0.0.1", synapse.port)
    proxy.start()
    config = replace(bot_config(synapse, people, room), homeserver=proxy.url)
    batch = uuid.uuid4().hex
    heard: list[Heard] = []
    try:
        with running(config, store, **options):
            proxy.stop()  # the bot's sync in flight fails; it retries, backing off
            for number, text in enumerate(sent):
                synapse.api(
                    people.chair,
                    "PUT",
                    f"/rooms/{room}/send/m.room.message/{batch}-{number}",
                    {"msgtype": "m.text", "body": text},
                )

            @scenario(synapse, people.chair)
            async def play(chair: Person) -> None:
                proxy.start()  # once the chair listens: everything the bot says is heard
                deadline = time.monotonic() + 120
                while len(store.audit()) < before + applied:
                    assert time.monotonic() < deadline, "the missed commands were not applied"
                    await asyncio.sleep(0.2)
                await chair.say(room, "#nova next After")  # handled after all of them
                while not any(h.body == "Nova Chair: OK, nova next: After" for h in chair.heard):
                    assert time.monotonic() < deadline, f"no answer to After: {chair.heard}"
                    await chair.sync(500)
                heard.extend(chair.heard_from(people.bot.user_id, room))
    finally:
        proxy.stop()
    return heard


def test_commands_said_while_the_bot_was_cut_off_are_each_applied_once(
    synapse: Synapse, people: People, room: str, chair_store: Store
) -> None:
    """150 commands while the link is down: one sync returns 100, the gap gives the rest."""
    before = len(chair_store.audit())
    sent = [f"#nova now Topic {number}" for number in range(150)]

    cut_off_while_the_chair_sends(synapse, people, room, chair_store, sent, applied=150)

    assert [e.text for e in chair_store.audit()[before:]] == [*sent, "#nova next After"]


def test_a_gap_longer_than_the_bound_is_said_in_the_room(
    synapse: Synapse, people: People, room: str, chair_store: Store
) -> None:
    """Past ``gap_limit`` the oldest commands stay unread, and the room is told so."""
    before = len(chair_store.audit())
    sent = [f"#nova now Topic {number}" for number in range(130)]

    heard = cut_off_while_the_chair_sends(
        synapse, people, room, chair_store, sent, applied=120, gap_limit=20
    )

    # The sync's 100 and the 20 before them, in order; of the 10 oldest, none was read
    # back. (A sync already under way when the proxy went down may still have carried the
    # very first ones: those were read before the cut, and are applied, once, first.)
    applied = [e.text for e in chair_store.audit()[before:]]
    assert applied[-121:] == [*sent[10:], "#nova next After"]
    assert applied[:-121] == sent[: len(applied) - 121]
    assert len(applied) - 121 < 10
    told = [h.body for h in heard if h.body.startswith("I was cut off")]
    assert len(told) == 1
    assert told[0].endswith("were not applied. Please send them again.")


def test_ptghub_bot_matrix_command_stops_cleanly_on_sigterm(
    synapse: Synapse,
    people: People,
    room: str,
    chair_store: Store,
    database_url: str,
    tmp_path: Path,
) -> None:
    """systemd and containers stop services with SIGTERM: the bot closes and exits 0."""
    log = tmp_path / "bot.log"
    with bot_process(synapse, people, room, database_url, log) as process:
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, log.read_text()
    assert stdout.decode().splitlines()[-1] == "Stopped."
    assert f"Matrix bot {people.bot.user_id} stopped; its connection is closed" in (log.read_text())
