"""Finding a team (``?q=``) on the board and in the team list, with real requests: the
server hides what does not match (no JavaScript needed), echoes the search escaped, and
keeps it across the page's other links and forms; the live regions stay the same for
everyone, so that filter.js can filter them again after a swap."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient

from ptghub.store.store import Store
from ptghub.web.fragments import render_fragments
from ptghub.web.search import MAX_QUERY
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER
from tests.web.test_pages import EVENT, page, region, texts

ROWS = './/tbody/tr[not(@hidden)]/th/a[@class="badge"]'


@pytest.fixture
def topics(store: Store) -> Store:
    store.run("#nova now Placement API", NOVA_CHAIR)
    store.run("#nova next Unified limits", NOVA_CHAIR)
    store.run("#cinder now Backups", ORGANIZER)
    store.run("#relmgt now Release schedule", ORGANIZER)
    return store


def shown_on_board(client: TestClient, query: str) -> list[str]:
    doc = page(client.get(f"{EVENT}/board", params={"q": query}))
    return sorted(texts(region(doc, "now-next"), ROWS))


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", ["Cinder", "Nova/Placement", "Release Management"]),
        ("PLACEMENT", ["Nova/Placement"]),  # the name or the topic, in any case
        ("unified LIMITS", ["Nova/Placement"]),  # a next topic
        ("relmgt", ["Release Management"]),  # the slug
        ("  release   schedule ", ["Release Management"]),  # spaces as typed
        ("e", ["Cinder", "Nova/Placement", "Release Management"]),
        ("placement backups", []),  # one text, never two fields at once
    ],
)
def test_search_board_shows_only_matching_rows(
    client: TestClient, topics: Store, query: str, shown: list[str]
) -> None:
    assert shown_on_board(client, query) == shown


def test_search_board_says_how_many_match(client: TestClient, topics: Store) -> None:
    found = page(client.get(f"{EVENT}/board?q=backups"))
    none = page(client.get(f"{EVENT}/board?q=nothing+like+it"))
    every = page(client.get(f"{EVENT}/board"))
    status = '//p[@data-filter-status][@role="status"]'
    assert texts(found, status) == ["1 of 3 teams match “backups”."]
    assert texts(none, status) == ["No team matches “nothing like it”."]
    assert texts(every, status) == [""]
    assert found.xpath('//input[@id="find-q"]/@value') == ["backups"]


def test_search_team_list_by_name_slug_description_or_topic(
    client: TestClient, topics: Store
) -> None:
    store = topics
    store.run("#first-contact url https://example.org/fc", ALICE)  # not searched
    doc = page(client.get(f"{EVENT}/?q=BACKUPS"))
    teams = doc.xpath('//section[@id="teams"]')[0]
    assert texts(teams, ".//li[not(@hidden)]") == ["Cinder"]
    # A kind with no team left is hidden whole, its heading too.
    assert texts(teams, ".//div[@data-filter-group][not(@hidden)]/h3") == ["Project teams"]
    assert texts(teams, ".//div[@data-filter-group][@hidden]/h3") == ["Special interest groups"]
    sig = page(client.get(f"{EVENT}/?q=sig"))
    assert texts(sig, '//section[@id="teams"]//li[not(@hidden)]') == ["First Contact SIG"]
    everyone = page(client.get(f"{EVENT}/"))
    assert len(texts(everyone, '//section[@id="teams"]//li[not(@hidden)]')) == 4


def test_search_text_is_escaped_wherever_it_is_echoed(client: TestClient, topics: Store) -> None:
    query = '"><script>alert(1)</script>&amp;'
    for path in ("/board", "/"):
        response = client.get(EVENT + path, params={"q": query})
        assert response.status_code == 200
        assert "<script>alert" not in response.text
        doc = lxml.html.fromstring(response.text)
        assert doc.xpath('//input[@id="find-q"]/@value') == [query]
        assert doc.xpath('//form[@class="tz"]/input[@name="q"]/@value') == [query]
        assert texts(doc, "//p[@data-filter-status]") == [f"No team matches “{query}”."]


def test_search_is_kept_by_the_other_forms_and_links(client: TestClient, topics: Store) -> None:
    doc = page(client.get(f"{EVENT}/board?q=nova&day=2022-04-05&tz=Europe/Paris"))
    find = doc.xpath('//form[@role="search"]')[0]
    assert [(i.get("name"), i.get("value")) for i in find.xpath('.//input[@type="hidden"]')] == [
        ("day", "2022-04-05"),
        ("tz", "Europe/Paris"),
    ]
    tabs = [
        parse_qs(urlsplit(href).query) for href in doc.xpath('//nav[@class="day-tabs"]//a/@href')
    ]
    assert [t["q"] for t in tabs] == [["nova"], ["nova"]]
    assert doc.xpath('//form[@class="tz"]/input[@name="q"]/@value') == ["nova"]


def test_search_too_long_is_refused_saying_the_limit(client: TestClient) -> None:
    response = client.get(f"{EVENT}/board", params={"q": "x" * (MAX_QUERY + 1)})
    assert response.status_code == 400
    assert (
        f"The search text is {MAX_QUERY + 1} characters long; at most {MAX_QUERY} are allowed."
        in page(response).text_content()
    )


def test_search_live_regions_are_the_same_for_everyone(client: TestClient, topics: Store) -> None:
    """The stream's region is the page's with nothing hidden: filter.js hides rows again
    by their data-filter after a swap, so both must carry the same texts."""
    store = topics
    doc = page(client.get(f"{EVENT}/board?q=backups"))
    rows = region(doc, "now-next").xpath(".//tbody/tr")
    streamed = lxml.html.fromstring(
        render_fragments(store.state("test-ptg"), store.clock())["now-next"]
    ).xpath("//tbody/tr")
    assert [r.get("data-filter") for r in rows] == [r.get("data-filter") for r in streamed]
    assert [r.get("hidden") is not None for r in streamed] == [False, False, False]
    assert [r.get("hidden") is not None for r in rows].count(True) == 2
