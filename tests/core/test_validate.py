"""Checks on user-supplied values: what passes, and the message for what does not."""

from __future__ import annotations

import pytest

from ptghub.core.errors import InvalidInput
from ptghub.core.validate import (
    check_color,
    check_nick,
    check_slug,
    check_text,
    check_url,
    shorten,
)


def _error(call: object, *args: object, **kwargs: object) -> str:
    assert callable(call)
    with pytest.raises(InvalidInput) as error:
        call(*args, **kwargs)
    return error.value.message


# -- check_text -----------------------------------------------------------------------


def test_check_text_strips_and_returns_text() -> None:
    assert check_text("  Placement API  ", what="topic", limit=300) == "Placement API"


def test_check_text_keeps_inner_spaces_and_unicode() -> None:
    text = "Überblick  —  日本語 👩\u200d💻 \u200cok"
    assert check_text(text, what="topic", limit=300) == text


@pytest.mark.parametrize("value", ["", "   ", "\t\n"])
def test_check_text_empty_is_missing(value: str) -> None:
    assert _error(check_text, value, what="topic", limit=10) == "Missing topic."


@pytest.mark.parametrize(
    ("value", "code", "position"),
    [("a\x00b", "0000", 2), ("ab\x07", "0007", 3), ("\x1b[31m", "001B", 1),
     ("x\u202ey", "202E", 2), ("x\u200by", "200B", 2), ("x\ufeffy", "FEFF", 2),
     ("a\x85b", "0085", 2), ("a\ue000b", "E000", 2), ("a\U000e0001b", "E0001", 2),
     ("a\tb", "0009", 2)],
    ids=["nul", "bell", "escape", "rtl-override", "zero-width-space", "bom", "nel",
         "private-use", "tag", "tab"],
)  # fmt: skip
def test_check_text_non_printable_is_refused_with_code_and_position(
    value: str, code: str, position: int
) -> None:
    assert _error(check_text, value, what="topic", limit=300) == (
        f"The topic contains a non-printable character (U+{code}) at position {position}; "
        "use printable text only."
    )


def test_check_text_position_counts_after_stripping() -> None:
    assert _error(check_text, "   ab\x07", what="topic", limit=300) == (
        "The topic contains a non-printable character (U+0007) at position 3; "
        "use printable text only."
    )


def test_check_text_at_limit_is_accepted() -> None:
    assert check_text("x" * 300, what="topic", limit=300) == "x" * 300


def test_check_text_over_limit_is_refused() -> None:
    assert _error(check_text, "x" * 301, what="topic", limit=300) == (
        "The topic is 301 characters long; at most 300 are allowed."
    )


@pytest.mark.parametrize("char", ["\u2028", "\u2029"], ids=["line-sep", "paragraph-sep"])
def test_check_text_line_separators_are_refused(char: str) -> None:
    with pytest.raises(InvalidInput):
        check_text(f"first{char}second", what="topic", limit=300)


# -- check_slug -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["nova", "Nova", "first-contact", "oslo.messaging", "tc_2024", "9", "a" * 40]
)
def test_check_slug_accepts_valid_slugs(value: str) -> None:
    assert check_slug(value) == value


def test_check_slug_drops_a_leading_hash() -> None:
    assert check_slug("#nova") == "nova"


@pytest.mark.parametrize(
    "value",
    ["", "#", "-nova", ".nova", "_nova", "no va", "no/va", "nova!", "a" * 41, "nova'--",
     "日本", "nova\u200d"],
)  # fmt: skip
def test_check_slug_refuses_invalid_slugs(value: str) -> None:
    assert _error(check_slug, value) == (
        f"'{shorten(value)}' is not a valid team name: use 1 to 40 letters, digits, '.', '_' or "
        "'-', starting with a letter or digit (for example 'nova')."
    )


@pytest.mark.parametrize("value", ["\u212a", "\u017f", "\u0131", "\u0130"])
def test_check_slug_refuses_non_ascii_letters(value: str) -> None:
    with pytest.raises(InvalidInput):
        check_slug(value)


# -- check_color ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["red", "RED", "RebeccaPurple", "transparent", "lightgoldenrodyellow", "#abc", "#ABCD",
     "#42f4c5", "#42f4c5ff", "rgb(1, 2, 3)", "rgb(100%,0%,0%)", "rgba(1, 2, 3, 0.5)",
     "rgb(1 2 3)", "rgb(1 2 3 / 50%)", "hsl(120deg, 50%, 50%)", "hsla(120, 50%, 50%, .5)",
     "  red  "],
)  # fmt: skip
def test_check_color_accepts_css_colours(value: str) -> None:
    assert check_color(value) == value.strip()


@pytest.mark.parametrize(
    "value",
    ["", "reddish", "#ab", "#abcde", "#abcdefg", "#ggg", "rgb(1, 2)", "rgb(1, 2, 3, 4, 5)",
     "red; background:url(x)", "expression(alert(1))", "url(x)", "red}body{color:red",
     "var(--x)", "currentcolor", "rgb(1,2,3);", "#abc !important"],
)  # fmt: skip
def test_check_color_refuses_everything_else(value: str) -> None:
    assert _error(check_color, value) == (
        f"'{shorten(value.strip())}' is not a CSS colour; use a name (red), #rgb, #rrggbb "
        "or rgb(r, g, b)."
    )


@pytest.mark.parametrize(
    "value", ["rgb(123)", "rgb(1.5.5)", "rgb(1deg 2deg 3deg)", "rgb(\u0661,\u0662,\u0663)"]
)
def test_check_color_refuses_malformed_functions(value: str) -> None:
    with pytest.raises(InvalidInput):
        check_color(value)


# -- check_url ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["https://etherpad.opendev.org/p/nova", "http://example.org", "HTTPS://Example.ORG/a?b=c#d",
     "https://example.org:8443/path", "https://[2001:db8::1]:443/x", "https://example.org:/",
     "https://example.org/a\\b?c=d@e#f@g"],
)  # fmt: skip
def test_check_url_accepts_http_and_https(value: str) -> None:
    assert check_url(value) == value


def test_check_url_strips_surrounding_spaces() -> None:
    assert check_url("  https://example.org  ") == "https://example.org"


@pytest.mark.parametrize(
    "value",
    ["javascript:alert(1)", "JavaScript://example.org/%0aalert(1)",
     "data:text/html,<script>alert(1)</script>", "ftp://example.org", "file:///etc/passwd",
     "//example.org", "example.org", "https://", "https:///path", "http://[::1", ""],
)  # fmt: skip
def test_check_url_refuses_other_schemes_and_hostless(value: str) -> None:
    assert _error(check_url, value, what="video URL") == (
        f"'{shorten(value.strip())}' is not a valid video URL; expected an http:// or "
        "https:// address."
    )


@pytest.mark.parametrize("value", ["https://exa mple.org", "https://example.org/\x07",
                                   "https://example.org/\u00a0x"])  # fmt: skip
def test_check_url_refuses_spaces_and_control_characters(value: str) -> None:
    assert _error(check_url, value) == "The URL must not contain spaces or control characters."


@pytest.mark.parametrize(
    "value",
    ["https://evil.example\\@good.example/", "https://evil.example\\.good.example/",
     "http://\\\\evil.example/x"],
)  # fmt: skip
def test_check_url_refuses_a_backslash_in_the_host_part(value: str) -> None:
    """Browsers read ``\\`` as ``/``: ``https://evil.example\\@good.example/`` leads to
    evil.example, while a parser that keeps it sees good.example."""
    assert _error(check_url, value, what="video URL") == (
        f"'{shorten(value)}' has a backslash before its path, which browsers read as '/', "
        "so the link could lead to another host than it shows; expected "
        "https://HOST/PATH without a backslash there."
    )


@pytest.mark.parametrize(
    "value",
    ["https://good.example@evil.example/", "https://user:secret@example.org/p", "https://@x.org"],
)  # fmt: skip
def test_check_url_refuses_user_info_before_the_host(value: str) -> None:
    assert _error(check_url, value, what="etherpad URL") == (
        f"'{shorten(value)}' has a user name or password before its host (the part up to "
        "'@'), which can disguise where the link leads; expected https://HOST/PATH with "
        "no '@' before the host."
    )


@pytest.mark.parametrize(
    ("value", "port"),
    [("https://example.org:65536/", "65536"), ("https://example.org:0/", "0"),
     ("http://example.org:99999999999999999999", "99999999999999999999"),
     ("https://example.org:http/", "http"), ("https://[::1]:-1/", "-1"),
     ("https://example.org:８０/", "８０")],
)  # fmt: skip
def test_check_url_refuses_a_port_out_of_range(value: str, port: str) -> None:
    assert _error(check_url, value) == (
        f"'{shorten(value)}' has the port '{shorten(port, 10)}'; expected a number from 1 "
        "to 65535 after the host's ':'."
    )


def test_check_url_over_2000_characters_is_refused() -> None:
    url = "https://example.org/" + "a" * 1981
    assert _error(check_url, url) == "The URL is 2001 characters long; at most 2000."


# -- check_nick / shorten -------------------------------------------------------------


@pytest.mark.parametrize("value", ["alice", "[alice]", "Alice_", "@alice:matrix.org", "n" * 64])
def test_check_nick_accepts_nicks(value: str) -> None:
    assert check_nick(f" {value} ") == value


@pytest.mark.parametrize("value", ["", "   ", "two words", "n" * 65, "bell\x07"])
def test_check_nick_refuses_bad_nicks(value: str) -> None:
    assert _error(check_nick, value) == (
        f"'{shorten(value.strip())}' is not a valid nick; use 1 to 64 printable characters "
        "without spaces."
    )


def test_shorten_replaces_non_printables_and_cuts_long_text() -> None:
    assert shorten("a\x07b\u202ec") == "a?b?c"
    assert shorten("x" * 41) == "x" * 39 + "…"
    assert shorten("x" * 40) == "x" * 40
    assert shorten("abcdef", limit=4) == "abc…"
