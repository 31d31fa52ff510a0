"""The event's information pages at their own addresses, its socials and its feeds."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.test_pages import DEMO, EVENT, page, texts


def test_info_page_shows_its_text_under_its_heading_and_the_contents(
    demo_client: TestClient,
) -> None:
    doc = page(demo_client.get(f"{DEMO}/about"))
    assert texts(doc, "//h1") == ["About"]
    assert texts(doc, "//main//h2") == [
        "What is the PTG?",
        "How time is organised",
        "Following along",
    ]
    here = doc.xpath('//nav[@aria-label="Event information"]//a[@aria-current="page"]/@href')
    assert here == [f"{DEMO}/about"]


def test_code_of_conduct_has_its_own_address(demo_client: TestClient) -> None:
    doc = page(demo_client.get(f"{DEMO}/code-of-conduct"))
    assert texts(doc, "//main//h2") == ["Reporting"]
    assert "Everyone taking part in the PTG" in doc.text_content()


def test_socials_page_lists_the_socials(demo_client: TestClient) -> None:
    doc = page(demo_client.get(f"{DEMO}/socials"))
    assert texts(doc, '//ul[@class="socials"]/li') == [
        "Happy hour, Tue 5 Apr 21:00–22:00: Bring a drink and meet the people behind the "
        "nicks. No agenda, no slides.",
        "Game night, Thu 7 Apr 21:00–22:30: Online party games in teams; everyone is "
        "welcome, no experience needed.",
    ]


def test_socials_page_of_an_event_without_socials_says_so(client: TestClient) -> None:
    doc = page(client.get(f"{EVENT}/socials"))
    assert texts(doc, '//p[@class="empty"]') == ["No social has been announced yet."]


def test_calendars_page_lists_the_event_every_team_and_every_room(client: TestClient) -> None:
    doc = page(client.get(f"{EVENT}/calendars"))
    assert doc.xpath('//ul[@class="feeds"]//a/@href') == [
        f"{EVENT}/calendar.ics",
        f"{EVENT}/teams/cinder",
        f"{EVENT}/teams/cinder.ics",
        f"{EVENT}/teams/first-contact",
        f"{EVENT}/teams/first-contact.ics",
        f"{EVENT}/teams/nova",
        f"{EVENT}/teams/nova.ics",
        f"{EVENT}/teams/relmgt",
        f"{EVENT}/teams/relmgt.ics",
        f"{EVENT}/rooms/Austin",
        f"{EVENT}/rooms/Austin.ics",
        f"{EVENT}/rooms/Bexar",
        f"{EVENT}/rooms/Bexar.ics",
        f"{EVENT}/rooms/Coiste%20Bainisti",
        f"{EVENT}/rooms/Coiste%20Bainisti.ics",
    ]


def test_every_feed_linked_answers_a_calendar(client: TestClient) -> None:
    doc = page(client.get(f"{EVENT}/calendars"))
    for href in doc.xpath('//ul[@class="feeds"]//a/@href'):
        if href.endswith(".ics"):
            response = client.get(href)
            assert (href, response.status_code) == (href, 200)
            assert response.text.startswith("BEGIN:VCALENDAR")


def test_home_and_board_link_the_event_feed_and_every_feed(client: TestClient) -> None:
    for path in (f"{EVENT}/", f"{EVENT}/board"):
        doc = page(client.get(path))
        assert doc.xpath('//ul[@class="feeds"]//a/@href') == [
            f"{EVENT}/calendar.ics",
            f"{EVENT}/calendars",
        ]
