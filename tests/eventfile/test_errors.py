"""Invalid event files: every problem is reported with its file, line and field path.
This module: the YAML, the fields and their values; test_errors_schedule.py: the slots,
days, teams, rooms and schedule, and problems listed together."""

from __future__ import annotations

from ptghub.eventfile import load_event_text
from tests.eventfile.invalid_files import BASE, changed, problems


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
        "format, contact, etherpad_template, open_to_everyone, show_checkin_nicks, chat, pages, "
        "links, slots, days, rooms, teams, organizers, schedule, socials",
        "ptg.yaml:16: teams[1].colour: unknown field; expected one of slug, name, kind, chairs, "
        "onboarding, color, etherpad, video_url, description, onboarding_slot, recording",
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
    text = text.replace(
        "name: Cinder}", "name: Cinder, etherpad: pad, video_url: ftp://x, recording: x}"
    )
    text += "links: {Board: 'https://a b'}\n"
    text += "socials: [{title: Party, start: 2022-04-04T20:00, end: 2022-04-04T21:00, url: x}]\n"
    assert problems(text) == [
        "ptg.yaml:13: rooms[1].video_url: 'javascript:alert(1)' is not a valid URL; expected an "
        "http:// or https:// address",
        "ptg.yaml:16: teams[1].etherpad: 'pad' is not a valid URL; expected an http:// or "
        "https:// address",
        "ptg.yaml:16: teams[1].video_url: 'ftp://x' is not a valid URL; expected an http:// or "
        "https:// address",
        "ptg.yaml:16: teams[1].recording: 'x' is not a valid URL; expected an http:// or "
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
