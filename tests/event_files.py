"""A small event file for the tests of ``event update`` (commands, store, CLI, API).

``EVENT`` is the file as loaded; tests edit its text (``edited``) as an organizer would.
nova is planned in Austin on both mornings and chaired by nchair; cinder in Bexar on
Monday; Cactus is unavailable on Tuesday afternoon; olivia organizes.
"""

from __future__ import annotations

from ptghub.core.apply import apply_all
from ptghub.core.model import EventState
from ptghub.eventfile import load_event_text

EVENT = """\
slug: upd-ptg
name: Update PTG
start: 2022-04-04
end: 2022-04-05
timezone: UTC
format: virtual
contact: ptg@example.org
pages:
  about: About the PTG.
links:
  Wiki: https://wiki.example.org
slots:
  - {name: A1, start: "13:00", end: "14:00"}
  - {name: P1, start: "15:00", end: "16:00"}
rooms:
  - name: Austin
    capacity: 50
  - name: Bexar
  - name: Cactus
    unavailable: [Tue-P1]
teams:
  - slug: nova
    name: Nova
    chairs: [nchair]
  - slug: cinder
    name: Cinder
  - slug: manila
    name: Manila
organizers: [olivia]
schedule:
  Austin: {Mon-A1: nova, Tue-A1: nova}
  Bexar: {Mon-A1: cinder}
socials:
  - title: Happy hour
    start: 2022-04-04T18:00
    end: 2022-04-04T19:00
"""


def edited(*changes: tuple[str, str], text: str = EVENT) -> str:
    """``text`` with each (old, new) replaced once; an old text not found is a test bug."""
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def loaded(text: str = EVENT) -> EventState:
    """The state of a freshly loaded file."""
    return apply_all(EventState(), load_event_text(text, "test.yaml"))
