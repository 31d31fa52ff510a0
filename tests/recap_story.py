"""A known sequence of commands, each at a time of its own, for the recap's end-to-end
tests (tests/history, tests/web, tests/cli): what ``STORY_MARKDOWN`` says happened.

The event is in Europe/Paris (UTC+2 in April); slots A1 15:00 and A2 16:00 local (13:00
and 14:00 UTC). Nova is planned in Austin on Monday (A1, A2) and Tuesday A2, which an
organizer frees on Monday evening; it books Bexar on Tuesday A1 and holds nothing there.
After the end of the event (Tuesday 17:00 in Paris) a chair sets a topic and the
etherpad, which the recap must not show, and writes an outcome and the recordings link,
which it shows.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ptghub.core.model import Actor
from ptghub.eventfile import load_event_text
from ptghub.store.store import Store
from tests.support import Clock

STORY_EVENT = """\
slug: story-ptg
name: Story PTG
start: 2022-04-04
end: 2022-04-05
timezone: Europe/Paris
format: virtual
contact: ptg@example.org
slots:
  - {name: A1, start: "15:00", end: "16:00"}
  - {name: A2, start: "16:00", end: "17:00"}
rooms:
  - name: Austin
    video_url: https://meet.example.org/austin
  - name: Bexar
    video_url: https://meet.example.org/bexar
teams:
  - slug: nova
    name: Nova
    chairs: [nchair]
  - slug: cinder
    name: Cinder
organizers: [olivia]
schedule:
  Austin: {Mon-A1: nova, Mon-A2: nova, Tue-A2: nova}
  Bexar: {Mon-A1: cinder}
"""
SLUG = "story-ptg"
END = datetime(2022, 4, 5, 15, 0, tzinfo=UTC)  # Tuesday 17:00 in Paris

# (day of April, hour, minute in UTC, nick, command)
STORY: tuple[tuple[int, int, int, str, str], ...] = (
    (4, 12, 0, "nchair", "#nova next Placement API"),
    (4, 12, 1, "nchair", "#nova next Unified limits"),
    (4, 13, 5, "nchair", "#nova now Placement API"),
    (4, 13, 10, "alice", "in #nova"),
    (4, 13, 20, "bob", "in Austin"),
    (4, 14, 0, "nchair", "#nova now Quotas <script>alert(1)</script>"),
    (4, 14, 30, "alice", "out"),
    (4, 18, 0, "olivia", "#nova unbook Austin-Tue-A2"),
    (5, 9, 0, "nchair", "#nova book Bexar-Tue-A1"),
    (5, 16, 0, "nchair", "#nova now Written after the end"),
    (5, 16, 5, "nchair", "#nova outcome 1 Ship the new API in Zed."),
    (5, 16, 10, "nchair", "#nova etherpad https://pad.example.org/late"),
    (5, 16, 15, "nchair", "#nova recording https://videos.example.org/nova"),
)

STORY_MARKDOWN = """\
Nova at Story PTG
=================

What the team did up to Tue 5 Apr 17:00. Times are in Europe/Paris.

Etherpad: [1]. Video: [2] (Austin) and [3] (Bexar). Recordings: [4].

Sessions
--------

- Mon 4 Apr 15:00-17:00, Austin, planned: 2 people checked in;
  topics 1 and 2.
- Tue 5 Apr 15:00-16:00, Bexar, booked: nobody checked in; no topic.

Topics
------

1. Placement API (Mon 4 Apr 15:05, 55 min)
   Outcome: Ship the new API in Zed.
2. Quotas <script>alert(1)</script> (Mon 4 Apr 16:00, 1 h)

Planned but not used
--------------------

- Tue 5 Apr 15:00-16:00, Bexar: no topic and nobody checked in.
- Tue 5 Apr 16:00-17:00, Austin: planned, given up on Mon 4 Apr 20:00.
- Queued as next, never discussed: Unified limits

Links
-----

[1] https://etherpad.opendev.org/p/story-ptg-nova
[2] https://meet.example.org/austin
[3] https://meet.example.org/bexar
[4] https://videos.example.org/nova
"""


def play_story(store: Store, clock: Clock) -> None:
    """Load the story's event and run its commands, the clock set for each; the clock is
    left a day after the event."""
    clock.now = datetime(2022, 4, 1, 12, 0, tzinfo=UTC)
    store.create_event(
        load_event_text(STORY_EVENT, "story.yaml"), Actor("loader", operator=True), "story"
    )
    for day, hour, minute, nick, text in STORY:
        clock.now = datetime(2022, 4, day, hour, minute, tzinfo=UTC)
        store.run(text, Actor(nick, frontend="test"), event=SLUG)
    clock.now = datetime(2022, 4, 6, 12, 0, tzinfo=UTC)
