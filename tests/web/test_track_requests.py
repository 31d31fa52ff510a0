"""Track requests through the web (web/track_requests.py, web/organize_tracks.py): a team
that is not on the list asks for a track, the organizers ask for changes, the requester
edits it, the organizers approve it, and its new chair books a cell; the requester's mail
arrives at a real SMTP server at each step. Also: the signed-out page, the closing date,
the form's messages, and a request that is someone else's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from ptghub.core.model import SYSTEM, Role, RoleKind
from ptghub.core.team_needs import TeamNeeds
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.session import SESSION_COOKIE
from tests.mailserver import MailServer
from tests.web.mailed_links import main_text
from tests.web.signing_in import SignedInClient, sign_in

EVENT = "/events/test-ptg"
FORM = f"{EVENT}/tracks/request"
QUEUE = f"{EVENT}/organize/tracks"
REQUEST = {
    "team_name": "Eventlet Removal",
    "kind": "pop-up",
    "contacts": "Tess (tess on OFTC)",
    "purpose": "Plan the removal of eventlet from every service.",
    "hours": "3",
    "onboarding": "yes",
    "days": ["2022-04-05"],
}


@pytest.fixture
def browser(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as client:
        yield client


def _as(client: TestClient, person: SignedInClient) -> SignedInClient:
    client.cookies.set(SESSION_COOKIE, person.session)
    return person


def _organizer(client: TestClient, store: Store) -> SignedInClient:
    olga = sign_in(client, store, "olga@example.org")
    store.run(f"~role grant {olga.account.web_nick} organizer", SYSTEM, event="test-ptg")
    return olga


def _request(person: SignedInClient, **changes: object) -> dict[str, object]:
    """The request form's fields (REQUEST with ``changes``) and the person's CSRF token."""
    return {"csrf": person.csrf, **REQUEST, **changes}


def _post(client: TestClient, url: str, data: dict[str, object]) -> tuple[int, str]:
    """A form posted without JavaScript: the status and where it leads."""
    answer = client.post(url, data=data, follow_redirects=False)
    return answer.status_code, answer.headers.get("location", "")


def _subjects(mail_server: MailServer, store: Store) -> list[tuple[str, str]]:
    return [(str(m.message["To"]), str(m.message["Subject"])) for m in mail_server.deliver(store)]


def test_a_request_becomes_a_team_whose_new_chair_books_a_cell(
    browser: TestClient, store: Store, mail_server: MailServer
) -> None:
    olga = _organizer(browser, store)
    tess = sign_in(browser, store, "tess@example.org")

    # Sent: the requester sees it waiting, and is mailed.
    assert _post(browser, FORM, _request(tess)) == (303, f"{EVENT}/tracks/requests/1")
    mine = browser.get(f"{EVENT}/tracks/requests")
    assert "#1 Eventlet Removal waiting for the organizers" in main_text(mine)
    assert _subjects(mail_server, store) == [
        ("tess@example.org", "Track request #1 received: Eventlet Removal at Test PTG")
    ]

    # Changes asked: the message reaches the requester's page and mail.
    _as(browser, olga)
    assert _post(browser, f"{QUEUE}/1/changes", olga.form(message="Two hours are enough.")) == (
        303,
        QUEUE,
    )
    [mail] = mail_server.deliver(store)
    assert (mail.message["Subject"], "Two hours are enough." in mail.message.get_content()) == (
        "Track request #1: changes asked for Eventlet Removal at Test PTG",
        True,
    )
    _as(browser, tess)
    page = browser.get(f"{EVENT}/tracks/requests/1")
    assert "State: changes asked . The organizers' word: Two hours are enough." in main_text(page)

    # Edited and sent again.
    edited = _request(tess, hours="2")
    assert _post(browser, f"{EVENT}/tracks/requests/1", edited) == (
        303,
        f"{EVENT}/tracks/requests/1",
    )
    assert _subjects(mail_server, store) == [
        ("tess@example.org", "Track request #1 received: Eventlet Removal at Test PTG")
    ]

    # Approved: one audited change makes the team, its chair and its needs.
    _as(browser, olga)
    assert _post(browser, f"{QUEUE}/1/approve", olga.form()) == (303, QUEUE)
    state = store.state("test-ptg")
    team = state.teams["eventlet-removal"]
    assert (team.name, team.kind.value, team.onboarding) == (
        "Eventlet Removal",
        "pop-up-team",
        True,
    )
    assert Role(tess.account.web_nick, RoleKind.CHAIR, "eventlet-removal") in state.roles
    assert state.needs["eventlet-removal"] == TeamNeeds(
        "eventlet-removal",
        120,
        preferred_days=frozenset({datetime(2022, 4, 5).date()}),
        onboarding=True,
    )
    last = store.audit("test-ptg")[-1]
    assert (last.actor, last.text) == (
        olga.account.web_nick,
        f"track request 1 approve eventlet-removal chair {tess.account.web_nick}",
    )
    [mail] = mail_server.deliver(store)
    assert mail.message["Subject"] == "Track request #1 approved: Eventlet Removal at Test PTG"
    assert "http://testserver/events/test-ptg/teams/eventlet-removal" in mail.message.get_content()

    # The new chair books a cell from the team's page form.
    _as(browser, tess)
    booked = browser.post(
        f"{EVENT}/commands",
        data=tess.form(team="eventlet-removal", verb="book", cell="Austin-Tue-A1"),
        headers={"Accept": "application/json"},
    )
    assert booked.status_code == 200, booked.text
    assert store.state("test-ptg").cells[("austin", "tuea1")].team == "eventlet-removal"
    assert "approved" in main_text(browser.get(f"{EVENT}/tracks/requests"))


def test_a_declined_request_tells_its_requester_why(
    browser: TestClient, store: Store, mail_server: MailServer
) -> None:
    olga = _organizer(browser, store)
    tess = sign_in(browser, store, "tess@example.org")
    _post(browser, FORM, _request(tess))
    mail_server.deliver(store)
    _as(browser, olga)
    assert _post(browser, f"{QUEUE}/1/decline", olga.form(reason="")) == (303, QUEUE)
    refused = browser.get(QUEUE)
    assert "Missing reason for declining: the requester reads it in their mail; write one." in (
        main_text(refused)
    )
    assert _post(browser, f"{QUEUE}/1/decline", olga.form(reason="Join the Oslo track.")) == (
        303,
        QUEUE,
    )
    [mail] = mail_server.deliver(store)
    assert mail.message["Subject"] == "Track request #1 declined: Eventlet Removal at Test PTG"
    assert "Join the Oslo track." in mail.message.get_content()
    again = browser.post(f"{QUEUE}/1/approve", data=olga.form(), follow_redirects=False)
    assert again.status_code == 303
    assert "Track request #1 was already declined by" in main_text(browser.get(QUEUE))
    assert "eventlet-removal" not in store.state("test-ptg").teams


def test_signed_out_the_form_leads_to_sign_in_and_back(browser: TestClient) -> None:
    page = browser.get(FORM)
    assert page.status_code == 200
    assert '<a href="/signin?next=/events/test-ptg/tracks/request">' in page.text
    assert "Sign in to ask for a track : you come back to this form afterwards." in (
        main_text(page)
    )
    mine = browser.get(f"{EVENT}/tracks/requests")
    assert '<a href="/signin?next=/events/test-ptg/tracks/requests">' in mine.text
    assert _post(browser, FORM, dict(REQUEST))[0] == 401


def test_after_the_closing_date_the_form_is_closed_and_refuses(
    browser: TestClient, store: Store
) -> None:
    tess = sign_in(browser, store, "tess@example.org")
    store.attendees.tracks.set_closes_at("test-ptg", datetime(2022, 4, 1, 12, 0, tzinfo=UTC))
    page = browser.get(FORM)
    assert "Track requests for this event are closed (since 2022-04-01 12:00 UTC)." in (
        main_text(page)
    )
    assert 'name="team_name"' not in page.text
    refused = browser.post(FORM, data=_request(tess))
    assert refused.status_code == 409
    assert "Track requests for this event closed on 2022-04-01 12:00 UTC" in main_text(refused)
    assert store.attendees.tracks.queue("test-ptg") == []
    store.attendees.tracks.set_closes_at("test-ptg", datetime(2022, 4, 8, tzinfo=UTC))
    assert "Requests close on 2022-04-08 00:00 UTC." in main_text(browser.get(FORM))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"team_name": "Nova/Placement"},
            "There is already a team 'Nova/Placement' (#nova) at this event; choose another "
            "name, or ask its chairs for time in their track.",
        ),
        ({"team_name": "NOVA"}, "There is already a team 'Nova/Placement' (#nova)"),
        (
            {"team_name": "Seen"},
            "'seen' cannot be a team name: '#seen' is a user command (reserved: help, in, "
            "out, seen, subscribe, unsubscribe).",
        ),
        ({"team_name": "  "}, "Missing team name: please fill it in."),
        ({"team_name": "!!!"}, "'!!!' gives no usable team slug"),
        ({"kind": "club"}, "'club' is not a kind of team; choose one of Project team"),
        ({"contacts": ""}, "Missing contacts: please fill it in."),
        ({"purpose": "x" * 501}, "The purpose is 501 characters long; at most 500 are allowed."),
        ({"hours": "0"}, "'0' hours: give a whole number from 1 to 8 (the event has 8 h"),
        ({"hours": "two"}, "'two' hours: give a whole number from 1 to 8"),
        ({"days": ["2022-04-09"]}, "'2022-04-09' is not a day of the event (Mon 2022-04-04"),
    ],
)
def test_the_form_says_what_is_wrong_and_stores_nothing(
    browser: TestClient, store: Store, changes: dict[str, object], message: str
) -> None:
    tess = sign_in(browser, store, "tess@example.org")
    answer = browser.post(FORM, data=_request(tess, **changes))
    assert answer.status_code == 400
    assert message in main_text(answer)
    assert store.attendees.tracks.queue("test-ptg") == []


def test_a_request_is_its_requesters_own(browser: TestClient, store: Store) -> None:
    tess = sign_in(browser, store, "tess@example.org")
    _post(browser, FORM, _request(tess))
    mallory = sign_in(browser, store, "mallory@example.org")
    assert browser.get(f"{EVENT}/tracks/requests/1").status_code == 404
    withdrawn = browser.post(f"{EVENT}/tracks/requests/1/withdraw", data=mallory.form())
    assert (withdrawn.status_code, "You have no track request #1" in main_text(withdrawn)) == (
        404,
        True,
    )
    _as(browser, tess)
    assert _post(browser, f"{EVENT}/tracks/requests/1/withdraw", tess.form()) == (
        303,
        f"{EVENT}/tracks/requests/1",
    )
    assert [r.state for r in store.attendees.tracks.queue("test-ptg")] == ["withdrawn"]
    again = browser.post(f"{EVENT}/tracks/requests/1/withdraw", data=tess.form())
    assert again.status_code == 409


def test_what_people_write_is_shown_as_text(browser: TestClient, store: Store) -> None:
    tess = sign_in(browser, store, "tess@example.org")
    script = "<script>alert(1)</script>"
    _post(browser, FORM, _request(tess, team_name="<b>Bold</b>", purpose=script))
    page = browser.get(f"{EVENT}/tracks/requests/1")
    assert ("&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, script in page.text) == (
        True,
        False,
    )
    assert "Track request #1: &lt;b&gt;Bold&lt;/b&gt;" in page.text


def test_a_request_is_edited_only_when_changes_were_asked(
    browser: TestClient, store: Store
) -> None:
    tess = sign_in(browser, store, "tess@example.org")
    _post(browser, FORM, _request(tess))
    early = browser.post(f"{EVENT}/tracks/requests/1", data=_request(tess, hours="1"))
    assert (early.status_code, main_text(early)) == (
        409,
        "That did not work Track request #1 is waiting for the organizers: it can be edited "
        "only while the organizers ask for changes. Your track requests",
    )
    store.attendees.tracks.ask_changes("test-ptg", 1, SYSTEM, "Fewer hours.", site="")
    wrong = browser.post(f"{EVENT}/tracks/requests/1", data=_request(tess, hours="none"))
    assert wrong.status_code == 400
    assert "'none' hours: give a whole number from 1 to 8" in main_text(wrong)
    found = store.attendees.tracks.get("test-ptg", 1)
    assert (found.state, found.proposal.hours) == ("changes-requested", 3)
