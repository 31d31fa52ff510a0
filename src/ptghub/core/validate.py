"""Checks on user-supplied values, each failing with a message that says what is expected.

Values that pass are safe to store; rendering still escapes them (a valid topic may hold
``<script>``), but colours and URLs are restricted here because they end up inside CSS
and ``href`` attributes, where escaping alone is not enough.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import webcolors

from ptghub.core.errors import InvalidInput
from ptghub.core.model import nick_key

MAX_TOPIC = 300
MAX_OUTCOME = 500  # a chair's written outcome of one topic
MAX_LOCATION = 100
MAX_MOTD = 300
MAX_NAME = 80
MAX_URL = 2000
MAX_NICK = 64

# Zero-width (non-)joiners are format characters that emoji and some scripts need.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}
# ASCII only: some non-ASCII letters (the Kelvin sign, dotted I) casefold to other or
# longer strings, which would make two spellings of one key or overflow the key column.
_FLAGS = re.IGNORECASE | re.ASCII
_SLUG = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}", _FLAGS)
_HEX = re.compile(r"#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})", _FLAGS)
_N = r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)"
_P = rf"{_N}%?"  # a number or a percentage
_H = rf"{_N}(?:deg|grad|rad|turn)?"  # a hue
_FUNC = re.compile(
    rf"rgba?\(\s*{_P}\s*,\s*{_P}\s*,\s*{_P}\s*(?:,\s*{_P}\s*)?\)"
    rf"|hsla?\(\s*{_H}\s*,\s*{_P}\s*,\s*{_P}\s*(?:,\s*{_P}\s*)?\)"
    rf"|rgba?\(\s*{_P}\s+{_P}\s+{_P}\s*(?:/\s*{_P}\s*)?\)"
    rf"|hsla?\(\s*{_H}\s+{_P}\s+{_P}\s*(?:/\s*{_P}\s*)?\)",
    _FLAGS,
)
_PORT = re.compile(r"[0-9]{1,5}")
_COLOR_NAMES = frozenset(webcolors.names("css3")) | {"transparent", "rebeccapurple"}


def check_text(value: str, *, what: str, limit: int) -> str:
    """Strip ``value`` and check it is non-empty printable text of at most ``limit`` chars."""
    text = value.strip()
    if not text:
        raise InvalidInput(f"Missing {what}.")
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        # Zl/Zp are line and paragraph separators: one-line text must stay on one line.
        if (category[0] == "C" or category in ("Zl", "Zp")) and char not in _ALLOWED_FORMAT:
            raise InvalidInput(
                f"The {what} contains a non-printable character (U+{ord(char):04X}) at "
                f"position {position}; use printable text only."
            )
    if len(text) > limit:
        raise InvalidInput(
            f"The {what} is {len(text)} characters long; at most {limit} are allowed."
        )
    return text


def check_slug(value: str) -> str:
    """A team slug: 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit."""
    slug = value.removeprefix("#")
    if not _SLUG.fullmatch(slug):
        raise InvalidInput(
            f"'{shorten(value)}' is not a valid team name: use 1 to 40 letters, digits, "
            "'.', '_' or '-', starting with a letter or digit (for example 'nova')."
        )
    return slug


def check_color(value: str) -> str:
    """A CSS colour: a name, #rgb[a], #rrggbb[aa], or rgb()/rgba()/hsl()/hsla()."""
    color = value.strip()
    if color.casefold() in _COLOR_NAMES or _HEX.fullmatch(color) or _FUNC.fullmatch(color):
        return color
    raise InvalidInput(
        f"'{shorten(color)}' is not a CSS colour; use a name (red), #rgb, #rrggbb or rgb(r, g, b)."
    )


def check_url(value: str, *, what: str = "URL") -> str:
    """An absolute http(s) URL with a host and no spaces."""
    url = value.strip()
    if len(url) > MAX_URL:
        raise InvalidInput(f"The {what} is {len(url)} characters long; at most {MAX_URL}.")
    try:
        parts = urlsplit(url)
        host_ok = bool(parts.hostname)
    except ValueError:
        parts, host_ok = None, False
    printable = url.isprintable() and not any(c.isspace() for c in url)
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host_ok:
        raise InvalidInput(
            f"'{shorten(url)}' is not a valid {what}; expected an http:// or https:// address."
        )
    if not printable:
        raise InvalidInput(f"The {what} must not contain spaces or control characters.")
    _check_authority(url, parts.netloc)
    return url


def _check_authority(url: str, netloc: str) -> None:
    """Refuse what makes a browser and this parser disagree on the host, or a bad port.

    Browsers read ``\\`` as ``/`` in http(s) URLs, so ``https://evil.example\\@good.example/``
    leads to evil.example while ``urlsplit`` sees good.example; user-info (``good.example@``)
    disguises the host to a reader; Python's ``port`` accepts non-ASCII digits.
    """
    if "\\" in netloc:
        raise InvalidInput(
            f"'{shorten(url)}' has a backslash before its path, which browsers read as '/', "
            "so the link could lead to another host than it shows; expected "
            "https://HOST/PATH without a backslash there."
        )
    if "@" in netloc:
        raise InvalidInput(
            f"'{shorten(url)}' has a user name or password before its host (the part up to "
            "'@'), which can disguise where the link leads; expected https://HOST/PATH with "
            "no '@' before the host."
        )
    # The port follows the last ':' after the host (an IPv6 host is in brackets).
    host_end = netloc.rfind("]") + 1
    _, colon, port = netloc[host_end:].rpartition(":")
    if colon and port and not (_PORT.fullmatch(port) and 1 <= int(port) <= 65535):
        raise InvalidInput(
            f"'{shorten(url)}' has the port '{shorten(port, 10)}'; expected a number from 1 "
            "to 65535 after the host's ':'."
        )


def check_nick(value: str) -> str:
    """A chat nick: printable, no spaces, and at most MAX_NICK characters once case-folded."""
    nick = value.strip()
    too_long = len(nick_key(nick)) > MAX_NICK
    if not nick or too_long or not nick.isprintable() or " " in nick:
        raise InvalidInput(
            f"'{shorten(nick)}' is not a valid nick; use 1 to {MAX_NICK} printable "
            "characters without spaces."
        )
    return nick


def shorten(value: str, limit: int = 40) -> str:
    """Echo user input back safely: printable and short."""
    text = "".join(c if c.isprintable() else "?" for c in value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
