"""The c3voc JSON schedule, version 2 (the newer flat form; schema: c3voc's v2 "alpha-3").

Same content and ids as version 1 (``exports.c3voc_v1``), laid out as v2 wants: one flat
``events`` list whose events refer to their room by guid and to their track by slug,
times as ISO 8601 date-times and durations (``PT1H``), enum values in upper case.
"""

from __future__ import annotations

from typing import Any

from ptghub import __version__
from ptghub.core.model import EventState
from ptghub.exports.c3voc_v1 import ZONE_PATTERN, http_url, room_entries
from ptghub.exports.conference import LANGUAGE, Conference, Talk, conference

SCHEMA_URL = "https://c3voc.de/schema/schedule2"


def schedule_json_v2(state: EventState, *, version: str, url: str | None = None) -> dict[str, Any]:
    """The c3voc v2 JSON schedule of the event (``version`` and ``url`` as in v1)."""
    return render(conference(state), version=version, url=url)


def iso_duration(hours_minutes: str) -> str:
    """``"01:30"`` as ``"PT1H30M"``."""
    hours, minutes = (int(part) for part in hours_minutes.split(":"))
    text = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return f"PT{text or '0M'}"


def render(conf: Conference, *, version: str, url: str | None) -> dict[str, Any]:
    first, last = conf.days[0], conf.days[-1]
    head: dict[str, Any] = {
        "acronym": conf.acronym,
        "title": conf.title,
        "start": first.starts.isoformat(),
        "end": last.ends.isoformat(),
        "timeslot_duration": iso_duration(conf.timeslot),
    }
    if ZONE_PATTERN.search(conf.timezone):
        head["time_zone_name"] = conf.timezone
    if http_url(url):
        head["url"] = url
    head["tracks"] = [
        {"name": t.name, "slug": t.slug, **({"color": t.color} if t.color else {})}
        for t in conf.tracks
    ]
    head["rooms"] = room_entries(conf)
    head["days"] = [
        {
            "index": day.index,
            "date": day.day.isoformat(),
            "start": day.starts.isoformat(),
            "end": day.ends.isoformat(),
        }
        for day in conf.days
    ]
    events = [
        _event(talk, str(room.guid))
        for day in conf.days
        for room in day.rooms
        for talk in room.talks
    ]
    events.sort(key=lambda event: (event["start"], event["slug"]))
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": "ptghub", "version": __version__},
        "schedule": {"version": version, "conference": head, "events": events},
    }


def _event(talk: Talk, room_guid: str) -> dict[str, Any]:
    return {
        "guid": str(talk.guid),
        "start": talk.starts.isoformat(),
        "end": talk.ends.isoformat(),
        "room": {"name": talk.room, "guid": room_guid},
        "slug": talk.slug,
        "url": talk.url or "",
        "title": talk.title,
        "subtitle": None,
        "track": {"slug": talk.track_slug},
        "type": "MEETING",
        "language": LANGUAGE,
        "abstract": talk.abstract or None,
        "description": talk.description,
        "participants": [],
        "links": [{"url": href, "title": title, "type": "WEB"} for title, href in talk.links],
    }
