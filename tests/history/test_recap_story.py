"""The recap of a known sequence of commands, each run through a real store at a time of
its own: the exact text, whatever was changed after the end of the event."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from ptghub.core.model import Actor
from ptghub.history.recap import recap_until, team_recap
from ptghub.history.recap_text import recap_markdown
from ptghub.store.history import event_history
from ptghub.store.store import Store
from tests.recap_story import END, SLUG, STORY_MARKDOWN, play_story
from tests.support import Clock

CHAIR = Actor("nchair", frontend="test")


def test_recap_of_the_story_is_its_expected_text(empty_store: Store, clock: Clock) -> None:
    play_story(empty_store, clock)
    state = empty_store.state(SLUG)

    until = recap_until(state, clock())
    recap = team_recap(event_history(empty_store, SLUG, until), state, "nova")

    assert until == END
    assert recap_markdown(recap, ZoneInfo("Europe/Paris")) == STORY_MARKDOWN


def test_recap_of_the_story_reads_the_same_after_more_changes(
    empty_store: Store, clock: Clock
) -> None:
    play_story(empty_store, clock)
    state = empty_store.state(SLUG)
    first = team_recap(event_history(empty_store, SLUG, END), state, "nova")

    empty_store.run("#nova book Bexar-Tue-A2", CHAIR, event=SLUG)
    empty_store.run("in #nova", CHAIR, event=SLUG)
    again = team_recap(event_history(empty_store, SLUG, END), empty_store.state(SLUG), "nova")

    assert again == first
