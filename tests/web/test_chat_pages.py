"""Where the chat is: the board, the "Where the chat is" section of the home and the FAQ, every
"from the chat" hint and every page's footer name the event file's IRC channel and
Matrix room, with links, escaped."""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
import pytest
from fastapi.testclient import TestClient

from ptghub.core.model import Actor
from ptghub.eventfile import load_event_text
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.web.test_pages import DEMO, EVENT, page, texts

IRC = '//a[@href="irc://irc.oftc.net/openinfra-events"]'
ODD = """\
slug: odd
name: Odd chat
start: 2022-04-04
end: 2022-04-04
timezone: UTC
format: virtual
contact: ptg@openinfra.dev
chat:
  irc: {network: "<i>Net</i>", channel: "&<b>x</b>"}
  matrix: {room: "#<b>ptg</b>:example.org"}
slots: [{name: A, start: "13:00", end: "14:00"}]
rooms: [{name: Austin}]
teams: []
"""


@pytest.fixture
def odd_client(empty_store: Store) -> Iterator[TestClient]:
    empty_store.create_event(load_event_text(ODD, "odd.yaml"), Actor("t", operator=True), "t")
    with TestClient(create_app(empty_store)) as client:
        yield client


def test_chat_on_the_demo_board_hint_and_footer(demo_client: TestClient) -> None:
    doc = page(demo_client.get(f"{DEMO}/board"))
    hint = texts(doc, '//p[@class="how-to-book"]')[0]
    assert "books it from the chat (#openinfra-events on OFTC) with #TEAM book" in hint
    assert doc.xpath(f'//p[@class="how-to-book"]{IRC}')
    assert texts(doc, '//footer//p[@class="chat-where"]') == ["Chat: #openinfra-events on OFTC"]


def test_chat_section_on_the_demo_home_and_faq(demo_client: TestClient) -> None:
    doc = page(demo_client.get(f"{DEMO}/"))
    sections = doc.xpath("//main/section/@id")
    assert sections[sections.index("calendars") + 1] == "chat"
    faq = page(demo_client.get(f"{DEMO}/faq"))
    for where in (doc, faq):
        assert texts(where, '//section[@id="chat"]//li') == [
            "IRC: #openinfra-events on the OFTC network (server irc.oftc.net)"
        ]
        assert where.xpath(f'//section[@id="chat"]{IRC}')
    assert doc.xpath(f'//section[@id="ask-for-a-track"]{IRC}')  # the booking hint too


def test_chat_not_named_when_the_event_file_has_none(client: TestClient) -> None:
    board = page(client.get(f"{EVENT}/board"))
    home = page(client.get(f"{EVENT}/"))
    assert "books it from the chat with #TEAM book" in texts(board, '//p[@class="how-to-book"]')[0]
    assert not board.xpath('//*[@class="chat-where"]') + home.xpath('//*[@id="chat"]')


def test_chat_names_are_escaped_and_links_encoded(odd_client: TestClient) -> None:
    response = odd_client.get("/events/odd/")
    assert "<b>" not in response.text and "<i>" not in response.text
    doc = lxml.html.fromstring(response.text)
    assert texts(doc, '//section[@id="chat"]//li') == [
        "IRC: &<b>x</b> on the <i>Net</i> network",  # no server: no irc:// link
        "Matrix: #<b>ptg</b>:example.org",
    ]
    assert doc.xpath('//section[@id="chat"]//li[@class="chat-irc"]/a') == []
    assert doc.xpath('//section[@id="chat"]//a/@href') == [
        "https://matrix.to/#/%23%3Cb%3Eptg%3C%2Fb%3E%3Aexample.org"
    ]
    footer = texts(doc, '//footer//p[@class="chat-where"]')
    assert footer == ["Chat: &<b>x</b> on <i>Net</i> or the Matrix room #<b>ptg</b>:example.org"]


def test_chat_in_the_api_event(demo_client: TestClient, client: TestClient) -> None:
    assert demo_client.get(f"/api/v1{DEMO}").json()["chat"] == {
        "irc": {"network": "OFTC", "channel": "#openinfra-events", "server": "irc.oftc.net"},
        "matrix": None,
    }
    assert client.get(f"/api/v1{EVENT}").json()["chat"] == {"irc": None, "matrix": None}
