"""After the demo's week, as its people see it: every chair's recap can be mailed as it
is, the organizers' report shows every chart with its data, and the comparison with the
Denver 2018 import reads side by side (issue 15's "done when")."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ptghub import demo
from ptghub.importers.ptgbot import import_ptgbot
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.support import Clock, load_demo
from tests.web.organizing import OPERATOR, comparison_rows
from tests.web.signing_in import sign_in

DEMO, DENVER = demo.SLUG, "den-ptg"
AFTER = datetime(2022, 4, 11, 9, 0, tzinfo=UTC)  # the Monday after the week
REPORT = f"/events/{DEMO}/organize/report"
REFERENCE = re.compile(r"\[(\d+)\]")  # the recap's link references: [1], [2]...


@pytest.fixture
def after_the_week(empty_store: Store, clock: Clock, shared_data: Path) -> Store:
    """Denver 2018 imported, then the demo loaded with its whole week behind it."""
    database = json.loads((shared_data / "ptgbot-denver-2018.json").read_text(encoding="utf-8"))
    imported = import_ptgbot(database, date(2018, 9, 10))
    empty_store.create_event(imported.events, OPERATOR, "import ptgbot ptgbot-denver-2018.json")
    clock.now = AFTER
    load_demo(empty_store)
    return empty_store


@pytest.fixture
def client(after_the_week: Store) -> Iterator[TestClient]:
    with TestClient(create_app(after_the_week)) as test_client:
        yield test_client


def organizer(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "olga@example.org")
    store.run(f"~role grant {me.account.web_nick} organizer", OPERATOR, event=DEMO)


def edits_needed(text: str, team_name: str) -> list[str]:
    """What a chair would have to fix before mailing ``text``."""
    lines = text.splitlines()
    needed = []
    if not lines[0].startswith(team_name) or lines[1] != "=" * len(lines[0]):
        needed.append(f"title {lines[0]!r} underlined {lines[1]!r}")
    for line in lines:
        if len(line) > 72:
            needed.append(f"over 72 columns: {line!r}")
        if re.search(r"\bNone\b|[{}]|\btodo\b|\bnan\b|\s$", line, re.IGNORECASE):
            needed.append(f"left over: {line!r}")
    body, _, links = text.partition("\nLinks\n-----\n\n")
    listed = links.splitlines()
    if not all(re.fullmatch(rf"\[{n}\] https://\S+", line) for n, line in enumerate(listed, 1)):
        needed.append(f"links not listed as [1] to [n]: {listed!r}")
    if {int(n) for n in REFERENCE.findall(body)} != set(range(1, len(listed) + 1)):
        needed.append(f"references {REFERENCE.findall(body)} against {len(listed)} links")
    return needed


def test_every_chairs_recap_of_the_demo_can_be_mailed_as_it_is(
    client: TestClient, after_the_week: Store
) -> None:
    teams = after_the_week.state(DEMO).teams
    needed: dict[str, list[str]] = {}
    held = 0
    for slug, team in teams.items():
        answer = client.get(f"/events/{DEMO}/teams/{slug}/recap", params={"format": "md"})
        assert (answer.status_code, answer.headers["content-type"]) == (
            200,
            "text/markdown; charset=utf-8",
        )
        if found := edits_needed(answer.text, team.name):
            needed[slug] = found
        held += "\nSessions\n--------\n\n- " in answer.text and "\nTopics\n" in answer.text
    assert needed == {}
    assert held == len(teams) == 34  # every team held sessions and discussed topics


def test_the_recap_reads_the_outcomes_nova_s_chairs_wrote(client: TestClient) -> None:
    text = client.get(f"/events/{DEMO}/teams/nova/recap", params={"format": "md"}).text
    outcomes = re.findall(r"^ {3}Outcome: (.*(?:\n {3}(?!Outcome).*)*)", text, re.MULTILINE)
    assert [" ".join(outcome.split()) for outcome in outcomes] == [
        "We keep things as they are and document why.",
        "Postponed to the next cycle, for lack of people to do the work.",
        "Agreed to go ahead in Zed; a spec will follow and needs two core reviewers.",
    ]


def test_the_organizer_sees_every_chart_of_the_demo_with_its_data(
    client: TestClient, after_the_week: Store
) -> None:
    organizer(client, after_the_week)
    page = client.get(REPORT)
    assert page.status_code == 200
    keys = re.findall(rf'href="{REPORT}/([a-z-]+)\.csv"', page.text)
    assert page.text.count('role="img"') == len(keys) == 7
    data = {}
    for key in keys:
        answer = client.get(f"{REPORT}/{key}.csv")
        assert answer.status_code == 200
        data[key] = list(csv.reader(io.StringIO(answer.text)))[1:]
    # Rooms are held at 00-04 (the Asia-Pacific sessions) and 13-21 UTC on five days;
    # check-ins are counted each hour from the first to the last.
    assert {key: len(rows) for key, rows in data.items()} == {
        "utilization": 5 * 12,
        "team-hours": 34,
        "checkins": 4 * 24 + 21,
        "busiest-sessions": 10,
        "bookings": 5,
        "registrations-role": 5,
        "registrations-band": 3,
    }
    assert data["bookings"] == [
        ["2022-04-04", "2"],
        ["2022-04-05", "1"],
        ["2022-04-06", "1"],
        ["2022-04-07", "1"],
        ["2022-04-08", "1"],
    ]
    assert data["busiest-sessions"][:2] == [
        ["tc", "Austin", "2022-04-04 13:00", "480", "6", "6"],
        ["neutron", "Juno", "2022-04-05 13:00", "480", "6", "6"],
    ]
    # Tuesday 13:00 UTC: all 16 rooms planned.
    assert ["2022-04-05", "13:00", "16", "0", "0", "1.00"] in data["utilization"]
    # The demo takes no registrations: each role and band is there, at zero.
    assert {row[1] for row in data["registrations-role"] + data["registrations-band"]} == {"0"}


def test_the_organizer_compares_the_demo_with_denver_2018(
    client: TestClient, after_the_week: Store
) -> None:
    organizer(client, after_the_week)
    page = client.get(f"/events/{DEMO}/organize/compare", params={"with": DENVER})
    assert page.status_code == 200
    assert comparison_rows(page.text) == [
        ["Figure", "Unit", "Project Teams Gathering, April 2022", "DEN-ptg", "Difference"],
        ["Teams", "teams", "34", "44", "+10"],
        ["Hours planned", "room-hours", "410", "623", "+213"],
        ["Hours booked during the event", "room-hours", "5", "0", "-5"],
        ["Rooms", "rooms", "16", "23", "+7"],
        ["Bookings made", "bookings", "6", "0", "-6"],
        ["People checked in", "people", "64", "0", "-64"],
        ["Check-ins", "check-ins", "313", "0", "-313"],
        ["Days", "days", "5", "5", "0"],
    ]
