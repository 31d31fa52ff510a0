"""Invalid event files: every problem is reported with its file, line and field path."""

from __future__ import annotations

import pytest

from ptghub.eventfile import EventFileError, load_event_text

BASE = """\
slug: ptg-2022-04
name: Project Teams Gathering
start: 2022-04-04
end: 2022-04-05
timezone: UTC
format: virtual
contact: ptg@openinfra.dev
slots:
  - {name: A, start: "13:00", end: "14:00"}
  - {name: B, start: "14:00", end: "15:00"}
rooms:
  - {name: Austin, unavailable: [Tue-B]}
  - {name: Bexar}
teams:
  - {slug: nova, name: Nova, chairs: [nova-chair]}
  - {slug: cinder, name: Cinder}
"""  # appended sections start on line 17


def problems(text: str) -> list[str]:
    with pytest.raises(EventFileError) as caught:
        load_event_text(text, "ptg.yaml")
    return caught.value.message.split("\n")


def changed(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


def test_base_loads() -> None:
    assert load_event_text(BASE, "ptg.yaml")


def test_yaml_syntax_error_gives_line() -> None:
    assert problems(BASE + "schedule: {Austin: [Mon-A\n") == [
        "ptg.yaml:18: invalid YAML: expected ',' or ']', but got '<stream end>' "
        "(while parsing a flow sequence on line 17)"
    ]


def test_yaml_impossible_date_gives_line() -> None:
    assert problems(changed("end: 2022-04-05", "end: 2022-04-31")) == [
        "ptg.yaml:4: invalid YAML: '2022-04-31' is not a valid date (day is out of range for month)"
    ]


def test_yaml_several_documents_refused() -> None:
    assert problems(BASE + "---\nslug: other\n") == [
        "ptg.yaml:17: invalid YAML: expected a single document in the stream, "
        "but found another document"
    ]


def test_yaml_control_character_is_a_problem_with_its_line() -> None:
    # Not a crash: the YAML reader refuses it before parsing starts.
    assert problems(BASE + "organizers: [a\fb]\n") == [
        "ptg.yaml:17: invalid YAML: unacceptable character #x000c: "
        "special characters are not allowed"
    ]


def test_yaml_python_tag_refused() -> None:
    assert problems(BASE + "organizers: !!python/object/apply:os.getcwd []\n") == [
        "ptg.yaml:17: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.getcwd'"
    ]


def test_yaml_duplicate_key_reported() -> None:
    text = changed("  - {slug: cinder, name: Cinder}", "  - {slug: cinder, name: Cinder, name: C}")
    assert problems(text) == ["ptg.yaml:16: teams[1].name: duplicate key (first on line 16)"]


def test_file_empty_expects_mapping() -> None:
    assert problems("") == ["ptg.yaml:1: expected a mapping (key: value), got nothing"]


def test_file_list_expects_mapping() -> None:
    assert problems("- slug: a\n") == ["ptg.yaml:1: expected a mapping (key: value), got a list"]


def test_field_unknown_lists_expected_fields() -> None:
    text = changed("contact: ptg@openinfra.dev", "contacts: ptg@openinfra.dev")
    text = text.replace("{slug: cinder, name: Cinder}", "{slug: cinder, name: Cinder, colour: red}")
    assert problems(text) == [
        "ptg.yaml:1: contact: required field is missing",
        "ptg.yaml:7: contacts: unknown field; expected one of slug, name, start, end, timezone, "
        "format, contact, etherpad_template, open_to_everyone, show_checkin_nicks, pages, links, "
        "slots, days, rooms, teams, organizers, schedule, socials",
        "ptg.yaml:16: teams[1].colour: unknown field; expected one of slug, name, kind, chairs, "
        "onboarding, color, etherpad, video_url, description",
    ]


def test_field_missing_reported_on_item_line() -> None:
    assert problems(changed("{name: Bexar}", "{capacity: 10}")) == [
        "ptg.yaml:13: rooms[1].name: required field is missing"
    ]


def test_field_wrong_type_says_what_was_found() -> None:
    text = changed("{name: Bexar}", "{name: 12, capacity: lots, bookable: maybe}")
    text = text.replace("slots:\n", "slots: \n").replace("teams:\n", "teams: nova\n")
    text = text.replace("  - {slug: nova, name: Nova, chairs: [nova-chair]}\n", "")
    text = text.replace("  - {slug: cinder, name: Cinder}\n", "")
    assert problems(text) == [
        "ptg.yaml:13: rooms[1].name: expected text, got the number 12; put it in quotes",
        "ptg.yaml:13: rooms[1].capacity: expected a whole number of people from 1 to 100000, "
        "got 'lots'",
        "ptg.yaml:13: rooms[1].bookable: expected true or false, got 'maybe'",
        "ptg.yaml:14: teams: expected a list, got 'nova'",
    ]


def test_field_empty_name_refused() -> None:
    assert problems(changed("name: Cinder}", "name: ' '}")) == [
        "ptg.yaml:16: teams[1].name: missing name"
    ]


def test_field_yes_as_text_hints_quotes() -> None:
    assert problems(changed("name: Cinder}", "name: yes}")) == [
        "ptg.yaml:16: teams[1].name: expected text, got true; put it in quotes"
    ]


def test_kind_invalid_lists_choices() -> None:
    assert problems(changed("name: Cinder}", "name: Cinder, kind: sigg}")) == [
        "ptg.yaml:16: teams[1].kind: 'sigg' is not one of project-team, sig, working-group, "
        "pop-up-team, committee, other"
    ]


def test_format_invalid_lists_choices() -> None:
    assert problems(changed("format: virtual", "format: online")) == [
        "ptg.yaml:6: format: 'online' is not one of virtual, in-person, hybrid"
    ]


def test_end_before_start_refused() -> None:
    assert problems(changed("end: 2022-04-05", "end: 2022-04-03")) == [
        "ptg.yaml:4: end: 2022-04-03 is before start 2022-04-04"
    ]


def test_end_too_late_refused() -> None:
    assert problems(changed("end: 2022-04-05", "end: 2022-05-05")) == [
        "ptg.yaml:4: end: the event lasts 32 days; at most 28 are allowed"
    ]


def test_timezone_unknown_refused() -> None:
    assert problems(changed("timezone: UTC", "timezone: Mars/Olympus_Mons")) == [
        "ptg.yaml:5: timezone: unknown time zone 'Mars/Olympus_Mons'; use an IANA name such as "
        "UTC or Europe/Paris"
    ]


def test_event_slug_invalid_refused() -> None:
    assert problems(changed("slug: ptg-2022-04", "slug: ptg 2022")) == [
        "ptg.yaml:1: slug: 'ptg 2022' is not a valid event slug: use 1 to 40 letters, digits, "
        "'.', '_' or '-', starting with a letter or digit (for example 'ptg-2022-04')"
    ]


def test_color_invalid_refused() -> None:
    assert problems(changed("name: Cinder}", 'name: Cinder, color: "#12"}')) == [
        "ptg.yaml:16: teams[1].color: '#12' is not a CSS colour; use a name (red), #rgb, "
        "#rrggbb or rgb(r, g, b)"
    ]


def test_url_invalid_refused_everywhere() -> None:
    text = changed("{name: Bexar}", "{name: Bexar, video_url: 'javascript:alert(1)'}")
    text = text.replace("name: Cinder}", "name: Cinder, etherpad: pad, video_url: ftp://x}")
    text += "links: {Board: 'https://a b'}\n"
    text += "socials: [{title: Party, start: 2022-04-04T20:00, end: 2022-04-04T21:00, url: x}]\n"
    assert problems(text) == [
        "ptg.yaml:13: rooms[1].video_url: 'javascript:alert(1)' is not a valid URL; expected an "
        "http:// or https:// address",
        "ptg.yaml:16: teams[1].etherpad: 'pad' is not a valid URL; expected an http:// or "
        "https:// address",
        "ptg.yaml:16: teams[1].video_url: 'ftp://x' is not a valid URL; expected an http:// or "
        "https:// address",
        "ptg.yaml:17: links.Board: the URL must not contain spaces or control characters",
        "ptg.yaml:18: socials[0].url: 'x' is not a valid URL; expected an http:// or https:// "
        "address",
    ]


def test_etherpad_template_placeholder_unknown_refused() -> None:
    text = BASE + "etherpad_template: https://pad.example.org/{event}-{room}\n"
    assert problems(text) == [
        "ptg.yaml:17: etherpad_template: {room} is not allowed in the etherpad template; only "
        "{event} and {team} may be used"
    ]


def test_etherpad_template_unbalanced_refused() -> None:
    text = BASE + "etherpad_template: https://pad.example.org/{event-{team}\n"
    assert problems(text) == [
        "ptg.yaml:17: etherpad_template: unbalanced braces in the etherpad template; only "
        "{event} and {team} may be used"
    ]


def test_etherpad_template_not_url_refused() -> None:
    text = BASE + "etherpad_template: '{event}-{team}'\n"
    assert problems(text) == [
        "ptg.yaml:17: etherpad_template: 'event-team' is not a valid etherpad template; expected "
        "an http:// or https:// address"
    ]


def test_page_name_unknown_refused() -> None:
    text = BASE + "pages:\n  about: Hello\n  faqs: No\n  faq: ''\n"
    assert problems(text) == [
        "ptg.yaml:19: pages.faqs: unknown page 'faqs'; expected one of about, who_should_attend, "
        "who_should_not_attend, faq, code_of_conduct, ptg_vs_forum",
        "ptg.yaml:20: pages.faq: the page is empty",
    ]


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
