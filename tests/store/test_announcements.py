"""Announcements: who each audience reaches, once each and never an address that
unsubscribed; sending queues every mail and marks the announcement sent in one
transaction, once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ptghub.core.errors import Conflict, InvalidInput
from ptghub.core.model import Actor
from ptghub.store import tables as t
from ptghub.store.announcements import Announcement, Announcements, Parts
from ptghub.store.store import Store
from tests.attendee_rows import EVENT, follower, registrant
from tests.support import Clock

OPERATOR = Actor("root", frontend="cli", operator=True)
LINK = "https://ptg.example.org/u/"


def _a(store: Store) -> Announcements:
    return store.attendees.updates.announcements


def _parts(found: Announcement) -> Parts:
    return Parts(found.subject, found.body_markdown, f"<p>{found.body_markdown}</p>")


def _unsubscribe(store: Store, address: str) -> None:
    subscribers = store.attendees.updates.subscribers
    subscribers.unsubscribe(
        EVENT, subscribers.unsubscribe_tokens(subscribers.event_id(EVENT))(address)
    )


def _listed(store: Store, *addresses: str) -> None:
    subscribers = store.attendees.updates.subscribers
    for address in addresses:
        _, token = subscribers.subscribe(EVENT, address)
        assert token is not None
        subscribers.confirm(EVENT, token)


def _outbox(store: Store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.outbox.c.to_address, t.outbox.c.kind).order_by(t.outbox.c.id))
        return [(str(a), str(k)) for a, k in rows]


def test_each_audience_reaches_its_people_at_their_first_address(
    store: Store, clock: Clock
) -> None:
    registrant(store, "dev@example.org")
    registrant(store, "ops@example.org", role="operator")
    registrant(store, "gone@example.org", state="cancelled")
    registrant(store, "wait@example.org", state="waiting")
    follower(store, "fan@example.org", "nova")
    follower(store, "dev@example.org", "nova")
    follower(store, "other@example.org", "cinder")
    chair = store.accounts.sign_up("chair@example.org")
    clock.advance(minutes=1)
    with store.engine.begin() as conn:  # a second address, verified later: not used
        store.accounts.add_address(conn, chair.person_id, "chair-too@example.org")
    store.run(f"~role grant {chair.web_nick} chair cinder", OPERATOR)
    _listed(store, "list@example.org")
    store.attendees.updates.subscribers.subscribe(EVENT, "pending@example.org")
    assert {
        (audience, value): _a(store).recipients(EVENT, audience, value)
        for audience, value in [
            ("updates-list", ""),
            ("registrants", ""),
            ("role", "operator"),
            ("chairs", ""),
            ("followers", "nova"),
        ]
    } == {
        ("updates-list", ""): ["list@example.org"],
        ("registrants", ""): ["dev@example.org", "ops@example.org"],
        ("role", "operator"): ["ops@example.org"],
        ("chairs", ""): ["chair@example.org"],  # nchair, the event's own, has no address
        ("followers", "nova"): ["dev@example.org", "fan@example.org"],
    }
    assert _a(store).roles(EVENT) == ["developer", "operator"]


def test_an_unsubscribed_address_is_left_out_of_every_audience(store: Store) -> None:
    registrant(store, "dev@example.org")
    registrant(store, "ops@example.org")
    follower(store, "dev@example.org", "nova")
    _listed(store, "dev@example.org", "list@example.org")
    _unsubscribe(store, "DEV@example.org")
    for audience, value in [("updates-list", ""), ("registrants", ""), ("followers", "nova")]:
        assert "dev@example.org" not in _a(store).recipients(EVENT, audience, value)
    assert _a(store).recipients(EVENT, "registrants") == ["ops@example.org"]


def test_sending_queues_one_mail_per_address_and_only_once(store: Store) -> None:
    registrant(store, "dev@example.org")
    registrant(store, "ops@example.org", role="operator")
    number = _a(store).create(EVENT, None, "Hello", "Welcome *all*", "registrants", "")
    assert _a(store).send(EVENT, number, _parts, lambda token: LINK + token, "Test PTG") == 2
    assert _outbox(store) == [
        ("dev@example.org", "announcement"),
        ("ops@example.org", "announcement"),
    ]
    sent = _a(store).get(EVENT, number)
    assert (sent.state, sent.recipients, sent.sent_at) == ("sent", 2, store.clock())
    with pytest.raises(Conflict) as refused:
        _a(store).send(EVENT, number, _parts, lambda token: LINK + token, "Test PTG")
    assert refused.value.message == (
        "The announcement 'Hello' was sent already; it cannot be changed, deleted or sent again."
    )
    for change in (
        lambda: _a(store).update(EVENT, number, "Again", "x", "registrants", ""),
        lambda: _a(store).delete(EVENT, number),
    ):
        with pytest.raises(Conflict):
            change()
    assert len(_outbox(store)) == 2
    assert [a.id for a in _a(store).all(EVENT, sent_only=True)] == [number]


def test_registrants_who_accepted_an_older_code_of_conduct_are_asked_again_in_the_mail(
    store: Store,
) -> None:
    registrations = store.attendees.registrations
    event_id = registrations.event_id(EVENT)
    registrant(store, "dev@example.org")
    again = registrant(store, "ops@example.org")
    version = registrations.coc_changed(event_id)
    registrations.accept_coc(event_id, again, version=version)
    number = _a(store).create(EVENT, None, "Hello", "Welcome", "registrants", "")
    coc = "https://ptg.example.org/events/test-ptg/register/code-of-conduct"
    _a(store).send(EVENT, number, _parts, lambda token: LINK + token, "Test PTG", coc_link=coc)
    with store.engine.connect() as conn:
        mails = dict(conn.execute(select(t.outbox.c.to_address, t.outbox.c.body_text)).all())
    asked = f"The code of conduct of Test PTG has changed: please read and accept it: {coc}"
    assert (mails["dev@example.org"].startswith(asked), asked in mails["ops@example.org"]) == (
        True,
        False,
    )


def test_a_send_that_fails_queues_nothing_and_stays_a_draft(store: Store) -> None:
    registrant(store, "dev@example.org")
    registrant(store, "ops@example.org")
    number = _a(store).create(EVENT, None, "Hello", "Hi", "registrants", "")

    def link(token: str) -> str:
        if "b3Bz" in token:  # ops@..., the second mail: the transaction fails midway
            raise RuntimeError("the disk is full")
        return LINK + token

    with pytest.raises(RuntimeError):
        _a(store).send(EVENT, number, _parts, link, "Test PTG")
    assert (_outbox(store), _a(store).get(EVENT, number).state) == ([], "draft")


def test_every_mail_has_the_one_click_unsubscribe_headers(store: Store) -> None:
    _listed(store, "list@example.org")
    number = _a(store).create(EVENT, None, "Hello", "Hi", "updates-list", "")
    _a(store).send(EVENT, number, _parts, lambda token: LINK + token, "Test PTG")
    [entry] = store.outbox.entries(["queued"])
    token = store.attendees.updates.subscribers.unsubscribe_tokens(
        store.attendees.updates.subscribers.event_id(EVENT)
    )("list@example.org")
    assert dict(entry.headers) == {
        "List-Unsubscribe": f"<{LINK}{token}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert entry.body_text.startswith("Hi\n\n-- \nYou get this mail about Test PTG.")
    assert entry.body_text.endswith(f"unsubscribe: {LINK}{token}\n")
    assert f'<a href="{LINK}{token}">Unsubscribe</a>' in (entry.body_html or "")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (("", "x", "registrants", ""), "An announcement needs a subject: the mail's subject line."),
        (("S", " ", "registrants", ""),
         "An announcement needs a text (Markdown): it is the mail's body."),
        (("S", "x", "everyone", ""),
         "'everyone' is not an audience; use one of updates-list, registrants, role, chairs, "
         "followers."),
        (("S", "x", "role", ""), "The audience role needs a role, such as developer."),
        (("S", "x", "followers", "swift"), "The event has no team 'swift' to send to."),
        (("S" * 201, "x", "registrants", ""), "The subject is too long: at most 200 characters."),
    ],
)  # fmt: skip
def test_bad_drafts_are_refused_with_what_is_expected(
    store: Store, fields: tuple[str, str, str, str], message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _a(store).create(EVENT, None, *fields)
    assert refused.value.message == message
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.announcements)).scalar() == 0
