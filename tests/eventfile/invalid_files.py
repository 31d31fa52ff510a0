"""A small valid event file and helpers to break it: what the event-file error tests share."""

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
