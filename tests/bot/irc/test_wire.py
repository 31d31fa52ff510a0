"""A text on the IRC wire: one line, within the byte limit."""

from __future__ import annotations

from ptghub.bot.irc.wire import fit


def test_fit_keeps_one_line_within_the_byte_limit() -> None:
    assert fit("a\r\nb") == "a  b"
    assert fit("é" * 300) == "é" * 200  # 2 bytes each: 400 bytes
    assert fit("ab€", limit=4) == "ab"  # never half a character
