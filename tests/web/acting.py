"""What the tests of the pages' forms share: a closed event and its twin, a chair signed in
on the web, and a chat nick linked to a person."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient
from sqlalchemy import insert

from ptghub.core.events import EventCreated
from ptghub.core.model import Actor, nick_key
from ptghub.store import tables as t
from ptghub.store.store import Store
from tests.support import small_event
from tests.web.signing_in import SignedInClient, sign_in

EVENT = "test-ptg"
TWIN = "twin-ptg"  # the same event under another slug: where the bot runs the same text
ORGANIZER = Actor("olivia", frontend="irc")
BOT_CHAIR = Actor("nchair", frontend="irc")  # chairs nova in both events
ACTION = f"/events/{EVENT}/commands"
JSON = {"Accept": "application/json"}


def close_events(store: Store) -> None:
    """Make the test event and its twin closed: only chairs change their team."""
    events = small_event()
    info = events[0]
    assert isinstance(info, EventCreated)
    store.create_event([EventCreated(replace(info.info, slug=TWIN)), *events[1:]], ORGANIZER, "")
    for event in (EVENT, TWIN):
        store.run("~requirevoice", ORGANIZER, event=event)


def sign_in_chair(
    client: TestClient, store: Store, address: str = "nina@example.org"
) -> SignedInClient:
    """Sign in a person whose web nick an organizer made chair of nova."""
    me = sign_in(client, store, address)
    store.run(f"~role grant {me.account.web_nick} chair nova", ORGANIZER, event=EVENT)
    return me


def link_nick(store: Store, person_id: int, nick: str) -> None:
    """Record ``nick`` as one of the person's chat nicks (what ``link CODE`` does)."""
    with store.engine.begin() as conn:
        conn.execute(
            insert(t.nicks).values(nick_key=nick_key(nick), nick=nick, person_id=person_id)
        )


def audit_count(store: Store, event: str = EVENT) -> int:
    return len(store.audit(event))
