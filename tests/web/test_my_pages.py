"""My PTG on the web: following from the board and the team pages, topic patterns, the
page itself (now and next, clashes, the person's time zone), the notification choices and
the personal calendar feed; and the refusals of every form (web/follow_forms.py,
web/my_pages.py, web/follow_box.py)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from ptghub.core.model import Actor
from ptghub.store.follows import Followed
from ptghub.store.person_settings import Settings
from ptghub.store.store import Store
from tests.web.signing_in import SignedInClient, sign_in

WEB = "/events/test-ptg"
BOARD = f"{WEB}/board"
MY = f"{WEB}/my"
JSON = {"Accept": "application/json"}
ORGANIZER = Actor("olivia", frontend="test")


def _main(page: str) -> str:
    """The page's main part as text: tags dropped, spaces collapsed."""
    main = page[page.index("<main") : page.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def _follows(store: Store, me: SignedInClient) -> Followed:
    return store.attendees.follows.of(me.account.person_id, "test-ptg")


def test_following_from_the_board_without_javascript(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "ada@example.org")
    sent = client.post(
        f"{WEB}/follow", data=me.form(team="nova", back=BOARD), follow_redirects=False
    )
    assert (sent.status_code, sent.headers["location"]) == (303, BOARD)
    board = client.get(BOARD).text
    assert "You follow Nova/Placement now: its sessions are on My PTG." in _main(board)
    assert 'aria-label="Unfollow Nova/Placement"' in board
    assert '<li><a href="/events/test-ptg/my">My PTG</a></li>' in board  # the event menu
    again = client.post(f"{WEB}/follow", data=me.form(team="nova"), headers=JSON)
    assert again.json() == {"reply": "You already follow Nova/Placement."}
    assert _follows(store, me) == Followed(("nova",))


def test_following_and_unfollowing_from_a_team_page_with_javascript(
    client: TestClient, store: Store
) -> None:
    me = sign_in(client, store, "ada@example.org")
    page = client.get(f"{WEB}/teams/cinder").text
    assert '<button type="submit">Follow Cinder</button>' in page
    followed = client.post(
        f"{WEB}/follow", data={"team": "cinder", "back": f"{WEB}/teams/cinder"}, headers=me.headers
    )
    assert followed.json() == {"reply": "You follow Cinder now: its sessions are on My PTG."}
    assert "You follow Cinder: its sessions are on My PTG . Unfollow" in _main(
        client.get(f"{WEB}/teams/cinder").text
    )
    gone = client.post(f"{WEB}/unfollow", data={"team": "cinder"}, headers=me.headers)
    assert gone.json() == {"reply": "You no longer follow Cinder."}
    again = client.post(f"{WEB}/unfollow", data={"team": "cinder"}, headers=me.headers)
    assert again.json() == {"reply": "You did not follow Cinder."}
    assert _follows(store, me) == Followed()


def test_signed_out_the_follow_button_leads_to_sign_in_and_back(client: TestClient) -> None:
    team = client.get(f"{WEB}/teams/nova").text
    assert (
        '<form method="get" action="/signin" class="follow-form">\n'
        f'  <input type="hidden" name="next" value="{WEB}/teams/nova">\n'
        '  <button type="submit">Follow Nova/Placement (sign in first)</button>'
    ) in team
    board = client.get(BOARD).text
    assert f'<input type="hidden" name="next" value="{BOARD}">' in board
    assert '<button type="submit">Sign in to follow teams</button>' in board
    assert 'href="/events/test-ptg/my"' not in board  # My PTG is in the menu once signed in
    page = client.get(MY, follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (
        303,
        "/signin?next=%2Fevents%2Ftest-ptg%2Fmy",
    )


def test_an_unknown_team_is_a_404_naming_the_teams(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "ada@example.org")
    refused = client.post(f"{WEB}/follow", data=me.form(team="swift"), headers=JSON)
    assert (refused.status_code, refused.json()) == (
        404,
        {"error": "There is no team 'swift' at test-ptg; its teams: cinder, first-contact, "
         "nova, relmgt."},
    )  # fmt: skip


def test_patterns_are_validated_like_the_chats(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "ada@example.org")
    refused = client.post(f"{MY}/patterns", data=me.form(pattern="(?=placement)"))
    assert refused.status_code == 400
    assert (
        "Invalid regex: invalid perl operator: (?= "
        "(backreferences and lookaround are not supported)."
    ) in _main(refused.text)
    assert _follows(store, me) == Followed()
    store.run("#nova now Placement API", ORGANIZER, event="test-ptg")
    added = client.post(f"{MY}/patterns", data=me.form(pattern="placement"), follow_redirects=False)
    assert (added.status_code, added.headers["location"]) == (303, MY)
    page = _main(client.get(MY).text)
    assert "You follow the pattern placement now." in page
    assert "placement matches now: #nova now Placement API" in page
    removed = client.post(
        f"{MY}/patterns/remove", data={"pattern": "placement"}, headers=me.headers
    )
    assert removed.json() == {"reply": "You no longer follow placement."}
    assert _follows(store, me) == Followed()


def test_my_ptg_shows_now_next_and_clashes(client: TestClient, store: Store) -> None:
    # The clock: Monday 13:30 UTC. nova is planned in Austin Mon-A1 and Mon-A2.
    me = sign_in(client, store, "ada@example.org")
    for team in ("nova", "cinder", "relmgt"):
        store.attendees.follows.follow_team(me.account.person_id, "test-ptg", team)
    store.run("#cinder book Coiste Bainisti-Mon-A1", ORGANIZER, event="test-ptg")
    store.run("#relmgt book Coiste Bainisti-Mon-P1", ORGANIZER, event="test-ptg")
    store.run("#nova now Placement", ORGANIZER, event="test-ptg")
    store.run("#nova next Quotas", ORGANIZER, event="test-ptg")
    page = _main(client.get(MY).text)
    assert (
        "Clashes Teams you follow that meet at the same time: Clash: Mon 4 Apr 13:00 – 14:00 : "
        "Cinder and Nova/Placement meet at the same time (Coiste Bainisti, Austin)."
    ) in page
    assert (
        "Nova/Placement Now Placement Next Quotas Where Austin Video Join the video call "
        "Etherpad Etherpad"
    ) in page
    assert (
        "Monday 4 April 2022 13:00 – 15:00 (now) Nova/Placement in Austin (planned) "
        "Clash with Cinder. Video · Etherpad "
        "13:00 – 14:00 (now) Cinder in Coiste Bainisti (booked) Clash with Nova/Placement. "
        "Video · Etherpad "
        "15:00 – 16:00 (next) Release Management in Coiste Bainisti (booked) Video · Etherpad"
    ) in page


def test_the_persons_time_zone_shifts_the_times(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "ada@example.org")
    store.attendees.follows.follow_team(me.account.person_id, "test-ptg", "nova")
    refused = client.post(f"{MY}/zone", data=me.form(time_zone="Mars/Olympus"))
    assert refused.status_code == 400
    assert "Unknown time zone 'Mars/Olympus'; use an IANA name" in _main(refused.text)
    saved = client.post(f"{MY}/zone", data={"time_zone": "Asia/Tokyo"}, headers=me.headers)
    assert saved.json() == {"reply": "My PTG shows times in Asia/Tokyo."}
    page = _main(client.get(MY).text)
    assert "times in Asia/Tokyo ." in page
    assert "Monday 4 April 2022 22:00 – Tue 00:00 (now) Nova/Placement in Austin" in page
    asked = _main(client.get(MY, params={"tz": "America/Los_Angeles"}).text)
    assert "Monday 4 April 2022 06:00 – 08:00 (now) Nova/Placement" in asked
    back = client.post(f"{MY}/zone", data={"time_zone": ""}, headers=me.headers)
    assert back.json() == {"reply": "My PTG shows times in the event's time zone."}
    assert "Monday 4 April 2022 13:00 – 15:00 (now)" in _main(
        client.get(MY, params={"tz": "event"}).text
    )


def test_notification_channels_are_saved(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "ada@example.org")
    saved = client.post(
        f"{MY}/channels", data=me.form(email="on", browser="on"), follow_redirects=False
    )
    assert (saved.status_code, saved.headers["location"]) == (303, MY)
    settings = store.attendees.follows.settings
    assert settings.of(me.account.person_id) == Settings(None, False, True, True)
    page = client.get(MY).text
    assert '<input id="my-email" type="checkbox" name="email" value="on" checked>' in page
    assert '<input id="my-chat" type="checkbox" name="chat" value="on">' in page
    cleared = client.post(f"{MY}/channels", data={}, headers=me.headers)
    assert cleared.json() == {
        "reply": "You will not be told when what you follow goes now or next."
    }
    assert settings.of(me.account.person_id) == Settings()


def _summaries(client: TestClient, path: str) -> list[tuple[str, str]]:
    answer = client.get(path)
    assert (answer.status_code, answer.headers["content-type"]) == (
        200,
        "text/calendar; charset=utf-8",
    )
    calendar = Calendar.from_ical(answer.content)
    return [(str(e["summary"]), e.decoded("dtstart").isoformat()) for e in calendar.walk("VEVENT")]


def test_the_calendar_feed_follows_the_teams_and_dies_when_revoked(
    client: TestClient, store: Store
) -> None:
    me = sign_in(client, store, "ada@example.org")
    store.attendees.follows.follow_team(me.account.person_id, "test-ptg", "nova")
    made = client.post(f"{MY}/calendar", data=me.form())
    assert (made.status_code, made.headers["cache-control"]) == (200, "no-store")
    url = re.search(r'<code id="feed-url">([^<]+)</code>', made.text)
    assert url is not None
    path = url.group(1).removeprefix("http://testserver")
    assert re.fullmatch(r"/events/test-ptg/my/[A-Za-z0-9_-]{43}\.ics", path)
    assert _summaries(client, path) == [("Test PTG: Nova/Placement", "2022-04-04T13:00:00+00:00")]
    assert path not in client.get(MY).text  # shown once, never on the page again

    client.post(f"{WEB}/follow", data={"team": "cinder"}, headers=me.headers)
    store.run("#cinder book Austin-Tue-A1", ORGANIZER, event="test-ptg")
    assert _summaries(client, path) == [
        ("Test PTG: Nova/Placement", "2022-04-04T13:00:00+00:00"),
        ("Test PTG: Cinder", "2022-04-05T13:00:00+00:00"),
    ]
    revoked = client.post(f"{MY}/calendar/revoke", data={}, headers=me.headers)
    assert revoked.json() == {
        "reply": "Your calendar feed is revoked: its address no longer works."
    }
    gone = client.get(path)
    assert gone.status_code == 404
    assert gone.json() == {
        "error": "There is no such calendar feed: its address is wrong, or it was revoked. "
        "Make a new one on your My PTG page."
    }
    assert client.get(f"{MY}/no-such-secret.ics").status_code == 404


def test_the_feed_answers_304_until_the_follows_change(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "ada@example.org")
    store.attendees.follows.follow_team(me.account.person_id, "test-ptg", "nova")
    secret = store.attendees.follows.feeds.create(me.account.person_id, "test-ptg")
    first = client.get(f"{MY}/{secret}.ics")
    tag = first.headers["etag"]
    assert client.get(f"{MY}/{secret}.ics", headers={"If-None-Match": tag}).status_code == 304
    store.attendees.follows.follow_team(me.account.person_id, "test-ptg", "cinder")
    assert client.get(f"{MY}/{secret}.ics", headers={"If-None-Match": tag}).status_code == 200


FORMS = [
    (f"{WEB}/follow", {"team": "nova"}),
    (f"{WEB}/unfollow", {"team": "nova"}),
    (f"{MY}/patterns", {"pattern": "nova"}),
    (f"{MY}/patterns/remove", {"pattern": "nova"}),
    (f"{MY}/zone", {"time_zone": "Asia/Tokyo"}),
    (f"{MY}/channels", {"email": "on"}),
    (f"{MY}/calendar", {}),
    (f"{MY}/calendar/revoke", {}),
]


def _mine(store: Store, person: int) -> tuple[object, ...]:
    follows = store.attendees.follows
    return (
        follows.of(person, "test-ptg"),
        follows.settings.of(person),
        follows.feeds.active(person, "test-ptg"),
    )


@pytest.mark.parametrize(("path", "form"), FORMS, ids=[path for path, _ in FORMS])
def test_every_form_refuses_strangers_and_forged_requests(
    client: TestClient, store: Store, path: str, form: dict[str, str]
) -> None:
    me = sign_in(client, store, "ada@example.org")
    person = me.account.person_id
    store.attendees.follows.follow_team(person, "test-ptg", "nova")
    store.attendees.follows.add_pattern(person, "test-ptg", "nova")
    store.attendees.follows.feeds.create(person, "test-ptg")
    before = _mine(store, person)
    refusals = [
        (403, {**form}, {}),  # no token
        (403, {**form, "csrf": "0" * 64}, {}),  # a wrong one
        (403, me.form(**form), {"Sec-Fetch-Site": "cross-site"}),
        (403, me.form(**form), {"Origin": "https://evil.example"}),
    ]
    for status, data, headers in refusals:
        answer = client.post(path, data=data, headers=headers, follow_redirects=False)
        assert (answer.status_code, _mine(store, person)) == (status, before)
    client.cookies.clear()
    anonymous = client.post(path, data=form, headers=JSON)
    assert anonymous.status_code == 401
    assert anonymous.json()["sign_in"].startswith("/signin?next=")
    assert _mine(store, person) == before
