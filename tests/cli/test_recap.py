"""``ptghub recap TEAM``: the recap as Markdown, HTML or JSON, in a zone, at a moment."""

from __future__ import annotations

import json

from ptghub.store.store import Store
from tests.cli.running import run
from tests.recap_story import SLUG, STORY_MARKDOWN, play_story
from tests.support import Clock


def test_recap_prints_the_markdown_in_the_events_zone(
    empty_store: Store, clock: Clock, database_url: str
) -> None:
    play_story(empty_store, clock)

    assert run(database_url, "recap", "#Nova", "--event", SLUG) == (0, STORY_MARKDOWN, "")


def test_recap_in_another_zone_names_it(
    empty_store: Store, clock: Clock, database_url: str
) -> None:
    play_story(empty_store, clock)

    code, stdout, _ = run(database_url, "recap", "nova", "-e", SLUG, "--tz", "America/Chicago")

    assert (code, stdout.splitlines()[3], stdout.splitlines()[10]) == (
        0,
        "What the team did up to Tue 5 Apr 10:00. Times are in America/Chicago.",
        "- Mon 4 Apr 08:00-10:00, Austin, planned: 2 people checked in;",
    )


def test_recap_json_at_a_moment(empty_store: Store, clock: Clock, database_url: str) -> None:
    play_story(empty_store, clock)

    code, stdout, _ = run(
        database_url, "recap", "nova", "-e", SLUG, "--format", "json", "--at", "2022-04-04T13:30Z"
    )

    data = json.loads(stdout)
    assert (code, data["until"], [t["text"] for t in data["topics"]]) == (
        0,
        "2022-04-04T13:30:00+00:00",
        ["Placement API"],
    )


def test_recap_html_is_a_document_that_escapes_topics(
    empty_store: Store, clock: Clock, database_url: str
) -> None:
    play_story(empty_store, clock)

    code, stdout, _ = run(database_url, "recap", "nova", "-e", SLUG, "-f", "html")

    assert code == 0
    assert stdout.startswith('<!doctype html>\n<html lang="en">')
    assert "<title>Recap: Nova · Story PTG</title>" in stdout
    assert "Quotas &lt;script&gt;alert(1)&lt;/script&gt;" in stdout
    assert "<script" not in stdout
    assert "<form" not in stdout


def test_recap_refusals_say_what_is_expected(
    empty_store: Store, clock: Clock, database_url: str
) -> None:
    play_story(empty_store, clock)

    assert run(database_url, "recap", "glance", "-e", SLUG) == (
        1,
        "",
        "There is no team 'glance' at this event; see its list of teams.\n",
    )
    assert run(database_url, "recap", "nova", "-e", SLUG, "--tz", "Mars/Base") == (
        2,
        "",
        "Unknown time zone 'Mars/Base'; use an IANA name such as UTC, Europe/Paris or "
        "America/Los_Angeles.\n",
    )
    assert run(database_url, "recap", "nova", "-e", SLUG, "--at", "soon") == (
        2,
        "",
        "'soon' is not a moment; expected ISO 8601, e.g. 2022-04-05T15:00 (in "
        "Europe/Paris) or 2022-04-05T13:00Z.\n",
    )
