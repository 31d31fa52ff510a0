"""The values of an event file, each checked on its own, as annotated types for ``schema``.

Each check runs before pydantic's own (a ``BeforeValidator``), so it sees the value as YAML
read it and can say what was written: types, enumerations, colours, URLs, nicks, dates and
times, time zones, the etherpad template.

Each failure is raised as a ``PydanticCustomError`` of type ``ERROR_TYPE`` whose message
is the final text for the user, so the loader reports it as is.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, time, tzinfo
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from ptghub.core.errors import InvalidInput
from ptghub.core.model import PAGE_NAMES, EventFormat, TeamKind, team_key
from ptghub.core.validate import (
    MAX_NAME,
    check_color,
    check_nick,
    check_slug,
    check_text,
    check_url,
    shorten,
)
from ptghub.core.verbs import USER_VERBS

ERROR_TYPE = "ptghub"
MAX_DESCRIPTION = 500
MAX_CONTACT = 200
MAX_PAGE = 50_000
MAX_CAPACITY = 100_000
RESERVED_SLUGS = USER_VERBS  # '#in' is a user command, so no team may be called 'in'
_SLOT_NAME = re.compile(r"[A-Za-z0-9]{1,8}")
_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
_IRC_CHANNEL = re.compile(r"[#&][^\x00-\x20,\x7f]{1,49}")  # RFC 2812, less what breaks links
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_MATRIX_ROOM = re.compile(r"[#!][^\x00-\x20:]{1,200}:[A-Za-z0-9.-]{1,230}(?::[0-9]{1,5})?")


def fail(message: str) -> PydanticCustomError:
    """A validation error whose message is shown to the user verbatim."""
    return PydanticCustomError(ERROR_TYPE, "{message}", {"message": message})


def describe(value: Any) -> str:
    """How a YAML value is named in messages: "got {describe(value)}"."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(shorten(value))
    if isinstance(value, datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _text_input(value: Any) -> str:
    if isinstance(value, str):
        return value
    hint = "; put it in quotes" if isinstance(value, bool | int | float | date) else ""
    raise fail(f"expected text, got {describe(value)}{hint}")


def _reason(error: InvalidInput) -> str:
    """A ptghub.core.validate message as the end of a line: 'Missing name.' -> 'missing name'."""
    text = error.message.removesuffix(".")
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _checked(check: Callable[[str], str]) -> Callable[[Any], str]:
    """Turn a ptghub.core.validate check into a pydantic validator."""

    def validate(value: Any) -> str:
        try:
            return check(_text_input(value))
        except InvalidInput as error:
            raise fail(_reason(error)) from None

    return validate


def _text(what: str, limit: int) -> Callable[[Any], str]:
    return _checked(lambda value: check_text(value, what=what, limit=limit))


def _optional_text(value: Any) -> str:
    return "" if value is None or value == "" else _text("description", MAX_DESCRIPTION)(value)


def _optional_icon(value: Any) -> str:
    return "" if value is None or value == "" else _text("capability icon", MAX_NAME)(value)


def _page_text(value: Any) -> str:
    text = _text_input(value).strip()
    if not text:
        raise fail("the page is empty")
    for char in text:
        if unicodedata.category(char)[0] == "C" and char not in "\n\t\u200c\u200d":
            raise fail(f"the page contains a non-printable character (U+{ord(char):04X})")
    if len(text) > MAX_PAGE:
        raise fail(f"the page is {len(text)} characters long; at most {MAX_PAGE} are allowed")
    return text


def _page_name(value: Any) -> str:
    if not isinstance(value, str) or value not in PAGE_NAMES:
        raise fail(f"unknown page {describe(value)}; expected one of {', '.join(PAGE_NAMES)}")
    return value


def _event_slug(value: Any) -> str:
    try:
        return check_slug(_text_input(value))
    except InvalidInput:
        raise fail(
            f"{describe(value)} is not a valid event slug: use 1 to 40 letters, digits, '.', "
            "'_' or '-', starting with a letter or digit (for example 'ptg-2022-04')"
        ) from None


def _team_slug(value: Any) -> str:
    slug = _checked(check_slug)(value)
    if team_key(slug) in RESERVED_SLUGS:
        words = ", ".join(sorted(RESERVED_SLUGS))
        raise fail(
            f"'{slug}' cannot be a team slug: '#{slug}' is a user command (reserved: {words})"
        )
    return slug


def _one_of(enum: type[StrEnum]) -> Callable[[Any], StrEnum]:
    def validate(value: Any) -> StrEnum:
        values = [member.value for member in enum]
        if isinstance(value, str) and value.lower() in values:
            return enum(value.lower())
        raise fail(f"{describe(value)} is not one of {', '.join(values)}")

    return validate


def zone(name: str) -> tzinfo:
    """The time zone of a valid ``timezone`` value; UTC needs no time zone database."""
    return UTC if name == "UTC" else ZoneInfo(name)


def _timezone(value: Any) -> str:
    name = _text_input(value).strip()
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise fail(
            f"unknown time zone {describe(name)}; use an IANA name such as UTC or Europe/Paris"
        ) from None
    return name


def _template(value: Any) -> str:
    text = _text_input(value).strip()
    allowed = "only {event} and {team} may be used"
    try:
        fields = [f for f in string.Formatter().parse(text) if f[1] is not None]
    except ValueError:
        raise fail(f"unbalanced braces in the etherpad template; {allowed}") from None
    for _, name, spec, conversion in fields:
        if name not in ("event", "team") or spec or conversion:
            written = "{" + (name or "") + (f"!{conversion}" if conversion else "")
            written += (f":{spec}" if spec else "") + "}"
            raise fail(f"{written} is not allowed in the etherpad template; {allowed}")
    try:
        check_url(text.format(event="event", team="team"), what="etherpad template")
    except InvalidInput as error:
        raise fail(_reason(error)) from None
    return text


def _date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise fail(f"expected a date YYYY-MM-DD, got {describe(value)}")


def _time(value: Any) -> time:
    if isinstance(value, str) and (match := _TIME.fullmatch(value.strip())):
        return time(int(match[1]), int(match[2]))
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        hours, minutes = divmod(value, 60)
        raise fail(
            f'expected a time "HH:MM" in quotes; YAML reads an unquoted '
            f"{hours}:{minutes:02d} as the number {value}"
        )
    raise fail(f'expected a time "HH:MM" (00:00 to 23:59) in quotes, got {describe(value)}')


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise fail(f"expected a date and time YYYY-MM-DDTHH:MM, got {describe(value)}")


def _slot_name(value: Any) -> str:
    name = _text_input(value)
    if not _SLOT_NAME.fullmatch(name):
        raise fail(f"{describe(name)} is not a valid slot name; use 1 to 8 letters or digits")
    return name


def _capacity(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_CAPACITY:
        return value
    raise fail(f"expected a whole number of people from 1 to {MAX_CAPACITY}, got {describe(value)}")


def _quoted_hash(value: Any, example: str) -> str:
    """Text that starts with '#': YAML reads an unquoted one as a comment, so nothing."""
    if value is None:
        raise fail(
            f'expected text, got nothing; quote it, such as "{example}" (an unquoted # '
            "starts a YAML comment)"
        )
    return _text_input(value).strip()


def _irc_channel(value: Any) -> str:
    channel = _quoted_hash(value, "#openinfra-events")
    if not _IRC_CHANNEL.fullmatch(channel):
        raise fail(
            f"{describe(channel)} is not an IRC channel: '#' and 1 to 49 characters without "
            'spaces or commas, in quotes, such as "#openinfra-events"'
        )
    return channel


def _host(value: Any) -> str:
    host = _text_input(value).strip()
    if len(host) > 253 or not _HOST.fullmatch(host):
        raise fail(f"{describe(host)} is not a server name such as irc.oftc.net")
    return host


def _matrix_room(value: Any) -> str:
    room = _quoted_hash(value, "#openinfra-events:matrix.org")
    if not _MATRIX_ROOM.fullmatch(room):
        raise fail(
            f"{describe(room)} is not a Matrix room: an alias such as "
            '"#openinfra-events:matrix.org" or a room id such as "!abc:matrix.org", in quotes'
        )
    return room


Text = Annotated[str, BeforeValidator(_text_input)]
Name = Annotated[str, BeforeValidator(_text("name", MAX_NAME))]
Title = Annotated[str, BeforeValidator(_text("title", MAX_NAME))]
Description = Annotated[str, BeforeValidator(_optional_text)]  # empty when not given
Icon = Annotated[str, BeforeValidator(_optional_icon)]  # empty when not given
Contact = Annotated[str, BeforeValidator(_text("contact", MAX_CONTACT))]
Url = Annotated[str, BeforeValidator(_checked(check_url))]
Color = Annotated[str, BeforeValidator(_checked(check_color))]
Nick = Annotated[str, BeforeValidator(_checked(check_nick))]
EventSlug = Annotated[str, BeforeValidator(_event_slug)]
TeamSlug = Annotated[str, BeforeValidator(_team_slug)]
SlotName = Annotated[str, BeforeValidator(_slot_name)]
PageName = Annotated[str, BeforeValidator(_page_name)]
PageText = Annotated[str, BeforeValidator(_page_text)]
LinkTitle = Annotated[str, BeforeValidator(_text("link title", MAX_NAME))]
TimeZone = Annotated[str, BeforeValidator(_timezone)]
Template = Annotated[str, BeforeValidator(_template)]
Kind = Annotated[TeamKind, BeforeValidator(_one_of(TeamKind))]
Format = Annotated[EventFormat, BeforeValidator(_one_of(EventFormat))]
Day = Annotated[date, BeforeValidator(_date)]
LocalTime = Annotated[time, BeforeValidator(_time)]
LocalDateTime = Annotated[datetime, BeforeValidator(_datetime)]
Capacity = Annotated[int, BeforeValidator(_capacity)]
IrcChannel = Annotated[str, BeforeValidator(_irc_channel)]
Host = Annotated[str, BeforeValidator(_host)]
MatrixRoom = Annotated[str, BeforeValidator(_matrix_room)]
