"""web/actions.py without JavaScript, and who may post at all; web/chair_panel.py: the
signed-in person's forms on the board and the team page, outside the live regions."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ptghub.core.ratelimit import Rate
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.flash import FLASH_COOKIE
from ptghub.web.fragments import render_fragments
from ptghub.web.limits import WebLimits
from tests.support import Clock
from tests.web.acting import (
    ACTION,
    EVENT,
    JSON,
    ORGANIZER,
    audit_count,
    close_events,
    sign_in_chair,
)
from tests.web.signing_in import sign_in

BOARD = f"/events/{EVENT}/board"
NOVA = f"/events/{EVENT}/teams/nova"
FLASH = re.compile(r'<p class="flash flash-ok" role="status">(.*?)</p>')


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    close_events(store)
    with TestClient(create_app(store)) as test_client:
        yield test_client


def test_a_form_without_javascript_comes_back_to_its_page_showing_the_reply_once(
    client: TestClient, store: Store
) -> None:
    me = sign_in_chair(client, store)
    fields = me.form(team="nova", verb="now", topic="Placement <API>", back=NOVA)

    answer = client.post(ACTION, data=fields, follow_redirects=False)

    assert (answer.status_code, answer.headers["location"]) == (303, NOVA)
    assert "Placement" not in answer.headers["location"]
    first, second = client.get(NOVA), client.get(NOVA)
    assert FLASH.findall(first.text) == ["OK, nova now discusses: Placement &lt;API&gt;"]
    assert FLASH.findall(second.text) == []


@pytest.mark.parametrize(
    "back", ["https://evil.example/", "//evil.example/board", "/\\evil.example", "board", ""]
)
def test_a_form_never_leads_off_the_site(client: TestClient, store: Store, back: str) -> None:
    me = sign_in_chair(client, store)
    fields = me.form(verb="in", location="the lobby", back=back)

    answer = client.post(ACTION, data=fields, follow_redirects=False)

    assert (answer.status_code, answer.headers["location"]) == (303, BOARD)


def test_a_refused_form_without_javascript_shows_the_bots_words(
    client: TestClient, store: Store
) -> None:
    me = sign_in(client, store, "sam@example.org")
    before = audit_count(store)

    answer = client.post(ACTION, data=me.form(team="nova", verb="now", topic="X", back=NOVA))

    assert answer.status_code == 403
    assert "Only a chair of nova or an organizer can change it; sam@web is neither." in answer.text
    assert f'<a href="{NOVA}">Back to the page</a>' in answer.text
    assert audit_count(store) == before


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "page"])
def test_nobody_signed_in_is_refused_and_nothing_changes(
    client: TestClient, store: Store, as_json: bool
) -> None:
    before = audit_count(store)
    fields = {"team": "nova", "verb": "now", "topic": "X", "back": NOVA}

    answer = client.post(ACTION, data=fields, headers=JSON if as_json else {})

    assert answer.status_code == 401
    sign_in_at = "/signin?next=%2Fevents%2Ftest-ptg%2Fteams%2Fnova"
    if as_json:
        assert answer.json() == {
            "error": "Only a person who is signed in can change the event; sign in first.",
            "sign_in": sign_in_at,
        }
    else:
        assert f'<a href="{sign_in_at}">Sign in</a>' in answer.text
    assert audit_count(store) == before


@pytest.mark.parametrize(
    ("token", "headers"),
    [
        (None, {}),
        ("0" * 64, {}),
        ("valid", {"Sec-Fetch-Site": "cross-site"}),
        ("valid", {"Origin": "https://evil.example"}),
    ],
    ids=["missing", "wrong", "cross-site", "other-origin"],
)
def test_a_form_without_its_token_or_from_another_site_is_refused(
    client: TestClient, store: Store, token: str | None, headers: dict[str, str]
) -> None:
    me = sign_in_chair(client, store)
    before = audit_count(store)
    fields = {"team": "nova", "verb": "now", "topic": "X"}
    if token is not None:
        fields["csrf"] = me.csrf if token == "valid" else token

    answer = client.post(ACTION, data=fields, headers={**JSON, **headers})

    assert answer.status_code == 403
    assert audit_count(store) == before


def test_the_page_script_may_send_the_token_as_a_header(client: TestClient, store: Store) -> None:
    me = sign_in_chair(client, store)
    fields = {"team": "nova", "verb": "next", "topic": "Quotas"}

    answer = client.post(ACTION, data=fields, headers={**JSON, **me.headers})

    assert (answer.status_code, answer.json()["reply"]) == (200, "OK, nova next: Quotas")
    assert FLASH_COOKIE not in answer.cookies


def _forms(html: str) -> list[tuple[str, str]]:
    """(team, verb) of each form of the page's panel."""
    return re.findall(
        r'name="team" value="([^"]+)"><input type="hidden" name="verb" value="(\w+)"', html
    )


def test_a_chair_has_the_forms_of_their_team_on_the_board(
    client: TestClient, store: Store, clock: Clock
) -> None:
    sign_in_chair(client, store)
    store.run("#nova book Coiste Bainisti-Tue-A1", ORGANIZER, event=EVENT)
    clock.advance(hours=1)  # Monday 14:30

    page = client.get(BOARD).text

    verbs = ["now", "next", "clear", "location", "etherpad", "url", "color", "book", "unbook"]
    assert _forms(page) == [("nova", verb) for verb in verbs]
    assert '<option value="Coiste Bainisti-Tue-A1">Coiste Bainisti-Tue-A1 (booked)</option>' in page
    # Mon-A1 (13:00-14:00) is over; Mon-A2 is not; Bexar is not bookable.
    assert '<option value="Coiste Bainisti-Mon-A1">' not in page
    assert '<option value="Coiste Bainisti-Mon-A2">' in page
    assert "Bexar-Mon-A2" not in page
    assert 'id="act-team"' not in page  # one team: nothing to choose
    assert 'name="verb" value="in"' in page and 'src="/static/chair.js"' in page


def test_the_forms_are_outside_the_live_regions(client: TestClient, store: Store) -> None:
    me = sign_in_chair(client, store)
    state = store.state(EVENT)

    regions = render_fragments(state, store.clock())

    assert [key for key, html in regions.items() if me.csrf in html or "act-form" in html] == []


def test_an_organizer_picks_the_team_whose_forms_the_board_shows(
    client: TestClient, store: Store
) -> None:
    me = sign_in(client, store, "olga@example.org")
    store.run(f"~role grant {me.account.web_nick} organizer", ORGANIZER, event=EVENT)

    first, cinder = client.get(BOARD).text, client.get(f"{BOARD}?act=cinder").text

    assert re.findall(r'<option value="([\w-]+)"(?: selected)?>', first)[:4] == [
        "cinder",
        "first-contact",
        "nova",
        "relmgt",
    ]
    assert {team for team, _ in _forms(first)} == {"cinder"}
    assert {team for team, _ in _forms(cinder)} == {"cinder"}
    assert {team for team, _ in _forms(client.get(f"{BOARD}?act=relmgt").text)} == {"relmgt"}
    # An organizer frees planned cells too.
    assert '<option value="Austin-Mon-A1">' not in first
    nova = client.get(f"{BOARD}?act=nova").text
    assert '<option value="Austin-Mon-A1">Austin-Mon-A1 (planned)</option>' in nova


def test_a_person_without_a_team_can_only_check_in(client: TestClient, store: Store) -> None:
    sign_in(client, store, "sam@example.org")

    page = client.get(BOARD).text

    assert _forms(page) == []
    assert '<h2 id="h-act">Check in</h2>' in page
    assert 'name="verb" value="in"' in page


def test_nobody_signed_in_is_offered_to_sign_in(client: TestClient) -> None:
    page = client.get(BOARD).text

    assert 'id="act"' not in page and "chair.js" not in page
    assert '<a href="/signin?next=%2Fevents%2Ftest-ptg%2Fboard">sign in</a>' in page


def test_a_team_page_has_the_forms_of_that_team_for_its_chair(
    client: TestClient, store: Store
) -> None:
    sign_in_chair(client, store)

    nova, cinder = client.get(NOVA).text, client.get(f"/events/{EVENT}/teams/cinder").text

    assert {team for team, _ in _forms(nova)} == {"nova"}
    assert _forms(cinder) == []
    assert 'name="back" value="/events/test-ptg/teams/nova"' in nova


def test_a_person_writing_too_fast_is_told_when_to_try_again(store: Store) -> None:
    close_events(store)
    limits = WebLimits(writes=Rate(1, 60.0))
    with TestClient(create_app(store, limits=limits)) as client:
        me = sign_in_chair(client, store)
        fields = me.form(verb="in", location="the lobby")
        first = client.post(ACTION, data=fields, headers=JSON)
        before = audit_count(store)

        second = client.post(ACTION, data=fields, headers=JSON)

    assert first.status_code == 200
    assert (second.status_code, second.headers["retry-after"], second.json()) == (
        429,
        "60",
        {"error": "Too many changes from your account; try again in 60 seconds."},
    )
    assert audit_count(store) == before


def test_a_team_page_offers_anyone_signed_in_to_check_in_there(
    client: TestClient, store: Store
) -> None:
    sign_in(client, store, "sam@example.org")

    page = client.get(f"/events/{EVENT}/teams/cinder").text

    assert _forms(page) == []
    assert (
        'name="location" maxlength="100" required placeholder="#team or a place" value="#cinder"'
        in page
    )
