"""The c3voc JSON schedule, version 1 (the form pretalx emits; schema: c3voc's v1).

The content is ``exports.conference``, the same as ``schedule.xml``. The schema's
``time_zone_name`` pattern admits only ``Area/Place`` names and ``UTC``, so other zone
names (``Etc/GMT+5``, ``EST5EDT``) are left out rather than make the file invalid.
"""

from __future__ import annotations

import re
from typing import Any

from ptghub import __version__
from ptghub.core.model import EventState
from ptghub.exports.conference import EVENT_TYPE, LANGUAGE, Conference, Talk, conference

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
ZONE_PATTERN = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")  # the schema's own pattern


def http_url(url: str | None) -> bool:
    return url is not None and re.match(r"https?://", url) is not None


def schedule_json(state: EventState, *, version: str, url: str | None = None) -> dict[str, Any]:
    """The c3voc v1 JSON schedule of the event; ``version`` names this state, ``url`` is
    where the schedule is served (or None)."""
    return render(conference(state), version=version, url=url)


def render(conf: Conference, *, version: str, url: str | None) -> dict[str, Any]:
    head: dict[str, Any] = {
        "acronym": conf.acronym,
        "title": conf.title,
        "start": conf.start.isoformat(),
        "end": conf.end.isoformat(),
        "daysCount": len(conf.days),
        "timeslot_duration": conf.timeslot,
    }
    if ZONE_PATTERN.search(conf.timezone):
        head["time_zone_name"] = conf.timezone
    if http_url(url):
        head["url"] = url
    head["tracks"] = [
        {"name": track.name, **({"color": track.color} if track.color else {})}
        for track in conf.tracks
    ]
    head["rooms"] = room_entries(conf)
    head["days"] = [
        {
            "index": day.index,
            "date": day.day.isoformat(),
            "day_start": day.starts.isoformat(),
            "day_end": day.ends.isoformat(),
            "rooms": {room.room.name: [_talk(t) for t in room.talks] for room in day.rooms},
        }
        for day in conf.days
    ]
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": "ptghub", "version": __version__},
        "schedule": {"version": version, "conference": head},
    }


def _talk(talk: Talk) -> dict[str, Any]:
    return {
        "guid": str(talk.guid),
        "id": talk.id,
        "date": talk.starts.isoformat(),
        "start": talk.start,
        "end": talk.ends.isoformat(),
        "duration": talk.duration,
        "room": talk.room,
        "slug": talk.slug,
        "url": talk.url or "",
        "title": talk.title,
        "subtitle": "",
        "track": talk.track,
        "type": EVENT_TYPE,
        "language": LANGUAGE,
        "abstract": talk.abstract,
        "description": talk.description,
        "persons": [],
        "links": [{"url": href, "title": title} for title, href in talk.links],
    }


def room_entries(conf: Conference) -> list[dict[str, Any]]:
    """The rooms as both c3voc versions list them."""
    return [
        {
            "name": room.name,
            "guid": str(guid),
            "capacity": room.capacity,
            "description": room.description or None,
            **({"url": room.video_url} if room.video_url else {}),
        }
        for room, guid in conf.rooms
    ]
