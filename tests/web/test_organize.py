"""The organizers' pages: messages of the day and teams, from the browser.

A signed-in organizer runs the bots' own commands from forms, and gets the bots' own
replies: as JSON for the page's script, or after a 303 back to the page, shown once,
without JavaScript. Every change is audited as the person's web nick with front end web.
Who may not (tests/web/test_organize_access.py) changes nothing.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ptghub.core.model import Actor, Motd, MotdLevel
from ptghub.store.store import Store
from ptghub.web.flash import FLASH_COOKIE
from tests.web.organizing import (
    EVENT,
    OPERATOR,
    ORGANIZE,
    audit_count,
    bot_reply,
    organizer,
    post,
    post_json,
)


def _flash(html: str) -> str | None:
    """The reply a page shows, once, above its forms."""
    found = re.search(r'<p class="flash [^"]*" role="\w+" data-flash>(.*?)</p>', html, re.S)
    return found.group(1) if found else None


# Who the organizer of these tests is to the bots: the web nick of olga@example.org.
OLGA = Actor("olga@web", frontend="web")


# -- the overview --------------------------------------------------------------------


def test_the_overview_links_every_organizers_page(client: TestClient, store: Store) -> None:
    organizer(client, store)
    page = client.get(ORGANIZE)
    assert page.status_code == 200
    for href in ("organize/messages", "organize/teams", "organize/grid", "organize/pages"):
        assert f'href="/events/{EVENT}/{href}"' in page.text
    assert f'href="/events/{EVENT}/plan"' in page.text
    assert f'href="/events/{EVENT}/people"' in page.text
    assert "Signed in as olga (<code>olga@web</code>)." in page.text


# -- messages of the day -------------------------------------------------------------


def test_adding_a_message_answers_as_the_bot_and_is_audited_as_the_person(
    client: TestClient, store: Store
) -> None:
    me = organizer(client, store)
    text = "~motd add warning Lunch is <late>"
    expected = bot_reply(store, text, OLGA)
    answer = post_json(
        client, f"{ORGANIZE}/messages/add", **me.form(level="warning", text="Lunch is <late>")
    )
    entry = store.audit(EVENT)[-1]
    assert (answer.status_code, answer.json()) == (
        200,
        {"reply": expected, "changed": True, "audit_id": entry.id},
    )
    assert expected == "OK, message added."
    assert (entry.actor, entry.frontend, entry.text) == ("olga@web", "web", text)
    assert store.state(EVENT).motd == (Motd(MotdLevel.WARNING, "Lunch is <late>"),)
    # The page shows it escaped, like every other text a person wrote.
    assert "Lunch is &lt;late&gt;" in client.get(f"{ORGANIZE}/messages").text


def test_without_javascript_a_form_returns_to_its_page_with_the_reply_once(
    client: TestClient, store: Store
) -> None:
    me = organizer(client, store)
    answer = post(client, f"{ORGANIZE}/messages/add", **me.form(level="info", text="Welcome!"))
    assert (answer.status_code, answer.headers["location"]) == (303, f"{ORGANIZE}/messages")
    assert FLASH_COOKIE in answer.cookies
    first = client.get(f"{ORGANIZE}/messages")
    assert _flash(first.text) == "OK, message added."
    assert _flash(client.get(f"{ORGANIZE}/messages").text) is None  # once


def test_a_refused_message_says_the_bots_words_and_changes_nothing(
    client: TestClient, store: Store
) -> None:
    me = organizer(client, store)
    before = audit_count(store)
    expected = "Unknown level 'loud': expected one of info, success, warning, danger."
    answer = post_json(client, f"{ORGANIZE}/messages/add", **me.form(level="loud", text="Hi"))
    assert (answer.status_code, answer.json()) == (400, {"error": expected})
    # Without JavaScript: back to the page, which says what was wrong.
    answer = post(client, f"{ORGANIZE}/messages/add", **me.form(level="info", text=""))
    assert answer.status_code == 303
    page = client.get(f"{ORGANIZE}/messages").text
    assert _flash(page) == "Missing parameters: expected &#39;~motd add LEVEL TEXT&#39;."
    assert 'class="flash flash-refused" role="alert"' in page
    assert audit_count(store) == before


def test_messages_are_removed_moved_up_and_reordered(client: TestClient, store: Store) -> None:
    me = organizer(client, store)
    for text in ("one", "two", "three"):
        store.run(f"~motd add info {text}", OPERATOR)

    def texts() -> list[str]:
        return [m.text for m in store.state(EVENT).motd]

    expected = bot_reply(store, "~motd reorder 1 3 2", OLGA)
    answer = post_json(client, f"{ORGANIZE}/messages/up", **me.form(n="3"))
    assert answer.json()["reply"] == expected == "OK, messages reordered."
    assert texts() == ["one", "three", "two"]
    assert store.audit(EVENT)[-1].text == "~motd reorder 1 3 2"

    expected = bot_reply(store, "~motd reorder 3 1", OLGA)
    answer = post_json(client, f"{ORGANIZE}/messages/reorder", **me.form(order="3 1"))
    assert answer.json()["reply"] == expected
    assert expected == "OK, messages reordered. Removed message(s) not listed: 2."
    assert texts() == ["two", "one"]

    expected = bot_reply(store, "~motd del 1", OLGA)
    answer = post_json(client, f"{ORGANIZE}/messages/remove", **me.form(n="1"))
    assert answer.json()["reply"] == expected == "OK, message 1 deleted."
    assert texts() == ["one"]

    answer = post_json(client, f"{ORGANIZE}/messages/up", **me.form(n="1"))
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "Message '1' cannot move up: expected a number from 2 to 1."},
    )
    answer = post_json(client, f"{ORGANIZE}/messages/remove", **me.form(n="4"))
    assert answer.json() == {"error": "Incorrect message number '4': expected 1 to 1."}


def test_the_messages_page_has_a_form_for_each_action(client: TestClient, store: Store) -> None:
    me = organizer(client, store)
    store.run("~motd add info one", OPERATOR)
    store.run("~motd add danger two", OPERATOR)
    page = client.get(f"{ORGANIZE}/messages").text
    for action in ("add", "remove", "up", "reorder"):
        assert f'action="/events/{EVENT}/organize/messages/{action}"' in page
    assert (
        page.count(f'name="csrf" value="{me.csrf}"') == 2 + 1 + 1 + 1 + 1
    )  # remove x2, up, reorder, add, and the header's sign-out


# -- teams ---------------------------------------------------------------------------


def test_teams_are_added_and_deleted_with_the_bots_replies(
    client: TestClient, store: Store
) -> None:
    me = organizer(client, store)
    expected = bot_reply(store, "~add Swift Ironic", OLGA)
    answer = post_json(client, f"{ORGANIZE}/teams/add", **me.form(teams="Swift Ironic"))
    assert answer.json()["reply"] == expected == "OK, added swift (Swift) ironic (Ironic)"
    assert {"swift", "ironic"} <= set(store.state(EVENT).teams)

    expected = bot_reply(store, "~del swift", OLGA)
    answer = post_json(client, f"{ORGANIZE}/teams/delete", **me.form(team="swift"))
    assert answer.json()["reply"] == expected == "OK, deleted swift"
    assert "swift" not in store.state(EVENT).teams
    assert [(e.actor, e.frontend, e.text) for e in store.audit(EVENT)[-2:]] == [
        ("olga@web", "web", "~add Swift Ironic"),
        ("olga@web", "web", "~del swift"),
    ]

    # nova holds cells: the bot's refusal, nothing changed.
    before = audit_count(store)
    answer = post_json(client, f"{ORGANIZE}/teams/delete", **me.form(team="nova"))
    assert answer.status_code == 409
    assert answer.json()["error"].startswith("nova holds 2 cell(s) in the schedule")
    assert audit_count(store) == before


def test_a_team_is_renamed_as_one_audited_change(client: TestClient, store: Store) -> None:
    me = organizer(client, store)
    answer = post_json(
        client, f"{ORGANIZE}/teams/rename", **me.form(team="cinder", name="Cinder Block Storage")
    )
    entry = store.audit(EVENT)[-1]
    assert answer.json() == {
        "reply": "OK, cinder is now shown as 'Cinder Block Storage'.",
        "changed": True,
        "audit_id": entry.id,
    }
    assert (entry.actor, entry.frontend, entry.text) == (
        "olga@web",
        "web",
        "team rename cinder Cinder Block Storage",
    )
    assert store.state(EVENT).teams["cinder"].name == "Cinder Block Storage"
    again = post_json(
        client, f"{ORGANIZE}/teams/rename", **me.form(team="cinder", name="Cinder Block Storage")
    )
    assert again.json() == {
        "reply": "Nothing to change: cinder is already shown as 'Cinder Block Storage'.",
        "changed": False,
        "audit_id": None,
    }
    bad = post_json(client, f"{ORGANIZE}/teams/rename", **me.form(team="cinder", name=" "))
    assert (bad.status_code, bad.json()) == (400, {"error": "Missing team name."})


def test_the_teams_page_shows_each_teams_chairs(client: TestClient, store: Store) -> None:
    organizer(client, store)
    store.run("~role grant ann chair cinder", OPERATOR)
    page = client.get(f"{ORGANIZE}/teams").text
    row = page[page.index("<code>cinder</code>") :]
    row = row[: row.index("</tr>")]
    assert "<li><code>ann</code></li>" in row
    nova = page[page.index("<code>nova</code>") :]
    assert "<li><code>nchair</code></li>" in nova[: nova.index("</tr>")]
    assert f'href="/events/{EVENT}/people"' in page
