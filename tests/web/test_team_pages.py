"""A team's page: sessions as blocks marked by the store's clock, onboarding, chairs, feeds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.support import NOVA_CHAIR, Clock
from tests.web.test_pages import DEMO, EVENT, page, region, texts

ROWS = '//table[@class="team-slots"]/tbody/tr'


@pytest.fixture
def public_client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, Settings(public_url="https://ptg.example.org"))) as client:
        yield client


def test_team_page_shows_topics_links_and_head(client: TestClient, store: Store) -> None:
    store.run("#nova now Placement API", NOVA_CHAIR)
    doc = page(client.get(f"{EVENT}/teams/nova"))
    assert texts(region(doc, "team-nova"), ".//dd") == [
        "Placement API",
        "Nothing planned.",
        "Austin",
        "https://meet.example.org/austin",
        "https://etherpad.opendev.org/p/test-ptg-nova",
    ]
    assert texts(doc, '//p[@class="team-head"]') == ["Nova/Placement Onboarding Project team"]


def test_team_page_merges_consecutive_slots_of_a_room_into_one_session(
    client: TestClient, store: Store
) -> None:
    store.run("#nova book Austin-Mon-P1", NOVA_CHAIR)
    store.run("#nova book Coiste Bainisti-Tue-A1", NOVA_CHAIR)
    doc = page(client.get(f"{EVENT}/teams/nova"))
    assert texts(doc, ROWS) == [
        "Mon 4 Apr 13:00–16:00 Austin Austin-Mon-A1 to Mon-P1 planned (now)",
        "Tue 5 Apr 13:00–14:00 Coiste Bainisti Coiste Bainisti-Tue-A1 booked (next)",
    ]
    assert doc.xpath(f"{ROWS}/td/a/@href") == [
        f"{EVENT}/rooms/Austin",
        f"{EVENT}/rooms/Coiste%20Bainisti",
    ]
    assert doc.xpath(f"{ROWS}/@aria-current") == ["time"]


def test_team_page_marks_past_now_and_next_by_the_stores_clock(
    client: TestClient, store: Store, clock: Clock
) -> None:
    store.run("#nova book Austin-Tue-A1", NOVA_CHAIR)
    store.run("#nova book Coiste Bainisti-Tue-P2", NOVA_CHAIR)
    marks = '//table[@class="team-slots"]/tbody/tr/@class'
    clock.now = datetime(2022, 4, 4, 12, 0, tzinfo=UTC)
    assert page(client.get(f"{EVENT}/teams/nova")).xpath(marks) == ["next"]
    clock.now = datetime(2022, 4, 5, 13, 30, tzinfo=UTC)
    assert page(client.get(f"{EVENT}/teams/nova")).xpath(marks) == ["past", "now", "next"]
    clock.now = datetime(2022, 4, 6, 9, 0, tzinfo=UTC)
    assert page(client.get(f"{EVENT}/teams/nova")).xpath(marks) == ["past", "past", "past"]


def test_team_page_names_chairs_with_their_chat_nicks(client: TestClient, store: Store) -> None:
    doc = page(client.get(f"{EVENT}/teams/nova"))
    assert texts(doc, '//ul[@class="chairs"]/li') == ["nchair in the chat"]
    store.people.add("Nadia Chair", ["NChair", "nchair_"])
    doc = page(client.get(f"{EVENT}/teams/nova"))
    assert texts(doc, '//ul[@class="chairs"]/li') == ["Nadia Chair (chat: NChair, nchair_)"]
    doc = page(client.get(f"{EVENT}/teams/cinder"))
    assert texts(doc, '//ul[@class="chairs"]/li') == []
    assert "No chair is named yet" in doc.text_content()


def test_team_page_shows_the_onboarding_session_named_in_the_event_file(
    demo_client: TestClient,
) -> None:
    doc = page(demo_client.get(f"{DEMO}/teams/nova"))
    assert texts(doc, '//p[@class="onboarding-note"]') == [
        "Onboarding session for newcomers: Tue 5 Apr 13:00–14:00 in Icehouse (Tue-13h)."
    ]


def test_team_page_without_an_onboarding_slot_says_to_ask(client: TestClient) -> None:
    doc = page(client.get(f"{EVENT}/teams/nova"))
    assert texts(doc, '//p[@class="onboarding-note"]') == [
        "This team holds an onboarding session for newcomers; ask its chairs when."
    ]


def test_team_page_links_its_feed_and_the_events_without_a_public_url(
    client: TestClient,
) -> None:
    doc = page(client.get(f"{EVENT}/teams/nova"))
    assert doc.xpath('//ul[@class="feeds"]//a/@href') == [
        f"{EVENT}/teams/nova.ics",
        f"{EVENT}/calendar.ics",
        f"{EVENT}/calendars",
    ]
    assert "copy the address of a calendar link" in texts(doc, '//p[@class="feed-help"]')[0]


def test_team_page_gives_webcal_links_from_the_public_url(public_client: TestClient) -> None:
    doc = page(public_client.get(f"{EVENT}/teams/nova"))
    assert doc.xpath('//ul[@class="feeds"]//a/@href') == [
        "https://ptg.example.org/events/test-ptg/teams/nova.ics",
        "webcal://ptg.example.org/events/test-ptg/teams/nova.ics",
        "https://ptg.example.org/events/test-ptg/calendar.ics",
        "webcal://ptg.example.org/events/test-ptg/calendar.ics",
        f"{EVENT}/calendars",
    ]
    assert "open a webcal link" in texts(doc, '//p[@class="feed-help"]')[0]
