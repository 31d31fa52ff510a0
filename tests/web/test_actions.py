"""web/actions.py: a chair's forms run the command language, with the bot's replies.

Each form is sent by a chair signed in on the web to the test event; the bot's chair of
the same team sends the command text in private to its twin (the same event under
another slug, in the same state): the replies are the same words, and so are refusals.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from ptghub.core.errors import PtgError
from ptghub.core.model import Actor
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.command_forms import CommandForm, command_text
from tests.web.acting import (
    ACTION,
    BOT_CHAIR,
    EVENT,
    JSON,
    ORGANIZER,
    TWIN,
    audit_count,
    close_events,
    link_nick,
    sign_in_chair,
)
from tests.web.signing_in import sign_in


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    close_events(store)
    with TestClient(create_app(store)) as test_client:
        yield test_client


@dataclass(frozen=True)
class Case:
    fields: dict[str, str]  # the form
    text: str  # the command it stands for
    reply: str  # the bot's reply
    before: tuple[str, ...] = ()  # what the same person said first
    changed: bool = True


CASES = {
    "now": Case(
        {"team": "nova", "verb": "now", "topic": "Placement API"},
        "#nova now Placement API",
        "OK, nova now discusses: Placement API",
    ),
    "next": Case(
        {"team": "nova", "verb": "next", "topic": "Quotas"},
        "#nova next Quotas",
        "OK, nova next: Quotas",
    ),
    "clear": Case(
        {"team": "nova", "verb": "clear"},
        "#nova clear",
        "OK, cleaned now, next and location of nova.",
        before=("#nova now Placement API",),
    ),
    "clear, nothing to clear": Case(
        {"team": "nova", "verb": "clear"},
        "#nova clear",
        "nova had no now, next or location to clean.",
        changed=False,
    ),
    "location": Case(
        {"team": "nova", "verb": "location", "location": "Room 5"},
        "#nova location Room 5",
        "OK, nova is in Room 5",
    ),
    "etherpad": Case(
        {"team": "nova", "verb": "etherpad", "url": "https://pad.example.org/p/nova"},
        "#nova etherpad https://pad.example.org/p/nova",
        "OK, nova etherpad is https://pad.example.org/p/nova",
    ),
    "video URL": Case(
        {"team": "nova", "verb": "url", "url": "https://meet.example.org/nova"},
        "#nova url https://meet.example.org/nova",
        "OK, nova video URL is https://meet.example.org/nova",
    ),
    "colour": Case(
        {"team": "nova", "verb": "color", "color": "#42f4c5"},
        "#nova color #42f4c5",
        "OK, nova colour is #42f4c5",
    ),
    "book": Case(
        {"team": "nova", "verb": "book", "cell": "Coiste Bainisti-Mon-P1"},
        "#nova book Coiste Bainisti-Mon-P1",
        "OK, Coiste Bainisti-Mon-P1 is now booked for nova.",
    ),
    "unbook": Case(
        {"team": "nova", "verb": "unbook", "cell": "Austin-Mon-P2"},
        "#nova unbook Austin-Mon-P2",
        "OK, Austin-Mon-P2 (previously booked for nova) is now free.",
        before=("#nova book Austin-Mon-P2",),
    ),
    "outcome": Case(
        {"team": "nova", "verb": "outcome", "number": "2", "outcome": "Ship it in Zed."},
        "#nova outcome 2 Ship it in Zed.",
        "Outcome of topic 2 recorded for nova.",
    ),
    "outcome removed": Case(
        {"team": "nova", "verb": "outcome", "number": "2", "outcome": "none"},
        "#nova outcome 2 none",
        "Outcome of topic 2 removed for nova.",
        before=("#nova outcome 2 Ship it in Zed.",),
    ),
    "check in to a team": Case(
        {"verb": "in", "team": "nova"},
        "in #nova",
        "OK, checked into #nova - thanks for the update!",
    ),
    "check in to a place": Case(
        {"verb": "in", "location": "the lobby"},
        "in the lobby",
        "OK, checked into the lobby - thanks for the update!",
    ),
    "check out": Case(
        {"verb": "out"},
        "out",
        "OK, checked out of the lobby - thanks for the update!",
        before=("in the lobby",),
    ),
    "typed text": Case(
        {"text": "#nova now Typed as in the chat"},
        "#nova now Typed as in the chat",
        "OK, nova now discusses: Typed as in the chat",
    ),
}


def bot_reply(store: Store, text: str, actor: Actor = BOT_CHAIR) -> str:
    """What the bot answers ``actor`` sending ``text`` in private, in the twin event."""
    try:
        result = store.run(text, actor, event=TWIN, private=True)
    except PtgError as error:
        return error.message
    assert result is not None
    return result.reply


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_form_replies_as_the_bot_does(client: TestClient, store: Store, case: Case) -> None:
    me = sign_in_chair(client, store)
    for text in case.before:
        store.run(text, me.account.actor(), event=EVENT)
        bot_reply(store, text)

    answer = client.post(ACTION, data=me.form(**case.fields), headers=JSON)

    assert (answer.status_code, answer.json()) == (
        200,
        {"command": case.text, "reply": case.reply, "changed": case.changed},
    )
    assert bot_reply(store, case.text) == case.reply


def test_a_change_is_audited_as_the_person_on_the_web(client: TestClient, store: Store) -> None:
    me = sign_in_chair(client, store)
    client.post(ACTION, data=me.form(team="nova", verb="now", topic="Placement API"), headers=JSON)

    last = store.audit(EVENT)[-1]
    assert (last.actor, last.frontend, last.text) == ("nina@web", "web", "#nova now Placement API")


def test_a_person_who_chairs_no_team_is_refused_with_the_bots_words(
    client: TestClient, store: Store
) -> None:
    me = sign_in(client, store, "sam@example.org")
    before = audit_count(store)

    answer = client.post(ACTION, data=me.form(team="nova", verb="now", topic="X"), headers=JSON)

    message = "Only a chair of nova or an organizer can change it; sam@web is neither."
    assert (answer.status_code, answer.json()) == (403, {"error": message})
    assert bot_reply(store, "#nova now X", Actor("sam@web", frontend="irc")) == message
    assert audit_count(store) == before


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        (
            {"team": "nova", "verb": "book", "cell": "Austin-Mon-A1"},
            409,
            "Austin-Mon-A1 is already planned for nova.",
        ),
        (
            {"team": "nova", "verb": "book", "cell": "Bexar-Mon-A1"},
            409,
            "Bexar is not open for booking; ask an organizer.",
        ),
        (
            {"team": "nova", "verb": "unbook", "cell": "Austin-Mon-A1"},
            403,
            "Austin-Mon-A1 was planned for nova by the organizers; ask one of them to free it.",
        ),
        ({"team": "nova", "verb": "color", "color": "nope"}, 400, None),
        ({"text": "#nova now"}, 400, None),
        ({"team": "nova", "verb": "now", "topic": " "}, 400, "Missing topic (#TEAM now TOPIC)."),
        ({"team": "nova", "verb": "book", "cell": ""}, 400, None),
        ({"text": "#novaa now Placement"}, 404, None),
        ({"verb": "out"}, 409, "You weren't checked in anywhere yet!"),
    ],
)
def test_refusals_are_the_bots(
    client: TestClient, store: Store, fields: dict[str, str], status: int, message: str | None
) -> None:
    me = sign_in_chair(client, store)
    before = audit_count(store)
    bot = bot_reply(store, command_text(CommandForm(**fields)), BOT_CHAIR)

    answer = client.post(ACTION, data=me.form(**fields), headers=JSON)

    assert (answer.status_code, answer.json()) == (status, {"error": message or bot})
    assert audit_count(store) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {},
            "Missing command: give 'text' (a command as you would send it to the bot, for "
            "example '#nova now Placement API') or a 'verb'.",
        ),
        (
            {"verb": "dance", "team": "nova"},
            "Unknown verb 'dance'; the forms know: now, next, clear, clean, location, etherpad, "
            "url, color, book, unbook, outcome, in, out.",
        ),
        ({"verb": "now", "topic": "X"}, "Missing team: 'now' is a team's command (#TEAM now ...)."),
        (
            {"verb": "now", "team": "nova now", "topic": "X"},
            "'nova now' is not a valid team name: use 1 to 40 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit (for example 'nova').",
        ),
        ({"verb": "now", "team": "nova", "topic": "two\nlines"}, None),
        (
            {"verb": "outcome", "team": "nova", "number": "1 2", "outcome": "X"},
            "The topic's number must be a whole number, its number in the team's recap "
            "(1, 2, ...); got '1 2'.",
        ),
        (
            {"text": "#nova now X", "verb": "now"},
            "Give either a command ('text') or a 'verb' with its fields, not both.",
        ),
    ],
)
def test_a_malformed_form_is_refused_and_changes_nothing(
    client: TestClient, store: Store, fields: dict[str, str], message: str | None
) -> None:
    me = sign_in_chair(client, store)
    before = audit_count(store)

    answer = client.post(ACTION, data=me.form(**fields), headers=JSON)

    assert answer.status_code == 400
    if message is not None:
        assert answer.json() == {"error": message}
    else:
        assert answer.json()["error"].startswith("The topic contains a non-printable character")
    assert audit_count(store) == before


def test_roles_of_a_linked_chat_nick_count_on_the_web(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "nchair@example.org")
    link_nick(store, me.account.person_id, "nchair")  # nchair chairs nova in the chat

    answer = client.post(ACTION, data=me.form(team="nova", verb="now", topic="API"), headers=JSON)

    assert (answer.status_code, answer.json()["reply"]) == (200, "OK, nova now discusses: API")


def test_an_organizer_changes_any_team(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "olga@example.org")
    store.run(f"~role grant {me.account.web_nick} organizer", ORGANIZER, event=EVENT)

    answer = client.post(ACTION, data=me.form(team="cinder", verb="now", topic="API"), headers=JSON)

    assert (answer.status_code, answer.json()["reply"]) == (
        200,
        "OK, cinder now discusses: API Note: cinder is not scheduled today.",
    )


def test_an_unknown_event_is_named(client: TestClient, store: Store) -> None:
    me = sign_in_chair(client, store)
    answer = client.post(
        "/events/nope/commands", data=me.form(verb="in", location="lobby"), headers=JSON
    )
    assert (answer.status_code, answer.json()) == (
        404,
        {"error": "Unknown event 'nope'; 'ptghub event list' shows the events."},
    )


def test_a_topic_too_long_is_refused_in_the_commands_words(
    client: TestClient, store: Store
) -> None:
    me = sign_in_chair(client, store)

    answer = client.post(
        ACTION, data=me.form(team="nova", verb="now", topic="x" * 301), headers=JSON
    )

    assert (answer.status_code, answer.json()) == (
        400,
        {"error": bot_reply(store, "#nova now " + "x" * 301)},
    )


def test_a_script_sending_the_token_in_a_header_gets_json(client: TestClient, store: Store) -> None:
    me = sign_in_chair(client, store)

    answer = client.post(ACTION, data={"verb": "in", "team": "nova"}, headers=me.headers)

    assert (answer.status_code, answer.json()["reply"]) == (
        200,
        "OK, checked into #nova - thanks for the update!",
    )
