"""Registrations in the store: places, the waiting list in order, promotions told by mail
(through the outbox, to a real SMTP server), the code of conduct's version, and two
people racing for the last place."""

from __future__ import annotations

from datetime import date

import pytest

from ptghub.core.errors import Conflict, InvalidInput, NotFound
from ptghub.store.registration_answers import Answers, check_answers, check_zone
from ptghub.store.registrations import PlaceMail
from ptghub.store.store import Store
from tests.mailserver import MailServer
from tests.store.racing import in_threads
from tests.support import Clock

MAIL = PlaceMail("Test PTG", "https://ptg.example.org/events/test-ptg/register")
TEAMS = {"nova": "Nova/Placement", "cinder": "Cinder"}


def answers(role: str = "developer", *teams: str, zone: str = "Europe/Paris") -> Answers:
    return check_answers(
        role=role,
        teams=teams or ("nova",),
        onboarding=True,
        time_zone=zone,
        first_time=False,
        event_teams=TEAMS,
    )


def person(store: Store, name: str) -> int:
    return store.accounts.sign_up(f"{name}@example.org").person_id


def states(store: Store, event: int, *people: int) -> list[str | None]:
    found = [store.attendees.registrations.get(event, p) for p in people]
    return [None if r is None else r.state for r in found]


def test_a_registration_keeps_the_answers_and_the_accepted_version(store: Store) -> None:
    regs = store.attendees.registrations
    event = regs.event_id("test-ptg")
    ann = person(store, "ann")
    got = regs.register(event, ann, answers("operator", "Cinder", "nova"), coc_version=1)
    assert (got.state, got.answers.teams, got.answers.role, got.coc_version) == (
        "registered",
        ("cinder", "nova"),
        "operator",
        1,
    )
    assert got.coc_accepted_at == store.clock()


def test_bad_answers_are_named() -> None:
    with pytest.raises(InvalidInput) as role:
        answers("manager")
    with pytest.raises(InvalidInput) as team:
        answers("developer", "swift")
    with pytest.raises(InvalidInput) as zone:
        check_zone("Mars/Olympus")
    assert [role.value.message, team.value.message, zone.value.message] == [
        "'manager' is not a role; choose one of: Developer, Operator, End user, "
        "Team leader or liaison, Other.",
        "There is no team 'swift' at this event; choose teams from the list.",
        "'Mars/Olympus' is not a time zone; give an IANA name such as Europe/Paris, "
        "America/Chicago or Asia/Kolkata (or UTC).",
    ]


def test_beyond_the_capacity_people_wait_and_a_cancel_promotes_the_first(
    store: Store, clock: Clock, mail_server: MailServer
) -> None:
    regs = store.attendees.registrations
    event = regs.event_id("test-ptg")
    regs.set_capacity(event, 1, mail=MAIL)
    ann, bob, cat = (person(store, n) for n in ("ann", "bob", "cat"))
    for who in (ann, bob, cat):
        regs.register(event, who, answers(), coc_version=1)
        clock.advance(minutes=1)
    assert states(store, event, ann, bob, cat) == ["registered", "waiting", "waiting"]
    assert [regs.place_in_line(event, p) for p in (ann, bob, cat)] == [None, 1, 2]
    # Bob changes his answers: he keeps his turn.
    regs.register(event, bob, answers("other"), coc_version=1)
    assert regs.cancel(event, ann, mail=MAIL) == [bob]
    assert states(store, event, ann, bob, cat) == ["cancelled", "registered", "waiting"]
    received = mail_server.deliver(store)
    assert [(r.rcpt_tos, r.message["Subject"]) for r in received] == [
        (("bob@example.org",), "A place opened for you at Test PTG")
    ]
    assert MAIL.page_url in received[0].message.get_content()
    # Ann comes back: at the end of the line.
    regs.register(event, ann, answers(), coc_version=1)
    assert [regs.place_in_line(event, p) for p in (ann, cat)] == [2, 1]


def test_raising_the_capacity_promotes_in_order(store: Store, clock: Clock) -> None:
    regs = store.attendees.registrations
    event = regs.event_id("test-ptg")
    regs.set_capacity(event, 0, mail=MAIL)
    people = [person(store, n) for n in ("ann", "bob", "cat")]
    for who in people:
        regs.register(event, who, answers(), coc_version=1)
        clock.advance(seconds=1)
    assert regs.set_capacity(event, 2, mail=MAIL) == people[:2]
    assert regs.set_capacity(event, None, mail=MAIL) == people[2:]
    assert states(store, event, *people) == ["registered"] * 3


def test_a_capacity_must_be_a_number_of_places(store: Store) -> None:
    regs = store.attendees.registrations
    with pytest.raises(InvalidInput) as error:
        regs.set_capacity(regs.event_id("test-ptg"), -1, mail=MAIL)
    assert error.value.message == (
        "A capacity is a number of places from 0 to 1000000, or empty for no limit; -1 is not one."
    )


def test_a_changed_code_of_conduct_must_be_accepted_again(store: Store) -> None:
    regs = store.attendees.registrations
    event = regs.event_id("test-ptg")
    ann, bob = person(store, "ann"), person(store, "bob")
    regs.register(event, ann, answers(), coc_version=1)
    regs.register(event, bob, answers(), coc_version=1)
    assert regs.coc_changed(event) == 2
    assert (regs.coc_outdated(event, ann), regs.outdated_addresses(event)) == (
        True,
        ["ann@example.org", "bob@example.org"],
    )
    with pytest.raises(Conflict):
        regs.register(event, ann, answers("other"), coc_version=2)
    with pytest.raises(InvalidInput):
        regs.accept_coc(event, ann, version=1)
    regs.accept_coc(event, ann, version=2)
    assert (regs.coc_outdated(event, ann), regs.outdated_addresses(event)) == (
        False,
        ["bob@example.org"],
    )
    regs.register(event, ann, answers("other"), coc_version=2)
    got = regs.get(event, ann)
    assert got is not None and got.answers.role == "other"


def test_cancelling_nothing_is_refused(store: Store) -> None:
    regs = store.attendees.registrations
    with pytest.raises(NotFound):
        regs.cancel(regs.event_id("test-ptg"), person(store, "ann"), mail=MAIL)


def test_two_people_racing_for_the_last_place_do_not_both_get_it(store: Store) -> None:
    regs = store.attendees.registrations
    event = regs.event_id("test-ptg")
    regs.set_capacity(event, 2, mail=MAIL)
    regs.register(event, person(store, "ann"), answers(), coc_version=1)
    racers = [person(store, f"racer{i}") for i in range(4)]
    in_threads(
        [lambda who=who: regs.register(event, who, answers(), coc_version=1) for who in racers]
    )
    assert sorted(states(store, event, *racers)) == ["registered"] + ["waiting"] * 3  # type: ignore[operator]


def test_counts_by_role_team_and_band(store: Store) -> None:
    regs = store.attendees.registrations
    event = regs.event_id("test-ptg")
    for name, role, zone, teams in [
        ("ann", "developer", "America/Chicago", ("nova",)),
        ("bob", "operator", "Europe/Paris", ("nova", "cinder")),
        ("cat", "developer", "Asia/Kolkata", ("cinder",)),
        ("dan", "other", "Africa/Lagos", ()),
    ]:
        got = check_answers(
            role=role,
            teams=teams,
            onboarding=name == "bob",
            time_zone=zone,
            first_time=True,
            event_teams=TEAMS,
        )
        regs.register(event, person(store, name), got, coc_version=1)
    seen = regs.overview(event, date(2022, 4, 4))
    assert (seen.by_role, seen.by_team, seen.by_band, seen.by_hour) == (
        {"developer": 2, "operator": 1, "end-user": 0, "team-leader": 0, "other": 1},
        {"nova": 2, "cinder": 2},
        {
            "Americas": 1,
            "Europe, Africa and the Middle East": 2,
            "Asia and the Pacific": 1,
        },
        {"UTC-05": 1, "UTC+01": 1, "UTC+02": 1, "UTC+05": 1},
    )
    assert [r.name for r in seen.registered] == ["ann", "bob", "cat", "dan"]
    assert regs.team_numbers(event, "nova") == (2, 1)
