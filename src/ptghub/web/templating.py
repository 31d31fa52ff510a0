"""The Jinja2 environment of the HTML pages, and the filters that make user data safe.

Contracts:

- Autoescape is on for every template; filters that return ``Markup`` build it only
  from escaped parts, so no user string reaches the page unescaped.
- ``markdown`` renders CommonMark (plus tables) with raw HTML disabled; a link or image
  is kept only for ``http``, ``https`` and ``mailto`` addresses, otherwise its source
  text is shown. Headings are shifted so that the page's own outline stays in order.
- ``http_url`` gives back a URL only when it is absolute http(s): anything else
  (``javascript:``, ``data:``, relative) is shown as text, never as a link.
- ``badge_colors`` turns a team colour into a normalised ``#rrggbb`` background and a
  text colour (white, as the old bot did, unless white would be unreadable on it), so a
  colour never reaches a ``style`` attribute as the user typed it.
- Times: an instant is rendered in one zone with ``format_time``; ``time.js`` rewrites
  the same formats in the viewer's zone, with the same English names.
"""

from __future__ import annotations

import colorsys
import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import webcolors
from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markupsafe import Markup

from ptghub.core.errors import InvalidInput
from ptghub.core.model import IrcChat, Slot
from ptghub.web.clock_note import simulated_clock
from ptghub.web.viewer import viewer

DEFAULT_BADGE = "#2f3e4e"  # dark slate: white text on it has a contrast of about 11:1
_WHITE, _BLACK = "#ffffff", "#000000"
_MIN_CONTRAST = 4.5  # WCAG AA for normal text

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LONG_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LONG_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
TIME_FORMATS = ("time", "date", "datetime", "day", "slot")

# -- time ---------------------------------------------------------------------------


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; InvalidInput saying what is expected when there is none."""
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    # OSError: a name can reach the file system as a directory of the zone database
    # ('Europe': IsADirectoryError) or a name too long for a file (ENAMETOOLONG).
    except (ZoneInfoNotFoundError, ValueError, OSError):
        shown = "".join(c if c.isprintable() else "?" for c in name)[:60]
        raise InvalidInput(
            f"Unknown time zone '{shown}'; use an IANA name such as UTC, Europe/Paris "
            "or America/Los_Angeles."
        ) from None


def slot_bounds(slot: Slot, zone_name: str) -> tuple[datetime, datetime]:
    """Start and end of a slot as UTC instants (its times are local to the event's zone).

    A slot whose end is not after its start ends on the next day (e.g. 23:00-00:00).
    """
    tz = zone(zone_name)
    start = datetime.combine(slot.day, slot.start, tzinfo=tz)
    end_day = slot.day if slot.end > slot.start else slot.day + timedelta(days=1)
    end = datetime.combine(end_day, slot.end, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def format_time(at: datetime, zone_name: str, fmt: str, ref_day: date | None = None) -> str:
    """``at`` (aware) shown in ``zone_name``.

    Formats: ``time`` 13:00 · ``date`` Mon 4 Apr · ``datetime`` Mon 4 Apr 13:00 ·
    ``day`` Monday 4 April 2022 · ``slot`` 13:00, or ``Tue 01:00`` when the local date
    is not ``ref_day`` (a slot of Monday's grid seen from a zone where it is Tuesday).
    """
    local = at.astimezone(zone(zone_name))
    clock = f"{local.hour:02d}:{local.minute:02d}"
    short = f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}"
    if fmt == "time":
        return clock
    if fmt == "date":
        return short
    if fmt == "datetime":
        return f"{short} {clock}"
    if fmt == "day":
        month = LONG_MONTHS[local.month - 1]
        return f"{LONG_WEEKDAYS[local.weekday()]} {local.day} {month} {local.year}"
    if fmt == "slot":
        if ref_day is None or local.date() == ref_day:
            return clock
        return f"{WEEKDAYS[local.weekday()]} {clock}"
    raise ValueError(f"unknown time format {fmt!r}; expected one of {TIME_FORMATS}")


def time_tag(at: datetime, zone_name: str, fmt: str, ref_day: date | None = None) -> Markup:
    """A ``<time data-tz>`` element: UTC instant in ``datetime``, text in ``zone_name``."""
    day = Markup(' data-day="{}"').format(ref_day.isoformat()) if ref_day else Markup("")
    return Markup('<time datetime="{}" data-tz data-format="{}"{}>{}</time>').format(
        at.astimezone(UTC).isoformat(), fmt, day, format_time(at, zone_name, fmt, ref_day)
    )


def long_date(day: date) -> str:
    """A calendar date (not an instant): Monday 4 April 2022."""
    return f"{LONG_WEEKDAYS[day.weekday()]} {day.day} {LONG_MONTHS[day.month - 1]} {day.year}"


# -- links ----------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s<>\"'()]+@[^@\s<>\"'()]+\.[^@\s<>\"'()]+")


def http_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) address without spaces, else None."""
    if not url or not url.isprintable() or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and host else None


def path_part(value: str) -> str:
    """``value`` quoted as one segment of a URL path (a '/' in it cannot climb out)."""
    return quote(value, safe="")


def contact_url(contact: str) -> str | None:
    """Where a contact links to: mailto: for an e-mail address, an http(s) URL, or None."""
    if _EMAIL.fullmatch(contact):
        return f"mailto:{contact}"
    return http_url(contact)


def irc_url(irc: IrcChat) -> str | None:
    """The ``irc://`` address of a channel (a '#' channel is written without its '#', as
    IRC clients expect); None without a server to name."""
    if irc.server is None:
        return None
    channel = irc.channel.removeprefix("#") if irc.channel.startswith("#") else irc.channel
    return f"irc://{irc.server}/{quote(channel, safe='')}"


def matrix_url(room: str) -> str:
    """A matrix.to link to a room alias or id: it opens in any Matrix client."""
    return f"https://matrix.to/#/{quote(room, safe='')}"


def _markdown_link_ok(url: str) -> bool:
    # A page of this site ("/events/SLUG/register"): a path, never "//host" or "/\\host",
    # which a browser would take for another site.
    if url.startswith("/"):
        return not url.startswith(("//", "/\\")) and "\\" not in url and url.isprintable()
    if url.lower().startswith("mailto:"):
        return _EMAIL.fullmatch(url[len("mailto:") :]) is not None
    return http_url(url) is not None


# -- markdown -------------------------------------------------------------------------


def _adjust(state: StateCore) -> None:
    """Make the top heading level ``state.env['top']`` (default h3); give ``th`` a scope."""
    top = int(state.env.get("top", 3)) if isinstance(state.env, dict) else 3
    levels = [int(t.tag[1]) for t in state.tokens if t.type == "heading_open"]
    shift = top - min(levels, default=top)
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "th_open":
            inline, close = tokens[index + 1], tokens[index + 2]  # th_open, inline, th_close
            if inline.content.strip():
                token.attrSet("scope", "col")
            else:  # an empty corner cell heads nothing: a header must have text
                token.tag = close.tag = "td"
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + shift)}"


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.validateLink = _markdown_link_ok  # type: ignore[method-assign]
    md.core.ruler.push("ptghub_adjust", _adjust)
    return md


_MD = _markdown()


def markdown(text: str, top: int = 3) -> Markup:
    """Safe HTML of a Markdown text; its top heading becomes ``<h{top}>``."""
    return Markup(_MD.render(text, {"top": top}))


# -- colours --------------------------------------------------------------------------

_NUM = r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)"
_FUNCTION = re.compile(r"(rgb|hsl)a?\((.*)\)")
_ARG = re.compile(rf"({_NUM})([a-z%]*)")
_HUE_UNITS = {"": 1.0, "deg": 1.0, "grad": 0.9, "rad": 180 / 3.141592653589793, "turn": 360.0}


def _channel(value: str, scale: float) -> float:
    """A 0..1 channel from '50%' or a number in 0..scale."""
    number = float(value.rstrip("%"))
    result = number / 100 if value.endswith("%") else number / scale
    return min(1.0, max(0.0, result))


def _function_color(kind: str, inner: str) -> tuple[tuple[float, float, float], float] | None:
    """Channels and alpha of rgb()/rgba()/hsl()/hsla() arguments."""
    args = _ARG.findall(inner)
    if len(args) not in (3, 4):
        return None
    alpha = _channel("".join(args[3]), 1.0) if len(args) == 4 else 1.0
    a, b, c = ("".join(arg) for arg in args[:3])
    if kind == "rgb":
        return (_channel(a, 255), _channel(b, 255), _channel(c, 255)), alpha
    number, unit = args[0]
    hue = float(number) * _HUE_UNITS.get(unit, 1.0) % 360 / 360
    return colorsys.hls_to_rgb(hue, _channel(c, 100), _channel(b, 100)), alpha


def parse_color(color: str | None) -> tuple[float, float, float] | None:
    """RGB in 0..1 of a CSS colour, composited over the white page; None if unknown."""
    if not color:
        return None
    text = color.strip().lower()
    alpha = 1.0
    try:
        if text == "transparent":
            return (1.0, 1.0, 1.0)
        if re.fullmatch(r"#[0-9a-f]{4}|#[0-9a-f]{8}", text):
            digits = text[1:]
            width = len(digits) // 4
            alpha = int(digits[3 * width :] * (2 // width), 16) / 255
            text = "#" + digits[: 3 * width]
        if text.startswith("#"):
            rgb = webcolors.hex_to_rgb(text)
            channels = (rgb.red / 255, rgb.green / 255, rgb.blue / 255)
        elif match := _FUNCTION.fullmatch(text):
            parsed = _function_color(*match.groups())
            if parsed is None:
                return None
            channels, alpha = parsed
        else:
            rgb = webcolors.name_to_rgb(text)
            channels = (rgb.red / 255, rgb.green / 255, rgb.blue / 255)
    except ValueError:
        return None
    r, g, b = (alpha * v + (1 - alpha) for v in channels)
    return (r, g, b)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@lru_cache(maxsize=1024)
def badge_colors(color: str | None) -> tuple[str, str]:
    """(background, text) as ``#rrggbb`` for a team badge: white text unless unreadable."""
    rgb = parse_color(color)
    if rgb is None:
        return DEFAULT_BADGE, _WHITE
    background = "#" + "".join(f"{round(v * 255):02x}" for v in rgb)
    lum = _luminance(rgb)
    on_white = 1.05 / (lum + 0.05)
    return background, _WHITE if on_white >= _MIN_CONTRAST else _BLACK


# -- environment ----------------------------------------------------------------------


def environment() -> Environment:
    """The one Jinja2 environment of the pages (autoescape on, undefined names fail)."""
    env = Environment(
        loader=PackageLoader("ptghub.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = markdown
    env.filters["http_url"] = http_url
    env.filters["contact_url"] = contact_url
    env.filters["long_date"] = long_date
    env.filters["path"] = path_part
    env.filters["irc_url"] = irc_url
    env.filters["matrix_url"] = matrix_url
    env.globals["time_tag"] = time_tag
    env.globals["badge_colors"] = badge_colors
    env.globals["simulated_clock"] = simulated_clock
    env.globals["viewer"] = viewer
    return env


ENV = environment()
