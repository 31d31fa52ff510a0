"""Pydantic models of the YAML event definition file (the format is in docs/event-file.md).

The models check every value on its own: types, unknown keys, and the checks of
``values`` (enumerations, colours, URLs, nicks, dates and times). Checks that relate values
to each other (duplicates, slot codes, the schedule) need the whole file and are done by
the loader once these models pass.

``error_message`` turns each pydantic error into the final text for the user.
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime, time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import ErrorDetails

from ptghub.core.model import TeamKind
from ptghub.eventfile.values import (
    ERROR_TYPE,
    Capacity,
    Color,
    Contact,
    Day,
    Description,
    EventSlug,
    Format,
    Host,
    Icon,
    IrcChannel,
    Kind,
    LinkTitle,
    LocalDateTime,
    LocalTime,
    MatrixRoom,
    Name,
    Nick,
    PageName,
    PageText,
    SlotName,
    TeamSlug,
    Template,
    Text,
    TimeZone,
    Title,
    Url,
    describe,
    fail,
)

MAX_EVENT_DAYS = 28  # keeps Mon04-style slot codes unique (same weekday and day: 28+ days)


class Spec(BaseModel):
    """Base of the file's models: unknown keys are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SlotSpec(Spec):
    name: SlotName
    start: LocalTime
    end: LocalTime

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: time, info: ValidationInfo) -> time:
        start = info.data.get("start")
        if isinstance(start, time) and end <= start:
            raise fail(f"{end:%H:%M} is not after start {start:%H:%M}")
        return end


class DaySpec(Spec):
    date: Day
    slots: list[SlotSpec]


class RoomSpec(Spec):
    name: Name
    capacity: Capacity | None = None
    video_url: Url | None = None
    description: Description = ""
    bookable: bool = True
    capability: Description = ""
    capability_icon: Icon = ""
    location: Description = ""
    unavailable: list[Text] = Field(default_factory=list)


class TeamSpec(Spec):
    slug: TeamSlug
    name: Name
    kind: Kind = TeamKind.PROJECT_TEAM
    chairs: list[Nick] = Field(default_factory=list)
    onboarding: bool = False
    color: Color | None = None
    etherpad: Url | None = None
    video_url: Url | None = None
    description: Description = ""
    onboarding_slot: Text | None = None
    recording: Url | None = None


class SocialSpec(Spec):
    title: Title
    start: LocalDateTime
    end: LocalDateTime
    url: Url | None = None
    description: Description = ""

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("start")
        if not isinstance(start, datetime):
            return end
        if (start.tzinfo is None) != (end.tzinfo is None):
            raise fail("give start and end both with a UTC offset or both without")
        if end <= start:
            raise fail(f"{end.isoformat()} is not after start {start.isoformat()}")
        return end


class IrcChatSpec(Spec):
    network: Name
    channel: IrcChannel
    server: Host | None = None


class MatrixChatSpec(Spec):
    room: MatrixRoom


class ChatSpec(Spec):
    irc: IrcChatSpec | None = None
    matrix: MatrixChatSpec | None = None


class EventSpec(Spec):
    slug: EventSlug
    name: Name
    start: Day
    end: Day
    timezone: TimeZone
    format: Format
    contact: Contact
    etherpad_template: Template | None = None
    # Closed by default: on an open event any nick or token may retarget a team's links.
    open_to_everyone: bool = False
    # Off by default: ptg.json then publishes how many people are checked in, not who.
    show_checkin_nicks: bool = False
    chat: ChatSpec | None = None
    pages: dict[PageName, PageText] = Field(default_factory=dict)
    links: dict[LinkTitle, Url] = Field(default_factory=dict)
    slots: list[SlotSpec]
    days: list[DaySpec] = Field(default_factory=list)
    rooms: list[RoomSpec]
    teams: list[TeamSpec]
    organizers: list[Nick] = Field(default_factory=list)
    schedule: dict[Text, dict[Text, Text]] = Field(default_factory=dict)
    socials: list[SocialSpec] = Field(default_factory=list)

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if isinstance(start, date):
            if end < start:
                raise fail(f"{end} is before start {start}")
            if (days := (end - start).days + 1) > MAX_EVENT_DAYS:
                raise fail(f"the event lasts {days} days; at most {MAX_EVENT_DAYS} are allowed")
        return end


def fields_at(loc: tuple[int | str, ...]) -> list[str] | None:
    """The field names of the model found at ``loc`` of an EventSpec, if it is a model."""
    tp: Any = EventSpec
    for part in loc:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if not isinstance(part, str) or part not in tp.model_fields:
                return None
            tp = tp.model_fields[part].annotation
        elif typing.get_origin(tp) is list and isinstance(part, int):
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
        if typing.get_origin(tp) in (typing.Union, types.UnionType):
            tp = next(arg for arg in typing.get_args(tp) if arg is not type(None))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return None


_EXPECTED = {
    "bool_type": "true or false",
    "int_type": "a whole number",
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
}


def error_message(details: ErrorDetails) -> str:
    """The message for the user of one pydantic error raised by EventSpec."""
    kind = details["type"]
    if kind == ERROR_TYPE:
        return str((details.get("ctx") or {})["message"])
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        fields = fields_at(tuple(details["loc"])[:-1])
        return "unknown field" + (f"; expected one of {', '.join(fields)}" if fields else "")
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {describe(details['input'])}"
    return details["msg"]
