"""The Matrix bot when the link to its homeserver breaks: Synapse restarted, the bot
restarted, the bot cut off while the chair sends commands. Each command said is run
once, none from before the bot listens, and a gap too long to read back is said in the
room. The people, their room and the chair's store are conftest.py's."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import replace

import pytest

from ptghub.store.store import Store
from tests.bot.matrix.bots import bot_config, running
from tests.bot.matrix.people import Heard, People, Person, scenario
from tests.bot.matrix.synapse import Synapse
from tests.bot.matrix.tcp_proxy import TcpProxy

pytestmark = pytest.mark.matrix


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
