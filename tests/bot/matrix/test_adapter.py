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

from dataclasses import replace

import pytest

from ptghub.bot.matrix.adapter import MatrixBot
from ptghub.bot.matrix.config import MatrixBotError
from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.bot.matrix.bots import bot_config, running
from tests.bot.matrix.people import ORGANIZER, People, Person, scenario
from tests.bot.matrix.synapse import Synapse, User

pytestmark = pytest.mark.matrix


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
