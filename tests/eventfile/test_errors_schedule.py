"""Invalid event files, continued (test_errors.py has the YAML and the fields): slots,
days, teams, rooms, chairs, the schedule and socials, and problems listed together."""

from __future__ import annotations

import pytest

from tests.eventfile.invalid_files import BASE, changed, problems


def test_slot_time_unquoted_explained() -> None:
    assert problems(changed('start: "13:00"', "start: 13:00")) == [
        'ptg.yaml:9: slots[0].start: expected a time "HH:MM" in quotes; YAML reads an unquoted '
        "13:00 as the number 780"
    ]


def test_slot_time_invalid_refused() -> None:
    assert problems(changed('start: "13:00"', 'start: "25:00"')) == [
        'ptg.yaml:9: slots[0].start: expected a time "HH:MM" (00:00 to 23:59) in quotes, '
        "got '25:00'"
    ]


def test_slot_end_not_after_start_refused() -> None:
    assert problems(changed('end: "15:00"', 'end: "14:00"')) == [
        "ptg.yaml:10: slots[1].end: 14:00 is not after start 14:00"
    ]


def test_slot_name_invalid_refused() -> None:
    assert problems(changed("name: B,", "name: B-2,")) == [
        "ptg.yaml:10: slots[1].name: 'B-2' is not a valid slot name; use 1 to 8 letters or digits"
    ]


def test_slot_name_duplicate_in_day_refused() -> None:
    text = BASE + "days:\n  - date: 2022-04-04\n    slots:\n"
    text += '      - {name: X, start: "09:00", end: "10:00"}\n'
    text += '      - {name: x, start: "10:00", end: "11:00"}\n'
    assert problems(text) == [
        "ptg.yaml:21: days[0].slots[1].name: duplicate slot name 'x' (first on line 20)"
    ]


def test_slots_overlapping_refused() -> None:
    text = BASE + 'days: [{date: 2022-04-05, slots: [{name: A, start: "09:00", end: "12:00"},\n'
    text += '  {name: B, start: "10:00", end: "11:00"},\n'
    text += '  {name: C, start: "11:30", end: "13:00"}]}]\n'
    assert problems(text) == [
        "ptg.yaml:18: days[0].slots[1]: B (10:00-11:00) overlaps A (09:00-12:00)",
        "ptg.yaml:19: days[0].slots[2]: C (11:30-13:00) overlaps A (09:00-12:00)",
    ]


def test_days_date_outside_event_refused() -> None:
    text = BASE + "days:\n  - {date: 2022-04-06, slots: []}\n"
    assert problems(text) == [
        "ptg.yaml:18: days[0].date: 2022-04-06 is not a day of the event (2022-04-04 to 2022-04-05)"
    ]


def test_days_date_listed_twice_refused() -> None:
    text = BASE + "days:\n  - {date: 2022-04-04, slots: []}\n  - {date: 2022-04-04, slots: []}\n"
    assert problems(text) == [
        "ptg.yaml:19: days[1].date: day 2022-04-04 is listed twice (first on line 18)"
    ]


def test_team_slug_duplicate_case_insensitive_refused() -> None:
    assert problems(changed("slug: cinder,", "slug: NOVA,")) == [
        "ptg.yaml:16: teams[1].slug: duplicate team slug 'NOVA' (first on line 15)"
    ]


def test_room_name_duplicate_case_insensitive_refused() -> None:
    assert problems(changed("{name: Bexar}", "{name: ' austin '}")) == [
        "ptg.yaml:13: rooms[1].name: duplicate room name 'austin' (first on line 12)"
    ]


@pytest.mark.parametrize("word", ["in", "out", "seen", "subscribe", "unsubscribe", "Help"])
def test_team_slug_command_word_refused(word: str) -> None:
    assert problems(changed("slug: cinder,", f"slug: {word},")) == [
        f"ptg.yaml:16: teams[1].slug: '{word}' cannot be a team slug: '#{word}' is a user "
        "command (reserved: help, in, out, seen, subscribe, unsubscribe)"
    ]


def test_team_slug_invalid_refused() -> None:
    assert problems(changed("slug: cinder,", "slug: -cinder,")) == [
        "ptg.yaml:16: teams[1].slug: '-cinder' is not a valid team name: use 1 to 40 letters, "
        "digits, '.', '_' or '-', starting with a letter or digit (for example 'nova')"
    ]


def test_chair_nick_invalid_refused() -> None:
    assert problems(changed("chairs: [nova-chair]", "chairs: [nova-chair, 'bad nick']")) == [
        "ptg.yaml:15: teams[0].chairs[1]: 'bad nick' is not a valid nick; use 1 to 64 printable "
        "characters without spaces"
    ]


def test_chair_and_organizer_duplicates_refused() -> None:
    text = changed("chairs: [nova-chair]", "chairs: [nova-chair, Nova-Chair]")
    text += "organizers:\n  - boss\n  - BOSS\n"
    assert problems(text) == [
        "ptg.yaml:15: teams[0].chairs[1]: duplicate chair 'Nova-Chair' (first on line 15)",
        "ptg.yaml:19: organizers[1]: duplicate organizer 'BOSS' (first on line 18)",
    ]


def test_unavailable_code_unknown_refused() -> None:
    assert problems(changed("unavailable: [Tue-B]", "unavailable: [Tue-B, Wed, Tue-C]")) == [
        "ptg.yaml:12: rooms[0].unavailable[1]: unknown slot or day 'Wed'",
        "ptg.yaml:12: rooms[0].unavailable[2]: unknown slot or day 'Tue-C' (did you mean 'Tue-B'?)",
    ]


def test_schedule_room_unknown_refused() -> None:
    assert problems(BASE + "schedule:\n  Austn: {Mon-A: nova}\n") == [
        "ptg.yaml:18: schedule.Austn: unknown room 'Austn' (did you mean 'Austin'?)"
    ]


def test_schedule_slot_unknown_refused() -> None:
    assert problems(BASE + "schedule:\n  Austin:\n    Mon-A: nova\n    Sat-A: nova\n") == [
        "ptg.yaml:20: schedule.Austin.Sat-A: unknown slot 'Sat-A' (did you mean 'Tue-A'?)"
    ]


def test_schedule_team_unknown_refused() -> None:
    assert problems(BASE + "schedule:\n  Bexar: {Mon-A: novva, Mon-B: swift}\n") == [
        "ptg.yaml:18: schedule.Bexar.Mon-A: unknown team 'novva' (did you mean 'nova'?)",
        "ptg.yaml:18: schedule.Bexar.Mon-B: unknown team 'swift'",
    ]


def test_schedule_cell_unavailable_refused() -> None:
    assert problems(BASE + "schedule:\n  Austin:\n    tue-b: nova\n") == [
        "ptg.yaml:19: schedule.Austin.tue-b: Austin is unavailable at Tue-B "
        "(rooms[0].unavailable[0], line 12)"
    ]


def test_schedule_team_in_two_rooms_same_slot_refused() -> None:
    text = BASE + "schedule:\n  Austin: {Mon-A: nova}\n  Bexar:\n    MonA: Nova\n"
    assert problems(text) == [
        "ptg.yaml:20: schedule.Bexar.MonA: team 'nova' is already in Austin at Mon-A (line 18); "
        "a team is in one room at a time"
    ]


def test_schedule_room_listed_twice_refused() -> None:
    text = BASE + "schedule:\n  Austin: {Mon-A: nova}\n  austin: {Mon-B: nova}\n"
    assert problems(text) == [
        "ptg.yaml:19: schedule.austin: room 'Austin' is listed twice (first on line 18)"
    ]


def test_schedule_slot_listed_twice_refused() -> None:
    text = BASE + "schedule:\n  'Austin ':\n    Mon-A: nova\n    mona: cinder\n"
    assert problems(text) == [
        "ptg.yaml:20: schedule['Austin '].mona: slot Mon-A is listed twice (first on line 19)"
    ]


def test_social_end_not_after_start_refused() -> None:
    text = BASE + "socials:\n  - {title: Party, start: 2022-04-04T20:00, end: 2022-04-04T19:00}\n"
    text += "  - {title: Quiz, start: 2022-04-04T20:00, end: '2022-04-04T21:00+01:00'}\n"
    text += "  - {title: Walk, start: tomorrow, end: 2022-04-04T21:00}\n"
    assert problems(text) == [
        "ptg.yaml:18: socials[0].end: 2022-04-04T19:00:00 is not after start 2022-04-04T20:00:00",
        "ptg.yaml:19: socials[1].end: give start and end both with a UTC offset or both without",
        "ptg.yaml:20: socials[2].start: expected a date and time YYYY-MM-DDTHH:MM, got 'tomorrow'",
    ]


def test_problems_all_listed_in_line_order() -> None:
    text = changed("format: virtual", "format: online")
    text = text.replace("name: Cinder}", "name: Cinder, kind: sigg}")
    text = text.replace("timezone: UTC", "timezone: Nowhere")
    text += "organizers: ['a b']\n"
    assert problems(text) == [
        "ptg.yaml:5: timezone: unknown time zone 'Nowhere'; use an IANA name such as UTC or "
        "Europe/Paris",
        "ptg.yaml:6: format: 'online' is not one of virtual, in-person, hybrid",
        "ptg.yaml:16: teams[1].kind: 'sigg' is not one of project-team, sig, working-group, "
        "pop-up-team, committee, other",
        "ptg.yaml:17: organizers[0]: 'a b' is not a valid nick; use 1 to 64 printable characters "
        "without spaces",
    ]


def test_cross_checks_all_listed_together() -> None:
    text = changed("slug: cinder,", "slug: Nova,")
    text += "schedule:\n  Pike: {Mon-A: nova}\n  Austin: {Mon-A: nova, Tue-B: nova}\n"
    assert problems(text) == [
        "ptg.yaml:16: teams[1].slug: duplicate team slug 'Nova' (first on line 15)",
        "ptg.yaml:18: schedule.Pike: unknown room 'Pike'",
        "ptg.yaml:19: schedule.Austin.Tue-B: Austin is unavailable at Tue-B "
        "(rooms[0].unavailable[0], line 12)",
    ]


def test_room_capability_icon_too_long_refused() -> None:
    text = changed("  - {name: Bexar}", f"  - {{name: Bexar, capability_icon: {'x' * 81}}}")
    assert problems(text) == [
        "ptg.yaml:13: rooms[1].capability_icon: the capability icon is 81 characters long; "
        "at most 80 are allowed"
    ]


def test_team_onboarding_slot_unknown_refused_with_a_close_code() -> None:
    text = changed(
        "{slug: cinder, name: Cinder}", "{slug: cinder, name: Cinder, onboarding_slot: Mon-Ax}"
    )
    assert problems(text) == [
        "ptg.yaml:16: teams[1].onboarding_slot: unknown slot 'Mon-Ax' (did you mean 'Mon-A'?)"
    ]
