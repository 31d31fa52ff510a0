"""A team's recap page, its Markdown and JSON, and the chairs' outcome forms on it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ptghub.core.model import Actor
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.recap_story import SLUG, STORY_MARKDOWN, play_story
from tests.support import Clock
from tests.web.signing_in import SignedInClient, sign_in
from tests.web.test_pages import page, texts

RECAP = f"/events/{SLUG}/teams/nova/recap"
ACTION = f"/events/{SLUG}/commands"
FLASH = re.compile(r'<p class="flash flash-ok" role="status">(.*?)</p>')


@pytest.fixture
def client(empty_store: Store, clock: Clock) -> Iterator[TestClient]:
    play_story(empty_store, clock)
    with TestClient(create_app(empty_store)) as test_client:
        yield test_client


def sign_in_chair(client: TestClient, store: Store) -> SignedInClient:
    me = sign_in(client, store, "nina@example.org")
    store.run(f"~role grant {me.account.web_nick} chair nova", Actor("olivia"), event=SLUG)
    return me


def audit_count(store: Store) -> int:
    return len(store.audit(SLUG))


def test_recap_page_shows_sessions_topics_unused_and_links(client: TestClient) -> None:
    doc = page(client.get(RECAP))

    assert texts(doc, "//h1") == ["Recap: Nova"]
    assert texts(doc, '//p[@class="recap-scope"]') == [
        "What Nova did at Story PTG up to Tue 5 Apr 17:00. Times are in Europe/Paris."
    ]
    assert texts(doc, '//table[@class="recap-sessions"]/tbody/tr') == [
        "Mon 4 Apr 15:00–17:00 Austin planned 2 1, 2",
        "Tue 5 Apr 15:00–16:00 Bexar booked 0 none",
    ]
    assert texts(doc, '//ol[@class="recap-topics"]/li') == [
        "Placement API (Mon 4 Apr 15:05, 55 min) Outcome: Ship the new API in Zed.",
        "Quotas <script>alert(1)</script> (Mon 4 Apr 16:00, 1 h)",
    ]
    assert doc.xpath('//ol[@class="recap-topics"]/li/@value') == ["1", "2"]
    assert texts(doc, '//ul[@class="recap-unused"]/li') == [
        "Tue 5 Apr 15:00–16:00, Bexar: no topic and nobody checked in.",
        "Tue 5 Apr 16:00–17:00, Austin: planned, given up on Mon 4 Apr 20:00.",
        "Queued as next, never discussed: Unified limits",
    ]
    assert texts(doc, '//ul[@class="recap-links"]/li') == [
        "Etherpad: https://etherpad.opendev.org/p/story-ptg-nova",
        "Video (Austin): https://meet.example.org/austin",
        "Video (Bexar): https://meet.example.org/bexar",
        "Recordings: https://videos.example.org/nova",
    ]
    assert doc.xpath('//p[@class="recap-nav"]/a/@href') == [
        f"/events/{SLUG}/teams/nova",
        f"{RECAP}?format=md",
        f"{RECAP}?format=json",
    ]
    assert doc.xpath('//form[@class="recap-outcome"]') == []  # nobody signed in


def test_recap_page_escapes_a_topic_holding_a_script(client: TestClient) -> None:
    html = client.get(RECAP).text

    assert "Quotas &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html


def test_recap_page_in_the_viewers_zone(client: TestClient) -> None:
    doc = page(client.get(f"{RECAP}?tz=UTC"))

    assert texts(doc, '//p[@class="recap-scope"]') == [
        "What Nova did at Story PTG up to Tue 5 Apr 15:00. Times are in UTC."
    ]
    assert texts(doc, '//table[@class="recap-sessions"]/tbody/tr[1]/th') == [
        "Mon 4 Apr 13:00–15:00"
    ]


def test_recap_page_at_a_moment_during_the_event(client: TestClient) -> None:
    doc = page(client.get(f"{RECAP}?at=2022-04-04T15:30"))  # Paris: 13:30 UTC

    assert texts(doc, '//p[@class="recap-scope"]') == [
        "What Nova did at Story PTG up to Mon 4 Apr 15:30. Times are in Europe/Paris."
    ]
    assert texts(doc, '//table[@class="recap-sessions"]/tbody/tr') == [
        "Mon 4 Apr 15:00–16:00 Austin planned 2 1",
        "Mon 4 Apr 16:00–17:00 Austin planned (not begun yet) – none",
        "Tue 5 Apr 16:00–17:00 Austin planned (not begun yet) – none",
    ]
    assert texts(doc, '//ol[@class="recap-topics"]/li') == [
        "Placement API (Mon 4 Apr 15:05, still running) Outcome: Ship the new API in Zed."
    ]
    assert doc.xpath('//p[@class="recap-nav"]/a/@href')[1:] == [
        f"{RECAP}?format=md&at=2022-04-04T15%3A30",
        f"{RECAP}?format=json&at=2022-04-04T15%3A30",
    ]


def test_recap_markdown_is_a_download_of_the_text_to_mail(client: TestClient) -> None:
    answer = client.get(f"{RECAP}?format=md")

    assert (answer.status_code, answer.headers["content-type"]) == (
        200,
        "text/markdown; charset=utf-8",
    )
    assert answer.headers["content-disposition"] == (
        'attachment; filename="story-ptg-nova-recap.md"'
    )
    assert answer.text == STORY_MARKDOWN


def test_recap_json_has_utc_times(client: TestClient) -> None:
    answer = client.get(f"{RECAP}?format=json&tz=UTC")

    body = answer.json()
    assert (answer.status_code, body["until"], body["team"]) == (
        200,
        "2022-04-05T15:00:00+00:00",
        {"slug": "nova", "name": "Nova"},
    )
    assert body["topics"] == [
        {
            "number": 1,
            "text": "Placement API",
            "start": "2022-04-04T13:05:00+00:00",
            "end": "2022-04-04T14:00:00+00:00",
            "minutes": 55,
            "outcome": "Ship the new API in Zed.",
        },
        {
            "number": 2,
            "text": "Quotas <script>alert(1)</script>",
            "start": "2022-04-04T14:00:00+00:00",
            "end": "2022-04-04T15:00:00+00:00",
            "minutes": 60,
            "outcome": None,
        },
    ]


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        (
            f"/events/{SLUG}/teams/glance/recap",
            404,
            f"There is no team &#39;glance&#39; at {SLUG}.",
        ),
        ("/events/nope/teams/nova/recap", 404, "There is no event &#39;nope&#39;."),
        (
            f"{RECAP}?at=yesterday",
            400,
            "&#39;yesterday&#39; is not a moment; expected ISO 8601, e.g. 2022-04-05T15:00 "
            "(in Europe/Paris) or 2022-04-05T13:00Z.",
        ),
        (f"{RECAP}?format=pdf", 400, "Unknown format &#39;pdf&#39;; use one of html, md, json."),
    ],
)
def test_recap_page_refuses_what_it_cannot_show(
    client: TestClient, path: str, status: int, message: str
) -> None:
    answer = client.get(path)

    assert answer.status_code == status
    assert message in answer.text


def test_team_page_links_its_recap(client: TestClient) -> None:
    doc = page(client.get(f"/events/{SLUG}/teams/nova"))

    assert doc.xpath('//a[text()="Recap"]/@href') == [RECAP]


def test_a_chair_records_an_outcome_from_the_recap_without_javascript(
    client: TestClient, empty_store: Store
) -> None:
    me = sign_in_chair(client, empty_store)
    (form,) = page(client.get(RECAP)).xpath('//form[@class="recap-outcome"][.//input[@value="2"]]')
    fields = {el.get("name"): el.get("value") or "" for el in form.xpath(".//input")}
    fields["outcome"] = "Quotas stay <per project>."

    answer = client.post(form.get("action"), data=fields, follow_redirects=False)

    assert (answer.status_code, answer.headers["location"]) == (303, f"{RECAP}#topic-2")
    assert fields == {
        "csrf": me.csrf,
        "back": f"{RECAP}#topic-2",
        "team": "nova",
        "verb": "outcome",
        "number": "2",
        "outcome": "Quotas stay <per project>.",
    }
    shown = client.get(RECAP)
    assert FLASH.findall(shown.text) == ["Outcome of topic 2 recorded for nova."]
    assert texts(page(shown), '//li[@id="topic-2"]/p[@class="outcome"]') == [
        "Outcome: Quotas stay <per project>."
    ]
    assert empty_store.audit(SLUG)[-1].text == "#nova outcome 2 Quotas stay <per project>."


def test_a_person_who_is_no_chair_gets_no_form_and_is_refused(
    client: TestClient, empty_store: Store
) -> None:
    me = sign_in(client, empty_store, "sam@example.org")
    before = audit_count(empty_store)
    fields = me.form(team="nova", verb="outcome", number="1", outcome="Mine.", back=RECAP)

    shown = page(client.get(RECAP))
    answer = client.post(ACTION, data=fields, follow_redirects=False)

    assert shown.xpath('//form[@class="recap-outcome"]') == []
    assert answer.status_code == 403
    assert "Only a chair of nova or an organizer can change it; sam@web is neither." in answer.text
    assert audit_count(empty_store) == before
