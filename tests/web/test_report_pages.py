"""The organizers' report and the comparison of two events, on the small test event after
a known sequence of commands (tests/history/scenario.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from ptghub.commands import organize
from ptghub.core.events import EventCreated
from ptghub.core.model import Actor
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.history.scenario import create_and_play
from tests.support import Clock, small_event
from tests.web.organizing import ORGANIZE, comparison_rows, organizer

REPORT = f"{ORGANIZE}/report"
COMPARE = f"{ORGANIZE}/compare"
KEYS = [
    "utilization",
    "team-hours",
    "checkins",
    "busiest-sessions",
    "bookings",
    "registrations-role",
    "registrations-band",
]


@pytest.fixture
def played(empty_store: Store, clock: Clock) -> Store:
    create_and_play(empty_store, clock)
    return empty_store


@pytest.fixture
def client(played: Store) -> Iterator[TestClient]:
    with TestClient(create_app(played)) as test_client:
        yield test_client


def other_event(store: Store, slug: str = "other-ptg", name: str = "Other PTG") -> None:
    created = small_event()
    assert isinstance(created[0], EventCreated)
    info = replace(created[0].info, slug=slug, name=name)
    store.create_event([EventCreated(info), *created[1:]], Actor("loader", operator=True), "x")


def captions(html: str) -> list[str]:
    found = re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", f)).strip() for f in found]


def test_the_report_shows_each_chart_in_a_figure_with_its_caption_and_csv(
    client: TestClient, played: Store
) -> None:
    organizer(client, played)
    page = client.get(REPORT)
    assert page.status_code == 200
    html = page.text.replace("&#39;", "'")
    assert re.findall(r'<figure class="report-chart" id="chart-([a-z-]+)">', html) == KEYS
    assert re.findall(r'<a href="([^"]+)" download>Download the data \(CSV\)</a>', html) == [
        f"{REPORT}/{key}.csv" for key in KEYS
    ]
    assert html.count('<details class="report-numbers">') == len(KEYS)
    assert html.count('role="img"') == len(KEYS)
    assert '<link rel="stylesheet" href="/static/charts.css">' in html
    assert f'<a href="{REPORT}" aria-current="page">Report</a>' in html
    assert captions(html) == [
        "Room utilization by day and hour. Rooms were used 38% of the time on Monday 4 "
        "April, the busiest day; 27% over the whole event: 2 room-hours planned, 2 booked "
        "during the event and 11 free. Download the data (CSV)",
        "Hours per team. 4 teams were planned 2 hours and booked 2 more during the event, "
        "and set a topic in 2 hours of their sessions. No team stated its needs, so none is "
        "counted as wanting any hours. Download the data (CSV)",
        "People checked in, hour by hour. 3 people checked in; the most in one hour was 2, "
        "on Mon 4 Apr 15:00. Download the data (CSV)",
        "The busiest sessions. The busiest session was Cinder's in Austin on Mon 4 Apr at "
        "15:00: 2 people checked in (2 check-ins). Download the data (CSV)",
        "Bookings made during the event, per day. 2 bookings were made during the event, the "
        "most on Monday 4 April and Tuesday 5 April (1 each). Download the data (CSV)",
        "Registrations by role. Nobody has registered. Download the data (CSV)",
        "Registrations by time-zone band. Nobody has registered. Download the data (CSV)",
    ]


def test_a_charts_csv_is_its_data_as_an_attachment(client: TestClient, played: Store) -> None:
    organizer(client, played)
    answer = client.get(f"{REPORT}/busiest-sessions.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="test-ptg-busiest-sessions.csv"'
    )
    assert answer.text.replace("\r\n", "\n") == (
        "team,room,start,minutes,people,checkins\n"
        "cinder,Austin,2022-04-04 15:00,60,2,2\n"
        "nova,Austin,2022-04-04 13:00,120,1,1\n"
    )
    bookings = client.get(f"{REPORT}/bookings.csv").text.replace("\r\n", "\n")
    assert bookings == "day,bookings\n2022-04-04,1\n2022-04-05,1\n"


def test_an_unknown_charts_csv_is_a_404_naming_the_charts(
    client: TestClient, played: Store
) -> None:
    organizer(client, played)
    answer = client.get(f"{REPORT}/nope.csv")
    assert answer.status_code == 404
    assert (
        "The report has no chart 'nope'; its charts are: " + ", ".join(KEYS) + "."
    ) in answer.text.replace("&#39;", "'")


def test_the_compare_page_lists_the_other_events(client: TestClient, played: Store) -> None:
    other_event(played)
    organizer(client, played)
    page = client.get(COMPARE)
    assert page.status_code == 200
    select = page.text.split('<select id="compare-with"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]+)"', select) == ["other-ptg"]
    assert 'id="comparison"' not in page.text


def test_the_compare_page_shows_both_events_figures_and_the_difference(
    client: TestClient, played: Store
) -> None:
    other_event(played)
    organizer(client, played)
    page = client.get(COMPARE, params={"with": "other-ptg"})
    assert page.status_code == 200
    assert comparison_rows(page.text) == [
        ["Figure", "Unit", "Test PTG", "Other PTG", "Difference"],
        ["Teams", "teams", "4", "4", "0"],
        ["Hours planned", "room-hours", "2", "2", "0"],
        ["Hours booked during the event", "room-hours", "2", "0", "-2"],
        ["Rooms", "rooms", "3", "3", "0"],
        ["Bookings made", "bookings", "2", "0", "-2"],
        ["People checked in", "people", "3", "0", "-3"],
        ["Check-ins", "check-ins", "3", "0", "-3"],
        ["Days", "days", "2", "2", "0"],
    ]
    assert '<option value="other-ptg" selected>' in page.text
    assert page.text.count('role="img"') == 1


def test_comparing_with_an_unknown_event_says_so(client: TestClient, played: Store) -> None:
    organizer(client, played)
    page = client.get(COMPARE, params={"with": "nope"})
    assert page.status_code == 404
    assert (
        "There is no event 'nope' to compare with; choose one of the events the compare page lists."
    ) in page.text.replace("&#39;", "'")


def test_names_in_the_report_are_escaped(client: TestClient, played: Store, clock: Clock) -> None:
    clock.now = datetime(2022, 4, 5, 16, 30, tzinfo=UTC)  # before the end: in the report
    root = Actor("root", frontend="cli", operator=True)
    played.change(organize.rename_team("cinder", "<b>Bold</b>"), root, "team rename")
    organizer(client, played)
    html = client.get(REPORT).text
    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;" in html
