"""The frab/Pentabarf ``schedule.xml`` that schedule apps read (schema: c3voc's XSD).

Built with lxml, which escapes text and attribute values; characters that XML 1.0
cannot hold at all (C0 controls other than tab and line breaks) become U+FFFD. The
content is ``exports.conference``; this module only writes it down.
"""

from __future__ import annotations

import re

from lxml import etree

from ptghub import __version__
from ptghub.core.model import EventState
from ptghub.exports.conference import (
    EVENT_TYPE,
    LANGUAGE,
    Conference,
    ScheduleDay,
    Talk,
    conference,
)

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def schedule_xml(state: EventState, *, version: str, url: str | None = None) -> bytes:
    """``schedule.xml`` of the event; ``version`` names this state (the store's version),
    ``url`` is where the file is served (an http(s) address, or None)."""
    return render(conference(state), version=version, url=url)


def render(conf: Conference, *, version: str, url: str | None) -> bytes:
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name="ptghub", version=__version__)
    if url is not None and re.match(r"https?://", url):
        _text(root, "url", url)
    _text(root, "version", version)
    head = etree.SubElement(root, "conference")
    _text(head, "title", conf.title)
    _text(head, "acronym", conf.acronym)
    _text(head, "start", conf.start.isoformat())
    _text(head, "end", conf.end.isoformat())
    _text(head, "days", str(len(conf.days)))
    _text(head, "timeslot_duration", conf.timeslot)
    _text(head, "time_zone_name", conf.timezone)
    for track in conf.tracks:
        element = etree.SubElement(head, "track", name=xml_text(track.name))
        if track.color is not None:
            element.set("color", track.color)
    for day in conf.days:
        _day(root, day)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


def _day(root: etree._Element, day: ScheduleDay) -> None:
    element = etree.SubElement(
        root,
        "day",
        index=str(day.index),
        date=day.day.isoformat(),
        start=day.starts.isoformat(),
        end=day.ends.isoformat(),
    )
    for room in day.rooms:
        room_element = etree.SubElement(
            element, "room", name=xml_text(room.room.name), guid=str(room.guid)
        )
        for talk in room.talks:
            _talk(room_element, talk)


def _talk(parent: etree._Element, talk: Talk) -> None:
    event = etree.SubElement(parent, "event", id=str(talk.id), guid=str(talk.guid))
    _text(event, "date", talk.starts.isoformat())
    _text(event, "start", talk.start)
    _text(event, "duration", talk.duration)
    _text(event, "room", talk.room)
    _text(event, "slug", talk.slug)
    _text(event, "title", talk.title)
    _text(event, "subtitle", "")
    _text(event, "track", talk.track)
    _text(event, "type", EVENT_TYPE)
    _text(event, "language", LANGUAGE)
    _text(event, "abstract", talk.abstract)
    _text(event, "description", talk.description)
    if talk.url is not None:
        _text(event, "url", talk.url)
    etree.SubElement(event, "persons")
    links = etree.SubElement(event, "links")
    for title, href in talk.links:
        link = etree.SubElement(links, "link", href=xml_text(href))
        link.text = xml_text(title)


def _text(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = xml_text(text)
