"""The organizers' registrations page: counts per role, team and time-zone band, the
waiting list, the CSV export (safe from formulas, with a safe file name), the capacity
and code-of-conduct forms; and the chairs' numbers on their team's page."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from ptghub.store.registration_answers import check_answers
from ptghub.store.registrations import PlaceMail
from ptghub.store.store import Store
from ptghub.web.organize_registrations import csv_filename, safe_cell
from tests.support import Clock
from tests.web.mailed_links import main_text
from tests.web.organizing import chair, nobody, organizer, post

EVENT = "test-ptg"
PAGE = f"/events/{EVENT}/organize/registrations"
TEAMS = {"nova": "Nova/Placement", "cinder": "Cinder", "relmgt": "Release Management"}
MAIL = PlaceMail("Test PTG", "https://ptg.example.org/events/test-ptg/register")


def register(
    store: Store, name: str, role: str, zone: str, teams: tuple[str, ...], onboarding: bool
) -> None:
    regs = store.attendees.registrations
    person = store.accounts.sign_up(f"{name.lower()}@example.org", name).person_id
    answers = check_answers(
        role=role,
        teams=teams,
        onboarding=onboarding,
        time_zone=zone,
        first_time=False,
        event_teams=TEAMS,
    )
    regs.register(regs.event_id(EVENT), person, answers, coc_version=1)


def some_people(store: Store, clock: Clock) -> None:
    store.attendees.registrations.set_capacity(
        store.attendees.registrations.event_id(EVENT), 3, mail=MAIL
    )
    for name, role, zone, teams, onboarding in [
        ("Ann", "developer", "America/Chicago", ("nova",), True),
        ("=HYPERLINK(evil)", "operator", "Europe/Paris", ("nova", "cinder"), False),
        ("Cat", "developer", "Asia/Kolkata", ("cinder",), True),
        ("Dan", "end-user", "Australia/Sydney", ("nova",), True),
        ("Eve", "other", "UTC", (), False),
    ]:
        register(store, name, role, zone, teams, onboarding)
        clock.advance(minutes=1)


def test_the_organizers_see_counts_and_the_waiting_list(
    client: TestClient, store: Store, clock: Clock
) -> None:
    some_people(store, clock)
    organizer(client, store)
    page = client.get(PAGE)
    assert page.status_code == 200
    text = main_text(page)
    assert "3 registered of 3 places, 2 waiting, 0 cancelled. 2 want onboarding" in text
    assert (
        "Per role Role People Developer 2 Operator 1 End user 0 Team leader or liaison 0 Other 0"
    ) in text
    assert (
        "Per time-zone band (UTC offset on the first day) Band People Americas 1 "
        "Europe, Africa and the Middle East 1 Asia and the Pacific 1"
    ) in text
    assert "Per UTC offset, in whole hours Offset People UTC-05 1 UTC+02 1 UTC+05 1" in text
    assert "Per team of interest Team People Cinder 2 Nova/Placement 2" in text
    assert (
        "In the order they get a place # Name Email Role Teams Time zone "
        "1 Dan dan@example.org End user Nova/Placement Australia/Sydney "
        "2 Eve eve@example.org Other UTC"
    ) in text
    assert (
        f'href="/events/{EVENT}/organize/registrations"'
        in client.get(f"/events/{EVENT}/organize").text
    )


def test_the_csv_export_is_safe(client: TestClient, store: Store, clock: Clock) -> None:
    some_people(store, clock)
    organizer(client, store)
    answer = client.get(f"{PAGE}.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="registrations-test-ptg.csv"'
    )
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0][:5] == ["name", "email", "state", "role", "teams"]
    assert [row[:5] for row in rows[1:]] == [
        ["'=HYPERLINK(evil)", "'=hyperlink(evil)@example.org", "registered", "Operator",
         "Cinder; Nova/Placement"],
        ["Ann", "ann@example.org", "registered", "Developer", "Nova/Placement"],
        ["Cat", "cat@example.org", "registered", "Developer", "Cinder"],
        ["Dan", "dan@example.org", "waiting", "End user", "Nova/Placement"],
        ["Eve", "eve@example.org", "waiting", "Other", ""],
    ]  # fmt: skip
    assert [row[7] for row in rows[1:]] == [
        "Europe, Africa and the Middle East",
        "Americas",
        "Asia and the Pacific",
        "Asia and the Pacific",
        "Europe, Africa and the Middle East",
    ]


def test_cells_and_names_are_made_safe() -> None:
    assert [safe_cell(v) for v in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "ok", "")] == [
        "'=1+2",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "ok",
        "",
    ]
    assert csv_filename('a"b;c/d\r\n') == "registrations-a_b_c_d__.csv"


def test_only_organizers_see_or_export(client: TestClient, store: Store) -> None:
    assert client.get(PAGE, follow_redirects=False).status_code == 401
    assert client.get(f"{PAGE}.csv", follow_redirects=False).status_code == 401
    chair(client, store)
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}.csv").status_code == 403


def test_a_capacity_that_is_no_number_is_refused(client: TestClient, store: Store) -> None:
    olga = organizer(client, store)
    answer = post(client, f"{PAGE}/capacity", capacity="lots", csrf=olga.csrf)
    assert answer.status_code == 303
    assert (
        "'lots' is not a number of places; give a whole number such as 300, or leave the "
        "field empty for no limit."
    ) in main_text(client.get(PAGE))
    settings = store.attendees.registrations.settings(store.attendees.registrations.event_id(EVENT))
    assert settings.capacity is None


def test_the_code_of_conduct_changed_bumps_the_version(client: TestClient, store: Store) -> None:
    olga = organizer(client, store)
    post(client, f"{PAGE}/coc-changed", csrf=olga.csrf)
    regs = store.attendees.registrations
    assert regs.settings(regs.event_id(EVENT)).coc_version == 2
    assert "The code of conduct is now version 2" in main_text(client.get(PAGE))


def test_a_chair_sees_numbers_for_the_team_and_no_addresses(
    client: TestClient, store: Store, clock: Clock
) -> None:
    some_people(store, clock)
    team_page = f"/events/{EVENT}/teams/nova"
    nobody(client, store)
    assert "registrants chose this team" not in client.get(team_page).text
    client.cookies.clear()
    chair(client, store)
    page = client.get(team_page).text
    assert "Registrations: 3 registrants chose this team; 2 of them want onboarding." in main_text(
        client.get(team_page)
    )
    registrants = ("ann", "hyperlink", "cat", "dan", "eve")
    assert [name for name in registrants if f"{name}@example.org" in page.lower()] == []
    assert [name for name in ("Ann", "Cat", "Dan", "Eve") if f">{name}<" in page] == []
    # A chair of nova sees nothing of cinder.
    assert "registrants chose this team" not in client.get(f"/events/{EVENT}/teams/cinder").text
